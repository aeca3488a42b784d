"""Reading every kind of input into the estimator's tables, on small files with answers known by hand."""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd
import pytest
import rdata

from digecon.core.settings import IOTableSettings
from digecon.estimation.indicators import revision_rows
from digecon.inputs.registry import SeriesFile
from digecon.inputs.sources import YEARBOOK_COLUMNS, prepare_yearbook, read_io_tables, read_ratios
from tests.tables import TOTAL_VA, io_table_rows, write_workbook

NBS_HEADER = "省份编码,省份,年份,地区生产总值(亿元),工业增加值(亿元)\n"
USER_HEADER = "province,year,indicator,value,unit,source\n"
NO_GDP = pd.DataFrame(columns=["province_code", "year", "series", "value_100m_yuan", "source"])


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def value(yearbook: pd.DataFrame, code: int, year: int, indicator: str) -> pd.Series:
    [row] = yearbook[
        (yearbook["province_code"] == code) & (yearbook["year"] == year) & (yearbook["indicator"] == indicator)
    ].to_dict("records")
    return pd.Series(row)


def test_user_indicator_replaces_a_built_in_value(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    scrape = write(
        tmp_path / "scrape.csv", NBS_HEADER + "110000,北京市,2019,35445.1,4243.3\n120000,天津市,2019,14104.3,\n"
    )
    # a later file of the same vintage: its 2019 Beijing GDP loses to the scrape's, its 2020 value is added
    later = write(tmp_path / "later.csv", NBS_HEADER + "110000,北京市,2019,35371.3,\n110000,北京市,2020,36102.6,\n")
    mine = write(
        tmp_path / "mine.csv",
        USER_HEADER + "北京,2019,工业增加值,50000000,万元,my survey\nBeijing,2019,其他行业增加值,1000,亿元,\n",
    )
    files = [SeriesFile(str(p), "nbs_annual_csv", "d", "old") for p in (scrape, later)]
    with caplog.at_level(logging.WARNING, logger="digecon"):
        prepared = prepare_yearbook(files, [mine])
    yearbook = prepared.table
    assert list(yearbook.columns) == YEARBOOK_COLUMNS
    replaced = value(yearbook, 110000, 2019, "工业增加值")
    assert (replaced["value"], replaced["unit"], replaced["source"]) == (5000.0, "亿元", "my survey")  # 5e7 万元
    assert (replaced["source_unit"], replaced["source_row"], replaced["source_column"]) == ("万元", 2, "D")
    assert (replaced["vintage"], replaced["link_factor"]) == ("user", 1.0)
    added = value(yearbook, 110000, 2019, "其他行业增加值")
    assert (added["value"], added["source"]) == (1000.0, "mine.csv")  # no source given: the file name
    gdp = value(yearbook, 110000, 2019, "地区生产总值")
    assert (gdp["value"], gdp["source"], gdp["source_row"], gdp["source_column"]) == (35445.1, "scrape.csv", 2, "D")
    assert value(yearbook, 110000, 2020, "地区生产总值")["source"] == "later.csv"
    assert value(yearbook, 120000, 2019, "地区生产总值")["value"] == 14104.3
    assert len(yearbook) == 5  # Beijing 2019 x 3, Beijing 2020, Tianjin 2019; Tianjin's empty 工业增加值 is dropped
    assert "1 built-in yearbook values replaced by the user's indicators" in caplog.text
    [check] = prepared.checks.to_dict("records")  # the two files of one vintage disagree on Beijing 2019
    assert (check["value"], check["other_value"], check["comparison"]) == (35445.1, 35371.3, "same vintage")
    assert check["should_agree"] and not check["agrees"]


def test_an_older_vintage_is_linked_by_its_growth(tmp_path: Path) -> None:
    # the new vintage has 2019-2020; the old one 2018-2019: 2018 = 33000 x (37767.0 / 35445.1), the old
    # level put on the new one in 2019, the latest year both have
    new = write(tmp_path / "new.csv", NBS_HEADER + "110000,北京市,2019,37767.0,\n110000,北京市,2020,38503.6,\n")
    old = write(tmp_path / "old.csv", NBS_HEADER + "110000,北京市,2018,33000.0,\n110000,北京市,2019,35445.1,\n")
    files = [SeriesFile(str(new), "nbs_annual_csv", "n", "new"), SeriesFile(str(old), "nbs_annual_csv", "o", "old")]
    prepared = prepare_yearbook(files)
    linked = value(prepared.table, 110000, 2018, "地区生产总值")
    assert linked["value"] == pytest.approx(33000.0 * 37767.0 / 35445.1)
    assert (linked["value_published"], linked["link_year"], linked["vintage"]) == (33000.0, 2019, "old")
    assert linked["link_factor"] == pytest.approx(37767.0 / 35445.1)
    assert value(prepared.table, 110000, 2019, "地区生产总值")["link_factor"] == 1.0
    [check] = prepared.checks.to_dict("records")
    assert check["comparison"] == "another vintage, revised by a census" and not check["should_agree"]
    [revision] = revision_rows(prepared.table).to_dict("records")
    assert revision["year"] == 2019 and "linked by their growth onto the newer vintage at 2019" in revision["message"]


def test_no_built_in_series_only_the_users(tmp_path: Path) -> None:
    mine = write(tmp_path / "mine.csv", USER_HEADER + "上海,2021,地区生产总值,43214.9,亿元,统计公报\n")
    yearbook = prepare_yearbook([], [mine]).table
    assert yearbook[["province_code", "year", "value", "source"]].values.tolist() == [
        [310000, 2021, 43214.9, "统计公报"]
    ]


def detailed_table(path: Path, sectors: dict[str, float]) -> Path:
    """An ionet-style .rda table: one row per sector plus TVA, a column per sector code."""
    codes = [f"S{i:03d}" for i in range(len(sectors))]
    # object columns: rdata cannot write the Arrow-backed strings pandas infers when pyarrow is installed
    labels = {"Code": [*codes, "TVA"], "DescriptionInChinese": [*sectors, "增加值合计"]}
    table = pd.DataFrame({k: pd.Series(v, dtype=object) for k, v in labels.items()})
    for code, va in zip(codes, sectors.values(), strict=True):
        table[code] = [0.0] * len(codes) + [va]
    rdata.write_rda(str(path), {path.stem: table})
    return path


# 2007: telecom 60 of information 100; culture 100, of which news 20 and broadcasting 30
TABLE_2007 = {
    "电信和其他信息传输服务业": 60.0,
    "计算机服务业": 25.0,
    "软件业": 15.0,
    "新闻出版业": 20.0,
    "广播、电视、电影和音像业": 30.0,
    "文化艺术业": 10.0,
    "体育": 15.0,
    "娱乐业": 25.0,
}
# 2012: telecom 30 of information 100; culture 200, of which news 40 and broadcasting 80
TABLE_2012 = {
    "电信和其他信息传输服务": 30.0,
    "软件和信息技术服务": 70.0,
    "新闻和出版": 40.0,
    "广播、电视、电影和影视录音制作": 80.0,
    "文化艺术": 20.0,
    "体育": 30.0,
    "娱乐": 30.0,
}


def test_ratios_come_from_the_nearest_detailed_table(tmp_path: Path) -> None:
    tables = {
        2007: detailed_table(tmp_path / "china_2007_135.rda", TABLE_2007),
        2012: detailed_table(tmp_path / "china_2012_139.rda", TABLE_2012),
        2020: tmp_path / "china_2020_153.rda",  # nearest to no IO year: never opened (the file does not exist)
    }
    io_tables = pd.DataFrame({"province_code": [110000, 110000, 120000], "year": [2002, 2012, 2012]})
    ratios = read_ratios(io_tables, tables, None, news_publishing_share=0.5)
    r = ratios.set_index(["io_year", "province_code", "ratio"])
    assert len(ratios) == 2 * 2 * 2  # every IO year x province x ratio
    # 2002 uses 2007's table, the nearest with the split: s_I63 = 60 / 100, r_media = (30 + 0.5 x 20) / 100
    assert r.loc[(2002, 120000, "s_I63"), "value"] == pytest.approx(0.6)
    assert r.loc[(2002, 110000, "r_media"), "value"] == pytest.approx(0.4)
    assert r.loc[(2002, 110000, "r_media"), "ratio_source"] == (
        "national detailed IO table 2007 (china_2007_135.rda); nearest table with the split for 2002"
    )
    # 2012 its own: s_I63 = 30 / 100, r_media = (80 + 0.5 x 40) / 200
    assert r.loc[(2012, 110000, "s_I63"), "value"] == pytest.approx(0.3)
    assert r.loc[(2012, 120000, "r_media"), "value"] == pytest.approx(0.5)
    assert r.loc[(2012, 120000, "r_media"), "ratio_source"] == "national detailed IO table 2012 (china_2012_139.rda)"


def test_census_ratios_win_over_the_detailed_tables(tmp_path: Path) -> None:
    tables = {2012: detailed_table(tmp_path / "china_2012_139.rda", TABLE_2012)}
    census = write(tmp_path / "census.csv", "census_year,province,ratio,value,source\n2013,全国,s_I63,0.55,经济普查\n")
    io_tables = pd.DataFrame({"province_code": [110000], "year": [2012]})
    r = read_ratios(io_tables, tables, census, news_publishing_share=1.0).set_index("ratio")
    assert r.loc["s_I63", "value"] == 0.55
    assert r.loc["s_I63", "ratio_source"] == "national census 2013 (经济普查); no provincial ratio"
    assert r.loc["r_media", "value"] == pytest.approx((80 + 40) / 200)  # no census r_media: the table


@pytest.mark.parametrize(("include_national", "codes"), [(True, [0, 110000]), (False, [110000])])
def test_national_tables_are_dropped_unless_included(tmp_path: Path, include_national: bool, codes: list[int]) -> None:
    beijing = write_workbook(io_table_rows("2017"), tmp_path / "01-北京.xls")
    nation = write_workbook(io_table_rows("2017", "全国"), tmp_path / "0全国.xls")
    io, checks = read_io_tables([beijing, nation], NO_GDP, IOTableSettings(include_national=include_national))
    assert sorted(io["province_code"].unique()) == codes
    assert sorted(checks["province_code"].unique()) == codes
    assert io.groupby("province_code")["value_added"].sum().tolist() == [TOTAL_VA] * len(codes)
