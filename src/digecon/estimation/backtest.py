"""Validation the estimator runs on itself (METHOD.md section 4) and the bounds derived from it.

* Leave-one-benchmark-out: drop 2007 (or 2012), estimate its coefficient from the other
  benchmarks with each method, compare with the table's own coefficient.
* Extrapolation: estimate 2017 from 2002-2012 only.
* Bounds: for each convention, method, component and kind (interpolation / extrapolation),
  the 80th percentile of the absolute percentage errors over provinces, measured at a
  distance of 5 years from the nearest benchmark used, is scaled linearly by the distance
  of a year to its nearest benchmark: half-width = q80 x distance / 5. Benchmark years get
  no band; years beyond the last benchmark use the extrapolation errors.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from digecon.estimation.estimate import annual_paths, benchmark_coefficients
from digecon.core.provinces import NATIONAL_CODE

HOLDOUTS = ((2007, "leave_one_out"), (2012, "leave_one_out"), (2017, "extrapolation"))
REFERENCE_DISTANCE = 5  # years between the held-out table and its nearest remaining benchmark
BAND_QUANTILE = 0.8
MIN_ACTUAL_100M_YUAN = 1.0  # errors of components below 1 亿元 (e.g. Qinghai electronics) are not meaningful
BACKTEST_COLUMNS = [
    "holdout_year",
    "design",
    "kind",
    "province_code",
    "component",
    "method",
    "convention",
    "estimate",
    "actual",
    "ape",
    "estimate_coefficient",
    "actual_coefficient",
    "benchmarks_used",
]


def backtest(
    benchmarks: pd.DataFrame, indicators: pd.DataFrame, years: list[int], methods: list[str], conventions: list[str]
) -> pd.DataFrame:
    """Held-out benchmark errors for every method, convention, component and province.

    ``estimate`` and ``actual`` are values in 亿元 (coefficient x indicator of the held-out year,
    so under the ``benchmark`` convention ``actual`` is the IO table's value); ``ape`` is
    |estimate - actual| / actual, left empty where actual < 1 亿元.
    """
    provincial = benchmarks[benchmarks["province_code"] != NATIONAL_CODE]
    rows = []
    for convention in conventions:
        coefficients = benchmark_coefficients(provincial, indicators, convention)
        for holdout, design in HOLDOUTS:
            keep = coefficients["year"] != holdout if design == "leave_one_out" else coefficients["year"] < holdout
            used = coefficients[keep]
            actual = coefficients[coefficients["year"] == holdout].set_index(["province_code", "component"])
            for method in methods:
                paths = annual_paths(used, indicators, years, method)
                at = paths[paths["year"] == holdout].set_index(["province_code", "component"])
                joined = at.join(actual[["coefficient", "indicator_100m_yuan"]].add_suffix("_actual"), how="inner")
                for (code, component), r in joined.iterrows():
                    estimate = r["coefficient"] * r["indicator_100m_yuan_actual"]
                    truth = r["coefficient_actual"] * r["indicator_100m_yuan_actual"]
                    rows.append(
                        {
                            "holdout_year": holdout,
                            "design": design,
                            "kind": "interpolation" if r["flag"] == "interpolated" else "extrapolation",
                            "province_code": code,
                            "component": component,
                            "method": method,
                            "convention": convention,
                            "estimate": estimate,
                            "actual": truth,
                            "ape": abs(estimate - truth) / truth if truth >= MIN_ACTUAL_100M_YUAN else np.nan,
                            "estimate_coefficient": r["coefficient"],
                            "actual_coefficient": r["coefficient_actual"],
                            "benchmarks_used": r["benchmark_years"],
                        }
                    )
    results = pd.DataFrame.from_records(rows, columns=BACKTEST_COLUMNS)
    return pd.concat([results, _totals(results)], ignore_index=True)


def _totals(results: pd.DataFrame) -> pd.DataFrame:
    """The digital-economy total (sum of the four components) as one more backtest 'component'."""
    keys = ["holdout_year", "design", "province_code", "method", "convention"]
    grouped = results.groupby(keys)
    total = grouped.agg(
        estimate=("estimate", "sum"),
        actual=("actual", "sum"),
        n=("component", "count"),
        kinds=("kind", lambda k: "interpolation" if (k == "interpolation").all() else "extrapolation"),
        benchmarks_used=("benchmarks_used", "first"),
    ).reset_index()
    total = total[total["n"] == results["component"].nunique()]
    ape = (total["estimate"] - total["actual"]).abs() / total["actual"]
    total = total.assign(component="total", kind=total["kinds"], ape=ape.where(total["actual"] >= MIN_ACTUAL_100M_YUAN))
    return total.reindex(columns=BACKTEST_COLUMNS)


def error_summary(results: pd.DataFrame) -> pd.DataFrame:
    """APE statistics by convention, method, component and kind: n, median, mean, q80 (the band)."""
    grouped = results.dropna(subset=["ape"]).groupby(["convention", "method", "component", "kind"])["ape"]
    return grouped.agg(
        n="count", median_ape="median", mean_ape="mean", q80_ape=lambda a: a.quantile(BAND_QUANTILE)
    ).reset_index()


def apply_bounds(estimates: pd.DataFrame, summary: pd.DataFrame) -> pd.DataFrame:
    """Add ``lower_100m_yuan`` / ``upper_100m_yuan`` and ``band_relative`` by the rule in the module doc."""
    kind = np.where(estimates["flag"] == "extrapolated", "extrapolation", "interpolation")
    q80 = summary.set_index(["convention", "method", "component", "kind"])["q80_ape"]
    keys = pd.MultiIndex.from_arrays([estimates["convention"], estimates["method"], estimates["component"], kind])
    measured = q80.reindex(keys).to_numpy()
    half_width = measured * estimates["distance_years"].to_numpy() / REFERENCE_DISTANCE
    value = estimates["value_100m_yuan"].to_numpy()
    return estimates.assign(
        band_relative=half_width,
        lower_100m_yuan=np.maximum(value * (1 - half_width), 0.0),
        upper_100m_yuan=value * (1 + half_width),
    )


def national_consistency(benchmarks: pd.DataFrame) -> pd.DataFrame:
    """Sum over provinces of each benchmark component against the national table of the same year."""
    provincial = benchmarks[benchmarks["province_code"] != NATIONAL_CODE]
    national = benchmarks[benchmarks["province_code"] == NATIONAL_CODE].set_index(["year", "component"])
    summed = provincial.groupby(["year", "component"]).agg(
        provinces_sum_100m_yuan=("benchmark_value_100m_yuan", "sum"), n_provinces=("province_code", "nunique")
    )
    out = summed.join(national["benchmark_value_100m_yuan"].rename("national_100m_yuan"), how="inner")
    return out.assign(ratio=out["provinces_sum_100m_yuan"] / out["national_100m_yuan"]).reset_index()


def summary_markdown(summary: pd.DataFrame, *, convention: str) -> str:
    """Median APE (and q80) by kind, component and method, as a Markdown table for the README."""
    chosen = summary[summary["convention"] == convention]
    cells = chosen.assign(
        cell=[f"{m:.1%} ({q:.0%})" for m, q in zip(chosen["median_ape"], chosen["q80_ape"], strict=True)]
    )
    table = cells.pivot_table(index=["kind", "component"], columns="method", values="cell", aggfunc="first")
    methods = [m for m in ("hold", "linear", "spline", "chow_lin") if m in table.columns]
    lines = ["| kind | component | " + " | ".join(methods) + " |", "|---|---|" + "---|" * len(methods)]
    for (kind, component), row in table.iterrows():
        lines.append(f"| {kind} | {component} | " + " | ".join(str(row[m]) for m in methods) + " |")
    return "\n".join(lines) + "\n"


def totals_with_bounds(values: pd.DataFrame, summary: pd.DataFrame) -> pd.DataFrame:
    """Digital-economy total per province, year, method and convention, with production,
    circulation and a band from the backtest errors of the total itself (same rule as the
    components: q80 of the total's APE x distance / 5), not from summing component bounds,
    which would assume their errors all move together.
    """
    keys = ["province_code", "province", "province_en", "year", "method", "convention"]
    by_category = values.pivot_table(index=keys, columns="category", values="value_100m_yuan", aggfunc="sum")
    grouped = values.groupby(keys)
    totals = pd.DataFrame(
        {
            "value_100m_yuan": grouped["value_100m_yuan"].sum(),
            "production_100m_yuan": by_category["production"],
            "circulation_100m_yuan": by_category["circulation"],
            "distance_years": grouped["distance_years"].max(),
            "flag": grouped["flag"].agg(
                lambda f: (
                    "benchmark"
                    if (f == "benchmark").all()
                    else "extrapolated"
                    if (f == "extrapolated").any()
                    else "interpolated"
                )
            ),
        }
    ).reset_index()
    # the total is one more component of the backtest summary: same rule, its own errors
    return apply_bounds(totals.assign(component="total"), summary).drop(columns="component")
