"""Python API: the whole estimate without Snakemake.

>>> import digecon
>>> inputs = digecon.load_inputs("data/raw")            # or a mirror such as ../shared/data
>>> result = digecon.estimate(inputs)                    # settings: digecon.Settings() defaults
>>> result.values.query("method == 'linear' and convention == 'share'")

With settings of a configuration file: ``settings, _ = digecon.load_settings(["config/config.yaml"])``,
then ``digecon.load_inputs("data/raw", settings)`` and ``digecon.estimate(inputs, settings)``.
The Snakemake rules call the same functions (:mod:`digecon.inputs.sources`, :func:`estimate_tables`),
and take their files from the same registry, so both give identical numbers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from digecon.core.settings import Settings
from digecon.estimation.backtest import backtest, national_consistency
from digecon.estimation.bands import (
    apply_bounds,
    band_coverage,
    band_rule,
    by_design,
    by_distance,
    error_summary,
    totals_with_bounds,
)
from digecon.estimation.estimate import benchmark_components, describe, estimate_all
from digecon.estimation.indicators import indicator_breaks, indicator_series
from digecon.estimation.ratio_paths import follow_national_split, ratio_by_year
from digecon.inputs.registry import Registry, build_registry
from digecon.inputs.sources import (
    GDP,
    gdp_series_for_checks,
    read_io_tables,
    read_ratios,
    read_table_ratios,
    read_yearbook,
)


@dataclass(frozen=True)
class Inputs:
    """Every input of a run, read and checked."""

    io_tables: pd.DataFrame  # tidy IO tables, 万元 (data/processed/io_tables.csv)
    io_checks: pd.DataFrame  # the checks report (data/processed/io_table_checks.csv)
    yearbook: pd.DataFrame  # long annual series, 亿元 (data/processed/yearbook.csv)
    ratios: pd.DataFrame  # s_I63 and r_media per IO year and province (data/processed/ratios.csv)
    registry: Registry  # the files they came from
    table_ratios: pd.DataFrame | None = None  # s_I63, r_media of every detailed table (data/processed/table_ratios.csv)


def load_inputs(root: str | Path = "data/raw", settings: Settings | None = None) -> Inputs:
    """Read every input of the registry: built-in files below ``root``, the user's where configured.

    Parameters
    ----------
    root
        Folder holding the retrieved files (``data/raw``, or a mirror laid out like shared/data).
    settings
        The run's settings (default: :class:`~digecon.core.settings.Settings` defaults).

    Returns
    -------
    Inputs

    Raises
    ------
    InputError
        For a file that would make a number wrong (naming file, sheet, cell), see :mod:`digecon.inputs`.
    """
    settings = settings or Settings()
    registry = build_registry(settings, raw_root=root)
    yearbook = read_yearbook(registry.sources("yearbook_series"), registry.paths("user_indicators"))
    io_tables, checks = read_io_tables(
        registry.paths("io_table"),
        gdp_series_for_checks(yearbook, registry.paths("first_published_gdp")),
        settings.io_tables,
        user_files=registry.user_paths(),
    )
    ratios = read_ratios(
        io_tables,
        {i.year: i.path for i in registry.of("detailed_national_table")},
        next(iter(registry.paths("census_ratios")), None),
        news_publishing_share=settings.ratios.news_publishing_share,
    )
    detailed = {i.year: i.path for i in registry.of("detailed_national_table")}
    table_ratios = read_table_ratios(detailed, news_publishing_share=settings.ratios.news_publishing_share)
    return Inputs(io_tables, checks, yearbook, ratios, registry, table_ratios)


@dataclass(frozen=True)
class Result:
    """Everything the estimator produces (see the README for each table's columns)."""

    values: pd.DataFrame  # one row per province x year x component x method x convention
    totals: pd.DataFrame  # one row per province x year x method x convention, with the total's own band
    benchmarks: pd.DataFrame  # component values and aggregates in each IO table
    indicators: pd.DataFrame  # the spliced indicator series
    backtest: pd.DataFrame
    backtest_summary: pd.DataFrame
    national_consistency: pd.DataFrame
    indicator_breaks: pd.DataFrame  # year-on-year indicator changes beyond the threshold
    backtest_by_design: pd.DataFrame  # errors per backtest design (e.g. "2017 from 2002-2012")
    backtest_by_distance: pd.DataFrame  # errors by distance to the nearest benchmark used
    band_coverage: pd.DataFrame  # nested and in-sample coverage of the bands, by design (bands.band_coverage)


def working_years(benchmarks: pd.DataFrame, years: Iterable[int]) -> list[int]:
    """Give the years computed: every year from the first to the last of the output and benchmark years.

    Computing over every benchmark year means that neither the backtest nor any coefficient
    depends on which years are written out.

    Parameters
    ----------
    benchmarks
        At least ``year`` of the benchmark tables (:func:`digecon.estimation.estimate.benchmark_components`).
    years
        The output years (at least one).

    Returns
    -------
    list of int
        Contiguous years.
    """
    years = [int(y) for y in years]
    low = min(min(years), int(benchmarks["year"].min()))
    high = max(max(years), int(benchmarks["year"].max()))
    return list(range(low, high + 1))


def with_share_of_gdp(totals: pd.DataFrame, yearbook: pd.DataFrame) -> pd.DataFrame:
    """Add the province's GDP (地区生产总值, the yearbook's vintage) and the total's share of it, %.

    Parameters
    ----------
    totals
        ``province_code``, ``year``, ``value_100m_yuan`` (亿元) per row
        (:func:`digecon.estimation.bands.totals_with_bounds`).
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


def estimate_tables(
    io_tables: pd.DataFrame,
    yearbook: pd.DataFrame,
    ratios: pd.DataFrame,
    *,
    years: Iterable[int],
    methods: Iterable[str],
    conventions: Iterable[str],
    break_threshold: float,
    table_ratios: pd.DataFrame | None = None,
) -> Result:
    """Estimate the annual digital-economy value added of every province by component, method and convention.

    Parameters
    ----------
    io_tables
        Tidy IO tables (``data/processed/io_tables.csv``), 万元.
    yearbook
        Long annual series (亿元), see :func:`digecon.inputs.sources.read_yearbook`.
    ratios
        ``s_I63`` / ``r_media`` per IO year and province (:func:`digecon.inputs.sources.read_ratios`).
    years
        Years written out (contiguous); the estimate and backtest are computed over these and
        every benchmark year, and the output range only selects rows.
    methods, conventions
        Names of the method registry (:mod:`digecon.estimation.methods`) and ``share`` / ``benchmark``.
    break_threshold
        Year-on-year indicator change flagged as a possible break (:func:`indicator_breaks`).
    table_ratios
        ``s_I63`` / ``r_media`` of the national detailed tables
        (:func:`digecon.inputs.sources.read_table_ratios`): after a province's last benchmark the
        split follows them (:mod:`digecon.estimation.ratio_paths`); None keeps the last split.

    Returns
    -------
    Result
        The values (亿元) with their bands, the totals with their share of GDP, the backtest and
        its summaries, the national consistency check and the indicator breaks.

    Raises
    ------
    InputError
        If the indicators do not cover every year computed, or an indicator is not positive.
    ValueError
        For an unknown method or convention.
    """
    years = sorted(int(y) for y in years)
    methods, conventions = list(methods), list(conventions)
    benchmarks = benchmark_components(io_tables, ratios)
    grid = working_years(benchmarks, years)
    indicators = indicator_series(yearbook, grid)
    results = backtest(benchmarks, indicators, methods, conventions)
    summary = error_summary(results)
    rule = band_rule(results)
    values = estimate_all(benchmarks, indicators, grid, methods, conventions)
    values = describe(apply_bounds(values[values["year"].isin(years)], rule), benchmarks, indicators)
    if table_ratios is not None and not table_ratios.empty:
        values = follow_national_split(values, ratio_by_year(table_ratios, grid))
    breaks = indicator_breaks(indicators, break_threshold)
    flagged = breaks[["aggregate", "province_code", "year"]].assign(indicator_break=True)
    values = values.merge(flagged, on=["aggregate", "province_code", "year"], how="left")
    values = values.assign(indicator_break=values["indicator_break"].fillna(False).astype(bool))
    totals = with_share_of_gdp(totals_with_bounds(values, rule), yearbook)
    national = national_consistency(benchmarks)
    return Result(
        values,
        totals,
        benchmarks,
        indicators,
        results,
        summary,
        national,
        breaks,
        by_design(results),
        by_distance(results),
        band_coverage(results),
    )


def estimate(inputs: Inputs, settings: Settings | None = None) -> Result:
    """Run :func:`estimate_tables` on the inputs and with the settings of a run.

    Parameters
    ----------
    inputs
        From :func:`load_inputs`.
    settings
        Years, methods, conventions and the indicator-break threshold (default:
        :class:`~digecon.core.settings.Settings` defaults).

    Returns
    -------
    Result
        See :func:`estimate_tables`.
    """
    settings = settings or Settings()
    return estimate_tables(
        inputs.io_tables,
        inputs.yearbook,
        inputs.ratios,
        years=settings.years,
        methods=settings.estimate.methods,
        conventions=settings.estimate.conventions,
        break_threshold=settings.indicators.break_threshold,
        table_ratios=inputs.table_ratios,
    )
