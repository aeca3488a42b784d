"""Indicator chains per component as candidates, scored by the backtest (METHOD.md sections 3, 4 and 4b).

Each component (electronics, IT services, telecom, media) has named candidate chains
(``indicators.chains.<component>.candidates``), each an ordered list of indicators spliced as in
:mod:`digecon.estimation.indicators`. Every candidate is scored by the same backtest designs
(:func:`digecon.estimation.backtest.backtest`, one run over every candidate's series); the
combinations of a component's chains are scored beside them, and ``use: auto`` picks, per
component, the candidate with the lowest median extrapolation APE of the recommended method and
convention, of the component or of the total (``indicators.selection.criterion``), a tie going to
the earlier candidate; :mod:`digecon.estimation.selection` says how sure each choice is.

The coefficient basis follows the leading indicator. A chain led by an indicator that has a
counterpart aggregate in the IO table (:data:`IO_AGGREGATES`: 工业增加值 <-> industry, 第二产业增加值
<-> industry + construction, 第三产业增加值 <-> tertiary, 其他行业增加值 <-> other services, 地区生产总值
<-> all sectors) keeps c = V / A under the ``share`` convention (``coefficient_basis`` ``share``).
An indicator of the component itself (C39 revenue, software revenue, a wage bill, a user's C39
营业收入) has no such aggregate, so c = V / X(b) under both conventions (``coefficient_basis``
``indicator``): a one-indicator chain of the user's own series is a valid candidate. A province
lacking the leading indicator altogether (宁夏 and 西藏 have no C39 revenue) is led by the next
indicator it has, with that indicator's basis.

A share carried forward from a table cannot see an industry that grew up after it, so
:func:`component_indicator_checks` compares the estimate with each component-level indicator.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from digecon.core.errors import InputError
from digecon.core.provinces import NATIONAL_CODE, province_table
from digecon.core.settings import ComponentChains, SelectionSettings
from digecon.estimation.bands import q80
from digecon.estimation.estimate import plain
from digecon.estimation.indicators import (
    AGGREGATE,
    INDUSTRY_SERIES,
    indicator_series,
    link_price_bases,
    price_base_changes,
)
from digecon.estimation.selection import candidate_effects, select, wide

log = logging.getLogger(__name__)

# leading indicator -> the IO aggregate it measures (digecon.estimation.estimate.IO_AGGREGATE_FLAGS)
IO_AGGREGATES = {
    "工业增加值": "industry",
    "第二产业增加值": "secondary",
    "第三产业增加值": "tertiary",
    "其他行业增加值": "other_services",
    "地区生产总值": "all",
}
COMPARISON_COLUMNS = [
    "component",
    "candidate",
    "chain",
    "coefficient_basis",
    "method",
    "convention",
    "kind",
    "n",
    "median_ape",
    "q80_ape",
    "chosen",
    "decisive",
    "margin_points",
    "criterion",
    "win_share",
    "total_n",
    "total_median_ape",
    "total_q80_ape",
    "nested_median_ape_component_rule",
    "nested_median_ape_total_rule",
    "combination_weights",
    "note",
]
CHECK_COLUMNS = [
    "province_code",
    "province",
    "year",
    "component",
    "indicator",
    "estimate_100m_yuan",
    "indicator_100m_yuan",
    "ratio",
    "national_ratio",
    "relative",
    "factor",
    "message",
]


@dataclass(frozen=True)
class Candidate:
    """One candidate of one component: a chain, or a combination of the component's chains (``parts``)."""

    component: str
    name: str
    chain: tuple[str, ...]
    parts: tuple[str, ...] = ()  # a combination's chains (digecon.estimation.selection), none for a chain

    @property
    def label(self) -> str:
        """The chain as text (``C39主营业务收入 → 工业增加值 → ...``), or the chains a combination averages."""
        return " → ".join(self.chain) if not self.parts else f"mean of {', '.join(self.parts)}"

    @property
    def basis(self) -> str:
        """``share`` (the leading indicator has an IO aggregate), ``indicator`` (c = V / X) or ``combination``."""
        if self.parts:
            return "combination"
        return "share" if self.chain[0] in IO_AGGREGATES else "indicator"

    @property
    def key(self) -> str:
        """The configuration key of the candidate."""
        return f"indicators.chains.{self.component}.candidates.{self.name}"


def candidates_of(chains: ComponentChains) -> list[Candidate]:
    """List every candidate of the chain settings, component by component, in configuration order.

    Parameters
    ----------
    chains
        ``indicators.chains`` of the settings.

    Returns
    -------
    list of Candidate
    """
    return [
        Candidate(f.name, name, tuple(chain))
        for f in dataclasses.fields(chains)
        for name, chain in getattr(chains, f.name).candidates.items()
    ]


BUILT_IN_INDICATORS = frozenset(i for c in candidates_of(ComponentChains()) for i in c.chain)


def unavailable_candidates(
    candidates: Sequence[Candidate], indicators: Iterable[str], uses: Mapping[str, str]
) -> dict[Candidate, str]:
    """Refuse unknown indicator names; say which candidates this run's inputs cannot serve.

    An indicator is known if the yearbook has it or a built-in candidate names it
    (:data:`BUILT_IN_INDICATORS`: a built-in series whose source is not among the inputs, e.g. C39
    revenue in a run on the user's files only). A candidate whose leading indicator has no data
    is unavailable: skipped by ``auto``, refused if named by ``use``.

    Parameters
    ----------
    candidates
        From :func:`candidates_of`.
    indicators
        The indicator names of the yearbook table.
    uses
        Component -> its ``use`` setting (``auto`` or a candidate's name).

    Returns
    -------
    dict
        Unavailable candidate -> why.

    Raises
    ------
    InputError
        Naming the candidate and the indicator, listing the indicators available, for a name that
        is neither in the yearbook nor built in; for a ``use`` naming an unavailable candidate; for
        a component left without any available candidate.
    """
    available = set(indicators)
    listed = ", ".join(sorted(available)) or "(none)"
    unavailable = {}
    for c in candidates:
        unknown = [i for i in c.chain if i not in available and i not in BUILT_IN_INDICATORS]
        if unknown:
            raise InputError(c.key, f"unknown indicator '{unknown[0]}'", expected=f"one of the indicators {listed}")
        if c.chain[0] not in available:
            unavailable[c] = f"not available: no {c.chain[0]} among this run's inputs"
            if uses.get(c.component) == c.name:
                raise InputError(
                    f"indicators.chains.{c.component}.use", f"candidate '{c.name}' has no data ({c.label})"
                )
    for component in dict.fromkeys(c.component for c in candidates):
        if all(c in unavailable for c in candidates if c.component == component):
            raise InputError(f"indicators.chains.{component}", "no candidate has data", expected=f"one of {listed}")
    return unavailable


def available_candidates(
    chains: ComponentChains, yearbook: pd.DataFrame
) -> tuple[list[Candidate], dict[Candidate, str]]:
    """Split the candidates of the chain settings into those this run's yearbook can serve and the others.

    Parameters
    ----------
    chains
        ``indicators.chains``.
    yearbook
        Long yearbook data.

    Returns
    -------
    (available, unavailable)
        The available candidates in configuration order; unavailable candidate -> why.

    Raises
    ------
    InputError
        From :func:`unavailable_candidates`.
    """
    candidates = candidates_of(chains)
    unavailable = unavailable_candidates(candidates, yearbook["indicator"].unique(), uses_of(chains))
    return [c for c in candidates if c not in unavailable], unavailable


def uses_of(chains: ComponentChains) -> dict[str, str]:
    """Component -> its ``use`` setting (``auto`` or a candidate's name), in configuration order."""
    return {f.name: getattr(chains, f.name).use for f in dataclasses.fields(chains)}


def _linked_inputs(yearbook: pd.DataFrame, candidate: Candidate, changes: Mapping[str, Sequence[int]]) -> pd.DataFrame:
    """Give the candidate's yearbook rows, indicators at changing price bases linked across the changes."""
    rows = yearbook
    for position, indicator in enumerate(candidate.chain):
        if indicator in changes and indicator in set(rows["indicator"].unique()):
            linked = link_price_bases(rows, indicator, changes[indicator], candidate.chain[position + 1 :])
            rows = pd.concat([rows[rows["indicator"] != indicator], linked], ignore_index=True)
    return rows


def chain_series(
    yearbook: pd.DataFrame, candidate: Candidate, years: list[int], changes: Mapping[str, Sequence[int]] | None = None
) -> pd.DataFrame:
    """Build the composite indicator of one candidate, per province and year, keyed by its component.

    Parameters
    ----------
    yearbook
        Long yearbook data (亿元).
    candidate
        The chain.
    years
        Every year needed (see :func:`digecon.estimation.indicators.indicator_series`).
    changes
        Indicator -> the years its price base changes (:func:`base_changes`); such an indicator is
        linked across them by the growth of the chain's next indicator.

    Returns
    -------
    DataFrame
        :func:`~digecon.estimation.indicators.indicator_series` keyed by ``component``, plus ``chain``
        (the candidate's name), ``io_aggregate`` (of the province's leading indicator, empty for a
        component-level one), ``coefficient_basis`` (``share`` or ``indicator``) and ``carried_by``:
        ``industry series`` where the year's ``carrying_indicator`` is one of the component itself,
        ``aggregate`` where it is an aggregate's (:data:`IO_AGGREGATES`).

    Raises
    ------
    InputError
        From :func:`~digecon.estimation.indicators.indicator_series`.
    """
    rows = _linked_inputs(yearbook[yearbook["indicator"].isin(candidate.chain)], candidate, changes or {})
    lacking = sorted(set(yearbook["province_code"].unique()) - set(rows["province_code"].unique()))
    if lacking:
        raise InputError(
            candidate.key, f"no indicator of the chain for province {lacking[0]}", expected=candidate.label
        )
    series = indicator_series(rows, years, {candidate.component: candidate.chain}, key="component")
    # the IO aggregate of each province's leading indicator (none for a component-level indicator)
    aggregate = series["leading_indicator"].map(IO_AGGREGATES).fillna("")
    basis = np.where(aggregate != "", "share", "indicator")
    carried_by = np.where(series["carrying_indicator"].isin(IO_AGGREGATES), AGGREGATE, INDUSTRY_SERIES)
    return series.assign(chain=candidate.name, io_aggregate=aggregate, coefficient_basis=basis, carried_by=carried_by)


def base_changes(yearbook: pd.DataFrame, known: Mapping[str, Sequence[int]]) -> dict[str, list[int]]:
    """Price-base changes of every indicator of ``indicators.price_base_changes`` the yearbook has.

    Parameters
    ----------
    yearbook
        Long yearbook data.
    known
        Indicator -> years of a change known from the publisher (the setting).

    Returns
    -------
    dict
        Indicator -> every change, found in the data (:func:`~digecon.estimation.indicators.price_base_changes`)
        or known; each is logged.
    """
    changes, present = {}, set(yearbook["indicator"].unique())
    for indicator, years in known.items():
        if indicator in present:
            found = price_base_changes(yearbook, indicator)
            changes[indicator] = sorted(set(found) | {int(y) for y in years})
            log.info(
                "%s: price base changes in %s (found in the data: %s; configured: %s); linked across them",
                indicator,
                changes[indicator],
                found,
                list(years),
            )
    return changes


def chain_benchmarks(benchmarks: pd.DataFrame, aggregates: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """Align the benchmark rows with the chains: the aggregate A and coefficient basis of each chain.

    Parameters
    ----------
    benchmarks
        From :func:`digecon.estimation.estimate.benchmark_components`.
    aggregates
        From :func:`digecon.estimation.estimate.io_aggregates`.
    indicators
        From :func:`chain_series` (one or more components).

    Returns
    -------
    DataFrame
        ``benchmarks`` with ``aggregate`` the IO aggregate of the province's leading indicator
        (empty for a component-level indicator), ``aggregate_va_100m_yuan`` its VA (empty then)
        and ``coefficient_basis``. Rows of other components and the national rows are unchanged
        (basis ``share``).

    Raises
    ------
    ValueError
        If a chain led by an aggregate's indicator meets tables without that aggregate's flags.
    """
    lead = indicators.drop_duplicates(["component", "province_code"])[
        ["component", "province_code", "io_aggregate", "coefficient_basis"]
    ]
    merged = benchmarks.drop(columns="coefficient_basis", errors="ignore").merge(
        lead, on=["component", "province_code"], how="left", validate="many_to_one"
    )
    chained = merged["io_aggregate"].notna() & (merged["province_code"] != NATIONAL_CODE)
    lookup = aggregates.set_index(["province_code", "year", "io_aggregate"])["aggregate_va_100m_yuan"]
    keys = pd.MultiIndex.from_arrays([merged["province_code"], merged["year"], merged["io_aggregate"].fillna("")])
    va = lookup.reindex(keys).to_numpy()
    lacking = chained & (merged["coefficient_basis"] == "share") & pd.isna(va)
    if lacking.any():
        first = merged[lacking].iloc[0]
        raise ValueError(
            f"no IO aggregate {first['io_aggregate']!r} for province {first['province_code']} in {first['year']} "
            f"(led by {first['io_aggregate']}'s indicator under the share convention): the tables lack its flags"
        )
    out = merged.assign(
        aggregate=merged["aggregate"].where(~chained, merged["io_aggregate"]),
        aggregate_va_100m_yuan=merged["aggregate_va_100m_yuan"].where(~chained, va),
        coefficient_basis=merged["coefficient_basis"].where(chained, "share"),
    )
    return out.drop(columns="io_aggregate")


def _fallback_note(leads: pd.DataFrame, candidate: Candidate) -> str:
    """Name the provinces that lack the leading indicator (and what leads there); ``leads`` one row per province."""
    lead = leads.set_index("province_code")["leading_indicator"]
    other = lead[lead != candidate.chain[0]]
    if other.empty:
        return ""
    names = province_table().set_index("province_code")["province"]
    listed = ", ".join(f"{names.get(c, c)} ({i})" for c, i in other.items())
    return f"no {candidate.chain[0]} in {len(other)} province(s), led there by the next indicator: {listed}"


@dataclass(frozen=True)
class Choice:
    """The candidate chosen for one component, by how much it beat the others and how sure that is."""

    component: str
    candidate: Candidate
    how: str  # auto or configured
    criterion: str  # component or total (selection.criterion)
    score: float  # the median extrapolation APE under the criterion, of the recommended method and convention
    runner_up: str | None  # the best other candidate
    runner_up_score: float
    method: str
    convention: str
    win_share: float  # share of resamples of provinces and designs in which the chosen candidate scores best
    resamples: int
    toss_up_below: float

    @property
    def margin_points(self) -> float:
        """Runner-up's score minus the chosen one's, in percentage points (NaN without a runner-up)."""
        return (self.runner_up_score - self.score) * 100 if self.runner_up is not None else float("nan")

    @property
    def toss_up(self) -> bool:
        """Whether the chosen candidate wins fewer resamples than ``toss_up_below`` (selection.toss_up_below)."""
        return self.runner_up is not None and self.win_share < self.toss_up_below

    def sentence(self) -> str:
        """Say which candidate won, by how much and how surely, for the log, the summaries and captions."""
        head = f"{self.component}: {self.candidate.name} ({self.candidate.label}), {self.how}"
        of = "of the total" if self.criterion == "total" else "of the component"
        score = f"median extrapolation APE {of} {self.score:.1%} ({self.method}, {self.convention})"
        if self.runner_up is None:
            return f"{head}; {score}; the only candidate with data"
        margin = self.margin_points
        verdict = f"{abs(margin):.1f} points {'better' if margin >= 0 else 'worse'}"
        sure = f"best in {self.win_share:.0%} of {self.resamples} resamples of provinces and designs"
        toss = f": a toss-up (below {self.toss_up_below:.0%})" if self.toss_up else ""
        return f"{head}; {score} against {self.runner_up_score:.1%} for {self.runner_up} ({verdict}); {sure}{toss}"


def scoring_inputs(
    benchmarks: pd.DataFrame, aggregates: pd.DataFrame, series: Mapping[Candidate, pd.DataFrame]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Benchmarks and indicators of the scoring backtest: every candidate a series of its own (``candidate``).

    Designs, pooled parameters (Chow-Lin's rho is pooled per component and candidate) and errors
    are exactly those of a backtest of each candidate alone, at the cost of one backtest.

    Parameters
    ----------
    benchmarks
        From :func:`digecon.estimation.estimate.benchmark_components`.
    aggregates
        From :func:`digecon.estimation.estimate.io_aggregates`.
    series
        Candidate -> its :func:`chain_series`.

    Returns
    -------
    (benchmarks, indicators)
        :func:`chain_benchmarks` and :func:`chain_series` of every candidate, with ``candidate``.
    """
    frames, indicator_frames = [], []
    for c, own in series.items():
        aligned = chain_benchmarks(benchmarks[benchmarks["component"] == c.component], aggregates, own)
        frames.append(aligned.assign(candidate=c.name))
        indicator_frames.append(own.assign(candidate=c.name))
    return pd.concat(frames, ignore_index=True), pd.concat(indicator_frames, ignore_index=True)


def candidate_scores(
    results: pd.DataFrame, candidates: Sequence[Candidate], series: Mapping[Candidate, pd.DataFrame]
) -> pd.DataFrame:
    """Score every candidate from the scoring backtest's rows: median and q80 APE by method, convention and kind.

    Parameters
    ----------
    results
        The backtest of :func:`scoring_inputs` (and the combinations' rows), in its own row order:
        ``component``, ``candidate``, ``method``, ``convention``, ``kind`` and ``ape``.
    candidates
        The candidates scored, in order (chains, then combinations).
    series
        Chain -> its :func:`chain_series` (whose ``leading_indicator`` says where the first
        indicator is missing).

    Returns
    -------
    DataFrame
        Per candidate (in the order of ``candidates``) and method, convention and kind (in the order
        they first appear in the backtest): ``n``, ``median_ape``, ``q80_ape``, the candidate's
        ``chain`` and ``coefficient_basis``, and its ``note`` (provinces led by another indicator).
    """
    keys = ["component", "candidate", "method", "convention", "kind"]
    grouped = results[[*keys, "ape"]].dropna(subset=["ape"]).groupby(keys, sort=False, observed=True)["ape"]
    table = plain(grouped.agg(n="count", median_ape="median").assign(q80_ape=q80(grouped)).reset_index())
    frames = []
    for c in candidates:
        mine = table[(table["component"] == c.component) & (table["candidate"] == c.name)]
        note = ""
        if c in series:
            note = _fallback_note(series[c].drop_duplicates("province_code")[["province_code", "leading_indicator"]], c)
        frames.append(mine.assign(chain=c.label, coefficient_basis=c.basis, note=note))
    return pd.concat(frames, ignore_index=True)


def combination_candidates(weights: pd.DataFrame) -> list[Candidate]:
    """Make the combinations of :func:`digecon.estimation.selection.combination_weights` candidates."""
    pairs = weights[["component", "combination"]].drop_duplicates()
    return [
        Candidate(
            k,
            name,
            (),
            tuple(weights.loc[(weights["component"] == k) & (weights["combination"] == name), "candidate"].unique()),
        )
        for k, name in pairs.itertuples(index=False)
    ]


def choose_chains(
    scoring: pd.DataFrame,
    scores: pd.DataFrame,
    available: Sequence[Candidate],
    unavailable: Mapping[Candidate, str],
    chains: ComponentChains,
    selection: SelectionSettings,
    *,
    method: str,
    convention: str,
) -> tuple[dict[str, Choice], pd.DataFrame]:
    """Choose one candidate per component (:mod:`digecon.estimation.selection`) and lay out the comparison.

    Parameters
    ----------
    scoring
        The scoring backtest (:func:`scoring_inputs`) with the combinations' rows.
    scores
        From :func:`candidate_scores`.
    available, unavailable
        The candidates scored (chains, then combinations) and the chains without data (why).
    chains
        ``indicators.chains``: each component's ``use``.
    selection
        ``indicators.selection``: the criterion, the resamples of the win shares, the toss-up line.
    method, convention
        The recommended ones: ``auto`` compares the candidates under them.

    Returns
    -------
    (choices, comparison)
        Component -> :class:`Choice`, in configuration order; the table of ``COMPARISON_COLUMNS``
        (without the nested rule errors, see :func:`with_rule_errors`).
    """
    uses = uses_of(chains)
    names = {k: [c.name for c in available if c.component == k] for k in uses}
    for k, use in uses.items():
        if use != "auto" and use not in names[k]:  # a combination of fewer than two chains with data
            raise InputError(
                f"indicators.chains.{k}.use", f"{use} averages the chains with data, and {k} has only {names[k]}"
            )
    recommended = scoring[(scoring["method"] == method) & (scoring["convention"] == convention)]
    table = wide(recommended)
    extrapolation = (table.rows["kind"] == "extrapolation").to_numpy()
    picked, criterion_scores = select(table, names, uses, selection.criterion, extrapolation)
    effects = candidate_effects(
        scoring, names, picked, selection.criterion, resamples=selection.resamples, seed=selection.seed
    )
    share = effects[(effects["method"] == method) & (effects["convention"] == convention)].dropna(subset=["win_share"])
    share = share.set_index(["component", "candidate"])["win_share"]
    choices = {}
    for component, use in uses.items():
        mine = {c.name: c for c in available if c.component == component}
        chosen = mine[picked[component]]
        scored = criterion_scores[component]
        others = [
            n for n in sorted(scored, key=lambda n: np.inf if np.isnan(scored[n]) else scored[n]) if n != chosen.name
        ]
        runner = others[0] if others else None
        choices[component] = Choice(
            component,
            chosen,
            "chosen by auto" if use == "auto" else "set by the configuration",
            selection.criterion,
            scored[chosen.name],
            runner,
            scored[runner] if runner else float("nan"),
            method,
            convention,
            float(share.get((component, chosen.name), np.nan)),
            selection.resamples,
            selection.toss_up_below,
        )
    for c, why in unavailable.items():
        log.warning("%s (%s): %s; not scored", c.key, c.label, why)
    for choice in choices.values():
        log.info("indicator chain of %s", choice.sentence())
    return choices, _comparison(scores, effects, unavailable, choices)


def with_rule_errors(comparison: pd.DataFrame, rules: pd.DataFrame, weights: pd.DataFrame) -> pd.DataFrame:
    """Add each rule's nested error of the component and the combinations' weights to the comparison.

    Parameters
    ----------
    comparison
        From :func:`choose_chains`.
    rules
        From :func:`digecon.estimation.selection.nested_rules`.
    weights
        From :func:`digecon.estimation.selection.combination_weights`.

    Returns
    -------
    DataFrame
        ``comparison`` with ``nested_median_ape_component_rule``, ``nested_median_ape_total_rule``
        (the same on every row of a component) and ``combination_weights`` (a combination's
        candidates and weights under the row's method and convention, e.g. ``c39_revenue 0.72,
        industry 0.28``).
    """
    out = comparison.copy()
    for rule in ("component", "total"):
        errors = rules[rules["rule"] == rule].set_index("scope")["median_ape"]
        out[f"nested_median_ape_{rule}_rule"] = out["component"].map(errors).astype(float)
    text = (
        weights.assign(part=weights["candidate"] + " " + weights["weight"].map("{:.2f}".format))
        .groupby(["component", "combination", "method", "convention"], sort=False)["part"]
        .agg(", ".join)
    )
    keys = pd.MultiIndex.from_frame(out[["component", "candidate", "method", "convention"]].astype(object))
    out["combination_weights"] = text.reindex(keys).fillna("").to_numpy() if len(text) else ""
    return out.reindex(columns=COMPARISON_COLUMNS)


def chosen_rows(
    results: pd.DataFrame, choices: Mapping[str, Choice], methods: Sequence[str], conventions: Sequence[str]
) -> pd.DataFrame:
    """Select the scoring backtest's rows of the chosen chains under ``methods`` and ``conventions``.

    Parameters
    ----------
    results
        The backtest of :func:`scoring_inputs`.
    choices
        From :func:`choose_chains`.
    methods, conventions
        Those of the run (the scoring backtest may hold the recommended ones besides).

    Returns
    -------
    DataFrame
        The rows in the scoring backtest's order.
    """
    chosen = np.zeros(len(results), dtype=bool)
    for component, choice in choices.items():
        chosen |= (results["component"] == component) & (results["candidate"] == choice.candidate.name)
    keep = chosen & results["method"].isin(methods) & results["convention"].isin(conventions)
    return results[keep].drop(columns="candidate").reset_index(drop=True)


def with_chain_notes(values: pd.DataFrame, breaks: pd.DataFrame, choices: Mapping[str, Choice]) -> pd.DataFrame:
    """Add ``indicator_break`` and how the component's candidate was chosen.

    Parameters
    ----------
    values
        The described estimates.
    breaks
        From :func:`digecon.estimation.indicators.indicator_breaks` of the chains used.
    choices
        From :func:`choose_chains`.

    Returns
    -------
    DataFrame
        ``values`` with ``indicator_break`` (the indicator changed beyond the threshold into that
        year), ``chain_margin_points`` (the lead over the runner-up), ``chain_win_share`` (the share
        of resamples it wins) and ``chain_toss_up`` (that share is below ``selection.toss_up_below``);
        the last three empty for a component not chosen.
    """
    keys = ["component", "province_code", "year"]
    flagged = breaks[keys].drop_duplicates().assign(indicator_break=True)
    out = values.merge(flagged, on=keys, how="left", validate="many_to_one")
    component = out["component"]
    return out.assign(
        indicator_break=out["indicator_break"].notna().to_numpy(),
        chain_margin_points=component.map({k: c.margin_points for k, c in choices.items()}).astype(float),
        chain_win_share=component.map({k: c.win_share for k, c in choices.items()}).astype(float),
        chain_toss_up=component.map({k: c.toss_up for k, c in choices.items()}).astype("boolean"),
    )


def with_choices(summary: pd.DataFrame, comparison: pd.DataFrame) -> pd.DataFrame:
    """Add to the backtest summary the candidate each component uses and its win share.

    Parameters
    ----------
    summary
        From :func:`digecon.estimation.bands.error_summary`.
    comparison
        From :func:`choose_chains`.

    Returns
    -------
    DataFrame
        ``summary`` with ``chain`` (the candidate used) and ``chain_win_share`` (under the row's method
        and convention; empty for the total).
    """
    chosen = comparison[comparison["chosen"] & (comparison["kind"] == "extrapolation")]
    chosen = chosen[["component", "method", "convention", "candidate", "win_share"]].rename(
        columns={"candidate": "chain", "win_share": "chain_win_share"}
    )
    return summary.merge(chosen, on=["component", "method", "convention"], how="left", validate="many_to_one")


def _comparison(
    scores: pd.DataFrame, effects: pd.DataFrame, unavailable: Mapping[Candidate, str], choices: Mapping[str, Choice]
) -> pd.DataFrame:
    """Lay out the comparison: scores, effects on the total, win shares, chosen / decisive, one row per unavailable."""
    missing = pd.DataFrame(
        [
            {
                "component": c.component,
                "candidate": c.name,
                "chain": c.label,
                "coefficient_basis": c.basis,
                "n": 0,
                "note": why,
            }
            for c, why in unavailable.items()
        ]
    )
    table = pd.concat([scores, missing], ignore_index=True) if len(missing) else scores
    keys = ["component", "candidate", "method", "convention", "kind"]
    table = table.merge(effects, on=keys, how="left", validate="many_to_one")
    chosen = table["candidate"] == table["component"].map({k: c.candidate.name for k, c in choices.items()})
    method = table["component"].map({k: c.method for k, c in choices.items()})
    convention = table["component"].map({k: c.convention for k, c in choices.items()})
    decisive = (table["kind"] == "extrapolation") & (table["method"] == method) & (table["convention"] == convention)
    margin = table["component"].map({k: c.margin_points for k, c in choices.items()})
    table = table.assign(
        chosen=chosen.astype(bool),
        decisive=decisive,
        margin_points=margin.where(chosen & decisive),
        criterion=table["component"].map({k: c.criterion for k, c in choices.items()}),
    )
    order = {c: i for i, c in enumerate(choices)}
    table = (
        table.assign(_order=table["component"].map(order)).sort_values(["_order"], kind="stable").drop(columns="_order")
    )
    return table.reindex(columns=COMPARISON_COLUMNS).reset_index(drop=True)


def component_indicators(candidates: Sequence[Candidate], indicators: Iterable[str]) -> list[tuple[str, str]]:
    """List (component, indicator) of every component-level leading indicator the yearbook has, in order.

    Parameters
    ----------
    candidates
        From :func:`candidates_of`.
    indicators
        The yearbook's indicator names.

    Returns
    -------
    list of (str, str)
        E.g. ``("electronics", "C39主营业务收入")``, each pair once.
    """
    have = set(indicators)
    pairs = [(c.component, c.chain[0]) for c in candidates if c.basis == "indicator" and c.chain[0] in have]
    return list(dict.fromkeys(pairs))


def component_indicator_checks(
    values: pd.DataFrame, yearbook: pd.DataFrame, candidates: Sequence[Candidate], factor: float
) -> pd.DataFrame:
    """Flag the province-years whose estimate / component indicator ratio is far from the national ratio.

    A share carried forward from a table cannot see an industry that grew up after it (a province
    whose C39 revenue multiplied while its industry grew slowly). For each component-level
    leading indicator the yearbook has (:func:`component_indicators`) and year, the national ratio
    is the sum of the estimates over the sum of the indicator over the provinces with both
    positive; a province is flagged when its own ratio is above ``factor`` times that or below it
    divided by ``factor``. Only years the indicator itself covers are checked (no spliced values).

    Parameters
    ----------
    values
        The estimates of one method and convention: ``province_code``, ``year``, ``component``,
        ``value_100m_yuan`` (亿元).
    yearbook
        Long yearbook data (亿元).
    candidates
        The candidate chains (:func:`candidates_of`).
    factor
        The stated factor (``indicators.component_check_factor``), above 1.

    Returns
    -------
    DataFrame
        ``CHECK_COLUMNS``, one row per flagged province, year, component and indicator.
    """
    frames = []
    for component, indicator in component_indicators(candidates, yearbook["indicator"].unique()):
        estimate = values.loc[values["component"] == component, ["province_code", "year", "value_100m_yuan"]]
        own = yearbook.loc[yearbook["indicator"] == indicator, ["province_code", "year", "value"]]
        both = estimate.merge(own.astype({"value": float}), on=["province_code", "year"])
        both = both[(both["value"] > 0) & (both["value_100m_yuan"] > 0)]
        frames.append(both.assign(component=component, indicator=indicator))
    columns = ["component", "indicator", "province_code", "year", "value_100m_yuan", "value"]
    rows = pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(columns=columns)
    rows = rows.sort_values(["component", "indicator", "province_code", "year"], kind="stable", ignore_index=True)
    sums = rows.groupby(["component", "indicator", "year"])[["value_100m_yuan", "value"]].transform("sum")
    national = sums["value_100m_yuan"] / sums["value"]
    ratio = rows["value_100m_yuan"] / rows["value"]
    relative = ratio / national
    hit = (relative > factor) | (relative < 1 / factor)
    flagged = rows[hit].assign(ratio=ratio[hit], national_ratio=national[hit], relative=relative[hit])
    if flagged.empty:
        flagged = pd.DataFrame(columns=CHECK_COLUMNS)
    names = province_table().set_index("province_code")["province"]
    flagged = flagged.rename(columns={"value_100m_yuan": "estimate_100m_yuan", "value": "indicator_100m_yuan"})
    flagged = flagged.assign(factor=factor, province=flagged["province_code"].map(names))
    message = [
        f"province {r.province_code} ({r.province}) {r.year}, {r.component}: estimate / {r.indicator} = {r.ratio:.3g}, "
        f"{r.relative:.2f} x the national {r.national_ratio:.3g} (beyond x{factor:g} either way): the coefficient "
        "carried from the tables may miss how the industry moved, or the indicator does not describe it"
        for r in flagged.itertuples()
    ]
    return (
        flagged.assign(message=message)
        .reindex(columns=CHECK_COLUMNS)
        .sort_values(["component", "indicator", "province_code", "year"], ignore_index=True)
    )


def check_summary(checks: pd.DataFrame, *, shown: int = 6) -> list[str]:
    """Summarise the checks, one line per component and indicator: how many province-years, and which.

    Parameters
    ----------
    checks
        From :func:`component_indicator_checks`.
    shown
        Provinces named per line (the rest are counted).

    Returns
    -------
    list of str
        E.g. ``electronics / C39主营业务收入: 37 province-years beyond x2.5 of the national ratio:
        河北 2005-2006, ...``; empty without flags.
    """
    lines = []
    for (component, indicator), rows in checks.groupby(["component", "indicator"], sort=False):
        spans = [
            f"{name} {years.min()}" + (f"-{years.max()}" if years.max() > years.min() else "")
            for name, years in rows.groupby("province", sort=False)["year"]
        ]
        more = f" and {len(spans) - shown} more provinces" if len(spans) > shown else ""
        lines.append(
            f"{component} / {indicator}: {len(rows)} province-years beyond x{rows['factor'].iloc[0]:g} of the "
            f"national ratio estimate / indicator: {', '.join(spans[:shown])}{more}"
        )
    return lines
