"""Uncertainty bands from the estimator's own backtest errors (METHOD.md section 4).

Rule: for each convention, method, component and kind (interpolation / extrapolation), the
half-width per year of distance is the 80th percentile, over every backtest row of that group,
of APE / distance_years (distance from the held-out benchmark to the nearest benchmark used).
A year's relative half-width is that figure times its own distance to the nearest benchmark:
benchmark years get no band, years beyond the last (or before the first) benchmark use the
extrapolation errors, the others the interpolation errors.

With four benchmarks five years apart every leave-one-out design is at distance 5, so the
interpolation bands are exactly the former rule q80(APE at distance 5) x distance / 5. The
extrapolation bands differ from that former rule: they now pool every extrapolation design
(each later benchmark from every run of earlier ones, at distances 5 to 15 years), not only
the last benchmark from all the earlier ones.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

BAND_QUANTILE = 0.8
SUMMARY_KEYS = ["convention", "method", "component", "kind"]


def _q80(values: pd.Series) -> float:
    """Take the band quantile (``BAND_QUANTILE``) of a group."""
    return float(values.quantile(BAND_QUANTILE))


def error_summary(results: pd.DataFrame) -> pd.DataFrame:
    """APE statistics by convention, method, component and kind, and the band's rate per year.

    Parameters
    ----------
    results
        From :func:`digecon.estimation.backtest.backtest`: ``ape`` (empty for actuals below
        1 亿元, which are left out) and ``distance_years`` per row.

    Returns
    -------
    DataFrame
        ``convention``, ``method``, ``component``, ``kind``, ``n``, ``median_ape``, ``mean_ape``,
        ``q80_ape`` and ``q80_ape_per_year`` (the 80th percentile of APE / distance_years,
        the band's half-width per year of distance).
    """
    measured = results.dropna(subset=["ape"])
    measured = measured.assign(ape_per_year=measured["ape"] / measured["distance_years"])
    grouped = measured.groupby(SUMMARY_KEYS)
    return grouped.agg(
        n=("ape", "count"),
        median_ape=("ape", "median"),
        mean_ape=("ape", "mean"),
        q80_ape=("ape", _q80),
        q80_ape_per_year=("ape_per_year", _q80),
    ).reset_index()


def by_distance(results: pd.DataFrame) -> pd.DataFrame:
    """APE statistics by convention, method, component, kind and distance to the nearest benchmark used.

    Parameters
    ----------
    results
        From :func:`digecon.estimation.backtest.backtest`.

    Returns
    -------
    DataFrame
        ``convention``, ``method``, ``component``, ``kind``, ``distance_years``, ``n``,
        ``median_ape``, ``mean_ape``, ``q80_ape``.
    """
    grouped = results.dropna(subset=["ape"]).groupby([*SUMMARY_KEYS, "distance_years"])["ape"]
    return grouped.agg(n="count", median_ape="median", mean_ape="mean", q80_ape=_q80).reset_index()


def by_design(results: pd.DataFrame) -> pd.DataFrame:
    """APE statistics by convention, method, component and backtest design (its label, e.g. "2017 from 2002-2012").

    Parameters
    ----------
    results
        From :func:`digecon.estimation.backtest.backtest`.

    Returns
    -------
    DataFrame
        ``convention``, ``method``, ``component``, ``kind``, ``design_label``, ``holdout_year``,
        ``distance_years``, ``n``, ``median_ape``, ``mean_ape``, ``q80_ape``; designs in order of
        held-out year and distance.
    """
    keys = [*SUMMARY_KEYS, "design_label", "holdout_year", "distance_years"]
    grouped = results.dropna(subset=["ape"]).groupby(keys)["ape"]
    summary = grouped.agg(n="count", median_ape="median", mean_ape="mean", q80_ape=_q80).reset_index()
    return summary.sort_values([*SUMMARY_KEYS[:3], "holdout_year", "distance_years"], ignore_index=True)


def apply_bounds(estimates: pd.DataFrame, summary: pd.DataFrame) -> pd.DataFrame:
    """Add ``lower_100m_yuan`` / ``upper_100m_yuan`` and ``band_relative`` by the rule in the module doc.

    Parameters
    ----------
    estimates
        ``convention``, ``method``, ``component``, ``flag``, ``distance_years`` and
        ``value_100m_yuan`` (亿元) per row.
    summary
        From :func:`error_summary`.

    Returns
    -------
    DataFrame
        ``estimates`` with ``band_relative`` (relative half-width), ``lower_100m_yuan`` (not below
        zero) and ``upper_100m_yuan``; empty where the backtest measured no error for the group.
    """
    kind = np.where(estimates["flag"] == "extrapolated", "extrapolation", "interpolation")
    per_year = summary.set_index(SUMMARY_KEYS)["q80_ape_per_year"]
    keys = pd.MultiIndex.from_arrays([estimates["convention"], estimates["method"], estimates["component"], kind])
    half_width = per_year.reindex(keys).to_numpy() * estimates["distance_years"].to_numpy()
    value = estimates["value_100m_yuan"].to_numpy()
    return estimates.assign(
        band_relative=half_width,
        lower_100m_yuan=np.maximum(value * (1 - half_width), 0.0),
        upper_100m_yuan=value * (1 + half_width),
    )


def _total_flag(flag: pd.Series) -> str:
    """Flag a total: a benchmark only if every component is, extrapolated if any component is."""
    if (flag == "benchmark").all():
        return "benchmark"
    return "extrapolated" if (flag == "extrapolated").any() else "interpolated"


def totals_with_bounds(values: pd.DataFrame, summary: pd.DataFrame) -> pd.DataFrame:
    """Digital-economy total per province, year, method and convention, with its own band.

    The band comes from the backtest errors of the total itself (same rule as the components),
    not from summing component bounds, which would assume their errors all move together.

    Parameters
    ----------
    values
        The component estimates (:func:`digecon.estimation.estimate.describe` layout).
    summary
        From :func:`error_summary`, with ``component == "total"`` rows.

    Returns
    -------
    DataFrame
        Province, year, method, convention, ``value_100m_yuan``, ``production_100m_yuan``,
        ``circulation_100m_yuan``, ``distance_years`` (largest over components), ``flag`` and the
        band columns of :func:`apply_bounds`.
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
            "flag": grouped["flag"].agg(_total_flag),
        }
    ).reset_index()
    return apply_bounds(totals.assign(component="total"), summary).drop(columns="component")
