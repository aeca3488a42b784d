"""Choosing when the evidence is thin: combinations, the total criterion, win shares, the nested test (by hand)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

import digecon
from digecon.estimation.selection import (
    EQUAL,
    WEIGHTED,
    combination_weights,
    nested_rules,
    select,
    wide,
    win_shares,
    with_combinations,
)
from tests.test_chains import EXPORTS, REVENUE, chains, with_indicator
from tests.test_estimate import YEARS, settings_for, toy_io, toy_ratios


def rows(component: str, candidate: str, estimates: list[float], actuals: list[float], **keys: object) -> pd.DataFrame:
    """Scoring rows of one candidate: one per design (``2017 from 2012``-like labels) of province 110000."""
    n = len(estimates)
    frame = pd.DataFrame(
        {
            "method": "linear",
            "convention": "share",
            "kind": "extrapolation",
            "design": "extrapolation",
            "design_label": [f"{2007 + 5 * i} from 2002" for i in range(n)],
            "holdout_year": [2007 + 5 * i for i in range(n)],
            "province_code": 110000,
            "component": component,
            "candidate": candidate,
            "estimate": estimates,
            "actual": actuals,
            "distance_years": 5,
            "benchmarks_used": "2002",
            "estimate_coefficient": np.nan,
            "actual_coefficient": np.nan,
            # candidate a's held-out years are carried by a series of its own, the others' by an aggregate
            "carrying_indicator": "own series" if candidate == "a" else "其他行业增加值",
            "carried_by": "industry series" if candidate == "a" else "aggregate",
        }
    )
    frame = frame.assign(**keys)
    return frame.assign(ape=(frame["estimate"] - frame["actual"]).abs() / frame["actual"])


def test_weights_are_the_inverse_squared_median_errors_or_equal() -> None:
    # median APE 0.1 and 0.2: weights 1/0.01 and 1/0.04, i.e. 100 / 125 = 0.8 and 25 / 125 = 0.2
    scoring = pd.concat([rows("media", "a", [110, 90, 110], [100] * 3), rows("media", "b", [120, 80, 80], [100] * 3)])
    weights = combination_weights(scoring, {"media": ["a", "b"]}, method="linear", convention="share").set_index(
        ["combination", "candidate"]
    )["weight"]
    assert weights[(WEIGHTED, "a")] == pytest.approx(0.8) and weights[(WEIGHTED, "b")] == pytest.approx(0.2)
    assert weights[(EQUAL, "a")] == weights[(EQUAL, "b")] == 0.5
    # the combination's rows: 0.8 x 110 + 0.2 x 120 = 112 against 100, APE 0.12 in the first design
    combined = with_combinations(
        scoring, combination_weights(scoring, {"media": ["a", "b"]}, method="linear", convention="share")
    )
    first = combined[(combined["candidate"] == WEIGHTED) & (combined["holdout_year"] == 2007)].iloc[0]
    assert (first["estimate"], first["actual"], first["ape"]) == pytest.approx((112.0, 100.0, 0.12))
    # carried by both chains' carriers, the series of the industry named first: mixed
    assert (first["carrying_indicator"], first["carried_by"]) == ("own series + 其他行业增加值", "mixed")


def test_the_weights_of_the_recommended_method_serve_every_method() -> None:
    # under hold, a and b swap their errors; the weights stay those measured under linear
    linear = pd.concat([rows("media", "a", [110, 90, 110], [100] * 3), rows("media", "b", [120, 80, 80], [100] * 3)])
    hold = pd.concat([rows("media", "a", [120, 80, 80], [100] * 3), rows("media", "b", [110, 90, 110], [100] * 3)])
    scoring = pd.concat([linear, hold.assign(method="hold")])
    weights = combination_weights(scoring, {"media": ["a", "b"]}, method="linear", convention="share")
    weighted = weights[weights["combination"] == WEIGHTED].set_index(["method", "candidate"])["weight"]
    assert weighted.to_dict() == pytest.approx(
        {("linear", "a"): 0.8, ("linear", "b"): 0.2, ("hold", "a"): 0.8, ("hold", "b"): 0.2}
    )


def test_an_exact_candidate_takes_all_the_weight() -> None:
    scoring = pd.concat([rows("media", "a", [100] * 3, [100] * 3), rows("media", "b", [120, 80, 80], [100] * 3)])
    weights = combination_weights(scoring, {"media": ["a", "b"]}, method="linear", convention="share")
    weighted = weights[weights["combination"] == WEIGHTED].set_index("candidate")["weight"]
    assert weighted.to_dict() == {"a": 1.0, "b": 0.0}


def test_the_total_criterion_can_prefer_a_worse_component_whose_errors_offset_the_others() -> None:
    """Electronics: a misses by +10 %, b by -20 %; media (one candidate) misses by +20 of 100 every time.

    On its own, a wins (APE 0.1 against 0.2). In the total (actual 300): a gives 220 + 120 = 340 (APE 13.3 %),
    b gives 160 + 120 = 280 (APE 6.7 %), so the total criterion takes b.
    """
    scoring = pd.concat(
        [
            rows("electronics", "a", [220] * 3, [200] * 3),
            rows("electronics", "b", [160] * 3, [200] * 3),
            rows("media", "m", [120] * 3, [100] * 3),
        ]
    )
    table = wide(scoring)
    everything = np.ones(len(table.rows), dtype=bool)
    names = {"electronics": ["a", "b"], "media": ["m"]}
    choice, _ = select(table, names, {}, "component", everything)
    assert choice == {"electronics": "a", "media": "m"}
    choice, scores = select(table, names, {}, "total", everything)
    assert choice == {"electronics": "b", "media": "m"}
    assert scores["electronics"] == pytest.approx({"a": 40 / 300, "b": 20 / 300})
    # a configured candidate stays, whatever the criterion
    assert select(table, names, {"electronics": "a"}, "total", everything)[0]["electronics"] == "a"


def test_win_share_of_a_candidate_better_in_one_province_of_two_is_three_quarters() -> None:
    """a: errors 0.1 and 0.5 in provinces 1 and 2; b: 0.3 in both; one design.

    Drawing two provinces with replacement: (1, 1) 1/4, a wins; (2, 2) 1/4, b wins; (1, 2) 1/2, the
    median of a's (0.1, 0.5) is 0.1 (the lower middle value) and a wins: a wins 3/4 of the draws.
    """
    errors = {"a": np.array([0.1, 0.5]), "b": np.array([0.3, 0.3])}
    keys = pd.DataFrame({"province_code": [1, 2], "design_label": ["2017 from 2012"] * 2})
    shares = win_shares(errors, keys, np.ones(2, dtype=bool), resamples=20000, seed=1)
    assert shares["a"] == pytest.approx(0.75, abs=0.015) and shares["a"] + shares["b"] == pytest.approx(1.0)
    always = win_shares({"a": np.array([0.1, 0.1]), "b": errors["b"]}, keys, np.ones(2, bool), resamples=50, seed=1)
    assert always == {"a": 1.0, "b": 0.0}


def test_the_nested_test_scores_each_rule_on_the_table_it_did_not_see() -> None:
    """A is exact in 2007 and 2012 but misses 2017 by 50 %; b misses by 20 % everywhere.

    Choosing without 2017, a wins (0 against 0.2) and is scored 0.5 on 2017; without 2007 or 2012 the
    median error of a is 0.25 (0 and 0.5) against b's 0.2, so b is chosen and scored 0.2 there. Out of
    sample: 0.2, 0.2, 0.5: median 0.2.
    """
    scoring = pd.concat([rows("media", "a", [100, 100, 150], [100] * 3), rows("media", "b", [120] * 3, [100] * 3)])
    rules = nested_rules(scoring, {"media": ["a", "b"]}, combinations=False, criteria=("component",))
    media = rules[rules["scope"] == "media"].iloc[0]
    assert (media["n"], media["median_ape"]) == (3, pytest.approx(0.2))
    assert media["choices"].split("; ") == ["2007: media b", "2012: media b", "2017: media a"]


def test_a_chosen_combination_is_the_weighted_mean_of_its_chains_traced_part_by_part() -> None:
    """Two chains of the toy's electronics (flat exports, revenue), their plain mean set by use."""
    yearbook = with_indicator(EXPORTS, {y: 1000.0 for y in YEARS})
    yearbook = with_indicator(REVENUE, {y: 2 * (100.0 + 20 * (y - 2002)) + 50 * (y % 2) for y in YEARS}, yearbook)
    settings = settings_for(chains=chains(use=EQUAL, candidates={"flat": [EXPORTS], "tracks": [REVENUE]}))
    result = digecon.estimate(digecon.Inputs(toy_io(), yearbook, toy_ratios()), settings)
    values = result.values.query("component == 'electronics' and province_code == 110000")
    assert set(values["chain"]) == {EQUAL} and set(values["coefficient_basis"]) == {"combination"}
    parts = result.combination_parts.query("province_code == 110000")
    assert set(parts["candidate"]) == {"flat", "tracks"} and set(parts["weight"]) == {0.5}
    summed = (
        (parts["weight"] * parts["value_100m_yuan"])
        .groupby([parts["year"], parts["method"], parts["convention"]])
        .sum()
    )
    mine = values.set_index(["year", "method", "convention"])["value_100m_yuan"]
    pd.testing.assert_series_equal(mine.reindex(summed.index), summed, check_names=False)
    # its band comes from its own backtest rows
    assert (values["upper_100m_yuan"] >= values["value_100m_yuan"]).all()


def test_the_combinations_can_be_switched_off() -> None:
    settings = settings_for(chains=chains(use="auto", candidates={"flat": [EXPORTS], "tracks": [REVENUE]}))
    off = dataclasses.replace(settings.indicators.selection, combinations=False)
    settings = dataclasses.replace(settings, indicators=dataclasses.replace(settings.indicators, selection=off))
    yearbook = with_indicator(
        REVENUE, {y: 300.0 + 10 * y % 7 for y in YEARS}, with_indicator(EXPORTS, {y: 1.0e3 for y in YEARS})
    )
    result = digecon.estimate(digecon.Inputs(toy_io(), yearbook, toy_ratios()), settings)
    assert not result.chain_comparison["candidate"].isin([EQUAL, WEIGHTED]).any() and result.combination_weights.empty


def test_scores_equal_but_for_float_noise_are_a_tie_won_by_the_earlier_candidate() -> None:
    """Two chains whose series coincide in the scored years differ by float noise only: the earlier wins."""
    noise = 1e-13
    scoring = pd.concat(
        [rows("media", "first", [110, 80, 140], [100] * 3), rows("media", "second", [110, 80 + noise, 140], [100] * 3)]
    )
    table = wide(scoring)
    everything = np.ones(len(table.rows), dtype=bool)
    # the medians: 0.2 and 0.2 - 1e-15 (the 80 of the second design)
    assert np.median(table.component_ape("media", "second")) < np.median(table.component_ape("media", "first"))
    assert select(table, {"media": ["first", "second"]}, {}, "component", everything)[0] == {"media": "first"}
    errors = {"first": table.component_ape("media", "first"), "second": table.component_ape("media", "second")}
    keys = table.rows.assign(province_code=[1, 2, 3])
    assert win_shares(errors, keys, everything, resamples=100, seed=3) == {"first": 1.0, "second": 0.0}
