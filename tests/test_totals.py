"""The digital-economy total: its own band, its share of GDP and the nation's, on tables written by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from digecon.estimation.bands import band_rule
from digecon.estimation.totals import national_share_of_gdp, totals_of, totals_with_bounds
from tests.test_bands import tiny_backtest


def two_components(flags: tuple[str, str] = ("interpolated", "interpolated")) -> pd.DataFrame:
    """Beijing 2009 under one method: electronics 60 and media 40 亿元, 2 and 3 years from a benchmark."""
    return pd.DataFrame(
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
            "flag": list(flags),
            "distance_years": [2, 3],
        }
    )


def test_totals_use_the_totals_own_errors() -> None:
    errors = tiny_backtest().assign(component="total")
    total = totals_with_bounds(two_components(), band_rule(errors)).iloc[0]
    assert (total["value_100m_yuan"], total["production_100m_yuan"], total["circulation_100m_yuan"]) == (100, 60, 40)
    assert total["flag"] == "interpolated" and total["distance_years"] == 3
    # the total's interpolation errors at 5 years have q80 0.42 (tests/test_bands.py): 3 years is 3/5 of it
    assert total["band_relative"] == pytest.approx(0.42 * 3 / 5)
    assert total["upper_100m_yuan"] == pytest.approx(125.2)


def test_a_total_is_extrapolated_if_any_component_is() -> None:
    errors = tiny_backtest().assign(component="total")
    total = totals_with_bounds(two_components(("benchmark", "extrapolated")), band_rule(errors)).iloc[0]
    assert total["flag"] == "extrapolated"


def test_share_of_gdp_of_the_yearbooks_gdp() -> None:
    yearbook = pd.DataFrame(
        {"province_code": [110000], "year": [2009], "indicator": ["地区生产总值"], "value": [12500.0]}
    )
    total = totals_of(two_components(), band_rule(tiny_backtest().assign(component="total")), yearbook).iloc[0]
    assert total["gdp_100m_yuan"] == 12500.0 and total["share_of_gdp_percent"] == pytest.approx(0.8)


def test_national_share_is_a_ratio_of_sums_without_provinces_lacking_gdp() -> None:
    totals = pd.DataFrame(
        {
            "province_code": [110000, 120000, 110000, 120000],
            "year": [2020, 2020, 2021, 2021],
            "value_100m_yuan": [40.0, 20.0, 50.0, 30.0],
            "gdp_100m_yuan": [300.0, 200.0, 500.0, np.nan],
        }
    )
    # 2020: (40 + 20) / (300 + 200) = 12 %; 2021: Beijing alone, 50 / 500 = 10 %
    assert national_share_of_gdp(totals).to_dict() == pytest.approx({2020: 12.0, 2021: 10.0})
