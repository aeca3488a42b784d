"""Error types that name the file, sheet, row and column of bad input."""

from __future__ import annotations

from pathlib import Path


def column_letter(index: int) -> str:
    """Spreadsheet column name ('A', 'B', ..., 'AA') of a 0-based column index.

    Parameters
    ----------
    index
        Column index, 0-based (0 is 'A', 25 'Z', 26 'AA').

    Returns
    -------
    str
        The column's letters as a spreadsheet shows them.
    """
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


class InputError(ValueError):
    """Bad input: says where (file, sheet, row, column) and what was expected.

    Rows and columns are given as a spreadsheet shows them (row 1-based, column letters),
    so the user can go straight to the cell.

    Parameters
    ----------
    file
        The file the input came from (or another label, e.g. ``"manifest"``).
    problem
        What is wrong, in words.
    sheet
        Sheet name, for workbooks.
    row, column
        0-based row and column indices of the bad cell, row or column (shown 1-based and as
        letters); either may be None.
    expected, found
        What the cell should hold and what it holds, both in words.
    """

    def __init__(
        self,
        file: str | Path,
        problem: str,
        *,
        sheet: str | None = None,
        row: int | None = None,
        column: int | None = None,
        expected: str | None = None,
        found: str | None = None,
    ) -> None:
        self.file = str(file)
        self.problem = problem
        self.sheet = sheet
        self.row = row
        self.column = column
        self.expected = expected
        self.found = found
        super().__init__(self.message())

    def location(self) -> str:
        """Say where the problem is: the file, then the sheet and cell (or row, or column) where known.

        Returns
        -------
        str
            E.g. ``"table.xls, sheet 'S', cell C4"`` for row 3, column 2.
        """
        parts = [self.file]
        if self.sheet is not None:
            parts.append(f"sheet '{self.sheet}'")
        if self.row is not None and self.column is not None:
            parts.append(f"cell {column_letter(self.column)}{self.row + 1}")
        elif self.row is not None:
            parts.append(f"row {self.row + 1}")
        elif self.column is not None:
            parts.append(f"column {column_letter(self.column)}")
        return ", ".join(parts)

    def message(self) -> str:
        """Build the full message: ``location: problem; expected ..., found ...``.

        Returns
        -------
        str
            The location, the problem and, where given, what was expected and what was found.
        """
        text = f"{self.location()}: {self.problem}"
        if self.expected is not None:
            text += f"; expected {self.expected}"
        if self.found is not None:
            text += f", found {self.found}"
        return text


class RetrievalError(RuntimeError):
    """A raw input file could not be obtained or failed its checksum."""


class TableCheckError(InputError):
    """One or more IO tables failed an identity check; one message per failing cell.

    Parameters
    ----------
    messages
        One message per failing cell (:func:`digecon.inputs.checks.failures`).
    """

    def __init__(self, messages: list[str]) -> None:
        self.messages = messages
        ValueError.__init__(self, "\n".join(messages))

    def message(self) -> str:
        """Join the failure messages, one per line."""
        return "\n".join(self.messages)


class ConfigError(ValueError):
    """A configuration that cannot be used: one line per violation (key, value, what is allowed).

    Parameters
    ----------
    problems
        One line per violation.
    """

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("configuration: " + "; ".join(problems))

    def message(self) -> str:
        """List the violations under the heading 'invalid configuration:', one indented line each."""
        return "invalid configuration:\n" + "\n".join(f"  - {p}" for p in self.problems)
