"""The estimator on the real data: benchmark years equal the tables, ratios equal the national tables.

The backtest figures are those of the README's first tables, measured with the original indicator
chains (工业增加值 for electronics, 其他行业增加值 for the services), pinned here as regression guards
(the code's own earlier output, not a figure of a source); the defaults now
choose chains by their measured error (tests/test_chains.py checks that choice on the real data).
The backtest has more designs than the three the first README table was computed on (2007 left out,
2012 left out, 2017 from 2002-2012); the figures of those designs are checked on those designs alone.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import digecon
from digecon.core.settings import Settings, settings_from_config

YEARS = range(2002, 2025)
LEAVE_ONE_OUT = ["2007 left out (from 2002, 2012)", "2012 left out (from 2007, 2017)"]
LAST_ROUND = "2017 from 2002-2012"
COMPONENTS = ("electronics", "it_services", "telecom", "media")


@pytest.fixture(scope="module")
def settings() -> Settings:
    # the defaults (2002-2024, four methods, two conventions) with the original chains
    original = {k: {"use": "industry" if k == "electronics" else "other_services"} for k in COMPONENTS}
    settings = settings_from_config({"indicators": {"chains": original}})
    assert settings.years == YEARS
    return settings


@pytest.fixture(scope="module")
def inputs(mirror: Path, settings: Settings) -> digecon.Inputs:
    return digecon.load_inputs(mirror, settings)


@pytest.fixture(scope="module")
def result(inputs: digecon.Inputs, settings: Settings) -> digecon.Result:
    return digecon.estimate(inputs, settings)


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
    assert (v["year"].min(), v["year"].max()) == (2002, 2024)
    assert len(v) == 31 * len(YEARS) * 4 * 5 * 2
    assert set(v["flag"]) == {"benchmark", "interpolated", "extrapolated"}
    assert v["coefficient"].between(0, 1).all()
    # 工业增加值 and 其他行业增加值 now reach 2024 in every province: nothing spliced after 2019 (but the C39
    # revenue that carries 新疆's borrowed electronics, tests/test_zeros.py)
    assert not v.loc[(v["year"] >= 2020) & (v["zero_benchmark"] != "borrowed"), "indicator_spliced"].any()


@pytest.mark.parametrize("method", ["hold", "linear", "spline", "chow_lin", "national"])
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


def test_fewer_years_methods_and_conventions_give_the_same_rows(
    inputs: digecon.Inputs, result: digecon.Result, settings: Settings
) -> None:
    """One method, one convention and three output years: the same numbers as the full run."""
    chains = settings.as_dict()["indicators"]["chains"]
    estimate = {"first_year": 2015, "last_year": 2017, "methods": ["linear"], "conventions": ["benchmark"]}
    estimate |= {"recommended_convention": "benchmark"}
    few = digecon.estimate(inputs, settings_from_config({"estimate": estimate, "indicators": {"chains": chains}}))
    beijing = few.values.query("province == '北京' and year == 2017 and component == 'electronics'")
    assert beijing["value_100m_yuan"].item() == pytest.approx(319.5, abs=0.05)
    full = result.values.query("method == 'linear' and convention == 'benchmark' and 2015 <= year <= 2017")
    # the chains' margins and win shares are measured under the recommended convention, here benchmark, there share
    choice = ["chain_margin_points", "chain_win_share", "chain_toss_up"]
    pd.testing.assert_frame_equal(
        few.values.drop(columns=choice).reset_index(drop=True),
        full.drop(columns=choice).reset_index(drop=True),
        check_categorical=False,
    )


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
    # 其他行业增加值 of the vintage after the 5th census: 分省年度数据.2019csv.csv, 北京市, column N
    row = at(result, "北京", 2019, "media", "linear", "share")
    assert (row["indicator_value_100m_yuan"], row["indicator_source"]) == (16379.0, "分省年度数据.2019csv.csv")
    later = at(result, "北京", 2024, "media", "linear", "share")
    assert not later["indicator_spliced"] and later["indicator_value_100m_yuan"] == 24515.4  # 分省年度数据2024.csv
    # 2015: the older vintage (地区生产总值.csv, 10222.0) linked onto the newer at 2019 (16379.0 / 16043.1)
    earlier = at(result, "北京", 2015, "media", "linear", "share")
    assert earlier["indicator_value_100m_yuan"] == pytest.approx(10222.0 * 16379.0 / 16043.1)


def test_the_national_path_carries_the_national_tables_movement(result: digecon.Result) -> None:
    c = result.national_coefficients.query("component == 'electronics' and convention == 'share'")
    # ionet_national_io/PROVENANCE.md: C39 VA 16,133.0 (2018) and 16,636.2 (2020) 亿元, the TVA row of sector 20
    by_year = c.drop_duplicates("year").set_index("year")
    assert by_year.loc[2018, "national_100m_yuan"] == pytest.approx(16_133.0, abs=0.05)
    assert by_year.loc[2020, "national_100m_yuan"] == pytest.approx(16_636.2, abs=0.05)
    assert by_year.loc[2018, "national_source"] == "china_2018_42.rda"
    assert by_year.loc[2012, "national_source"] == "0中国.xls"
    # 宁夏 has no C39 revenue: led by 工业增加值, its c_nat is the national electronics share of industry VA
    lead = c[c["leading_indicator"] == "工业增加值"].set_index("year")["national_coefficient"]
    assert set(c.loc[c["leading_indicator"] == "工业增加值", "denominator"]) == {"national industry VA"}
    # beyond the last table: the 2017 coefficient times c_nat(t) / c_nat(2017) of the province's group
    before, after = (at(result, "宁夏", y, "electronics", "national", "share") for y in (2017, 2020))
    assert after["coefficient"] == pytest.approx(before["coefficient"] * lead[2020] / lead[2017])
    assert after["national_years"] == "2020"


def test_backtest_covers_every_method_and_design(result: digecon.Result) -> None:
    bt = result.backtest
    assert set(bt["holdout_year"]) == {2007, 2012, 2017}
    assert set(bt["method"]) == {"hold", "linear", "spline", "chow_lin", "national"}
    assert set(bt["design_label"]) == {
        *LEAVE_ONE_OUT,
        "2007 from 2002",
        "2012 from 2002",
        "2012 from 2002-2007",
        "2017 from 2002",
        "2017 from 2002-2007",
        LAST_ROUND,
        "2017 from 2012",  # Tibet: tables of 2012 and 2017 only
    }
    # hold, linear and spline all keep the last coefficient used when extrapolating
    ex = bt[(bt["kind"] == "extrapolation") & (bt["component"] == "electronics") & (bt["convention"] == "share")]
    by_method = ex.pivot_table(index=["design_label", "province_code"], columns="method", values="estimate")
    assert (by_method["hold"] - by_method["linear"]).abs().max() < 1e-9
    assert (by_method["spline"] - by_method["linear"]).abs().max() < 1e-9


def errors_of(result: digecon.Result, designs: list[str]) -> pd.DataFrame:
    """Median and 80th-percentile APE of the share convention over the given designs, by component and method."""
    bt = result.backtest
    chosen = bt[bt["design_label"].isin(designs) & (bt["convention"] == "share")].dropna(subset=["ape"])
    grouped = chosen.groupby(["component", "method"])["ape"]
    return pd.DataFrame({"median": grouped.median(), "q80": grouped.quantile(0.8)})


# The README's interpolation errors (median, 80th percentile): the leave-one-out designs of 2007 and 2012.
INTERPOLATION = {
    "total": {"hold": (17.2, 28), "linear": (9.6, 21), "spline": (13.1, 19), "chow_lin": (13.5, 22)},
    "electronics": {"hold": (31.5, 81), "linear": (39.1, 76), "spline": (22.8, 72), "chow_lin": (42.7, 100)},
    "it_services": {"hold": (38.8, 50), "linear": (42.6, 63), "spline": (19.0, 32), "chow_lin": (57.5, 100)},
    "telecom": {"hold": (24.4, 45), "linear": (12.9, 26), "spline": (13.6, 23), "chow_lin": (18.0, 33)},
    "media": {"hold": (29.7, 57), "linear": (16.5, 37), "spline": (20.9, 45), "chow_lin": (17.0, 30)},
}


@pytest.mark.parametrize("component", INTERPOLATION)
def test_regression_guard_interpolation_errors_of_the_readme(result: digecon.Result, component: str) -> None:
    errors = errors_of(result, LEAVE_ONE_OUT)
    for method, (median, q80) in INTERPOLATION[component].items():
        assert errors.loc[(component, method), "median"] * 100 == pytest.approx(median, abs=0.051), method
        assert errors.loc[(component, method), "q80"] * 100 == pytest.approx(q80, abs=0.51), method
    summary = result.backtest_summary.query("convention == 'share' and kind == 'interpolation'")
    # the interpolation kind is exactly these two designs (Tibet has no interior benchmark)
    assert summary.set_index(["component", "method"])["median_ape"].loc[component].to_dict() == pytest.approx(
        errors.loc[component, "median"].to_dict()
    )


def test_regression_guard_last_round_extrapolation_errors_of_the_original_chains(result: digecon.Result) -> None:
    """2017 from 2002-2012, the 30 provinces with tables of 2002, 2007 and 2012 (the code's own output).

    IT services and telecom follow the national split after 2012 as the values do; both then miss by the
    information sector's error.
    """
    errors = errors_of(result, [LAST_ROUND])
    for method in ("hold", "linear", "spline"):
        assert errors.loc[("total", method), "median"] * 100 == pytest.approx(12.2, abs=0.051)
        assert errors.loc[("total", method), "q80"] * 100 == pytest.approx(21.6, abs=0.051)
        assert errors.loc[("electronics", method), "median"] * 100 == pytest.approx(34.1, abs=0.051)
        assert errors.loc[("electronics", method), "q80"] * 100 == pytest.approx(64, abs=0.51)
        assert errors.loc[("it_services", method), "median"] * 100 == pytest.approx(12.2, abs=0.051)
        assert errors.loc[("it_services", method), "q80"] * 100 == pytest.approx(21, abs=0.51)
        assert errors.loc[("telecom", method), "median"] * 100 == pytest.approx(12.2, abs=0.051)
    assert errors.loc[("total", "chow_lin"), "median"] * 100 == pytest.approx(11.8, abs=0.051)
    assert errors.loc[("total", "chow_lin"), "q80"] * 100 == pytest.approx(21, abs=0.51)
    assert errors.loc[("electronics", "chow_lin"), "median"] * 100 == pytest.approx(33.9, abs=0.051)
    assert errors.loc[("telecom", "chow_lin"), "median"] * 100 == pytest.approx(14.9, abs=0.051)
    by_design = result.backtest_by_design.query(
        "convention == 'share' and component == 'total' and design_label == @LAST_ROUND"
    ).set_index("method")
    assert by_design["median_ape"].to_dict() == pytest.approx(errors.loc["total", "median"].to_dict())
    assert set(by_design["n"]) == {30}
