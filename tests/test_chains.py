"""Candidate indicator chains: coefficient basis, splicing, the choice by the backtest, the checks (by hand)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd
import pytest

import digecon
from digecon.core.errors import InputError
from digecon.core.settings import ChainSettings, ComponentChains, FrozenMap, settings_from_config
from digecon.estimation.backtest import backtest
from digecon.estimation.chains import (
    COMPARISON_COLUMNS,
    IO_AGGREGATES,
    Candidate,
    candidates_of,
    chain_benchmarks,
    chain_series,
    check_summary,
    component_indicator_checks,
)
from digecon.estimation.estimate import benchmark_components, io_aggregates
from tests.test_estimate import YEARS, settings_for, toy_io, toy_ratios, toy_yearbook

REVENUE, EXPORTS = "C39营业收入", "C39出口交货值"  # a user's component-level indicators (not built in)


def chains(use: str = "auto", candidates: dict[str, list[str]] | None = None) -> ComponentChains:
    """The default chains, electronics with ``use`` and (if given) exactly these candidates."""
    default = ComponentChains()
    given = (
        default.electronics.candidates
        if candidates is None
        else FrozenMap({k: tuple(v) for k, v in candidates.items()})
    )
    return dataclasses.replace(default, electronics=ChainSettings(use=use, candidates=given))


def with_indicator(name: str, values: dict[int, float], yearbook: pd.DataFrame | None = None) -> pd.DataFrame:
    """The toy yearbook plus one indicator of province 110000."""
    rows = pd.DataFrame(
        {"province_code": 110000, "year": list(values), "indicator": name, "value": list(values.values())}
    ).assign(unit="亿元", source="mine.csv")
    return pd.concat([toy_yearbook() if yearbook is None else yearbook, rows], ignore_index=True)


def run(
    yearbook: pd.DataFrame,
    component_chains: ComponentChains,
    *,
    combinations: bool = True,
    criterion: str = "component",
    **estimate: object,
) -> digecon.Result:
    """Estimate the toy with these chains; auto on the component's own error unless told otherwise."""
    settings = settings_for(chains=component_chains)
    indicators = settings.indicators
    selection = dataclasses.replace(indicators.selection, combinations=combinations, criterion=criterion)
    settings = dataclasses.replace(
        settings,
        estimate=dataclasses.replace(settings.estimate, **estimate),
        indicators=dataclasses.replace(indicators, selection=selection),
    )
    return digecon.estimate(digecon.Inputs(toy_io(), yearbook, toy_ratios()), settings)


def row(result: digecon.Result, year: int, component: str, method: str, convention: str) -> pd.Series:
    v = result.values
    return v.query(
        "year == @year and component == @component and method == @method and convention == @convention"
    ).iloc[0]


# the toy's electronics VA is 100 / 200 / 300 亿元 in 2002 / 2007 / 2012 (tests/test_estimate.py)
LINEAR_REVENUE = {y: 400.0 + 60 * (y - 2002) for y in YEARS}  # 400 / 700 / 1000 in the benchmark years


def test_a_component_level_indicator_alone_has_c_equal_v_over_x_under_both_conventions() -> None:
    result = run(with_indicator(REVENUE, LINEAR_REVENUE), chains(use="mine", candidates={"mine": [REVENUE]}))
    for convention in ("share", "benchmark"):
        at_2007 = row(result, 2007, "electronics", "linear", convention)
        assert at_2007["coefficient"] == pytest.approx(200 / 700)  # V / X, not V / A = 200 / 1600
        assert at_2007["value_100m_yuan"] == pytest.approx(200)  # so the table is reproduced under share too
        assert (at_2007["coefficient_basis"], at_2007["chain"], at_2007["indicator"]) == ("indicator", "mine", REVENUE)
        # 2009, linear: 2/5 of the way from 200 / 700 to 300 / 1000, times X(2009) = 400 + 7 x 60 = 820
        c_2009 = 2 / 7 + (0.3 - 2 / 7) * 2 / 5
        assert row(result, 2009, "electronics", "linear", convention)["value_100m_yuan"] == pytest.approx(c_2009 * 820)
    # the other components keep their share of other services: telecom 0.4 x 80 of 800 in 2007
    telecom = row(result, 2007, "telecom", "hold", "share")
    assert (telecom["coefficient"], telecom["coefficient_basis"]) == (pytest.approx(32 / 800), "share")
    electronics = result.benchmarks.query("component == 'electronics'")
    assert (electronics["coefficient_basis"] == "indicator").all() and electronics[
        "aggregate_va_100m_yuan"
    ].isna().all()


def test_a_spliced_component_chain_keeps_the_level_of_its_first_indicator() -> None:
    # C39 revenue only 2005-2010; 工业增加值 = 1100 x 1.1^(t - 2002) fills the rest by its ratio in 2005 / 2010
    revenue = {y: v for y, v in LINEAR_REVENUE.items() if 2005 <= y <= 2010}
    candidate = Candidate("electronics", "spliced", (REVENUE, "工业增加值"))
    series = chain_series(with_indicator(REVENUE, revenue), candidate, YEARS).set_index("year")
    factor_2005 = 580 / (1100 * 1.1**3)
    assert series.loc[2002, "indicator_100m_yuan"] == pytest.approx(1100 * factor_2005)
    assert series.loc[2012, "indicator_100m_yuan"] == pytest.approx(1100 * 1.1**10 * 880 / (1100 * 1.1**8))
    assert series.loc[2002, "indicator"] == f"{REVENUE} (spliced: 工业增加值 x {factor_2005:.4f}, ratio in 2005)"
    assert series.loc[2002, "spliced"] and not series.loc[2007, "spliced"] and series.loc[2011, "spliced"]
    assert set(series["coefficient_basis"]) == {"indicator"} and set(series["chain"]) == {"spliced"}
    result = run(with_indicator(REVENUE, revenue), chains(use="spliced", candidates={"spliced": list(candidate.chain)}))
    assert row(result, 2002, "electronics", "hold", "share")["coefficient"] == pytest.approx(100 / (1100 * factor_2005))
    assert row(result, 2007, "electronics", "hold", "share")["coefficient"] == pytest.approx(200 / 700)


def test_every_row_says_what_carries_its_year() -> None:
    # C39 revenue 2005-2010 (the others' chains are the toy's aggregates); tables in 2002, 2007, 2012
    revenue = {y: v for y, v in LINEAR_REVENUE.items() if 2005 <= y <= 2010}
    candidate = Candidate("electronics", "spliced", (REVENUE, "工业增加值"))
    series = chain_series(with_indicator(REVENUE, revenue), candidate, YEARS).set_index("year")
    expected = {y: "industry series" if 2005 <= y <= 2010 else "aggregate" for y in YEARS}
    assert series["carried_by"].to_dict() == expected
    assert series.loc[2011, "carrying_indicator"] == "工业增加值" and series.loc[2008, "carrying_indicator"] == REVENUE
    result = run(with_indicator(REVENUE, revenue), chains(use="spliced", candidates={"spliced": list(candidate.chain)}))
    for method in ("hold", "linear"):
        v = result.values
        electronics = v[(v["component"] == "electronics") & (v["method"] == method) & (v["convention"] == "share")]
        carried = electronics.set_index("year")["carried_by"].to_dict()
        assert carried == {**expected, 2002: "benchmark table", 2007: "benchmark table", 2012: "benchmark table"}
    telecom = result.values.query("component == 'telecom'")
    assert set(telecom.loc[telecom["flag"] != "benchmark", "carried_by"]) == {"aggregate"}
    assert set(telecom.loc[telecom["flag"] != "benchmark", "carrying_indicator"]) == {"其他行业增加值"}
    # the backtest: a held-out 2007 is carried by the revenue, 2012 (after it ends) by 工业增加值
    rows = result.backtest.query("convention == 'share' and method == 'hold'").set_index(["component", "design_label"])
    assert rows.loc[("electronics", "2007 from 2002"), ["carrying_indicator", "carried_by"]].tolist() == [
        REVENUE,
        "industry series",
    ]
    assert rows.loc[("electronics", "2012 from 2002"), ["carrying_indicator", "carried_by"]].tolist() == [
        "工业增加值",
        "aggregate",
    ]
    # the total is mixed where its components differ
    assert rows.loc[("total", "2007 from 2002"), "carried_by"] == "mixed"
    assert rows.loc[("total", "2012 from 2002"), "carried_by"] == "aggregate"
    # errors by carrier, hold: c = V / X; X(2012) = 880 x 1.1^2 (工业 spliced by its ratio in 2010), so 2012
    # from 2002-2007 holds 200 / 700 against 300 / 1064.8 and 2012 from 2002 holds 100 / X(2002), X(2002) =
    # 580 / 1.1^3 (the ratio in 2005); the two designs are 5 and 10 years away
    x_2012, x_2002 = 880 * 1.1**2, 580 / 1.1**3
    apes = [abs(200 / 700 * x_2012 / 300 - 1), abs(100 / x_2002 * x_2012 / 300 - 1)]
    by = result.backtest_by_carrier.query("convention == 'share' and method == 'hold' and component == 'electronics'")
    by = by.set_index(["kind", "carried_by"])
    aggregate = by.loc[("extrapolation", "aggregate")]
    assert (aggregate["n"], aggregate["mean_distance_years"]) == (2, 7.5)
    assert aggregate["median_ape"] == pytest.approx(sum(apes) / 2)
    assert by.loc[("extrapolation", "industry series"), "n"] == 1
    assert by.loc[("interpolation", "industry series"), "n"] == 1


def test_auto_chooses_the_candidate_that_tracks_the_truth() -> None:
    """Flat exports miss the growth (c = 0.1, 0.2, 0.3); revenue = 2 x VA tracks it (c = 0.5 throughout)."""
    yearbook = with_indicator(EXPORTS, {y: 1000.0 for y in YEARS})
    yearbook = with_indicator(REVENUE, {y: 2 * (100.0 + 20 * (y - 2002)) for y in YEARS}, yearbook)
    # the chains alone (a combination of the two would be the runner-up)
    result = run(yearbook, chains(use="auto", candidates={"flat": [EXPORTS], "tracks": [REVENUE]}), combinations=False)
    table = result.chain_comparison.query("component == 'electronics' and convention == 'share'")
    assert list(result.chain_comparison.columns) == COMPARISON_COLUMNS
    decisive = table[table["decisive"]].set_index("candidate")
    # extrapolation with linear (held beyond): 2007 from 2002 (0.1 vs 0.2), 2012 from 2002-2007 (0.2 vs 0.3),
    # 2012 from 2002 (0.1 vs 0.3): APE 1/2, 1/3, 2/3, median 1/2; the tracking chain is exact
    assert decisive.loc["flat", "median_ape"] == pytest.approx(0.5)
    assert decisive.loc["tracks", "median_ape"] == pytest.approx(0.0, abs=1e-12)
    assert decisive.loc["tracks", "margin_points"] == pytest.approx(50.0)
    assert set(table.loc[table["chosen"], "candidate"]) == {"tracks"}
    choice = result.chain_choices["electronics"]
    assert choice.candidate.name == "tracks" and "50.0 points better" in choice.sentence()
    electronics = result.values.query("component == 'electronics'")
    assert set(electronics["chain"]) == {"tracks"} and set(electronics["indicator"]) == {REVENUE}
    assert electronics["chain_margin_points"].tolist() == pytest.approx([50.0] * len(electronics))


def test_a_tie_goes_to_the_earlier_candidate() -> None:
    yearbook = with_indicator(REVENUE, LINEAR_REVENUE)
    candidates = {"first": [REVENUE], "second": [REVENUE, "工业增加值"]}
    result = run(yearbook, chains(use="auto", candidates=candidates), combinations=False)
    choice = result.chain_choices["electronics"]
    assert (choice.candidate.name, choice.runner_up, choice.margin_points) == ("first", "second", 0.0)


def test_an_unknown_indicator_is_refused_naming_the_candidate_and_listing_the_indicators() -> None:
    with pytest.raises(InputError) as caught:
        run(toy_yearbook(), chains(candidates={"mine": ["C39营收"]}))
    message = str(caught.value)
    assert message.startswith("indicators.chains.electronics.candidates.mine: unknown indicator 'C39营收'")
    assert "expected one of the indicators 其他行业增加值, 地区生产总值, 工业增加值, 第三产业增加值" in message


def test_a_built_in_candidate_without_data_is_skipped_or_refused_when_named() -> None:
    result = run(toy_yearbook(), ComponentChains())  # the toy has no C39 revenue, software revenue or wage bill
    missing = result.chain_comparison.query("candidate == 'c39_revenue'")
    assert len(missing) == 1 and missing["n"].item() == 0 and "no C39主营业务收入" in missing["note"].item()
    assert {c.candidate.name for c in result.chain_choices.values()} == {"industry", "other_services"}
    with pytest.raises(InputError, match=r"indicators\.chains\.electronics\.use: candidate 'c39_revenue' has no data"):
        run(toy_yearbook(), chains(use="c39_revenue"))


def test_one_backtest_for_all_candidates_scores_as_one_per_candidate() -> None:
    yearbook = with_indicator(REVENUE, LINEAR_REVENUE)
    result = run(yearbook, chains(use="auto", candidates={"mine": [REVENUE]}))
    benchmarks = benchmark_components(toy_io(), toy_ratios())
    candidate = Candidate("electronics", "mine", (REVENUE,))
    series = chain_series(yearbook, candidate, YEARS)
    own = chain_benchmarks(benchmarks[benchmarks["component"] == "electronics"], io_aggregates(toy_io()), series)
    alone = backtest(own, series, ["hold", "linear"], ["share"])
    alone = alone[alone["component"] == "electronics"].dropna(subset=["ape"])
    expected = alone.groupby(["method", "kind"])["ape"].median()
    scored = result.chain_comparison.query("candidate == 'mine' and convention == 'share'")
    assert scored.set_index(["method", "kind"])["median_ape"].to_dict() == pytest.approx(expected.to_dict())


def test_the_check_flags_a_province_far_from_the_national_ratio() -> None:
    # four provinces, indicator 100 each; estimates 20, 20, 20, 2: national 62 / 400 = 0.155
    codes = [110000, 120000, 130000, 140000]
    values = pd.DataFrame(
        {"province_code": codes, "year": 2010, "component": "electronics", "value_100m_yuan": [20.0, 20.0, 20.0, 2.0]}
    )
    yearbook = pd.DataFrame(
        {"province_code": codes, "year": 2010, "indicator": REVENUE, "value": 100.0, "unit": "亿元", "source": "t"}
    )
    checks = component_indicator_checks(values, yearbook, [Candidate("electronics", "mine", (REVENUE,))], 2.5)
    assert checks["province_code"].tolist() == [140000]  # 0.02 / 0.155 = 0.13 < 1 / 2.5; 0.2 / 0.155 = 1.29 is fine
    flagged = checks.iloc[0]
    assert (flagged["ratio"], flagged["national_ratio"]) == (pytest.approx(0.02), pytest.approx(0.155))
    assert flagged["relative"] == pytest.approx(0.02 / 0.155) and flagged["factor"] == 2.5
    assert "山西" in flagged["message"] and "beyond x2.5" in flagged["message"]
    assert check_summary(checks)[0].startswith(f"electronics / {REVENUE}: 1 province-years beyond x2.5")
    assert component_indicator_checks(values, yearbook, [Candidate("electronics", "mine", (REVENUE,))], 10.0).empty


# Real data, a regression guard: the run selecting the original chains (industry / other_services) gives
# the numbers it gave when the yearbook gained the vintage after the 5th economic census (sums over every
# province and year 2002-2023 of digital_economy_va.csv, 亿元; before that, these equalled the code before
# chains were candidates, on the older vintage).
# electronics: 新疆 after its negligible 2017 table is borrowed (tests/test_zeros.py), its 56 rows only
TODAY = {
    ("electronics", "linear", "share"): 331019.72411804536,
    ("electronics", "hold", "benchmark"): 343411.20494321437,
    ("electronics", "chow_lin", "share"): 329629.2477345883,
    ("it_services", "linear", "share"): 249175.5791025146,
    ("it_services", "spline", "benchmark"): 247539.71651822168,
    ("telecom", "linear", "share"): 177063.36081659864,
    ("telecom", "chow_lin", "benchmark"): 162786.77799163334,  # each component's share follows the nation
    ("media", "linear", "share"): 51047.81558893901,
    ("media", "hold", "share"): 52523.56178880344,
}
TODAY_CHAINS = {
    f.name: {"use": "industry" if f.name == "electronics" else "other_services"}
    for f in dataclasses.fields(ComponentChains)
}


@pytest.fixture(scope="module")
def real_inputs(mirror: Path) -> digecon.Inputs:
    return digecon.load_inputs(mirror, digecon.Settings())


def test_regression_guard_the_original_chains_keep_their_estimates(real_inputs: digecon.Inputs) -> None:
    """Regression guard, not validation: the sums are this code's own earlier output with the original chains."""
    settings = settings_from_config({"indicators": {"chains": TODAY_CHAINS}})
    values = digecon.estimate(real_inputs, settings).values
    assert len(values) == 28520  # 31 provinces x 2002-2024 x 4 components x 5 methods x 2 conventions
    sums = values[values["year"] <= 2023].groupby(["component", "method", "convention"])["value_100m_yuan"].sum()
    for key, expected in TODAY.items():
        assert sums[key] == pytest.approx(expected, rel=1e-12), key
    guangdong = values.query("province == '广东' and year == 2020 and method == 'linear' and convention == 'share'")
    assert guangdong.set_index("component")["value_100m_yuan"].to_dict() == pytest.approx(
        {"electronics": 8649.841028, "it_services": 3645.261971, "telecom": 1291.665808, "media": 196.963929}
    )
    assert (
        set(values["coefficient_basis"]) == {"share", "borrowed"}
        and (values["zero_benchmark"] == "borrowed").sum() == 7 * 5 * 2  # 新疆 electronics 2018-2024, 5 methods
    )
    assert set(values["chain"]) == {"industry", "other_services", "c39_revenue"}


def test_regression_guard_the_readmes_chain_table(real_inputs: digecon.Inputs) -> None:
    """Regression guard: the README's chain choice (the code's own output), median extrapolation APE, linear, share."""
    result = digecon.estimate(real_inputs, digecon.Settings())
    choices = result.chain_choices
    assert {k: c.candidate.name for k, c in choices.items()} == {
        "electronics": "combination_equal",
        "it_services": "other_services",
        "telecom": "other_services",
        "media": "other_services",
    }
    # IT services and telecom follow the national split after the last table: both miss by the sector's error
    assert {k: round(c.score * 100, 1) for k, c in choices.items()} == {
        "electronics": 28.5,
        "it_services": 17.7,
        "telecom": 17.7,
        "media": 30.8,
    }
    assert {k: round(c.margin_points, 1) for k, c in choices.items()} == {
        "electronics": 0.2,
        "it_services": 4.1,
        "telecom": 4.8,
        "media": 0.5,
    }
    assert [k for k, c in choices.items() if c.toss_up] == ["electronics"]
    rules = result.selection_rules.query("scope == 'total'").set_index("rule")
    assert (round(rules.loc["component", "median_ape"] * 100, 1), round(rules.loc["total", "median_ape"] * 100, 1)) == (
        15.0,
        15.1,
    )
    assert (round(rules.loc["component", "q80_ape"] * 100), round(rules.loc["total", "q80_ape"] * 100)) == (31, 36)
    # the interpolation designs (2007 and 2012 left out), hold: C39 revenue takes 31.5 % down to 20.7 %
    table = result.chain_comparison.query("component == 'electronics' and convention == 'share' and method == 'hold'")
    interpolation = table[table["kind"] == "interpolation"].set_index("candidate")["median_ape"]
    assert (round(interpolation["industry"] * 100, 1), round(interpolation["c39_revenue"] * 100, 1)) == (31.5, 20.7)
    assert len(result.component_checks) and set(result.component_checks["component"]) <= set(choices)


def test_real_software_chain_is_carried_by_software_revenue_from_2012(real_inputs: digecon.Inputs) -> None:
    """北京's IT services under the software chain: 2018 is 软件业务收入, 2011 其他行业增加值.

    软件业务收入 starts in 2012; before it the chain is spliced directly on 其他行业增加值.
    """
    software = next(
        c for c in candidates_of(ComponentChains()) if c.key.endswith("it_services.candidates.software_revenue")
    )
    series = chain_series(real_inputs.yearbook, software, list(range(2002, 2025)))
    beijing = series[series["province_code"] == 110000].set_index("year")
    # 分省软件和信息技术服务业主要经济指标_多年期_原始抓取.csv, 北京市, 2018年, 软件业务收入: 97,289,177.8 万元
    assert beijing.loc[2018, "indicator_100m_yuan"] == pytest.approx(9728.917780)
    assert beijing.loc[2018, ["carrying_indicator", "carried_by"]].tolist() == ["软件业务收入", "industry series"]
    assert beijing.loc[2011, ["carrying_indicator", "carried_by"]].tolist() == ["其他行业增加值", "aggregate"]
    assert set(beijing.loc[2012:2024, "carrying_indicator"]) == {"软件业务收入"}
    # 西藏 has no software revenue: its series rests on an aggregate
    tibet = series[series["province_code"] == 540000].set_index("year")
    assert set(tibet.loc[2020:2024, "carried_by"]) == {"aggregate"}


def test_real_run_says_what_carries_every_row(real_inputs: digecon.Inputs) -> None:
    """Whatever chains auto picks: tables in their years, else the kind of the indicator carrying the year."""
    result = digecon.estimate(real_inputs, digecon.Settings())
    values = result.values
    assert values["carried_by"].notna().all() and values["carrying_indicator"].notna().all()
    table = values["flag"] == "benchmark"
    assert (values.loc[table, "carried_by"] == "benchmark table").all()
    # a combination names each of its chains' carriers: mixed where they are of both kinds
    kinds = {
        text: {i in IO_AGGREGATES for i in text.split(" + ")}
        for text in values["carrying_indicator"].astype(str).unique()
    }
    word = {frozenset({True}): "aggregate", frozenset({False}): "industry series", frozenset({True, False}): "mixed"}
    expected = values["carrying_indicator"].astype(str).map(lambda text: word[frozenset(kinds[text])])
    assert (values.loc[~table, "carried_by"].astype(str) == expected[~table]).all()
    backtest = result.backtest
    assert set(backtest["carried_by"].dropna()) <= {"industry series", "aggregate", "mixed"}
    assert backtest.loc[backtest["component"] != "total", "carried_by"].notna().all()
    # C39 revenue (Wind) ends in 2016: from 2017 the C39 chain rests on 工业增加值, whatever auto picks
    c39 = next(c for c in candidates_of(ComponentChains()) if c.name == "c39_revenue")
    beijing = chain_series(real_inputs.yearbook, c39, list(range(2002, 2025))).query("province_code == 110000")
    carried = beijing.set_index("year")["carrying_indicator"]
    assert (carried[2016], carried[2017]) == ("C39主营业务收入", "工业增加值")
