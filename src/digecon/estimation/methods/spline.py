"""``spline`` -- a smooth path through the benchmarks (second-difference Denton's cousin).

A natural cubic spline through three or more benchmarks (linear for two, constant for one),
held constant beyond the ends, and clipped to [0, 1] because a spline can overshoot and the
coefficients are shares.
"""

from __future__ import annotations

import numpy as np

from digecon.estimation.methods import MethodPath, SeriesBlock, linear, pin_benchmarks


def path(block: SeriesBlock, **pooled: float) -> MethodPath:
    """Natural cubic spline through the benchmarks; constant beyond the ends, clipped to [0, 1].

    Parameters
    ----------
    block
        The series (:class:`~digecon.estimation.methods.SeriesBlock`); the indicator is not used.
    **pooled
        None used.

    Returns
    -------
    MethodPath
        The coefficient (series x years); no standard error, no parameters.
    """
    if len(block.benchmark_years) < 3:
        return linear.path(block)
    from scipy.interpolate import CubicSpline  # here: the Snakefile reads the registry at parse time

    inside = np.clip(block.years, block.benchmark_years[0], block.benchmark_years[-1])
    spline = CubicSpline(block.benchmark_years, np.asarray(block.coefficients).T, bc_type="natural")(inside).T
    # float round-off of the last interval's polynomial at its right knot is removed by the pin
    return MethodPath(pin_benchmarks(np.clip(spline, 0.0, 1.0), block))
