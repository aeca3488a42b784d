"""Registry of the methods that carry a benchmark coefficient between and beyond benchmark years.

A method is one module with a ``path`` function (and, where parameters are shared across
provinces, a ``pool`` function) plus one line in :data:`METHODS`. Every path function has the
same signature::

    path(benchmark_years, coefficients, indicator, years, **pooled) -> MethodPath

``benchmark_years`` ascending and unique, ``coefficients`` the benchmark coefficients (shares),
``indicator`` the annual indicator X over ``years`` (亿元) and ``pooled`` what the method's
``pool`` fitted over every province's series of the same component. Every method reproduces
its benchmark coefficients exactly in benchmark years and keeps coefficients in [0, 1]
(METHOD.md section 3). The estimator (:func:`digecon.estimation.estimate.annual_paths`) and the
backtest only ever go through :func:`method`, so adding a method needs no other code change.

For thousands of regions a method may also give ``paths``, the same function on a *block*: the
series of one component that share their benchmark years, ``coefficients`` of shape (series,
benchmarks) and ``indicator`` of shape (series, years), returning a :class:`MethodPath` of 2-D
arrays (parameters one value per series). Without it the estimator calls ``path`` series by
series. A method whose pooled parameters come from statistics that can be pooled across chunks
of regions gives ``statistics`` (one block -> a table of rows) and ``choose`` (the rows of every
block -> the parameters), ``pool`` being ``choose`` of the ``statistics`` of every block; this is
what lets the chunked run (:mod:`digecon.estimation.stages`) fit the same parameters as the
unchunked one. :func:`digecon.api.estimate_tables` goes through those stages, so a method that
pools parameters across regions must give ``statistics`` and ``choose`` to be used there (its
``pool`` alone serves :func:`~digecon.estimation.estimate.annual_paths`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray


@dataclass(frozen=True)
class MethodPath:
    """What a method returns for one series.

    Attributes
    ----------
    coefficient
        The coefficient in every year of the grid (a share, in [0, 1]).
    se_100m_yuan
        Standard error of the value V = c X in every year (亿元), or None where the method has none.
    parameters
        Fitted parameters worth reporting, e.g. ``{"rho": 0.87}``.
    """

    coefficient: NDArray[np.float64]
    se_100m_yuan: NDArray[np.float64] | None = None
    parameters: dict[str, float] = field(default_factory=dict)  # of a block: one array per parameter


@dataclass(frozen=True)
class SeriesInput:
    """The arguments of a path function for one province x component (what ``pool`` receives)."""

    benchmark_years: NDArray[np.int64]
    coefficients: NDArray[np.float64]
    indicator: NDArray[np.float64]  # X over ``years``, 亿元
    years: NDArray[np.int64]


# A block is a SeriesInput of 2-D ``coefficients`` (series x benchmarks) and ``indicator`` (series x years).
PathFunction = Callable[..., MethodPath]
PoolFunction = Callable[[Sequence[SeriesInput]], dict[str, float]]
StatisticsFunction = Callable[[SeriesInput], NDArray[np.float64]]
ChooseFunction = Callable[[NDArray[np.float64]], dict[str, float]]


@dataclass(frozen=True)
class Method:
    """One registered method.

    Attributes
    ----------
    name
        Key in :data:`METHODS`, the ``method`` column of every output.
    description
        One line for documentation and captions.
    path
        ``(benchmark_years, coefficients, indicator, years, **pooled) -> MethodPath``.
    pool
        Optional: fits the parameters shared by the series of one component (all provinces, or
        the provinces of one backtest design) and returns them as keyword arguments for ``path``.
    paths
        Optional: ``path`` on a block (module docstring), for speed; same numbers.
    statistics, choose
        Optional, with ``pool``: its two halves, ``statistics(block) -> rows`` (a 2-D array, rows
        of every block stack) and ``choose(rows) -> parameters``.
    """

    name: str
    description: str
    path: PathFunction
    pool: PoolFunction | None = None
    paths: PathFunction | None = None
    statistics: StatisticsFunction | None = None
    choose: ChooseFunction | None = None


FLAGS = ("benchmark", "interpolated", "extrapolated")  # the flags of flags(), in this order


def flags(benchmark_years: NDArray, years: NDArray) -> tuple[NDArray, NDArray, NDArray]:
    """Flag each year and give its distance to the nearest benchmark and that benchmark's year.

    Parameters
    ----------
    benchmark_years
        The benchmark years, ascending.
    years
        The years to flag.

    Returns
    -------
    (flag, distance, nearest)
        Per year: ``benchmark``, ``interpolated`` (strictly between the first and the last
        benchmark) or ``extrapolated``; the distance in years to the nearest benchmark; and that
        benchmark's year (the earlier one when two are equally near).
    """
    benchmark_years = np.asarray(benchmark_years)
    years = np.asarray(years)
    gaps = np.abs(years[:, None] - benchmark_years[None, :])
    nearest = gaps.argmin(axis=1)
    distance = gaps[np.arange(len(years)), nearest]
    inside = (years > benchmark_years.min()) & (years < benchmark_years.max())
    benchmark, interpolated, extrapolated = FLAGS
    flag = np.where(distance == 0, benchmark, np.where(inside, interpolated, extrapolated))
    return flag, distance, benchmark_years[nearest]


def one_series(
    paths: PathFunction,
    benchmark_years: NDArray,
    coefficients: NDArray,
    indicator: NDArray,
    years: NDArray,
    **pooled: float,
) -> MethodPath:
    """Run a block function (``paths``) on one series: the per-series ``path`` of a method that has one.

    Parameters
    ----------
    paths
        The method's block function.
    benchmark_years, coefficients, indicator, years, **pooled
        As for ``path`` (one series).

    Returns
    -------
    MethodPath
        The block's first (only) row, its parameters as floats.
    """
    block = paths(
        np.asarray(benchmark_years),
        np.asarray(coefficients, dtype=float)[None, :],
        np.asarray(indicator, dtype=float)[None, :],
        np.asarray(years),
        **pooled,
    )
    se = None if block.se_100m_yuan is None else block.se_100m_yuan[0]
    return MethodPath(block.coefficient[0], se, {k: float(v[0]) for k, v in block.parameters.items()})


def pin_benchmarks(
    coefficient: NDArray[np.float64], benchmark_years: NDArray, coefficients: NDArray, years: NDArray
) -> NDArray[np.float64]:
    """Set the path to the benchmark coefficients in benchmark years (removes float round-off).

    Parameters
    ----------
    coefficient
        A path over ``years``.
    benchmark_years, coefficients
        The benchmarks it must reproduce.
    years
        The years of ``coefficient``.

    Returns
    -------
    ndarray
        A copy of ``coefficient``, equal to ``coefficients`` wherever ``years`` is a benchmark year.
    """
    out = np.array(coefficient, dtype=float)
    position = np.searchsorted(benchmark_years, years).clip(0, len(benchmark_years) - 1)
    hit = np.asarray(benchmark_years)[position] == years
    out[..., hit] = np.asarray(coefficients)[..., position[hit]]  # works on one series or a block
    return out


# The method modules import MethodPath from this package, so they are imported once it is defined.
from digecon.estimation.methods import chow_lin, hold, linear, spline  # noqa: E402

METHODS: dict[str, Method] = {
    m.name: m
    for m in (
        Method(
            "hold",
            "latest benchmark at or before the year, the first one before it (the source paper)",
            hold.path,
            paths=hold.paths,
        ),
        Method(
            "linear",
            "linear interpolation between benchmarks (proportional Denton), held beyond",
            linear.path,
            paths=linear.paths,
        ),
        Method(
            "spline",
            "natural cubic spline through the benchmarks, held beyond, clipped to [0, 1]",
            spline.path,
            paths=spline.paths,
        ),
        Method(
            "chow_lin",
            "Chow-Lin GLS, AR(1) errors, rho pooled by cross-validation",
            chow_lin.path,
            chow_lin.pool,
            paths=chow_lin.paths,
            statistics=chow_lin.statistics,
            choose=chow_lin.choose,
        ),
    )
}


def method(name: str) -> Method:
    """Look up the registered method called ``name``.

    Parameters
    ----------
    name
        A key of :data:`METHODS`.

    Returns
    -------
    Method
        Its path (and pool) functions and description.

    Raises
    ------
    ValueError
        For a name that is not registered, listing the known ones.
    """
    if name not in METHODS:
        raise ValueError(f"unknown method {name!r}; expected one of {', '.join(METHODS)}")
    return METHODS[name]
