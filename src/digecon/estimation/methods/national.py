"""``national`` -- the province's gap to the national coefficient, carried along the national coefficient's path.

For a series with benchmark coefficients c[p,b] and the same coefficient nationally, c_nat(t)
(from the national 42-sector tables, interpolated between their years and held beyond them:
:func:`digecon.estimation.national.national_coefficients`)::

    c[p,t] = c_nat(t) x interp_t( c[p,b] / c_nat(b) )

the ratio interpolated linearly over the benchmark years (``np.interp``: exact at the benchmarks,
held beyond the first and the last). Beyond the last regional table the coefficient moves as the
national one does, c[p,t] = c[p,b_last] x c_nat(t) / c_nat(b_last); between tables the province's
gap to the nation is interpolated while the national coefficient moves. It assumes that a
province's coefficient moves with the nation's, up to a gap that changes only linearly between
its own tables. It is a coefficient path, not a rescaling of provincial levels to the national
total. Clipped to [0, 1] like the other paths (the coefficients are shares).
"""

from __future__ import annotations

import numpy as np

from digecon.estimation.methods import MethodPath, SeriesBlock, pin_benchmarks

NO_NATIONAL = (
    "method 'national' needs the national coefficient of every series, from national 42-sector IO tables "
    "(province code 0 among the IO tables, or the ionet tables): {why}; remove 'national' from "
    "estimate.methods or add a national table"
)


def path(block: SeriesBlock, **pooled: float) -> MethodPath:
    """Carry the province's interpolated ratio to the national coefficient along the national path.

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
    ratio = np.asarray(block.coefficients) / national[:, at]
    gap = np.array([np.interp(block.years, block.benchmark_years, r) for r in ratio])
    return MethodPath(pin_benchmarks(np.clip(national * gap, 0.0, 1.0), block))
