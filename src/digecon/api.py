"""Python API: the whole estimate without Snakemake.

>>> import digecon
>>> inputs = digecon.load_inputs("data/raw")            # or a mirror such as ../shared/data
>>> result = digecon.estimate(inputs)                    # settings: digecon.Settings() defaults
>>> result.values.query("method == 'linear' and convention == 'share'")

With settings of a configuration file: ``settings, _ = digecon.load_settings(["config/config.yaml"])``,
then ``digecon.load_inputs("data/raw", settings)`` and ``digecon.estimate(inputs, settings)``.
The Snakemake rule estimate_digital_economy calls :func:`estimate` on the tables the ingest rules
wrote, read from the same registry of files, so both give identical numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from digecon.core.settings import Settings
from digecon.estimation import chains as chain_choice
from digecon.estimation.backtest import backtest, with_totals
from digecon.estimation.bands import (
    apply_bounds,
    band_coverage,
    band_rule,
    by_carrier,
    by_design,
    by_distance,
    error_summary,
)
from digecon.estimation.chains import Choice
from digecon.estimation.estimate import (
    benchmark_components,
    categorical,
    describe,
    estimate_all,
    io_aggregates,
    working_years,
)
from digecon.estimation.indicators import indicator_breaks, screen_yearbook
from digecon.estimation.methods import method
from digecon.estimation.national import national_basis, national_coefficients, national_consistency, with_national_years
from digecon.estimation.prices import deflate_components, implicit_deflators, price_indices
from digecon.estimation.ratio_paths import follow_national_split, ratio_by_year
from digecon.estimation.selection import (
    WEIGHT_COLUMNS,
    combination_parts,
    combination_series,
    combination_weights,
    combine_estimates,
    nested_rules,
    with_combinations,
)
from digecon.estimation.totals import totals_of
from digecon.estimation.zeros import borrow_for_zeros
from digecon.inputs.price_indices import read_price_indices
from digecon.inputs.registry import build_registry
from digecon.inputs.sources import (
    gdp_series_for_checks,
    prepare_yearbook,
    read_io_tables,
    read_national_tables,
    read_ratios,
    read_table_ratios,
)

__all__ = ["Inputs", "Result", "estimate", "load_inputs"]

KEY = ["province_code", "year", "component", "method", "convention"]  # one value of the estimate


@dataclass(frozen=True)
class Inputs:
    """Every input of a run, read and checked (the tables of ``data/processed``)."""

    io_tables: pd.DataFrame  # tidy IO tables, 万元 (io_tables.csv)
    yearbook: pd.DataFrame  # long annual series, 亿元 (yearbook.csv)
    ratios: pd.DataFrame  # s_I63 and r_media per IO year and province (ratios.csv)
    table_ratios: pd.DataFrame | None = None  # s_I63, r_media of every detailed table (table_ratios.csv)
    national_tables: pd.DataFrame | None = None  # national 42-sector tables, 万元 (national_tables.csv)
    national_ratios: pd.DataFrame | None = None  # their s_I63 and r_media (national_ratios.csv)
    price_indices: tuple[pd.DataFrame, ...] = ()  # the user's volume indices (prices.user_csv), one per file
    io_checks: pd.DataFrame = field(default_factory=pd.DataFrame)  # the checks report (io_table_checks.csv)


@dataclass(frozen=True)
class Result:
    """Everything the estimator produces (see the README for each table's columns)."""

    values: pd.DataFrame  # one row per province x year x component x method x convention
    totals: pd.DataFrame  # one row per province x year x method x convention: own band, GDP, share of GDP
    real_values: pd.DataFrame  # the values at prices of prices.base_year, with their deflator and real_flag
    deflators: pd.DataFrame  # the implicit deflators of every province and series
    benchmarks: pd.DataFrame  # component values and aggregates in each IO table
    indicators: pd.DataFrame  # the spliced indicator series
    backtest: pd.DataFrame
    backtest_summary: pd.DataFrame
    backtest_by_design: pd.DataFrame  # errors per backtest design (e.g. "2017 from 2002-2012")
    backtest_by_distance: pd.DataFrame  # errors by distance to the nearest benchmark used
    backtest_by_carrier: pd.DataFrame  # errors by what carries the held-out year: industry series or aggregate
    band_coverage: pd.DataFrame  # nested and in-sample coverage of the bands, by design
    national_consistency: pd.DataFrame
    indicator_breaks: pd.DataFrame  # the screen of every annual series: jumps, price bases, vintage links
    chain_comparison: pd.DataFrame  # every candidate's errors, effect on the total, win share; the chosen flagged
    chain_choices: dict[str, Choice]  # component -> the candidate used, its margin and win share
    selection_rules: pd.DataFrame  # each selection rule's nested out-of-sample errors
    combination_weights: pd.DataFrame  # the combinations' weights per component, method and convention
    combination_parts: pd.DataFrame  # each chain's estimate behind a combined value, with its weight
    component_checks: pd.DataFrame  # province-years far from the national estimate / component-indicator ratio
    zero_benchmarks: pd.DataFrame  # every negligible benchmark: the years it carries, borrowed or unverifiable
    national_coefficients: pd.DataFrame  # c_nat of the chosen chains' series in every national table year


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
    yearbook = prepare_yearbook(registry.series_files(), registry.paths("user_indicators")).table
    io_tables, checks = read_io_tables(
        registry.paths("io_table"),
        gdp_series_for_checks(yearbook, registry.paths("first_published_gdp")),
        settings.io_tables,
        user_files=registry.user_paths(),
    )
    census = next(iter(registry.paths("census_ratios")), None)
    detailed = {i.year: i.path for i in registry.of("detailed_national_table")}
    share = settings.ratios.news_publishing_share
    national_tables, national_ratios = read_national_tables(
        {i.year: i.path for i in registry.of("national_io_table")},
        detailed,
        census,
        news_publishing_share=share,
        va_tolerance=settings.io_tables.va_identity_tolerance,
    )
    return Inputs(
        io_tables,
        yearbook,
        read_ratios(io_tables, detailed, census, news_publishing_share=share),
        read_table_ratios(detailed, news_publishing_share=share),
        national_tables,
        national_ratios,
        tuple(read_price_indices(p) for p in registry.paths("price_indices")),
        checks,
    )


def estimate(inputs: Inputs, settings: Settings | None = None) -> Result:
    """Estimate the annual digital-economy value added of every province by component, method and convention.

    The steps, each a function over tables: the candidate indicator chains and their series; the
    backtest of every candidate and the choice of a chain per component (:func:`_chains`); the
    values of the chosen chains with their bands (:func:`_values`); the totals with their share
    of GDP, the real values and the checks.

    Parameters
    ----------
    inputs
        From :func:`load_inputs` (or the tables of ``data/processed``).
    settings
        The run's settings (default: :class:`~digecon.core.settings.Settings` defaults): the years
        written out, the methods and conventions (the recommended ones are scored even if not
        among them), the indicator chains, break threshold, price-base changes and check factor,
        the price base year.

    Returns
    -------
    Result
        See :class:`Result` and the README's "What comes out".

    Raises
    ------
    InputError
        If the indicators do not cover every year computed, an indicator is not positive, or a
        candidate chain names an unknown indicator (listing those available).
    ValueError
        For an unknown method or convention.
    """
    settings = settings or Settings()
    screen = settings.indicators
    yearbook, breaks = screen_yearbook(
        inputs.yearbook, screen.break_threshold, bridge=screen.breaks == "bridge", price_bases=screen.price_base_changes
    )
    inputs = replace(inputs, yearbook=yearbook)  # the values bridged where the screen says so
    components = benchmark_components(inputs.io_tables, inputs.ratios)
    aggregates = io_aggregates(inputs.io_tables)
    grid = working_years(components, settings.years)
    national = national_basis(components, aggregates, inputs.national_tables, inputs.national_ratios)
    # the national split ratios after a province's last table: the values and the backtest follow them
    tables = inputs.table_ratios
    split = ratio_by_year(tables, grid) if tables is not None and not tables.empty else None
    chosen = _chains(inputs.yearbook, components, aggregates, grid, settings, national, split)
    backtest_rows = with_totals(chosen.backtest)
    rule = band_rule(backtest_rows)
    values, benchmarks, indicators, parts, coefficients = _values(
        components, aggregates, grid, chosen, rule, settings, national, split
    )
    # before the totals, real values and checks, which all take the values as replaced
    values, zero_benchmarks = borrow_for_zeros(
        values, components, chosen.series, chosen.choices, inputs.yearbook, break_threshold=screen.break_threshold
    )
    deflators = implicit_deflators(
        inputs.yearbook, price_indices(inputs.yearbook, inputs.price_indices), base_year=settings.prices.base_year
    )
    recommended = values[
        (values["method"] == settings.estimate.recommended_method)
        & (values["convention"] == settings.estimate.recommended_convention)
    ]
    return Result(
        values=values,
        totals=totals_of(values, rule, inputs.yearbook),
        real_values=categorical(deflate_components(values[[*KEY, "value_100m_yuan"]], deflators)),
        deflators=deflators,
        benchmarks=benchmarks,
        indicators=indicators,
        backtest=backtest_rows,
        backtest_summary=chain_choice.with_choices(error_summary(backtest_rows, rule), chosen.comparison),
        backtest_by_design=by_design(backtest_rows),
        backtest_by_distance=by_distance(backtest_rows),
        backtest_by_carrier=by_carrier(backtest_rows),
        band_coverage=band_coverage(backtest_rows),
        national_consistency=national_consistency(benchmarks, values, inputs.national_tables, inputs.national_ratios),
        indicator_breaks=breaks,
        chain_comparison=chosen.comparison,
        chain_choices=chosen.choices,
        selection_rules=chosen.rules,
        combination_weights=chosen.weights,
        combination_parts=parts,
        component_checks=chain_choice.component_indicator_checks(
            recommended, inputs.yearbook, chosen.candidates, settings.indicators.component_check_factor
        ),
        zero_benchmarks=zero_benchmarks,
        national_coefficients=coefficients,
    )


@dataclass(frozen=True)
class _Chosen:
    """The candidates of a run, their backtest and the choice of one per component."""

    candidates: list[chain_choice.Candidate]  # the available chains (the combinations are not among them)
    series: dict[chain_choice.Candidate, pd.DataFrame]  # each chain's indicator series
    choices: dict[str, Choice]
    comparison: pd.DataFrame
    backtest: pd.DataFrame  # the backtest rows of the chosen candidates, of the run's methods and conventions
    weights: pd.DataFrame  # the combinations' weights (digecon.estimation.selection.WEIGHT_COLUMNS)
    rules: pd.DataFrame  # the nested errors of each selection rule

    def parts(self, choice: Choice) -> list[chain_choice.Candidate]:
        """List the chains a choice estimates: itself, or the chains a combination averages."""
        names = choice.candidate.parts or (choice.candidate.name,)
        return [c for c in self.candidates if c.component == choice.component and c.name in names]


def _chains(
    yearbook: pd.DataFrame,
    components: pd.DataFrame,
    aggregates: pd.DataFrame,
    grid: list[int],
    settings: Settings,
    national: tuple[pd.DataFrame, pd.DataFrame],
    split: pd.DataFrame | None,
) -> _Chosen:
    """Build every available candidate chain's series, backtest them all and choose one per component.

    ``national`` is :func:`~digecon.estimation.national.national_basis`: every candidate's series
    gets its national coefficients, for the ``national`` method. ``split`` is the national split
    ratios by year (:func:`~digecon.estimation.ratio_paths.ratio_by_year`), or None.
    """
    est, chains, selection = settings.estimate, settings.indicators.chains, settings.indicators.selection
    candidates, unavailable = chain_choice.available_candidates(chains, yearbook)
    changes = chain_choice.base_changes(yearbook, settings.indicators.price_base_changes)
    series = {c: chain_choice.chain_series(yearbook, c, grid, changes) for c in candidates}
    # the recommended method and convention decide the choice: scored even if not among the run's
    methods = list(dict.fromkeys([*est.methods, est.recommended_method]))
    conventions = list(dict.fromkeys([*est.conventions, est.recommended_convention]))
    scored_benchmarks, scored_series = chain_choice.scoring_inputs(components, aggregates, series)
    moved = national_coefficients(*national, scored_series, conventions)
    scoring = backtest(
        scored_benchmarks, scored_series, methods, conventions, national=moved, split=split, totals=False
    )
    names = {k: [c.name for c in candidates if c.component == k] for k in chain_choice.uses_of(chains)}
    weights = (
        combination_weights(scoring, names, method=est.recommended_method, convention=est.recommended_convention)
        if selection.combinations
        else pd.DataFrame(columns=WEIGHT_COLUMNS)
    )
    scored = [*candidates, *chain_choice.combination_candidates(weights)]
    recommended = scoring[
        (scoring["method"] == est.recommended_method) & (scoring["convention"] == est.recommended_convention)
    ]
    rules = nested_rules(recommended, names, combinations=selection.combinations)
    scoring = with_combinations(scoring, weights)
    choices, comparison = chain_choice.choose_chains(
        scoring,
        chain_choice.candidate_scores(scoring, scored, series),
        scored,
        unavailable,
        chains,
        selection,
        method=est.recommended_method,
        convention=est.recommended_convention,
    )
    comparison = chain_choice.with_rule_errors(comparison, rules, weights)
    chosen = chain_choice.chosen_rows(scoring, choices, est.methods, est.conventions)
    return _Chosen(candidates, series, choices, comparison, chosen, weights, rules)


def _values(
    components: pd.DataFrame,
    aggregates: pd.DataFrame,
    grid: list[int],
    chosen: _Chosen,
    rule: pd.DataFrame,
    settings: Settings,
    national: tuple[pd.DataFrame, pd.DataFrame],
    split: pd.DataFrame | None,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Estimate the chosen candidates with their bands.

    A combination is the weighted mean of its chains' estimates (each chain estimated as if chosen).

    Returns
    -------
    (values, benchmarks, indicators, combination parts, national coefficients)
    """
    est = settings.estimate
    parts = {c: chosen.series[c] for choice in chosen.choices.values() for c in chosen.parts(choice)}
    indicators = pd.concat(parts.values(), ignore_index=True)
    scored_benchmarks, scored_series = chain_choice.scoring_inputs(components, aggregates, parts)
    coefficients = national_coefficients(*national, scored_series, est.conventions)
    estimates = estimate_all(scored_benchmarks, scored_series, grid, est.methods, est.conventions, coefficients)
    combined = {k: c.candidate.name for k, c in chosen.choices.items() if c.candidate.parts}
    in_years = estimates["year"].isin(settings.years)
    parts_table = combination_parts(estimates[in_years], indicators, chosen.weights, combined)
    estimates = combine_estimates(estimates, chosen.weights, combined)
    described = combination_series(indicators, combined)
    benchmarks = chain_choice.chain_benchmarks(components, aggregates, described)
    values = describe(apply_bounds(estimates[estimates["year"].isin(settings.years)], rule), benchmarks, described)
    if split is not None:
        moving = [m for m in est.methods if method(m).national]  # their paths carry the national split already
        values = follow_national_split(values, split, moving)
    # the values resting on an indicator value the screen flagged (any chain of a combination)
    flagged = indicator_breaks(indicators, settings.indicators.break_threshold)
    values = with_national_years(
        chain_choice.with_chain_notes(values, flagged, chosen.choices), coefficients, indicators
    )
    return values, benchmarks, indicators, parts_table, coefficients
