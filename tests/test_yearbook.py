"""NBS provincial annual series readers: harmonised names, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from digecon.core.errors import InputError
from digecon.inputs.yearbook import (
    C39_REVENUE,
    read_first_published_gdp,
    read_nbs_annual_csv,
    read_wind_industry_revenue,
)

HEADER = "省份编码,省份,年份,地区生产总值(亿元),工业增加值(亿元)\n"


def test_reads_long_with_units(tmp_path: Path) -> None:
    path = tmp_path / "gdp.csv"
    path.write_text(HEADER + "110000,北京市,2019,35445.1,4243.3\n150000,内蒙古自治区,2019,17212.5,\n", encoding="utf-8")
    frame = read_nbs_annual_csv(path)
    assert set(frame["indicator"]) == {"地区生产总值", "工业增加值"}
    assert (frame["unit"] == "亿元").all()
    assert len(frame) == 3  # the empty cell (not available) is dropped
    assert frame.query("province_code == 150000 and indicator == '地区生产总值'")["value"].item() == 17212.5


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("110000,北平市,2019,1,1\n", "row 2: unknown province name.*'北平市'"),
        ("110000,北京市,2019,1,1\n110000,北京,2019,2,2\n", "row 3: duplicate province-year"),
        ("120000,北京市,2019,1,1\n", "province code and name disagree"),
    ],
)
def test_bad_rows_named(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "gdp.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        read_nbs_annual_csv(path)


def test_real_series_vintages(mirror: Path) -> None:
    revised = read_nbs_annual_csv(
        mirror / "nbs_province_annual_scrape_2021/源数据/国家统计局分省年度数据/国民经济核算/地区生产总值.csv"
    )
    first = read_first_published_gdp(
        mirror / "provincial_gdp_series/RenJiyi163_panel_data_analysis_for_thesis/分省年度数据_整合.csv"
    )
    gdp = revised[revised["indicator"] == "地区生产总值"].set_index(["province_code", "year"])["value"]
    assert gdp[(110000, 2017)] == 29883.0  # NBS revised vintage (PROVENANCE: Beijing 2017 = 29,883.0)
    assert gdp.xs(2017, level="year").sum() == pytest.approx(832096.4, abs=0.5)
    first_gdp = first.set_index(["province_code", "year"])["value"]
    assert first_gdp[(110000, 2017)] == 28014.94 and first_gdp[(320000, 2012)] == 54058.22


def write_wind(path: Path, rows: list[list[object]]) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def test_wind_c39_revenue_in_100m_yuan(tmp_path: Path) -> None:
    path = write_wind(
        tmp_path / "广东.xlsx",
        [
            ["指标名称", "广东:主营业务收入:合计", "广东:主营业务收入:通信设备、计算机及其他电子设备制造业"],
            ["2005-12-31", 347815800, 95000000],
            ["2006-12-31", 435508700, "***"],
            ["2007-12-31", 539279400, 123456789],
        ],
    )
    frame = read_wind_industry_revenue(path)
    assert frame["province_code"].unique().tolist() == [440000]
    assert frame["year"].tolist() == [2005, 2007]  # *** is not available
    assert frame["value"].tolist() == pytest.approx([9500.0, 12345.6789])  # 万元 -> 亿元
    assert set(frame["indicator"]) == {C39_REVENUE}


def test_wind_export_without_c39_and_bad_cells(tmp_path: Path) -> None:
    none = write_wind(tmp_path / "宁夏.xlsx", [["指标名称", "宁夏:主营业务收入:合计"], ["2006-12-31", 8417698]])
    assert read_wind_industry_revenue(none).empty
    bad = write_wind(tmp_path / "北京.xlsx", [["指标名称", "计算机、通信和其他电子设备制造业"], ["2016", "缺"]])
    with pytest.raises(InputError, match=r"北京.xlsx, sheet 'Sheet', cell B2: value is not a number"):
        read_wind_industry_revenue(bad)
    with pytest.raises(InputError, match="the file name is not a province"):
        read_wind_industry_revenue(write_wind(tmp_path / "总表.xlsx", [["指标名称"]]))


def test_real_wind_c39_revenue(mirror: Path) -> None:
    folder = mirror / "wind_provincial_industry_revenue/data-raw/主营业务收入"
    guangdong = read_wind_industry_revenue(folder / "广东.xls").set_index("year")["value"]
    beijing = read_wind_industry_revenue(folder / "北京.xlsx").set_index("year")["value"]
    assert guangdong[2016] == pytest.approx(33121.04, abs=0.01)  # 331,210,400 万元 in the export
    assert 2016 in beijing.index and beijing.index.is_monotonic_increasing
