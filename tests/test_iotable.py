"""Reader tests on small tables written by the tests, in each vintage's printed layout."""

from __future__ import annotations

from pathlib import Path

import pytest

from digecon.core.errors import InputError
from digecon.inputs.concordance import load_concordance
from digecon.inputs.iotable import read_io_table
from tests.tables import TOTAL_VA, find, io_table_rows, write_workbook

CONCORDANCE = load_concordance()


def read(path: Path, **kwargs):
    return read_io_table(path, CONCORDANCE, **kwargs)


@pytest.mark.parametrize("vintage", ["2002", "2007", "2012", "2017"])
@pytest.mark.parametrize("suffix", [".xls", ".xlsx"])
def test_reads_each_vintage_layout(tmp_path: Path, vintage: str, suffix: str) -> None:
    path = write_workbook(
        io_table_rows(vintage, "内蒙古"), tmp_path / f"{vintage}年各省份投入产出表" / f"5内蒙古{suffix}"
    )
    table = read(path)
    assert (table.province_code, table.province, table.year, table.vintage) == (150000, "内蒙古", int(vintage), vintage)
    assert table.unit == "万元"
    s = table.sectors.set_index("sector_key")
    assert len(s) == 42
    assert s["value_added"].sum() == TOTAL_VA
    electronics_code = {"2002": 19, "2007": 19, "2012": 20, "2017": 20}[vintage]
    assert s.loc["electronics", "value_added"] == 16 * electronics_code
    assert s.loc["electronics", "compensation"] == 10 * electronics_code
    assert s.loc["culture", "total_output"] == 100 * 41
    assert (s["total_input"] == s["total_output"]).all()


def test_national_table_with_long_dash_marker(tmp_path: Path) -> None:
    path = write_workbook(io_table_rows("2002", "中国", marker="—"), tmp_path / "0中国.xls")
    table = read(path)
    assert (table.province_code, table.province, table.year) == (0, "全国", 2002)


def test_aggregates_follow_the_concordance(tmp_path: Path) -> None:
    table = read(write_workbook(io_table_rows("2012"), tmp_path / "1北京.xls"))
    s = table.sectors
    # 2012: manufacturing is 06-24, other services are 32 and 35-42
    assert s.loc[s["manufacturing"] == 1, "sector_code"].tolist() == [f"{i:02d}" for i in range(6, 25)]
    assert s.loc[s["other_services"] == 1, "value_added"].sum() == 16 * (32 + sum(range(35, 43)))


def test_finds_layout_after_shifted_header_and_renamed_sheet(tmp_path: Path) -> None:
    rows = io_table_rows("2017")
    rows[3:3] = [[""] * len(rows[0]) for _ in range(4)]  # four more title rows
    table = read(write_workbook(rows, tmp_path / "北京.xlsx", sheet="数据"))
    assert table.sheet == "数据"
    assert table.sectors["value_added"].sum() == TOTAL_VA


def test_sector_cell_traceable(tmp_path: Path) -> None:
    table = read(write_workbook(io_table_rows("2017"), tmp_path / "01-北京.xls"))
    first = table.sectors.iloc[0]
    assert (first["excel_row"], first["excel_column"]) == (9, "D")  # header on row 8, first sector column D
    assert table.code_rows["TVA"] == 9 + 42 + 5


def test_blank_component_read_as_zero_only_when_identity_holds(tmp_path: Path) -> None:
    rows = io_table_rows("2002", "广西")
    surplus, tva = find(rows, "VA004"), find(rows, "TVA")
    rows[surplus][3 + 41] = ""  # sector 42's operating surplus left blank ...
    rows[tva][3 + 41] -= 3 * 42  # ... and TVA printed without it, as in the real 2002 Guangxi table
    table = read(write_workbook(rows, tmp_path / "20广西.xls"))
    assert table.sectors.iloc[41]["operating_surplus"] == 0
    assert table.blank_as_zero == (f"AS{surplus + 1} (operating_surplus of sector 42)",)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda rows: rows[find(rows, "TVA")].__setitem__(2, "XX"), "row 'TVA' is missing"),
        (lambda rows: rows[find(rows, "TI")].__setitem__(2, ""), "row 'TI' is missing"),
        (lambda rows: rows[2].__setitem__(0, "单位：亿元"), "unexpected unit"),
        (lambda rows: rows[0].__setitem__(0, "天津2017年投入产出表"), "province in the title and in the file name"),
        (lambda rows: rows[0].__setitem__(0, "北京2012年投入产出表"), "year in the title and in the file path"),
        (lambda rows: rows.pop(find(rows, "05")), "wrong number of sectors"),
        (lambda rows: rows[find(rows, "05")].__setitem__(1, "非金属矿和其它矿采选产品X"), "not in the concordance"),
        (lambda rows: rows[find(rows, "TVA")].__setitem__(5, "n/a"), "is not a number"),
        (lambda rows: rows[find(rows, "TVA")].__setitem__(5, ""), "is blank"),
        (lambda rows: rows[find(rows, "VA001")].__setitem__(5, ""), "do not sum to TVA"),
        (lambda rows: rows[7].__setitem__(2, "代码"), "no IO-table header found"),
    ],
)
def test_bad_tables_are_refused_with_location(tmp_path: Path, mutate, message: str) -> None:
    rows = io_table_rows("2017")
    mutate(rows)
    path = write_workbook(rows, tmp_path / "2017年各省份投入产出表" / "01-北京.xls")
    with pytest.raises(InputError, match=message) as caught:
        read(path)
    assert str(path) in str(caught.value)


def test_unknown_sector_name_suggests_closest(tmp_path: Path) -> None:
    rows = io_table_rows("2017")
    rows[find(rows, "20")][1] = "通信设备、计算机与其他电子设备"
    with pytest.raises(InputError, match="closest known names: 通信设备、计算机和其他电子设备") as caught:
        read(write_workbook(rows, tmp_path / "01-北京.xlsx"))
    assert "cell B" in str(caught.value)


def test_other_units_accepted_when_configured(tmp_path: Path) -> None:
    rows = io_table_rows("2017", unit="单位：亿元")
    table = read(write_workbook(rows, tmp_path / "01-北京.xls"), allowed_units=("万元", "亿元"))
    assert table.unit == "亿元"


def test_duplicated_sector_refused(tmp_path: Path) -> None:
    rows = io_table_rows("2017")
    rows[find(rows, "06")][2] = "05"
    with pytest.raises(InputError, match="sector code 05 appears twice"):
        read(write_workbook(rows, tmp_path / "01-北京.xls"))


@pytest.mark.parametrize("content", [b"", b"province,year\n", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100])
def test_non_excel_empty_and_truncated_files(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "01-北京.xls"
    path.write_bytes(content)
    with pytest.raises(InputError, match=r"empty|not an Excel file|damaged or truncated"):
        read(path)


def test_truncated_real_layout_file(tmp_path: Path) -> None:
    whole = write_workbook(io_table_rows("2017"), tmp_path / "whole.xls").read_bytes()
    path = tmp_path / "01-北京.xls"
    path.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(InputError, match=r"01-北京\.xls"):
        read(path)


def test_several_blank_components_are_all_read_as_zero(tmp_path: Path) -> None:
    rows = io_table_rows("2017")
    taxes, surplus, tva = find(rows, "VA002"), find(rows, "VA004"), find(rows, "TVA")
    rows[taxes][3 + 9] = rows[surplus][3 + 9] = ""  # sector 10: net taxes (10) and surplus (30) unprinted ...
    rows[tva][3 + 9] -= 4 * 10  # ... and TVA printed without them
    table = read(write_workbook(rows, tmp_path / "01-北京.xls"))
    s = table.sectors.set_index("sector_code").loc["10"]
    assert (s["net_taxes"], s["operating_surplus"], s["value_added"]) == (0, 0, 12 * 10)
    assert table.blank_as_zero == (
        f"M{taxes + 1} (net_taxes of sector 10)",
        f"M{surplus + 1} (operating_surplus of sector 10)",
    )
    assert table.sectors["value_added"].sum() == TOTAL_VA - 4 * 10


def retitle(title: str):
    """A mutation that replaces the table's title."""
    return lambda rows: rows[0].__setitem__(0, title)


@pytest.mark.parametrize(
    ("mutate", "message", "where"),
    [
        (lambda rows: rows[7].__setitem__(3 + 4, "XX"), "sector 05 has a row but no column in the header", "row 8"),
        # TI is row 57: header on row 8, 42 sectors, TII, VA001-VA004, TVA
        (lambda rows: rows[find(rows, "TI")].__setitem__(3 + 2, ""), "total_input of sector 03 is blank", "cell F57"),
        (lambda rows: rows[find(rows, "04")].__setitem__(48, ""), "total_output of sector 04 is blank", "cell AW12"),
        (retitle("北京2012-2017年投入产出表"), "the title names several years", None),
        (retitle("北京天津2017年投入产出表"), "the title names several provinces: 北京, 天津", None),
    ],
)
def test_each_reading_step_names_its_cell(tmp_path: Path, mutate, message: str, where: str | None) -> None:
    rows = io_table_rows("2017")
    mutate(rows)
    with pytest.raises(InputError, match=message) as caught:
        read(write_workbook(rows, tmp_path / "2017年各省份投入产出表" / "01-北京.xls"))
    if where:
        assert where in str(caught.value)


@pytest.mark.parametrize(
    ("title", "name", "message"),
    [
        ("北京投入产出表", "01-北京.xls", "cannot tell the table's year"),
        ("2017年投入产出表", "01.xls", "cannot tell which province this table is for"),
    ],
)
def test_province_and_year_must_be_named_somewhere(tmp_path: Path, title: str, name: str, message: str) -> None:
    rows = io_table_rows("2017")
    rows[0][0] = title
    with pytest.raises(InputError, match=message):
        read(write_workbook(rows, tmp_path / name))
