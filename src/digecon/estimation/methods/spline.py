"""``spline`` -- a smooth path through the benchmarks (second-difference Denton's cousin).

A natural cubic spline through three or more benchmarks (linear for two, constant for one),
held constant beyond the ends, and clipped to [0, 1] because a spline can overshoot and the
coefficients are shares.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from digecon.estimation.methods import MethodPath, linear, one_series, pin_benchmarks


def paths(
    benchmark_years: NDArray[np.int64],
    coefficients: NDArray[np.float64],
    indicator: NDArray[np.float64],
    years: NDArray[np.int64],
    **pooled: float,
) -> MethodPath:
    """:func:`path` on a block: ``coefficients`` (series x benchmarks); the coefficient (series x years)."""
    if len(benchmark_years) < 3:
        return linear.paths(benchmark_years, coefficients, indicator, years)
    inside = np.clip(years, benchmark_years[0], benchmark_years[-1])
    from scipy.interpolate import CubicSpline  # here: the Snakefile reads the registry at parse time

    spline = CubicSpline(benchmark_years, np.asarray(coefficients).T, bc_type="natural")(inside).T
    # float round-off of the last interval's polynomial at its right knot is removed by the pin
    return MethodPath(coefficient=pin_benchmarks(np.clip(spline, 0.0, 1.0), benchmark_years, coefficients, years))


def path(
    benchmark_years: NDArray[np.int64],
    coefficients: NDArray[np.float64],
    indicator: NDArray[np.float64],
    years: NDArray[np.int64],
    **pooled: float,
) -> MethodPath:
    """Natural cubic spline through the benchmarks; constant beyond the ends, clipped to [0, 1].

    Parameters
    ----------
    benchmark_years
        Ascending, unique; at least one.
    coefficients
        Benchmark coefficients, one per benchmark year.
    indicator
        X over ``years`` (亿元); not used.
    years
        The years wanted.
    **pooled
        None used.

    Returns
    -------
    MethodPath
        The coefficient over ``years``; no standard error, no parameters.
    """
    return one_series(paths, benchmark_years, coefficients, indicator, years)
