"""``hold`` -- the source paper: the coefficient "does not change in the short term".

Each year takes the latest benchmark at or before it; years before the first benchmark take the
first one. This is the reference method.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from digecon.estimation.methods import MethodPath, one_series


def paths(
    benchmark_years: NDArray[np.int64],
    coefficients: NDArray[np.float64],
    indicator: NDArray[np.float64],
    years: NDArray[np.int64],
    **pooled: float,
) -> MethodPath:
    """:func:`path` on a block: ``coefficients`` (series x benchmarks); the coefficient (series x years)."""
    index = np.searchsorted(benchmark_years, years, side="right") - 1
    return MethodPath(coefficient=np.asarray(coefficients)[:, np.clip(index, 0, len(benchmark_years) - 1)])


def path(
    benchmark_years: NDArray[np.int64],
    coefficients: NDArray[np.float64],
    indicator: NDArray[np.float64],
    years: NDArray[np.int64],
    **pooled: float,
) -> MethodPath:
    """Latest benchmark coefficient at or before each year; the first benchmark before it.

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
