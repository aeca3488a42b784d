"""``linear`` -- linear interpolation of the coefficient between adjacent benchmarks.

With point benchmarks this is proportional Denton with first differences (IMF QNA Manual,
ch. 6); the coefficient is held constant beyond the first and the last benchmark.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from digecon.estimation.methods import MethodPath, one_series


def interpolate(benchmark_years: NDArray, coefficients: NDArray, years: NDArray) -> NDArray[np.float64]:
    """``np.interp(years, benchmark_years, row)`` for every row of ``coefficients`` at once, bit for bit.

    The arithmetic is numpy's own (slope of the interval x distance from its left end + its left
    value; the value itself at a knot; the end values beyond the ends), so a block gives exactly
    the numbers the per-series path gave.
    """
    xp = np.asarray(benchmark_years, dtype=float)
    fp = np.asarray(coefficients, dtype=float)
    x = np.asarray(years, dtype=float)
    if len(xp) == 1:
        return np.repeat(fp[:, :1], len(x), axis=1)
    j = np.clip(np.searchsorted(xp, x, side="right") - 1, 0, len(xp) - 2)  # xp[j] <= x < xp[j + 1]
    left, right = fp[:, j], fp[:, j + 1]
    slope = (right - left) / (xp[j + 1] - xp[j])
    with np.errstate(invalid="ignore"):
        out = slope * (x - xp[j]) + left
        other = slope * (x - xp[j + 1]) + right  # numpy's second try where the first gives NaN
    out = np.where(np.isnan(out), np.where(np.isnan(other) & (left == right), left, other), out)
    out = np.where(x == xp[j], left, out)
    out = np.where(x <= xp[0], fp[:, :1], out)
    return np.where(x >= xp[-1], fp[:, -1:], out)


def paths(
    benchmark_years: NDArray[np.int64],
    coefficients: NDArray[np.float64],
    indicator: NDArray[np.float64],
    years: NDArray[np.int64],
    **pooled: float,
) -> MethodPath:
    """:func:`path` on a block: ``coefficients`` (series x benchmarks); the coefficient (series x years)."""
    return MethodPath(coefficient=interpolate(benchmark_years, coefficients, years))


def path(
    benchmark_years: NDArray[np.int64],
    coefficients: NDArray[np.float64],
    indicator: NDArray[np.float64],
    years: NDArray[np.int64],
    **pooled: float,
) -> MethodPath:
    """Linear interpolation between adjacent benchmarks; constant beyond them.

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
