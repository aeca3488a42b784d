"""Benchmark (not a test): the estimator on the real data, and its Chow-Lin against statsmodels and tempdisagg.

Prints
  1. the time of :func:`digecon.estimate` on the 31 provinces (every method, convention and candidate
     chain, the backtest, the bands), in this process with the inputs already read;
  2. the same estimate with Chow-Lin fitted one series at a time by ``statsmodels.GLS`` instead of a
     whole block of series at once (:func:`digecon.estimation.methods.chow_lin.interpolate`), the
     ratio of the two, and the largest difference of the values: the measured gain that keeps the
     block fit;
  3. with ``pip install tempdisagg``: tempdisagg's Chow-Lin on the series with four benchmarks
     (2002, 2007, 2012, 2017 on 2002-2021: four complete five-year blocks, ``conversion = "first"``,
     no constant) with the same rho, against digecon's, and the largest difference of the paths.

Usage: python benchmarks/estimator_benchmark.py [/path/to/shared/data]
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
from digecon.estimation.methods import chow_lin

BLOCK = 5


def timed(work, repeats: int = 3):
    """Run ``work`` ``repeats`` times; give its last result and the shortest wall time, s."""
    best = np.inf
    for _ in range(repeats):
        start = time.perf_counter()
        out = work()
        best = min(best, time.perf_counter() - start)
    return out, best


def interpolate_series_by_series(indicator, benchmark_index, benchmark_values, rho):
    """:func:`chow_lin.interpolate` with one ``statsmodels.GLS`` fit per series (the simple way, for comparison)."""
    from statsmodels.regression.linear_model import GLS

    b = np.asarray(benchmark_index)
    x = np.asarray(indicator, dtype=float)
    sigma = chow_lin.ar1_covariance(np.arange(x.shape[1], dtype=float), rho)
    weights = np.linalg.solve(sigma[np.ix_(b, b)], sigma[b, :]).T
    unexplained = np.diag(sigma) - np.einsum("tb,bt->t", weights, sigma[b, :])
    paths, errors = np.empty_like(x), np.empty_like(x)
    for i, (row, y) in enumerate(zip(x, np.asarray(benchmark_values, dtype=float), strict=True)):
        fit = GLS(y, row[b][:, None], sigma=sigma[np.ix_(b, b)], hasconst=False).fit()
        beta = fit.params[0]
        paths[i] = row * beta + weights @ (y - row[b] * beta)
        h = row - weights @ row[b]
        errors[i] = np.sqrt(fit.scale * np.clip(unexplained + h * fit.normalized_cov_params[0, 0] * h, 0, None))
        paths[i, b], errors[i, b] = y, 0.0
    return paths, errors


def main() -> None:
    """Print the timings and comparisons (mirror: argv, $DIGECON_MIRROR or ../shared/data)."""
    default = os.environ.get("DIGECON_MIRROR") or Path(__file__).resolve().parents[2] / "shared" / "data"
    inputs = digecon.load_inputs(Path(sys.argv[1] if len(sys.argv) > 1 else default))
    settings = digecon.Settings()
    block_result, block_time = timed(lambda: digecon.estimate(inputs, settings))
    print(f"digecon.estimate, 31 provinces, every method, convention and candidate chain: {block_time:.2f} s")

    fitted = chow_lin.interpolate
    chow_lin.interpolate = interpolate_series_by_series
    try:
        series_result, series_time = timed(lambda: digecon.estimate(inputs, settings))
    finally:
        chow_lin.interpolate = fitted
    mine, theirs = (r.values["value_100m_yuan"].to_numpy() for r in (block_result, series_result))
    print(f"the same with one statsmodels.GLS fit per Chow-Lin series: {series_time:.2f} s")
    print(f"gain of the block fit on the real run: {series_time / block_time:.1f}x")
    print(f"largest relative difference of the values: {np.max(np.abs(mine - theirs) / np.maximum(mine, 1)):.1e}")
    compare_with_tempdisagg(block_result)


def compare_with_tempdisagg(result: digecon.Result) -> None:
    """Chow-Lin of tempdisagg on the four-benchmark series of the estimate, with the rho the estimate chose."""
    try:
        from tempdisagg import TempDisaggModel
    except ImportError:
        print("tempdisagg not installed (pip install tempdisagg): no comparison with it")
        return
    years = list(range(2002, 2022))
    chosen = result.values.query("method == 'chow_lin' and convention == 'share'")
    rows = chosen[chosen["year"].isin(years) & (chosen["benchmark_years"] == "2002,2007,2012,2017")]
    differences, theirs_time, blocks = [], 0.0, []
    for _, series in rows.groupby(["province_code", "component"]):
        x = series["indicator_value_100m_yuan"].to_numpy()
        y_low = series.loc[series["flag"] == "benchmark", "value_100m_yuan"].to_numpy()
        rho = float(series["rho"].iloc[0])
        frame = pd.DataFrame(
            {
                "Index": np.repeat(np.arange(4), BLOCK),
                "Grain": np.tile(np.arange(BLOCK), 4),
                "y": np.repeat(y_low, BLOCK),
                "X": x,
            }
        )
        start = time.perf_counter()  # only tempdisagg's own work is timed
        model = TempDisaggModel(method="chow-lin", conversion="first", rho_min=rho - 1e-6, rho_max=rho + 1e-6)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model.fit(frame)
        path = np.asarray(model.predict()).ravel()
        theirs_time += time.perf_counter() - start
        mine, _ = chow_lin.interpolate(x[None, :], np.arange(0, 20, BLOCK), y_low[None, :], rho)
        differences.append(np.max(np.abs(path - mine[0]) / np.maximum(np.abs(mine[0]), 1.0)))
        blocks.append((x, y_low, rho))
    _, ours_time = timed(
        lambda: [chow_lin.interpolate(x[None, :], np.arange(0, 20, BLOCK), y[None, :], r) for x, y, r in blocks]
    )
    print(f"tempdisagg Chow-Lin, {len(blocks)} series with four benchmarks, rho given: {theirs_time:.2f} s")
    print(f"digecon Chow-Lin, the same series one at a time: {ours_time:.3f} s ({theirs_time / ours_time:.0f}x)")
    print(f"largest relative difference of the annual paths: {max(differences):.2e}")


if __name__ == "__main__":
    main()
