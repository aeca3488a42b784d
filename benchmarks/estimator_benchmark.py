"""Benchmark (not a test): the estimator's speed, and Chow-Lin against the PyPI package tempdisagg.

Prints the time for every method over 31 provinces x 4 components (one process, inputs already
read), and the ratio against tempdisagg running Chow-Lin on the same series with the same rho
(pinned by a 1e-6-wide search interval), plus the largest difference between the two paths.
The models coincide for the provinces with four benchmarks (2002, 2007, 2012, 2017) on
2002-2021: four complete five-year blocks, ``conversion = "first"``, indicator without constant.

Usage: python benchmarks/estimator_benchmark.py [/path/to/shared/data]   (needs `pip install tempdisagg`)
"""

from __future__ import annotations

import os
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

import digecon
from digecon.estimation import chowlin
from digecon.estimation.estimate import CONVENTIONS, benchmark_coefficients, benchmark_components, estimate_all
from digecon.estimation.indicators import indicator_series
from digecon.estimation.methods import METHODS

YEARS = list(range(2002, 2022))  # four complete blocks of five years for tempdisagg
BLOCK = 5


def timed(work, repeats: int = 5):
    """Run ``work`` ``repeats`` times; its result and the best wall time (short runs are noisy on a shared machine).

    Parameters
    ----------
    work
        A function without arguments.
    repeats
        How many times to run it.

    Returns
    -------
    (result, seconds)
        The last run's result and the shortest run's wall time, s.
    """
    best = np.inf
    for _ in range(repeats):
        start = time.perf_counter()
        out = work()
        best = min(best, time.perf_counter() - start)
    return out, best


def main() -> None:
    """Print the timings and the comparison with tempdisagg (mirror: argv, $DIGECON_MIRROR or ../shared/data)."""
    default = os.environ.get("DIGECON_MIRROR") or Path(__file__).resolve().parents[2] / "shared" / "data"
    inputs = digecon.load_inputs(Path(sys.argv[1] if len(sys.argv) > 1 else default))
    indicators = indicator_series(inputs.yearbook, YEARS)
    benchmarks = benchmark_components(inputs.io_tables, inputs.ratios)

    _, all_methods = timed(lambda: estimate_all(benchmarks, indicators, YEARS, list(METHODS), list(CONVENTIONS)))
    ours, chow_lin_time = timed(lambda: estimate_all(benchmarks, indicators, YEARS, ["chow_lin"], ["share"]))
    n_series = ours.groupby(["province_code", "component"]).ngroups
    print(
        f"digecon, all {len(METHODS)} methods x {len(CONVENTIONS)} conventions, {n_series} series: {all_methods:.2f} s"
    )
    print(f"digecon, Chow-Lin only (incl. pooled rho by cross-validation), {n_series} series: {chow_lin_time:.2f} s")

    try:
        from tempdisagg import TempDisaggModel
    except ImportError:
        print("tempdisagg not installed (pip install tempdisagg): skipping the comparison")
        return
    coefficients = benchmark_coefficients(benchmarks[benchmarks["province_code"] != 0], indicators, "share")
    x = indicators.set_index(["aggregate", "province_code", "year"])["indicator_100m_yuan"]
    complete = coefficients.groupby(["province_code", "component"]).filter(lambda g: len(g) == 4)
    rho_of = ours.groupby(["province_code", "component"])["rho"].first()
    differences, tempdisagg_time, same_series = [], 0.0, []
    for key, group in complete.groupby(["province_code", "component"]):
        code, rho = key[0], rho_of[key]
        indicator = x.loc[(group["aggregate"].iloc[0], code)].reindex(YEARS).to_numpy()
        y_low = (group["coefficient"] * group["indicator_100m_yuan"]).to_numpy()
        frame = pd.DataFrame(
            {
                "Index": np.repeat(np.arange(len(y_low)), BLOCK),
                "Grain": np.tile(np.arange(BLOCK), 4),
                "y": np.repeat(y_low, BLOCK),
                "X": indicator,
            }
        )
        start = time.perf_counter()  # only tempdisagg's own work is timed
        model = TempDisaggModel(method="chow-lin", conversion="first", rho_min=rho - 1e-6, rho_max=rho + 1e-6)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model.fit(frame)
        theirs = np.asarray(model.predict()).ravel()
        tempdisagg_time += time.perf_counter() - start
        series = chowlin.Series(indicator, np.arange(0, 20, BLOCK), y_low)
        mine, _ = chowlin.interpolate(series, rho)
        differences.append(np.max(np.abs(theirs - mine) / np.maximum(np.abs(mine), 1.0)))
        same_series.append((series, rho))
    _, ours_same = timed(lambda: [chowlin.interpolate(s, r) for s, r in same_series])
    print(f"tempdisagg Chow-Lin, {len(same_series)} series with four benchmarks, rho given: {tempdisagg_time:.2f} s")
    print(f"digecon Chow-Lin, the same series, rho given (path and standard errors): {ours_same:.3f} s")
    print(f"speed ratio, like for like (tempdisagg / digecon): {tempdisagg_time / ours_same:.0f}x   target >= 20x")
    with_selection = chow_lin_time * len(same_series) / n_series
    print(
        f"speed ratio, digecon including pooled rho selection and the output table: "
        f"{tempdisagg_time / with_selection:.0f}x"
    )
    print(f"largest relative difference of the annual paths: {max(differences):.2e}")


if __name__ == "__main__":
    main()
