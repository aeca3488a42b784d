"""``chow_lin`` -- regression-based interpolation (Chow-Lin, AR(1) errors, point benchmarks).

The maths is in :mod:`digecon.estimation.chowlin`; this module adapts it to the registry. The
benchmark values are V_b = c_b X_b, the annual path is the BLUE of V (with its standard error),
and the coefficient is V / X, clipped to [0, 1]. Four benchmarks per province leave rho nearly
unidentified, so :func:`pool` chooses one rho per component by cross-validation over the series
it is given (every province, or the provinces of one backtest design). A series with a single
benchmark leaves nothing to fit and holds it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from digecon.estimation import chowlin
from digecon.estimation.methods import MethodPath, SeriesInput, hold, one_series, pin_benchmarks


def _check_years(benchmark_years: NDArray, years: NDArray) -> NDArray:
    """Positions of the benchmark years among ``years`` (every one must be there)."""
    if not np.isin(benchmark_years, years).all():
        asked = np.asarray(benchmark_years).tolist()
        raise ValueError(f"Chow-Lin needs every benchmark year {asked} among the years estimated")
    return np.searchsorted(years, benchmark_years)


def statistics(block: SeriesInput) -> NDArray[np.float64]:
    """Cross-validation errors of a block (series x benchmarks), one row per held-out interior benchmark.

    Parameters
    ----------
    block
        Series of one component sharing their benchmark years: ``coefficients`` (series x
        benchmarks), ``indicator`` (series x years); one series (1-D) is a block of one.

    Returns
    -------
    ndarray
        Rows of :func:`digecon.estimation.chowlin.block_errors`, one column per rho of
        :data:`~digecon.estimation.chowlin.RHO_GRID`.
    """
    index = _check_years(block.benchmark_years, block.years)
    indicator = np.atleast_2d(np.asarray(block.indicator, dtype=float))
    x_b = indicator[:, index]
    return chowlin.block_errors(index, np.atleast_2d(block.coefficients) * x_b, x_b)


def choose(rows: NDArray[np.float64]) -> dict[str, float]:
    """Choose the pooled rho from the statistics of every block (:func:`~digecon.estimation.chowlin.rho_from_errors`).

    Parameters
    ----------
    rows
        :func:`statistics` of every block, stacked.

    Returns
    -------
    dict
        ``{"rho": value}``.
    """
    return {"rho": chowlin.rho_from_errors(np.asarray(rows, dtype=float).reshape(-1, len(chowlin.RHO_GRID)))}


def pool(series: Sequence[SeriesInput]) -> dict[str, float]:
    """One rho for the series of one component, by leave-one-out cross-validation.

    Parameters
    ----------
    series
        Every series (or block) of the component to pool over.

    Returns
    -------
    dict
        ``{"rho": value}`` from :func:`choose` (its fallback when no series has an interior benchmark).
    """
    rows = [statistics(s) for s in series]
    return choose(np.concatenate(rows) if rows else np.empty((0, len(chowlin.RHO_GRID))))


def paths(
    benchmark_years: NDArray[np.int64],
    coefficients: NDArray[np.float64],
    indicator: NDArray[np.float64],
    years: NDArray[np.int64],
    **pooled: float,
) -> MethodPath:
    """:func:`path` on a block: ``coefficients`` (series x benchmarks), ``indicator`` (series x years).

    Returns
    -------
    MethodPath
        Coefficient and ``se_100m_yuan`` (series x years), ``{"rho": one per series}``; with a
        single benchmark the hold path (no standard error, no rho).
    """
    if len(benchmark_years) < 2:
        return hold.paths(benchmark_years, coefficients, indicator, years)
    index = _check_years(benchmark_years, years)
    indicator = np.asarray(indicator, dtype=float)
    values = np.asarray(coefficients) * indicator[:, index]
    if "rho" in pooled:
        rho = pooled["rho"]
    else:  # cross-validated on this block alone
        rho = choose(statistics(SeriesInput(benchmark_years, coefficients, indicator, years)))["rho"]
    value, se = chowlin.interpolate_block(indicator, index, values, rho)
    coefficient = pin_benchmarks(np.clip(value / indicator, 0.0, 1.0), benchmark_years, coefficients, years)
    return MethodPath(coefficient=coefficient, se_100m_yuan=se, parameters={"rho": np.full(len(values), float(rho))})


def path(
    benchmark_years: NDArray[np.int64],
    coefficients: NDArray[np.float64],
    indicator: NDArray[np.float64],
    years: NDArray[np.int64],
    **pooled: float,
) -> MethodPath:
    """Chow-Lin path of the coefficient and standard error of the value.

    Parameters
    ----------
    benchmark_years
        Ascending, unique, each one of ``years``.
    coefficients
        Benchmark coefficients, one per benchmark year.
    indicator
        X over ``years`` (亿元), positive.
    years
        The years wanted.
    **pooled
        ``rho`` from :func:`pool`; without it, rho is cross-validated on this series alone.

    Returns
    -------
    MethodPath
        Coefficient (V / X clipped to [0, 1]), ``se_100m_yuan`` and ``{"rho": rho}``; with a single
        benchmark, :func:`digecon.estimation.methods.hold.path` (no standard error, no rho).

    Raises
    ------
    ValueError
        If a benchmark year is not among ``years``.
    """
    return one_series(paths, benchmark_years, coefficients, indicator, years, **pooled)
