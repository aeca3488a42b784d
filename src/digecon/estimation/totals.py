"""The digital-economy total of each province: its own band and its share of GDP.

The total's band comes from the backtest errors of the total itself (:mod:`digecon.estimation.bands`),
not from summing the components' bounds, which would assume their errors all move together. The
share of GDP divides by 地区生产总值 of the yearbook, the vintage the values follow under the
``share`` convention; the nation's share is a ratio of sums, so that large provinces weigh by
their size.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from digecon.estimation.bands import apply_bounds
from digecon.estimation.methods import FLAGS

GDP = "地区生产总值"


def totals_with_bounds(values: pd.DataFrame, rule: pd.DataFrame) -> pd.DataFrame:
    """Digital-economy total per province, year, method and convention, with its own band.

    A total is flagged ``benchmark`` only if every component is, ``extrapolated`` if any is.

    Parameters
    ----------
    values
        The component estimates (:func:`digecon.estimation.estimate.describe` layout); regions
        without a name (codes that are not provinces) are kept.
    rule
        From :func:`digecon.estimation.bands.band_rule`, with ``component == "total"`` rows.

    Returns
    -------
    DataFrame
        Province, year, method, convention, ``value_100m_yuan``, ``production_100m_yuan``,
        ``circulation_100m_yuan``, ``distance_years`` (largest over components), ``flag`` and the
        band columns of :func:`~digecon.estimation.bands.apply_bounds`.
    """
    keys = ["province_code", "province", "province_en", "year", "method", "convention"]
    value, flag = values["value_100m_yuan"], values["flag"]
    parts = values[keys].assign(
        value_100m_yuan=value,
        production_100m_yuan=value.where(values["category"] == "production"),
        circulation_100m_yuan=value.where(values["category"] == "circulation"),
        distance_years=values["distance_years"],
        all_benchmark=flag == "benchmark",
        any_extrapolated=flag == "extrapolated",
    )
    # dropna=False: a region that is not a province has no name, and must not vanish from the totals
    totals = (
        parts.groupby(keys, dropna=False)
        .agg(
            value_100m_yuan=("value_100m_yuan", "sum"),
            production_100m_yuan=("production_100m_yuan", "sum"),
            circulation_100m_yuan=("circulation_100m_yuan", "sum"),
            distance_years=("distance_years", "max"),
            all_benchmark=("all_benchmark", "all"),
            any_extrapolated=("any_extrapolated", "any"),
        )
        .reset_index()
    )
    benchmark, interpolated, extrapolated = FLAGS
    flag = np.where(
        totals["all_benchmark"], benchmark, np.where(totals["any_extrapolated"], extrapolated, interpolated)
    )
    totals = totals.assign(flag=flag).drop(columns=["all_benchmark", "any_extrapolated"])
    return apply_bounds(totals.assign(component="total"), rule).drop(columns="component")


def with_share_of_gdp(totals: pd.DataFrame, yearbook: pd.DataFrame) -> pd.DataFrame:
    """Add the province's GDP (地区生产总值, the yearbook's vintage) and the total's share of it, %.

    Parameters
    ----------
    totals
        ``province_code``, ``year``, ``value_100m_yuan`` (亿元) per row.
    yearbook
        Long annual series (亿元), one 地区生产总值 value per province and year.

    Returns
    -------
    DataFrame
        ``totals`` with ``gdp_100m_yuan`` (亿元; empty where the yearbook has none) and
        ``share_of_gdp_percent``.
    """
    gdp = yearbook.loc[yearbook["indicator"] == GDP, ["province_code", "year", "value"]]
    merged = totals.merge(
        gdp.rename(columns={"value": "gdp_100m_yuan"}), on=["province_code", "year"], how="left", validate="many_to_one"
    )
    return merged.assign(share_of_gdp_percent=merged["value_100m_yuan"] / merged["gdp_100m_yuan"] * 100)


def totals_of(values: pd.DataFrame, rule: pd.DataFrame, yearbook: pd.DataFrame) -> pd.DataFrame:
    """Add up the totals (:func:`totals_with_bounds`) with their share of GDP (:func:`with_share_of_gdp`)."""
    return with_share_of_gdp(totals_with_bounds(values, rule), yearbook)


def national_share_of_gdp(totals: pd.DataFrame) -> pd.Series:
    """China's digital-economy value added as % of GDP, by year: provinces' values over their GDP, both summed.

    A ratio of sums, not a mean of the provinces' shares; a province-year without GDP is left out
    of both sums.

    Parameters
    ----------
    totals
        Long totals of one method and convention with ``year``, ``value_100m_yuan`` and
        ``gdp_100m_yuan`` (亿元), one row per province x year.

    Returns
    -------
    Series
        Share in %, indexed by ``year``.
    """
    known = totals.dropna(subset=["value_100m_yuan", "gdp_100m_yuan"])
    sums = known.groupby("year")[["value_100m_yuan", "gdp_100m_yuan"]].sum()
    return (sums["value_100m_yuan"] / sums["gdp_100m_yuan"] * 100).rename("share_of_gdp_percent")
