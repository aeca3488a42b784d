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

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from digecon.core.settings import ComponentChains, EstimateSettings, IndicatorSettings, Settings
from digecon.estimation.backtest import backtest
from digecon.estimation.bands import (
    apply_bounds,
    band_coverage,
    band_rule,
    by_design,
    by_distance,
    error_summary,
    totals_with_bounds,
)
from digecon.estimation.chains import (
    ChainSelection,
    Choice,
    candidates_of,
    component_indicator_checks,
    component_indicators,
    select_chains,
)
from digecon.estimation.estimate import benchmark_components, describe, estimate_all, io_aggregates
from digecon.estimation.indicators import indicator_breaks
from digecon.estimation.national import national_consistency
from digecon.estimation.ratio_paths import follow_national_split, ratio_by_year
from digecon.inputs.registry import Registry, build_registry
from digecon.inputs.sources import (
    GDP,
    gdp_series_for_checks,
    read_io_tables,
    read_national_tables,
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
    national_tables: pd.DataFrame | None = None  # national 42-sector tables, 万元 (data/processed/national_tables.csv)
    national_ratios: pd.DataFrame | None = None  # their s_I63 and r_media (data/processed/national_ratios.csv)


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
    national_tables, national_ratios = read_national_tables(
        {i.year: i.path for i in registry.of("national_io_table")},
        detailed,
        next(iter(registry.paths("census_ratios")), None),
        news_publishing_share=settings.ratios.news_publishing_share,
        va_tolerance=settings.io_tables.va_identity_tolerance,
    )
    return Inputs(io_tables, checks, yearbook, ratios, registry, table_ratios, national_tables, national_ratios)


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
    chain_comparison: pd.DataFrame  # every candidate indicator chain's backtest errors, the chosen ones flagged
    chain_choices: dict[str, Choice]  # component -> the chain used and its margin over the runner-up
    component_checks: pd.DataFrame  # province-years far from the national estimate / component-indicator ratio


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


def _chains_of(
    io_tables: pd.DataFrame,
    benchmarks: pd.DataFrame,
    yearbook: pd.DataFrame,
    grid: list[int],
    methods: list[str],
    conventions: list[str],
    chains: ComponentChains,
    price_base_changes: Mapping[str, Sequence[int]] | None,
    recommended: tuple[str, str],
) -> ChainSelection:
    """Score the candidate chains and choose one per component (:func:`~digecon.estimation.chains.select_chains`)."""
    return select_chains(
        benchmarks,
        io_aggregates(io_tables),
        yearbook,
        grid,
        chains=chains,
        methods=methods,
        conventions=conventions,
        method=recommended[0],
        convention=recommended[1],
        price_bases=IndicatorSettings().price_base_changes if price_base_changes is None else price_base_changes,
    )


def _checks(
    values: pd.DataFrame, yearbook: pd.DataFrame, chains: ComponentChains, factor: float | None
) -> pd.DataFrame:
    """Check the values of one method and convention against every component-level indicator (default factor)."""
    pairs = component_indicators(candidates_of(chains), yearbook["indicator"].unique())
    factor = IndicatorSettings().component_check_factor if factor is None else factor
    return component_indicator_checks(values, yearbook, pairs, factor)


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
    national_tables: pd.DataFrame | None = None,
    national_ratios: pd.DataFrame | None = None,
    chains: ComponentChains | None = None,
    price_base_changes: Mapping[str, Sequence[int]] | None = None,
    component_check_factor: float | None = None,
    recommended_method: str | None = None,
    recommended_convention: str | None = None,
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
    national_tables, national_ratios
        The national 42-sector tables of years without regional tables and their split ratios
        (:func:`digecon.inputs.sources.read_national_tables`), compared with the provinces' sum of
        the estimates (:func:`digecon.estimation.national.national_consistency`); None: only the
        national tables among ``io_tables`` are compared.
    chains
        The candidate indicator chains of each component and which to use
        (:class:`~digecon.core.settings.ComponentChains`; None: the defaults, every ``use: auto``).
        Every candidate is scored by the backtest; the values, bands and every table downstream
        use the chosen one (:mod:`digecon.estimation.chains`).
    price_base_changes
        Indicator -> years its constant-price base changes (besides those found in the data);
        None: the default of ``indicators.price_base_changes``.
    component_check_factor
        Factor of the check against component-level indicators
        (:func:`~digecon.estimation.chains.component_indicator_checks`); None: the default.
    recommended_method, recommended_convention
        Whose median extrapolation APE ``auto`` compares, and whose values are checked (None: the
        defaults of ``estimate.recommended_method`` / ``recommended_convention``); they are scored
        even if not among ``methods`` / ``conventions``.

    Returns
    -------
    Result
        The values (亿元) with their bands, the totals with their share of GDP, the backtest and
        its summaries, the national consistency check, the indicator breaks, the comparison of
        the candidate chains and the checks against component-level indicators.

    Raises
    ------
    InputError
        If the indicators do not cover every year computed, an indicator is not positive, or a
        candidate chain names an unknown indicator (listing those available).
    ValueError
        For an unknown method or convention.
    """
    years = sorted(int(y) for y in years)
    methods, conventions = list(methods), list(conventions)
    benchmarks = benchmark_components(io_tables, ratios)
    grid = working_years(benchmarks, years)
    chains = chains or IndicatorSettings().chains
    method = recommended_method or EstimateSettings().recommended_method
    convention = recommended_convention or EstimateSettings().recommended_convention
    selection = _chains_of(
        io_tables, benchmarks, yearbook, grid, methods, conventions, chains, price_base_changes, (method, convention)
    )
    benchmarks, indicators = selection.benchmarks, selection.indicators
    results = backtest(benchmarks, indicators, methods, conventions)
    summary = error_summary(results)
    rule = band_rule(results)
    values = estimate_all(benchmarks, indicators, grid, methods, conventions)
    values = describe(apply_bounds(values[values["year"].isin(years)], rule), benchmarks, indicators)
    if table_ratios is not None and not table_ratios.empty:
        values = follow_national_split(values, ratio_by_year(table_ratios, grid))
    breaks = indicator_breaks(indicators, break_threshold)
    flagged = breaks[["component", "province_code", "year"]].assign(indicator_break=True)
    values = values.merge(flagged, on=["component", "province_code", "year"], how="left")
    values = values.assign(
        indicator_break=values["indicator_break"].fillna(False).astype(bool),
        chain_margin_points=values["component"].map({k: c.margin_points for k, c in selection.choices.items()}),
    )
    chosen = values[(values["method"] == method) & (values["convention"] == convention)]
    checks = _checks(chosen, yearbook, chains, component_check_factor)
    totals = with_share_of_gdp(totals_with_bounds(values, rule), yearbook)
    national = national_consistency(benchmarks, values, national_tables, national_ratios)
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
        chain_comparison=selection.comparison,
        chain_choices=selection.choices,
        component_checks=checks,
    )


def estimate(inputs: Inputs, settings: Settings | None = None) -> Result:
    """Run :func:`estimate_tables` on the inputs and with the settings of a run.

    Parameters
    ----------
    inputs
        From :func:`load_inputs`.
    settings
        Years, methods, conventions, the recommended method and convention, and the indicator
        settings: break threshold, candidate chains, price-base changes, check factor (default:
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
        national_tables=inputs.national_tables,
        national_ratios=inputs.national_ratios,
        chains=settings.indicators.chains,
        price_base_changes=settings.indicators.price_base_changes,
        component_check_factor=settings.indicators.component_check_factor,
        recommended_method=settings.estimate.recommended_method,
        recommended_convention=settings.estimate.recommended_convention,
    )
