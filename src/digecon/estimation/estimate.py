"""The estimator: benchmark components, coefficients, annual paths, values (METHOD.md sections 1 and 3).

For component k, province p and year t:  V[k,p,t] = c[k,p,t] * X[k,p,t], X the yearbook indicator.
Benchmark coefficients follow one of two conventions:

* ``share`` (default): c = V / A, the component's share of the same aggregate in the IO table;
  levels then follow the yearbook's (revised) vintage.
* ``benchmark``: c = V / X in the benchmark year; reproduces the IO values exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from digecon.estimation import chowlin
from digecon.estimation.methods import PATH_METHODS, coefficient_path, flags
from digecon.core.provinces import NATIONAL_CODE, province_table

METHODS = (*PATH_METHODS, "chow_lin")
CONVENTIONS = ("share", "benchmark")


@dataclass(frozen=True)
class Component:
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


def benchmark_coefficients(benchmarks: pd.DataFrame, indicators: pd.DataFrame, convention: str) -> pd.DataFrame:
    """Add ``indicator_100m_yuan`` (X in the benchmark year) and ``coefficient`` under ``convention``."""
    if convention not in CONVENTIONS:
        raise ValueError(f"unknown convention {convention!r}; expected one of {', '.join(CONVENTIONS)}")
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
    """One province x component: its benchmark years, coefficients and values (numpy, for speed)."""

    province_code: int
    component: str
    aggregate: str
    years: np.ndarray
    coefficients: np.ndarray
    values: np.ndarray  # coefficient x indicator in the benchmark year: V_b under the convention


def _benchmark_series(coefficients: pd.DataFrame) -> list[_Benchmarks]:
    ordered = coefficients.sort_values(["province_code", "component", "year"], ignore_index=True)
    codes, components = ordered["province_code"].to_numpy(), ordered["component"].to_numpy()
    aggregates, years = ordered["aggregate"].to_numpy(), ordered["year"].to_numpy()
    coefficient = ordered["coefficient"].to_numpy()
    values = coefficient * ordered["indicator_100m_yuan"].to_numpy()
    starts = np.flatnonzero(np.r_[True, (codes[1:] != codes[:-1]) | (components[1:] != components[:-1])])
    ends = np.r_[starts[1:], len(ordered)]
    return [
        _Benchmarks(int(codes[a]), str(components[a]), str(aggregates[a]), years[a:b], coefficient[a:b], values[a:b])
        for a, b in zip(starts, ends, strict=True)
    ]


def _indicator_arrays(indicators: pd.DataFrame, grid: np.ndarray) -> dict[tuple[str, int], np.ndarray]:
    wide = indicators.pivot_table(
        index=["aggregate", "province_code"], columns="year", values="indicator_100m_yuan"
    ).reindex(columns=grid)
    return {(str(a), int(c)): row for (a, c), row in zip(wide.index, wide.to_numpy(), strict=True)}


def _chow_lin_series(series: _Benchmarks, x: np.ndarray, grid: np.ndarray) -> chowlin.Series:
    index = np.searchsorted(grid, series.years)
    return chowlin.Series(indicator=x, benchmark_index=index, benchmark_values=series.values)


def annual_paths(coefficients: pd.DataFrame, indicators: pd.DataFrame, years: list[int], method: str) -> pd.DataFrame:
    """Annual coefficient path, value and flags of every province x component under one method.

    Parameters
    ----------
    coefficients
        From :func:`benchmark_coefficients` (one convention), restricted to the benchmarks to use;
        every benchmark year must be in ``years``.
    indicators
        From :func:`digecon.estimation.indicators.indicator_series`.
    years
        Years to estimate.
    method
        ``hold``, ``linear``, ``spline`` or ``chow_lin``.

    Returns
    -------
    DataFrame
        ``province_code``, ``component``, ``year``, ``coefficient``, ``value_100m_yuan``,
        ``se_100m_yuan`` (Chow-Lin only), ``flag``, ``distance_years``, ``nearest_benchmark``,
        ``benchmark_years``, ``method``, ``rho`` (Chow-Lin only).
    """
    grid = np.asarray(years)
    x_of = _indicator_arrays(indicators, grid)
    series = _benchmark_series(coefficients)
    rho_of: dict[str, float] = {}
    chow_lin_of: dict[tuple[int, str], chowlin.Series] = {}
    if method == "chow_lin":
        chow_lin_of = {
            (s.province_code, s.component): _chow_lin_series(s, x_of[(s.aggregate, s.province_code)], grid)
            for s in series
        }
        for component in sorted({s.component for s in series}):
            rho_of[component] = chowlin.choose_rho([v for (_, c), v in chow_lin_of.items() if c == component])
    columns: dict[str, list[np.ndarray]] = {
        k: []
        for k in (
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
        )
    }
    n = len(grid)
    for s in series:
        x = x_of[(s.aggregate, s.province_code)]
        se = np.full(n, np.nan)
        rho = np.nan
        if method == "chow_lin" and len(s.years) >= 2:
            rho = rho_of[s.component]
            value, se = chowlin.interpolate(chow_lin_of[(s.province_code, s.component)], rho)
            coefficient = np.clip(value / x, 0.0, 1.0)  # shares stay in [0, 1]
        else:  # a single benchmark leaves Chow-Lin nothing to fit: hold it
            coefficient = coefficient_path("hold" if method == "chow_lin" else method, s.years, s.coefficients, grid)
        flag, distance, nearest = flags(s.years, grid)
        for key, value_ in (
            ("province_code", np.full(n, s.province_code)),
            ("component", np.full(n, s.component, dtype=object)),
            ("year", grid),
            ("coefficient", coefficient),
            ("value_100m_yuan", coefficient * x),
            ("se_100m_yuan", se),
            ("flag", flag),
            ("distance_years", distance),
            ("nearest_benchmark", nearest),
            ("benchmark_years", np.full(n, ",".join(map(str, s.years)), dtype=object)),
            ("rho", np.full(n, rho)),
        ):
            columns[key].append(value_)
    return pd.DataFrame({k: np.concatenate(v) for k, v in columns.items()}).assign(method=method)


def estimate_all(
    benchmarks: pd.DataFrame, indicators: pd.DataFrame, years: list[int], methods: list[str], conventions: list[str]
) -> pd.DataFrame:
    """Every method x convention for every provincial series (no bounds yet; see :mod:`digecon.estimation.backtest`)."""
    for asked, known, what in ((methods, METHODS, "method"), (conventions, CONVENTIONS, "convention")):
        unknown = sorted(set(asked) - set(known))
        if unknown:
            raise ValueError(f"unknown {what}(s) {unknown}; expected {', '.join(known)}")
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
