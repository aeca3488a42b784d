"""Chow-Lin (``digecon.estimation.methods.chow_lin``) on series whose answers are known by hand."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digecon.estimation.methods import SeriesBlock, chow_lin, method

X = np.array([10.0, 11.0, 12.0, 13.0, 14.0, 15.0])
YEARS = np.arange(2000, 2006)
BETA = (10 * 1.0 + 15 * 2.0) / (10**2 + 15**2)  # GLS through the origin on the two benchmarks (rho 0): 40 / 325


def block(benchmark_years, coefficients, indicator, years=YEARS) -> SeriesBlock:
    """A block of one series, or of several (2-D coefficients and indicator)."""
    return SeriesBlock(
        np.asarray(benchmark_years), np.atleast_2d(coefficients), np.atleast_2d(indicator), np.asarray(years)
    )


def test_ar1_covariance_by_hand() -> None:
    # rho = 0.5: variance 1 / (1 - 0.25) = 4/3, lag 2 covariance 0.25 x 4/3 = 1/3
    sigma = chow_lin.ar1_covariance(np.array([0.0, 2.0]), 0.5)
    assert sigma == pytest.approx(np.array([[4 / 3, 1 / 3], [1 / 3, 4 / 3]]))


def test_chow_lin_with_rho_zero_is_the_regression_line_between_benchmarks() -> None:
    path, se = chow_lin.interpolate(X[None, :], np.array([0, 5]), np.array([[1.0, 2.0]]), rho=0.0)
    assert path[0, [0, 5]] == pytest.approx([1.0, 2.0])
    assert path[0, 1:5] == pytest.approx(BETA * X[1:5])
    assert se[0, [0, 5]] == pytest.approx([0, 0]) and (se[0, 1:5] > 0).all()


def test_chow_lin_high_rho_bends_towards_the_benchmarks() -> None:
    x = np.linspace(10, 20, 11)
    values = np.array([[1.0, 3.0]])  # coefficient 0.1 at the start, 0.15 at the end
    near_one, _ = chow_lin.interpolate(x[None, :], np.array([0, 10]), values, rho=0.99)
    coefficient = near_one[0] / x
    assert np.all(np.diff(coefficient) > 0)  # a smooth move from 0.1 to 0.15, no jump at the ends


def test_a_single_benchmark_is_refused_by_the_maths() -> None:
    with pytest.raises(ValueError, match="at least two benchmarks"):
        chow_lin.interpolate(X[None, :], np.array([2]), np.array([[1.0]]), 0.5)


def drifting(k: float) -> SeriesBlock:
    """Coefficients that drift smoothly (0.10, 0.12, 0.14, 0.16) on an indicator 100 ... 200 scaled by k."""
    years = np.arange(2000, 2016)
    return block(years[[0, 5, 10, 15]], [0.10, 0.12, 0.14, 0.16], np.linspace(100, 200, 16) * k, years)


def test_rho_is_chosen_by_cross_validation() -> None:
    # persistence predicts the held-out points of a smooth drift best
    blocks = [drifting(k) for k in (1, 2, 3)]
    assert chow_lin.pool(blocks)["rho"] >= 0.9
    assert chow_lin.pool([]) == {"rho": chow_lin.FALLBACK_RHO}
    assert chow_lin.cross_validation_errors(blocks[0]).shape == (2, len(chow_lin.RHO_GRID))  # 2 interior benchmarks


def test_method_path_is_the_coefficient_of_the_blue() -> None:
    # V_b = c_b X_b = 0.1 x 10 = 1 and 2/15 x 15 = 2; with rho = 0 the coefficient between the
    # benchmarks is beta = 40 / 325 = 0.12308 whatever X is
    result = chow_lin.path(block([2000, 2005], [0.1, 2 / 15], X), rho=0.0)
    assert result.coefficient[0, 1:5] == pytest.approx([40 / 325] * 4)
    assert result.coefficient[0, [0, 5]].tolist() == [0.1, 2 / 15]  # exactly
    assert result.parameters["rho"].tolist() == [0.0]
    expected = chow_lin.interpolate(X[None, :], np.array([0, 5]), np.array([[1.0, 2.0]]), 0.0)[1]
    assert result.se_100m_yuan == pytest.approx(expected)


def test_method_with_one_benchmark_holds_it() -> None:
    result = chow_lin.path(block([2002], [0.2], X), rho=0.5)
    assert result.coefficient.tolist() == [[0.2] * 6]
    assert result.se_100m_yuan is None and result.parameters == {}


def test_method_without_pooled_rho_cross_validates_its_own_series() -> None:
    s = drifting(1.0)
    assert chow_lin.path(s).parameters["rho"].tolist() == [chow_lin.pool([s])["rho"]]


def test_pool_is_the_registered_methods_and_sees_every_block() -> None:
    blocks = [drifting(k) for k in (1, 2, 3)]
    together = block(blocks[0].benchmark_years, np.vstack([b.coefficients for b in blocks]),
                     np.vstack([b.indicator for b in blocks]), blocks[0].years)  # fmt: skip
    assert method("chow_lin").pool(blocks) == chow_lin.pool([together])


def test_benchmark_outside_the_years_is_refused() -> None:
    with pytest.raises(ValueError, match=r"every benchmark year \[2000, 2009\] among the years"):
        chow_lin.path(block([2000, 2009], [0.1, 0.2], X), rho=0.5)


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
    path, se = chow_lin.interpolate(x[None, :], index, (shares * x[index])[None, :], rho)
    assert path[0, index] == pytest.approx(shares * x[index], rel=1e-9)
    scaled, scaled_se = chow_lin.interpolate(x[None, :] * scale, index, (shares * x[index] * scale)[None, :], rho)
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
    coefficient = chow_lin.path(block(years[positions], shares, x, years), **pooled).coefficient[0]
    assert coefficient[positions].tolist() == shares.tolist()
    assert ((coefficient >= 0) & (coefficient <= 1)).all()


def test_a_block_fits_statsmodels_gls_series_by_series() -> None:
    from statsmodels.regression.linear_model import GLS

    rng = np.random.default_rng(3)
    years, positions = 16, np.array([0, 5, 10, 15])
    x = rng.uniform(50, 500, (20, years))
    values = x[:, positions] * rng.uniform(0.05, 0.2, (20, len(positions)))
    path, se = chow_lin.interpolate(x, positions, values, 0.8)
    sigma = chow_lin.ar1_covariance(positions.astype(float), 0.8)
    for i in range(20):
        fit = GLS(values[i], x[i, positions][:, None], sigma=sigma, hasconst=False).fit()
        weights = np.linalg.solve(sigma, chow_lin.ar1_covariance(np.arange(years, dtype=float), 0.8)[positions]).T
        expected = x[i] * fit.params[0] + weights @ (values[i] - x[i, positions] * fit.params[0])
        expected[positions] = values[i]
        assert path[i] == pytest.approx(expected, rel=1e-12)
    assert (se[:, positions] == 0).all() and (se[:, 1:5] > 0).all()
