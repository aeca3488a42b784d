"""Validation the estimator runs on itself (METHOD.md section 4).

The designs come from each province's own benchmark years, whatever their number and spacing
(:func:`designs`):

* leave-one-out: every interior benchmark is dropped and estimated from the others
  (kind ``interpolation``);
* extrapolation: every later benchmark b_k is estimated from the earlier ones only, from
  b_0..b_j for every j < k, so at every distance the data allow (kind ``extrapolation``).

Each design is run on the years the benchmarks span, never on the output years, so the output
range does not change the backtest. Methods with pooled parameters (Chow-Lin's rho) pool them
over the provinces that share a design label. The bands derived from these errors are in
:mod:`digecon.estimation.bands`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from digecon.core.provinces import NATIONAL_CODE
from digecon.estimation.estimate import (
    Prepared,
    benchmark_coefficients,
    fit_pools,
    indicator_matrix,
    prepare,
    run_paths,
)
from digecon.estimation.estimate import (
    pool_statistics as block_statistics,
)
from digecon.estimation.indicators import series_key
from digecon.estimation.methods import METHODS, method

MIN_ACTUAL_100M_YUAN = 1.0  # errors of components below 1 亿元 (e.g. Qinghai electronics) are not meaningful
DESIGN_COLUMNS = [
    "province_code",
    "design",
    "kind",
    "holdout_year",
    "benchmarks_used",
    "distance_years",
    "design_label",
]
BACKTEST_COLUMNS = [
    "holdout_year",
    "design",
    "kind",
    "province_code",
    "component",
    "method",
    "convention",
    "estimate",
    "actual",
    "ape",
    "estimate_coefficient",
    "actual_coefficient",
    "benchmarks_used",
    "design_label",
    "distance_years",
]
_DESIGN_ORDER = {"leave_one_out": 0, "extrapolation": 1}


def _span_label(years: Sequence[int]) -> str:
    """'2002' for one year, '2002-2012' for a run of them."""
    return str(years[0]) if len(years) == 1 else f"{years[0]}-{years[-1]}"


def _design(code: int, design: str, holdout: int, used: list[int], label: str) -> dict[str, object]:
    """One design row."""
    return {
        "province_code": code,
        "design": design,
        "kind": "interpolation" if design == "leave_one_out" else "extrapolation",
        "holdout_year": holdout,
        "benchmarks_used": ",".join(map(str, used)),
        "distance_years": min(abs(holdout - y) for y in used),
        "design_label": label,
    }


def designs(benchmark_years_of: Mapping[int, Sequence[int]]) -> pd.DataFrame:
    """Backtest designs of every province, derived from its own benchmark years.

    Parameters
    ----------
    benchmark_years_of
        Province code -> its benchmark years (any number, any spacing, any order).

    Returns
    -------
    DataFrame
        ``DESIGN_COLUMNS``, one row per province x design: ``design`` ``leave_one_out`` (kind
        ``interpolation``) for every interior benchmark, labelled e.g. "2007 left out (from 2002,
        2012)" after the benchmarks either side; ``extrapolation`` (kind ``extrapolation``) of
        every later benchmark b_k from b_0..b_j for each j < k, labelled e.g. "2017 from
        2002-2012". ``benchmarks_used`` is comma-joined, ``distance_years`` the distance from the
        held-out year to the nearest benchmark used. Sorted leave-one-out first, then by held-out
        year, distance and province.
    """
    rows = []
    for code, given in benchmark_years_of.items():
        b = sorted({int(y) for y in given})
        for k in range(1, len(b) - 1):
            label = f"{b[k]} left out (from {b[k - 1]}, {b[k + 1]})"
            rows.append(_design(int(code), "leave_one_out", b[k], b[:k] + b[k + 1 :], label))
        for k in range(1, len(b)):
            for j in reversed(range(k)):
                used = b[: j + 1]
                rows.append(_design(int(code), "extrapolation", b[k], used, f"{b[k]} from {_span_label(used)}"))
    frame = pd.DataFrame.from_records(rows, columns=DESIGN_COLUMNS)
    order = frame["design"].map(_DESIGN_ORDER)
    return (
        frame.assign(_order=order)
        .sort_values(["_order", "holdout_year", "distance_years", "province_code", "design_label"], kind="stable")
        .drop(columns="_order")
        .reset_index(drop=True)
    )


def backtest_years(benchmarks: pd.DataFrame) -> list[int]:
    """Every year from the first to the last provincial benchmark: the years the backtest needs X for.

    Parameters
    ----------
    benchmarks
        From :func:`digecon.estimation.estimate.benchmark_components`.

    Returns
    -------
    list of int
        Contiguous years.
    """
    years = benchmarks.loc[benchmarks["province_code"] != NATIONAL_CODE, "year"]
    return list(range(int(years.min()), int(years.max()) + 1)) if len(years) else []


def _grid(benchmarks: pd.DataFrame, indicators: pd.DataFrame) -> list[int]:
    """Give the benchmark span's years, checked to be covered by the indicator frame."""
    years = backtest_years(benchmarks)
    missing = sorted(set(years) - set(indicators["year"].astype(int)))
    if missing:
        raise ValueError(f"the backtest needs indicators in every year the benchmarks span; missing {missing}")
    return years


def _used_and_held_out(coefficients: pd.DataFrame, plan: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Benchmark rows each design uses (tagged with its label) and the held-out rows it is scored on."""
    used_years = plan.assign(year=plan["benchmarks_used"].str.split(",")).explode("year")
    used = coefficients.merge(
        used_years.astype({"year": int})[["province_code", "year", "design_label"]], on=["province_code", "year"]
    )
    held_out = coefficients[["province_code", "year", "component", "coefficient", "indicator_100m_yuan"]].merge(
        plan.rename(columns={"holdout_year": "year"}), on=["province_code", "year"]
    )
    return used, held_out.rename(columns={"year": "holdout_year"})


def _scored(estimates: pd.DataFrame, held_out: pd.DataFrame, convention: str) -> pd.DataFrame:
    """Backtest rows of one convention: each design's path at its held-out year against the table.

    Rows keep the order of ``estimates``: design label (as planned), method, province, component.
    """
    rows = estimates.merge(
        held_out, on=["design_label", "province_code", "component", "holdout_year"], validate="many_to_one"
    )
    estimate = rows["estimate_coefficient"] * rows["indicator_100m_yuan"]
    actual = rows["coefficient"] * rows["indicator_100m_yuan"]
    ape = ((estimate - actual).abs() / actual).where(actual >= MIN_ACTUAL_100M_YUAN)
    return rows.assign(
        estimate=estimate, actual=actual, ape=ape, actual_coefficient=rows["coefficient"], convention=convention
    ).reindex(columns=BACKTEST_COLUMNS)


def _labels(plan: pd.DataFrame) -> list[tuple[str, int]]:
    """Each design label once, in plan order, with its held-out year."""
    labels = plan.drop_duplicates("design_label")
    return list(zip(labels["design_label"], labels["holdout_year"].astype(int), strict=True))


def _prepared_designs(
    used: pd.DataFrame, matrix: pd.DataFrame, key: str, grid: np.ndarray, plan: pd.DataFrame
) -> list[tuple[str, int, Prepared]]:
    """Every design label: its held-out year and its series (the benchmarks it uses), prepared once."""
    rows_of = used.groupby("design_label", sort=False).indices
    return [
        (label, holdout, prepare(used.iloc[rows_of[label]], matrix, key, grid))
        for label, holdout in _labels(plan)
        if label in rows_of
    ]


def _design_paths(
    designs_: list[tuple[str, int, Prepared]], grid: np.ndarray, methods: list[str], pooled: Mapping[tuple, dict]
) -> pd.DataFrame:
    """Every design label x method: the estimated coefficient in the held-out year.

    Pooled parameters are fitted over the provinces sharing the label (given in ``pooled``, keyed
    by label, method and component).
    """
    frames = []
    for label, holdout, prepared in designs_:
        at = int(np.searchsorted(grid, holdout))
        for name in methods:
            spec = method(name)
            own = {c: pooled.get((label, name, c), {}) for c in prepared.series["component"].unique()}
            paths = run_paths(spec, prepared, own)
            frames.append(
                pd.DataFrame(
                    {
                        "province_code": prepared.series["province_code"].to_numpy(),
                        "component": prepared.series["component"].to_numpy(dtype=object),
                        "holdout_year": np.full(len(prepared.series), grid[at]),
                        "estimate_coefficient": paths.coefficient[:, at],
                        "method": name,
                        "design_label": label,
                    }
                )
            )
    return pd.concat(frames, ignore_index=True)


def statistics_table(designs_: list[tuple[str, int, Prepared]], methods: list[str], convention: str) -> pd.DataFrame:
    """Pooling statistics of every design label, method with ``statistics`` and component.

    Parameters
    ----------
    designs_
        (design label, held-out year, its prepared series) of each design.
    methods
        Method names; those without ``statistics`` are skipped.
    convention
        The convention of the series.

    Returns
    -------
    DataFrame
        ``POOL_KEYS`` and ``s0``, ``s1``, ...: one row per row of the statistics.
    """
    frames = []
    for label, _, prepared in designs_:
        for name in methods:
            spec = method(name)
            if spec.statistics is None:
                continue
            for component, rows in block_statistics(spec, prepared).items():
                frame = pd.DataFrame(rows, columns=[f"s{i}" for i in range(rows.shape[1])])
                frames.append(frame.assign(convention=convention, design_label=label, method=name, component=component))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=POOL_KEYS)


POOL_KEYS = ["convention", "design_label", "method", "component"]


def choose_pooled(statistics: pd.DataFrame) -> pd.DataFrame:
    """Pooled parameters from the pooling statistics of every region (gathered from chunks in any order).

    Parameters
    ----------
    statistics
        From :func:`pool_statistics` (one call, or the concatenation of the calls on chunks of
        regions).

    Returns
    -------
    DataFrame
        ``POOL_KEYS``, ``parameter``, ``value``: one row per convention, design label, method,
        component and parameter (e.g. Chow-Lin's ``rho``).
    """
    rows = []
    columns = [c for c in statistics.columns if c not in POOL_KEYS]
    columns = sorted(columns, key=lambda c: int(c[1:]))
    for keys, group in statistics.groupby(POOL_KEYS, sort=True):
        chosen = method(keys[2]).choose(group[columns].to_numpy(dtype=float))
        rows += [dict(zip(POOL_KEYS, keys, strict=True), parameter=k, value=float(v)) for k, v in chosen.items()]
    return pd.DataFrame(rows, columns=[*POOL_KEYS, "parameter", "value"])


def _pooled_of(pooled: pd.DataFrame, convention: str) -> dict[tuple, dict[str, float]]:
    """Label, method, component -> parameters, of one convention."""
    out: dict[tuple, dict[str, float]] = {}
    for row in pooled[pooled["convention"] == convention].itertuples(index=False):
        out.setdefault((row.design_label, row.method, row.component), {})[row.parameter] = row.value
    return out


def _setup(benchmarks: pd.DataFrame, indicators: pd.DataFrame, methods: list[str], grid: list[int] | None):
    """Check the methods; the provincial benchmarks, the backtest years, the designs and the indicator matrix."""
    for name in methods:
        method(name)
    provincial = benchmarks[benchmarks["province_code"] != NATIONAL_CODE]
    years = np.asarray(_grid(provincial, indicators) if grid is None else grid)
    plan = designs({int(c): list(y) for c, y in provincial.groupby("province_code")["year"].unique().items()})
    matrix = indicator_matrix(indicators, years) if not plan.empty else None
    return provincial, years, plan, matrix


def pool_statistics(
    benchmarks: pd.DataFrame,
    indicators: pd.DataFrame,
    methods: list[str],
    conventions: list[str],
    *,
    grid: list[int] | None = None,
) -> pd.DataFrame:
    """Give the pooling statistics of every design: what the pooled parameters of the backtest are chosen from.

    Statistics of disjoint sets of regions concatenate: :func:`choose_pooled` of the
    concatenation is the choice over all regions together.

    Parameters
    ----------
    benchmarks, indicators, methods, conventions
        As for :func:`backtest`.
    grid
        The backtest years (:func:`backtest_years` of every region's benchmarks); None: those
        of ``benchmarks``.

    Returns
    -------
    DataFrame
        ``POOL_KEYS`` and ``s0``, ``s1``, ...: the rows of each method's ``statistics`` (Chow-Lin:
        the cross-validation errors over its rho grid).
    """
    provincial, years, plan, matrix = _setup(benchmarks, indicators, methods, grid)
    if plan.empty:
        return pd.DataFrame(columns=POOL_KEYS)
    frames = []
    for convention in conventions:
        used, _ = _used_and_held_out(benchmark_coefficients(provincial, indicators, convention), plan)
        prepared = _prepared_designs(used, matrix, series_key(indicators), years, plan)
        frames.append(statistics_table(prepared, methods, convention))
    return pd.concat(frames, ignore_index=True)


def backtest(
    benchmarks: pd.DataFrame,
    indicators: pd.DataFrame,
    methods: list[str],
    conventions: list[str],
    *,
    pooled: pd.DataFrame | None = None,
    grid: list[int] | None = None,
    totals: bool = True,
) -> pd.DataFrame:
    """Held-out benchmark errors for every design, method, convention, component and province.

    Parameters
    ----------
    benchmarks
        From :func:`digecon.estimation.estimate.benchmark_components`; national rows are left out.
    indicators
        From :func:`digecon.estimation.indicators.indicator_series`, covering every year the
        benchmarks span (:func:`backtest_years`); other years are ignored.
    methods
        Keys of :data:`digecon.estimation.methods.METHODS`.
    conventions
        See :data:`digecon.estimation.estimate.CONVENTIONS`.
    pooled
        From :func:`choose_pooled`: the pooled parameters of each design (fitted over more
        regions than these, e.g. every chunk's); None fits them over the regions given.
    grid
        The backtest years (:func:`backtest_years` of every region's benchmarks); None: those
        of ``benchmarks``.
    totals
        Add the digital-economy total (False for the scoring backtest, whose components are
        candidate chains).

    Returns
    -------
    DataFrame
        ``BACKTEST_COLUMNS``. ``estimate`` and ``actual`` are values in 亿元 (coefficient x
        indicator of the held-out year, so under the ``benchmark`` convention ``actual`` is the IO
        table's value); ``ape`` is |estimate - actual| / actual, empty where actual < 1 亿元. The
        digital-economy total is one more component, ``total``.

    Raises
    ------
    ValueError
        For an unknown method or convention, or indicators missing in the benchmark span.
    """
    provincial, years, plan, matrix = _setup(benchmarks, indicators, methods, grid)
    if plan.empty or not methods:  # a single benchmark per province leaves nothing to hold out
        return pd.DataFrame(columns=BACKTEST_COLUMNS)
    frames = []
    for convention in conventions:
        coefficients = benchmark_coefficients(provincial, indicators, convention)
        used, held_out = _used_and_held_out(coefficients, plan)
        prepared = _prepared_designs(used, matrix, series_key(indicators), years, plan)
        if pooled is None:  # fitted per label over the provinces sharing it
            own = {
                (label, name, c): params
                for label, _, p in prepared
                for name in methods
                for c, params in fit_pools(method(name), p).items()
            }
        else:
            own = _pooled_of(pooled, convention)
        frames.append(_scored(_design_paths(prepared, years, methods, own), held_out, convention))
    results = pd.concat(frames, ignore_index=True)
    return pd.concat([results, total_rows(results)], ignore_index=True) if totals else results


def total_rows(results: pd.DataFrame) -> pd.DataFrame:
    """Add up the digital-economy total (sum of the four components) as one more backtest 'component'.

    Parameters
    ----------
    results
        Backtest rows of the components, in backtest order.

    Returns
    -------
    DataFrame
        ``BACKTEST_COLUMNS``, component ``total``, where every component has a row.
    """
    keys = ["design_label", "holdout_year", "design", "kind", "distance_years", "province_code", "method", "convention"]
    grouped = results.groupby(keys, sort=False)
    total = grouped.agg(
        estimate=("estimate", "sum"),
        actual=("actual", "sum"),
        n=("component", "count"),
        benchmarks_used=("benchmarks_used", "first"),
    ).reset_index()
    total = total[total["n"] == results["component"].nunique()]
    ape = (total["estimate"] - total["actual"]).abs() / total["actual"]
    total = total.assign(component="total", ape=ape.where(total["actual"] >= MIN_ACTUAL_100M_YUAN))
    return total.reindex(columns=BACKTEST_COLUMNS)


def national_consistency(benchmarks: pd.DataFrame) -> pd.DataFrame:
    """Sum over provinces of each benchmark component against the national table of the same year.

    Parameters
    ----------
    benchmarks
        From :func:`digecon.estimation.estimate.benchmark_components`, with the national rows.

    Returns
    -------
    DataFrame
        ``year``, ``component``, ``provinces_sum_100m_yuan``, ``n_provinces``, ``national_100m_yuan``
        and ``ratio`` (provinces' sum / national), for the years with a national table.
    """
    provincial = benchmarks[benchmarks["province_code"] != NATIONAL_CODE]
    national = benchmarks[benchmarks["province_code"] == NATIONAL_CODE].set_index(["year", "component"])
    summed = provincial.groupby(["year", "component"]).agg(
        provinces_sum_100m_yuan=("benchmark_value_100m_yuan", "sum"), n_provinces=("province_code", "nunique")
    )
    out = summed.join(national["benchmark_value_100m_yuan"].rename("national_100m_yuan"), how="inner")
    return out.assign(ratio=out["provinces_sum_100m_yuan"] / out["national_100m_yuan"]).reset_index()


def summary_markdown(summary: pd.DataFrame, *, convention: str, rows: Sequence[str] = ("kind", "component")) -> str:
    """Median APE (and q80) by ``rows`` and method, as a Markdown table for the README.

    Parameters
    ----------
    summary
        From :func:`digecon.estimation.bands.error_summary` (or ``by_design`` / ``by_distance``).
    convention
        The convention to show.
    rows
        The columns that make a row of the table, e.g. ``("kind", "component")`` or ``("design_label",)``.

    Returns
    -------
    str
        One row per distinct ``rows`` value (in the summary's order), one column per method present,
        in registry order.
    """
    rows = list(rows)
    chosen = summary[summary["convention"] == convention]
    cells = chosen.assign(
        cell=[f"{m:.1%} ({q:.0%})" for m, q in zip(chosen["median_ape"], chosen["q80_ape"], strict=True)]
    )
    table = cells.pivot_table(index=rows, columns="method", values="cell", aggfunc="first", sort=False)
    methods = [m for m in METHODS if m in table.columns]
    lines = [
        "| " + " | ".join(rows) + " | " + " | ".join(methods) + " |",
        "|---" * len(rows) + "|" + "---|" * len(methods),
    ]
    for key, row in table.iterrows():
        key = key if isinstance(key, tuple) else (key,)
        lines.append("| " + " | ".join(map(str, key)) + " | " + " | ".join(str(row[m]) for m in methods) + " |")
    return "\n".join(lines) + "\n"
