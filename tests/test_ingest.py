"""Ingesting a set of tables: one tidy table, one table per province-year, a user's table replacing a built-in one.

The tables are those of ``tests/tables.py``: sector i has TVA 16i 万元, so a table's total VA is
14,448 万元 (1.4448 亿元).
"""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd
import pytest

from digecon.core.errors import InputError
from digecon.inputs.concordance import load_concordance
from digecon.inputs.ingest import IO_TABLE_COLUMNS, ingest_io_tables
from tests.tables import TOTAL_VA, find, io_table_rows, write_workbook

SETTINGS = {"allowed_units": ("万元",), "va_tolerance": 5.0, "ti_go_rel_tolerance": 0.01, "gdp_gap_warn": 0.02}
NO_GDP = pd.DataFrame(columns=["province_code", "year", "series", "value_100m_yuan", "source"])


def ingest(paths: list[Path], user_files: list[Path] = ()) -> tuple[pd.DataFrame, pd.DataFrame]:
    return ingest_io_tables(paths, load_concordance(), NO_GDP, user_files=user_files, **SETTINGS)


def users_table(path: Path) -> Path:
    """Beijing 2017 with 10 万元 more compensation (and TVA) in sector 20, electronics: total VA 14,458 万元."""
    rows = io_table_rows("2017")
    rows[find(rows, "VA001")][2 + 20] += 10.0
    rows[find(rows, "TVA")][2 + 20] += 10.0
    return write_workbook(rows, path)


def test_tables_are_stacked_tidy_in_year_and_province_order(tmp_path: Path) -> None:
    shanghai = write_workbook(io_table_rows("2012", "上海"), tmp_path / "2012" / "09上海.xls")
    beijing = write_workbook(io_table_rows("2012", "北京"), tmp_path / "2012" / "01北京.xls")
    tibet = write_workbook(io_table_rows("2007", "西藏"), tmp_path / "2007" / "26西藏.xls")
    io, report = ingest([shanghai, beijing, tibet])
    assert list(io.columns) == IO_TABLE_COLUMNS
    tables = io.drop_duplicates(["province_code", "year"])[["year", "province_code", "province"]]
    assert tables.values.tolist() == [[2007, 540000, "西藏"], [2012, 110000, "北京"], [2012, 310000, "上海"]]
    assert io.groupby(["province_code", "year"])["value_added"].sum().tolist() == [TOTAL_VA] * 3
    sector_20 = io[(io["province_code"] == 110000) & (io["sector_code"] == "20")].iloc[0]
    assert sector_20["value_added"] == 16 * 20 and sector_20["sector_key"] == "electronics"
    assert sector_20["source_file"] == str(beijing) and sector_20["unit"] == "万元"
    assert set(report.loc[report["check"] == "va_identity", "status"]) == {"ok"}


def test_a_users_table_replaces_the_built_in_one(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    built_in = write_workbook(io_table_rows("2017"), tmp_path / "raw" / "2017年各省份投入产出表" / "01-北京.xls")
    mine = users_table(tmp_path / "mine" / "北京2017.xlsx")
    with caplog.at_level(logging.WARNING, logger="digecon"):
        io, report = ingest([built_in, mine], user_files=[mine])
    assert set(io["source_file"]) == {str(mine)}
    assert len(io) == 42 and io["value_added"].sum() == TOTAL_VA + 10
    [note] = report[report["check"] == "replaced_by_user_table"].to_dict("records")
    message = f"the user's table {mine} replaces the built-in {built_in}"
    assert (note["file"], note["province_code"], note["year"], note["status"]) == (str(mine), 110000, 2017, "warn")
    assert note["message"] == message
    assert f"北京 2017: {message}" in caplog.text


def test_order_of_the_files_does_not_matter(tmp_path: Path) -> None:
    built_in = write_workbook(io_table_rows("2017"), tmp_path / "raw" / "01-北京.xls")
    mine = users_table(tmp_path / "mine" / "北京2017.xlsx")
    io, _ = ingest([mine, built_in], user_files=[mine])
    assert set(io["source_file"]) == {str(mine)}


def test_two_built_in_tables_of_one_province_year_are_refused(tmp_path: Path) -> None:
    first = write_workbook(io_table_rows("2017"), tmp_path / "a" / "01-北京.xls")
    second = write_workbook(io_table_rows("2017"), tmp_path / "b" / "01-北京.xls")
    with pytest.raises(InputError) as caught:
        ingest([first, second])
    assert str(caught.value) == (
        f"{second}: a second table for 北京 2017; expected one table per province-year, found also {first}"
    )


def test_two_user_tables_of_one_province_year_are_refused(tmp_path: Path) -> None:
    first = users_table(tmp_path / "mine" / "北京2017.xlsx")
    second = users_table(tmp_path / "mine" / "北京2017年.xlsx")
    with pytest.raises(InputError, match="a second table for 北京 2017"):
        ingest([first, second], user_files=[first, second])


def test_a_users_table_of_a_new_year_is_simply_added(tmp_path: Path) -> None:
    built_in = write_workbook(io_table_rows("2017"), tmp_path / "raw" / "01-北京.xls")
    mine = write_workbook(io_table_rows("2017", year=2020), tmp_path / "mine" / "北京2020.xlsx")
    io, report = ingest([built_in, mine], user_files=[mine])
    assert io.drop_duplicates("year")["year"].tolist() == [2017, 2020]
    assert "replaced_by_user_table" not in set(report["check"])
