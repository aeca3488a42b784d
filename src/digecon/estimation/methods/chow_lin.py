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
from digecon.estimation.methods import MethodPath, SeriesInput, hold, pin_benchmarks


def _series(benchmark_years: NDArray, coefficients: NDArray, indicator: NDArray, years: NDArray) -> chowlin.Series:
    """Convert to :mod:`~digecon.estimation.chowlin` form: benchmark positions and values V_b = c_b X_b."""
    if not np.isin(benchmark_years, years).all():
        asked = np.asarray(benchmark_years).tolist()
        raise ValueError(f"Chow-Lin needs every benchmark year {asked} among the years estimated")
    index = np.searchsorted(years, benchmark_years)
    return chowlin.Series(
        indicator=np.asarray(indicator, dtype=float),
        benchmark_index=index,
        benchmark_values=np.asarray(coefficients) * np.asarray(indicator)[index],
    )


def pool(series: Sequence[SeriesInput]) -> dict[str, float]:
    """One rho for the series of one component, by leave-one-out cross-validation.

    Parameters
    ----------
    series
        Every series of the component to pool over.

    Returns
    -------
    dict
        ``{"rho": value}`` from :func:`digecon.estimation.chowlin.choose_rho` (its fallback when no
        series has an interior benchmark).
    """
    fitted = [_series(s.benchmark_years, s.coefficients, s.indicator, s.years) for s in series]
    return {"rho": chowlin.choose_rho(fitted)}


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
    if len(benchmark_years) < 2:
        return hold.path(benchmark_years, coefficients, indicator, years)
    series = _series(benchmark_years, coefficients, indicator, years)
    rho = pooled["rho"] if "rho" in pooled else chowlin.choose_rho([series])
    value, se = chowlin.interpolate(series, rho)
    coefficient = pin_benchmarks(np.clip(value / series.indicator, 0.0, 1.0), benchmark_years, coefficients, years)
    return MethodPath(coefficient=coefficient, se_100m_yuan=se, parameters={"rho": float(rho)})
