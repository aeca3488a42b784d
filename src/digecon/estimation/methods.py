"""Paths of a benchmark coefficient between and beyond benchmark years.

Each function takes the benchmark years and coefficients of one series and the years wanted,
and reproduces the benchmark coefficients exactly in benchmark years (METHOD.md section 3).

* ``hold`` -- the source paper: the latest benchmark at or before t (the first one before it).
* ``linear`` -- linear interpolation (proportional Denton, first differences, point benchmarks);
  held constant beyond the first and last benchmark.
* ``spline`` -- natural cubic spline through the benchmarks (smooth, second-difference-like);
  held constant beyond the ends, and clipped to [0, 1] since coefficients are shares.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from scipy.interpolate import CubicSpline

PATH_METHODS = ("hold", "linear", "spline")


def hold(benchmark_years: NDArray, coefficients: NDArray, years: NDArray) -> NDArray:
    """Latest benchmark at or before each year; the first benchmark before it."""
    index = np.searchsorted(benchmark_years, years, side="right") - 1
    return coefficients[np.clip(index, 0, len(benchmark_years) - 1)]


def linear(benchmark_years: NDArray, coefficients: NDArray, years: NDArray) -> NDArray:
    """Linear interpolation between adjacent benchmarks; constant beyond them."""
    return np.interp(years, benchmark_years, coefficients)


def spline(benchmark_years: NDArray, coefficients: NDArray, years: NDArray) -> NDArray:
    """Natural cubic spline through three or more benchmarks (linear for two); constant beyond the
    ends and clipped to [0, 1]."""
    if len(benchmark_years) < 3:
        return linear(benchmark_years, coefficients, years)
    inside = np.clip(years, benchmark_years[0], benchmark_years[-1])
    path = CubicSpline(benchmark_years, coefficients, bc_type="natural")(inside)
    return np.clip(path, 0.0, 1.0)


def coefficient_path(method: str, benchmark_years: NDArray, coefficients: NDArray, years: NDArray) -> NDArray:
    """Dispatch to :func:`hold`, :func:`linear` or :func:`spline`.

    Raises
    ------
    ValueError
        For an unknown method, or no benchmark at all.
    """
    if len(benchmark_years) == 0:
        raise ValueError("a coefficient path needs at least one benchmark")
    order = np.argsort(benchmark_years)
    functions = {"hold": hold, "linear": linear, "spline": spline}
    if method not in functions:
        raise ValueError(f"unknown method {method!r}; expected one of {', '.join(functions)}")
    return functions[method](np.asarray(benchmark_years)[order], np.asarray(coefficients)[order], np.asarray(years))


def flags(benchmark_years: NDArray, years: NDArray) -> tuple[NDArray, NDArray, NDArray]:
    """Flag (benchmark / interpolated / extrapolated), distance in years to the nearest benchmark,
    and that nearest benchmark year."""
    benchmark_years = np.asarray(benchmark_years)
    years = np.asarray(years)
    gaps = np.abs(years[:, None] - benchmark_years[None, :])
    nearest = gaps.argmin(axis=1)
    distance = gaps[np.arange(len(years)), nearest]
    inside = (years > benchmark_years.min()) & (years < benchmark_years.max())
    flag = np.where(distance == 0, "benchmark", np.where(inside, "interpolated", "extrapolated"))
    return flag, distance, benchmark_years[nearest]
