"""The estimator on the real data: benchmark years equal the tables, ratios equal the national tables.

The backtest figures are those of the README's first tables, measured with the original indicator
chains (工业增加值 for electronics, 其他行业增加值 for the services), pinned here; the defaults now
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

YEARS = range(2002, 2024)
LEAVE_ONE_OUT = ["2007 left out (from 2002, 2012)", "2012 left out (from 2007, 2017)"]
LAST_ROUND = "2017 from 2002-2012"
COMPONENTS = ("electronics", "it_services", "telecom", "media")


@pytest.fixture(scope="module")
def settings() -> Settings:
    # the defaults (2002-2023, four methods, two conventions) with the original chains
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
    # the chains' margins are measured under the recommended convention, here benchmark, there share
    pd.testing.assert_frame_equal(
        few.values.drop(columns="chain_margin_points").reset_index(drop=True),
        full.drop(columns="chain_margin_points").reset_index(drop=True),
        check_categorical=False,
    )
