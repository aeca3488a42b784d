"""Coefficient paths and Chow-Lin on series whose answers are known by hand."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digecon.estimation import chowlin
from digecon.estimation.methods import coefficient_path, flags

YEARS = np.array([2002, 2007, 2012])
COEFFICIENTS = np.array([0.1, 0.2, 0.1])
GRID = np.arange(2000, 2016)


def test_hold_uses_latest_benchmark_at_or_before() -> None:
    path = dict(zip(GRID, coefficient_path("hold", YEARS, COEFFICIENTS, GRID), strict=True))
    assert (path[2000], path[2002], path[2006], path[2007], path[2011], path[2015]) == (0.1, 0.1, 0.1, 0.2, 0.2, 0.1)


def test_linear_interpolates_and_holds_beyond() -> None:
    path = dict(zip(GRID, coefficient_path("linear", YEARS, COEFFICIENTS, GRID), strict=True))
    assert path[2004] == pytest.approx(0.1 + 0.1 * 2 / 5)
    assert path[2010] == pytest.approx(0.2 - 0.1 * 3 / 5)
    assert path[2000] == 0.1 and path[2015] == 0.1


def test_natural_spline_by_hand() -> None:
    # three equally spaced knots (h = 5), natural ends: M1 = 6 (y0 - 2 y1 + y2) / (4 h^2) = -0.012;
    # at the midpoint of the first interval S = -M1 h^2/16 ... = 0.16875
    [mid] = coefficient_path("spline", YEARS, COEFFICIENTS, np.array([2004.5]))
    assert mid == pytest.approx(0.16875)
    assert coefficient_path("spline", YEARS, COEFFICIENTS, np.array([1999, 2020])) == pytest.approx([0.1, 0.1])


def test_flags_and_distance() -> None:
    flag, distance, _ = flags(YEARS, np.array([2001, 2002, 2005, 2012, 2016]))
    assert flag.tolist() == ["extrapolated", "benchmark", "interpolated", "benchmark", "extrapolated"]
    assert distance.tolist() == [1, 0, 2, 0, 4]


def test_chow_lin_with_rho_zero_is_the_regression_line_between_benchmarks() -> None:
    x = np.array([10.0, 11.0, 12.0, 13.0, 14.0, 15.0])
    series = chowlin.Series(indicator=x, benchmark_index=np.array([0, 5]), benchmark_values=np.array([1.0, 2.0]))
    path, se = chowlin.interpolate(series, rho=0.0)
    beta = (10 * 1.0 + 15 * 2.0) / (10**2 + 15**2)  # OLS through the origin on the two benchmarks
    assert path[[0, 5]] == pytest.approx([1.0, 2.0])
    assert path[1:5] == pytest.approx(beta * x[1:5])
    assert se[[0, 5]] == pytest.approx([0, 0]) and (se[1:5] > 0).all()


def test_chow_lin_high_rho_bends_towards_the_benchmarks() -> None:
    x = np.linspace(10, 20, 11)
    values = np.array([1.0, 3.0])  # coefficient 0.1 at the start, 0.15 at the end
    series = chowlin.Series(indicator=x, benchmark_index=np.array([0, 10]), benchmark_values=values)
    near_one, _ = chowlin.interpolate(series, rho=0.99)
    coefficient = near_one / x
    assert np.all(np.diff(coefficient) > 0)  # a smooth move from 0.1 to 0.15, no jump at the ends


def test_rho_is_chosen_by_cross_validation() -> None:
    # coefficients that drift smoothly (0.10, 0.12, 0.14, 0.16): persistence predicts the held-out points best
    x = np.linspace(100, 200, 16)
    index = np.array([0, 5, 10, 15])
    series = [chowlin.Series(x * k, index, (np.array([0.10, 0.12, 0.14, 0.16]) * x[index] * k)) for k in (1, 2, 3)]
    assert chowlin.choose_rho(series) >= 0.9
    assert chowlin.choose_rho(series[:0]) == chowlin.FALLBACK_RHO


benchmark_sets = st.lists(st.integers(2000, 2020), min_size=1, max_size=5, unique=True).map(sorted)


@settings(max_examples=60, deadline=None)
@given(years=benchmark_sets, data=st.data(), method=st.sampled_from(["hold", "linear", "spline"]))
def test_paths_reproduce_benchmarks_and_stay_shares(years: list[int], data: st.DataObject, method: str) -> None:
    coefficients = np.array(data.draw(st.lists(st.floats(0, 1), min_size=len(years), max_size=len(years))))
    grid = np.arange(1998, 2024)
    path = coefficient_path(method, np.array(years), coefficients, grid)
    assert path[np.searchsorted(grid, years)] == pytest.approx(coefficients, abs=1e-12)
    assert ((path >= 0) & (path <= 1)).all()


@settings(max_examples=40, deadline=None)
@given(
    positions=st.lists(st.integers(0, 15), min_size=2, max_size=4, unique=True).map(sorted),
    data=st.data(),
    rho=st.sampled_from([0.0, 0.5, 0.9]),
    scale=st.floats(0.01, 1000),
)
def test_chow_lin_reproduces_benchmarks_and_scales(positions, data, rho: float, scale: float) -> None:
    x = np.array(data.draw(st.lists(st.floats(1, 1000), min_size=16, max_size=16)))
    shares = np.array(data.draw(st.lists(st.floats(0.01, 0.5), min_size=len(positions), max_size=len(positions))))
    index = np.array(positions)
    series = chowlin.Series(x, index, shares * x[index])
    path, se = chowlin.interpolate(series, rho)
    assert path[index] == pytest.approx(shares * x[index], rel=1e-9)
    scaled, scaled_se = chowlin.interpolate(chowlin.Series(x * scale, index, shares * x[index] * scale), rho)
    assert scaled == pytest.approx(path * scale, rel=1e-6, abs=1e-9)
    assert scaled_se == pytest.approx(se * scale, rel=1e-6, abs=1e-6)
