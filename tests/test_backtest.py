"""Backtest designs derived from the benchmark years, and the backtest on the toy economy by hand."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import digecon
from digecon.estimation.backtest import BACKTEST_COLUMNS, DESIGN_COLUMNS, backtest, backtest_years, designs
from digecon.estimation.bands import band_coverage
from tests.test_estimate import toy_chains

FOUR = [2002, 2007, 2012, 2017]


def rows(frame: pd.DataFrame) -> list[tuple]:
    """Design rows as (label, design, kind, holdout, used, distance) tuples."""
    columns = ["design_label", "design", "kind", "holdout_year", "benchmarks_used", "distance_years"]
    return list(frame[columns].itertuples(index=False, name=None))


def test_designs_of_four_benchmarks_by_hand() -> None:
    plan = designs({110000: FOUR})
    assert list(plan.columns) == DESIGN_COLUMNS
    assert rows(plan) == [
        ("2007 left out (from 2002, 2012)", "leave_one_out", "interpolation", 2007, "2002,2012,2017", 5),
        ("2012 left out (from 2007, 2017)", "leave_one_out", "interpolation", 2012, "2002,2007,2017", 5),
        ("2007 from 2002", "extrapolation", "extrapolation", 2007, "2002", 5),
        ("2012 from 2002-2007", "extrapolation", "extrapolation", 2012, "2002,2007", 5),
        ("2012 from 2002", "extrapolation", "extrapolation", 2012, "2002", 10),
        ("2017 from 2002-2012", "extrapolation", "extrapolation", 2017, "2002,2007,2012", 5),
        ("2017 from 2002-2007", "extrapolation", "extrapolation", 2017, "2002,2007", 10),
        ("2017 from 2002", "extrapolation", "extrapolation", 2017, "2002", 15),
    ]


def test_designs_of_two_benchmarks_and_of_one() -> None:
    plan = designs({540000: [2017, 2012], 999999: [2012]})  # any order; one benchmark gives no design
    assert rows(plan) == [("2017 from 2012", "extrapolation", "extrapolation", 2017, "2012", 5)]
    assert plan["province_code"].tolist() == [540000]


def test_a_sixth_benchmark_year_needs_no_code_change() -> None:
    six = [2002, 2007, 2012, 2017, 2020, 2022]
    plan = designs({110000: six, 540000: [2012, 2017]})
    mine = plan[plan["province_code"] == 110000]
    assert (mine["design"] == "leave_one_out").sum() == 4  # every interior benchmark
    assert (mine["design"] == "extrapolation").sum() == 1 + 2 + 3 + 4 + 5  # b_k from b_0..b_j, j < k
    labelled = mine.set_index("design_label")
    assert labelled.loc["2020 left out (from 2017, 2022)", "benchmarks_used"] == "2002,2007,2012,2017,2022"
    assert labelled.loc["2020 left out (from 2017, 2022)", "distance_years"] == 2
    assert labelled.loc["2022 from 2002-2020", "distance_years"] == 2
    assert labelled.loc["2022 from 2002-2017", "distance_years"] == 5
    assert labelled.loc["2022 from 2002", "distance_years"] == 20
    # the two-benchmark province shares a label with the six-benchmark one: they are pooled together
    assert set(plan.loc[plan["province_code"] == 540000, "design_label"]) == {"2017 from 2012"}


def toy_inputs() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Benchmarks and indicators of the toy economy (province 110000, benchmarks 2002 / 2007 / 2012)."""
    return toy_chains()


def test_backtest_of_the_toy_economy_by_hand() -> None:
    benchmarks, indicators = toy_inputs()
    result = backtest(benchmarks, indicators, ["hold", "linear"], ["share"])
    assert list(result.columns) == BACKTEST_COLUMNS
    ape = result.set_index(["design_label", "component", "method"])["ape"]
    # electronics' share of industry: 0.1, 0.125, 0.15 in 2002, 2007, 2012
    assert ape[("2007 left out (from 2002, 2012)", "electronics", "hold")] == pytest.approx(0.2)  # 0.1 vs 0.125
    assert ape[("2007 left out (from 2002, 2012)", "electronics", "linear")] == pytest.approx(0.0)  # the midpoint
    assert ape[("2012 from 2002-2007", "electronics", "hold")] == pytest.approx(1 / 6)  # 0.125 vs 0.15
    assert ape[("2012 from 2002-2007", "electronics", "linear")] == pytest.approx(1 / 6)  # held beyond
    assert ape[("2012 from 2002", "electronics", "hold")] == pytest.approx(1 / 3)  # 0.1 vs 0.15
    # total, with industry = 2 x other services: 0.2 + 0.12 = 0.32 against 0.25 + 0.11875 = 0.36875
    assert ape[("2007 left out (from 2002, 2012)", "total", "hold")] == pytest.approx(0.04875 / 0.36875)
    distance = result.drop_duplicates("design_label").set_index("design_label")["distance_years"]
    assert distance.to_dict() == {
        "2007 left out (from 2002, 2012)": 5,
        "2007 from 2002": 5,
        "2012 from 2002-2007": 5,
        "2012 from 2002": 10,
    }
    kinds = result.groupby("design")["kind"].unique().map(list).to_dict()
    assert kinds == {"leave_one_out": ["interpolation"], "extrapolation": ["extrapolation"]}


def test_backtest_follows_a_fake_extra_benchmark_year() -> None:
    benchmarks, indicators = toy_inputs()
    fake = benchmarks[benchmarks["year"] == 2012].assign(year=2010)  # a table nobody published
    extended = pd.concat([benchmarks, fake], ignore_index=True)
    result = backtest(extended, indicators, ["hold", "chow_lin"], ["share"])
    expected = designs({110000: [2002, 2007, 2010, 2012]})
    assert list(result["design_label"].unique()) == list(expected["design_label"])
    assert "2010 left out (from 2007, 2012)" in set(result["design_label"])
    assert result.loc[result["design_label"] == "2012 from 2002-2010", "distance_years"].eq(2).all()


def test_a_province_with_two_benchmarks_gets_one_design() -> None:
    benchmarks, indicators = toy_inputs()
    other = benchmarks[benchmarks["year"] != 2002].assign(province_code=540000)
    both = pd.concat([benchmarks, other], ignore_index=True)
    indicators = pd.concat([indicators, indicators.assign(province_code=540000)], ignore_index=True)
    result = backtest(both, indicators, ["chow_lin"], ["share"])
    assert set(result.loc[result["province_code"] == 540000, "design_label"]) == {"2012 from 2007"}
    assert result.loc[result["province_code"] == 110000, "design_label"].nunique() == 4


def test_backtest_uses_only_the_years_the_benchmarks_span() -> None:
    benchmarks, indicators = toy_inputs()
    assert backtest_years(benchmarks) == list(range(2002, 2013))
    base = backtest(benchmarks, indicators, ["linear", "chow_lin"], ["share", "benchmark"])
    later = indicators[indicators["year"] == 2012].assign(year=2013, indicator_100m_yuan=1.0)
    wider = backtest(benchmarks, pd.concat([indicators, later]), ["linear", "chow_lin"], ["share", "benchmark"])
    pd.testing.assert_frame_equal(base, wider)
    with pytest.raises(ValueError, match=r"no indicator electronics for province 110000 in \[2005\]"):
        backtest(benchmarks, indicators[indicators["year"] != 2005], ["hold"], ["share"])


def test_a_single_benchmark_leaves_nothing_to_backtest() -> None:
    benchmarks, indicators = toy_inputs()
    result = backtest(benchmarks[benchmarks["year"] == 2007], indicators, ["hold"], ["share"])
    assert result.empty and list(result.columns) == BACKTEST_COLUMNS


def test_unknown_method_is_refused_by_the_registry() -> None:
    benchmarks, indicators = toy_inputs()
    with pytest.raises(ValueError, match="unknown method 'denton'"):
        backtest(benchmarks, indicators, ["denton"], ["share"])


@pytest.fixture(scope="module")
def real_benchmark_years(mirror: Path) -> dict[int, list[int]]:
    tables = digecon.load_inputs(mirror).io_tables
    provincial = tables[tables["province_code"] != 0]
    return {
        int(c): sorted(int(y) for y in ys) for c, ys in provincial.groupby("province_code")["year"].unique().items()
    }


def test_real_designs(real_benchmark_years: dict[int, list[int]]) -> None:
    plan = designs(real_benchmark_years)
    assert len(real_benchmark_years) == 31
    # Tibet (540000) has only the 2012 and 2017 tables
    assert rows(plan[plan["province_code"] == 540000]) == [
        ("2017 from 2012", "extrapolation", "extrapolation", 2017, "2012", 5)
    ]
    per_province = plan[plan["province_code"] != 540000].groupby("province_code").size()
    assert len(per_province) == 30 and (per_province == 8).all()
    assert plan["design_label"].nunique() == 9


def test_nested_band_coverage_of_the_toy_economy_by_hand() -> None:
    benchmarks, indicators = toy_inputs()
    result = backtest(benchmarks, indicators, ["hold"], ["share"])
    coverage = band_coverage(result).query("component == 'electronics'").set_index("design_label")
    # band errors |estimate - actual| / estimate of electronics' share (0.1, 0.125, 0.15 of industry):
    # 2007 from 2002: 0.025 / 0.1 = 0.25; 2012 from 2002-2007: 0.025 / 0.125 = 0.2; 2012 from 2002: 0.5
    nested = coverage["half_width_nested"]
    assert nested["2007 from 2002"] == pytest.approx(0.2)  # the other design at 5 years
    assert nested["2012 from 2002-2007"] == pytest.approx(0.25)
    # without the only design at 10 years: q80 of 0.25 and 0.2 = 0.24 at 5, grown linearly to 10
    assert nested["2012 from 2002"] == pytest.approx(0.48)
    assert coverage.loc["2012 from 2002", "band_from"] == "fitted beyond measured"
    assert coverage["coverage_nested"].drop("2007 left out (from 2002, 2012)").to_dict() == {
        "2007 from 2002": 0.0,
        "2012 from 2002-2007": 1.0,
        "2012 from 2002": 0.0,
    }
    # the only interpolation design: no other design to build its band from
    assert coverage.loc["2007 left out (from 2002, 2012)", "band_from"] == "no band"
    assert set(coverage["n"]) == {1}


def toy_national(electronics: dict[int, float]) -> pd.DataFrame:
    """National coefficients of the toy economy's series: electronics' as given, the others' flat (0.2)."""
    _, indicators = toy_inputs()
    leads = indicators.drop_duplicates("component")[["component", "leading_indicator"]]
    rows = [
        (r.component, r.leading_indicator, convention, year, electronics[year] if r.component == "electronics" else 0.2)
        for r in leads.itertuples()
        for convention in ("share", "benchmark")
        for year in sorted(electronics)
    ]
    return pd.DataFrame(rows, columns=["component", "leading_indicator", "convention", "year", "national_coefficient"])


def test_each_design_moves_its_benchmark_by_the_national_movement_to_its_held_out_year() -> None:
    benchmarks, indicators = toy_inputs()
    # electronics' share: 0.1, 0.125, 0.15 in 2002, 2007, 2012; nationally 0.05, 0.06 in 2002, 2012 (0.055 in 2007)
    national = toy_national({2002: 0.05, 2012: 0.06})
    result = backtest(benchmarks, indicators, ["linear", "national"], ["share"], national=national)
    c = result[result["component"] == "electronics"].set_index(["design_label", "method"])["estimate_coefficient"]
    assert c[("2012 from 2002", "national")] == pytest.approx(0.1 * 0.06 / 0.05)  # 2002's share x c_nat 2012 / 2002
    assert c[("2012 from 2002-2007", "national")] == pytest.approx(0.125 * 0.06 / 0.055)
    # left out: between the tables the path is linear, the mean of 0.1 and 0.15
    assert c[("2007 left out (from 2002, 2012)", "national")] == pytest.approx(0.125)
    assert c[("2012 from 2002", "linear")] == pytest.approx(0.1)  # the other methods ignore it
    # a flat national coefficient makes the national path the linear one
    others = result[result["component"] == "telecom"].pivot_table(
        index="design_label", columns="method", values="estimate_coefficient", observed=True
    )
    assert others["national"].to_numpy() == pytest.approx(others["linear"].to_numpy())


def test_the_national_method_without_national_coefficients_says_what_to_do() -> None:
    benchmarks, indicators = toy_inputs()
    with pytest.raises(ValueError, match=r"remove 'national' from estimate.methods or add a national table"):
        backtest(benchmarks, indicators, ["national"], ["share"])


def test_extrapolated_service_estimates_follow_the_national_split_as_the_values_do() -> None:
    """The toy's own split: telecom 0.4 of information, media 0.5 of culture, in every table.

    Nationally s_I63 falls from 0.5 (2007) to 0.4 (2012) and r_media from 0.5 to 0.45. Held out 2012
    from 2002-2007, telecom's estimate is scaled by 0.4 / 0.5, IT services' by (1 - 0.4 x 0.8) / 0.6,
    media's by 0.45 / 0.5; left out between tables (2007) nothing moves; nor does the national path.
    """
    from digecon.estimation.ratio_paths import ratio_by_year

    benchmarks, indicators = toy_inputs()
    tables = pd.DataFrame(
        {
            "table_year": [2007, 2012, 2007, 2012],
            "ratio": ["s_I63", "s_I63", "r_media", "r_media"],
            "value": [0.5, 0.4, 0.5, 0.45],
            "source": ["t07", "t12", "t07", "t12"],
        }
    )
    split = ratio_by_year(tables, range(2002, 2013))
    held = backtest(benchmarks, indicators, ["linear"], ["share"], totals=False)
    moved = backtest(benchmarks, indicators, ["linear"], ["share"], totals=False, split=split)
    key = ["design_label", "component"]
    ratio = (moved.set_index(key)["estimate"] / held.set_index(key)["estimate"]).to_dict()
    assert ratio[("2012 from 2002-2007", "telecom")] == pytest.approx(0.8)
    assert ratio[("2012 from 2002-2007", "it_services")] == pytest.approx((1 - 0.4 * 0.8) / 0.6)
    assert ratio[("2012 from 2002-2007", "media")] == pytest.approx(0.9)
    assert ratio[("2012 from 2002-2007", "electronics")] == 1.0
    assert ratio[("2007 left out (from 2002, 2012)", "telecom")] == 1.0
    # the actuals are the tables' own: they do not move
    pd.testing.assert_series_equal(moved["actual"], held["actual"])
