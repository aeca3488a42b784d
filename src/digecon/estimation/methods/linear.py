"""``linear`` -- linear interpolation of the coefficient between adjacent benchmarks.

With point benchmarks this is proportional Denton with first differences (IMF QNA Manual,
ch. 6); the coefficient is held constant beyond the first and the last benchmark.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from digecon.estimation.methods import MethodPath


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
    return MethodPath(coefficient=np.interp(years, benchmark_years, coefficients))
