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
from digecon.estimation.indicators import screen_yearbook
from digecon.estimation.stages import (
    Choices,
    ChunkBacktest,
    ChunkValues,
    Plan,
    Result,
    chunk_backtest,
    chunk_pool_statistics,
    chunk_rows,
    chunk_values,
    gather_backtest,
    gather_pooled,
    gather_results,
    load_stage,
    plan_estimate,
    region_chunks,
    save_stage,
    scoring_inputs_of,
    with_share_of_gdp,
    working_years,
)
from digecon.inputs.registry import Registry, build_registry
from digecon.inputs.sources import (
    gdp_series_for_checks,
    read_io_tables,
    read_national_tables,
    read_ratios,
    read_table_ratios,
    read_yearbook,
)

__all__ = [
    "Choices",
    "ChunkBacktest",
    "ChunkValues",
    "Inputs",
    "Plan",
    "Result",
    "chunk_backtest",
    "chunk_pool_statistics",
    "chunk_rows",
    "chunk_values",
    "estimate",
    "estimate_tables",
    "estimate_tables_chunked",
    "gather_backtest",
    "gather_pooled",
    "gather_results",
    "load_inputs",
    "load_stage",
    "plan_estimate",
    "region_chunks",
    "save_stage",
    "with_share_of_gdp",
    "working_years",
]


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
    yearbook, _ = screen_yearbook(
        read_yearbook(registry.series_files(), registry.paths("user_indicators")),
        settings.indicators.break_threshold,
        bridge=settings.indicators.breaks == "bridge",
        price_bases=settings.indicators.price_base_changes,
    )
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
    return estimate_tables_chunked(
        io_tables,
        yearbook,
        ratios,
        years=years,
        methods=methods,
        conventions=conventions,
        break_threshold=break_threshold,
        table_ratios=table_ratios,
        national_tables=national_tables,
        national_ratios=national_ratios,
        chains=chains,
        price_base_changes=price_base_changes,
        component_check_factor=component_check_factor,
        recommended_method=recommended_method,
        recommended_convention=recommended_convention,
        chunks=1,
    )


def estimate_tables_chunked(
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
    chunks: int = 1,
) -> Result:
    """Run the stages of :mod:`digecon.estimation.stages` on ``chunks`` chunks of regions, one after the other.

    This is what the workflow does with one job per chunk and stage; the result is that of
    :func:`estimate_tables`, which is this with one chunk.

    Parameters
    ----------
    io_tables, yearbook, ratios, years, methods, conventions, break_threshold, table_ratios
        As for :func:`estimate_tables`.
    national_tables, national_ratios, chains, price_base_changes, component_check_factor
        As for :func:`estimate_tables`.
    recommended_method, recommended_convention
        As for :func:`estimate_tables`.
    chunks
        How many chunks of consecutive region codes (:func:`~digecon.estimation.stages.region_chunks`).

    Returns
    -------
    Result
    """
    years = sorted(int(y) for y in years)
    methods, conventions = list(methods), list(conventions)
    chains = chains or IndicatorSettings().chains
    bases = IndicatorSettings().price_base_changes if price_base_changes is None else price_base_changes
    factor = IndicatorSettings().component_check_factor if component_check_factor is None else component_check_factor
    common = {
        "chains": chains,
        "methods": methods,
        "conventions": conventions,
        "recommended_method": recommended_method or EstimateSettings().recommended_method,
        "recommended_convention": recommended_convention or EstimateSettings().recommended_convention,
    }
    plan = plan_estimate(io_tables, yearbook, years=years, chains=chains, price_base_changes=bases)
    assignment = region_chunks(io_tables, yearbook, chunks)
    parts = [
        tuple(chunk_rows(frame, assignment, n) for frame in (io_tables, yearbook, ratios))
        for n in sorted(assignment["chunk"].unique())
    ]
    # one chunk: its scoring inputs serve stages 2 and 4 (more chunks would keep every chunk's at once)
    scoring = [scoring_inputs_of(*part, plan, chains) if len(parts) == 1 else None for part in parts]
    pooled = gather_pooled(
        [chunk_pool_statistics(*part, plan, **common, scoring=s) for part, s in zip(parts, scoring, strict=True)]
    )
    backtests = [
        chunk_backtest(*part, plan, pooled, **common, scoring=s) for part, s in zip(parts, scoring, strict=True)
    ]
    del scoring
    decided = gather_backtest(backtests, plan, **common)
    del backtests
    values = [
        chunk_values(
            *part,
            plan,
            pooled,
            decided.choices,
            decided.band_rule,
            years=years,
            break_threshold=break_threshold,
            table_ratios=table_ratios,
            **common,
        )
        for part in parts
    ]
    return gather_results(
        values,
        decided,
        chains=chains,
        component_check_factor=factor,
        national_tables=national_tables,
        national_ratios=national_ratios,
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
