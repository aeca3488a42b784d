"""Reader for the NBS regional 42-sector input-output tables (any year, .xls and .xlsx).

The table is found by what every 42-sector table has, not by offsets or printed markers:

* the code column is the one (of columns B to H) that holds the most sector codes ``01``..``42``
  and row codes ``VA001``..``VA004``, ``TVA`` and ``TI``; sector names stand just left of it;
* the header row is the row above the sector rows that holds the column codes ``01``..``42``
  (whatever its code-column cell says: ``-``, ``—``, ``代码`` or nothing), and the ``GO``
  column is the one coded ``GO`` there -- or, where the header row has no ``GO``, the column
  headed 总产出 / 总产品 in the header block. Final-use columns are not read, so their headings
  (three levels or one flat row) and codes (EX/IM/OF/IF or one 净流出 column, with or without
  ERR) do not matter;
* the value-added rows are found by their codes ``VA001``..``VA004``, ``TVA`` and ``TI``;
* the unit is read from the title block (``单位：万元``), the province (by name or GB/T 2260
  code) and year from the title and from the file path, which must agree.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from digecon.core.errors import InputError, column_letter
from digecon.core.provinces import normalise_name, province_name, provinces_named_in
from digecon.inputs.concordance import DIGITAL_SECTORS, SectorMatch, match_sectors
from digecon.inputs.excel import Grid, iter_sheets

N_SECTORS = 42
CODE_SEARCH_COLUMNS = 8
# Distinct codes 01..42 that identify the code column or the header row: far more than a column
# or row of values shows by chance, far fewer than 42 so a table short of sectors or of column
# codes is still found (and reported for what it lacks).
MIN_CODES = 10
GO_HEADINGS = ("总产出", "总产品")  # the GO column's heading, for header rows without the code
VA_ROWS = {
    "VA001": "compensation",
    "VA002": "net_taxes",
    "VA003": "depreciation",
    "VA004": "operating_surplus",
    "TVA": "value_added",
}
VA_COMPONENTS = ("compensation", "net_taxes", "depreciation", "operating_surplus")
ROW_CODES = {"TII", *VA_ROWS, "TI"}
TABLE_ROW_CODES = {*VA_ROWS, "TI"}  # every table has these; a sheet with all of them is preferred
DEFAULT_UNITS = ("万元",)
DEFAULT_VA_TOLERANCE = 5.0  # 万元: published cells are rounded
SECTOR_CODE = re.compile(r"^\d{1,2}$")
# A year stands alone: not the '2000' inside the region code 520000.
YEAR = re.compile(r"(?<!\d)(19[89]\d|20\d\d)(?!\d)")


@dataclass(frozen=True)
class IOTable:
    """One IO table's value added and output by sector, with where it came from.

    ``sectors`` has one row per sector: ``sector_code``, ``sector_name`` (as printed),
    ``sector_key`` and the aggregate flags from the concordance, ``compensation``,
    ``net_taxes``, ``depreciation``, ``operating_surplus``, ``value_added``, ``total_input``
    (TI row) and ``total_output`` (GO column) in 万元, and ``excel_row`` / ``excel_column``
    of the sector's name row and value column. ``blank_as_zero`` lists VA cells that were
    blank and read as 0 because the VA identity proves it.
    """

    file: str
    sheet: str
    province_code: int
    province: str
    year: int
    vintage: str
    unit: str
    sectors: pd.DataFrame
    code_rows: dict[str, int]  # spreadsheet row (1-based) of VA001..VA004, TVA, TI
    go_column: str  # spreadsheet column letter of GO
    blank_as_zero: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Layout:
    """Where a sheet's codes put the table (0-based rows and columns)."""

    header_row: int
    code_column: int
    name_column: int
    row_of: dict[str, int]
    column_of: dict[str, int]
    sector_rows: list[int]
    go_column: int | None

    @property
    def complete(self) -> bool:
        """Whether the code column holds every row code a table has (VA001..VA004, TVA, TI)."""
        return self.row_of.keys() >= TABLE_ROW_CODES


def _column_code(text: str) -> str | None:
    """Give a sector code 01..42 as two digits ('5' and '05' alike), None for anything else."""
    return f"{int(text):02d}" if SECTOR_CODE.match(text) and 1 <= int(text) <= N_SECTORS else None


def _code_column(grid: Grid) -> int | None:
    """Find the column holding the most sector and row codes (leftmost on ties); None if none holds enough."""
    best: tuple[int, int] | None = None
    for column in range(1, CODE_SEARCH_COLUMNS):  # from B: the sector names stand left of the codes
        texts = {grid.text(r, column) for r in range(grid.n_rows)}
        row_codes = len(texts & ROW_CODES)
        sector_codes = len({_column_code(t) for t in texts} - {None})
        # Any row code identifies the column, so that a table missing one row (say TVA) or short of
        # sectors is reported as such rather than as unreadable.
        if (row_codes or sector_codes >= MIN_CODES) and (best is None or row_codes + sector_codes > best[0]):
            best = (row_codes + sector_codes, column)
    return None if best is None else best[1]


def _header_row(grid: Grid, code_column: int) -> int | None:
    """Find the row above sector rows holding the most column codes 01..42 (nearest on ties), if enough."""
    codes = [grid.text(r, code_column) for r in range(grid.n_rows)]
    sector_rows = [r for r, code in enumerate(codes) if SECTOR_CODE.match(code)]
    best: tuple[int, int] | None = None
    for row in range(grid.n_rows):
        # A body row (its code cell holds a code: the VA002 row may print 1..42) is never the header,
        # and the header has the sector rows below it.
        if SECTOR_CODE.match(codes[row]) or codes[row] in ROW_CODES:
            continue
        if not sector_rows or sector_rows[-1] <= row:
            break
        found = {_column_code(grid.text(row, c)) for c in range(len(grid.rows[row])) if c != code_column}
        n_codes = len(found - {None})
        if n_codes >= MIN_CODES and (best is None or n_codes >= best[0]):
            best = (n_codes, row)
    return None if best is None else best[1]


def _go_heading(grid: Grid, header_row: int, column_of: dict[str, int]) -> int | None:
    """Find the column headed 总产出 / 总产品 in the header block (on or above the header row), if any."""
    sector_columns = {column_of[f"{i:02d}"] for i in range(1, N_SECTORS + 1) if f"{i:02d}" in column_of}
    for row in range(header_row, -1, -1):
        for column in range(len(grid.rows[row])):
            if column not in sector_columns and normalise_name(grid.text(row, column)) in GO_HEADINGS:
                return column
    return None


def _find_layout(grid: Grid) -> _Layout | None:
    """Locate code column and header row by the codes they hold; None if this sheet has no table."""
    code_column = _code_column(grid)
    header_row = None if code_column is None else _header_row(grid, code_column)
    if code_column is None or header_row is None:
        return None
    row_of: dict[str, int] = {}
    sector_rows = []
    for row in range(header_row + 1, grid.n_rows):
        code = grid.text(row, code_column)
        if SECTOR_CODE.match(code):
            sector_rows.append(row)
        elif code and code not in row_of:
            row_of[code] = row
    column_of: dict[str, int] = {}
    for column in range(len(grid.rows[header_row])):
        text = grid.text(header_row, column)
        key = _column_code(text) or text  # column codes printed as numbers (5) or text ('05') alike
        if text and column != code_column and key not in column_of:
            column_of[key] = column
    go_column = column_of.get("GO", _go_heading(grid, header_row, column_of))
    return _Layout(header_row, code_column, code_column - 1, row_of, column_of, sector_rows, go_column)


def _locate(path: Path) -> tuple[Grid, _Layout]:
    """Find the sheet holding the table (the first complete one, else the first with codes) and its layout."""
    partial: tuple[Grid, _Layout] | None = None
    for grid in iter_sheets(path):
        layout = _find_layout(grid)
        if layout is not None and layout.complete:
            return grid, layout
        if layout is not None and partial is None:
            partial = grid, layout
    if partial is not None:
        return partial
    raise InputError(
        path,
        "no IO-table header found in any sheet",
        expected=f"a column (B to {column_letter(CODE_SEARCH_COLUMNS - 1)}) holding the sector codes 01..42 and the "
        "row codes VA001..VA004, TVA, TI, and above its sector rows a header row holding the column codes 01..42",
    )


def _title_block(grid: Grid, layout: _Layout) -> list[tuple[int, int, str]]:
    """(row, column, text) of every non-empty cell above the header row."""
    return [
        (r, c, grid.text(r, c)) for r in range(layout.header_row) for c in range(len(grid.rows[r])) if grid.text(r, c)
    ]


def _read_unit(grid: Grid, layout: _Layout, allowed_units: tuple[str, ...]) -> str:
    """Read the unit printed in the title block (单位：万元), which must be one of ``allowed_units``."""
    for row, column, text in _title_block(grid, layout):
        match = re.search(r"单\s*位\s*[:：]\s*(\S+)", text)
        if match:
            unit = match.group(1).strip("()（） ")
            if unit not in allowed_units:
                raise InputError(
                    grid.file,
                    "unexpected unit in the title block",
                    sheet=grid.sheet,
                    row=row,
                    column=column,
                    expected=" or ".join(allowed_units) + " (allow other units with io_tables.allowed_units)",
                    found=f"'{unit}'",
                )
            return unit
    raise InputError(
        grid.file,
        "no unit found in the title block",
        sheet=grid.sheet,
        expected=f"a cell such as '单位：万元' above the header row {layout.header_row + 1}",
    )


def _identify(grid: Grid, layout: _Layout, path: Path) -> tuple[int, int]:
    """Province code and year from the title block and from the file path; they must agree."""
    cells = [text for _, _, text in _title_block(grid, layout)]
    title_text = " ".join(cells)
    return _province_of(grid, path, cells), _year_of(grid, path, title_text)


def _province_of(grid: Grid, path: Path, title_cells: list[str]) -> int:
    """Find the one province named by the title and/or the file name."""
    # Cell by cell: a region code names a province only at the start of a text ('50地区投入产出表').
    in_title = set().union(*(provinces_named_in(text) for text in title_cells))
    title_text = " ".join(title_cells)
    in_name = provinces_named_in(path.stem)
    for where, found in (("title", in_title), ("file name", in_name)):
        if len(found) > 1:
            names = ", ".join(sorted(province_name(c) for c in found))
            raise InputError(path, f"the {where} names several provinces: {names}", sheet=grid.sheet)
    if in_title and in_name and in_title != in_name:
        raise InputError(
            path,
            "province in the title and in the file name disagree",
            sheet=grid.sheet,
            expected=f"'{province_name(next(iter(in_name)))}' (from the file name)",
            found=f"'{province_name(next(iter(in_title)))}' in the title '{title_text[:40]}'",
        )
    if not (in_title or in_name):
        raise InputError(
            path,
            "cannot tell which province this table is for",
            sheet=grid.sheet,
            expected="a province name (e.g. 北京) in the title or the file name",
        )
    return next(iter(in_title or in_name))


def _year_of(grid: Grid, path: Path, title_text: str) -> int:
    """Find the one year named by the title and/or the file path (file name or its folder)."""
    title_years = {int(y) for y in YEAR.findall(title_text)}
    path_years = {int(y) for part in (path.stem, path.parent.name) for y in YEAR.findall(part)}
    if len(title_years) > 1:
        raise InputError(path, f"the title names several years: {sorted(title_years)}", sheet=grid.sheet)
    # The file name and its folder may each name a year; the title's year must be among them.
    if title_years and path_years and not title_years <= path_years:
        raise InputError(
            path,
            "year in the title and in the file path disagree",
            sheet=grid.sheet,
            expected=f"{sorted(path_years)} (from the path)",
            found=f"{sorted(title_years)} in the title",
        )
    years = title_years or path_years
    if len(years) != 1:
        raise InputError(
            path, "cannot tell the table's year", sheet=grid.sheet, expected="a year such as '2017年' in the title"
        )
    return years.pop()


def _require_row(grid: Grid, layout: _Layout, code: str) -> int:
    """Return the row of a row code such as TVA; an error naming the code when it is missing."""
    if code not in layout.row_of:
        raise InputError(
            grid.file,
            f"row '{code}' is missing",
            sheet=grid.sheet,
            column=layout.code_column,
            expected=f"a row with code '{code}' in the code column below the header row {layout.header_row + 1}",
        )
    return layout.row_of[code]


def _number(grid: Grid, row: int, column: int, what: str) -> float:
    """Read a numeric cell; NaN when blank (resolved by the caller), an error for text."""
    value = grid.cell(row, column)
    if isinstance(value, bool) or (not isinstance(value, (int, float)) and value != ""):
        raise InputError(
            grid.file,
            f"{what} is not a number",
            sheet=grid.sheet,
            row=row,
            column=column,
            expected="a numeric cell (numbers stored as text are refused: convert the cell to a number)",
            found=f"text '{value}'",
        )
    if value == "":
        return math.nan
    return float(value)


def _sector_columns(grid: Grid, layout: _Layout, codes: list[str]) -> list[int]:
    """Find the header column of each sector code (a sector with a row must also have a column)."""
    columns = []
    for code, row in zip(codes, layout.sector_rows, strict=True):
        column = layout.column_of.get(code)
        if column is None:
            raise InputError(
                grid.file,
                f"sector {code} has a row but no column in the header",
                sheet=grid.sheet,
                row=layout.header_row,
                expected=f"column code '{code}' in header row {layout.header_row + 1} (as in row {row + 1})",
            )
        columns.append(column)
    return columns


@dataclass(frozen=True)
class _ValueCells:
    """Where a table's numbers stand (0-based): each sector's column, the VA and TI rows, the GO column."""

    columns: list[int]
    va_rows: dict[str, int]  # field of VA_ROWS -> row
    ti_row: int
    go_column: int


def _sector_codes(grid: Grid, layout: _Layout, path: Path) -> list[str]:
    """Read the two-digit sector codes in table order, refusing duplicates and a count other than 42."""
    codes = [f"{int(grid.text(r, layout.code_column)):02d}" for r in layout.sector_rows]
    duplicated = sorted({c for c in codes if codes.count(c) > 1})
    if duplicated:
        row = layout.sector_rows[codes.index(duplicated[0], codes.index(duplicated[0]) + 1)]
        raise InputError(
            path,
            f"sector code {duplicated[0]} appears twice",
            sheet=grid.sheet,
            row=row,
            column=layout.code_column,
            expected="each sector code once",
        )
    if len(codes) != N_SECTORS:
        raise InputError(
            path,
            "wrong number of sectors",
            sheet=grid.sheet,
            column=layout.code_column,
            expected=f"{N_SECTORS} sector rows with codes 01..42 between header row {layout.header_row + 1} and 'TII'",
            found=f"{len(codes)} ({', '.join(codes[:3])} ... {', '.join(codes[-2:])})" if codes else "none",
        )
    return codes


def _match_names(
    grid: Grid, layout: _Layout, path: Path, concordance: pd.DataFrame, year: int
) -> tuple[list[str], SectorMatch]:
    """Sector names as printed and their concordance rows (the names, not the codes, identify a sector)."""
    names = [grid.text(r, layout.name_column) for r in layout.sector_rows]
    match = match_sectors(
        names,
        concordance,
        year=year,
        file=str(path),
        sheet=grid.sheet,
        rows=layout.sector_rows,
        column=layout.name_column,
    )
    return names, match


def _value_cells(grid: Grid, layout: _Layout, path: Path, codes: list[str]) -> _ValueCells:
    """Locate every sector's column, the GO column and the VA001..VA004, TVA and TI rows."""
    columns = _sector_columns(grid, layout, codes)
    if layout.go_column is None:
        raise InputError(
            path,
            "column 'GO' (总产出) is missing",
            sheet=grid.sheet,
            row=layout.header_row,
            expected=f"the code 'GO' in header row {layout.header_row + 1} (or a column headed 总产出 above it)",
        )
    va_rows = {field: _require_row(grid, layout, code) for code, field in VA_ROWS.items()}
    return _ValueCells(columns, va_rows, _require_row(grid, layout, "TI"), layout.go_column)


def _sector_values(grid: Grid, path: Path, cells: _ValueCells, sector_code: str, row: int, column: int) -> dict:
    """One sector's VA rows, TI and GO; blank components stay NaN, a blank TVA, TI or GO is an error."""
    record = {
        field: _number(grid, cells.va_rows[field], column, f"{field} ({code}) of sector {sector_code}")
        for code, field in VA_ROWS.items()
    }
    record["total_input"] = _number(grid, cells.ti_row, column, f"total input (TI) of sector {sector_code}")
    record["total_output"] = _number(grid, row, cells.go_column, f"total output (GO) of sector {sector_code}")
    for field in ("value_added", "total_input", "total_output"):
        if math.isnan(record[field]):
            cell_row, cell_column = (
                (row, cells.go_column) if field == "total_output" else (cells.va_rows.get(field, cells.ti_row), column)
            )
            raise InputError(
                path,
                f"{field} of sector {sector_code} is blank",
                sheet=grid.sheet,
                row=cell_row,
                column=cell_column,
                expected="a number",
            )
    return record


def _resolve_blanks(
    grid: Grid, path: Path, cells: _ValueCells, record: dict, sector_code: str, column: int, va_tolerance: float
) -> list[str]:
    """Set blank VA components to 0 where the identity proves it (in ``record``); the cells so read."""
    blanks = [f for f in VA_COMPONENTS if math.isnan(record[f])]
    if not blanks:
        return []
    # A blank component is an unprinted zero only if the identity still closes without it.
    rest = sum(record[f] for f in VA_COMPONENTS if f not in blanks)
    if abs(rest - record["value_added"]) > va_tolerance:
        field = blanks[0]
        code = next(c for c, f in VA_ROWS.items() if f == field)
        raise InputError(
            path,
            f"{field} ({code}) of sector {sector_code} is blank and the other components do not sum to TVA",
            sheet=grid.sheet,
            row=cells.va_rows[field],
            column=column,
            expected=f"a number (TVA - others = {record['value_added'] - rest:,.2f})",
        )
    for field in blanks:
        record[field] = 0.0
    return [f"{column_letter(column)}{cells.va_rows[f] + 1} ({f} of sector {sector_code})" for f in blanks]


def _read_values(
    grid: Grid,
    path: Path,
    layout: _Layout,
    cells: _ValueCells,
    codes: list[str],
    names: list[str],
    va_tolerance: float,
) -> tuple[pd.DataFrame, list[str]]:
    """One record per sector (values in the table's unit, with its cell), and the blanks read as 0."""
    records = []
    blank_as_zero = []
    for sector_code, name, row, column in zip(codes, names, layout.sector_rows, cells.columns, strict=True):
        record = _sector_values(grid, path, cells, sector_code, row, column)
        blank_as_zero += _resolve_blanks(grid, path, cells, record, sector_code, column, va_tolerance)
        record.update(sector_code=sector_code, sector_name=name, excel_row=row + 1, excel_column=column_letter(column))
        records.append(record)
    return pd.DataFrame.from_records(records), blank_as_zero


def _assemble(
    path: Path,
    grid: Grid,
    *,
    code: int,
    year: int,
    unit: str,
    match: SectorMatch,
    values: pd.DataFrame,
    cells: _ValueCells,
    blank_as_zero: list[str],
) -> IOTable:
    """Join the values with their concordance rows and check the digital sectors are all there."""
    sectors = pd.concat(
        [values, match.rows.drop(columns=["vintage", "sector_code", "sector_name", "name_key"])], axis=1
    )
    missing = [k for k in DIGITAL_SECTORS if k not in set(sectors["sector_key"])]
    if missing:  # cannot happen with a complete concordance match, but the estimate depends on it
        raise InputError(path, f"digital sectors missing: {', '.join(missing)}", sheet=grid.sheet)
    return IOTable(
        file=str(path),
        sheet=grid.sheet,
        province_code=code,
        province=province_name(code),
        year=year,
        vintage=match.vintage,
        unit=unit,
        sectors=sectors,
        code_rows={**{c: cells.va_rows[field] + 1 for c, field in VA_ROWS.items()}, "TI": cells.ti_row + 1},
        go_column=column_letter(cells.go_column),
        blank_as_zero=tuple(blank_as_zero),
    )


def read_io_table(
    path: str | Path,
    concordance: pd.DataFrame,
    *,
    allowed_units: tuple[str, ...] = DEFAULT_UNITS,
    va_tolerance: float = DEFAULT_VA_TOLERANCE,
) -> IOTable:
    """Read one NBS regional (or national) 42-sector IO table.

    Parameters
    ----------
    path
        An .xls or .xlsx file; the first sheet with the IO-table markers is read.
    concordance
        Sector concordance from :func:`digecon.inputs.concordance.load_concordance`.
    allowed_units
        Units accepted in the title block; values are returned as printed, in that unit.
    va_tolerance
        A blank VA001-VA004 cell is read as 0 only when the four components then sum to
        TVA within this many units (otherwise it is an error).

    Returns
    -------
    IOTable
        Value added by component, total input and total output of each of the 42 sectors, in
        the table's unit (万元 unless ``allowed_units`` says otherwise), with their cells.

    Raises
    ------
    InputError
        For anything that would make a number wrong: missing markers or rows, a sector count
        other than 42, duplicated or unknown sectors, text or unexplained blanks in value cells,
        an unexpected unit, province or year that title and file name disagree on.
    """
    path = Path(path)
    grid, layout = _locate(path)
    unit = _read_unit(grid, layout, allowed_units)
    code, year = _identify(grid, layout, path)
    codes = _sector_codes(grid, layout, path)
    names, match = _match_names(grid, layout, path, concordance, year)
    cells = _value_cells(grid, layout, path, codes)
    values, blank_as_zero = _read_values(grid, path, layout, cells, codes, names, va_tolerance)
    return _assemble(
        path,
        grid,
        code=code,
        year=year,
        unit=unit,
        match=match,
        values=values,
        cells=cells,
        blank_as_zero=blank_as_zero,
    )
