"""NBS provincial annual series readers: harmonised names, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from digecon.core.errors import InputError
from digecon.inputs.yearbook import read_first_published_gdp, read_nbs_annual_csv

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
