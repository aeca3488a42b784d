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

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from digecon.core.provinces import NATIONAL_CODE, province_table
from digecon.estimation import methods as registry
from digecon.estimation.indicators import series_key
from digecon.estimation.methods import Method, MethodPath, SeriesInput, flags, pin_benchmarks

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
    inside = io_tables if flags_of is None else io_tables[(io_tables[list(flags_of)] == 1).any(axis=1)]
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
    aggregates = {name: _aggregate_va(io_tables, name) for name in {c.aggregate for c in COMPONENTS}}
    files = io_tables.groupby(["province_code", "year"])["source_file"].first().map(lambda f: Path(f).name)
    ratio_lookup = ratios.set_index(["io_year", "province_code", "ratio"])
    rows = []
    for (code, year), va in sector_va.iterrows():
        for c in COMPONENTS:
            value = va[c.sector]
            ratio_value, ratio_source = np.nan, ""
            if c.ratio is not None:
                ratio_value = float(ratio_lookup.at[(year, code, c.ratio), "value"])
                ratio_source = str(ratio_lookup.at[(year, code, c.ratio), "ratio_source"])
                value *= (1.0 - ratio_value) if c.complement else ratio_value
            rows.append(
                {
                    "province_code": int(code),
                    "year": int(year),
                    "component": c.key,
                    "category": c.category,
                    "aggregate": c.aggregate,
                    "sector_va_100m_yuan": va[c.sector],
                    "ratio": ("1 - " if c.complement else "") + c.ratio if c.ratio else "",
                    "ratio_value": (1.0 - ratio_value) if c.complement else ratio_value,
                    "ratio_source": ratio_source,
                    "benchmark_value_100m_yuan": value,
                    "aggregate_va_100m_yuan": aggregates[c.aggregate][(code, year)],
                    "benchmark_file": files[(code, year)],
                }
            )
    return pd.DataFrame.from_records(rows, columns=BENCHMARK_COLUMNS)


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
    merged = benchmarks.drop(columns="coefficient_basis", errors="ignore").merge(
        indicators[[key, "province_code", "year", "indicator_100m_yuan"]],
        on=[key, "province_code", "year"],
        how="left",
        validate="many_to_one",
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
class _Benchmarks:
    """One province x component: its benchmark years and coefficients (numpy, for speed).

    ``series`` is the indicator series it is carried by (its component, or its aggregate for
    indicators keyed by aggregate); ``scale`` divides the coefficients the method sees (1 for a
    share; for a ratio to a component-level indicator, ``max(1, 2 max c_b)``, so that the
    methods' bound of 1 becomes twice the largest benchmark ratio).
    """

    province_code: int
    component: str
    series: str
    years: np.ndarray
    coefficients: np.ndarray
    scale: float = 1.0


def _scale(coefficients: np.ndarray, basis: str) -> float:
    """Scale of a ratio that is not a share (``indicator`` basis), 1 for a share."""
    if basis != "indicator" or not len(coefficients):
        return 1.0
    return max(1.0, 2.0 * float(np.nanmax(coefficients)))


def _benchmark_series(coefficients: pd.DataFrame, key: str) -> list[_Benchmarks]:
    """Split the coefficient table into one ascending benchmark series per province x component."""
    ordered = coefficients.sort_values(["province_code", "component", "year"], ignore_index=True)
    codes, components = ordered["province_code"].to_numpy(), ordered["component"].to_numpy()
    series, years = ordered[key].to_numpy(), ordered["year"].to_numpy()
    coefficient = ordered["coefficient"].to_numpy()
    basis = ordered["coefficient_basis"].to_numpy() if "coefficient_basis" in ordered else np.full(len(ordered), "")
    starts = np.flatnonzero(np.r_[True, (codes[1:] != codes[:-1]) | (components[1:] != components[:-1])])
    ends = np.r_[starts[1:], len(ordered)]
    return [
        _Benchmarks(
            int(codes[a]),
            str(components[a]),
            str(series[a]),
            years[a:b],
            coefficient[a:b],
            _scale(coefficient[a:b], str(basis[a])),
        )
        for a, b in zip(starts, ends, strict=True)
    ]


def _indicator_arrays(indicators: pd.DataFrame, grid: np.ndarray) -> dict[tuple[str, int], np.ndarray]:
    """X over ``grid`` per (series key, province), as numpy rows."""
    # one value per key x province x year (indicator_series), so a plain unstack is enough
    key = series_key(indicators)
    inside = indicators[indicators["year"].isin(grid)]
    wide = inside.set_index([key, "province_code", "year"])["indicator_100m_yuan"].unstack("year").reindex(columns=grid)
    return {(str(a), int(c)): row for (a, c), row in zip(wide.index, wide.to_numpy(), strict=True)}


def _series_input(s: _Benchmarks, indicator: np.ndarray, grid: np.ndarray) -> SeriesInput:
    """Give what the method sees: coefficients / scale and X x scale (V unchanged); the plain series at scale 1."""
    if s.scale == 1.0:
        return SeriesInput(s.years, s.coefficients, indicator, grid)
    return SeriesInput(s.years, s.coefficients / s.scale, indicator * s.scale, grid)


def _unscaled(s: _Benchmarks, given: SeriesInput, result: MethodPath) -> tuple[SeriesInput, MethodPath]:
    """Undo :func:`_series_input`'s scale: the coefficient times the scale, pinned to the benchmarks again."""
    if s.scale == 1.0:
        return given, result
    plain = SeriesInput(s.years, s.coefficients, given.indicator / s.scale, given.years)
    coefficient = pin_benchmarks(result.coefficient * s.scale, s.years, s.coefficients, given.years)
    return plain, MethodPath(coefficient, result.se_100m_yuan, result.parameters)


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


def _pooled(spec: Method, inputs: list[tuple[_Benchmarks, SeriesInput]]) -> dict[str, dict[str, float]]:
    """Fit the method's pooled parameters per component (empty where it pools nothing)."""
    components = sorted({s.component for s, _ in inputs})
    if spec.pool is None:
        return {c: {} for c in components}
    return {c: spec.pool([i for s, i in inputs if s.component == c]) for c in components}


def _path_columns(s: _Benchmarks, given: SeriesInput, result: MethodPath) -> dict[str, np.ndarray]:
    """Lay out the output columns of one series under one method."""
    n = len(given.years)
    flag, distance, nearest = flags(s.years, given.years)
    return {
        "province_code": np.full(n, s.province_code),
        "component": np.full(n, s.component, dtype=object),
        "year": given.years,
        "coefficient": result.coefficient,
        "value_100m_yuan": result.coefficient * given.indicator,
        "se_100m_yuan": np.full(n, np.nan) if result.se_100m_yuan is None else result.se_100m_yuan,
        "flag": flag,
        "distance_years": distance,
        "nearest_benchmark": nearest,
        "benchmark_years": np.full(n, ",".join(map(str, s.years)), dtype=object),
        "rho": np.full(n, result.parameters.get("rho", np.nan)),
    }


def annual_paths(coefficients: pd.DataFrame, indicators: pd.DataFrame, years: list[int], method: str) -> pd.DataFrame:
    """Annual coefficient path, value and flags of every province x component under one method.

    The method's ``pool`` (if any) is fitted once per component over every series given, then
    its ``path`` runs per series (see :mod:`digecon.estimation.methods`).

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
    x_of = _indicator_arrays(indicators, grid)
    inputs = [
        (s, _series_input(s, x_of[(s.series, s.province_code)], grid))
        for s in _benchmark_series(coefficients, series_key(indicators))
    ]
    pooled = _pooled(spec, inputs)
    columns = [
        _path_columns(
            s,
            *_unscaled(s, i, spec.path(i.benchmark_years, i.coefficients, i.indicator, i.years, **pooled[s.component])),
        )
        for s, i in inputs
    ]
    if not columns:
        return pd.DataFrame(columns=[*PATH_COLUMNS, "method"])
    return pd.DataFrame({k: np.concatenate([c[k] for c in columns]) for k in PATH_COLUMNS}).assign(method=method)


def estimate_all(
    benchmarks: pd.DataFrame, indicators: pd.DataFrame, years: list[int], methods: list[str], conventions: list[str]
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

    Returns
    -------
    DataFrame
        :func:`annual_paths` for every method and convention, with a ``convention`` column.

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
    frames = []
    for convention in conventions:
        coefficients = benchmark_coefficients(provincial, indicators, convention)
        for method in methods:
            frames.append(annual_paths(coefficients, indicators, years, method).assign(convention=convention))
    return pd.concat(frames, ignore_index=True)


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
    out = estimates.merge(names, on="province_code", how="left").merge(
        info, on=["province_code", "component", "nearest_benchmark"], how="left", validate="many_to_one"
    )
    key = series_key(indicators)
    out = out.merge(
        indicators.rename(
            columns={"indicator_100m_yuan": "indicator_value_100m_yuan", "spliced": "indicator_spliced"}
        ).drop(columns="aggregate" if key != "aggregate" else [], errors="ignore"),
        on=[key, "province_code", "year"],
        how="left",
        validate="many_to_one",
    )
    order = {"component": {c.key: i for i, c in enumerate(COMPONENTS)}}
    out = out.sort_values(
        ["convention", "method", "province_code", "year", "component"],
        key=lambda c: c.map(order[c.name]) if c.name in order else c,
        ignore_index=True,
    )
    return out.reindex(columns=OUTPUT_COLUMNS)
