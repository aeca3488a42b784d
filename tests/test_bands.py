"""Bands from backtest errors, computed by hand on a tiny backtest frame."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digecon.estimation.bands import apply_bounds, by_distance, error_summary, totals_with_bounds


def tiny_backtest() -> pd.DataFrame:
    """Five leave-one-out errors at distance 5 and three extrapolation errors at 5, 10 and 15 years."""
    interpolation = pd.DataFrame({"ape": [0.10, 0.20, 0.30, 0.40, 0.50], "distance_years": 5, "kind": "interpolation"})
    extrapolation = pd.DataFrame({"ape": [0.10, 0.60, 0.30], "distance_years": [5, 10, 15], "kind": "extrapolation"})
    tiny = pd.concat([interpolation, extrapolation], ignore_index=True)
    below_one_yuan = pd.DataFrame({"ape": [np.nan], "distance_years": [5], "kind": ["interpolation"]})  # not counted
    return pd.concat([tiny, below_one_yuan], ignore_index=True).assign(
        convention="share", method="hold", component="media"
    )


def test_error_summary_by_hand() -> None:
    summary = error_summary(tiny_backtest()).set_index("kind")
    inside = summary.loc["interpolation"]
    assert inside["n"] == 5
    assert inside["median_ape"] == pytest.approx(0.30)
    assert inside["mean_ape"] == pytest.approx(0.30)
    # 80th percentile, linear between order statistics: position 0.8 x 4 = 3.2 -> 0.40 + 0.2 x 0.10
    assert inside["q80_ape"] == pytest.approx(0.42)
    # per year of distance: 0.02 ... 0.10, position 3.2 -> 0.08 + 0.2 x 0.02 = 0.084 (= 0.42 / 5)
    assert inside["q80_ape_per_year"] == pytest.approx(0.084)
    outside = summary.loc["extrapolation"]
    # APE / distance = 0.02, 0.06, 0.02 -> sorted 0.02, 0.02, 0.06, position 1.6 -> 0.02 + 0.6 x 0.04
    assert outside["q80_ape_per_year"] == pytest.approx(0.044)
    assert outside["q80_ape"] == pytest.approx(0.30 + 0.6 * 0.30)  # 0.1, 0.3, 0.6 at position 1.6


def test_by_distance_by_hand() -> None:
    table = by_distance(tiny_backtest()).set_index(["kind", "distance_years"])
    assert table.loc[("interpolation", 5), "n"] == 5
    assert table.loc[("extrapolation", 10), "median_ape"] == pytest.approx(0.60)
    assert list(table.loc["extrapolation"].index) == [5, 10, 15]


def test_apply_bounds_by_hand() -> None:
    summary = error_summary(tiny_backtest())
    estimates = pd.DataFrame(
        {
            "convention": "share",
            "method": "hold",
            "component": "media",
            "flag": ["benchmark", "interpolated", "extrapolated", "extrapolated"],
            "distance_years": [0, 3, 2, 30],
            "value_100m_yuan": [100.0, 100.0, 100.0, 100.0],
        }
    )
    bounded = apply_bounds(estimates, summary)
    # 0.084 x 3 = 0.252; 0.044 x 2 = 0.088; 0.044 x 30 = 1.32, whose lower bound stops at zero
    assert bounded["band_relative"].tolist() == pytest.approx([0.0, 0.252, 0.088, 1.32])
    assert bounded["lower_100m_yuan"].tolist() == pytest.approx([100.0, 74.8, 91.2, 0.0])
    assert bounded["upper_100m_yuan"].tolist() == pytest.approx([100.0, 125.2, 108.8, 232.0])


def test_a_group_without_measured_errors_gets_no_band() -> None:
    estimates = pd.DataFrame(
        {
            "convention": ["share"],
            "method": ["linear"],
            "component": ["media"],
            "flag": ["interpolated"],
            "distance_years": [2],
            "value_100m_yuan": [10.0],
        }
    )
    assert apply_bounds(estimates, error_summary(tiny_backtest()))["band_relative"].isna().all()


def test_totals_use_the_totals_own_errors() -> None:
    errors = tiny_backtest().assign(component="total")
    values = pd.DataFrame(
        {
            "province_code": 110000,
            "province": "北京",
            "province_en": "Beijing",
            "year": 2009,
            "method": "hold",
            "convention": "share",
            "component": ["electronics", "media"],
            "category": ["production", "circulation"],
            "value_100m_yuan": [60.0, 40.0],
            "flag": ["interpolated", "interpolated"],
            "distance_years": [2, 3],
        }
    )
    total = totals_with_bounds(values, error_summary(errors)).iloc[0]
    assert (total["value_100m_yuan"], total["production_100m_yuan"], total["circulation_100m_yuan"]) == (100, 60, 40)
    assert total["flag"] == "interpolated" and total["distance_years"] == 3
    assert total["band_relative"] == pytest.approx(0.084 * 3)
    assert total["upper_100m_yuan"] == pytest.approx(125.2)


@settings(max_examples=50, deadline=None)
@given(
    apes=st.lists(st.floats(0, 2), min_size=1, max_size=12),
    distance=st.integers(0, 30),
    value=st.floats(0, 1e5),
)
def test_bands_contain_the_value_and_grow_linearly_with_distance(
    apes: list[float], distance: int, value: float
) -> None:
    errors = pd.DataFrame(
        {"ape": apes, "distance_years": 5, "kind": "interpolation", "convention": "share", "method": "hold"}
    ).assign(component="media")
    summary = error_summary(errors)

    def band(d: int) -> pd.Series:
        frame = pd.DataFrame(
            {
                "convention": ["share"],
                "method": ["hold"],
                "component": ["media"],
                "flag": ["benchmark" if d == 0 else "interpolated"],
                "distance_years": [d],
                "value_100m_yuan": [value],
            }
        )
        return apply_bounds(frame, summary).iloc[0]

    row = band(distance)
    assert row["lower_100m_yuan"] <= value <= row["upper_100m_yuan"]
    assert row["band_relative"] == pytest.approx(distance * band(1)["band_relative"], rel=1e-12, abs=1e-15)
