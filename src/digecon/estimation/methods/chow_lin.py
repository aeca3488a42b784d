"""``chow_lin`` -- regression-based interpolation (Chow-Lin, AR(1) errors, point benchmarks).

Model for one province's component (levels, 亿元), in proportional form:

    V_t = beta X_t + u_t,   u_t = rho u_{t-1} + e_t,

observed only in benchmark years (point benchmarks: tempdisagg's ``conversion = "first"`` with
one observation per block, formula ``y ~ 0 + x``). The indicator enters without a constant, so
beta is an average coefficient c = V / X and u the benchmark deviations from it; a constant
would let the path leave [0, 1] far from the benchmarks. Given rho, beta is estimated by GLS on
the benchmark points and the annual path is the BLUE

    V_hat = X beta_hat + S_tb S_bb^-1 (y_b - X_b beta_hat),

which reproduces every benchmark exactly, with the usual prediction standard error. The
coefficient is V_hat / X, clipped to [0, 1]; a series with a single benchmark holds it.

Choosing rho: with four benchmarks five years apart the likelihood is nearly flat and its
maximum often sits at rho = 0, where the path jumps to the regression line between benchmarks.
So rho is pooled (:func:`pool`) and chosen by cross-validation: one rho per component, the value
on a grid of [0, 0.99] that minimises the median absolute percentage error, over all the series
given, of predicting each interior benchmark from the others.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

from digecon.estimation.methods import MethodPath, SeriesBlock, hold, pin_benchmarks

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


def _positions(block: SeriesBlock) -> NDArray:
    """Positions of the benchmark years among the block's years (every one must be there)."""
    if not np.isin(block.benchmark_years, block.years).all():
        asked = np.asarray(block.benchmark_years).tolist()
        raise ValueError(f"Chow-Lin needs every benchmark year {asked} among the years estimated")
    return np.searchsorted(block.years, block.benchmark_years)


def _loo_predictions(y: NDArray, x: NDArray, times: NDArray, j: int, grid: NDArray) -> NDArray:
    """BLUE prediction of benchmark j from the others, for every series and every rho of the grid at once.

    ``y`` and ``x`` are (series x benchmarks): values and indicator at the benchmarks, which sit at
    the same ``times`` in every series of the block, so the covariances are shared.
    """
    rest = np.delete(np.arange(y.shape[1]), j)
    lags = np.abs(np.subtract.outer(times[rest], times[rest]))
    scale = 1.0 / (1.0 - grid**2)
    sigma = grid[:, None, None] ** lags[None] * scale[:, None, None]  # (rho, n, n)
    cross = grid[:, None] ** np.abs(times[j] - times[rest])[None] * scale[:, None]  # (rho, n)
    inverse = np.linalg.inv(sigma)
    y_rest, x_rest = y[:, rest], x[:, rest]
    xi = np.einsum("gij,sj->sgi", inverse, x_rest)
    beta = np.einsum("sgi,si->sg", xi, y_rest) / np.einsum("sgi,si->sg", xi, x_rest)
    residual = y_rest[:, None, :] - beta[:, :, None] * x_rest[:, None, :]
    return x[:, j, None] * beta + np.einsum("gi,gij,sgj->sg", cross, inverse, residual)


def cross_validation_errors(block: SeriesBlock, grid: NDArray = RHO_GRID) -> NDArray:
    """Absolute percentage errors of predicting each interior benchmark from the others, for every rho.

    Parameters
    ----------
    block
        The series; benchmarks below ``MIN_VALUE_FOR_ERROR`` 亿元 are not scored.
    grid
        Values of rho to try.

    Returns
    -------
    ndarray
        One row per held-out interior benchmark and series, one column per rho.
    """
    positions = _positions(block)
    times = positions.astype(float)
    indicator = np.asarray(block.indicator, dtype=float)[:, positions]
    values = np.asarray(block.coefficients) * indicator
    rows = []
    for j in range(1, len(times) - 1):
        actual = values[:, j]
        scored = actual >= MIN_VALUE_FOR_ERROR
        if scored.any():
            predicted = _loo_predictions(values[scored], indicator[scored], times, j, grid)
            rows.append(np.abs(predicted - actual[scored, None]) / actual[scored, None])
    return np.concatenate(rows) if rows else np.empty((0, len(grid)))


def rho_from_errors(errors: NDArray, grid: NDArray = RHO_GRID) -> float:
    """Pooled rho from cross-validation errors: the grid value with the smallest median error.

    Ties (errors equal to 1e-9, e.g. a symmetric series where rho does not matter) go to the
    largest rho, the smoothest path, so that the choice does not hang on float round-off.

    Parameters
    ----------
    errors
        From :func:`cross_validation_errors` (rows stacked in any order).
    grid
        Values of rho of the columns.

    Returns
    -------
    float
        The chosen rho; ``FALLBACK_RHO`` when there are no rows.
    """
    if len(errors) == 0:
        return FALLBACK_RHO
    score = np.median(errors, axis=0)
    best = np.flatnonzero(score <= score.min() * (1 + 1e-9) + 1e-12)
    return float(grid[best[-1]])


def pool(blocks: Sequence[SeriesBlock]) -> dict[str, float]:
    """One rho for the series of one component, by leave-one-out cross-validation over every block.

    Parameters
    ----------
    blocks
        Every block of the component to pool over.

    Returns
    -------
    dict
        ``{"rho": value}`` (``FALLBACK_RHO`` when no series has an interior benchmark).
    """
    rows = [cross_validation_errors(b) for b in blocks]
    return {"rho": rho_from_errors(np.concatenate(rows) if rows else np.empty((0, len(RHO_GRID))))}


@lru_cache(maxsize=256)
def _blue_weights(n_years: int, benchmarks: tuple[int, ...], rho: float) -> tuple[NDArray, NDArray, NDArray]:
    """Give the GLS whitening of S_bb, the weights S_tb S_bb^-1 and the AR(1) variance the benchmarks leave unexplained.

    They depend only on the years, the benchmark positions and rho, so the provinces that share
    a benchmark pattern share them (cached).
    """
    # imported here, not at module level: the Snakefile reads the method registry at parse time
    from statsmodels.regression.linear_model import GLS

    b = np.array(benchmarks)
    sigma = ar1_covariance(np.arange(n_years, dtype=float), rho)
    sigma_bb = sigma[np.ix_(b, b)]
    weights = np.linalg.solve(sigma_bb, sigma[b, :]).T  # one row per year
    unexplained = np.diag(sigma) - np.einsum("tb,bt->t", weights, sigma[b, :])
    # statsmodels' own whitening matrix of S_bb (it depends on S_bb only, not on the data)
    whiten = GLS(np.zeros(len(b)), np.ones((len(b), 1)), sigma=sigma_bb).cholsigmainv
    return whiten, weights, unexplained


def _pinv_column(w_x: NDArray) -> NDArray:
    """Pseudo-inverse of every (benchmarks x 1) matrix of a stack, as statsmodels' ``pinv_extended`` does it."""
    u, s, vt = np.linalg.svd(w_x, full_matrices=False)
    inverse = np.where(s > 1e-15 * s.max(axis=1, keepdims=True), 1.0 / s, 0.0)
    return np.matmul(np.swapaxes(vt, 1, 2), inverse[:, :, None] * np.swapaxes(u, 1, 2))


def interpolate(
    indicator: NDArray, benchmark_index: NDArray, benchmark_values: NDArray, rho: float
) -> tuple[NDArray, NDArray]:
    """BLUE annual paths and standard errors of series sharing benchmark positions and rho.

    The GLS fit of beta on the benchmark points is statsmodels' ``GLS(y_b, X_b, sigma=S_bb).fit()``
    (its whitening, the pinv method) done for every series at once, with the same numbers
    (tests/test_chowlin.py). One statsmodels fit per series makes the whole estimate 1.2x slower on
    the 31 provinces but 2.4x at 300 regions and 3.0x at 1,000 (benchmarks/estimator_benchmark.py).

    Parameters
    ----------
    indicator
        X over the annual grid, 亿元, one row per series.
    benchmark_index
        Positions of the benchmark years in the grid, the same for every series.
    benchmark_values
        V_b, 亿元, one row per series.
    rho
        AR(1) autocorrelation of the errors, in [0, 1).

    Returns
    -------
    tuple of ndarray
        Paths of V (exact in benchmark years) and prediction standard errors (zero there), one
        row per series, 亿元.

    Raises
    ------
    ValueError
        If there are fewer than two benchmarks (no degree of freedom for the variance).
    """
    b = np.asarray(benchmark_index)
    if len(b) < 2:
        raise ValueError("Chow-Lin needs at least two benchmarks")
    x = np.asarray(indicator, dtype=float)
    y = np.asarray(benchmark_values, dtype=float)
    whiten, weights, unexplained = _blue_weights(x.shape[1], tuple(int(i) for i in b), float(rho))
    x_b = np.ascontiguousarray(x[:, b])[:, :, None]  # (series, benchmarks, 1): one regressor, no constant
    w_x = np.matmul(whiten, x_b)
    w_y = np.matmul(whiten, y[:, :, None])
    pinv = _pinv_column(w_x)  # (series, 1, benchmarks)
    normalized_cov = np.matmul(pinv, np.swapaxes(pinv, 1, 2))  # (series, 1, 1)
    beta = np.matmul(pinv, w_y)  # (series, 1, 1)
    w_resid = w_y - np.matmul(w_x, beta)
    scale = np.matmul(np.swapaxes(w_resid, 1, 2), w_resid)[:, 0, 0] / (len(b) - 1)
    path = np.matmul(x[:, :, None], beta)[:, :, 0] + np.matmul(weights, y[:, :, None] - np.matmul(x_b, beta))[:, :, 0]
    # prediction error variance: the AR(1) part the benchmarks leave unexplained + beta uncertainty
    h = x - np.matmul(weights, x_b)[:, :, 0]
    variance = scale[:, None] * np.clip(unexplained + h * normalized_cov[:, :, 0] * h, 0.0, None)
    path[:, b] = y  # exact in benchmark years (removes float round-off)
    variance[:, b] = 0.0
    return path, np.sqrt(variance)


def path(block: SeriesBlock, **pooled: float) -> MethodPath:
    """Chow-Lin path of the coefficient and standard error of the value.

    Parameters
    ----------
    block
        The series (:class:`~digecon.estimation.methods.SeriesBlock`), every benchmark year among
        its years, the indicator positive.
    **pooled
        ``rho`` from :func:`pool`; without it, rho is cross-validated on this block alone.

    Returns
    -------
    MethodPath
        Coefficient (V / X clipped to [0, 1]), ``se_100m_yuan`` and ``{"rho": one per series}``; with
        a single benchmark, the hold path (no standard error, no rho).

    Raises
    ------
    ValueError
        If a benchmark year is not among the years.
    """
    if len(block.benchmark_years) < 2:
        return hold.path(block)
    index = _positions(block)
    indicator = np.asarray(block.indicator, dtype=float)
    rho = pooled["rho"] if "rho" in pooled else pool([block])["rho"]
    value, se = interpolate(indicator, index, np.asarray(block.coefficients) * indicator[:, index], rho)
    coefficient = pin_benchmarks(np.clip(value / indicator, 0.0, 1.0), block)
    return MethodPath(coefficient, se, {"rho": np.full(len(value), float(rho))})
