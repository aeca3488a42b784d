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

import pandas as pd

from digecon.core.provinces import NATIONAL_CODE
from digecon.estimation.estimate import (
    benchmark_coefficients,
    categorical,
    indicator_matrix,
    national_matrix,
    prepare,
    run_paths,
    series_keys,
)
from digecon.estimation.indicators import MIXED
from digecon.estimation.methods import method
from digecon.estimation.ratio_paths import SPLIT_COMPONENTS, last_benchmark, split_factors

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
    "carrying_indicator",
    "carried_by",
]
DESIGN_ORDER = {"leave_one_out": 0, "extrapolation": 1}


def _span_label(years: Sequence[int]) -> str:
    """'2002' for one year, '2002-2012' for a run of them."""
    return str(years[0]) if len(years) == 1 else f"{years[0]}-{years[-1]}"


def _province_designs(code: int, b: list[int]) -> list[tuple]:
    """List the design rows (``DESIGN_COLUMNS``) of one province whose benchmark years are ``b`` (ascending)."""
    rows = []
    for k in range(1, len(b) - 1):
        used = b[:k] + b[k + 1 :]
        label = f"{b[k]} left out (from {b[k - 1]}, {b[k + 1]})"
        rows.append((code, "leave_one_out", "interpolation", b[k], used, label))
    for k in range(1, len(b)):
        for j in reversed(range(k)):
            used = b[: j + 1]
            rows.append((code, "extrapolation", "extrapolation", b[k], used, f"{b[k]} from {_span_label(used)}"))
    return [
        (code, design, kind, held, ",".join(map(str, used)), min(abs(held - y) for y in used), label)
        for code, design, kind, held, used, label in rows
    ]


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
    rows = [
        row
        for code, years in benchmark_years_of.items()
        for row in _province_designs(int(code), sorted({int(y) for y in years}))
    ]
    frame = pd.DataFrame.from_records(rows, columns=DESIGN_COLUMNS)
    return (
        frame.assign(_order=frame["design"].map(DESIGN_ORDER))
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


def _scored(
    coefficients: pd.DataFrame,
    matrix: pd.DataFrame,
    plan: pd.DataFrame,
    methods: Sequence[str],
    national: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every design label x method x series: the estimated coefficient in the held-out year.

    Pooled parameters are fitted per label over the provinces sharing it. Rows go by label (in
    plan order), method, province and series keys. ``national`` (:func:`national_matrix`) gives
    every design the national coefficient of its held-out year (a design "2017 from 2012" moves
    2012's coefficient by the national 2012 -> 2017 movement).
    """
    keys = ["province_code", *series_keys(coefficients)]
    used_years = plan.assign(year=plan["benchmarks_used"].str.split(",")).explode("year").astype({"year": int})
    used = coefficients.merge(used_years[["province_code", "year", "design_label"]], on=["province_code", "year"])
    by_label = used.groupby("design_label", sort=False).indices
    frames = []
    for label, holdout in plan.drop_duplicates("design_label")[["design_label", "holdout_year"]].itertuples(
        index=False
    ):
        if label not in by_label:
            continue
        prepared = prepare(used.iloc[by_label[label]], matrix, national)
        column = list(matrix.columns).index(holdout)
        for name in methods:
            spec = method(name)
            paths = run_paths(spec, prepared)
            frames.append(
                prepared.series[keys].assign(
                    design_label=label,
                    holdout_year=holdout,
                    method=name,
                    estimate_coefficient=paths.coefficient[:, column],
                )
            )
    return pd.concat(frames, ignore_index=True)


def backtest(
    benchmarks: pd.DataFrame,
    indicators: pd.DataFrame,
    methods: Sequence[str],
    conventions: Sequence[str],
    *,
    totals: bool = True,
    national: pd.DataFrame | None = None,
    split: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Held-out benchmark errors for every design, method, convention, series and province.

    Parameters
    ----------
    benchmarks
        Benchmark rows aligned with their chains (:func:`digecon.estimation.chains.chain_benchmarks`);
        national rows are left out. With a ``candidate`` column every candidate chain is a series of
        its own (:func:`digecon.estimation.chains.scoring_inputs`).
    indicators
        From :func:`digecon.estimation.chains.chain_series`, covering every year the benchmarks span
        (:func:`backtest_years`).
    methods
        Keys of :data:`digecon.estimation.methods.METHODS`.
    conventions
        See :data:`digecon.estimation.estimate.CONVENTIONS`.
    totals
        Add the digital-economy total (:func:`total_rows`).
    national
        The series' national coefficients (:func:`digecon.estimation.national.national_coefficients`),
        or None: what the ``national`` method moves the coefficients with.
    split
        The national split ratios by year (:func:`digecon.estimation.ratio_paths.ratio_by_year`), or
        None: a held-out year after the last benchmark used has the telecom, IT-services and media
        estimates of every method but the national path moved with them, as the values are
        (:func:`digecon.estimation.ratio_paths.follow_national_split`).

    Returns
    -------
    DataFrame
        ``BACKTEST_COLUMNS`` (and ``candidate``). ``estimate`` and ``actual`` are values in 亿元
        (coefficient x indicator of the held-out year, so under the ``benchmark`` convention ``actual``
        is the IO table's value); ``ape`` is |estimate - actual| / actual, empty where actual < 1 亿元;
        ``carrying_indicator`` and ``carried_by`` (``industry series`` or ``aggregate``) say what
        carries the held-out year in the chain's series (:func:`digecon.estimation.chains.chain_series`).
        Rows by convention, design (plan order), method, province and component.

    Raises
    ------
    ValueError
        For an unknown method or convention, or indicators missing in the benchmark span.
    """
    for name in methods:
        method(name)
    provincial = benchmarks[benchmarks["province_code"] != NATIONAL_CODE]
    plan = designs({int(c): list(y) for c, y in provincial.groupby("province_code")["year"].unique().items()})
    keys = series_keys(provincial)
    columns = BACKTEST_COLUMNS + keys[1:]
    if plan.empty or not methods:  # a single benchmark per province leaves nothing to hold out
        return pd.DataFrame(columns=columns)
    years = backtest_years(provincial)
    matrix = indicator_matrix(indicators, years)
    frames = []
    for convention in conventions:
        coefficients = benchmark_coefficients(provincial, indicators, convention)
        held_out = coefficients.rename(columns={"year": "holdout_year", "coefficient": "actual_coefficient"})
        nat = national_matrix(national, indicators, years, convention)
        rows = _scored(coefficients, matrix, plan, methods, nat).merge(
            held_out[["province_code", *keys, "holdout_year", "actual_coefficient", "indicator_100m_yuan"]],
            on=["province_code", *keys, "holdout_year"],
            validate="many_to_one",
        )
        rows = rows.merge(plan.drop(columns="holdout_year"), on=["province_code", "design_label"])
        frames.append(rows.assign(convention=convention))
    # what carries the held-out year in the candidate's series, as it would if the table were not there
    carriers = indicators[["province_code", *keys, "year", "carrying_indicator", "carried_by"]]
    results = pd.concat(frames, ignore_index=True).merge(
        carriers.rename(columns={"year": "holdout_year"}),
        on=["province_code", *keys, "holdout_year"],
        how="left",
        validate="many_to_one",
    )
    if split is not None:
        results = _following_split(results, provincial, split)
    estimate = results["estimate_coefficient"] * results["indicator_100m_yuan"]
    actual = results["actual_coefficient"] * results["indicator_100m_yuan"]
    ape = ((estimate - actual).abs() / actual).where(actual >= MIN_ACTUAL_100M_YUAN)
    results = categorical(results.assign(estimate=estimate, actual=actual, ape=ape)[columns])
    return with_totals(results) if totals else results


def _following_split(results: pd.DataFrame, benchmarks: pd.DataFrame, split: pd.DataFrame) -> pd.DataFrame:
    """Move the split components' estimated coefficients after the last benchmark used, as the values are."""
    last = last_benchmark(results["benchmarks_used"])
    moved = [name for name in results["method"].astype(str).unique() if not method(name).national]
    after = (
        (results["holdout_year"].to_numpy() > last)
        & results["component"].isin(SPLIT_COMPONENTS).to_numpy()
        & results["method"].isin(moved).to_numpy()
    )
    if not after.any():
        return results
    rows = results.loc[after, ["province_code", "component"]].assign(year=last[after])
    ratios = benchmarks[["province_code", "component", "year", "ratio_value"]].drop_duplicates(
        ["province_code", "component", "year"]
    )
    ratio_b = rows.merge(ratios, on=["province_code", "component", "year"], how="left")["ratio_value"].to_numpy(float)
    factor, _ = split_factors(
        rows["component"].astype(str).to_numpy(),
        ratio_b,
        results.loc[after, "holdout_year"].to_numpy(),
        rows["year"].to_numpy(),
        split.set_index(["ratio", "year"]),
    )
    coefficient = results["estimate_coefficient"].to_numpy(float, copy=True)
    coefficient[after] *= factor
    return results.assign(estimate_coefficient=coefficient)


def total_rows(results: pd.DataFrame) -> pd.DataFrame:
    """Add up the digital-economy total (sum of the four components) as one more backtest 'component'.

    Parameters
    ----------
    results
        Backtest rows of the components (one chain each), in backtest order.

    Returns
    -------
    DataFrame
        ``BACKTEST_COLUMNS``, component ``total``, where every component has a row; ``carried_by``
        that of its components where they agree, else ``mixed``; no ``carrying_indicator``.
    """
    keys = ["design_label", "holdout_year", "design", "kind", "distance_years", "province_code", "method", "convention"]
    total = (
        results.groupby(keys, sort=False)
        .agg(
            estimate=("estimate", "sum"),
            actual=("actual", "sum"),
            n=("component", "count"),
            benchmarks_used=("benchmarks_used", "first"),
            carried_by=("carried_by", "first"),
            carriers=("carried_by", "nunique"),
        )
        .reset_index()
    )
    total = total[total["n"] == results["component"].nunique()]
    ape = (total["estimate"] - total["actual"]).abs() / total["actual"]
    total = total.assign(
        component="total",
        ape=ape.where(total["actual"] >= MIN_ACTUAL_100M_YUAN),
        carried_by=total["carried_by"].astype(str).where(total["carriers"] == 1, MIXED),
    )
    return total.reindex(columns=BACKTEST_COLUMNS)


def with_totals(results: pd.DataFrame) -> pd.DataFrame:
    """Append the total's backtest rows (:func:`total_rows`) to the components', text as categoricals."""
    return categorical(pd.concat([results, total_rows(results)], ignore_index=True))
