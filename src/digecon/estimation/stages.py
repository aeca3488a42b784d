"""The estimate in stages, so that a large region set can run chunk by chunk (issue 13, item 2).

:func:`digecon.api.estimate_tables` is the composition of these stages on one chunk (every
region); the workflow can run the per-chunk stages on chunks of regions (a wildcard) and gather
in between. Results are identical either way, because every decision that pools regions is made
in a gather, from per-region rows that concatenate:

1. :func:`plan_estimate` (once, cheap): the years computed and backtested, which candidate chains
   have data, the indicators' price-base changes (found in the data of every region).
2. :func:`chunk_pool_statistics` (per chunk): the statistics the methods' pooled parameters are
   chosen from (Chow-Lin: cross-validation errors over its rho grid), for every candidate chain,
   backtest design and the final estimate.
3. :func:`gather_pooled`: the pooled parameters (one rho per candidate, convention, design).
4. :func:`chunk_backtest` (per chunk): the backtest rows of every candidate chain.
5. :func:`gather_backtest`: the chain choices (median APE over every region), the backtest of the
   chosen chains, its summaries, the band rule and the band coverage.
6. :func:`chunk_values` (per chunk): values with bounds, totals, benchmarks, indicators, breaks
   and the rows of the component-indicator checks.
7. :func:`gather_results`: every table of :class:`Result`, the national consistency and the checks.

Every input and output is a DataFrame (or a dataclass of DataFrames, :func:`save_stage` /
:func:`load_stage` write and read one parquet file per field), so the rules pass files.
The national tables (province code 0) travel with chunk 0 (:func:`region_chunks`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import numpy as np
import pandas as pd

from digecon.core.provinces import NATIONAL_CODE
from digecon.core.settings import ComponentChains
from digecon.estimation.backtest import (
    BACKTEST_COLUMNS,
    POOL_KEYS,
    StatisticsBlock,
    backtest,
    backtest_years,
    choose_pooled,
    pool_statistics_blocks,
    statistics_blocks,
    statistics_frame,
    total_rows,
)
from digecon.estimation.bands import (
    apply_bounds,
    by_design,
    by_distance,
    error_summary,
    rule_and_coverage,
    totals_with_bounds,
)
from digecon.estimation.chains import (
    Candidate,
    Choice,
    aliases_of,
    base_changes,
    candidate_scores,
    candidates_of,
    chain_benchmarks,
    chain_series,
    check_rows,
    choose_chains,
    component_indicators,
    flag_checks,
    scoring_inputs,
    unavailable_candidates,
)
from digecon.estimation.estimate import (
    benchmark_coefficients,
    benchmark_components,
    describe,
    estimate_all,
    indicator_matrix,
    io_aggregates,
    output_order,
    prepare,
    rows_in_order,
)
from digecon.estimation.indicators import indicator_breaks, series_key
from digecon.estimation.joins import concat_tables, label_codes, plain_text, positions, take_labels
from digecon.estimation.national import national_consistency
from digecon.estimation.ratio_paths import follow_national_split, ratio_by_year

GDP = "地区生产总值"
ESTIMATE_SCOPE = ""  # the design label of the pooled parameters of the values (every benchmark used)
DESIGN_ORDER = {"leave_one_out": 0, "extrapolation": 1}


@dataclass(frozen=True)
class Result:
    """Everything the estimator produces (see the README for each table's columns).

    The text columns of ``values``, ``totals`` and ``backtest`` (millions of rows at scale) are
    categoricals with their categories in code-point order (:mod:`digecon.estimation.joins`); the
    other tables hold plain ``str``.
    """

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


@dataclass(frozen=True)
class Plan:
    """What every chunk must agree on (:func:`plan_estimate`)."""

    years: pd.DataFrame  # year, backtest (bool): every year computed, and those the backtest spans
    candidates: pd.DataFrame  # component, candidate, alias ("#0", ... ; "" if unavailable), unavailable (why)
    price_bases: pd.DataFrame  # indicator, year: the first year of each new price base


@dataclass(frozen=True)
class ChunkBacktest:
    """The scoring backtest of one chunk (:func:`chunk_backtest`)."""

    backtest: pd.DataFrame  # BACKTEST_COLUMNS, component = the candidate's alias
    leads: pd.DataFrame  # component (alias), province_code, leading_indicator


@dataclass(frozen=True)
class Choices:
    """The pooled decisions on the backtest (:func:`gather_backtest`)."""

    choices: pd.DataFrame  # CHOICE_COLUMNS, one row per component
    chain_comparison: pd.DataFrame
    backtest: pd.DataFrame  # of the chosen chains, with the total
    backtest_summary: pd.DataFrame
    backtest_by_design: pd.DataFrame
    backtest_by_distance: pd.DataFrame
    band_coverage: pd.DataFrame
    band_rule: pd.DataFrame


@dataclass(frozen=True)
class ChunkValues:
    """The values of one chunk's regions (:func:`chunk_values`)."""

    values: pd.DataFrame
    totals: pd.DataFrame
    benchmarks: pd.DataFrame
    indicators: pd.DataFrame
    indicator_breaks: pd.DataFrame
    check_rows: pd.DataFrame  # digecon.estimation.chains.check_rows of the recommended method and convention


CHOICE_COLUMNS = ["component", "candidate", "alias", "how", "score", "runner_up", "runner_up_score", "method"]
CHOICE_COLUMNS += ["convention"]
Stage = TypeVar("Stage", Plan, ChunkBacktest, Choices, ChunkValues)


def save_stage(stage: Plan | ChunkBacktest | Choices | ChunkValues, folder: str | Path) -> list[Path]:
    """Write each table of a stage's output to ``folder/<field>.parquet``.

    Parameters
    ----------
    stage
        A :class:`Plan`, :class:`ChunkBacktest`, :class:`Choices` or :class:`ChunkValues`.
    folder
        Created if needed.

    Returns
    -------
    list of Path
        The files written, one per field.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for field in dataclasses.fields(stage):
        paths.append(folder / f"{field.name}.parquet")
        getattr(stage, field.name).to_parquet(paths[-1])
    return paths


def load_stage(kind: type[Stage], folder: str | Path) -> Stage:
    """Read a stage's output written by :func:`save_stage`.

    Parameters
    ----------
    kind
        The class: :class:`Plan`, :class:`ChunkBacktest`, :class:`Choices` or :class:`ChunkValues`.
    folder
        The folder of its parquet files.

    Returns
    -------
    The stage's output.
    """
    folder = Path(folder)
    return kind(**{f.name: pd.read_parquet(folder / f"{f.name}.parquet") for f in dataclasses.fields(kind)})


def region_chunks(io_tables: pd.DataFrame, yearbook: pd.DataFrame, n_chunks: int) -> pd.DataFrame:
    """Assign every region to one of ``n_chunks`` chunks of consecutive codes (the nation to chunk 0).

    Parameters
    ----------
    io_tables, yearbook
        The tidy IO tables and the long yearbook data: every region code of either is assigned.
    n_chunks
        How many chunks (at least 1; fewer if there are fewer regions).

    Returns
    -------
    DataFrame
        ``province_code``, ``chunk`` (0 .. n - 1), codes ascending.
    """
    codes = set(io_tables["province_code"].astype(int)) | set(yearbook["province_code"].astype(int))
    regional = np.array(sorted(codes - {NATIONAL_CODE}), dtype=np.int64)
    parts = np.array_split(regional, max(1, min(n_chunks, len(regional))))
    chunk = np.concatenate([np.full(len(p), i) for i, p in enumerate(parts)]) if len(regional) else np.array([])
    table = pd.DataFrame({"province_code": regional, "chunk": chunk.astype(int)})
    if NATIONAL_CODE in codes:
        table = pd.concat([pd.DataFrame({"province_code": [NATIONAL_CODE], "chunk": [0]}), table], ignore_index=True)
    return table


def chunk_rows(frame: pd.DataFrame, chunks: pd.DataFrame, chunk: int) -> pd.DataFrame:
    """Select the rows of ``frame`` (io_tables, yearbook or ratios) whose region is in ``chunk``.

    Parameters
    ----------
    frame
        Any table with ``province_code``.
    chunks
        From :func:`region_chunks`.
    chunk
        The chunk number.

    Returns
    -------
    DataFrame
        Those rows, in their order.
    """
    codes = chunks.loc[chunks["chunk"] == chunk, "province_code"].to_numpy()
    inside = frame["province_code"].astype(int).isin(codes)
    return frame if inside.all() else frame[inside]  # one chunk: the frame itself, not a copy


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


def plan_estimate(
    io_tables: pd.DataFrame,
    yearbook: pd.DataFrame,
    *,
    years: Iterable[int],
    chains: ComponentChains,
    price_base_changes: Mapping[str, Sequence[int]],
) -> Plan:
    """Stage 1, once over every region: the years, the candidates with data, the price-base changes.

    Parameters
    ----------
    io_tables
        Every region's tidy IO tables (only ``province_code`` and ``year`` are read).
    yearbook
        Every region's long yearbook data (a price-base change is a fall in most regions at once).
    years
        The output years.
    chains
        ``indicators.chains``.
    price_base_changes
        ``indicators.price_base_changes``.

    Returns
    -------
    Plan

    Raises
    ------
    InputError
        From :func:`digecon.estimation.chains.unavailable_candidates`.
    """
    tables = io_tables[["province_code", "year"]].drop_duplicates()
    grid = working_years(tables, years)
    spanned = set(backtest_years(tables))
    candidates = candidates_of(chains)
    unavailable = unavailable_candidates(candidates, yearbook["indicator"].unique(), _uses(chains))
    alias = {c: a for a, c in aliases_of(candidates, unavailable).items()}
    changes = base_changes(yearbook, price_base_changes)
    return Plan(
        years=pd.DataFrame({"year": grid, "backtest": [y in spanned for y in grid]}),
        candidates=pd.DataFrame(
            {
                "component": [c.component for c in candidates],
                "candidate": [c.name for c in candidates],
                "alias": [alias.get(c, "") for c in candidates],
                "unavailable": [unavailable.get(c, "") for c in candidates],
            }
        ),
        price_bases=pd.DataFrame(
            [(k, y) for k, ys in changes.items() for y in ys], columns=["indicator", "year"]
        ).astype({"year": int}),
    )


def _uses(chains: ComponentChains) -> dict[str, str]:
    """Component -> its ``use`` setting."""
    return {f.name: getattr(chains, f.name).use for f in dataclasses.fields(chains)}


def _grid(plan: Plan) -> list[int]:
    """Every year computed."""
    return [int(y) for y in plan.years["year"]]


def _backtest_grid(plan: Plan) -> list[int]:
    """List the years the backtest spans."""
    return [int(y) for y in plan.years.loc[plan.years["backtest"].astype(bool), "year"]]


def _candidates(plan: Plan, chains: ComponentChains) -> tuple[dict[str, Candidate], dict[Candidate, str]]:
    """Alias -> available candidate, and unavailable candidate -> why, from the plan."""
    by_key = {(c.component, c.name): c for c in candidates_of(chains)}
    rows = list(plan.candidates.itertuples(index=False))
    aliases = {r.alias: by_key[(r.component, r.candidate)] for r in rows if r.alias}
    unavailable = {by_key[(r.component, r.candidate)]: r.unavailable for r in rows if not r.alias}
    return aliases, unavailable


def _changes(plan: Plan) -> dict[str, list[int]]:
    """Map each indicator to the years its price base changes."""
    return {k: [int(y) for y in g["year"]] for k, g in plan.price_bases.groupby("indicator", sort=False)}


def _scoring(methods: Sequence[str], conventions: Sequence[str], method: str, convention: str):
    """List the methods and conventions the candidates are scored under: the recommended ones added."""
    return list(dict.fromkeys([*methods, method])), list(dict.fromkeys([*conventions, convention]))


ScoringInputs = tuple[pd.DataFrame, pd.DataFrame, dict[str, tuple[Candidate, pd.DataFrame]]]


def scoring_inputs_of(
    io_tables: pd.DataFrame, yearbook: pd.DataFrame, ratios: pd.DataFrame, plan: Plan, chains: ComponentChains
) -> ScoringInputs:
    """Build the chunk's scoring benchmarks and indicators (candidates under their aliases) and their series.

    Stages 2 and 4 (:func:`chunk_pool_statistics`, :func:`chunk_backtest`) build them from the
    chunk's rows; a caller running both on the same chunk in one process may build them once and
    pass them to both (``scoring=``).
    """
    aliases, _ = _candidates(plan, chains)
    changes = _changes(plan)
    series = {a: (c, chain_series(yearbook, c, _grid(plan), changes)) for a, c in aliases.items()}
    benchmarks, indicators = scoring_inputs(benchmark_components(io_tables, ratios), io_aggregates(io_tables), series)
    return benchmarks, indicators, series


def _estimate_statistics(
    benchmarks: pd.DataFrame, indicators: pd.DataFrame, grid: list[int], methods: list[str], conventions: list[str]
) -> list[StatisticsBlock]:
    """Pooling statistics blocks of the values: every series with every benchmark, over every year computed."""
    provincial = benchmarks[benchmarks["province_code"] != NATIONAL_CODE]
    years = np.asarray(grid)
    matrix, key = indicator_matrix(indicators, years), series_key(indicators)
    blocks = []
    for c in conventions:
        prepared = prepare(benchmark_coefficients(provincial, indicators, c), matrix, key, years)
        blocks += statistics_blocks([(ESTIMATE_SCOPE, 0, prepared)], methods, c)
    return blocks


def chunk_pool_statistics(
    io_tables: pd.DataFrame,
    yearbook: pd.DataFrame,
    ratios: pd.DataFrame,
    plan: Plan,
    *,
    chains: ComponentChains,
    methods: Sequence[str],
    conventions: Sequence[str],
    recommended_method: str,
    recommended_convention: str,
    scoring: ScoringInputs | None = None,
) -> pd.DataFrame:
    """Stage 2, per chunk: the statistics of the pooled parameters, every candidate, design and the values.

    Parameters
    ----------
    io_tables, yearbook, ratios
        The chunk's rows (:func:`chunk_rows`) of the tidy IO tables (万元), the yearbook (亿元) and
        the split ratios.
    plan
        From :func:`plan_estimate`.
    chains, methods, conventions, recommended_method, recommended_convention
        As for :func:`digecon.api.estimate_tables`.
    scoring
        :func:`scoring_inputs_of` the same rows, plan and chains, if already built; None builds them.

    Returns
    -------
    DataFrame
        ``convention``, ``design_label`` (empty for the values), ``method``, ``component`` (the
        candidate's alias) and ``s0``, ``s1``, ...: rows of each pooling method's statistics.
    """
    methods_, conventions_ = _scoring(methods, conventions, recommended_method, recommended_convention)
    benchmarks, indicators, _ = scoring or scoring_inputs_of(io_tables, yearbook, ratios, plan, chains)
    on_designs = pool_statistics_blocks(benchmarks, indicators, methods_, conventions_, grid=_backtest_grid(plan))
    on_values = _estimate_statistics(benchmarks, indicators, _grid(plan), methods_, conventions_)
    return statistics_frame(on_designs + on_values)  # one table, not two concatenated


def gather_pooled(statistics: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """Stage 3: the pooled parameters from every chunk's statistics.

    Parameters
    ----------
    statistics
        :func:`chunk_pool_statistics` of every chunk, in any order.

    Returns
    -------
    DataFrame
        ``convention``, ``design_label``, ``method``, ``component`` (alias), ``parameter``, ``value``
        (:func:`digecon.estimation.backtest.choose_pooled`).
    """
    found = [s for s in statistics if not s.empty]
    if len(found) == 1:  # one chunk: no copy (the choice does not read the index)
        return choose_pooled(found[0])
    return choose_pooled(pd.concat(found, ignore_index=True) if found else pd.DataFrame(columns=POOL_KEYS))


def chunk_backtest(
    io_tables: pd.DataFrame,
    yearbook: pd.DataFrame,
    ratios: pd.DataFrame,
    plan: Plan,
    pooled: pd.DataFrame,
    *,
    chains: ComponentChains,
    methods: Sequence[str],
    conventions: Sequence[str],
    recommended_method: str,
    recommended_convention: str,
    scoring: ScoringInputs | None = None,
) -> ChunkBacktest:
    """Stage 4, per chunk: the backtest rows of every candidate chain, with the pooled parameters.

    Parameters
    ----------
    io_tables, yearbook, ratios
        The chunk's rows (:func:`chunk_rows`).
    plan
        From :func:`plan_estimate`.
    pooled
        From :func:`gather_pooled`.
    chains, methods, conventions, recommended_method, recommended_convention
        As for :func:`digecon.api.estimate_tables`.
    scoring
        :func:`scoring_inputs_of` the same rows, plan and chains, if already built; None builds them.

    Returns
    -------
    ChunkBacktest
        ``backtest`` (``BACKTEST_COLUMNS``, component = alias, no totals) and ``leads`` (each
        candidate's leading indicator in each region).
    """
    methods_, conventions_ = _scoring(methods, conventions, recommended_method, recommended_convention)
    benchmarks, indicators, series = scoring or scoring_inputs_of(io_tables, yearbook, ratios, plan, chains)
    rows = backtest(
        benchmarks, indicators, methods_, conventions_, pooled=pooled, grid=_backtest_grid(plan), totals=False
    )
    leads = [
        own.drop_duplicates("province_code")[["province_code", "leading_indicator"]].assign(component=alias)
        for alias, (_, own) in series.items()
    ]
    return ChunkBacktest(
        rows,
        pd.concat(leads, ignore_index=True)[["component", "province_code", "leading_indicator"]],
    )


def _label_order(rows: pd.DataFrame) -> list[str]:
    """Design labels in the order of :func:`~digecon.estimation.backtest.designs` over every region.

    A label's place there is its kind, held-out year and distance, then the smallest region code
    that has it, then the label: all in the rows.
    """
    first = rows.groupby("design_label", sort=False).agg(
        design=("design", "first"),
        holdout_year=("holdout_year", "first"),
        distance_years=("distance_years", "first"),
        province_code=("province_code", "min"),
    )
    # as numbers: a categorical's map would give a categorical, sorted by its categories' order
    first = first.assign(order=first["design"].astype(object).map(DESIGN_ORDER)).reset_index()
    keys = ["order", "holdout_year", "distance_years", "province_code", "design_label"]
    return list(first.sort_values(keys, kind="stable")["design_label"])


Coded = dict[str, tuple[np.ndarray, pd.Index]]  # column -> each row's code (-1 where missing), the values coded


def _positions(coded: tuple[np.ndarray, pd.Index], wanted: Sequence) -> np.ndarray:
    """Give each row's position in ``wanted`` (-1 if absent) from its column's codes: a lookup of the few values."""
    codes, values = coded
    return np.append(pd.Index(wanted).get_indexer(values), -1)[codes]


def _ranks(coded: tuple[np.ndarray, pd.Index]) -> np.ndarray:
    """Give each row's rank among the column's values sorted (-1 where missing), as ``factorize(sort=True)``."""
    codes, values = coded
    return np.append(pd.factorize(values, sort=True)[0], -1)[codes]


def _order(
    coded: Coded, provinces: np.ndarray, conventions: list[str], labels: list[str], methods: list[str]
) -> np.ndarray:
    """Order backtest rows as one backtest call lays them out: convention, design, method, region, component.

    ``coded`` holds the codes of ``convention``, ``design_label``, ``method`` and ``component``
    (:func:`~digecon.estimation.joins.label_codes` of each column, done once); ``provinces`` the rows' region codes.
    """
    keys = [
        _positions(coded["convention"], conventions),
        _positions(coded["design_label"], labels),
        _positions(coded["method"], methods),
        provinces,
        _ranks(coded["component"]),
    ]
    return np.lexsort(keys[::-1])


def choices_table(choices: Mapping[str, Choice], aliases: Mapping[str, Candidate]) -> pd.DataFrame:
    """Lay out the chain choices as a table (``CHOICE_COLUMNS``), one row per component."""
    alias_of = {c: a for a, c in aliases.items()}
    return pd.DataFrame(
        [
            (
                k,
                c.candidate.name,
                alias_of[c.candidate],
                c.how,
                c.score,
                c.runner_up or "",
                c.runner_up_score,
                *[
                    c.method,
                    c.convention,
                ],
            )
            for k, c in choices.items()
        ],
        columns=CHOICE_COLUMNS,
    )


def choices_of(table: pd.DataFrame, chains: ComponentChains) -> dict[str, Choice]:
    """Rebuild the :class:`~digecon.estimation.chains.Choice` objects from :func:`choices_table`."""
    by_key = {(c.component, c.name): c for c in candidates_of(chains)}
    return {
        r.component: Choice(
            r.component,
            by_key[(r.component, r.candidate)],
            r.how,
            float(r.score),
            r.runner_up or None,
            float(r.runner_up_score),
            r.method,
            r.convention,
        )
        for r in table.itertuples(index=False)
    }


def gather_backtest(
    backtests: Sequence[ChunkBacktest],
    plan: Plan,
    *,
    chains: ComponentChains,
    methods: Sequence[str],
    conventions: Sequence[str],
    recommended_method: str,
    recommended_convention: str,
) -> Choices:
    """Stage 5: choose the chains from every region's backtest; the backtest of the chosen chains and its bands.

    Parameters
    ----------
    backtests
        :func:`chunk_backtest` of every chunk, in any order.
    plan
        From :func:`plan_estimate`.
    chains, methods, conventions, recommended_method, recommended_convention
        As for :func:`digecon.api.estimate_tables`.

    Returns
    -------
    Choices
        The choices, the comparison of the candidates, the backtest of the chosen chains (with the
        total), its summaries, the band coverage and the band rule.
    """
    methods, conventions = list(methods), list(conventions)
    methods_, conventions_ = _scoring(methods, conventions, recommended_method, recommended_convention)
    aliases, unavailable = _candidates(plan, chains)
    found = [b.backtest for b in backtests if not b.backtest.empty]
    rows = concat_tables(found) if found else pd.DataFrame(columns=BACKTEST_COLUMNS)
    labels = _label_order(rows)
    # every text column that decides is coded once; rows are ordered and chosen on the codes
    coded = {c: label_codes(rows[c]) for c in ["convention", "design_label", "method", "component", "kind"]}
    provinces = rows["province_code"].to_numpy(dtype=np.int64)
    order = _order(coded, provinces, conventions_, labels, methods_)
    leads = pd.concat([b.leads for b in backtests], ignore_index=True)
    leads = leads.sort_values(["component", "province_code"], kind="stable", ignore_index=True)
    # only the columns the scores read are laid out in backtest order (their groups keep its order), as categoricals
    scoring = pd.DataFrame(
        {
            c: pd.Categorical.from_codes(coded[c][0][order], coded[c][1])
            for c in ["component", "method", "convention", "kind"]
        }
        | {"ape": rows["ape"].to_numpy()[order]}
    )
    scores = candidate_scores(scoring, aliases, leads)
    choices, comparison = choose_chains(
        scores,
        candidates_of(chains),
        unavailable,
        _uses(chains),
        method=recommended_method,
        convention=recommended_convention,
    )
    chosen = choices_table(choices, aliases).set_index("alias")["component"].to_dict()
    # the chosen aliases' rows under their components' names, in the order of a backtest of them
    names = pd.Index(list(dict.fromkeys(chosen.values())))
    aliases_coded, alias_values = coded["component"]
    named = (np.append(names.get_indexer([chosen.get(a) for a in alias_values]), -1)[aliases_coded], names)
    wanted = (
        (named[0] >= 0)
        & (_positions(coded["method"], methods) >= 0)
        & (_positions(coded["convention"], conventions) >= 0)
    )
    index = np.flatnonzero(wanted)
    subset = {c: (codes[index], values) for c, (codes, values) in (coded | {"component": named}).items()}
    index = index[_order(subset, provinces[index], conventions, labels, methods)]
    mine = rows.drop(columns="component").take(index).reset_index(drop=True)
    mine.insert(rows.columns.get_loc("component"), "component", take_labels(names, named[0][index]))
    results = concat_tables([mine, total_rows(mine)]) if len(mine) else pd.DataFrame(columns=BACKTEST_COLUMNS)
    rule, coverage = rule_and_coverage(results)
    return Choices(
        choices_table(choices, aliases),
        comparison,
        results,
        error_summary(results, rule),
        plain_text(by_design(results)),
        plain_text(by_distance(results)),
        plain_text(coverage),
        rule,
    )


def _pooled_values(pooled: pd.DataFrame, chosen: Mapping[str, str]) -> dict[tuple[str, str], dict[str, dict]]:
    """(convention, method) -> component -> parameters of the values, from the chosen candidates' aliases."""
    rows = pooled[(pooled["design_label"] == ESTIMATE_SCOPE) & pooled["component"].isin(list(chosen))]
    out: dict[tuple[str, str], dict[str, dict]] = {}
    for r in rows.itertuples(index=False):
        out.setdefault((r.convention, r.method), {}).setdefault(chosen[r.component], {})[r.parameter] = r.value
    return out


def chunk_values(
    io_tables: pd.DataFrame,
    yearbook: pd.DataFrame,
    ratios: pd.DataFrame,
    plan: Plan,
    pooled: pd.DataFrame,
    choices: pd.DataFrame,
    rule: pd.DataFrame,
    *,
    years: Iterable[int],
    methods: Sequence[str],
    conventions: Sequence[str],
    break_threshold: float,
    chains: ComponentChains,
    recommended_method: str,
    recommended_convention: str,
    table_ratios: pd.DataFrame | None = None,
) -> ChunkValues:
    """Stage 6, per chunk: the values with their bounds, the totals and what describes them.

    Parameters
    ----------
    io_tables, yearbook, ratios
        The chunk's rows (:func:`chunk_rows`).
    plan
        From :func:`plan_estimate`.
    pooled
        From :func:`gather_pooled`.
    choices, rule
        ``choices`` and ``band_rule`` of :func:`gather_backtest`.
    years, methods, conventions, break_threshold, chains, recommended_method, recommended_convention, table_ratios
        As for :func:`digecon.api.estimate_tables`.

    Returns
    -------
    ChunkValues
        The chunk's rows of ``values``, ``totals``, ``benchmarks``, ``indicators`` and
        ``indicator_breaks`` of :class:`Result`, and its ``check_rows``.
    """
    years = sorted(int(y) for y in years)
    methods, conventions = list(methods), list(conventions)
    grid = _grid(plan)
    picked = choices_of(choices, chains)
    aliases = choices.set_index("alias")["component"].to_dict()
    changes = _changes(plan)
    indicators = pd.concat(
        [chain_series(yearbook, picked[k].candidate, grid, changes) for k in _uses(chains)], ignore_index=True
    )
    benchmarks = chain_benchmarks(benchmark_components(io_tables, ratios), io_aggregates(io_tables), indicators)
    values = estimate_all(benchmarks, indicators, grid, methods, conventions, pooled=_pooled_values(pooled, aliases))
    values = describe(apply_bounds(values[values["year"].isin(years)], rule), benchmarks, indicators)
    if table_ratios is not None and not table_ratios.empty:
        values = follow_national_split(values, ratio_by_year(table_ratios, grid))
    breaks = indicator_breaks(indicators, break_threshold)
    keys = ["component", "province_code", "year"]
    flagged = positions(values, breaks[keys].drop_duplicates(), keys) >= 0  # by positions: no merge of the big table
    # the margin of each component looked up once, then taken for the rows (NaN for a component not picked)
    component, components = pd.factorize(values["component"])
    margins = np.array([picked[k].margin_points if k in picked else np.nan for k in components] + [np.nan])
    values = values.assign(indicator_break=flagged, chain_margin_points=margins[component])
    recommended = (values["method"] == recommended_method) & (values["convention"] == recommended_convention)
    chosen = values.loc[recommended, ["province_code", "year", "component", "value_100m_yuan"]]  # what check_rows reads
    pairs = component_indicators(candidates_of(chains), yearbook["indicator"].unique())
    totals = with_share_of_gdp(totals_with_bounds(values, rule), yearbook)
    return ChunkValues(values, totals, benchmarks, indicators, breaks, check_rows(chosen, yearbook, pairs))


def _concat(frames: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate the chunks' tables (the empty ones left out unless all are; one table is not copied)."""
    found = [f for f in frames if not f.empty] or list(frames[:1])
    return found[0] if len(found) == 1 else concat_tables(found)


def _lexsort(frame: pd.DataFrame, by: list[str]) -> np.ndarray:
    """Give the stable order of the rows by the columns ``by`` (strings in code-point order, as sort_values)."""
    keys = [pd.factorize(frame[c], sort=True)[0] for c in by]
    return np.lexsort(keys[::-1]) if len(frame) else np.arange(0)


def gather_results(
    chunks: Sequence[ChunkValues],
    decided: Choices,
    *,
    chains: ComponentChains,
    component_check_factor: float,
    national_tables: pd.DataFrame | None = None,
    national_ratios: pd.DataFrame | None = None,
) -> Result:
    """Stage 7: every table of the result, in the order of an unchunked run.

    Parameters
    ----------
    chunks
        :func:`chunk_values` of every chunk, in any order.
    decided
        From :func:`gather_backtest`.
    chains, component_check_factor, national_tables, national_ratios
        As for :func:`digecon.api.estimate_tables`.

    Returns
    -------
    Result
    """
    uses = {k: i for i, k in enumerate(_uses(chains))}
    values = _concat([c.values for c in chunks])
    values = output_order(values)
    totals = _concat([c.totals for c in chunks])
    totals = rows_in_order(totals, _lexsort(totals, ["province_code", "year", "method", "convention"]))
    benchmarks = _concat([c.benchmarks for c in chunks])
    benchmarks = rows_in_order(benchmarks, _lexsort(benchmarks, ["province_code", "year"]))
    indicators = _concat([c.indicators for c in chunks])
    indicators = rows_in_order(
        indicators, _lexsort(indicators.assign(_k=indicators["component"].map(uses)), ["_k", "province_code", "year"])
    )
    breaks = _concat([c.indicator_breaks for c in chunks])
    breaks = rows_in_order(breaks, _lexsort(breaks, ["component", "province_code", "year"]))
    checks = flag_checks(_concat([c.check_rows for c in chunks]), component_check_factor)
    national = plain_text(national_consistency(benchmarks, values, national_tables, national_ratios))
    return Result(
        values,
        totals,
        benchmarks,
        indicators,
        decided.backtest,
        decided.backtest_summary,
        national,
        breaks,
        decided.backtest_by_design,
        decided.backtest_by_distance,
        decided.band_coverage,
        chain_comparison=decided.chain_comparison,
        chain_choices=choices_of(decided.choices, chains),
        component_checks=checks,
    )
