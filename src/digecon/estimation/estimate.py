"""The estimator: benchmark components, coefficients, annual paths, values (METHOD.md sections 1 and 3).

For component k, province p and year t:  V[k,p,t] = c[k,p,t] * X[k,p,t], X the yearbook indicator.
Benchmark coefficients follow one of two conventions:

* ``share`` (default): c = V / A, the component's share of the same aggregate in the IO table;
  levels then follow the yearbook's (revised) vintage.
* ``benchmark``: c = V / X in the benchmark year; reproduces the IO values exactly.

Which aggregate A is "the same" depends on the indicator chain's leading indicator
(:data:`IO_AGGREGATES` in :mod:`digecon.estimation.chains`): 工业增加值 <-> industry, 其他行业增加值 <->
other services, and so on. An indicator of the component itself (C39 revenue, software revenue, a
wage bill) has no such aggregate in the table, so its coefficient is c = V / X under both
conventions; the column ``coefficient_basis`` says which (``share`` or ``indicator``). Such a
ratio is not a share: the methods' bound of [0, 1] becomes [0, max(1, 2 max c_b)].

The path of c between and beyond benchmarks comes from a registered method
(:mod:`digecon.estimation.methods`); this module never names one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import numpy as np
import pandas as pd

from digecon.core.provinces import NATIONAL_CODE, province_table
from digecon.estimation import methods as registry
from digecon.estimation.indicators import series_key
from digecon.estimation.joins import concat_tables, left_join, repeat_label, take_labels
from digecon.estimation.methods import FLAGS, Method, MethodPath, SeriesInput, flags, pin_benchmarks

CONVENTIONS = ("share", "benchmark")
# IO aggregate -> the concordance flags whose sectors it sums (None: every sector, the table's GDP)
IO_AGGREGATE_FLAGS: dict[str, tuple[str, ...] | None] = {
    "industry": ("industry",),
    "secondary": ("industry", "construction"),
    "tertiary": ("tertiary",),
    "other_services": ("other_services",),
    "all": None,
}


@dataclass(frozen=True)
class Component:
    """One digital-economy component: where it lives in the IO table and which indicator carries it."""

    key: str
    sector: str  # sector_key in the IO table
    ratio: str | None  # split ratio applied to the sector's VA
    complement: bool  # use 1 - ratio
    aggregate: str  # IO aggregate and indicator chain
    category: str


COMPONENTS = (
    Component("electronics", "electronics", None, False, "industry", "production"),
    Component("it_services", "information", "s_I63", True, "other_services", "production"),
    Component("telecom", "information", "s_I63", False, "other_services", "circulation"),
    Component("media", "culture", "r_media", False, "other_services", "circulation"),
)
BENCHMARK_COLUMNS = [
    "province_code",
    "year",
    "component",
    "category",
    "aggregate",
    "sector_va_100m_yuan",
    "ratio",
    "ratio_value",
    "ratio_source",
    "benchmark_value_100m_yuan",
    "aggregate_va_100m_yuan",
    "benchmark_file",
]


def _aggregate_va(io_tables: pd.DataFrame, name: str) -> pd.Series:
    """VA of one IO aggregate (``IO_AGGREGATE_FLAGS``) per province and year, 亿元."""
    flags_of = IO_AGGREGATE_FLAGS[name]
    va = io_tables[["province_code", "year", "value_added"]]  # only these: the string columns are not copied
    inside = va if flags_of is None else va[(io_tables[list(flags_of)] == 1).any(axis=1)]
    return inside.groupby(["province_code", "year"])["value_added"].sum() / 1e4


def io_aggregates(io_tables: pd.DataFrame) -> pd.DataFrame:
    """VA of every IO aggregate of ``IO_AGGREGATE_FLAGS`` per province and year (the A of c = V / A).

    Parameters
    ----------
    io_tables
        The tidy IO tables, 万元, with the concordance's aggregate flags.

    Returns
    -------
    DataFrame
        ``province_code``, ``year``, ``io_aggregate``, ``aggregate_va_100m_yuan`` (亿元); aggregates whose
        flag columns the tables lack are left out.
    """
    frames = [
        _aggregate_va(io_tables, name).rename("aggregate_va_100m_yuan").reset_index().assign(io_aggregate=name)
        for name, flags_of in IO_AGGREGATE_FLAGS.items()
        if flags_of is None or set(flags_of) <= set(io_tables.columns)
    ]
    return pd.concat(frames, ignore_index=True)[["province_code", "year", "io_aggregate", "aggregate_va_100m_yuan"]]


def benchmark_components(io_tables: pd.DataFrame, ratios: pd.DataFrame) -> pd.DataFrame:
    """Component values and aggregates in each benchmark table (亿元).

    Parameters
    ----------
    io_tables
        The tidy IO tables (``data/processed/io_tables.csv``), 万元.
    ratios
        From :func:`digecon.inputs.ratios.benchmark_ratios`: ``io_year``, ``province_code``, ``ratio``,
        ``value``, ``ratio_source``.

    Returns
    -------
    DataFrame
        ``BENCHMARK_COLUMNS``, one row per table x component.
    """
    sector_va = (
        io_tables.pivot_table(
            index=["province_code", "year"], columns="sector_key", values="value_added", aggfunc="sum"
        )
        / 1e4
    )
    tables = sector_va.index
    codes, years = tables.get_level_values("province_code"), tables.get_level_values("year")
    aggregates = {name: _aggregate_va(io_tables, name) for name in {c.aggregate for c in COMPONENTS}}
    files = (
        io_tables[["province_code", "year", "source_file"]].groupby(["province_code", "year"])["source_file"].first()
    )
    files = files.map(lambda f: Path(f).name)
    ratio_lookup = ratios.set_index(["io_year", "province_code", "ratio"])
    frames = []
    for c in COMPONENTS:
        va = sector_va[c.sector].to_numpy()
        value, ratio_value, ratio_source = va, np.full(len(va), np.nan), np.full(len(va), "", dtype=object)
        if c.ratio is not None:
            keys = pd.MultiIndex.from_arrays([years, codes, np.full(len(va), c.ratio)])
            found = ratio_lookup.reindex(keys)
            if found["value"].isna().any():
                missing = keys[found["value"].isna().to_numpy()][0]
                raise KeyError(f"no ratio {missing[2]} for province {missing[1]} in {missing[0]}")
            raw = found["value"].to_numpy(dtype=float)
            ratio_value = (1.0 - raw) if c.complement else raw
            value = va * ratio_value
            ratio_source = found["ratio_source"].astype(str).to_numpy(dtype=object)
        frames.append(
            pd.DataFrame(
                {
                    "province_code": codes.astype(int),
                    "year": years.astype(int),
                    "component": np.full(len(va), c.key, dtype=object),
                    "category": np.full(len(va), c.category, dtype=object),
                    "aggregate": np.full(len(va), c.aggregate, dtype=object),
                    "sector_va_100m_yuan": va,
                    "ratio": np.full(
                        len(va), ("1 - " if c.complement else "") + c.ratio if c.ratio else "", dtype=object
                    ),
                    "ratio_value": ratio_value,
                    "ratio_source": ratio_source,
                    "benchmark_value_100m_yuan": value,
                    "aggregate_va_100m_yuan": aggregates[c.aggregate].reindex(tables).to_numpy(),
                    "benchmark_file": files.reindex(tables).to_numpy(dtype=object),
                }
            )
        )
    # one row per table x component: table after table, the components in COMPONENTS order
    order = np.argsort(np.tile(np.arange(len(tables)), len(COMPONENTS)), kind="stable")
    return pd.concat(frames, ignore_index=True).iloc[order].reset_index(drop=True)[BENCHMARK_COLUMNS]


def _ratio_label(c: Component) -> str:
    """Name the split ratio a component's value is the sector's VA times (``1 - s_I63``, ``r_media``, empty)."""
    return ("1 - " if c.complement else "") + c.ratio if c.ratio else ""


def _check_convention(convention: str) -> None:
    """Refuse a convention that is not one of ``CONVENTIONS``."""
    if convention not in CONVENTIONS:
        raise ValueError(f"unknown convention {convention!r}; expected one of {', '.join(CONVENTIONS)}")


def benchmark_coefficients(benchmarks: pd.DataFrame, indicators: pd.DataFrame, convention: str) -> pd.DataFrame:
    """Benchmark coefficients under one convention (METHOD.md section 3).

    Parameters
    ----------
    benchmarks
        From :func:`benchmark_components`.
    indicators
        From :func:`digecon.estimation.indicators.indicator_series` (one series per aggregate, joined
        on the benchmarks' ``aggregate``) or :func:`digecon.estimation.chains.chain_series` (one per
        component, with ``coefficient_basis``).
    convention
        ``share`` (c = V / A, the IO aggregate) or ``benchmark`` (c = V / X, the yearbook indicator).
        Rows whose ``coefficient_basis`` is ``indicator`` (a component-level indicator, no A in the
        table) have c = V / X under both.

    Returns
    -------
    DataFrame
        ``benchmarks`` plus ``indicator_100m_yuan`` (X in the benchmark year, 亿元), ``coefficient``,
        ``coefficient_basis`` and ``convention``.

    Raises
    ------
    ValueError
        For an unknown convention.
    """
    _check_convention(convention)
    key = series_key(indicators)
    merged = left_join(
        benchmarks.drop(columns="coefficient_basis", errors="ignore"),
        indicators[[key, "province_code", "year", "indicator_100m_yuan"]],
        [key, "province_code", "year"],
    )
    basis = _basis(benchmarks, merged)
    share = (basis == "share") if convention == "share" else np.zeros(len(merged), dtype=bool)
    denominator = np.where(share, merged["aggregate_va_100m_yuan"], merged["indicator_100m_yuan"])
    return merged.assign(
        coefficient=merged["benchmark_value_100m_yuan"] / denominator, coefficient_basis=basis, convention=convention
    )


def _basis(benchmarks: pd.DataFrame, merged: pd.DataFrame) -> np.ndarray:
    """Each benchmark row's coefficient basis: from the chain (``share`` / ``indicator``), else ``share``."""
    if "coefficient_basis" not in benchmarks:
        return np.full(len(merged), "share", dtype=object)
    return benchmarks["coefficient_basis"].fillna("share").to_numpy(dtype=object)


@dataclass(frozen=True)
class Block:
    """Series of one component that share their benchmark years: what a method's ``paths`` sees at once.

    ``rows`` are the series' positions in :class:`Prepared` ``series``. The inputs are scaled:
    ``scale`` divides the coefficients and multiplies X (1 for a share; for a ratio to a
    component-level indicator, ``max(1, 2 max c_b)``, so that the methods' bound of 1 becomes
    twice the largest benchmark ratio).
    """

    component: str
    benchmark_years: np.ndarray  # (benchmarks,)
    rows: np.ndarray  # (series,)
    coefficients: np.ndarray  # (series, benchmarks), as given
    scale: np.ndarray  # (series,)
    indicator: np.ndarray  # (series, years), X as given, 亿元

    def scaled(self, years: np.ndarray) -> SeriesInput:
        """Give the block as the method sees it: coefficients / scale and X x scale (V unchanged)."""
        scale = self.scale[:, None]
        return SeriesInput(self.benchmark_years, self.coefficients / scale, self.indicator * scale, years)


@dataclass(frozen=True)
class Prepared:
    """Every series of one coefficient table, in output order, grouped into blocks."""

    series: pd.DataFrame  # province_code, component, benchmark_years (comma-joined), one row per series
    blocks: list[Block]
    years: np.ndarray


def indicator_matrix(indicators: pd.DataFrame, grid: np.ndarray) -> pd.DataFrame:
    """X over ``grid``, one row per (series key, province): the indicators as one wide table, built once.

    Parameters
    ----------
    indicators
        From :func:`digecon.estimation.indicators.indicator_series` or
        :func:`digecon.estimation.chains.chain_series`.
    grid
        The years, ascending.

    Returns
    -------
    DataFrame
        Indexed by (key, ``province_code``), one column per year (NaN where missing), 亿元.
    """
    # one value per key x province x year (indicator_series), so a plain unstack is enough
    key = series_key(indicators)
    inside = indicators.loc[indicators["year"].isin(grid), [key, "province_code", "year", "indicator_100m_yuan"]]
    wide = inside.set_index([key, "province_code", "year"])["indicator_100m_yuan"].unstack("year")
    return wide.reindex(columns=grid).astype(float)


def prepare(coefficients: pd.DataFrame, matrix: pd.DataFrame, key: str, years: np.ndarray) -> Prepared:
    """Split a coefficient table into ascending benchmark series per province x component, in blocks.

    Parameters
    ----------
    coefficients
        From :func:`benchmark_coefficients` (rows of the benchmarks to use).
    matrix
        From :func:`indicator_matrix` over ``years``.
    key
        The series key of the indicators (:func:`~digecon.estimation.indicators.series_key`).
    years
        The years to estimate, ascending.

    Returns
    -------
    Prepared
        Series sorted by province and component; blocks by component and benchmark years.

    Raises
    ------
    KeyError
        For a series without an indicator.
    """
    if not len(coefficients):
        return Prepared(pd.DataFrame(columns=["province_code", "component", "benchmark_years"]), [], years)
    # sorted by province, component and year on integer keys; only the columns used are taken
    component_all, component_codes = pd.factorize(coefficients["component"], sort=True)  # as sort_values orders
    province_all = coefficients["province_code"].to_numpy()
    ordered = np.lexsort((coefficients["year"].to_numpy(), component_all, province_all))
    codes, component_of_row = province_all[ordered], component_all[ordered]
    benchmark_years = coefficients["year"].to_numpy()[ordered]
    coefficient = coefficients["coefficient"].to_numpy(dtype=float)[ordered]
    with_basis = "coefficient_basis" in coefficients
    basis = (coefficients["coefficient_basis"] == "indicator").to_numpy()[ordered] if with_basis else None
    new = np.r_[True, (codes[1:] != codes[:-1]) | (component_of_row[1:] != component_of_row[:-1])]
    starts = np.flatnonzero(new)
    counts = np.diff(np.r_[starts, len(ordered)])
    series_of_row = np.cumsum(new) - 1
    padded = np.full((len(starts), counts.max()), -1, dtype=np.int64)
    padded[series_of_row, np.arange(len(ordered)) - starts[series_of_row]] = benchmark_years
    # a ratio to a component-level indicator is not a share (module docstring): scale it into [0, 1]
    peak = np.fmax.reduceat(coefficient, starts)
    indicator_basis = np.zeros(len(starts), dtype=bool) if basis is None else basis[starts]
    scale = np.where(indicator_basis, np.fmax(1.0, 2.0 * peak), 1.0)
    keys = coefficients[key].take(ordered[starts]).to_numpy()
    position = matrix.index.get_indexer(pd.MultiIndex.from_arrays([keys, codes[starts]]))
    if (position < 0).any():
        first = int(np.flatnonzero(position < 0)[0])
        raise KeyError(f"no indicator {keys[first]!r} for province {codes[starts[first]]}")
    x = matrix.to_numpy()
    component_of = component_of_row[starts]
    patterns, block_of = _unique_rows(np.column_stack([component_of, padded]))
    order = np.argsort(block_of, kind="stable")
    bounds = np.flatnonzero(np.r_[True, np.diff(block_of[order]) != 0, True])
    blocks, labels = [], np.empty(len(patterns), dtype=object)
    for a, b in pairwise(bounds):
        rows = order[a:b]
        pattern = patterns[block_of[rows[0]]]
        m = int((pattern[1:] >= 0).sum())
        labels[block_of[rows[0]]] = ",".join(map(str, pattern[1 : 1 + m]))
        blocks.append(
            Block(
                str(component_codes[pattern[0]]),
                pattern[1 : 1 + m],
                rows,
                coefficient[starts[rows][:, None] + np.arange(m)],
                scale[rows],
                x[position[rows]],
            )
        )
    series = pd.DataFrame(
        {
            "province_code": codes[starts],
            "component": pd.Index(component_codes, dtype="str").take(component_of),
            "benchmark_years": pd.Index(labels, dtype="str").take(block_of),
        }
    )
    return Prepared(series, blocks, years)


def _unique_rows(table: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(table, axis=0, return_inverse=True)`` by one lexsort of the columns (much faster on ints)."""
    order = np.lexsort(table.T[::-1])
    ranked = table[order]
    new = np.r_[True, (ranked[1:] != ranked[:-1]).any(axis=1)]
    inverse = np.empty(len(table), dtype=np.intp)
    inverse[order] = np.cumsum(new) - 1
    return ranked[new], inverse


def fit_pools(spec: Method, prepared: Prepared) -> dict[str, dict[str, float]]:
    """Fit the method's pooled parameters per component over every series given (empty where it pools nothing).

    Parameters
    ----------
    spec
        The method.
    prepared
        From :func:`prepare`.

    Returns
    -------
    dict
        Component -> keyword arguments of the method's path.
    """
    components = sorted({b.component for b in prepared.blocks})
    if spec.pool is None:
        return {c: {} for c in components}
    if spec.statistics is not None and spec.choose is not None:
        rows = pool_statistics(spec, prepared)
        return {c: spec.choose(rows[c]) for c in components}
    return {c: spec.pool(_series_of(prepared, c)) for c in components}


def pool_statistics(spec: Method, prepared: Prepared) -> dict[str, np.ndarray]:
    """Give the method's pooling statistics (``spec.statistics``) of every block, stacked per component.

    Parameters
    ----------
    spec
        A method with ``statistics``.
    prepared
        From :func:`prepare`.

    Returns
    -------
    dict
        Component -> rows (``spec.choose`` of them is the pooled parameters).
    """
    rows: dict[str, list[np.ndarray]] = {}
    for b in prepared.blocks:
        rows.setdefault(b.component, []).append(spec.statistics(b.scaled(prepared.years)))
    return {c: np.concatenate(r) for c, r in rows.items()}


def _series_of(prepared: Prepared, component: str) -> list[SeriesInput]:
    """List the scaled series of one component, one by one in output order (for a method without ``statistics``)."""
    found = []
    for b in prepared.blocks:
        if b.component == component:
            given = b.scaled(prepared.years)
            found += [
                (row, SeriesInput(b.benchmark_years, given.coefficients[i], given.indicator[i], given.years))
                for i, row in enumerate(b.rows)
            ]
    return [series for _, series in sorted(found, key=lambda pair: pair[0])]


@dataclass(frozen=True)
class Paths:
    """A method's result for every series of a :class:`Prepared`, one row per series, one column per year."""

    coefficient: np.ndarray
    value_100m_yuan: np.ndarray
    se_100m_yuan: np.ndarray
    rho: np.ndarray  # one per series


def _block_path(spec: Method, given: SeriesInput, pooled: Mapping[str, float]) -> MethodPath:
    """Run the method on a block: its ``paths``, or its ``path`` series by series."""
    if spec.paths is not None:
        return spec.paths(given.benchmark_years, given.coefficients, given.indicator, given.years, **pooled)
    results = [
        spec.path(given.benchmark_years, c, x, given.years, **pooled)
        for c, x in zip(given.coefficients, given.indicator, strict=True)
    ]
    se = [np.full(len(given.years), np.nan) if r.se_100m_yuan is None else r.se_100m_yuan for r in results]
    rho = [r.parameters.get("rho", np.nan) for r in results]
    return MethodPath(np.array([r.coefficient for r in results]), np.array(se), {"rho": np.array(rho)})


def run_paths(spec: Method, prepared: Prepared, pooled: Mapping[str, Mapping[str, float]]) -> Paths:
    """Run the method on every block with the pooled parameters of its component.

    Parameters
    ----------
    spec
        The method.
    prepared
        From :func:`prepare`.
    pooled
        Component -> parameters (:func:`fit_pools`).

    Returns
    -------
    Paths
        Coefficient (pinned to the benchmarks again where a scale was undone), value V = c X (亿元),
        standard error (NaN where the method has none) and rho (NaN where not fitted).
    """
    n, t = len(prepared.series), len(prepared.years)
    coefficient, value, se = np.empty((n, t)), np.empty((n, t)), np.full((n, t), np.nan)
    rho = np.full(n, np.nan)
    for b in prepared.blocks:
        given = b.scaled(prepared.years)
        result = _block_path(spec, given, pooled.get(b.component, {}))
        scaled = b.scale[:, None] != 1.0
        # undo the scale: the coefficient times it, pinned to the benchmarks again; X x scale / scale
        unscaled = pin_benchmarks(result.coefficient * b.scale[:, None], b.benchmark_years, b.coefficients, given.years)
        c = np.where(scaled, unscaled, result.coefficient)
        x = np.where(scaled, given.indicator / b.scale[:, None], b.indicator)
        coefficient[b.rows], value[b.rows] = c, c * x
        if result.se_100m_yuan is not None:
            se[b.rows] = result.se_100m_yuan
        if "rho" in result.parameters:
            rho[b.rows] = result.parameters["rho"]
    return Paths(coefficient, value, se, rho)


PATH_COLUMNS = [
    "province_code",
    "component",
    "year",
    "coefficient",
    "value_100m_yuan",
    "se_100m_yuan",
    "flag",
    "distance_years",
    "nearest_benchmark",
    "benchmark_years",
    "rho",
]


def path_table(prepared: Prepared, paths: Paths, method: str) -> pd.DataFrame:
    """Lay out :class:`Paths` as the long table of :func:`annual_paths`: a row per series x year, in output order.

    Parameters
    ----------
    prepared
        From :func:`prepare`.
    paths
        From :func:`run_paths` on it.
    method
        The method's name.

    Returns
    -------
    DataFrame
        ``PATH_COLUMNS`` and ``method``.
    """
    n, grid = len(prepared.series), prepared.years
    t = len(grid)
    names = pd.Index(FLAGS)
    flag = np.empty((n, t), dtype=np.int8)  # position in FLAGS
    distance, nearest = np.empty((n, t), dtype=np.int64), np.empty((n, t), dtype=np.int64)
    for b in prepared.blocks:
        f, d, near = flags(b.benchmark_years, grid)
        flag[b.rows], distance[b.rows], nearest[b.rows] = names.get_indexer(f), d, near
    series = prepared.series
    codes = series["province_code"].to_numpy()
    rank = pd.Index([c.key for c in COMPONENTS]).get_indexer(series["component"])
    # rows in output order (province, year, component in COMPONENTS order), so that the big
    # columns below are built once in their final order and never permuted again
    series_of, year_of = np.repeat(np.arange(n), t), np.tile(np.arange(t), n)
    order = np.lexsort((rank[series_of], year_of, codes[series_of]))
    row, at = series_of[order], year_of[order]
    cell = row * t + at
    return pd.DataFrame(
        {
            "province_code": codes[row],
            "component": take_labels(series["component"], row),
            "year": grid[at],
            "coefficient": paths.coefficient.ravel()[cell],
            "value_100m_yuan": paths.value_100m_yuan.ravel()[cell],
            "se_100m_yuan": paths.se_100m_yuan.ravel()[cell],
            "flag": take_labels(FLAGS, flag.ravel()[cell]),
            "distance_years": distance.ravel()[cell],
            "nearest_benchmark": nearest.ravel()[cell],
            "benchmark_years": take_labels(series["benchmark_years"], row),
            "rho": paths.rho[row],
            "method": repeat_label(method, len(row)),
        }
    )


def annual_paths(
    coefficients: pd.DataFrame,
    indicators: pd.DataFrame,
    years: list[int],
    method: str,
    pooled: Mapping[str, Mapping[str, float]] | None = None,
) -> pd.DataFrame:
    """Annual coefficient path, value and flags of every province x component under one method.

    The method's ``pool`` (if any) is fitted once per component over every series given, then
    its ``path`` runs per series (see :mod:`digecon.estimation.methods`), or its ``paths`` per
    block of series sharing their benchmark years.

    Parameters
    ----------
    coefficients
        From :func:`benchmark_coefficients` (one convention), restricted to the benchmarks to use;
        every benchmark year must be in ``years``.
    indicators
        From :func:`digecon.estimation.indicators.indicator_series`, covering ``years``.
    years
        Years to estimate, ascending.
    method
        A key of :data:`digecon.estimation.methods.METHODS`.
    pooled
        Component -> pooled parameters, fitted elsewhere (over more regions than these, e.g. in
        chunks); None fits them here over the series given.

    Returns
    -------
    DataFrame
        ``PATH_COLUMNS`` and ``method``: ``coefficient``, ``value_100m_yuan`` (亿元),
        ``se_100m_yuan`` (where the method gives one), ``flag``, ``distance_years``,
        ``nearest_benchmark``, ``benchmark_years`` (comma-joined), ``rho`` (where fitted).

    Raises
    ------
    ValueError
        For an unknown method (from :func:`digecon.estimation.methods.method`).
    """
    spec = registry.method(method)
    grid = np.asarray(years)
    prepared = prepare(coefficients, indicator_matrix(indicators, grid), series_key(indicators), grid)
    if prepared.series.empty:
        return pd.DataFrame(columns=[*PATH_COLUMNS, "method"])
    paths = run_paths(spec, prepared, fit_pools(spec, prepared) if pooled is None else pooled)
    return path_table(prepared, paths, method)


def estimate_all(
    benchmarks: pd.DataFrame,
    indicators: pd.DataFrame,
    years: list[int],
    methods: list[str],
    conventions: list[str],
    pooled: Mapping[tuple[str, str], Mapping[str, Mapping[str, float]]] | None = None,
) -> pd.DataFrame:
    """Every method x convention for every provincial series (no bounds yet; see :mod:`digecon.estimation.bands`).

    Parameters
    ----------
    benchmarks
        From :func:`benchmark_components`; the national rows are left out.
    indicators
        From :func:`digecon.estimation.indicators.indicator_series`, covering ``years``.
    years
        Years to estimate, ascending; every benchmark year among them.
    methods
        Keys of :data:`digecon.estimation.methods.METHODS`.
    conventions
        A subset of ``CONVENTIONS``.
    pooled
        (convention, method) -> component -> pooled parameters fitted elsewhere (over every
        region, when these are a chunk of them); None fits them over the series given.

    Returns
    -------
    DataFrame
        :func:`annual_paths` for every method and convention, with a ``convention`` column; rows in
        the order of :func:`output_order`.

    Raises
    ------
    ValueError
        For an unknown method or convention (before anything is computed).
    """
    for name in methods:
        registry.method(name)
    for convention in conventions:
        _check_convention(convention)
    provincial = benchmarks[benchmarks["province_code"] != NATIONAL_CODE]
    grid = np.asarray(years)
    matrix, key = indicator_matrix(indicators, grid), series_key(indicators)
    frames = []
    # conventions and methods by name: with path_table's order, the rows come in output order
    for convention in sorted(conventions):
        prepared = prepare(benchmark_coefficients(provincial, indicators, convention), matrix, key, grid)
        for method in sorted(methods):
            spec = registry.method(method)
            if prepared.series.empty:
                frames.append(pd.DataFrame(columns=[*PATH_COLUMNS, "method"]).assign(convention=convention))
                continue
            own = fit_pools(spec, prepared) if pooled is None else pooled.get((convention, method), {})
            table = path_table(prepared, run_paths(spec, prepared, own), method)
            frames.append(table.assign(convention=repeat_label(convention, len(table))))
    return concat_tables(frames)


OUTPUT_COLUMNS = [
    "province_code",
    "province",
    "province_en",
    "year",
    "component",
    "category",
    "method",
    "convention",
    "value_100m_yuan",
    "coefficient",
    "indicator",
    "flag",
    "lower_100m_yuan",
    "upper_100m_yuan",
    "se_100m_yuan",
    "band_relative",
    "distance_years",
    "indicator_value_100m_yuan",
    "indicator_source",
    "indicator_spliced",
    "aggregate",
    "benchmark_years",
    "nearest_benchmark",
    "benchmark_file",
    "ratio",
    "ratio_value",
    "ratio_source",
    "rho",
    "chain",
    "coefficient_basis",
]


def describe(estimates: pd.DataFrame, benchmarks: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """Join names, categories, indicator and ratio provenance onto the estimates (the output layout).

    Ratio and file describe the benchmark nearest to each year, the one its coefficient leans on most.

    Parameters
    ----------
    estimates
        :func:`estimate_all` with bounds (:func:`digecon.estimation.bands.apply_bounds`).
    benchmarks
        From :func:`benchmark_components`.
    indicators
        From :func:`digecon.estimation.indicators.indicator_series` or
        :func:`digecon.estimation.chains.chain_series` (which adds ``chain``, the candidate's name, and
        ``coefficient_basis``), covering the estimated years.

    Returns
    -------
    DataFrame
        ``OUTPUT_COLUMNS``, sorted by convention, method, province, year and component (in ``COMPONENTS`` order);
        ``chain`` and ``coefficient_basis`` are empty for indicators keyed by aggregate.
    """
    names = province_table()[["province_code", "province", "province_en"]]
    info = benchmarks[
        [
            "province_code",
            "year",
            "component",
            "category",
            "aggregate",
            "ratio",
            "ratio_value",
            "ratio_source",
            "benchmark_file",
        ]
    ].rename(columns={"year": "nearest_benchmark"})
    # left joins by row positions: the merges' factorizing of the big table's string keys was most of the time
    out = left_join(
        left_join(estimates, names, ["province_code"], labels=True),
        info,
        ["province_code", "component", "nearest_benchmark"],
        labels=True,
    )
    key = series_key(indicators)
    wanted = indicators.rename(
        columns={"indicator_100m_yuan": "indicator_value_100m_yuan", "spliced": "indicator_spliced"}
    ).drop(columns="aggregate" if key != "aggregate" else [], errors="ignore")
    on = [key, "province_code", "year"]
    out = left_join(
        out, wanted[on + [c for c in wanted.columns if c in OUTPUT_COLUMNS and c not in on]], on, labels=True
    )
    return output_order(out).reindex(columns=OUTPUT_COLUMNS)


def output_order(values: pd.DataFrame) -> pd.DataFrame:
    """Sort the values by convention, method, province, year and component (in ``COMPONENTS`` order).

    Parameters
    ----------
    values
        Any table with those columns.

    Returns
    -------
    DataFrame
        Sorted, with a fresh index.
    """
    return rows_in_order(values, output_permutation(values))


def rows_in_order(frame: pd.DataFrame, order: np.ndarray) -> pd.DataFrame:
    """Put the rows in ``order`` (a permutation), with a fresh index; no copy where they already are in it."""
    if (np.diff(order) > 0).all():  # e.g. estimate_all's rows, already in output order
        return frame.reset_index(drop=True)
    return frame.take(order).reset_index(drop=True)


def output_permutation(values: pd.DataFrame) -> np.ndarray:
    """Give the order of :func:`output_order` as a permutation of the rows (one stable lexsort of integer keys)."""
    # integer keys sorted with one stable lexsort: the order of sort_values on the columns, much faster
    component_of, components = pd.factorize(values["component"])
    keys = [
        pd.factorize(values["convention"], sort=True)[0],
        pd.factorize(values["method"], sort=True)[0],
        values["province_code"].to_numpy(dtype=np.int64),
        values["year"].to_numpy(dtype=np.int64),
        pd.Index([c.key for c in COMPONENTS]).get_indexer(components)[component_of],
    ]
    return np.arange(len(values)) if _ascending(keys) else np.lexsort(keys[::-1])


def _ascending(keys: list[np.ndarray]) -> bool:
    """Whether the rows are already in the order of ``keys`` (major first): then no sort is needed."""
    decided = np.zeros(max(len(keys[0]) - 1, 0), dtype=bool)  # the rows ordered by an earlier key
    for key in keys:
        step = np.diff(key)
        if (~decided & (step < 0)).any():
            return False
        decided |= step > 0
    return True
