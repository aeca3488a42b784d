"""Bands from backtest errors, computed by hand on tiny backtest frames."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digecon.estimation.bands import (
    COVERAGE_COLUMNS,
    RULE_COLUMNS,
    apply_bounds,
    band_coverage,
    band_errors,
    band_rule,
    by_distance,
    coverage_by_distance,
    error_summary,
    fit_power_law,
    half_width,
)

GROUP = {"convention": "share", "method": "hold", "component": "media"}


def errors_at(band_errors_by_distance: dict[int, list[float]], kind: str = "extrapolation", **columns) -> pd.DataFrame:
    """Backtest rows with the given band errors |estimate - actual| / estimate (estimate 100, actual above it)."""
    rows = [
        {"distance_years": d, "kind": kind, "estimate": 100.0, "actual": 100.0 * (1 + e)}
        for d, errors in band_errors_by_distance.items()
        for e in errors
    ]
    frame = pd.DataFrame(rows).assign(**(GROUP | columns))
    return frame.assign(ape=(frame["estimate"] - frame["actual"]).abs() / frame["actual"])


def tiny_backtest() -> pd.DataFrame:
    """Five leave-one-out errors at distance 5 and three extrapolation errors at 5, 10 and 15 years."""
    interpolation = errors_at({5: [0.10, 0.20, 0.30, 0.40, 0.50]}, kind="interpolation")
    extrapolation = errors_at({5: [0.10], 10: [0.60], 15: [0.30]})
    below_one_yuan = errors_at({5: [0.2]}, kind="interpolation").assign(ape=np.nan)  # not counted
    return pd.concat([interpolation, extrapolation, below_one_yuan], ignore_index=True)


def rule_of(frame: pd.DataFrame) -> pd.DataFrame:
    return band_rule(frame).set_index(["kind", "distance_years"])


def estimates(flags: list[str], distances: list[float], value: float = 100.0) -> pd.DataFrame:
    return pd.DataFrame({"flag": flags, "distance_years": distances, "value_100m_yuan": value}).assign(**GROUP)


def test_band_error_is_relative_to_the_estimate() -> None:
    rows = errors_at({5: [0.5]}).assign(actual=[50.0])  # estimate 100, actual 50: APE 1, band error 0.5
    rows = rows.assign(ape=(rows["estimate"] - rows["actual"]).abs() / rows["actual"])
    assert band_errors(rows)["band_error"].tolist() == [0.5]
    assert rows["ape"].tolist() == [1.0]


def test_error_summary_by_hand() -> None:
    summary = error_summary(tiny_backtest()).set_index("kind")
    inside = summary.loc["interpolation"]
    assert inside["n"] == 5
    # APE of actual = 100 (1 + e) is e / (1 + e): 0.0909, 0.1667, 0.2308, 0.2857, 0.3333
    assert inside["median_ape"] == pytest.approx(0.3 / 1.3)
    # 80th percentile, linear between order statistics: position 0.8 x 4 = 3.2
    assert inside["q80_ape"] == pytest.approx(0.4 / 1.4 + 0.2 * (0.5 / 1.5 - 0.4 / 1.4))
    assert inside["q80_ape_per_year"] == pytest.approx(inside["q80_ape"] / 5)
    assert inside["band_distances"] == "5" and inside["band_q80"] == "0.42"
    assert "fewer than two measured distances" in inside["band_rule"] and inside["band_b"] == 1
    assert summary.loc["extrapolation", "band_distances"] == "5, 10, 15"


def test_by_distance_by_hand() -> None:
    table = by_distance(tiny_backtest()).set_index(["kind", "distance_years"])
    assert table.loc[("interpolation", 5), "n"] == 5
    assert table.loc[("extrapolation", 10), "median_ape"] == pytest.approx(0.6 / 1.6)
    assert list(table.loc["extrapolation"].index) == [5, 10, 15]


def test_the_band_at_a_measured_distance_is_the_q80_there() -> None:
    rule = rule_of(tiny_backtest())
    assert list(band_rule(tiny_backtest()).columns) == RULE_COLUMNS
    # 0.1 ... 0.5 at position 3.2: 0.4 + 0.2 x 0.1 (the NaN-APE row is left out)
    assert rule.loc[("interpolation", 5), "q80_band_error"] == pytest.approx(0.42)
    assert rule.loc[("interpolation", 5), "n"] == 5
    bounded = apply_bounds(estimates(["interpolated"], [5]), band_rule(tiny_backtest()))
    assert bounded["band_relative"].item() == pytest.approx(0.42)


def test_interpolation_between_two_measured_distances() -> None:
    rule = band_rule(errors_at({5: [0.2], 10: [0.4]}))
    bounded = apply_bounds(estimates(["extrapolated"] * 4, [5, 6, 7, 10]), rule)
    # 0.2 + (0.4 - 0.2) x (d - 5) / 5
    assert bounded["band_relative"].tolist() == pytest.approx([0.2, 0.24, 0.28, 0.4])


def test_power_law_continuation_beyond_the_largest_measured_distance() -> None:
    rule = rule_of(errors_at({5: [0.2], 10: [0.4]}))
    # log 0.4 - log 0.2 = b (log 10 - log 5): b = 1, a = 0.2 / 5
    assert rule["band_b"].iloc[0] == pytest.approx(1.0)
    assert rule["band_a"].iloc[0] == pytest.approx(0.04)
    assert rule["band_rule"].iloc[0] == "power law fitted on logs"
    bounded = apply_bounds(estimates(["extrapolated"], [15]), band_rule(errors_at({5: [0.2], 10: [0.4]})))
    assert bounded["band_relative"].item() == pytest.approx(0.6)


def test_a_square_root_law_is_continued_from_the_largest_measured_point() -> None:
    # 0.1 at 4 and 0.2 at 16: b = log 2 / log 4 = 0.5, a = 0.1 / 4^0.5; at 36: 0.2 x (36 / 16)^0.5
    a, b, _ = fit_power_law(np.array([4.0, 16.0]), np.array([0.1, 0.2]))
    assert (a, b) == pytest.approx((0.05, 0.5))
    assert half_width(np.array([36.0]), np.array([4.0, 16.0]), np.array([0.1, 0.2]), b) == pytest.approx([0.3])


def test_an_inexact_fit_is_anchored_at_the_largest_measured_point() -> None:
    d, q = np.array([1.0, 2.0, 4.0]), np.array([0.1, 0.4, 0.4])
    a, b, _ = fit_power_law(d, q)
    # logs: x = 0, ln 2, 2 ln 2; slope = (ln 0.4 - ln 0.1) ln 2 / (2 ln^2 2) = 1; ln a = mean(y) - ln 2
    assert b == pytest.approx(1.0)
    assert a == pytest.approx(0.016 ** (1 / 3) / 2)
    # beyond 4: 0.4 x (8 / 4), not a x 8 = 1.008
    assert half_width(np.array([8.0]), d, q, b) == pytest.approx([0.8])


def test_one_measured_distance_grows_linearly_and_says_so() -> None:
    rule = band_rule(errors_at({5: [0.10, 0.20, 0.30, 0.40, 0.50]}))
    assert (rule["band_a"].item(), rule["band_b"].item()) == pytest.approx((0.084, 1.0))
    assert rule["band_rule"].item() == "fewer than two measured distances with errors, no fit: linear growth (b = 1)"
    bounded = apply_bounds(estimates(["extrapolated"] * 3, [2, 5, 30]), rule)
    assert bounded["band_relative"].tolist() == pytest.approx([0.168, 0.42, 2.52])


def test_errors_falling_with_distance_give_linear_growth_not_a_flat_band() -> None:
    rule = band_rule(errors_at({5: [0.4], 10: [0.2]}))
    assert rule["band_b"].iloc[0] == 1.0 and rule["band_a"].iloc[0] == pytest.approx(0.02)
    assert rule["band_rule"].iloc[0].startswith("fitted b <= 0")
    bounded = apply_bounds(estimates(["extrapolated"] * 3, [7, 10, 20]), rule)
    assert bounded["band_relative"].tolist() == pytest.approx([0.32, 0.2, 0.4])


def test_apply_bounds_by_hand() -> None:
    flags = ["benchmark", "interpolated", "extrapolated", "extrapolated", "extrapolated"]
    bounded = apply_bounds(estimates(flags, [0, 3, 2, 12, 30]), band_rule(tiny_backtest()))
    # interpolation: 0.42 x 3 / 5; extrapolation q80 0.1, 0.6, 0.3 at 5, 10, 15 (one error each):
    # 0.1 x 2 / 5; between 10 and 15: 0.6 - 0.3 x 2 / 5; beyond 15 the fitted b (> 0) from 0.3
    b = band_rule(tiny_backtest()).query("kind == 'extrapolation'")["band_b"].iloc[0]
    expected = [0.0, 0.252, 0.04, 0.48, 0.3 * 2**b]
    assert bounded["band_relative"].tolist() == pytest.approx(expected)
    assert bounded["lower_100m_yuan"].tolist() == pytest.approx([100 * max(1 - h, 0) for h in expected])
    assert bounded["upper_100m_yuan"].tolist() == pytest.approx([100 * (1 + h) for h in expected])


def test_a_group_without_measured_errors_gets_no_band_but_its_benchmarks_a_zero_one() -> None:
    frame = estimates(["interpolated", "benchmark"], [2, 0]).assign(method="linear")
    bounded = apply_bounds(frame, band_rule(tiny_backtest()))
    assert np.isnan(bounded["band_relative"].iloc[0]) and bounded["band_relative"].iloc[1] == 0
    assert bounded["lower_100m_yuan"].iloc[1] == bounded["upper_100m_yuan"].iloc[1] == 100


def three_designs() -> pd.DataFrame:
    """Designs A, B, C at 5 years (band errors 0.1, 0.3 / 0.2, 0.5 / 0.4, C's actual below its estimate), D at 10."""
    plan = {  # label: held-out year, distance, band errors
        "A": (2007, 5, [0.1, 0.3]),
        "B": (2012, 5, [0.2, 0.5]),
        "C": (2012, 5, [0.4]),
        "D": (2017, 10, [0.9, 0.5]),
    }
    frames = [errors_at({d: e}, design_label=label, holdout_year=year) for label, (year, d, e) in plan.items()]
    frame = pd.concat(frames, ignore_index=True)
    frame.loc[frame["design_label"] == "C", "actual"] = 60.0  # |100 - 60| / 100 = 0.4, below the estimate
    return frame.assign(ape=(frame["estimate"] - frame["actual"]).abs() / frame["actual"])


def test_nested_coverage_of_three_designs_by_hand() -> None:
    coverage = band_coverage(three_designs()).set_index("design_label")
    assert list(band_coverage(three_designs()).columns) == COVERAGE_COLUMNS
    # A out: q80 of 0.2, 0.4, 0.5 (B, C) at position 1.6 = 0.46, both of A's inside
    # B out: q80 of 0.1, 0.3, 0.4 = 0.36, 0.2 inside, 0.5 outside
    # C out: q80 of 0.1, 0.2, 0.3, 0.5 at position 2.4 = 0.38; C's actual 60 < 100 x (1 - 0.38)
    # D out: only distance 5 measured (q80 0.42 of all five): linear growth, 0.84 at 10; 0.5 inside
    assert coverage["half_width_nested"].tolist() == pytest.approx([0.46, 0.36, 0.38, 0.84])
    assert coverage["coverage_nested"].tolist() == pytest.approx([1.0, 0.5, 0.0, 0.5])
    assert coverage["band_from"].tolist() == ["measured", "measured", "measured", "fitted beyond measured"]
    # in sample: 0.42 at 5 (0.1 ... 0.5), 0.5 + 0.8 x 0.4 = 0.82 at 10
    assert coverage["half_width_in_sample"].tolist() == pytest.approx([0.42, 0.42, 0.42, 0.82])
    assert coverage["coverage_in_sample"].tolist() == pytest.approx([1.0, 0.5, 1.0, 0.5])
    assert coverage["n"].tolist() == [2, 2, 1, 2] and set(coverage["nominal"]) == {0.8}
    pooled = coverage_by_distance(band_coverage(three_designs())).set_index("distance_years")
    assert pooled.loc[5, ["n_designs", "n"]].tolist() == [3, 5]
    assert pooled.loc[5, ["coverage_nested", "coverage_in_sample"]].tolist() == pytest.approx([0.6, 0.8])
    assert pooled.loc[10, "band_from"] == "fitted beyond measured"


def test_the_rule_at_a_distance_is_the_q80_of_its_band_errors() -> None:
    rule = band_rule(three_designs())
    # the rule at distance 5: q80 of the five band errors 0.1 ... 0.5 (as in sample above)
    assert rule.loc[rule["distance_years"] == 5, "q80_band_error"].tolist() == pytest.approx([0.42])


def test_nested_coverage_can_leave_out_every_design_of_a_held_out_year() -> None:
    coverage = band_coverage(three_designs(), leave_out="holdout_year").set_index("design_label")
    # 2012 out (B and C): A alone, q80 of 0.1, 0.3 = 0.26; B 0.2 inside, 0.5 outside; C outside
    assert coverage["half_width_nested"].tolist() == pytest.approx([0.46, 0.26, 0.26, 0.84])
    assert coverage["coverage_nested"].tolist() == pytest.approx([1.0, 0.5, 0.0, 0.5])


def test_a_design_whose_group_has_no_other_design_gets_no_nested_band() -> None:
    only = three_designs().query("design_label == 'A'")
    coverage = band_coverage(only)
    assert coverage["band_from"].tolist() == ["no band"] and coverage["coverage_nested"].isna().all()
    assert coverage["coverage_in_sample"].tolist() == [0.5]  # q80 of 0.1, 0.3 = 0.26


@settings(max_examples=50, deadline=None)
@given(
    errors=st.dictionaries(st.sampled_from([3, 5, 10, 15]), st.lists(st.floats(0, 2), min_size=1, max_size=6)),
    distance=st.integers(0, 30),
    value=st.floats(0, 1e5),
)
def test_bands_contain_the_value_vanish_at_benchmarks_and_never_shrink_beyond_the_measured(
    errors: dict[int, list[float]], distance: int, value: float
) -> None:
    if not errors:
        return
    rule = band_rule(errors_at(errors))
    farthest = max(errors)
    frame = estimates(["benchmark", "extrapolated", "extrapolated", "extrapolated"], [0, distance, farthest, 40], value)
    bounded = apply_bounds(frame, rule)
    lower, upper, h = bounded["lower_100m_yuan"], bounded["upper_100m_yuan"], bounded["band_relative"]
    assert ((lower <= bounded["value_100m_yuan"]) & (bounded["value_100m_yuan"] <= upper) & (lower >= 0)).all()
    assert h.iloc[0] == 0
    assert h.iloc[3] >= h.iloc[2]  # beyond the largest measured distance: b > 0, or b = 1
    assert rule["band_b"].iloc[0] > 0
