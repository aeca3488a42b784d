"""Reader tests on small tables written by the tests, in each vintage's printed layout."""

from __future__ import annotations

from pathlib import Path

import pytest

from digecon.core.errors import InputError
from digecon.inputs.concordance import load_concordance
from digecon.inputs.iotable import read_io_table
from tests.tables import NBS_FINAL_USE, NET_OUTFLOW, NO_ERR, TOTAL_VA, find, io_table_rows, write_workbook

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
        (lambda rows: rows[7].__setitem__(slice(3, 45), [""] * 42), "no IO-table header found"),
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


# The 2023 round: layouts the reader finds by the codes alone. Each reads to the same figures:
# total VA 16 x 903 = 14,448 万元, culture's GO 100 x 41 = 4,100 万元, vintage 2017.
LAYOUTS_2023 = {
    "marker blank": ({"marker": ""}, "AW"),
    "marker 代码": ({"marker": "代码"}, "AW"),
    "marker 编码": ({"marker": "编码"}, "AW"),
    "three heading levels": ({"headings": "nbs", "final_use": NBS_FINAL_USE}, "BI"),
    "three levels, no marker": ({"headings": "nbs", "final_use": NBS_FINAL_USE, "marker": ""}, "BI"),
    "flat headings": ({"headings": "flat", "final_use": NBS_FINAL_USE, "marker": ""}, "BI"),
    "flat, GO only headed 总产出": ({"headings": "flat", "final_use": NBS_FINAL_USE, "go_code": ""}, "BI"),
    "flat, GO only headed 总产品": (
        {"headings": "flat", "final_use": NBS_FINAL_USE, "go_code": "", "go_heading": "总产品"},
        "BI",
    ),
    "three levels, GO only headed 总产出": ({"headings": "nbs", "final_use": NBS_FINAL_USE, "go_code": ""}, "BI"),
    "净流出 instead of EX, OF, IM, IF": ({"headings": "nbs", "final_use": NET_OUTFLOW}, "BF"),
    "flat with 净流出, no marker": ({"headings": "flat", "final_use": NET_OUTFLOW, "marker": ""}, "BF"),
    "no ERR column": ({"headings": "nbs", "final_use": NO_ERR}, "BH"),
    "region code in the title": ({"title": "50地区投入产出表(2023）"}, "AW"),
    "all at once": (
        {"title": "50地区投入产出表(2023）", "headings": "flat", "final_use": NET_OUTFLOW, "marker": "", "go_code": ""},
        "BF",
    ),
}


@pytest.mark.parametrize("layout", LAYOUTS_2023)
@pytest.mark.parametrize("suffix", [".xls", ".xlsx"])
def test_reads_2023_layouts(tmp_path: Path, layout: str, suffix: str) -> None:
    kwargs, go_column = LAYOUTS_2023[layout]
    rows = io_table_rows("2017", "重庆", year=2023, **kwargs)
    table = read(write_workbook(rows, tmp_path / "2023" / f"22-重庆{suffix}"))
    assert (table.province_code, table.year, table.vintage) == (500000, 2023, "2017")
    s = table.sectors.set_index("sector_key")
    assert s["value_added"].sum() == TOTAL_VA == 14_448
    assert s.loc["culture", "total_output"] == 4_100
    assert table.go_column == go_column  # GO is the table's last column: 3 + 42 + final-use columns
    assert (s["total_input"] == s["total_output"]).all()


def test_code_column_found_without_any_marker_or_heading(tmp_path: Path) -> None:
    rows = io_table_rows("2017", marker="")
    rows[6][2] = ""  # not even 代码 above the code column
    table = read(write_workbook(rows, tmp_path / "01-北京.xlsx"))
    assert table.sectors.iloc[19][["excel_row", "excel_column"]].tolist() == [28, "W"]  # sector 20: row 8 + 20
    assert table.code_rows == {"VA001": 52, "VA002": 53, "VA003": 54, "VA004": 55, "TVA": 56, "TI": 57}


def test_column_codes_printed_as_numbers(tmp_path: Path) -> None:
    rows = io_table_rows("2017")
    rows[7][3:45] = [float(i) for i in range(1, 43)]  # 1.0 .. 42.0 instead of '01' .. '42'
    assert read(write_workbook(rows, tmp_path / "01-北京.xls")).sectors["value_added"].sum() == TOTAL_VA


def test_table_found_on_a_later_sheet_after_a_code_list(tmp_path: Path) -> None:
    import openpyxl

    path = write_workbook(io_table_rows("2017"), tmp_path / "01-北京.xlsx", sheet="流量表")
    book = openpyxl.load_workbook(path)
    codes = book.create_sheet("部门对照", 0)  # a sheet of codes and names, as in the national files
    for i in range(1, 43):
        codes.append([f"{i:02d}", f"部门{i}"])
    book.save(path)
    assert read(path).sheet == "流量表"


def test_go_column_missing_when_neither_code_nor_heading(tmp_path: Path) -> None:
    rows = io_table_rows("2017", headings="flat", final_use=NBS_FINAL_USE, go_code="", go_heading="")
    with pytest.raises(InputError, match="column 'GO' \\(总产出\\) is missing") as caught:
        read(write_workbook(rows, tmp_path / "01-北京.xls"))
    assert "row 8" in str(caught.value)


@pytest.mark.parametrize(
    ("title", "name", "code"),
    [
        ("50地区投入产出表(2023）", "22-重庆.xlsx", 500000),
        ("50地区投入产出表(2023）", "table.xlsx", 500000),  # the title alone names it
        ("500000地区投入产出表（2023）", "table.xlsx", 500000),
        ("11市投入产出表(2023)", "01-北京.xlsx", 110000),
        ("65省投入产出表(2023)", "新疆2023.xlsx", 650000),
    ],
)
def test_region_code_in_the_title(tmp_path: Path, title: str, name: str, code: int) -> None:
    rows = io_table_rows("2017", year=2023, title=title)
    table = read(write_workbook(rows, tmp_path / "2023" / name))
    assert (table.province_code, table.year) == (code, 2023)


@pytest.mark.parametrize(
    ("title", "name", "message"),
    [
        (
            "50地区投入产出表(2023）",
            "23-四川.xlsx",
            "province in the title and in the file name disagree; expected '四川'",
        ),
        ("50地区投入产出表(2022）", "2023-重庆.xlsx", "year in the title and in the file path disagree"),
        ("66地区投入产出表(2023）", "table.xlsx", "cannot tell which province"),  # 66 is no province
    ],
)
def test_region_code_must_agree_with_the_file_name(tmp_path: Path, title: str, name: str, message: str) -> None:
    rows = io_table_rows("2017", year=2023, title=title)
    with pytest.raises(InputError, match=message):
        read(write_workbook(rows, tmp_path / name))


@pytest.mark.parametrize(("year", "vintage"), [(2017, "2017"), (2018, "2017"), (2020, "2017"), (2023, "2017")])
def test_years_without_a_vintage_of_their_own_use_the_latest_before(tmp_path: Path, year: int, vintage: str) -> None:
    table = read(write_workbook(io_table_rows("2017", year=year), tmp_path / f"北京{year}.xlsx"))
    assert (table.year, table.vintage) == (year, vintage)


def test_every_unknown_name_is_listed_with_its_cell_and_nearest_names(tmp_path: Path) -> None:
    rows = io_table_rows("2017", year=2023)
    rows[find(rows, "20")][1] = "通信设备、计算机与其他电子设备"
    rows[find(rows, "31")][1] = "信息传输、软件与信息技术服务"
    rows[find(rows, "41")][1] = "文化体育娱乐"
    path = write_workbook(rows, tmp_path / "01-北京.xlsx")
    with pytest.raises(InputError) as caught:
        read(path)
    message = str(caught.value)
    # sector i stands in row 8 + i: 28, 39 and 49
    assert message.startswith(f"{path}, sheet 'Sheet1', column B: 3 sector names not in the concordance: ")
    assert "B28 '通信设备、计算机与其他电子设备' (closest known names: 通信设备、计算机和其他电子设备)" in message
    assert "B39 '信息传输、软件与信息技术服务' (closest known names: 信息传输、软件和信息技术服务)" in message
    assert "B49 '文化体育娱乐' (closest known names: 文化、体育和娱乐)" in message
    assert message.endswith("expected sector names of the 2017 vintage")


def test_xlsx_saved_under_an_xls_name_is_read(tmp_path: Path) -> None:
    xlsx = write_workbook(io_table_rows("2017", year=2023), tmp_path / "book.xlsx")
    renamed = tmp_path / "2023" / "01-北京.xls"
    renamed.parent.mkdir()
    renamed.write_bytes(xlsx.read_bytes())
    assert read(renamed).sectors["value_added"].sum() == TOTAL_VA
