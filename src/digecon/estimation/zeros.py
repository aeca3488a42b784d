"""A zero is not evidence of absence: negligible benchmarks carried beyond the tables (METHOD.md section 4c).

A component whose value added in a table is negligible (below
:data:`~digecon.estimation.backtest.MIN_ACTUAL_100M_YUAN`, 1 亿元, the level below which the backtest
calls an error not meaningful) has a coefficient of (almost) zero, and every method carries it to
the years beyond the last table, or before the first: 宁夏's 2017 table has no electronics value
added, so every later year is 0, whatever happened since. Those province-years are *at stake*
(:func:`negligible_benchmarks`); years between two tables are data and are left alone.

* Where a series of the component itself exists for the province (the leading indicator of one of
  the component's component-level candidate chains, e.g. C39主营业务收入, the chosen candidate first,
  then the others in configuration order), a year at stake gets V = c_borrowed x X_p(t): X_p the
  candidate's spliced series (a year beyond the indicator's own span is carried by its chain, and
  the row's ``indicator`` says by which indicator), c_borrowed = sum V / sum X over the *peers* at
  the benchmark year, the provinces whose table has a non-negligible value of the component and
  whose series is led by the same indicator (:func:`borrowed_ratio`; with no peer that year, the
  nearest benchmark year that has one). Every method and convention gets the same value: they all
  carry the same zero. ``zero_benchmark`` = ``borrowed``, ``coefficient_basis`` = ``borrowed``.
* Where none exists, the value is kept and flagged ``unverifiable``, without a band: a band relative
  to a zero would claim a certainty that no evidence supports.

The band of a borrowed value is measured on the peers (:func:`borrowing_errors`,
:func:`borrowing_rule`): each peer q in turn is treated as a province whose ratio is unknown, the
ratio of the others at the benchmark year is applied to q's series at every benchmark year of q's
own (distance 0: the cross-section error at that year; other distances: that error plus the drift
of q's ratio, measured in whichever direction of time the tables allow), and h(d) is the q80 of
|estimate - actual| / estimate at the measured distances, linear in between, grown beyond the
largest by the power law of :mod:`digecon.estimation.bands`.

Every negligible benchmark is listed with what was done (:data:`ZERO_COLUMNS`), and where the next
table has a non-negligible value (an industry appearing between rounds) with the measurement of
both estimates of that table's value: the zero carried on and the borrowed ratio.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from digecon.core.provinces import NATIONAL_CODE, province_table
from digecon.core.years import year_runs
from digecon.estimation.backtest import MIN_ACTUAL_100M_YUAN
from digecon.estimation.bands import BAND_QUANTILE, bounds, fit_power_law, half_width, q80
from digecon.estimation.chains import Candidate, Choice
from digecon.estimation.estimate import COMPONENT_ORDER
from digecon.estimation.indicators import indicator_breaks

log = logging.getLogger(__name__)

BORROWED, UNVERIFIABLE, NONE = "borrowed", "unverifiable", "none"
ZERO_COLUMNS = [
    "province_code",
    "province",
    "component",
    "benchmark_year",
    "benchmark_value_100m_yuan",
    "position",
    "action",
    "years_affected",
    "n_years_affected",
    "series_chain",
    "series_indicator",
    "series_own_years",
    "series_at_benchmark",
    "own_coefficient",
    "borrowed_from_year",
    "coefficient_borrowed",
    "n_peers",
    "peers",
    "peers_spliced",
    "band_distances",
    "band_q80",
    "band_b",
    "band_rule",
    "next_benchmark",
    "next_value_100m_yuan",
    "series_at_next",
    "carried_estimate_100m_yuan",
    "borrowed_estimate_100m_yuan",
    "carried_ape",
    "borrowed_ape",
    "borrowed_band_relative",
    "inside_band",
    "measurement",
    "message",
]
COUNT_COLUMNS = ("borrowed_from_year", "n_peers", "peers_spliced", "next_benchmark")  # whole numbers, empty where none
TABLE_COLUMNS = ["province_code", "year", "value", "x", "label", "source", "spliced", "lead", "peer"]


def _spans(years: Sequence[int]) -> str:
    """'2018-2024' for a run of years, runs joined by ', '; empty for none."""
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}-{r[-1]}" for r in year_runs(years))


def negligible_benchmarks(components: pd.DataFrame, years: Sequence[int]) -> pd.DataFrame:
    """List every negligible provincial benchmark and the years it alone carries.

    Parameters
    ----------
    components
        From :func:`digecon.estimation.estimate.benchmark_components` (national rows are left out).
    years
        The output years.

    Returns
    -------
    DataFrame
        One row per province, component and benchmark year whose ``benchmark_value_100m_yuan`` is
        below ``MIN_ACTUAL_100M_YUAN``: ``position`` (``first``, ``last``, ``interior`` or ``only``
        among the province's benchmarks of the component), ``affected`` (the output years beyond it
        if it is the last, before it if it is the first: no other table on that side),
        ``next_benchmark`` and ``next_value_100m_yuan`` (the next table, NaN after the last).
        Sorted by province, component (in ``COMPONENTS`` order) and year.
    """
    provincial = components[components["province_code"] != NATIONAL_CODE]
    rows = []
    for (code, component), group in provincial.groupby(["province_code", "component"], sort=False):
        ordered = group.sort_values("year")
        b = ordered["year"].astype(int).tolist()
        v = ordered["benchmark_value_100m_yuan"].astype(float).tolist()
        for i, (year, value) in enumerate(zip(b, v, strict=True)):
            if value >= MIN_ACTUAL_100M_YUAN:
                continue
            first, last = i == 0, i == len(b) - 1
            position = "only" if first and last else "first" if first else "last" if last else "interior"
            affected = [int(t) for t in years if (last and t > year) or (first and t < year)]
            rows.append(
                {
                    "province_code": int(code),
                    "component": component,
                    "benchmark_year": year,
                    "benchmark_value_100m_yuan": value,
                    "position": position,
                    "affected": affected,
                    "next_benchmark": np.nan if last else b[i + 1],
                    "next_value_100m_yuan": np.nan if last else v[i + 1],
                }
            )
    columns = ["province_code", "component", "benchmark_year", "benchmark_value_100m_yuan", "position", "affected"]
    frame = pd.DataFrame(rows, columns=[*columns, "next_benchmark", "next_value_100m_yuan"])
    order = frame["component"].map(COMPONENT_ORDER)
    return (
        frame.assign(_order=order)
        .sort_values(["province_code", "_order", "benchmark_year"], ignore_index=True)
        .drop(columns="_order")
    )


def component_candidates(
    series: Mapping[Candidate, pd.DataFrame], choices: Mapping[str, Choice]
) -> dict[str, list[Candidate]]:
    """Component -> its candidates led by a series of the component itself, the chosen one first.

    Parameters
    ----------
    series
        Candidate -> its :func:`~digecon.estimation.chains.chain_series`, in configuration order.
    choices
        Component -> the chain chosen.

    Returns
    -------
    dict
        Candidates whose ``basis`` is ``indicator`` (a component-level leading indicator), the
        chosen one first if it is one of them, the others in configuration order.
    """
    out: dict[str, list[Candidate]] = {}
    for c in series:
        if c.basis == "indicator":
            out.setdefault(c.component, []).append(c)
    for component, listed in out.items():
        chosen = choices[component].candidate if component in choices else None
        out[component] = sorted(listed, key=lambda c: c != chosen)  # stable: the rest keep their order
    return out


def series_table(components: pd.DataFrame, candidate: Candidate, series: pd.DataFrame) -> pd.DataFrame:
    """Give the candidate's series at every provincial benchmark of its component, and who can be a peer.

    Parameters
    ----------
    components
        From :func:`digecon.estimation.estimate.benchmark_components`.
    candidate
        A component-level candidate.
    series
        Its :func:`~digecon.estimation.chains.chain_series`.

    Returns
    -------
    DataFrame
        ``TABLE_COLUMNS``: ``value`` V (亿元), ``x`` the series (亿元), its ``label`` (the indicator that
        carries it that year), ``source``, ``spliced``, ``lead`` (the province's leading indicator)
        and ``peer`` (led by the candidate's indicator, V of at least ``MIN_ACTUAL_100M_YUAN``, X > 0).
    """
    mine = components[(components["component"] == candidate.component) & (components["province_code"] != NATIONAL_CODE)]
    own = series.rename(
        columns={
            "indicator_100m_yuan": "x",
            "indicator": "label",
            "indicator_source": "source",
            "leading_indicator": "lead",
        }
    )[["province_code", "year", "x", "label", "source", "spliced", "lead"]]
    table = (
        mine[["province_code", "year", "benchmark_value_100m_yuan"]]
        .rename(columns={"benchmark_value_100m_yuan": "value"})
        .astype({"province_code": int, "year": int})
        .merge(own.astype({"province_code": int, "year": int}), on=["province_code", "year"], how="left")
    )
    peer = (table["lead"] == candidate.chain[0]) & (table["value"] >= MIN_ACTUAL_100M_YUAN) & (table["x"] > 0)
    return table.assign(peer=peer.to_numpy())[TABLE_COLUMNS]


def borrowed_ratio(table: pd.DataFrame, year: int) -> tuple[int, float, pd.DataFrame]:
    """Compute the peers' ratio of value added to the series at ``year`` (or the nearest year with peers).

    Parameters
    ----------
    table
        From :func:`series_table`.
    year
        The negligible benchmark's year.

    Returns
    -------
    (year used, c_borrowed, peers)
        c_borrowed = sum V / sum X over the peers of the year used (NaN and no peers if no
        benchmark year has one); ties between two equally near years go to the earlier.
    """
    years = sorted(int(y) for y in table.loc[table["peer"], "year"].unique())
    if not years:
        return year, float("nan"), table.iloc[:0]
    used = min(years, key=lambda y: (abs(y - year), y))
    peers = table[table["peer"] & (table["year"] == used)]
    return used, float(peers["value"].sum() / peers["x"].sum()), peers


def borrowing_errors(table: pd.DataFrame, year: int) -> pd.DataFrame:
    """Errors of borrowing the peers' ratio of ``year`` for a province whose own is unknown, on each peer.

    Each peer q of ``year`` in turn is left out; the ratio of the others, sum V / sum X, is applied
    to q's series at each benchmark year where q is a peer (``year`` itself included).

    Parameters
    ----------
    table
        From :func:`series_table`.
    year
        The year the ratio is borrowed at (:func:`borrowed_ratio`).

    Returns
    -------
    DataFrame
        ``province_code``, ``year`` (of the table estimated), ``distance_years`` (to ``year``),
        ``estimate`` and ``actual`` (亿元), ``band_error`` = |estimate - actual| / estimate; empty
        with fewer than two peers (nobody left to borrow from).
    """
    peers = table[table["peer"] & (table["year"] == year)]
    columns = ["province_code", "year", "distance_years", "estimate", "actual", "band_error"]
    if len(peers) < 2:
        return pd.DataFrame(columns=columns)
    ratio = (peers["value"].sum() - peers["value"]) / (peers["x"].sum() - peers["x"])
    loo = pd.Series(ratio.to_numpy(), index=peers["province_code"].to_numpy())
    targets = table[table["peer"] & table["province_code"].isin(loo.index)]
    estimate = loo.reindex(targets["province_code"]).to_numpy() * targets["x"].to_numpy()
    actual = targets["value"].to_numpy(dtype=float)
    return pd.DataFrame(
        {
            "province_code": targets["province_code"].to_numpy(),
            "year": targets["year"].to_numpy(),
            "distance_years": np.abs(targets["year"].to_numpy() - year),
            "estimate": estimate,
            "actual": actual,
            "band_error": np.abs(estimate - actual) / estimate,
        }
    )[columns]


def borrowing_rule(errors: pd.DataFrame) -> dict[str, Any]:
    """Build the band of a borrowed ratio by distance from :func:`borrowing_errors`.

    Parameters
    ----------
    errors
        From :func:`borrowing_errors`.

    Returns
    -------
    dict
        ``distances`` and ``q80s`` (arrays: the measured distances, ascending, and the band quantile
        of the band errors at each), ``b`` (growth beyond the largest, :func:`~digecon.estimation.bands.fit_power_law`
        over the positive distances; NaN where none was measured: no band beyond the benchmark year)
        and ``rule`` (the rule in words). Empty arrays and NaN without errors.
    """
    if errors.empty:
        empty = np.array([], dtype=float)
        return {"distances": empty, "q80s": empty, "b": float("nan"), "rule": "fewer than two peers: no band measured"}
    grouped = errors.groupby("distance_years")["band_error"]
    measured = q80(grouped)
    d, q = measured.index.to_numpy(float), measured.to_numpy(float)
    counts = ", ".join(f"{n}" for n in grouped.size())
    text = (
        f"h = q{BAND_QUANTILE * 100:.0f} of |estimate - actual| / estimate of each peer left out, at the distances "
        f"{', '.join(f'{v:g}' for v in d)} years ({', '.join(f'{v:.3g}' for v in q)}; n = {counts}); linear in between"
    )
    if (d > 0).any():
        _, b, note = fit_power_law(d[d > 0], q[d > 0])
        text += f"; beyond {d[-1]:g} years {q[-1]:.3g} x (d / {d[-1]:g})^{b:.3g}: {note}"
    else:
        b = float("nan")
        text += "; no other table year measured: no band beyond the benchmark year"
    return {"distances": d, "q80s": q, "b": float(b), "rule": text}


def _band(rule: Mapping[str, Any], distance: np.ndarray) -> np.ndarray:
    """Evaluate the rule's relative half-width at each distance (NaN where it measured nothing that far)."""
    d = np.asarray(distance, dtype=float)
    measured, q80s, b = rule["distances"], rule["q80s"], rule["b"]
    if not len(measured):
        return np.full(d.shape, np.nan)
    if np.isnan(b):
        return np.where(d <= measured[-1], np.interp(d, measured, q80s), np.nan)
    return half_width(d, measured, q80s, b)


def _at(table: pd.DataFrame, code: int, year: int) -> pd.Series:
    """Give the table's row of one province and benchmark year."""
    return table[(table["province_code"] == code) & (table["year"] == year)].iloc[0]


def _lead(series: pd.DataFrame, code: int) -> str:
    """Name the leading indicator of one province's series ('' without rows)."""
    rows = series.loc[series["province_code"] == code, "leading_indicator"]
    return str(rows.iloc[0]) if len(rows) else ""


def _own_years(yearbook: pd.DataFrame, indicator: str, code: int) -> str:
    """Give the years the yearbook has the indicator's own values for the province, as spans."""
    mine = yearbook[(yearbook["indicator"] == indicator) & (yearbook["province_code"] == code)]
    return _spans(mine["year"].astype(int).unique().tolist())


def _case(
    case: pd.Series,
    candidates: Sequence[Candidate],
    series: Mapping[Candidate, pd.DataFrame],
    tables: dict[Candidate, pd.DataFrame],
    components: pd.DataFrame,
    yearbook: pd.DataFrame,
    names: Mapping[int, str],
) -> tuple[dict[str, Any], pd.DataFrame | None]:
    """Decide one negligible benchmark: its row of the checks and, where borrowed, the series rows with c and h."""
    code, year = int(case["province_code"]), int(case["benchmark_year"])
    affected: list[int] = case["affected"]
    found = next((c for c in candidates if _lead(series[c], code) == c.chain[0]), None)
    action = NONE if not affected else BORROWED if found is not None else UNVERIFIABLE
    row: dict[str, Any] = {
        "province_code": code,
        "province": names.get(code, str(code)),
        "component": case["component"],
        "benchmark_year": year,
        "benchmark_value_100m_yuan": float(case["benchmark_value_100m_yuan"]),
        "position": case["position"],
        "action": action,
        "years_affected": _spans(affected),
        "n_years_affected": len(affected),
        "next_benchmark": case["next_benchmark"],
        "next_value_100m_yuan": case["next_value_100m_yuan"],
    }
    appears = pd.notna(case["next_value_100m_yuan"]) and case["next_value_100m_yuan"] >= MIN_ACTUAL_100M_YUAN
    if found is None:
        if appears:
            row["measurement"] = "no series of the component for this province: not measured"
        return row | {"message": _message(row)}, None
    if found not in tables:
        tables[found] = series_table(components, found, series[found])
    used, ratio, peers = borrowed_ratio(tables[found], year)
    rule = borrowing_rule(borrowing_errors(tables[found], used))
    row |= _borrowing(found, _at(tables[found], code, year), row, yearbook, used, ratio, peers, rule, names)
    if appears:
        row |= _measurement(row, found, tables[found], rule)
    row["message"] = _message(row)
    if action != BORROWED:
        return row, None
    x = series[found][(series[found]["province_code"] == code) & series[found]["year"].isin(affected)]
    return row, x.assign(coefficient=ratio, band_relative=_band(rule, np.abs(x["year"].to_numpy() - used)))


def _borrowing(
    found: Candidate,
    here: pd.Series,
    row: Mapping[str, Any],
    yearbook: pd.DataFrame,
    used: int,
    ratio: float,
    peers: pd.DataFrame,
    rule: Mapping[str, Any],
    names: Mapping[int, str],
) -> dict[str, Any]:
    """Describe the series, the borrowed ratio, its peers and its band (columns of the checks)."""
    distances, q80s = np.asarray(rule["distances"]), np.asarray(rule["q80s"])
    return {
        "series_chain": found.name,
        "series_indicator": found.chain[0],
        "series_own_years": _own_years(yearbook, found.chain[0], int(row["province_code"])),
        "series_at_benchmark": here["label"],
        "own_coefficient": float(row["benchmark_value_100m_yuan"]) / here["x"],
        "borrowed_from_year": used,
        "coefficient_borrowed": ratio,
        "n_peers": len(peers),
        "peers": ", ".join(names.get(int(p), str(p)) for p in peers["province_code"]),
        "peers_spliced": int(peers["spliced"].sum()),
        "band_distances": ", ".join(f"{d:g}" for d in distances),
        "band_q80": ", ".join(f"{q:.4g}" for q in q80s),
        "band_b": rule["b"],
        "band_rule": rule["rule"],
    }


def _measurement(
    row: Mapping[str, Any], found: Candidate, table: pd.DataFrame, rule: Mapping[str, Any]
) -> dict[str, Any]:
    """Estimate the next table's value by the carried and the borrowed ratio, with their APEs (checks' columns)."""
    code, year, later_year = int(row["province_code"]), int(row["benchmark_year"]), int(row["next_benchmark"])
    here, later = _at(table, code, year), _at(table, code, later_year)
    actual, value, ratio = (
        float(row["next_value_100m_yuan"]),
        float(row["benchmark_value_100m_yuan"]),
        float(row["coefficient_borrowed"]),
    )
    carried, borrowed = value / here["x"] * later["x"], ratio * later["x"]
    h = float(_band(rule, np.array([abs(later_year - int(row["borrowed_from_year"]))]))[0])
    lower, upper = bounds(borrowed, h)
    carried_by = [
        f"at {y} by {r['label']}" for y, r in ((year, here), (later_year, later)) if r["label"] != found.chain[0]
    ]
    return {
        "series_at_next": later["label"],
        "carried_estimate_100m_yuan": carried,
        "borrowed_estimate_100m_yuan": borrowed,
        "carried_ape": abs(carried - actual) / actual,
        "borrowed_ape": abs(borrowed - actual) / actual,
        "borrowed_band_relative": h,
        "inside_band": bool(lower <= actual <= upper),
        "measurement": "on the indicator's own values"
        if not carried_by
        else f"the indicator's own values are {row['series_own_years']}: the series is carried "
        + "; ".join(carried_by),
    }


def _message(row: Mapping[str, Any]) -> str:
    """One line on a negligible benchmark: what was done, and the measurement where the next table has a value."""
    head = (
        f"province {row['province_code']} ({row['province']}), {row['component']} {row['benchmark_year']}: "
        f"{row['benchmark_value_100m_yuan']:.2f} 亿元 in the table ({row['position']} benchmark)"
    )
    action = row["action"]
    if action == NONE:
        what = {
            "interior": "a table on each side: the years between are data, left as they are",
            "first": "no output year before it: nothing to do",
            "last": "no output year after it: nothing to do",
        }.get(str(row["position"]), "no output year but its own: nothing to do")
    elif action == UNVERIFIABLE:
        what = (
            f"{row['years_affected']} carried from it; no series of the component for this province: "
            "value kept, flagged unverifiable"
        )
    else:
        what = (
            f"{row['years_affected']} carried from it; estimated as {row['coefficient_borrowed']:.4g} x "
            f"{row['series_indicator']} ({row['series_chain']}), the ratio of {row['n_peers']} peer provinces in "
            f"{row['borrowed_from_year']}; band {row['band_rule']}"
        )
    line = f"{head}: {what}"
    if pd.notna(row.get("carried_ape", np.nan)):
        line += (
            f"; next table {row['next_benchmark']:.0f}: {row['next_value_100m_yuan']:.2f} 亿元, carried "
            f"{row['carried_estimate_100m_yuan']:.2f} (APE {row['carried_ape']:.0%}), borrowed "
            f"{row['borrowed_estimate_100m_yuan']:.2f} (APE {row['borrowed_ape']:.0%}, "
            f"{'inside' if row['inside_band'] else 'outside'} its band; {row['measurement']})"
        )
    elif "measurement" in row:
        line += (
            f"; next table {row['next_benchmark']:.0f}: {row['next_value_100m_yuan']:.2f} 亿元, {row['measurement']}"
        )
    return line


def borrow_for_zeros(
    values: pd.DataFrame,
    components: pd.DataFrame,
    series: Mapping[Candidate, pd.DataFrame],
    choices: Mapping[str, Choice],
    yearbook: pd.DataFrame,
    *,
    break_threshold: float,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Estimate the years carried from a negligible benchmark from the component's own series, or flag them.

    The rule is in the module docstring; one line per negligible benchmark is logged.

    Parameters
    ----------
    values
        The described estimates of every method and convention over the output years.
    components
        From :func:`digecon.estimation.estimate.benchmark_components`.
    series
        Every available candidate's :func:`~digecon.estimation.chains.chain_series`, in
        configuration order.
    choices
        Component -> the chain chosen.
    yearbook
        The long yearbook data the series were built from (for each indicator's own years).
    break_threshold
        ``indicators.break_threshold``: the borrowed rows' ``indicator_break`` comes from the screen
        of the series they rest on, as for every other row.

    Returns
    -------
    (values, checks)
        ``values`` with the years at stake replaced where borrowed (value, coefficient, band and
        the indicator's columns; ``coefficient_basis`` ``borrowed``; no standard error or rho), the
        band emptied where unverifiable, and the column ``zero_benchmark`` (``borrowed``,
        ``unverifiable`` or empty); the checks, ``ZERO_COLUMNS``, one row per negligible benchmark.
    """
    cases = negligible_benchmarks(components, sorted(int(y) for y in values["year"].unique()))
    ordered = component_candidates(series, choices)
    names = province_table().set_index("province_code")["province"].to_dict()
    tables: dict[Candidate, pd.DataFrame] = {}
    rows, borrowed, unverifiable = [], [], []
    for _, case in cases.iterrows():
        row, replacement = _case(case, ordered.get(case["component"], []), series, tables, components, yearbook, names)
        rows.append(row)
        log.log(logging.INFO if row["action"] == NONE else logging.WARNING, "negligible benchmark: %s", row["message"])
        if replacement is not None:
            borrowed.append(replacement)
        elif row["action"] == UNVERIFIABLE:
            unverifiable += [(row["province_code"], row["component"], y) for y in case["affected"]]
    checks = pd.DataFrame(rows, columns=ZERO_COLUMNS).astype(dict.fromkeys(COUNT_COLUMNS, "Int64"))
    return _replaced(values, borrowed, unverifiable, break_threshold), checks


def _put(column: pd.Series, where: np.ndarray, new: object) -> pd.Series:
    """``column`` with ``new`` (a scalar or one value per row) where ``where``; a categorical stays one."""
    data = column.astype(object).to_numpy(copy=True)
    data[where] = new[where] if isinstance(new, np.ndarray) else new
    if not isinstance(column.dtype, pd.CategoricalDtype):
        return pd.Series(data, index=column.index)
    texts = sorted({v for v in data if isinstance(v, str)})
    return pd.Series(pd.Categorical(data, categories=texts), index=column.index)


def _replaced(
    values: pd.DataFrame, borrowed: list[pd.DataFrame], unverifiable: list[tuple], break_threshold: float
) -> pd.DataFrame:
    """Put the borrowed values in, empty the unverifiable rows' band, add ``zero_benchmark``."""
    keys = pd.MultiIndex.from_arrays(
        [
            values["province_code"].to_numpy(dtype=np.int64),
            values["component"].astype(str).to_numpy(),
            values["year"].to_numpy(dtype=np.int64),
        ]
    )
    flag = np.full(len(values), "", dtype=object)
    out = values.copy()
    if borrowed:
        index = ["province_code", "component", "year"]
        new = pd.concat(borrowed, ignore_index=True).astype({"province_code": np.int64, "year": np.int64})
        breaks = indicator_breaks(new, break_threshold)[index].astype({"province_code": np.int64, "year": np.int64})
        found = new.set_index(index)
        found = found.assign(indicator_break=found.index.isin(pd.MultiIndex.from_frame(breaks))).reindex(keys)
        hit = found["coefficient"].notna().to_numpy()
        x = found["indicator_100m_yuan"].to_numpy(float)
        value = found["coefficient"].to_numpy(float) * x
        h = found["band_relative"].to_numpy(float)
        lower, upper = bounds(value, h)
        numbers = {
            "value_100m_yuan": value,
            "coefficient": found["coefficient"].to_numpy(float),
            "band_relative": h,
            "lower_100m_yuan": lower,
            "upper_100m_yuan": upper,
            "indicator_value_100m_yuan": x,
            "se_100m_yuan": np.full(len(out), np.nan),
            "rho": np.full(len(out), np.nan),
        }
        for column, new_values in numbers.items():
            out[column] = np.where(hit, new_values, out[column].to_numpy(float))
        out["indicator_spliced"] = np.where(
            hit, found["spliced"].to_numpy(object), out["indicator_spliced"].to_numpy(object)
        ).astype(bool)
        out["indicator_break"] = np.where(
            hit, found["indicator_break"].to_numpy(object), out["indicator_break"].to_numpy(object)
        ).astype(bool)
        texts = {
            "indicator": found["indicator"].to_numpy(object),
            "indicator_source": found["indicator_source"].to_numpy(object),
            "chain": found["chain"].to_numpy(object),
            "carrying_indicator": found["carrying_indicator"].to_numpy(object),
            "carried_by": found["carried_by"].to_numpy(object),
            "coefficient_basis": BORROWED,
            "aggregate": "",
        }
        for column, new_text in texts.items():
            out[column] = _put(out[column], hit, new_text)
        flag[hit] = BORROWED
    if unverifiable:
        cases = pd.MultiIndex.from_tuples([(int(p), str(c), int(y)) for p, c, y in unverifiable])
        hit = keys.isin(cases)
        for column in ("band_relative", "lower_100m_yuan", "upper_100m_yuan"):
            out[column] = np.where(hit, np.nan, out[column].to_numpy(float))
        flag[hit] = UNVERIFIABLE
    return out.assign(zero_benchmark=pd.Categorical(flag, categories=sorted(set(flag))))
