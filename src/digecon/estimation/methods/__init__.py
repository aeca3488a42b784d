"""Registry of the methods that carry a benchmark coefficient between and beyond benchmark years.

A method is one module and one line in :data:`METHODS`. Its ``path`` function takes a *block*:
the series of one component that share their benchmark years (one province's series is a block
of one), and returns the coefficient of every series in every year::

    path(block: SeriesBlock, **pooled) -> MethodPath

Every method reproduces its benchmark coefficients exactly in benchmark years and keeps the
coefficients in [0, 1] (METHOD.md section 3). A method whose parameters are shared across
provinces (Chow-Lin's rho) also gives ``pool(blocks) -> parameters``: it is fitted once per
component over every block of that component (all provinces, or the provinces of one backtest
design), and its result is passed to ``path`` as keyword arguments. The estimate and the backtest
only ever go through :func:`method`, so adding a method needs no other code change.

A block also carries the same coefficient nationally, c_nat over its years, where the run has
national 42-sector tables (:attr:`SeriesBlock.national`): the ``national`` method moves each
province's coefficient with it; the other methods ignore it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray


@dataclass(frozen=True)
class SeriesBlock:
    """Series of one component sharing their benchmark years: what a method's ``path`` sees at once."""

    benchmark_years: NDArray[np.int64]  # (benchmarks,), ascending, each one of ``years``
    coefficients: NDArray[np.float64]  # (series, benchmarks): the benchmark coefficients (shares)
    indicator: NDArray[np.float64]  # (series, years): X over ``years``, 亿元
    years: NDArray[np.int64]  # (years,), ascending
    national: NDArray[np.float64] | None = None  # (series, years): c_nat over ``years``, None without national tables


@dataclass(frozen=True)
class MethodPath:
    """What a method returns for a block.

    Attributes
    ----------
    coefficient
        (series, years): the coefficient in every year (a share, in [0, 1]).
    se_100m_yuan
        (series, years): standard error of the value V = c X (亿元), or None where the method has none.
    parameters
        Fitted parameters worth reporting, one value per series, e.g. ``{"rho": array([0.87, ...])}``.
    """

    coefficient: NDArray[np.float64]
    se_100m_yuan: NDArray[np.float64] | None = None
    parameters: dict[str, NDArray[np.float64]] = field(default_factory=dict)


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
        ``(block, **pooled) -> MethodPath``.
    pool
        Optional: fits the parameters shared by the blocks of one component and returns them as
        keyword arguments for ``path``.
    national
        Whether the path moves with the national tables (:attr:`SeriesBlock.national`), and with them
        the national split ratios: its values are not re-split after the last benchmark
        (:func:`digecon.estimation.ratio_paths.follow_national_split`).
    """

    name: str
    description: str
    path: Callable[..., MethodPath]
    pool: Callable[[Sequence[SeriesBlock]], dict[str, float]] | None = None
    national: bool = False


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


def pin_benchmarks(coefficient: NDArray[np.float64], block: SeriesBlock) -> NDArray[np.float64]:
    """Set the paths to the benchmark coefficients in benchmark years (removes float round-off).

    Parameters
    ----------
    coefficient
        (series, years): paths over ``block.years``.
    block
        The benchmarks the paths must reproduce.

    Returns
    -------
    ndarray
        A copy of ``coefficient``, equal to ``block.coefficients`` in every benchmark year.
    """
    out = np.array(coefficient, dtype=float)
    position = np.searchsorted(block.benchmark_years, block.years).clip(0, len(block.benchmark_years) - 1)
    hit = block.benchmark_years[position] == block.years
    out[:, hit] = np.asarray(block.coefficients)[:, position[hit]]
    return out


# The method modules import from this package, so they are imported once its names are defined.
from digecon.estimation.methods import chow_lin, hold, linear, national, spline  # noqa: E402

METHODS: dict[str, Method] = {
    m.name: m
    for m in (
        Method("hold", "latest benchmark at or before the year, the first one before it (the source paper)", hold.path),
        Method("linear", "linear interpolation between benchmarks (proportional Denton), held beyond", linear.path),
        Method("spline", "natural cubic spline through the benchmarks, held beyond, clipped to [0, 1]", spline.path),
        Method("chow_lin", "Chow-Lin GLS, AR(1) errors, rho pooled by cross-validation", chow_lin.path, chow_lin.pool),
        Method(
            "national",
            "linear between benchmarks; beyond them the coefficient moves with the national one (national IO tables)",
            national.path,
            national=True,
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
