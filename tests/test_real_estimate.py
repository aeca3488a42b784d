"""The estimator on the real data: benchmark years equal the tables, ratios equal the national tables."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import digecon

YEARS = range(2002, 2024)


@pytest.fixture(scope="module")
def inputs(mirror: Path) -> digecon.Inputs:
    return digecon.load_inputs(mirror)


@pytest.fixture(scope="module")
def result(inputs: digecon.Inputs) -> digecon.Result:
    return digecon.estimate(inputs.io_tables, inputs.yearbook, inputs.ratios, years=YEARS)


def at(result: digecon.Result, province: str, year: int, component: str, method: str, convention: str) -> pd.Series:
    v = result.values
    row = v[
        (v["province"] == province)
        & (v["year"] == year)
        & (v["component"] == component)
        & (v["method"] == method)
        & (v["convention"] == convention)
    ]
    assert len(row) == 1
    return row.iloc[0]


def test_coverage(result: digecon.Result) -> None:
    v = result.values
    assert v["province_code"].nunique() == 31
    assert (v["year"].min(), v["year"].max()) == (2002, 2023)
    assert len(v) == 31 * len(YEARS) * 4 * 4 * 2
    assert set(v["flag"]) == {"benchmark", "interpolated", "extrapolated"}
    assert v["coefficient"].between(0, 1).all()
    assert v.loc[v["year"] >= 2020, "indicator_spliced"].groupby(v["component"]).any().loc["media"]


@pytest.mark.parametrize("method", ["hold", "linear", "spline", "chow_lin"])
@pytest.mark.parametrize(
    ("province", "year", "component", "expected"),
    [
        ("北京", 2017, "electronics", 319.5),  # table 01-北京.xls, sector 20 TVA
        ("广东", 2007, "electronics", 2497.7),
        ("江苏", 2012, "electronics", 3616.8),
    ],
)
def test_benchmark_convention_reproduces_the_tables(result, method, province, year, component, expected) -> None:
    row = at(result, province, year, component, method, "benchmark")
    assert row["value_100m_yuan"] == pytest.approx(expected, abs=0.05)
    assert row["flag"] == "benchmark"


def test_information_and_culture_split_by_the_national_ratios(result: digecon.Result) -> None:
    it, telecom = (
        at(result, "北京", 2017, c, "linear", "benchmark")["value_100m_yuan"] for c in ("it_services", "telecom")
    )
    assert it + telecom == pytest.approx(3094.4, abs=0.05)  # information sector, 2017 Beijing table
    assert telecom / (it + telecom) == pytest.approx(9663.0 / 29529.1, abs=1e-3)  # 2017 national: 电信 + 广播电视卫星
    media = at(result, "湖南", 2017, "media", "linear", "benchmark")
    assert media["value_100m_yuan"] == pytest.approx(925.8 * (713.3 + 1806.9) / 7096.5, rel=1e-3)
    assert "china_2017_149.rda" in media["ratio_source"]


@pytest.mark.parametrize(("io_year", "expected"), [(2002, 0.503), (2007, 0.503), (2012, 0.443), (2017, 0.355)])
def test_media_ratio_from_the_detailed_tables(inputs: digecon.Inputs, io_year: int, expected: float) -> None:
    # (新闻出版 + 广播电视电影) / 文化体育娱乐 of the national detailed tables; 2002 uses 2007's
    r = inputs.ratios
    values = r[(r["io_year"] == io_year) & (r["ratio"] == "r_media")]["value"]
    assert values.round(3).unique().tolist() == [expected]


def test_share_convention_coefficient_is_the_table_share(inputs: digecon.Inputs, result: digecon.Result) -> None:
    io = inputs.io_tables.query("province == '广东' and year == 2017")
    share = (
        io.loc[io["sector_key"] == "electronics", "value_added"].sum()
        / io.loc[io["industry"] == 1, "value_added"].sum()
    )
    row = at(result, "广东", 2017, "electronics", "hold", "share")
    assert row["coefficient"] == pytest.approx(share)
    assert row["value_100m_yuan"] == pytest.approx(share * row["indicator_value_100m_yuan"])


def test_indicator_from_the_yearbook(result: digecon.Result) -> None:
    row = at(result, "北京", 2019, "media", "linear", "share")
    assert row["indicator_value_100m_yuan"] == 16043.1  # 其他行业增加值, 地区生产总值.csv
    later = at(result, "北京", 2021, "media", "linear", "share")
    assert later["indicator_spliced"] and "spliced: 第三产业增加值" in later["indicator"]


def test_backtest_covers_every_method_and_holdout(result: digecon.Result) -> None:
    bt = result.backtest
    assert set(bt["holdout_year"]) == {2007, 2012, 2017}
    assert set(bt["method"]) == {"hold", "linear", "spline", "chow_lin"}
    # hold, linear and spline all keep the 2012 coefficient when extrapolating to 2017
    ex = bt[(bt["holdout_year"] == 2017) & (bt["component"] == "electronics") & (bt["convention"] == "share")]
    by_method = ex.pivot_table(index="province_code", columns="method", values="estimate")
    assert (by_method["hold"] - by_method["linear"]).abs().max() < 1e-9
