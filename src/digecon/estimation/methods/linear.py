"""``linear`` -- linear interpolation of the coefficient between adjacent benchmarks.

With point benchmarks this is proportional Denton with first differences (IMF QNA Manual,
ch. 6); the coefficient is held constant beyond the first and the last benchmark.
"""

from __future__ import annotations

import numpy as np

from digecon.estimation.methods import MethodPath, SeriesBlock, hold


def path(block: SeriesBlock, **pooled: float) -> MethodPath:
    """Linear interpolation between adjacent benchmarks (``np.interp``); constant beyond them.

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
    if len(block.benchmark_years) == 1:
        return hold.path(block)
    return MethodPath(np.array([np.interp(block.years, block.benchmark_years, c) for c in block.coefficients]))
