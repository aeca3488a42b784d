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

from digecon.estimation.joins import combined_codes, left_join, take_labels
from digecon.estimation.methods import FLAGS

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
MEASURE_COLUMNS = ["estimate", "actual", "ape"]  # what band_errors reads besides distance_years
MEASURED, INTERPOLATED, BELOW, BEYOND, NO_BAND = (
    "measured",
    "interpolated",
    "scaled below smallest measured",
    "fitted beyond measured",
    "no band",
)


def _sorted_by_group_and_value(v: np.ndarray, g: np.ndarray) -> bool:
    """Whether the rows are already in (group, value) order, so that no sort is needed."""
    dg = np.diff(g)
    return bool(np.all((dg > 0) | ((dg == 0) & (v[1:] >= v[:-1]))))  # not np.diff(v): inf - inf is NaN


def _small(codes: np.ndarray, size: int) -> np.ndarray:
    """Non-negative codes below ``size`` as 16-bit keys where they fit: numpy's stable sort of those is a radix sort."""
    return codes.astype(np.uint16) if size <= 2**16 else codes


def _order_by_group_and_value(v: np.ndarray, g: np.ndarray, n_groups: int) -> np.ndarray:
    """Positions that sort the rows by group number (-1 first), then value (NaN last in a group).

    The order of equal values is left open: a quantile reads only the sorted values of a group,
    never which of two equal values came first (they are the same number, up to the sign of a
    zero), so the value sort need not be stable; the group sort must be.
    """
    by_value = np.argsort(v)
    return by_value[np.argsort(_small(g[by_value] + 1, n_groups + 1), kind="stable")]


def _sort_by_group_and_value(v: np.ndarray, g: np.ndarray, n_groups: int) -> tuple[np.ndarray, np.ndarray]:
    """Sort the values (no NaN) by group number (0 .. n_groups - 1), then value; give them and their groups."""
    if n_groups > len(v) // 64:  # many small groups: a loop over them would cost more than it saves
        order = _order_by_group_and_value(v, g, n_groups)
        return v[order], g[order]
    by_group = np.argsort(_small(g, n_groups), kind="stable")
    v, g = v[by_group], g[by_group]
    ends = np.cumsum(np.bincount(g, minlength=n_groups))
    for start, end in zip([0, *ends[:-1].tolist()], ends.tolist(), strict=True):
        v[start:end].sort()  # in place; numpy sorts floats (no positions) several times faster than argsort
    return v, g


def group_quantile(values: pd.Series | np.ndarray, groups: np.ndarray, q: float = BAND_QUANTILE) -> np.ndarray:
    """Take the quantile ``q`` of ``values`` within each group, all groups at once.

    The numbers are those of ``Series.quantile(q)`` on each group (numpy's linear method:
    virtual index (n - 1) q, then numpy's interpolation between its two neighbours, NaN left
    out), computed with one sort instead of one call per group.

    Parameters
    ----------
    values
        The values.
    groups
        Each value's group number, 0 .. n_groups - 1 (``GroupBy.ngroup()``; negative: no group).
    q
        The quantile, in [0, 1].

    Returns
    -------
    ndarray
        One quantile per group number (NaN for a group without values).
    """
    groups = np.asarray(groups)
    n_groups = int(groups.max()) + 1 if len(groups) else 0
    v = values.to_numpy(dtype=float) if isinstance(values, pd.Series) else np.asarray(values, dtype=float)
    keep = (groups >= 0) & ~np.isnan(v)
    v, g = v[keep], groups[keep]
    if not _sorted_by_group_and_value(v, g):  # band_coverage passes sorted subsets: no sort needed
        v, g = _sort_by_group_and_value(v, g, n_groups)
    counts = np.bincount(g, minlength=n_groups)
    starts = np.r_[0, np.cumsum(counts)[:-1]]
    out = np.full(n_groups, np.nan)
    has = counts > 0
    n = counts[has].astype(float)
    virtual = (n - 1) * q
    previous = np.floor(virtual)
    above = virtual >= n - 1  # numpy takes the last value there
    below = np.where(above, n - 1, previous).astype(np.intp)
    upper = np.where(above, n - 1, previous + 1).astype(np.intp)
    a, b = v[starts[has] + below], v[starts[has] + upper]
    t = virtual - np.where(above, -1.0, previous)
    diff = b - a
    with np.errstate(invalid="ignore"):
        out[has] = np.where(t >= 0.5, b - diff * (1 - t), a + diff * t)  # numpy's _lerp
    return out


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
    measured = results[[*SUMMARY_KEYS, "ape", "distance_years"]].dropna(subset=["ape"])  # no other column copied
    measured = measured.assign(ape_per_year=measured["ape"] / measured["distance_years"])
    grouped = measured.groupby(SUMMARY_KEYS)
    summary = grouped.agg(n=("ape", "count"), median_ape=("ape", "median"), mean_ape=("ape", "mean")).reset_index()
    groups = grouped.ngroup().to_numpy()
    summary = summary.assign(
        q80_ape=group_quantile(measured["ape"], groups),
        q80_ape_per_year=group_quantile(measured["ape_per_year"], groups),
    )
    return summary.merge(describe_rule(band_rule(results) if rule is None else rule), on=SUMMARY_KEYS, how="left")


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


def _ape_statistics(results: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Count, median, mean and q80 of the measured APEs of ``results`` grouped by ``keys``."""
    measured = results[[*keys, "ape"]].dropna(subset=["ape"])  # no other column is copied
    grouped = measured.groupby(keys)
    summary = grouped["ape"].agg(n="count", median_ape="median", mean_ape="mean").reset_index()
    return summary.assign(q80_ape=group_quantile(measured["ape"], grouped.ngroup().to_numpy()))


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
    rows = results[(results["ape"].notna() & (results["distance_years"] > 0)).to_numpy()]  # one copy, not two
    estimate, actual = rows["estimate"].to_numpy(float), rows["actual"].to_numpy(float)
    with np.errstate(divide="ignore", invalid="ignore"):  # the quotients where the estimate is not positive are dropped
        error = np.where(estimate > 0, np.abs(estimate - actual) / estimate, np.inf)
    return rows.assign(band_error=error)


def fit_power_law(distances: np.ndarray, q80: np.ndarray) -> tuple[float, float, str]:
    """Fit q80(d) = a d^b by least squares on logs, or fall back to linear growth (b = 1).

    Parameters
    ----------
    distances
        Measured distances, years, ascending and positive.
    q80
        The band quantile of the band errors at each distance.

    Returns
    -------
    tuple
        ``a``, ``b`` and a note on how they were found: fitted over the distances with a positive
        q80 when there are at least two and the fitted b is positive; otherwise b = 1 and
        a = q80(d_max) / d_max, with the reason.
    """
    positive = q80 > 0
    if positive.sum() >= 2:
        b, log_a = np.polyfit(np.log(distances[positive]), np.log(q80[positive]), 1)
        if b > 0:
            return float(np.exp(log_a)), float(b), "power law fitted on logs"
        reason = "fitted b <= 0 (errors did not grow with distance)"
    else:
        reason = "fewer than two measured distances with errors, no fit"
    return float(q80[-1] / distances[-1]), 1.0, f"{reason}: linear growth (b = 1)"


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
    errors = band_errors(results[[*SUMMARY_KEYS, "distance_years", *MEASURE_COLUMNS]])  # no other column is copied
    if errors.empty:
        return pd.DataFrame(columns=RULE_COLUMNS)
    groups, keys = _rule_groups(errors)
    return _rule(errors["band_error"], groups, keys)


def _rule_groups(errors: pd.DataFrame) -> tuple[np.ndarray, pd.DataFrame]:
    """Each band error's group (convention, method, component, kind, distance) number, and the groups' keys, sorted."""
    groups, keys = _sorted_groups(errors, [*SUMMARY_KEYS, "distance_years"])
    if (groups < 0).any():  # (this raised an IndexError before: no rule can be built for such rows)
        raise ValueError(f"backtest rows without a {', '.join(SUMMARY_KEYS)} or distance_years: no band rule")
    return groups, keys


def _rule(band_error: pd.Series | np.ndarray, groups: np.ndarray, keys: pd.DataFrame) -> pd.DataFrame:
    """Build the rule (``RULE_COLUMNS``) of the band errors given, numbered into the groups of ``keys``."""
    if not len(band_error):
        return pd.DataFrame(columns=RULE_COLUMNS)
    # np.unique(groups, return_inverse=True) without its sort: group numbers are -1 .. len(keys) - 1
    counts = np.bincount(np.asarray(groups) + 1, minlength=len(keys) + 1)
    present = np.flatnonzero(counts) - 1
    inverse = (np.cumsum(counts > 0) - 1)[np.asarray(groups) + 1]
    measured = keys.iloc[present].reset_index(drop=True)
    measured = measured.assign(n=counts[present + 1], q80_band_error=group_quantile(band_error, inverse))
    distance, q80 = measured["distance_years"].to_numpy(float), measured["q80_band_error"].to_numpy()
    # the keys are sorted: each convention, method, component and kind is a run of rows, its distances ascending
    starts = np.flatnonzero(_changes(measured, SUMMARY_KEYS))
    fits = []
    for start, end in zip(starts, [*starts[1:], len(measured)], strict=True):
        fits += [fit_power_law(distance[start:end], q80[start:end])] * (end - start)
    a, b, note = zip(*fits, strict=True)
    return measured.assign(band_a=list(a), band_b=list(b), band_rule=list(note)).reindex(columns=RULE_COLUMNS)


def _changes(frame: pd.DataFrame, columns: list[str]) -> np.ndarray:
    """Whether each row starts a new run of equal ``columns`` (the first row does)."""
    change = np.ones(len(frame), dtype=bool)
    change[1:] = False
    for column in columns:
        values = frame[column].to_numpy()
        change[1:] |= values[1:] != values[:-1]
    return change


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


def half_width(distance: np.ndarray, measured: np.ndarray, q80: np.ndarray, b: float) -> np.ndarray:
    """Evaluate one group's rule: the relative half-width at each distance.

    Parameters
    ----------
    distance
        Distances to the nearest benchmark, years (0 for a benchmark year).
    measured, q80
        The group's measured distances (ascending) and the q80 of its band errors there.
    b
        Exponent of the growth beyond the largest measured distance.

    Returns
    -------
    ndarray
        h(d) by the rule of the module docstring.
    """
    d = np.asarray(distance, dtype=float)
    h = np.interp(d, measured, q80)
    below, beyond = d < measured[0], d > measured[-1]
    h[below] = q80[0] * d[below] / measured[0]
    h[beyond] = q80[-1] * (d[beyond] / measured[-1]) ** b
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


def _sorted_groups(frame: pd.DataFrame, columns: list[str]) -> tuple[np.ndarray, pd.DataFrame]:
    """``groupby(columns).ngroup()`` and the groups' keys, without a groupby over the string keys.

    Returns
    -------
    tuple
        Each row's group number (the groups in sorted order of their keys; -1 where a key is
        missing), and the keys of each group number, one row each.
    """
    factorized = [pd.factorize(frame[column], sort=True) for column in columns]
    combined, size = combined_codes([(codes, len(uniques)) for codes, uniques in factorized])
    valid = combined >= 0
    if size <= max(2 * len(frame), 2**16):  # a count per possible number is cheaper than a sort
        counts = np.bincount(combined[valid], minlength=size)
        present = counts > 0
        number = (np.cumsum(present) - 1)[combined[valid]]
        n_groups = int(present.sum())
    else:
        uniques, number = np.unique(combined[valid], return_inverse=True)
        n_groups = len(uniques)
    groups = np.full(len(frame), -1, dtype=np.int64)
    groups[valid] = number
    one = np.empty(n_groups, dtype=np.intp)
    one[number] = np.flatnonzero(valid)  # any row of a group will do: they have the same keys
    return groups, frame[columns].iloc[one].reset_index(drop=True)


def _distinct(frame: pd.DataFrame, columns: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Give each distinct combination of ``columns`` (missing values included) in ``frame`` a number.

    Returns
    -------
    tuple
        The position of one row of each combination, and each row's combination number.
    """
    codes = [pd.factorize(frame[column], use_na_sentinel=False) for column in columns]
    number, uniques = pd.factorize(combined_codes([(code, len(values)) for code, values in codes])[0])
    one = np.empty(len(uniques), dtype=np.intp)
    one[number] = np.arange(len(frame))  # any row of a combination will do: they have the same keys
    return one, number


def _half_widths(keys: pd.DataFrame, rule: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Half-width and its source for rows with ``SUMMARY_KEYS`` and ``distance_years``; NaN without a rule.

    A benchmark year (distance 0) gets 0 even without a rule: the IO table itself is the value.
    Both depend on a row's keys only, so they are found for each distinct combination of keys once.
    """
    one, number = _distinct(keys, [*SUMMARY_KEYS, "distance_years"])
    h, source = _distinct_half_widths(keys.iloc[one].reset_index(drop=True), rule)
    return h[number], source[number]


def _distinct_half_widths(keys: pd.DataFrame, rule: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_half_widths` of a few rows: one call of :func:`half_width` per group of the rule."""
    distance = keys["distance_years"].to_numpy(float)
    h = np.where(distance == 0, 0.0, np.nan)
    source = np.full(len(keys), NO_BAND, dtype=object)
    # positions, not a frame per group: the rule's columns are read once
    groups = rule.groupby(SUMMARY_KEYS).indices
    rule_distance, rule_q80 = rule["distance_years"].to_numpy(float), rule["q80_band_error"].to_numpy(float)
    rule_b = rule["band_b"].to_numpy(float)
    for key, index in keys.groupby(SUMMARY_KEYS).indices.items():
        group = groups.get(key)
        if group is None:
            continue
        measured, q80 = rule_distance[group], rule_q80[group]
        h[index] = half_width(distance[index], measured, q80, float(rule_b[group[0]]))
        source[index] = band_source(distance[index], measured)
    return h, source


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
    # the half-width depends on these keys only: find it for each distinct combination once
    columns = ["convention", "method", "component", "flag", "distance_years"]
    one, number = _distinct(estimates, columns)
    distinct = estimates[columns].iloc[one]  # a few rows of the key columns only
    kind = np.where(distinct["flag"] == "extrapolated", "extrapolation", "interpolation")
    keys = distinct[["convention", "method", "component", "distance_years"]].assign(kind=kind).reset_index(drop=True)
    h = _distinct_half_widths(keys, rule)[0][number]
    value = estimates["value_100m_yuan"].to_numpy()
    return estimates.assign(
        band_relative=h,
        lower_100m_yuan=np.maximum(value * (1 - h), 0.0),
        upper_100m_yuan=value * (1 + h),
    )


def totals_with_bounds(values: pd.DataFrame, rule: pd.DataFrame) -> pd.DataFrame:
    """Digital-economy total per province, year, method and convention, with its own band.

    The band comes from the backtest errors of the total itself (same rule as the components),
    not from summing component bounds, which would assume their errors all move together.
    A total is flagged ``benchmark`` only if every component is, ``extrapolated`` if any is.

    Parameters
    ----------
    values
        The component estimates (:func:`digecon.estimation.estimate.describe` layout); regions
        without a name (codes that are not provinces) are kept.
    rule
        From :func:`band_rule`, with ``component == "total"`` rows.

    Returns
    -------
    DataFrame
        Province, year, method, convention, ``value_100m_yuan``, ``production_100m_yuan``,
        ``circulation_100m_yuan``, ``distance_years`` (largest over components), ``flag`` and the
        band columns of :func:`apply_bounds`.
    """
    # grouped without the names (a function of the code, so the order is the same), put back after
    keys = ["province_code", "year", "method", "convention"]
    value, flag = values["value_100m_yuan"], values["flag"]
    parts = values[keys].assign(
        value_100m_yuan=value,
        production_100m_yuan=value.where(values["category"] == "production"),
        circulation_100m_yuan=value.where(values["category"] == "circulation"),
        distance_years=values["distance_years"],
        all_benchmark=flag == "benchmark",
        any_extrapolated=flag == "extrapolated",
    )
    grouped = parts.groupby(keys)
    totals = grouped.agg(
        value_100m_yuan=("value_100m_yuan", "sum"),
        production_100m_yuan=("production_100m_yuan", "sum"),
        circulation_100m_yuan=("circulation_100m_yuan", "sum"),
        distance_years=("distance_years", "max"),
        all_benchmark=("all_benchmark", "all"),
        any_extrapolated=("any_extrapolated", "any"),
    ).reset_index()
    # a region that is not a province has no name, and is kept (NaN names)
    names = values.loc[~values["province_code"].duplicated(), ["province_code", "province", "province_en"]]
    totals = left_join(totals[["province_code"]], names, ["province_code"]).join(totals.drop(columns="province_code"))
    benchmark, interpolated, extrapolated = range(len(FLAGS))  # positions in FLAGS
    flag = np.where(
        totals["all_benchmark"], benchmark, np.where(totals["any_extrapolated"], extrapolated, interpolated)
    )
    totals = totals.assign(flag=take_labels(FLAGS, flag)).drop(columns=["all_benchmark", "any_extrapolated"])
    return apply_bounds(totals.assign(component="total"), rule).drop(columns="component")


def _inside(estimate: np.ndarray, actual: np.ndarray, h: np.ndarray) -> np.ndarray:
    """Whether each actual lies in the band of relative half-width ``h`` around its estimate."""
    lower, upper = np.maximum(estimate * (1 - h), 0.0), estimate * (1 + h)
    # In sample, the row whose error is the 80th percentile lies exactly on its bound: a tolerance far
    # below any published digit keeps it inside whatever the last bits of the inputs (CSV round trips).
    slack = 1e-9 * np.abs(estimate)
    return (actual >= lower - slack) & (actual <= upper + slack)


def band_coverage(
    results: pd.DataFrame, *, nominal: float = BAND_QUANTILE, leave_out: str = "design_label"
) -> pd.DataFrame:
    """Nested (leave-one-design-out) and in-sample coverage of the bands, by design (see :func:`rule_and_coverage`)."""
    return rule_and_coverage(results, nominal=nominal, leave_out=leave_out)[1]


def rule_and_coverage(
    results: pd.DataFrame, *, nominal: float = BAND_QUANTILE, leave_out: str = "design_label"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Build the band rule (:func:`band_rule`) and the bands' coverage from one pass over the errors.

    The coverage is nested (leave-one-design-out) and in-sample, by design.

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
    (DataFrame, DataFrame)
        :func:`band_rule` of ``results``, and the coverage: ``COVERAGE_COLUMNS``, one row per
        convention, method, component, kind and design:
        ``n`` held-out actuals (of at least 1 亿元), ``nominal``, ``n_inside_nested`` and
        ``coverage_nested`` (share inside the band rebuilt from every other design; empty where the
        other designs give the group no band), ``half_width_nested`` and ``band_from`` (where
        the rebuilt rule's half-width at this distance comes from: ``measured``, ``interpolated``,
        ``scaled below smallest measured``, ``fitted beyond measured`` or ``no band``), and
        ``n_inside_in_sample``, ``coverage_in_sample``, ``half_width_in_sample`` (band from every
        design).
    """
    errors = band_errors(results[list(dict.fromkeys([*COVERAGE_KEYS, leave_out, *MEASURE_COLUMNS]))])
    if errors.empty:
        return pd.DataFrame(columns=RULE_COLUMNS), pd.DataFrame(columns=COVERAGE_COLUMNS)
    groups, keys = _rule_groups(errors)
    band_error = errors["band_error"].to_numpy(float)
    # sorted by group and error once: every nested rule below sorts an already sorted subset
    ranked = _order_by_group_and_value(band_error, groups, len(keys))
    sorted_error, sorted_groups = band_error[ranked], groups[ranked]
    # A row's half-width depends on its group (its keys) and the rule only: each rule is evaluated
    # at the groups' keys, and the rows take their group's half-width.
    rule = _rule(sorted_error, sorted_groups, keys)  # band_rule(results): the same errors in the same groups
    h_in_sample, _ = _distinct_half_widths(keys, rule)
    # held-out values numbered in order of appearance, as groupby(leave_out, sort=False) takes them;
    # -1 (missing) is never held out, and its rows stay in every nested rule as before
    held, labels = pd.factorize(errors[leave_out])
    h_nested, sources = _nested_half_widths(sorted_error, sorted_groups, held[ranked], held, groups, keys)
    estimate, actual = errors["estimate"].to_numpy(float), errors["actual"].to_numpy(float)
    inside_nested = np.where(np.isnan(h_nested), np.nan, _inside(estimate, actual, h_nested))
    inside_in_sample = _inside(estimate, actual, h_in_sample[groups])
    scored = pd.DataFrame(
        {"inside_nested": inside_nested, "half_width_nested": h_nested, "inside_in_sample": inside_in_sample}
    )
    counted = _counted_by_design(errors, scored, groups, len(keys), held, len(labels))
    # the first row of each combination in that order gives band_from (a source is never missing, so
    # "first" took that row's) and the in-sample h (the same for every row of a combination)
    first = counted["row"].to_numpy()
    table = errors[COVERAGE_KEYS].iloc[first].reset_index(drop=True)
    table = table.assign(
        n=counted["n"].to_numpy(),
        n_inside_nested=counted["n_inside_nested"].to_numpy(),
        n_nested=counted["n_nested"].to_numpy(),
        half_width_nested=counted["half_width_nested"].to_numpy(),
        band_from=sources[held[first], groups[first]],
        n_inside_in_sample=counted["n_inside_in_sample"].to_numpy(),
        half_width_in_sample=h_in_sample[groups[first]],
    )
    table = table.assign(
        nominal=nominal,
        coverage_nested=(table["n_inside_nested"] / table["n_nested"]).where(table["n_nested"] > 0),
        coverage_in_sample=table["n_inside_in_sample"] / table["n"],
    )
    table = table.sort_values([*SUMMARY_KEYS, "distance_years", "holdout_year", "design_label"], ignore_index=True)
    return rule, table.astype({"n_inside_nested": int, "n_inside_in_sample": int}).reindex(columns=COVERAGE_COLUMNS)


def _nested_half_widths(
    sorted_error: np.ndarray,
    sorted_groups: np.ndarray,
    sorted_held: np.ndarray,
    held: np.ndarray,
    groups: np.ndarray,
    keys: pd.DataFrame,
) -> tuple[np.ndarray, np.ndarray]:
    """Each row's half-width by the rule rebuilt without its held-out value, and band_from by held-out value and group.

    ``sorted_*`` are the band errors, group numbers and held-out numbers sorted by group and error;
    ``held`` and ``groups`` those of the rows in their own order (-1: never held out).
    """
    n_held = int(held.max()) + 1 if len(held) else 0
    h_nested = np.full(len(held), np.nan)
    sources = np.empty((n_held, len(keys)), dtype=object)
    for k in range(n_held):
        others = sorted_held != k
        h_k, sources[k] = _distinct_half_widths(keys, _rule(sorted_error[others], sorted_groups[others], keys))
        mine = held == k
        h_nested[mine] = h_k[groups[mine]]
    return h_nested, sources


def _counted_by_design(
    errors: pd.DataFrame, scored: pd.DataFrame, groups: np.ndarray, n_groups: int, held: np.ndarray, n_held: int
) -> pd.DataFrame:
    """Count the rows of ``scored`` inside their bands per ``COVERAGE_KEYS``; ``row`` is the first row of each.

    One number per COVERAGE_KEYS (the group stands for SUMMARY_KEYS and the distance); rows with a
    missing key are left out, as groupby leaves them out. The rows are taken in the order the
    held-out values take them: "first" is the first of that order.
    """
    design, _ = pd.factorize(errors["design_label"])
    year, _ = pd.factorize(errors["holdout_year"])
    combination, _ = combined_codes([(groups, n_groups), (design, design.max() + 1), (year, year.max() + 1)])
    keep = np.flatnonzero((held >= 0) & (combination >= 0))
    order = keep[np.argsort(_small(held[keep], n_held), kind="stable")]
    ordered = scored.iloc[order].assign(combination=combination[order], row=order)
    return ordered.groupby("combination", sort=False).agg(
        row=("row", "first"),
        n=("inside_in_sample", "size"),
        n_inside_nested=("inside_nested", "sum"),
        n_nested=("inside_nested", "count"),
        half_width_nested=("half_width_nested", "first"),
        n_inside_in_sample=("inside_in_sample", "sum"),
    )


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
