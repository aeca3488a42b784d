"""Choosing a chain per component when the evidence is thin: combination, criterion, win share, nested test.

The scoring backtest (:func:`digecon.estimation.backtest.backtest` of every candidate chain, see
:func:`digecon.estimation.chains.scoring_inputs`) gives, per design, province, method and
convention, each candidate's estimate and actual at the held-out benchmark. This module works on
those rows only; nothing here re-estimates a path.

* **Combinations.** Two more candidates per component: the candidates' estimates averaged with
  weights proportional to the inverse square of their median extrapolation APE under the
  recommended method and convention (the Bates-Granger weights with the median APE as the error
  scale: ``combination_weighted``), and with equal weights (``combination_equal``); the same
  weights under every method. A combination's actual is the same average of the
  candidates' actuals (under the share convention a candidate's actual is the table's share times
  its own indicator), so that its error is what the combined estimate would have missed.
* **Criterion.** ``component``: each component's candidate with the lowest median extrapolation
  APE of the component. ``total``: the candidates that minimise the median extrapolation APE of
  the digital-economy total, found one component at a time (the others at their current choice,
  starting from the component criterion's) until no choice changes. A tie goes to the earlier
  candidate.
* **Win share.** Provinces and designs are drawn with replacement (``resamples`` times, seeded);
  in each draw every candidate's score is recomputed as the weighted median of its errors (the
  draw's counts as weights) and the best one wins. A candidate's win share is the share of draws
  it wins.
* **Nested test of the rules.** For each held-out table year, the rule chooses (and the
  combination weights are fitted) on the designs that do not hold that table out, and its choice
  is scored on the designs that do. Designs that hold out the same table share its errors, so
  they are left out together. The pooled out-of-sample errors say which rule to trust.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from digecon.core.settings import COMBINATION_NAMES as COMBINATIONS
from digecon.estimation.backtest import MIN_ACTUAL_100M_YUAN
from digecon.estimation.bands import BAND_QUANTILE
from digecon.estimation.estimate import plain
from digecon.estimation.indicators import combined_carriers

WEIGHTED, EQUAL = COMBINATIONS
EXTRAPOLATION = "extrapolation"
ROW_KEYS = ["method", "convention", "kind", "design_label", "holdout_year", "province_code"]
WEIGHT_COLUMNS = ["component", "method", "convention", "combination", "candidate", "median_ape", "weight"]
RULE_COLUMNS = ["rule", "scope", "n", "median_ape", "q80_ape", "held_out_years", "choices"]


def ape(estimate: np.ndarray, actual: np.ndarray) -> np.ndarray:
    """|estimate - actual| / actual, NaN where the actual is below the backtest's 1 亿元 (as in the backtest)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(actual >= MIN_ACTUAL_100M_YUAN, np.abs(estimate - actual) / actual, np.nan)


def combination_weights(
    scoring: pd.DataFrame, candidates: Mapping[str, Sequence[str]], *, method: str, convention: str
) -> pd.DataFrame:
    """Weights of the two combinations per component, from the extrapolation errors of one method and convention.

    The weights are measured under ``method`` and ``convention`` (the recommended ones) and used under
    every method and convention of ``scoring``: a combination is one mean of its chains, so that every
    method starts from the same benchmark values.

    Parameters
    ----------
    scoring
        Scoring backtest rows (``component``, ``candidate``, ``method``, ``convention``, ``kind``, ``ape``).
    candidates
        Component -> the candidates combined (at least two; a component with fewer has no combination).
    method, convention
        Whose errors set the weights.

    Returns
    -------
    DataFrame
        ``WEIGHT_COLUMNS``: per component, combination, method and convention of ``scoring``, each
        candidate's median extrapolation APE (under ``method`` and ``convention``) and its weight (weights
        sum to 1). A candidate without an extrapolation error is left out of both.
    """
    measured = scoring[(scoring["method"] == method) & (scoring["convention"] == convention)]
    rows = measured[(measured["kind"] == EXTRAPOLATION) & measured["ape"].notna()]
    errors = rows.groupby(["component", "candidate"], observed=True)["ape"].median()
    frames = []
    for component, names in candidates.items():
        if len(names) < 2 or component not in errors.index.get_level_values("component"):
            continue
        mine = errors.xs(component, level="component")
        mine = mine[mine.index.isin(list(names))].rename("median_ape").reset_index()
        # inverse squared error; a candidate without error takes all the weight (the limit), shared among equals
        exact = (mine["median_ape"] == 0).to_numpy()
        inverse = exact.astype(float) if exact.any() else 1.0 / mine["median_ape"].to_numpy() ** 2
        for combination, raw in ((WEIGHTED, inverse), (EQUAL, np.ones(len(mine)))):
            frames.append(mine.assign(component=component, combination=combination, weight=raw / raw.sum()))
    if not frames:
        return pd.DataFrame(columns=WEIGHT_COLUMNS)
    pairs = scoring[["method", "convention"]].drop_duplicates().astype(str)
    return plain(pd.concat(frames, ignore_index=True).merge(pairs, how="cross")[WEIGHT_COLUMNS])


def with_combinations(scoring: pd.DataFrame, weights: pd.DataFrame) -> pd.DataFrame:
    """Append each combination's backtest rows: the weighted sums of its candidates' estimates and actuals.

    Parameters
    ----------
    scoring
        Scoring backtest rows with ``candidate``.
    weights
        From :func:`combination_weights`.

    Returns
    -------
    DataFrame
        ``scoring`` and, per combination, one row per design, province, method and convention where
        every combined candidate has one (the design columns of its first candidate's row).
    """
    frames = [scoring]
    keys = [*ROW_KEYS, "component"]
    for (component, combination), w in weights.groupby(["component", "combination"], sort=False):
        parts = scoring[(scoring["component"] == component) & scoring["candidate"].isin(w["candidate"])]
        parts = parts.merge(
            w[["method", "convention", "candidate", "weight"]], on=["method", "convention", "candidate"]
        )
        parts = parts.assign(estimate=parts["estimate"] * parts["weight"], actual=parts["actual"] * parts["weight"])
        summed = parts.groupby(keys, observed=True, sort=False).agg(
            estimate=("estimate", "sum"), actual=("actual", "sum"), n=("candidate", "size")
        )
        summed = summed[summed["n"] == w.groupby(["method", "convention"])["candidate"].transform("size").max()]
        first = parts.drop_duplicates(keys).set_index(keys)
        combined = first.drop(columns=["estimate", "actual", "weight", "candidate", "ape"]).join(
            summed[["estimate", "actual"]], how="inner"
        )
        carriers = combined_carriers(parts, keys).reindex(combined.index)
        combined = combined.assign(**carriers).reset_index().assign(candidate=combination)
        combined["ape"] = ape(combined["estimate"].to_numpy(), combined["actual"].to_numpy())
        combined[["estimate_coefficient", "actual_coefficient"]] = np.nan
        frames.append(combined.reindex(columns=scoring.columns))
    return pd.concat(frames, ignore_index=True)


@dataclass(frozen=True)
class Wide:
    """The scoring rows of one method and convention side by side: one row per design and province."""

    rows: pd.DataFrame  # kind, design_label, holdout_year, province_code
    estimate: dict[tuple[str, str], np.ndarray]  # (component, candidate) -> estimate per row
    actual: dict[tuple[str, str], np.ndarray]

    def component_ape(self, component: str, candidate: str) -> np.ndarray:
        """Give the component's APE per row under ``candidate``."""
        return ape(self.estimate[(component, candidate)], self.actual[(component, candidate)])

    def total_ape(self, choice: Mapping[str, str]) -> np.ndarray:
        """Give the total's APE per row with each component at ``choice`` (NaN where a component has none)."""
        estimate = sum(self.estimate[(k, c)] for k, c in choice.items())
        actual = sum(self.actual[(k, c)] for k, c in choice.items())
        return ape(np.asarray(estimate), np.asarray(actual))


def wide(scoring: pd.DataFrame) -> Wide:
    """Lay out the scoring rows of one method and convention side by side (:class:`Wide`)."""
    keys = ROW_KEYS[2:]
    table = scoring.pivot_table(
        index=keys, columns=["component", "candidate"], values=["estimate", "actual"], observed=True, aggfunc="first"
    )
    pairs = list(dict.fromkeys(zip(scoring["component"], scoring["candidate"], strict=True)))
    column = {pair: table[("estimate", *pair)].to_numpy() for pair in pairs}
    actual = {pair: table[("actual", *pair)].to_numpy() for pair in pairs}
    return Wide(table.index.to_frame(index=False), column, actual)


def _median(values: np.ndarray, mask: np.ndarray) -> float:
    """Median of the finite values under ``mask`` (NaN if none)."""
    chosen = values[mask & np.isfinite(values)]
    return float(np.median(chosen)) if len(chosen) else np.nan


# Scores closer than this (relative) are a tie: candidates whose series coincide in the scored years (a
# revenue chain carried by the wage bill before its own years) differ only by float noise, which must not
# decide, nor differ between a run on the raw files and one on the processed tables.
TIE = 1e-9


def _best(scores: Mapping[str, float]) -> str:
    """Pick the lowest score; a tie (within ``TIE``) or all NaN goes to the earliest candidate."""
    finite = [v for v in scores.values() if not np.isnan(v)]
    if not finite:
        return next(iter(scores))
    lowest = min(finite)
    return next(n for n, v in scores.items() if not np.isnan(v) and v <= lowest + TIE * abs(lowest))


def select(
    table: Wide, candidates: Mapping[str, Sequence[str]], uses: Mapping[str, str], criterion: str, mask: np.ndarray
) -> tuple[dict[str, str], dict[str, dict[str, float]]]:
    """Choose one candidate per component by ``criterion`` on the rows of ``mask`` (module doc).

    Parameters
    ----------
    table
        From :func:`wide`.
    candidates
        Component -> its candidates in order (the combinations included).
    uses
        Component -> ``auto`` or the candidate configured.
    criterion
        ``component`` or ``total``.
    mask
        The rows scored (extrapolation designs, or the training designs of a nested fold).

    Returns
    -------
    (choice, scores)
        Component -> candidate; component -> candidate -> its score under the criterion (the total's
        median APE with that candidate and the others at their choice, for ``total``).
    """
    scores = {k: {c: _median(table.component_ape(k, c), mask) for c in names} for k, names in candidates.items()}
    choice = {k: (_best(scores[k]) if uses.get(k, "auto") == "auto" else uses[k]) for k in candidates}
    if criterion == "component":
        return choice, scores
    for _ in range(len(candidates) + 1):  # each pass can only lower the total's score; it settles fast
        before = dict(choice)
        for k, names in candidates.items():
            scores[k] = {c: _median(table.total_ape({**choice, k: c}), mask) for c in names}
            if uses.get(k, "auto") == "auto":
                choice[k] = _best(scores[k])
        if choice == before:
            break
    return choice, scores


def win_shares(
    errors: Mapping[str, np.ndarray], rows: pd.DataFrame, mask: np.ndarray, *, resamples: int, seed: int
) -> dict[str, float]:
    """Share of resamples of provinces and designs in which each candidate has the lowest median error.

    Parameters
    ----------
    errors
        Candidate -> its error per row (NaN where there is none), all over the same rows.
    rows
        The rows' ``province_code`` and ``design_label``.
    mask
        The rows resampled.
    resamples
        Number of draws.
    seed
        Seed of the draws.

    Returns
    -------
    dict
        Candidate -> win share (0 to 1; shares add up to 1 over the draws with a winner).
    """
    names = list(errors)
    inside = rows[mask]
    rng = np.random.default_rng(seed)
    provinces, province_of = np.unique(inside["province_code"].to_numpy(), return_inverse=True)
    designs, design_of = np.unique(inside["design_label"].astype(str).to_numpy(), return_inverse=True)
    # counts of each province and design in every draw; a row counts their product
    p = rng.multinomial(len(provinces), np.full(len(provinces), 1 / len(provinces)), size=resamples)
    d = rng.multinomial(len(designs), np.full(len(designs), 1 / len(designs)), size=resamples)
    counts = p[:, province_of] * d[:, design_of]
    medians = np.full((resamples, len(names)), np.nan)
    for j, name in enumerate(names):
        values = errors[name][mask]
        finite = np.isfinite(values)
        weight = counts[:, finite]
        hit = weight.sum(axis=1) > 0
        if finite.any() and hit.any():
            grid = np.broadcast_to(values[finite], weight[hit].shape)
            medians[hit, j] = np.quantile(grid, 0.5, axis=1, weights=weight[hit], method="inverted_cdf")
    scored = ~np.isnan(medians).all(axis=1)
    filled = np.where(np.isnan(medians), np.inf, medians)
    lowest = filled.min(axis=1, keepdims=True)
    winner = np.argmax(filled <= lowest + TIE * np.abs(lowest), axis=1)[scored]  # a tie goes to the earlier
    wins = np.bincount(winner, minlength=len(names))
    return {name: wins[j] / max(scored.sum(), 1) for j, name in enumerate(names)}


def nested_rules(
    scoring: pd.DataFrame,
    candidates: Mapping[str, Sequence[str]],
    *,
    combinations: bool,
    criteria: Sequence[str] = ("component", "total"),
) -> pd.DataFrame:
    """Measure each selection rule out of sample: choose without a held-out table, score on it (module doc).

    Every component is left to ``auto`` (the rule is what is measured).

    Parameters
    ----------
    scoring
        Scoring backtest rows of the recommended method and convention (no combinations yet).
    candidates
        Component -> its chains.
    combinations
        Whether the combinations are candidates (their weights are fitted without the held-out table).
    criteria
        The rules measured.

    Returns
    -------
    DataFrame
        ``RULE_COLUMNS``: per rule and scope (each component and ``total``) the pooled out-of-sample
        extrapolation errors: ``n``, ``median_ape``, ``q80_ape``; the held-out years and the choice
        made without each.
    """
    held_years = sorted(int(y) for y in scoring.loc[scoring["kind"] == EXTRAPOLATION, "holdout_year"].unique())
    out: dict[tuple[str, str], list[np.ndarray]] = {}
    made: dict[str, list[str]] = {}
    for year in held_years:
        rows = scoring
        names = {k: list(v) for k, v in candidates.items()}
        if combinations:
            train = scoring[scoring["holdout_year"] != year]
            method, convention = (str(scoring[k].iloc[0]) for k in ("method", "convention"))
            weights = combination_weights(train, candidates, method=method, convention=convention)
            rows = with_combinations(scoring, weights)
            present = set(zip(rows["component"], rows["candidate"], strict=True))
            names = {k: [*v, *(c for c in COMBINATIONS if (k, c) in present)] for k, v in names.items()}
        table = wide(rows)
        extrapolation = (table.rows["kind"] == EXTRAPOLATION).to_numpy()
        held = (table.rows["holdout_year"] == year).to_numpy()
        for criterion in criteria:
            choice, _ = select(table, names, {}, criterion, extrapolation & ~held)
            made.setdefault(criterion, []).append(f"{year}: " + ", ".join(f"{k} {c}" for k, c in choice.items()))
            for k, c in choice.items():
                out.setdefault((criterion, k), []).append(table.component_ape(k, c)[extrapolation & held])
            out.setdefault((criterion, "total"), []).append(table.total_ape(choice)[extrapolation & held])
    records = []
    for (criterion, scope), parts in out.items():
        errors = pd.Series(np.concatenate(parts)).dropna()
        records.append(
            {
                "rule": criterion,
                "scope": scope,
                "n": len(errors),
                "median_ape": errors.median(),
                "q80_ape": errors.quantile(BAND_QUANTILE),
                "held_out_years": ", ".join(map(str, held_years)),
                "choices": "; ".join(made[criterion]),
            }
        )
    return pd.DataFrame.from_records(records, columns=RULE_COLUMNS)


EFFECT_COLUMNS = [
    "component",
    "candidate",
    "method",
    "convention",
    "kind",
    "total_n",
    "total_median_ape",
    "total_q80_ape",
    "win_share",
]


def candidate_effects(
    scoring: pd.DataFrame,
    candidates: Mapping[str, Sequence[str]],
    choice: Mapping[str, str],
    criterion: str,
    *,
    resamples: int,
    seed: int,
) -> pd.DataFrame:
    """Each candidate's effect on the total and its win share, under every method and convention.

    Parameters
    ----------
    scoring
        Scoring backtest rows (the combinations included).
    candidates
        Component -> its candidates.
    choice
        Component -> the candidate chosen (the others' chains while one component's candidate varies).
    criterion
        ``component`` or ``total``: the errors the win shares compare.
    resamples, seed
        Of :func:`win_shares`.

    Returns
    -------
    DataFrame
        ``EFFECT_COLUMNS``: per component, candidate, method, convention and kind, the total's errors
        with that candidate and the others at ``choice`` (``total_n``, ``total_median_ape``,
        ``total_q80_ape``), and on the extrapolation rows the candidate's win share among its component's.
    """
    records = []
    for (method, convention), rows in scoring.groupby(["method", "convention"], observed=True, sort=False):
        table = wide(rows)
        kinds = table.rows["kind"].astype(str).to_numpy()
        extrapolation = kinds == EXTRAPOLATION
        for component, names in candidates.items():
            totals = {c: table.total_ape({**choice, component: c}) for c in names}
            compared = totals if criterion == "total" else {c: table.component_ape(component, c) for c in names}
            shares = win_shares(compared, table.rows, extrapolation, resamples=resamples, seed=seed)
            for c in names:
                for kind in dict.fromkeys(kinds):
                    errors = totals[c][(kinds == kind) & np.isfinite(totals[c])]
                    records.append(
                        (
                            component,
                            c,
                            method,
                            convention,
                            kind,
                            len(errors),
                            float(np.median(errors)) if len(errors) else np.nan,
                            float(np.quantile(errors, BAND_QUANTILE)) if len(errors) else np.nan,
                            shares[c] if kind == EXTRAPOLATION else np.nan,
                        )
                    )
    return pd.DataFrame.from_records(records, columns=EFFECT_COLUMNS)


def _chosen_weights(weights: pd.DataFrame, combined: Mapping[str, str]) -> pd.DataFrame:
    """Keep the weights of each combined component's chosen combination."""
    chosen = pd.DataFrame(list(combined.items()), columns=["component", "combination"])
    return weights.merge(chosen, on=["component", "combination"])


def combine_estimates(estimates: pd.DataFrame, weights: pd.DataFrame, combined: Mapping[str, str]) -> pd.DataFrame:
    """Average the chains of each combined component with the combination's weights; pass the others through.

    Parameters
    ----------
    estimates
        :func:`digecon.estimation.estimate.estimate_all` of the chains used (keyed by ``component`` and
        ``candidate``): one chain per component, or every chain of a combined one.
    weights
        From :func:`combination_weights`.
    combined
        Component -> the name of its chosen combination.

    Returns
    -------
    DataFrame
        ``estimates`` without ``candidate``, one row per convention, method, province, year and component,
        in the same order. A combined row's ``value_100m_yuan`` is the weighted sum of its chains' values
        under its method and convention; its ``coefficient``, ``se_100m_yuan`` and ``rho`` are empty (each
        chain's are in the chains' own rows of the comparison), flags and distances are its chains'
        (the same benchmarks).
    """
    if not estimates["component"].isin(list(combined)).any():
        return estimates.drop(columns="candidate")
    w = _chosen_weights(weights, combined)[["component", "method", "convention", "candidate", "weight"]]
    keys = ["convention", "method", "province_code", "year", "component"]
    rows = estimates.merge(w, on=["component", "method", "convention", "candidate"], how="left", sort=False)
    rows["value_100m_yuan"] = rows["value_100m_yuan"] * rows["weight"].fillna(1.0)
    summed = rows.groupby(keys, observed=True, sort=False)["value_100m_yuan"].sum()
    first = rows.drop_duplicates(keys).set_index(keys)
    first["value_100m_yuan"] = summed
    first.loc[
        first.index.get_level_values("component").isin(list(combined)), ["coefficient", "se_100m_yuan", "rho"]
    ] = np.nan
    return first.reset_index().reindex(columns=[c for c in estimates.columns if c != "candidate"])


def combination_series(indicators: pd.DataFrame, combined: Mapping[str, str]) -> pd.DataFrame:
    """Give the series that describe the estimates: each chain's, or an empty row per year of a combination.

    Parameters
    ----------
    indicators
        The chains' series (:func:`digecon.estimation.chains.chain_series`, ``chain`` naming each).
    combined
        Component -> the name of its chosen combination.

    Returns
    -------
    DataFrame
        ``indicators`` for the components with one chain; for a combined one, per province and year an
        empty indicator, ``chain`` the combination's name, ``coefficient_basis`` ``combination`` and
        what carries the year in its chains (:func:`~digecon.estimation.indicators.combined_carriers`).
    """
    mixed = indicators["component"].isin(list(combined))
    keys = ["component", "province_code", "year"]
    rows = indicators[mixed].drop_duplicates(keys)
    carriers = combined_carriers(indicators[mixed], keys).reindex(pd.MultiIndex.from_frame(rows[keys]))
    blank = rows[keys].assign(
        carrying_indicator=carriers["carrying_indicator"].to_numpy(),
        carried_by=carriers["carried_by"].to_numpy(),
        indicator="",
        indicator_100m_yuan=np.nan,
        indicator_source="",
        spliced=False,
        leading_indicator="",
        io_aggregate="",
        chain=rows["component"].map(dict(combined)),
        coefficient_basis="combination",
    )
    return pd.concat([indicators[~mixed], blank], ignore_index=True)


PART_COLUMNS = [
    "province_code",
    "year",
    "component",
    "method",
    "convention",
    "combination",
    "candidate",
    "weight",
    "value_100m_yuan",
    "coefficient",
    "indicator_value_100m_yuan",
]


def combination_parts(
    estimates: pd.DataFrame, indicators: pd.DataFrame, weights: pd.DataFrame, combined: Mapping[str, str]
) -> pd.DataFrame:
    """Each chain's estimate behind a combined value, with its weight: the trace of a combination.

    Parameters
    ----------
    estimates
        :func:`digecon.estimation.estimate.estimate_all` of the chains used (with ``candidate``).
    indicators
        The chains' series (``chain`` naming each).
    weights
        From :func:`combination_weights`.
    combined
        Component -> the name of its chosen combination.

    Returns
    -------
    DataFrame
        ``PART_COLUMNS``: per province, year, combined component, method, convention and chain, its weight,
        value, coefficient and indicator (the combined value is the sum of weight x value).
    """
    w = _chosen_weights(weights, combined)
    rows = estimates.merge(w[["component", "method", "convention", "candidate", "combination", "weight"]])
    series = indicators.rename(columns={"chain": "candidate", "indicator_100m_yuan": "indicator_value_100m_yuan"})
    on = ["component", "candidate", "province_code", "year"]
    rows = rows.merge(series[[*on, "indicator_value_100m_yuan"]], on=on, how="left", validate="many_to_one")
    return plain(rows[PART_COLUMNS])
