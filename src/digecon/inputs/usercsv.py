"""One validation path for every CSV file a user gives (census ratios, annual indicators, price indices).

A file is described by its columns (:class:`Column`: name, what a cell must be); :func:`read_user_csv`
reads it as text, checks every cell and refuses the whole file at the first bad one with an
:class:`~digecon.core.errors.InputError` naming file, row, column, the value and what was expected.
It accepts UTF-8 with or without the BOM that Excel writes, and says what to do for another encoding.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from digecon.core.errors import InputError
from digecon.core.provinces import province_code

NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
YEARS = (1949, 2100)


@dataclass(frozen=True)
class Column:
    """One column of a user CSV and what each of its cells must be.

    ``kind``: ``province`` (a name such as 北京 / 北京市 / Beijing or a GB/T 2260 code; 全国 only if
    ``national``), ``year``, ``number``, ``share`` (a number in [0, 1]), ``positive`` (a number > 0),
    ``choice`` (one of ``choices``) or ``text``.
    """

    name: str
    kind: str
    required: bool = True
    choices: tuple[str, ...] = ()
    national: bool = False


def _expected(column: Column) -> str:
    """Say in words what a cell of ``column`` must hold."""
    national = ", or 全国" if column.national else ""
    return {
        "province": "a province name (北京, 北京市 or Beijing) or GB/T 2260 code" + national,
        "year": f"a year ({YEARS[0]}-{YEARS[1]})",
        "number": "a number (digits and a decimal point, no thousands separator or unit)",
        "share": "a share in [0, 1] written as a number (e.g. 0.4)",
        "positive": "a number above 0 (digits and a decimal point, no thousands separator or unit)",
        "choice": " or ".join(column.choices),
        "text": "text",
    }[column.kind]


def _parse_cell(text: str, column: Column) -> object:
    """Parse a cell: its value, or None when it is not what the column needs."""
    if column.kind == "text":
        return text
    if column.kind == "choice":
        return text if text in column.choices else None
    if column.kind == "province":
        code = province_code(text) if text else None
        return None if code is None or (code == 0 and not column.national) else code
    if not NUMBER.match(text):
        return None
    value = float(text)
    if column.kind == "year":
        return int(value) if value.is_integer() and YEARS[0] <= value <= YEARS[1] else None
    if not math.isfinite(value) or (column.kind == "share" and not 0 <= value <= 1):
        return None
    return None if column.kind == "positive" and value <= 0 else value


def _read_text(path: Path) -> str:
    """Read the file's text (UTF-8, BOM allowed), or raise an error saying how to save it."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot read the file ({exc.strerror})") from exc
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            path,
            f"not UTF-8 text (byte {exc.start})",
            expected="a CSV saved as UTF-8 (in Excel: Save As, 'CSV UTF-8'); GBK files must be converted",
        ) from exc


def _rows(path: Path) -> tuple[list[str], list[list[str]]]:
    """Header and data rows as text; refuses ragged rows, naming the row."""
    reader = csv.reader(io.StringIO(_read_text(path), newline=""))
    try:
        rows = [[cell.strip() for cell in row] for row in reader]
    except csv.Error as exc:
        raise InputError(path, f"not a readable CSV ({exc})", row=reader.line_num - 1) from exc
    rows = [row for row in rows if any(row)]  # blank lines (e.g. a trailing one) carry nothing
    if not rows:  # no bytes, only a BOM, blank lines or empty cells
        raise InputError(path, "the file is empty", expected="a header row and data rows")
    header, data = rows[0], rows[1:]
    for number, row in enumerate(data, start=1):
        if len(row) != len(header):
            raise InputError(
                path, f"row has {len(row)} cells, the header {len(header)}", row=number, found=",".join(row)[:60]
            )
    return header, data


def read_user_csv(path: str | Path, columns: Sequence[Column], *, unique: Sequence[str] = ()) -> pd.DataFrame:
    """Read and validate one user CSV; the whole file is refused at the first bad cell.

    Parameters
    ----------
    path
        The CSV file (UTF-8, with or without BOM; comma-separated; header in the first row).
    columns
        The columns it must (or may, ``required=False``) have; other columns are ignored.
    unique
        Columns whose combination must not repeat (e.g. province and year).

    Returns
    -------
    DataFrame
        One column per present :class:`Column`, parsed (province as its code, years as int,
        numbers as float); ``csv_row``, the 1-based data row, for messages downstream; the file's
        header (column names in order) in ``attrs["header"]``.

    Raises
    ------
    InputError
        Naming file, row, column, the value found and what was expected.
    """
    path = Path(path)
    header, data = _rows(path)
    missing = [c.name for c in columns if c.required and c.name not in header]
    if missing:
        raise InputError(
            path,
            f"column {', '.join(repr(m) for m in missing)} is missing",
            row=0,
            expected="header " + ",".join(c.name for c in columns),
            found=",".join(header)[:80],
        )
    parsed: dict[str, list[object]] = {}
    for column in (c for c in columns if c.name in header):
        index = header.index(column.name)
        values = []
        for number, row in enumerate(data, start=1):
            value = _parse_cell(row[index], column)
            if value is None and not (row[index] == "" and not column.required):
                raise InputError(
                    path,
                    f"column '{column.name}': bad value",
                    row=number,
                    column=index,
                    expected=_expected(column),
                    found=f"'{row[index]}'",
                )
            values.append(value)
        parsed[column.name] = values
    frame = pd.DataFrame(parsed).assign(csv_row=range(1, len(data) + 1))
    frame.attrs["header"] = header  # the file's column order, to name a value's column downstream
    if unique:
        doubled = frame[frame.duplicated(list(unique), keep="first")]
        if not doubled.empty:
            first = doubled.iloc[0]
            raise InputError(
                path,
                "a row repeats " + ", ".join(f"{k} {first[k]}" for k in unique),
                row=int(first["csv_row"]),
                expected=f"one row per {' x '.join(unique)}",
            )
    return frame


def sources(table: pd.DataFrame, path: str | Path) -> pd.Series:
    """Return the optional ``source`` column of a validated user CSV, the file name where it is blank or absent.

    Parameters
    ----------
    table
        From :func:`read_user_csv`.
    path
        The file it was read from.

    Returns
    -------
    Series
        One source per row.
    """
    given = table["source"].replace("", None) if "source" in table else pd.Series(index=table.index, dtype=object)
    return given.fillna(Path(path).name)
