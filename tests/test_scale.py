"""Methods on blocks of series give the per-series numbers bit for bit (the estimator's speed at scale).

The estimator runs each method on every series of a component sharing its benchmark years at once
(:mod:`digecon.estimation.methods`); these pin that the block is only faster, never different.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.interpolate import CubicSpline

from digecon.estimation.methods import hold, linear, pin_benchmarks, spline

YEARS = np.arange(2000, 2025)
PATTERNS = [[2002], [2002, 2012], [2002, 2007, 2012], [2002, 2007, 2012, 2017, 2022], [2003, 2004, 2011, 2019]]


def block(pattern: list[int], seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    benchmarks = np.array(pattern)
    coefficients = rng.uniform(0, 1, (200, len(pattern))) * rng.choice([1e-3, 0.5, 1.0], (200, 1))
    return benchmarks, coefficients, rng.uniform(1, 100, (200, len(YEARS)))


@pytest.mark.parametrize("pattern", PATTERNS)
def test_linear_block_is_numpy_interp_row_by_row(pattern: list[int]) -> None:
    benchmarks, coefficients, x = block(pattern)
    result = linear.paths(benchmarks, coefficients, x, YEARS).coefficient
    expected = np.array([np.interp(YEARS, benchmarks, c) for c in coefficients])
    assert np.array_equal(result, expected)


@pytest.mark.parametrize("pattern", PATTERNS)
def test_spline_block_is_the_spline_of_each_row(pattern: list[int]) -> None:
    benchmarks, coefficients, x = block(pattern, seed=1)
    result = spline.paths(benchmarks, coefficients, x, YEARS).coefficient
    for c, row in zip(coefficients, result, strict=True):
        if len(benchmarks) < 3:
            expected = np.interp(YEARS, benchmarks, c)
        else:
            inside = np.clip(YEARS, benchmarks[0], benchmarks[-1])
            curve = np.clip(CubicSpline(benchmarks, c, bc_type="natural")(inside), 0.0, 1.0)
            expected = pin_benchmarks(curve, benchmarks, c, YEARS)
        assert np.array_equal(row, expected)


@pytest.mark.parametrize("pattern", PATTERNS)
def test_hold_block_and_one_series_agree(pattern: list[int]) -> None:
    benchmarks, coefficients, x = block(pattern, seed=2)
    result = hold.paths(benchmarks, coefficients, x, YEARS).coefficient
    for c, xs, row in zip(coefficients, x, result, strict=True):
        assert np.array_equal(hold.path(benchmarks, c, xs, YEARS).coefficient, row)
