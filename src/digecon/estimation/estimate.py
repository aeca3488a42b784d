"""The estimator: benchmark components, coefficients, annual paths, values (METHOD.md sections 1 and 3).

For component k, province p and year t:  V[k,p,t] = c[k,p,t] * X[k,p,t], X the yearbook indicator.
Benchmark coefficients follow one of two conventions:

* ``share`` (default): c = V / A, the component's share of the same aggregate in the IO table;
  levels then follow the yearbook's (revised) vintage.
* ``benchmark``: c = V / X in the benchmark year; reproduces the IO values exactly.

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
from digecon.estimation.methods import Method, MethodPath, SeriesInput, flags

CONVENTIONS = ("share", "benchmark")


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
    aggregates = {
        name: io_tables[io_tables[name] == 1].groupby(["province_code", "year"])["value_added"].sum() / 1e4
        for name in {c.aggregate for c in COMPONENTS}
    }
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
        From :func:`digecon.estimation.indicators.indicator_series`.
    convention
        ``share`` (c = V / A, the IO aggregate) or ``benchmark`` (c = V / X, the yearbook indicator).

    Returns
    -------
    DataFrame
        ``benchmarks`` plus ``indicator_100m_yuan`` (X in the benchmark year, 亿元), ``coefficient``
        and ``convention``.

    Raises
    ------
    ValueError
        For an unknown convention.
    """
    _check_convention(convention)
    merged = benchmarks.merge(
        indicators[["aggregate", "province_code", "year", "indicator_100m_yuan"]],
        on=["aggregate", "province_code", "year"],
        how="left",
        validate="many_to_one",
    )
    denominator = merged["aggregate_va_100m_yuan"] if convention == "share" else merged["indicator_100m_yuan"]
    return merged.assign(coefficient=merged["benchmark_value_100m_yuan"] / denominator, convention=convention)


@dataclass(frozen=True)
class _Benchmarks:
    """One province x component: its benchmark years and coefficients (numpy, for speed)."""

    province_code: int
    component: str
    aggregate: str
    years: np.ndarray
    coefficients: np.ndarray


def _benchmark_series(coefficients: pd.DataFrame) -> list[_Benchmarks]:
    """Split the coefficient table into one ascending benchmark series per province x component."""
    ordered = coefficients.sort_values(["province_code", "component", "year"], ignore_index=True)
    codes, components = ordered["province_code"].to_numpy(), ordered["component"].to_numpy()
    aggregates, years = ordered["aggregate"].to_numpy(), ordered["year"].to_numpy()
    coefficient = ordered["coefficient"].to_numpy()
    starts = np.flatnonzero(np.r_[True, (codes[1:] != codes[:-1]) | (components[1:] != components[:-1])])
    ends = np.r_[starts[1:], len(ordered)]
    return [
        _Benchmarks(int(codes[a]), str(components[a]), str(aggregates[a]), years[a:b], coefficient[a:b])
        for a, b in zip(starts, ends, strict=True)
    ]


def _indicator_arrays(indicators: pd.DataFrame, grid: np.ndarray) -> dict[tuple[str, int], np.ndarray]:
    """X over ``grid`` per (aggregate, province), as numpy rows."""
    # one value per aggregate x province x year (indicator_series), so a plain unstack is enough
    inside = indicators[indicators["year"].isin(grid)]
    wide = (
        inside.set_index(["aggregate", "province_code", "year"])["indicator_100m_yuan"]
        .unstack("year")
        .reindex(columns=grid)
    )
    return {(str(a), int(c)): row for (a, c), row in zip(wide.index, wide.to_numpy(), strict=True)}


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
        (s, SeriesInput(s.years, s.coefficients, x_of[(s.aggregate, s.province_code)], grid))
        for s in _benchmark_series(coefficients)
    ]
    pooled = _pooled(spec, inputs)
    columns = [
        _path_columns(s, i, spec.path(i.benchmark_years, i.coefficients, i.indicator, i.years, **pooled[s.component]))
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
        From :func:`digecon.estimation.indicators.indicator_series`, covering the estimated years.

    Returns
    -------
    DataFrame
        ``OUTPUT_COLUMNS``, sorted by convention, method, province, year and component (in ``COMPONENTS`` order).
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
    out = out.merge(
        indicators.rename(columns={"indicator_100m_yuan": "indicator_value_100m_yuan", "spliced": "indicator_spliced"}),
        on=["aggregate", "province_code", "year"],
        how="left",
        validate="many_to_one",
    )
    order = {"component": {c.key: i for i, c in enumerate(COMPONENTS)}}
    out = out.sort_values(
        ["convention", "method", "province_code", "year", "component"],
        key=lambda c: c.map(order[c.name]) if c.name in order else c,
        ignore_index=True,
    )
    return out[OUTPUT_COLUMNS]
