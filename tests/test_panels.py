"""Reader of the telecom/software panel workbook, on hand-built workbooks in its layout."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from digecon.core.errors import InputError
from digecon.inputs.panels import read_panel_workbook
from digecon.inputs.yearbook import LONG_COLUMNS


def panel(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "面板原始数据_合并版v2"
    sheet.append(["省份", "年份", "GDP（亿元）", "电信业务总量（亿元）", "软件产品收入（亿元）"])
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_the_panel_workbook_is_read_with_sheet_row_and_column(tmp_path: Path) -> None:
    path = panel(tmp_path / "p.xlsx", [["北京", 2011, 16000, 436.29, None], ["内蒙古", 2012, 15000, "120.5", 3.1]])
    frame = read_panel_workbook(path).set_index(["province_code", "year", "indicator"])
    beijing = frame.loc[(110000, 2011, "电信业务总量")]
    assert (beijing["value"], beijing["unit"]) == (436.29, "亿元")
    assert (beijing["source_sheet"], beijing["source_row"], beijing["source_column"]) == (
        "面板原始数据_合并版v2",
        2,
        "D",
    )
    assert frame.loc[(150000, 2012, "电信业务总量"), "value"] == 120.5  # a number stored as text
    assert frame.loc[(150000, 2012, "软件产品收入"), "source_column"] == "E"
    assert len(frame) == 3  # Beijing's empty software cell is not available; GDP is not read


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([["北京", 2011, 1, "n/a", None]], r"cell D2: value is not a number"),
        ([["北平", 2011, 1, 1, None]], r"cell A2: unknown province name"),
        ([["北京", "2011年", 1, 1, None]], r"cell B2: not a year"),
        ([["北京", 2011, 1, 1, None], ["北京", 2011, 1, 2, None]], r"row 3: a province-year appears twice"),
    ],
)
def test_a_bad_panel_is_refused_naming_the_cell(tmp_path: Path, rows: list, message: str) -> None:
    with pytest.raises(InputError, match=message):
        read_panel_workbook(panel(tmp_path / "p.xlsx", rows))


def test_a_panel_without_a_column_is_refused(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.append(["省份", "年份", "电信业务总量（亿元）"])
    book.save(tmp_path / "p.xlsx")
    with pytest.raises(InputError, match="column '软件产品收入（亿元）' is missing"):
        read_panel_workbook(tmp_path / "p.xlsx")


def test_the_frame_has_the_long_columns(tmp_path: Path) -> None:
    frame = read_panel_workbook(panel(tmp_path / "p.xlsx", [["北京", 2011, 1, 2, 3]]))
    assert list(frame.columns) == LONG_COLUMNS
    assert pd.api.types.is_integer_dtype(frame["source_row"])
