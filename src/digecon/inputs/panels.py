"""Reader of a research panel workbook: one row per province and year, one column per indicator.

The layout (:data:`TELECOM_SOFTWARE_PANEL`) is that of the provincial panel 2011-2023 compiled from
the 中国统计年鉴 via EPS (``面板原始数据_合并版v2.xlsx``): a header row with 省份 (short names), 年份
and the indicators as ``name（unit）``, numbers stored as numbers or as text. Only the columns the
spec names are read; the panel's other columns (controls of the paper it was made for) are not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from digecon.core.errors import InputError, column_letter
from digecon.inputs.excel import Grid, iter_sheets
from digecon.inputs.nbs_exports import cell_province
from digecon.inputs.yearbook import NBS_HEADER, cell_number, to_100m_yuan, traced

YEAR = re.compile(r"^\d{4}$")


@dataclass(frozen=True)
class PanelSpec:
    """Which columns of a panel workbook are read: key columns and the indicators (headers as printed)."""

    province: str
    year: str
    indicators: tuple[str, ...]


TELECOM_SOFTWARE_PANEL = PanelSpec("省份", "年份", ("电信业务总量（亿元）", "软件产品收入（亿元）"))


def _columns(grid: Grid, path: Path, spec: PanelSpec) -> dict[str, int]:
    """Find every column of the spec in the header row (row 1); a missing one is an error listing them."""
    header = {grid.text(0, c): c for c in range(len(grid.rows[0]))} if grid.n_rows else {}
    wanted = [spec.province, spec.year, *spec.indicators]
    missing = [name for name in wanted if name not in header]
    if missing:
        raise InputError(
            path,
            f"column {', '.join(repr(m) for m in missing)} is missing",
            sheet=grid.sheet,
            row=0,
            expected="a header row with " + ", ".join(wanted),
        )
    return {name: header[name] for name in wanted}


def read_panel_workbook(path: str | Path, spec: PanelSpec = TELECOM_SOFTWARE_PANEL) -> pd.DataFrame:
    """Read the indicators of a province x year panel workbook (its first sheet).

    Parameters
    ----------
    path
        The workbook (.xlsx or .xls).
    spec
        The columns read (:data:`TELECOM_SOFTWARE_PANEL`).

    Returns
    -------
    DataFrame
        :data:`digecon.inputs.yearbook.LONG_COLUMNS`, name and unit split from the header
        (``电信业务总量``, 亿元), empty cells left out, money in 万元 converted to 亿元, each value
        traced to its sheet, row and column.

    Raises
    ------
    InputError
        For a missing column, a header without its unit, an unknown province, a year that is not
        a year, a value that is not a number, or a province-year listed twice.
    """
    path = Path(path)
    grid = next(iter_sheets(path))
    columns = _columns(grid, path, spec)
    names = {}
    for header in spec.indicators:
        match = NBS_HEADER.match(header)
        if match is None:
            raise InputError(path, "header without its unit", sheet=grid.sheet, row=0, column=columns[header])
        names[header] = (match.group("name").strip(), match.group("unit").strip())
    records, seen = [], {}
    for row in range(1, grid.n_rows):
        name, year = grid.text(row, columns[spec.province]), grid.text(row, columns[spec.year])
        if not name and not year:
            continue
        code = cell_province(name, path, row, columns[spec.province], grid.sheet)
        if not YEAR.match(year):
            raise InputError(
                path, "not a year", sheet=grid.sheet, row=row, column=columns[spec.year], found=f"'{year}'"
            )
        if (code, year) in seen:
            raise InputError(
                path,
                "a province-year appears twice",
                sheet=grid.sheet,
                row=row,
                found=f"{name} {year} (also row {seen[(code, year)] + 1})",
            )
        seen[(code, year)] = row
        for header, (indicator, unit) in names.items():
            text = grid.text(row, columns[header])
            if text:
                value = cell_number(text, path, row, columns[header], grid.sheet)
                records.append((code, int(year), indicator, unit, value, row + 1, column_letter(columns[header])))
    frame = pd.DataFrame.from_records(
        records, columns=["province_code", "year", "indicator", "unit", "value", "row", "column"]
    )
    frame = traced(to_100m_yuan(frame), path, sheet=grid.sheet, row=frame["row"], column=frame["column"])
    return frame.sort_values(["indicator", "province_code", "year"], ignore_index=True)
