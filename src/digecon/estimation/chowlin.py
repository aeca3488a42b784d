"""Chow-Lin interpolation with AR(1) errors, observed at benchmark points only.

Model for one province's component (levels, 亿元), in proportional form:

    V_t = beta X_t + u_t,   u_t = rho u_{t-1} + e_t,

observed only in benchmark years (point benchmarks: tempdisagg's ``conversion = "first"`` with
one observation per block, formula ``y ~ 0 + x``). The indicator enters without a constant, so
beta is an average coefficient c = V / X and u the benchmark deviations from it; a constant
would let the path leave [0, 1] far from the benchmarks. Given rho, beta is estimated by GLS
(statsmodels) on the benchmark points and the annual path is the BLUE

    V_hat = X beta_hat + S_tb S_bb^-1 (y_b - X_b beta_hat),

which reproduces every benchmark exactly, with the usual prediction standard error.

Choosing rho: with four benchmarks five years apart the likelihood is nearly flat and its
maximum often sits at rho = 0, where the path jumps to the regression line between
benchmarks. So rho is pooled and chosen by cross-validation: one rho per component, the value
on a grid of [0, 0.99] that minimises the median absolute percentage error, over all provinces,
of predicting each interior benchmark from the others.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

RHO_GRID = np.round(np.arange(0.0, 1.0, 0.03), 2)
FALLBACK_RHO = 0.9  # when no series has an interior benchmark to cross-validate on
MIN_VALUE_FOR_ERROR = 1.0  # 亿元: relative errors of near-zero benchmarks are not informative


def ar1_covariance(times: NDArray, rho: float) -> NDArray:
    """Covariance of a stationary AR(1) with unit innovation variance at the given times.

    Parameters
    ----------
    times
        Observation times (years or positions).
    rho
        Autocorrelation, in [0, 1).

    Returns
    -------
    ndarray
        ``rho ** |t_i - t_j| / (1 - rho ** 2)``, one row and column per time.
    """
    lags = np.abs(np.subtract.outer(times, times))
    return rho**lags / (1.0 - rho**2)


@dataclass(frozen=True)
class Series:
    """One series to interpolate: annual indicator, benchmark positions and values."""

    indicator: NDArray  # X_t for every year, 亿元
    benchmark_index: NDArray  # positions of the benchmark years in the annual grid
    benchmark_values: NDArray  # V_b, 亿元


def _loo_predictions(y: NDArray, x: NDArray, times: NDArray, j: int, grid: NDArray) -> NDArray:
    """BLUE prediction of benchmark j from the others, for every rho of the grid at once."""
    rest = np.delete(np.arange(len(y)), j)
    lags = np.abs(np.subtract.outer(times[rest], times[rest]))
    scale = 1.0 / (1.0 - grid**2)
    sigma = grid[:, None, None] ** lags[None] * scale[:, None, None]  # (rho, n, n)
    cross = grid[:, None] ** np.abs(times[j] - times[rest])[None] * scale[:, None]  # (rho, n)
    inverse = np.linalg.inv(sigma)
    xi = np.einsum("gij,j->gi", inverse, x[rest])
    beta = (xi @ y[rest]) / (xi @ x[rest])
    residual = y[rest][None] - beta[:, None] * x[rest][None]
    return x[j] * beta + np.einsum("gi,gij,gj->g", cross, inverse, residual)


def cross_validation_errors(series: list[Series], grid: NDArray = RHO_GRID) -> NDArray:
    """Absolute percentage errors of leave-one-out predictions of interior benchmarks, pooled over series.

    Parameters
    ----------
    series
        The series to pool; benchmarks below ``MIN_VALUE_FOR_ERROR`` 亿元 are not scored.
    grid
        Values of rho to try.

    Returns
    -------
    ndarray
        One row per held-out interior benchmark, one column per rho of the grid (no rows when no
        series has an interior benchmark).
    """
    rows = []
    for s in series:
        b = s.benchmark_index
        for j in range(1, len(b) - 1):
            actual = s.benchmark_values[j]
            if actual >= MIN_VALUE_FOR_ERROR:
                predicted = _loo_predictions(s.benchmark_values, s.indicator[b], b.astype(float), j, grid)
                rows.append(np.abs(predicted - actual) / actual)
    return np.array(rows).reshape(len(rows), len(grid))


def choose_rho(series: list[Series], grid: NDArray = RHO_GRID) -> float:
    """Pooled rho: the grid value with the smallest median cross-validation error.

    Ties (errors equal to 1e-9, e.g. a symmetric series where rho does not matter) go to the
    largest rho, the smoothest path, so that the choice does not hang on float round-off.

    Parameters
    ----------
    series
        The series to pool over (one component: every province, or one backtest design's).
    grid
        Values of rho to try.

    Returns
    -------
    float
        The chosen rho; ``FALLBACK_RHO`` when no series has an interior benchmark.
    """
    errors = cross_validation_errors(series, grid)
    if len(errors) == 0:
        return FALLBACK_RHO
    score = np.median(errors, axis=0)
    best = np.flatnonzero(score <= score.min() * (1 + 1e-9) + 1e-12)
    return float(grid[best[-1]])


@lru_cache(maxsize=256)
def _blue_weights(n_years: int, benchmarks: tuple[int, ...], rho: float) -> tuple[NDArray, NDArray, NDArray]:
    """S_bb, the weights S_tb S_bb^-1 and the AR(1) variance the benchmarks leave unexplained.

    They depend only on the years, the benchmark positions and rho, so the provinces that share
    a benchmark pattern share them (cached).
    """
    b = np.array(benchmarks)
    sigma = ar1_covariance(np.arange(n_years, dtype=float), rho)
    sigma_bb = sigma[np.ix_(b, b)]
    weights = np.linalg.solve(sigma_bb, sigma[b, :]).T  # one row per year
    unexplained = np.diag(sigma) - np.einsum("tb,bt->t", weights, sigma[b, :])
    return sigma_bb, weights, unexplained


def interpolate(s: Series, rho: float) -> tuple[NDArray, NDArray]:
    """BLUE annual path and its standard error for one series (both 亿元).

    Parameters
    ----------
    s
        The series: indicator over the annual grid, benchmark positions and values.
    rho
        AR(1) autocorrelation of the errors, in [0, 1).

    Returns
    -------
    tuple of ndarray
        The path of V over the grid (exact in benchmark years) and its prediction standard error
        (zero in benchmark years).

    Raises
    ------
    ValueError
        If the series has fewer than two benchmarks (no degree of freedom for the variance).
    """
    b = s.benchmark_index
    if len(b) < 2:
        raise ValueError("Chow-Lin needs at least two benchmarks")
    x = s.indicator[:, None]
    sigma_bb, weights, unexplained = _blue_weights(len(s.indicator), tuple(int(i) for i in b), float(rho))
    # imported here, not at module level: the Snakefile reads the method registry at parse time
    from statsmodels.regression.linear_model import GLS

    fit = GLS(s.benchmark_values, x[b], sigma=sigma_bb, hasconst=False).fit()  # no constant by design
    beta = np.asarray(fit.params)
    path = x @ beta + weights @ (s.benchmark_values - x[b] @ beta)
    # prediction error variance: the AR(1) part the benchmarks leave unexplained + beta uncertainty
    h = x - weights @ x[b]
    beta_part = np.einsum("tk,kl,tl->t", h, np.asarray(fit.normalized_cov_params), h)
    variance = float(fit.scale) * np.clip(unexplained + beta_part, 0.0, None)
    path[b] = s.benchmark_values  # exact in benchmark years (removes float round-off)
    variance[b] = 0.0
    return path, np.sqrt(variance)
