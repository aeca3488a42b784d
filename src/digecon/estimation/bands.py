"""Uncertainty bands from the estimator's own backtest errors (METHOD.md section 4).

The band of an estimate e is [max(e (1 - h), 0), e (1 + h)], h its relative half-width. It is
meant to hold the actual value 80 % of the time (``BAND_QUANTILE``), so h is measured in the
band's own terms: the *band error* of a backtest row is |estimate - actual| / estimate, the
error relative to the estimate (the actual lies inside the band exactly when its band error is
at most h). The APE of the backtest tables divides by the actual instead; a band of
e (1 +- q80 APE) does not cover 80 %: where the estimate is too low (IT services carried
forward) it covers far less, where it is too high (telecom) far more.

Rule (:func:`band_rule`), for each convention, method, component and kind (interpolation /
extrapolation), at distance d (years to the nearest benchmark used):

* at a measured distance (one with backtest rows of the group), h(d) = q80 of the band errors
  measured at d, pooled over the designs and provinces at d;
* between two measured distances, h is linear in d between their q80s;
* below the smallest measured distance d_min, h(d) = q80(d_min) x d / d_min: benchmark years
  (d = 0) have no band;
* beyond the largest measured distance d_max, h(d) = q80(d_max) x (d / d_max)^b, the power law
  q80(d) = a d^b fitted by least squares on logs over the measured distances (with q80 > 0),
  continued from the largest measured point. Where the group has fewer than two such distances,
  or the fit does not grow with distance (b <= 0), there is no fitted growth to use and the band
  grows linearly instead (b = 1, a = q80(d_max) / d_max); the rule says so. The band is never
  held flat beyond the measured distances.

Years beyond the last (or before the first) benchmark use the extrapolation rule, the others the
interpolation rule. The rule of each group, with its measured distances, q80s, a and b, is
stated in the ``band_rule`` column of :func:`error_summary`.

Nested coverage (:func:`band_coverage`): each backtest design is held out in turn, the rule is
rebuilt from the rows of every other design, and the share of the held-out actuals inside the
rebuilt band is compared with the nominal level, next to the in-sample coverage (rule built on
every design).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from pandas.core.groupby import SeriesGroupBy

from digecon.estimation.estimate import plain

BAND_QUANTILE = 0.8
SUMMARY_KEYS = ["convention", "method", "component", "kind"]
RULE_COLUMNS = [*SUMMARY_KEYS, "distance_years", "n", "q80_band_error", "band_a", "band_b", "band_rule"]
COVERAGE_KEYS = [*SUMMARY_KEYS, "design_label", "holdout_year", "distance_years"]
COVERAGE_COLUMNS = [
    *COVERAGE_KEYS,
    "n",
    "nominal",
    "n_inside_nested",
    "coverage_nested",
    "half_width_nested",
    "band_from",
    "n_inside_in_sample",
    "coverage_in_sample",
    "half_width_in_sample",
]
MEASURED, INTERPOLATED, BELOW, BEYOND, NO_BAND = (
    "measured",
    "interpolated",
    "scaled below smallest measured",
    "fitted beyond measured",
    "no band",
)


def q80(grouped: SeriesGroupBy) -> pd.Series:
    """Take the band quantile (``BAND_QUANTILE``) of every group, by ``np.quantile`` (no missing values in a group).

    ``SeriesGroupBy.quantile`` interpolates with a formula of its own that differs from numpy's
    (and ``Series.quantile``'s) in the last bit in about one group of 400; the groups here are
    few (one per method, component, kind and distance), so each is taken on its own.
    """
    return grouped.agg(lambda values: np.quantile(values.to_numpy(), BAND_QUANTILE))


def error_summary(results: pd.DataFrame, rule: pd.DataFrame | None = None) -> pd.DataFrame:
    """APE statistics by convention, method, component and kind, and the band rule of each group.

    Parameters
    ----------
    results
        From :func:`digecon.estimation.backtest.backtest`: ``ape`` (empty for actuals below
        1 亿元, which are left out), ``estimate``, ``actual`` and ``distance_years`` per row.
    rule
        :func:`band_rule` of ``results`` where the caller has it already; None builds it.

    Returns
    -------
    DataFrame
        ``convention``, ``method``, ``component``, ``kind``, ``n``, ``median_ape``, ``mean_ape``,
        ``q80_ape``, ``q80_ape_per_year`` (80th percentile of APE / distance_years, the rate of the
        former linear band rule, kept for comparison; the bands no longer use it) and the band
        rule of the group (:func:`describe_rule`): ``band_distances``, ``band_q80``, ``band_a``,
        ``band_b``, ``band_rule``.
    """
    measured = results[[*SUMMARY_KEYS, "ape", "distance_years"]].dropna(subset=["ape"])
    measured = measured.assign(ape_per_year=measured["ape"] / measured["distance_years"])
    grouped = measured.groupby(SUMMARY_KEYS)
    summary = grouped["ape"].agg(n="count", median_ape="median", mean_ape="mean")
    summary = summary.assign(q80_ape=q80(grouped["ape"]), q80_ape_per_year=q80(grouped["ape_per_year"]))
    rule = band_rule(results) if rule is None else rule
    return plain(summary.reset_index()).merge(describe_rule(rule), on=SUMMARY_KEYS, how="left")


def _ape_statistics(results: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Count, median, mean and q80 of the measured APEs of ``results`` grouped by ``keys``."""
    grouped = results[[*keys, "ape"]].dropna(subset=["ape"]).groupby(keys)["ape"]
    return plain(
        grouped.agg(n="count", median_ape="median", mean_ape="mean").assign(q80_ape=q80(grouped)).reset_index()
    )


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
    return _ape_statistics(results, [*SUMMARY_KEYS, "distance_years"])


def by_carrier(results: pd.DataFrame) -> pd.DataFrame:
    """APE statistics by convention, method, component, kind and what carries the held-out year.

    A held-out year carried only by an aggregate tells how far the estimate goes when nothing of
    the industry itself reaches the year (the years after a component-level series ends); one
    carried by an industry series, how far it goes when one does. The two sets of designs differ
    (a series that ends early leaves the later benchmarks to the aggregate), so the mean distance
    to the nearest benchmark used is given beside the errors.

    Parameters
    ----------
    results
        From :func:`digecon.estimation.backtest.backtest`, with ``carried_by`` (``industry series``,
        ``aggregate``, or ``mixed`` for a total whose components differ).

    Returns
    -------
    DataFrame
        ``convention``, ``method``, ``component``, ``kind``, ``carried_by``, ``n``, ``median_ape``,
        ``mean_ape``, ``q80_ape``, ``mean_distance_years``.
    """
    keys = [*SUMMARY_KEYS, "carried_by"]
    measured = results[[*keys, "ape", "distance_years"]].dropna(subset=["ape"])
    distance = plain(measured.groupby(keys)["distance_years"].mean().reset_index())
    return _ape_statistics(results, keys).merge(
        distance.rename(columns={"distance_years": "mean_distance_years"}), on=keys, validate="one_to_one"
    )


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
    summary = _ape_statistics(results, [*SUMMARY_KEYS, "design_label", "holdout_year", "distance_years"])
    return summary.sort_values([*SUMMARY_KEYS[:3], "holdout_year", "distance_years"], ignore_index=True)


def band_errors(results: pd.DataFrame) -> pd.DataFrame:
    """Keep the backtest rows a band can be measured on and add their band error.

    Parameters
    ----------
    results
        Backtest rows with ``estimate``, ``actual`` (亿元), ``ape`` and ``distance_years``.

    Returns
    -------
    DataFrame
        The rows with an APE (actual of at least 1 亿元) and a positive distance, plus
        ``band_error`` = |estimate - actual| / estimate (infinite where the estimate is not
        positive: no relative band can hold the actual then).
    """
    rows = results[results["ape"].notna() & (results["distance_years"] > 0)]
    estimate, actual = rows["estimate"].astype(float), rows["actual"].astype(float)
    return rows.assign(band_error=((estimate - actual).abs() / estimate).where(estimate > 0, np.inf))


def fit_power_law(distances: np.ndarray, q80s: np.ndarray) -> tuple[float, float, str]:
    """Fit q80(d) = a d^b by least squares on logs, or fall back to linear growth (b = 1).

    Parameters
    ----------
    distances
        Measured distances, years, ascending and positive.
    q80s
        The band quantile of the band errors at each distance.

    Returns
    -------
    tuple
        ``a``, ``b`` and a note on how they were found: fitted over the distances with a positive
        q80 when there are at least two and the fitted b is positive; otherwise b = 1 and
        a = q80(d_max) / d_max, with the reason.
    """
    positive = q80s > 0
    if positive.sum() >= 2:
        b, log_a = np.polyfit(np.log(distances[positive]), np.log(q80s[positive]), 1)
        if b > 0:
            return float(np.exp(log_a)), float(b), "power law fitted on logs"
        reason = "fitted b <= 0 (errors did not grow with distance)"
    else:
        reason = "fewer than two measured distances with errors, no fit"
    return float(q80s[-1] / distances[-1]), 1.0, f"{reason}: linear growth (b = 1)"


def band_rule(results: pd.DataFrame) -> pd.DataFrame:
    """Build the band rule of every convention, method, component and kind (module docstring).

    Parameters
    ----------
    results
        From :func:`digecon.estimation.backtest.backtest` (or any subset of its rows).

    Returns
    -------
    DataFrame
        ``RULE_COLUMNS``, one row per group and measured distance: ``n`` band errors measured there,
        their ``q80_band_error``; and per group ``band_a``, ``band_b`` (the growth beyond the
        largest measured distance) and ``band_rule``, how a and b were found.
    """
    return _rule(band_errors(results))


def _rule(errors: pd.DataFrame) -> pd.DataFrame:
    """Build the rule (``RULE_COLUMNS``) of the band errors given (:func:`band_errors`)."""
    if errors.empty:
        return pd.DataFrame(columns=RULE_COLUMNS)
    grouped = errors.groupby([*SUMMARY_KEYS, "distance_years"])["band_error"]
    # A zero estimate where the table was not zero has an infinite band error; where a group's quantile
    # falls on such errors (inf, or inf - inf between two) the group measures no band.
    with np.errstate(invalid="ignore"):
        quantile = q80(grouped)
    quantile = quantile.where(np.isfinite(quantile))
    measured = plain(grouped.count().rename("n").to_frame().assign(q80_band_error=quantile).reset_index())
    fits = {
        key: fit_power_law(rows["distance_years"].to_numpy(float), rows["q80_band_error"].to_numpy())
        for key, rows in measured.groupby(SUMMARY_KEYS)
    }
    a, b, note = zip(*(fits[key] for key in measured[SUMMARY_KEYS].itertuples(index=False, name=None)), strict=True)
    return measured.assign(band_a=a, band_b=b, band_rule=note).reindex(columns=RULE_COLUMNS)


def describe_rule(rule: pd.DataFrame) -> pd.DataFrame:
    """State each group's band rule in words, one row per group.

    Parameters
    ----------
    rule
        From :func:`band_rule`.

    Returns
    -------
    DataFrame
        ``SUMMARY_KEYS``, ``band_distances`` (the measured distances, years, comma-separated),
        ``band_q80`` (the q80 of the band errors there), ``band_a``, ``band_b`` and ``band_rule``
        (the whole rule as a sentence).
    """
    rows = []
    for key, group in rule.groupby(SUMMARY_KEYS, sort=False):
        d, q = group["distance_years"].to_numpy(), group["q80_band_error"].to_numpy()
        a, b, note = group["band_a"].iloc[0], group["band_b"].iloc[0], group["band_rule"].iloc[0]
        distances = ", ".join(f"{v:g}" for v in d)
        quantiles = ", ".join(f"{v:.3g}" for v in q)
        sentence = (
            f"h = q80 of |estimate - actual| / estimate at the measured distances {distances} years "
            f"({quantiles}); linear in between; below {d[0]:g} years {q[0]:.3g} x d / {d[0]:g}; "
            f"beyond {d[-1]:g} years {q[-1]:.3g} x (d / {d[-1]:g})^{b:.3g}: {note} (a = {a:.3g}, b = {b:.3g})"
        )
        rows.append({**dict(zip(SUMMARY_KEYS, key, strict=True)), "band_distances": distances, "band_q80": quantiles})
        rows[-1] |= {"band_a": a, "band_b": b, "band_rule": sentence}
    return pd.DataFrame(rows, columns=[*SUMMARY_KEYS, "band_distances", "band_q80", "band_a", "band_b", "band_rule"])


def half_width(distance: np.ndarray, measured: np.ndarray, q80s: np.ndarray, b: float) -> np.ndarray:
    """Evaluate one group's rule: the relative half-width at each distance.

    Parameters
    ----------
    distance
        Distances to the nearest benchmark, years (0 for a benchmark year).
    measured, q80s
        The group's measured distances (ascending) and the q80 of its band errors there.
    b
        Exponent of the growth beyond the largest measured distance.

    Returns
    -------
    ndarray
        h(d) by the rule of the module docstring.
    """
    d = np.asarray(distance, dtype=float)
    h = np.interp(d, measured, q80s)
    below, beyond = d < measured[0], d > measured[-1]
    h[below] = q80s[0] * d[below] / measured[0]
    h[beyond] = q80s[-1] * (d[beyond] / measured[-1]) ** b
    return h


def band_source(distance: np.ndarray, measured: np.ndarray) -> np.ndarray:
    """Say where the rule's half-width at each distance comes from.

    Parameters
    ----------
    distance
        Distances, years.
    measured
        The group's measured distances, ascending.

    Returns
    -------
    ndarray of str
        ``measured``, ``interpolated`` (between two measured distances), ``scaled below smallest
        measured`` or ``fitted beyond measured``.
    """
    d = np.asarray(distance, dtype=float)
    conditions = [np.isin(d, measured), d < measured[0], d > measured[-1]]
    return np.select(conditions, [MEASURED, BELOW, BEYOND], default=INTERPOLATED)


def _half_widths(keys: pd.DataFrame, rule: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Half-width and its source for rows with ``SUMMARY_KEYS`` and ``distance_years``; NaN without a rule.

    A benchmark year (distance 0) gets 0 even without a rule: the IO table itself is the value.
    Both depend on a row's keys only, so they are found once for each distinct combination.
    """
    columns = [*SUMMARY_KEYS, "distance_years"]
    distinct = keys[columns].drop_duplicates(ignore_index=True)
    distance = distinct["distance_years"].to_numpy(float)
    h = np.where(distance == 0, 0.0, np.nan)
    source = np.full(len(distinct), NO_BAND, dtype=object)
    groups = rule.groupby(SUMMARY_KEYS).indices
    measured_all, q80_all, b_all = (rule[c].to_numpy(float) for c in ("distance_years", "q80_band_error", "band_b"))
    for key, index in distinct.groupby(SUMMARY_KEYS, observed=True).indices.items():
        if key not in groups:
            continue
        rows = groups[key]
        h[index] = half_width(distance[index], measured_all[rows], q80_all[rows], b_all[rows[0]])
        source[index] = band_source(distance[index], measured_all[rows])
    found = keys[columns].merge(distinct.assign(h=h, source=source), on=columns, how="left")
    return found["h"].to_numpy(float), found["source"].to_numpy(object)


def bounds(value: ArrayLike, h: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Give the band of values v with relative half-widths h: (max(v (1 - h), 0), v (1 + h)) (module doc)."""
    value, h = np.asarray(value, dtype=float), np.asarray(h, dtype=float)
    return np.maximum(value * (1 - h), 0.0), value * (1 + h)


def apply_bounds(estimates: pd.DataFrame, rule: pd.DataFrame) -> pd.DataFrame:
    """Add ``lower_100m_yuan`` / ``upper_100m_yuan`` and ``band_relative`` by the rule in the module doc.

    Parameters
    ----------
    estimates
        ``convention``, ``method``, ``component``, ``flag``, ``distance_years`` and
        ``value_100m_yuan`` (亿元) per row.
    rule
        From :func:`band_rule`.

    Returns
    -------
    DataFrame
        ``estimates`` with ``band_relative`` (relative half-width h), ``lower_100m_yuan``
        (value x (1 - h), not below zero) and ``upper_100m_yuan`` (value x (1 + h)); empty where
        the backtest measured no error for the group (zero in benchmark years, distance 0).
    """
    kind = np.where(estimates["flag"] == "extrapolated", "extrapolation", "interpolation")
    h, _ = _half_widths(estimates[["convention", "method", "component", "distance_years"]].assign(kind=kind), rule)
    lower, upper = bounds(estimates["value_100m_yuan"], h)
    return estimates.assign(band_relative=h, lower_100m_yuan=lower, upper_100m_yuan=upper)


def _inside(rows: pd.DataFrame, rule: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Whether each backtest row's actual lies in the band the rule gives its estimate; h and its source."""
    h, source = _half_widths(rows.reset_index(drop=True), rule)
    estimate, actual = rows["estimate"].to_numpy(float), rows["actual"].to_numpy(float)
    lower, upper = bounds(estimate, h)
    # In sample, the row whose error is the 80th percentile lies exactly on its bound: a tolerance far
    # below any published digit keeps it inside whatever the last bits of the inputs (CSV round trips).
    slack = 1e-9 * np.abs(estimate)
    return (actual >= lower - slack) & (actual <= upper + slack), h, source


def _scored(rows: pd.DataFrame, nested: pd.DataFrame, in_sample: pd.DataFrame) -> pd.DataFrame:
    """Each held-out row inside or outside its nested and its in-sample band."""
    inside_nested, h_nested, source = _inside(rows, nested)
    inside_in_sample, h_in_sample, _ = _inside(rows, in_sample)
    return rows[COVERAGE_KEYS].assign(
        inside_nested=np.where(np.isnan(h_nested), np.nan, inside_nested),
        half_width_nested=h_nested,
        band_from=source,
        inside_in_sample=inside_in_sample,
        half_width_in_sample=h_in_sample,
    )


def band_coverage(
    results: pd.DataFrame, *, nominal: float = BAND_QUANTILE, leave_out: str = "design_label"
) -> pd.DataFrame:
    """Nested (leave-one-design-out) and in-sample coverage of the bands, by design.

    Parameters
    ----------
    results
        From :func:`digecon.estimation.backtest.backtest` (or a subset of its rows).
    nominal
        The level the bands are built for (``BAND_QUANTILE``).
    leave_out
        The column whose value is held out as a whole: ``design_label`` (each design in turn) or,
        stricter, ``holdout_year`` (every design scored on the same benchmark table).

    Returns
    -------
    DataFrame
        ``COVERAGE_COLUMNS``, one row per convention, method, component, kind and design:
        ``n`` held-out actuals (of at least 1 亿元), ``nominal``, ``n_inside_nested`` and
        ``coverage_nested`` (share inside the band rebuilt from every other design; empty where the
        other designs give the group no band), ``half_width_nested`` and ``band_from`` (where
        the rebuilt rule's half-width at this distance comes from: ``measured``, ``interpolated``,
        ``scaled below smallest measured``, ``fitted beyond measured`` or ``no band``), and
        ``n_inside_in_sample``, ``coverage_in_sample``, ``half_width_in_sample`` (band from every
        design).
    """
    errors = band_errors(results[list(dict.fromkeys([*COVERAGE_KEYS, leave_out, "estimate", "actual", "ape"]))])
    if errors.empty:
        return pd.DataFrame(columns=COVERAGE_COLUMNS)
    in_sample = _rule(errors)
    held_out = errors[leave_out].to_numpy()
    scored = [
        _scored(errors[held_out == held], _rule(errors[held_out != held]), in_sample)
        for held in pd.unique(errors[leave_out])
    ]
    grouped = pd.concat(scored, ignore_index=True).groupby(COVERAGE_KEYS, sort=False)
    table = grouped.agg(
        n=("inside_in_sample", "size"),
        n_inside_nested=("inside_nested", "sum"),
        n_nested=("inside_nested", "count"),
        half_width_nested=("half_width_nested", "first"),
        band_from=("band_from", "first"),
        n_inside_in_sample=("inside_in_sample", "sum"),
        half_width_in_sample=("half_width_in_sample", "first"),
    ).reset_index()
    table = table.assign(
        nominal=nominal,
        coverage_nested=(table["n_inside_nested"] / table["n_nested"]).where(table["n_nested"] > 0),
        coverage_in_sample=table["n_inside_in_sample"] / table["n"],
    )
    table = plain(table).sort_values(
        [*SUMMARY_KEYS, "distance_years", "holdout_year", "design_label"], ignore_index=True
    )
    return table.astype({"n_inside_nested": int, "n_inside_in_sample": int}).reindex(columns=COVERAGE_COLUMNS)


def coverage_by_distance(coverage: pd.DataFrame) -> pd.DataFrame:
    """Pool the designs of :func:`band_coverage` by distance: the share inside over every held-out actual.

    Parameters
    ----------
    coverage
        From :func:`band_coverage`.

    Returns
    -------
    DataFrame
        ``SUMMARY_KEYS``, ``distance_years``, ``n_designs``, ``n``, ``nominal``, ``coverage_nested``,
        ``coverage_in_sample`` and ``band_from`` (the sources of the designs' nested bands,
        comma-joined when they differ).
    """
    keys = [*SUMMARY_KEYS, "distance_years"]
    with_band = coverage.assign(n_nested=coverage["n"].where(coverage["coverage_nested"].notna(), 0))
    grouped = with_band.groupby(keys)
    pooled = grouped.agg(
        n_designs=("design_label", "nunique"),
        n=("n", "sum"),
        nominal=("nominal", "first"),
        n_inside_nested=("n_inside_nested", "sum"),
        n_nested=("n_nested", "sum"),
        n_inside_in_sample=("n_inside_in_sample", "sum"),
        band_from=("band_from", lambda s: ", ".join(sorted(set(s)))),
    ).reset_index()
    return pooled.assign(
        coverage_nested=(pooled["n_inside_nested"] / pooled["n_nested"]).where(pooled["n_nested"] > 0),
        coverage_in_sample=pooled["n_inside_in_sample"] / pooled["n"],
    )[[*keys, "n_designs", "n", "nominal", "coverage_nested", "coverage_in_sample", "band_from"]]
