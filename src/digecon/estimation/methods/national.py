"""``national`` -- beyond the province's tables, its coefficient moves as the national coefficient does.

For a series with benchmark coefficients c[p,b] and the same coefficient nationally, c_nat(t)
(from the national 42-sector tables, interpolated between their years and held beyond them:
:func:`digecon.estimation.national.national_coefficients`)::

    c[p,t] = c[p,b_last] x c_nat(t) / c_nat(b_last)     after the last table (before the first: b_first)
    c[p,t] = linear interpolation of c[p,b]              between the tables (as ``linear``)

Beyond its own tables a province has no evidence of how its coefficient moved; the national
tables of later years (2018, 2020) do, for the nation. The path assumes the province's coefficient
moves in proportion to the nation's, from its last table on. Between tables it is ``linear``: the
province's own tables bound the path there (carrying the national movement between them was
measured and was not better: docs/method.md). It is a coefficient path, not a rescaling of
provincial levels to the national total. Clipped to [0, 1] like the other paths.
"""

from __future__ import annotations

import numpy as np

from digecon.estimation.methods import MethodPath, SeriesBlock, linear, pin_benchmarks

NO_NATIONAL = (
    "method 'national' needs the national coefficient of every series, from national 42-sector IO tables "
    "(province code 0 among the IO tables, or the ionet tables): {why}; remove 'national' from "
    "estimate.methods or add a national table"
)


def path(block: SeriesBlock, **pooled: float) -> MethodPath:
    """Interpolate between the benchmarks; beyond them, move the edge coefficient with the national one.

    Parameters
    ----------
    block
        The series (:class:`~digecon.estimation.methods.SeriesBlock`) with ``national``, c_nat over
        ``years`` for every series; the indicator is not used.
    **pooled
        None used.

    Returns
    -------
    MethodPath
        The coefficient (series x years), exact at the benchmarks, clipped to [0, 1]; no standard
        error, no parameters.

    Raises
    ------
    ValueError
        If the block has no national coefficients, or one that is missing or not positive.
    """
    if block.national is None:
        raise ValueError(NO_NATIONAL.format(why="the run has none"))
    national = np.asarray(block.national, dtype=float)
    if not (np.isfinite(national) & (national > 0)).all():
        bad = int((~(np.isfinite(national) & (national > 0))).any(axis=1).sum())
        raise ValueError(NO_NATIONAL.format(why=f"{bad} series lack a positive one in some year"))
    at = np.searchsorted(block.years, block.benchmark_years)
    coefficients = np.asarray(block.coefficients)
    # the ratio to the nation, held beyond the first and last benchmark, times the national path
    ratio = np.array([np.interp(block.years, block.benchmark_years, r) for r in coefficients / national[:, at]])
    between = linear.path(block).coefficient
    inside = (block.years >= block.benchmark_years.min()) & (block.years <= block.benchmark_years.max())
    moved = np.where(inside, between, national * ratio)
    return MethodPath(pin_benchmarks(np.clip(moved, 0.0, 1.0), block))
