"""Chow-Lin on series whose answers are known by hand.

The maths (:mod:`digecon.estimation.chowlin`) and the registered method
(:mod:`digecon.estimation.methods.chow_lin`).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digecon.estimation import chowlin
from digecon.estimation.methods import SeriesInput, chow_lin, method

X = np.array([10.0, 11.0, 12.0, 13.0, 14.0, 15.0])
TWO = chowlin.Series(indicator=X, benchmark_index=np.array([0, 5]), benchmark_values=np.array([1.0, 2.0]))
BETA = (10 * 1.0 + 15 * 2.0) / (10**2 + 15**2)  # OLS through the origin on the two benchmarks: 40 / 325


def test_ar1_covariance_by_hand() -> None:
    # rho = 0.5: variance 1 / (1 - 0.25) = 4/3, lag 2 covariance 0.25 x 4/3 = 1/3
    sigma = chowlin.ar1_covariance(np.array([0.0, 2.0]), 0.5)
    assert sigma == pytest.approx(np.array([[4 / 3, 1 / 3], [1 / 3, 4 / 3]]))


def test_chow_lin_with_rho_zero_is_the_regression_line_between_benchmarks() -> None:
    path, se = chowlin.interpolate(TWO, rho=0.0)
    assert path[[0, 5]] == pytest.approx([1.0, 2.0])
    assert path[1:5] == pytest.approx(BETA * X[1:5])
    assert se[[0, 5]] == pytest.approx([0, 0]) and (se[1:5] > 0).all()


def test_chow_lin_high_rho_bends_towards_the_benchmarks() -> None:
    x = np.linspace(10, 20, 11)
    values = np.array([1.0, 3.0])  # coefficient 0.1 at the start, 0.15 at the end
    series = chowlin.Series(indicator=x, benchmark_index=np.array([0, 10]), benchmark_values=values)
    near_one, _ = chowlin.interpolate(series, rho=0.99)
    coefficient = near_one / x
    assert np.all(np.diff(coefficient) > 0)  # a smooth move from 0.1 to 0.15, no jump at the ends


def test_a_single_benchmark_is_refused_by_the_maths() -> None:
    with pytest.raises(ValueError, match="at least two benchmarks"):
        chowlin.interpolate(chowlin.Series(X, np.array([2]), np.array([1.0])), 0.5)


def drifting(k: float) -> chowlin.Series:
    """Coefficients that drift smoothly (0.10, 0.12, 0.14, 0.16) on an indicator scaled by k."""
    x = np.linspace(100, 200, 16)
    index = np.array([0, 5, 10, 15])
    return chowlin.Series(x * k, index, np.array([0.10, 0.12, 0.14, 0.16]) * x[index] * k)


def test_rho_is_chosen_by_cross_validation() -> None:
    # persistence predicts the held-out points of a smooth drift best
    series = [drifting(k) for k in (1, 2, 3)]
    assert chowlin.choose_rho(series) >= 0.9
    assert chowlin.choose_rho(series[:0]) == chowlin.FALLBACK_RHO
    assert chowlin.cross_validation_errors(series).shape == (2 * 3, len(chowlin.RHO_GRID))  # 2 interior x 3


# --- the registered method ---------------------------------------------------------------------

YEARS = np.arange(2000, 2006)


def test_method_path_is_the_coefficient_of_the_blue() -> None:
    # V_b = c_b X_b = 0.1 x 10 = 1 and 2/15 x 15 = 2: the series TWO; with rho = 0 the coefficient
    # between the benchmarks is beta = 40 / 325 = 0.12308 whatever X is
    result = chow_lin.path(np.array([2000, 2005]), np.array([0.1, 2 / 15]), X, YEARS, rho=0.0)
    assert result.coefficient[1:5] == pytest.approx([40 / 325] * 4)
    assert result.coefficient[[0, 5]].tolist() == [0.1, 2 / 15]  # exactly
    assert result.parameters == {"rho": 0.0}
    assert result.se_100m_yuan == pytest.approx(chowlin.interpolate(TWO, 0.0)[1])


def test_method_with_one_benchmark_holds_it() -> None:
    result = chow_lin.path(np.array([2002]), np.array([0.2]), X, YEARS, rho=0.5)
    assert result.coefficient.tolist() == [0.2] * 6
    assert result.se_100m_yuan is None and result.parameters == {}


def test_method_without_pooled_rho_cross_validates_its_own_series() -> None:
    s = drifting(1.0)
    years = np.arange(2000, 2016)
    coefficients = np.array([0.10, 0.12, 0.14, 0.16])
    result = chow_lin.path(years[s.benchmark_index], coefficients, s.indicator, years)
    assert result.parameters["rho"] == chowlin.choose_rho([s])


def test_pool_chooses_one_rho_over_the_series_given() -> None:
    years = np.arange(2000, 2016)
    inputs = [
        SeriesInput(years[s.benchmark_index], s.benchmark_values / s.indicator[s.benchmark_index], s.indicator, years)
        for s in (drifting(k) for k in (1, 2, 3))
    ]
    assert method("chow_lin").pool(inputs) == {"rho": chowlin.choose_rho([drifting(k) for k in (1, 2, 3)])}


def test_benchmark_outside_the_years_is_refused() -> None:
    with pytest.raises(ValueError, match=r"every benchmark year \[2000, 2009\] among the years"):
        chow_lin.path(np.array([2000, 2009]), np.array([0.1, 0.2]), X, YEARS, rho=0.5)


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


@settings(max_examples=40, deadline=None)
@given(
    positions=st.lists(st.integers(0, 15), min_size=1, max_size=4, unique=True).map(sorted),
    data=st.data(),
    rho=st.sampled_from([0.0, 0.5, 0.9, None]),
)
def test_method_reproduces_benchmarks_exactly_and_stays_shares(positions, data, rho: float | None) -> None:
    years = np.arange(2000, 2016)
    x = np.array(data.draw(st.lists(st.floats(1, 1000), min_size=16, max_size=16)))
    shares = np.array(data.draw(st.lists(st.floats(0, 1), min_size=len(positions), max_size=len(positions))))
    pooled = {} if rho is None else {"rho": rho}
    coefficient = chow_lin.path(years[positions], shares, x, years, **pooled).coefficient
    assert coefficient[positions].tolist() == shares.tolist()
    assert ((coefficient >= 0) & (coefficient <= 1)).all()


def test_a_block_fits_statsmodels_gls_series_by_series() -> None:
    from statsmodels.regression.linear_model import GLS

    rng = np.random.default_rng(3)
    years, positions = 16, np.array([0, 5, 10, 15])
    x = rng.uniform(50, 500, (20, years))
    values = x[:, positions] * rng.uniform(0.05, 0.2, (20, len(positions)))
    path, se = chowlin.interpolate_block(x, positions, values, 0.8)
    sigma = chowlin.ar1_covariance(positions.astype(float), 0.8)
    for i in range(20):
        fit = GLS(values[i], x[i, positions][:, None], sigma=sigma, hasconst=False).fit()
        weights = np.linalg.solve(sigma, chowlin.ar1_covariance(np.arange(years, dtype=float), 0.8)[positions]).T
        expected = x[i] * fit.params[0] + weights @ (values[i] - x[i, positions] * fit.params[0])
        expected[positions] = values[i]
        assert path[i] == pytest.approx(expected, rel=1e-12)
    assert (se[:, positions] == 0).all() and (se[:, 1:5] > 0).all()
