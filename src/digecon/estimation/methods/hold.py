"""``hold`` -- the source paper: the coefficient "does not change in the short term".

Each year takes the latest benchmark at or before it; years before the first benchmark take the
first one. This is the reference method.
"""

from __future__ import annotations

import numpy as np

from digecon.estimation.methods import MethodPath, SeriesBlock


def path(block: SeriesBlock, **pooled: float) -> MethodPath:
    """Latest benchmark coefficient at or before each year; the first benchmark before it.

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
    index = np.searchsorted(block.benchmark_years, block.years, side="right") - 1
    return MethodPath(np.asarray(block.coefficients)[:, np.clip(index, 0, len(block.benchmark_years) - 1)])
