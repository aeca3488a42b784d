"""Error types that name the file, sheet, row and column of bad input."""

from __future__ import annotations

from pathlib import Path


def column_letter(index: int) -> str:
    """Spreadsheet column name ('A', 'B', ..., 'AA') of a 0-based column index."""
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
        text = f"{self.location()}: {self.problem}"
        if self.expected is not None:
            text += f"; expected {self.expected}"
        if self.found is not None:
            text += f", found {self.found}"
        return text


class RetrievalError(RuntimeError):
    """A raw input file could not be obtained or failed its checksum."""


class TableCheckError(InputError):
    """One or more IO tables failed an identity check; one message per failing cell."""

    def __init__(self, messages: list[str]) -> None:
        self.messages = messages
        ValueError.__init__(self, "\n".join(messages))

    def message(self) -> str:
        return "\n".join(self.messages)


class ConfigError(ValueError):
    """A configuration that cannot be used: one line per violation (key, value, what is allowed)."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("configuration: " + "; ".join(problems))

    def message(self) -> str:
        """The violations, one per line."""
        return "invalid configuration:\n" + "\n".join(f"  - {p}" for p in self.problems)
