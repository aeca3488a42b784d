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
from itertools import pairwise

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
from digecon.estimation.joins import concat_tables, find, repeat_label, row_keys, take_labels
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


def _province_designs(code: int, b: list[int]) -> list[dict[str, object]]:
    """List the design rows of one province whose benchmark years are ``b`` (ascending, distinct)."""
    rows = []
    for k in range(1, len(b) - 1):
        label = f"{b[k]} left out (from {b[k - 1]}, {b[k + 1]})"
        rows.append(_design(code, "leave_one_out", b[k], b[:k] + b[k + 1 :], label))
    for k in range(1, len(b)):
        for j in reversed(range(k)):
            used = b[: j + 1]
            rows.append(_design(code, "extrapolation", b[k], used, f"{b[k]} from {_span_label(used)}"))
    return rows


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
    # provinces with the same benchmark years have the same designs: each set is laid out once, then repeated
    sharing: dict[tuple[int, ...], list[int]] = {}
    for code, given in benchmark_years_of.items():
        sharing.setdefault(tuple(sorted({int(y) for y in given})), []).append(int(code))
    frames = []
    for years, codes in sharing.items():
        rows = _province_designs(0, list(years))
        if rows:
            one = pd.DataFrame.from_records(rows, columns=DESIGN_COLUMNS)
            repeated = one.take(np.tile(np.arange(len(one)), len(codes)))
            frames.append(repeated.assign(province_code=np.repeat(np.asarray(codes, dtype=np.int64), len(one))))
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame.from_records([], columns=DESIGN_COLUMNS)
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


def _ranges(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Concatenate ``arange(s, s + n)`` of every start s and count n."""
    ends = np.cumsum(counts)
    return np.repeat(starts + counts - ends, counts) + np.arange(ends[-1] if len(ends) else 0)


def _labels(plan: pd.DataFrame) -> tuple[np.ndarray, list[tuple[str, int]]]:
    """Give each plan row's label as a number (in plan order), and each label once with its held-out year."""
    label_of, labels = pd.factorize(plan["design_label"])
    first = np.unique(label_of, return_index=True)[1]
    return label_of, list(zip(labels, plan["holdout_year"].to_numpy()[first].astype(int).tolist(), strict=True))


def _used_rows(coefficients: pd.DataFrame, plan: pd.DataFrame, label_of: np.ndarray, n_labels: int) -> list[np.ndarray]:
    """Positions in ``coefficients`` of the rows each design label uses, ascending, one array per label.

    A row is used by a label if its province and year are among the ``benchmarks_used`` of the
    province's design of that label.
    """
    pattern_of, texts = pd.factorize(plan["benchmarks_used"])  # few distinct lists: each parsed once
    patterns = [np.array([int(y) for y in text.split(",")], dtype=np.int64) for text in texts]
    sizes = np.array([len(p) for p in patterns], dtype=np.int64)
    counts = sizes[pattern_of]
    design = np.repeat(np.arange(len(plan)), counts)
    years = np.concatenate(patterns)[_ranges((np.cumsum(sizes) - sizes)[pattern_of], counts)]
    want, have = row_keys(
        [plan["province_code"].to_numpy()[design], years],
        [coefficients["province_code"].to_numpy(), coefficients["year"].to_numpy()],
    )
    order = np.argsort(have, kind="stable")
    low, high = np.searchsorted(have[order], want, "left"), np.searchsorted(have[order], want, "right")
    rows = order[_ranges(low, high - low)]
    label = label_of[np.repeat(design, high - low)]
    by_label = np.lexsort((rows, label))
    rows, label = rows[by_label], label[by_label]
    return np.split(rows, np.searchsorted(label, np.arange(1, n_labels)))


def _prepared_designs(
    coefficients: pd.DataFrame,
    matrix: pd.DataFrame,
    key: str,
    grid: np.ndarray,
    plan: pd.DataFrame,
    labels: tuple[np.ndarray, list[tuple[str, int]]],
) -> list[tuple[str, int, Prepared]]:
    """Every design label: its held-out year and its series (the benchmarks it uses), prepared once.

    ``labels`` is :func:`_labels` of the plan; a label none of whose benchmarks has a row is left out.
    """
    label_of, held_out = labels
    # only what prepare reads: each label's rows are taken from a narrow frame
    columns = dict.fromkeys(["province_code", "component", "year", "coefficient", "coefficient_basis", key])
    narrow = coefficients[[c for c in columns if c in coefficients]]
    used = _used_rows(coefficients, plan, label_of, len(held_out))
    return [
        (label, holdout, prepare(narrow.take(rows), matrix, key, grid))
        for (label, holdout), rows in zip(held_out, used, strict=True)
        if len(rows)
    ]


def _coefficient_keys(coefficients: pd.DataFrame, plan: pd.DataFrame, components: pd.Index) -> list[np.ndarray]:
    """Province, component (its position in ``components``) and year of each coefficient row.

    Raises pandas' ``MergeError``, as a many-to-one merge would, if a province has two rows of a
    component in one of its held-out years.
    """
    columns = [
        coefficients["province_code"].to_numpy(),
        components.get_indexer(coefficients["component"]),
        coefficients["year"].to_numpy(),
    ]
    at, held_out = row_keys(
        [columns[0], columns[2]], [plan["province_code"].to_numpy(), plan["holdout_year"].to_numpy()]
    )
    held = np.isin(at, held_out)
    if pd.MultiIndex.from_arrays([c[held] for c in columns]).has_duplicates:
        raise pd.errors.MergeError("Merge keys are not unique in right dataset; not a many-to-one merge")
    return columns


def _scored(
    designs_: list[tuple[str, int, Prepared]],
    coefficients: pd.DataFrame,
    plan: pd.DataFrame,
    labels: tuple[np.ndarray, list[tuple[str, int]]],
    components: pd.Index,
    grid: np.ndarray,
    methods: list[str],
    pooled: Mapping[tuple, dict],
) -> dict[str, np.ndarray]:
    """Every design label x method x series against its held-out benchmark, as columns of arrays.

    Rows go by design label (as planned), method, province, component; a series without the
    table's row in the held-out year has none. ``plan_row`` is the province's design,
    ``component`` and ``method`` are positions in ``components`` and ``methods``. Pooled
    parameters are fitted over the provinces sharing the label (given in ``pooled``, keyed by
    label, method and component).
    """
    label_of, held_out = labels
    number = {label: i for i, (label, _) in enumerate(held_out)}
    series = [p.series for _, _, p in designs_]
    sizes = np.array([len(s) for s in series], dtype=np.int64)
    at = np.searchsorted(grid, [holdout for _, holdout, _ in designs_]).astype(np.int64)
    province = np.concatenate([s["province_code"].to_numpy() for s in series])
    component = np.concatenate([components.get_indexer(s["component"]) for s in series])
    label = np.repeat([number[name] for name, _, _ in designs_], sizes)
    holdout = np.repeat(np.asarray([h for _, h, _ in designs_], dtype=np.int64), sizes)
    year = np.repeat(grid[at], sizes)  # the grid's year at the label's held-out year
    keys = _coefficient_keys(coefficients, plan, components)
    wanted, table = row_keys([province, component, holdout], keys)
    coefficient_row = find(table, wanted)
    wanted, table = row_keys([province, label], [plan["province_code"].to_numpy(), label_of])
    plan_row = find(table, wanted)
    scored = (coefficient_row >= 0) & (plan_row >= 0) & (year == holdout)
    take, method_of, estimate = [], [], []
    for (design_label, _, prepared), start, size, column in zip(
        designs_, np.cumsum(sizes) - sizes, sizes, at, strict=True
    ):
        kept = np.flatnonzero(scored[start : start + size])
        present = prepared.series["component"].unique()
        for m, name in enumerate(methods):
            own = {c: pooled.get((design_label, name, c), {}) for c in present}
            paths = run_paths(method(name), prepared, own)
            take.append(start + kept)
            method_of.append(np.full(len(kept), m, dtype=np.int64))
            estimate.append(paths.coefficient[kept, column])
    take = np.concatenate(take)
    rows = coefficient_row[take]
    return {
        "plan_row": plan_row[take],
        "province_code": province[take],
        "component": component[take],
        "holdout_year": year[take],
        "method": np.concatenate(method_of),
        "estimate_coefficient": np.concatenate(estimate),
        "actual_coefficient": coefficients["coefficient"].to_numpy()[rows],
        "indicator_100m_yuan": coefficients["indicator_100m_yuan"].to_numpy()[rows],
    }


def _table(
    parts: list[dict[str, np.ndarray]],
    plan: pd.DataFrame,
    components: pd.Index,
    methods: list[str],
    conventions: list[str],
) -> pd.DataFrame:
    """Lay out the scored rows of every convention (:func:`_scored`, in turn) as ``BACKTEST_COLUMNS``.

    Text columns are categoricals, built once from their codes at the end
    (:func:`~digecon.estimation.joins.take_labels`).
    """
    joined = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
    convention = np.repeat(np.arange(len(parts)), [len(p["method"]) for p in parts])
    estimate = joined["estimate_coefficient"] * joined["indicator_100m_yuan"]
    actual = joined["actual_coefficient"] * joined["indicator_100m_yuan"]
    with np.errstate(divide="ignore", invalid="ignore"):
        ape = np.where(actual >= MIN_ACTUAL_100M_YUAN, np.abs(estimate - actual) / actual, np.nan)
    row = joined["plan_row"]

    def planned(column: str) -> pd.Categorical:
        return take_labels(plan[column], row)

    return pd.DataFrame(
        {
            "holdout_year": joined["holdout_year"],
            "design": planned("design"),
            "kind": planned("kind"),
            "province_code": joined["province_code"],
            "component": take_labels(components, joined["component"]),
            "method": take_labels(methods, joined["method"]),
            "convention": take_labels(conventions, convention),
            "estimate": estimate,
            "actual": actual,
            "ape": ape,
            "estimate_coefficient": joined["estimate_coefficient"],
            "actual_coefficient": joined["actual_coefficient"],
            "benchmarks_used": planned("benchmarks_used"),
            "design_label": planned("design_label"),
            "distance_years": plan["distance_years"].to_numpy()[row],
        },
        copy=False,  # every array is made here
    )


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
    return statistics_frame(statistics_blocks(designs_, methods, convention))


StatisticsBlock = tuple[np.ndarray, tuple[str, str, str, str]]  # statistics rows and their POOL_KEYS


def statistics_blocks(
    designs_: list[tuple[str, int, Prepared]], methods: list[str], convention: str
) -> list[StatisticsBlock]:
    """List the statistics rows of every design label, method with ``statistics`` and component.

    Parameters
    ----------
    designs_, methods, convention
        As for :func:`statistics_table`.

    Returns
    -------
    list of (ndarray, tuple)
        Each block's rows and its ``POOL_KEYS``; :func:`statistics_frame` of blocks (of one call or
        several) lays them out.
    """
    blocks = []
    for label, _, prepared in designs_:
        for name in methods:
            spec = method(name)
            if spec.statistics is None:
                continue
            for component, rows in block_statistics(spec, prepared).items():
                blocks.append((rows, (convention, label, name, component)))
    return blocks


def statistics_frame(blocks: list[StatisticsBlock]) -> pd.DataFrame:
    """Lay out statistics blocks as one table, not a frame per block concatenated (the same table).

    Parameters
    ----------
    blocks
        From :func:`statistics_blocks` (one call or several, concatenated).

    Returns
    -------
    DataFrame
        ``s0``, ``s1``, ... and ``POOL_KEYS``: one row per row of the statistics, block by block.
    """
    if not blocks:
        return pd.DataFrame(columns=POOL_KEYS)

    def frame(rows: np.ndarray, copy: bool | None = None) -> pd.DataFrame:
        return pd.DataFrame(rows, columns=[f"s{i}" for i in range(rows.shape[1])], copy=copy)

    if len({(rows.shape[1], rows.dtype) for rows, _ in blocks}) > 1:  # the columns and types a concatenation gives
        frames = [frame(rows).assign(**dict(zip(POOL_KEYS, keys, strict=True))) for rows, keys in blocks]
        return pd.concat(frames, ignore_index=True)
    which = np.repeat(np.arange(len(blocks)), [len(rows) for rows, _ in blocks])
    keys = {k: pd.Index([key[i] for _, key in blocks]).take(which) for i, k in enumerate(POOL_KEYS)}
    return frame(np.concatenate([rows for rows, _ in blocks]), copy=False).assign(**keys)  # stacked here: no copy


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
    columns = [c for c in statistics.columns if c not in POOL_KEYS]
    columns = sorted(columns, key=lambda c: int(c[1:]))
    # the groups of groupby(POOL_KEYS, sort=True), from one stable sort on the keys' sorted codes
    coded = [pd.factorize(statistics[k], sort=True) for k in POOL_KEYS]
    index = np.flatnonzero(np.logical_and.reduce([codes >= 0 for codes, _ in coded]))  # groupby drops NaN keys
    index = index[np.lexsort([codes[index] for codes, _ in reversed(coded)])]
    keys = np.column_stack([codes[index] for codes, _ in coded])
    bounds = np.flatnonzero(np.r_[True, (keys[1:] != keys[:-1]).any(axis=1), True]) if len(index) else [0]
    values = statistics[columns].to_numpy(dtype=float)
    rows = []
    for a, b in pairwise(bounds):
        group = tuple(uniques[code] for (_, uniques), code in zip(coded, keys[a], strict=True))
        chosen = method(group[2]).choose(values[index[a:b]])
        rows += [dict(zip(POOL_KEYS, group, strict=True), parameter=k, value=float(v)) for k, v in chosen.items()]
    return pd.DataFrame(rows, columns=[*POOL_KEYS, "parameter", "value"])


def _pooled_of(pooled: pd.DataFrame, convention: str) -> dict[tuple, dict[str, float]]:
    """Label, method, component -> parameters, of one convention."""
    out: dict[tuple, dict[str, float]] = {}
    for row in pooled[pooled["convention"] == convention].itertuples(index=False):
        out.setdefault((row.design_label, row.method, row.component), {})[row.parameter] = row.value
    return out


def _benchmark_years(provincial: pd.DataFrame) -> dict[int, list[int]]:
    """Give each province's benchmark years, distinct and ascending, provinces ascending."""
    codes, years = provincial["province_code"].to_numpy(dtype=np.int64), provincial["year"].to_numpy(dtype=np.int64)
    if not len(codes):
        return {}
    order = np.lexsort((years, codes))
    codes, years = codes[order], years[order]
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
    return {int(c): sorted(set(y.tolist())) for c, y in zip(codes[starts], np.split(years, starts[1:]), strict=True)}


def _setup(benchmarks: pd.DataFrame, indicators: pd.DataFrame, methods: list[str], grid: list[int] | None):
    """Check the methods; the provincial benchmarks, the backtest years, the designs and the indicator matrix."""
    for name in methods:
        method(name)
    provincial = benchmarks[benchmarks["province_code"] != NATIONAL_CODE]
    years = np.asarray(_grid(provincial, indicators) if grid is None else grid)
    plan = designs(_benchmark_years(provincial))
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
    return statistics_frame(pool_statistics_blocks(benchmarks, indicators, methods, conventions, grid=grid))


def pool_statistics_blocks(
    benchmarks: pd.DataFrame,
    indicators: pd.DataFrame,
    methods: list[str],
    conventions: list[str],
    *,
    grid: list[int] | None = None,
) -> list[StatisticsBlock]:
    """List the blocks of :func:`pool_statistics` (:func:`statistics_blocks` of every convention), not laid out.

    Parameters
    ----------
    benchmarks, indicators, methods, conventions, grid
        As for :func:`pool_statistics`.

    Returns
    -------
    list of (ndarray, tuple)
        For :func:`statistics_frame`, alone or with other blocks.
    """
    provincial, years, plan, matrix = _setup(benchmarks, indicators, methods, grid)
    if plan.empty:
        return []
    blocks, labels = [], _labels(plan)
    for convention in conventions:
        coefficients = benchmark_coefficients(provincial, indicators, convention)
        prepared = _prepared_designs(coefficients, matrix, series_key(indicators), years, plan, labels)
        blocks += statistics_blocks(prepared, methods, convention)
    return blocks


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
    parts, labels = [], _labels(plan)
    components = pd.factorize(provincial["component"])[1]
    for convention in conventions:
        coefficients = benchmark_coefficients(provincial, indicators, convention)
        prepared = _prepared_designs(coefficients, matrix, series_key(indicators), years, plan, labels)
        if pooled is None:  # fitted per label over the provinces sharing it
            own = {
                (label, name, c): params
                for label, _, p in prepared
                for name in methods
                for c, params in fit_pools(method(name), p).items()
            }
        else:
            own = _pooled_of(pooled, convention)
        parts.append(_scored(prepared, coefficients, plan, labels, components, years, methods, own))
    results = _table(parts, plan, components, methods, conventions)
    return concat_tables([results, total_rows(results)]) if totals else results


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
    total = total.assign(
        component=repeat_label("total", len(total)),
        ape=ape.where(total["actual"] >= MIN_ACTUAL_100M_YUAN),
    )
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
