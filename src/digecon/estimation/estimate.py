"""The estimator: benchmark components, coefficients, annual paths, values (METHOD.md sections 1 and 3).

For component k, province p and year t:  V[k,p,t] = c[k,p,t] * X[k,p,t], X the yearbook indicator.
Benchmark coefficients follow one of two conventions:

* ``share`` (default): c = V / A, the component's share of the same aggregate in the IO table;
  levels then follow the yearbook's (revised) vintage.
* ``benchmark``: c = V / X in the benchmark year; reproduces the IO values exactly.

Which aggregate A is "the same" depends on the indicator chain's leading indicator
(:data:`~digecon.estimation.chains.IO_AGGREGATES`): 工业增加值 <-> industry, 其他行业增加值 <-> other
services, and so on. An indicator of the component itself (C39 revenue, software revenue, a wage
bill) has no such aggregate in the table, so its coefficient is c = V / X under both conventions;
the column ``coefficient_basis`` says which (``share`` or ``indicator``). Such a ratio is not a
share: the methods' bound of [0, 1] becomes [0, max(1, 2 max c_b)].

A *series* is one province's benchmarks of one component (and, when candidate chains are scored,
of one candidate: the column ``candidate``). The path of c between and beyond benchmarks comes
from a registered method (:mod:`digecon.estimation.methods`), run on blocks of series that share
their benchmark years; this module never names a method.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from digecon.core.provinces import NATIONAL_CODE, province_table
from digecon.core.settings import CONVENTIONS
from digecon.estimation import methods as registry
from digecon.estimation.indicators import BENCHMARK_TABLE
from digecon.estimation.methods import Method, SeriesBlock, flags, pin_benchmarks

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
    aggregate: str  # the IO aggregate of the default chain
    category: str

    @property
    def ratio_label(self) -> str:
        """The split ratio the sector's VA is multiplied by: ``1 - s_I63``, ``r_media`` or empty."""
        return ("1 - " if self.complement else "") + self.ratio if self.ratio else ""


COMPONENTS = (
    Component("electronics", "electronics", None, False, "industry", "production"),
    Component("it_services", "information", "s_I63", True, "other_services", "production"),
    Component("telecom", "information", "s_I63", False, "other_services", "circulation"),
    Component("media", "culture", "r_media", False, "other_services", "circulation"),
)
COMPONENT_ORDER = {c.key: i for i, c in enumerate(COMPONENTS)}
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
        ``BENCHMARK_COLUMNS``, one row per table x component, tables by province and year.

    Raises
    ------
    KeyError
        For a table without the ratio one of its components needs.
    """
    sector_va = io_tables.pivot_table(
        index=["province_code", "year"], columns="sector_key", values="value_added", aggfunc="sum"
    ).div(1e4)
    files = io_tables.groupby(["province_code", "year"])["source_file"].first().map(lambda f: Path(f).name)
    aggregates = {name: _aggregate_va(io_tables, name) for name in {c.aggregate for c in COMPONENTS}}
    ratio_of = ratios.set_index(["io_year", "province_code", "ratio"])
    frames = []
    for c in COMPONENTS:
        table = pd.DataFrame(
            {
                "component": c.key,
                "category": c.category,
                "aggregate": c.aggregate,
                "sector_va_100m_yuan": sector_va[c.sector],
                "ratio": c.ratio_label,
                "ratio_value": np.nan,
                "ratio_source": "",
                "benchmark_value_100m_yuan": sector_va[c.sector],
                "aggregate_va_100m_yuan": aggregates[c.aggregate].reindex(sector_va.index),
                "benchmark_file": files.reindex(sector_va.index),
            }
        ).reset_index()
        if c.ratio is not None:
            keys = pd.MultiIndex.from_arrays([table["year"], table["province_code"], [c.ratio] * len(table)])
            found = ratio_of.reindex(keys)
            if found["value"].isna().any():
                missing = keys[found["value"].isna().to_numpy()][0]
                raise KeyError(f"no ratio {missing[2]} for province {missing[1]} in {missing[0]}")
            value = found["value"].to_numpy(dtype=float)
            table["ratio_value"] = (1.0 - value) if c.complement else value
            table["ratio_source"] = found["ratio_source"].astype(str).to_numpy()
            table["benchmark_value_100m_yuan"] = table["sector_va_100m_yuan"] * table["ratio_value"]
        frames.append(table.assign(order=COMPONENT_ORDER[c.key]))
    out = pd.concat(frames, ignore_index=True).sort_values(["province_code", "year", "order"], ignore_index=True)
    return out.astype({"province_code": int, "year": int})[BENCHMARK_COLUMNS]


def working_years(benchmarks: pd.DataFrame, years: Sequence[int]) -> list[int]:
    """Give the years computed: every year from the first to the last of the output and benchmark years.

    Computing over every benchmark year means that neither the backtest nor any coefficient
    depends on which years are written out.

    Parameters
    ----------
    benchmarks
        At least ``year`` of the benchmark tables (:func:`benchmark_components`).
    years
        The output years (at least one).

    Returns
    -------
    list of int
        Contiguous years.
    """
    low = min(min(years), int(benchmarks["year"].min()))
    high = max(max(years), int(benchmarks["year"].max()))
    return list(range(low, high + 1))


def categorical(frame: pd.DataFrame) -> pd.DataFrame:
    """Give the table with its text columns as categoricals.

    The large tables (values, backtest) repeat a few texts over many rows: as categoricals they
    cost a small integer per row, and their filters, groupings and merges work on those integers.
    The categories are the texts sorted, so that sorting orders the rows as the texts would.
    """
    text = [c for c in frame.columns if pd.api.types.is_string_dtype(frame[c].dtype)]
    return frame.astype(dict.fromkeys(text, "category"))


def plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Give the table with its categorical columns as plain text (the small tables summarising the large ones)."""
    return frame.astype({c: "str" for c in frame.columns if isinstance(frame[c].dtype, pd.CategoricalDtype)})


def series_keys(frame: pd.DataFrame) -> list[str]:
    """Name the columns that tell a series apart besides the province: ``component`` (and ``candidate``)."""
    return ["component", "candidate"] if "candidate" in frame.columns else ["component"]


def _check_convention(convention: str) -> None:
    """Refuse a convention that is not one of ``CONVENTIONS``."""
    if convention not in CONVENTIONS:
        raise ValueError(f"unknown convention {convention!r}; expected one of {', '.join(CONVENTIONS)}")


def benchmark_coefficients(benchmarks: pd.DataFrame, indicators: pd.DataFrame, convention: str) -> pd.DataFrame:
    """Benchmark coefficients under one convention (METHOD.md section 3).

    Parameters
    ----------
    benchmarks
        Benchmark rows aligned with their chains (:func:`digecon.estimation.chains.chain_benchmarks`,
        with ``coefficient_basis``); the keys of :func:`series_keys`.
    indicators
        From :func:`digecon.estimation.chains.chain_series`, keyed the same way.
    convention
        ``share`` (c = V / A, the IO aggregate) or ``benchmark`` (c = V / X, the yearbook indicator).
        Rows whose ``coefficient_basis`` is ``indicator`` (a component-level indicator, no A in the
        table) have c = V / X under both.

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
    on = [*series_keys(benchmarks), "province_code", "year"]
    merged = benchmarks.merge(indicators[[*on, "indicator_100m_yuan"]], on=on, how="left", validate="many_to_one")
    share = (merged["coefficient_basis"] == "share").to_numpy() & (convention == "share")
    denominator = np.where(share, merged["aggregate_va_100m_yuan"], merged["indicator_100m_yuan"])
    return merged.assign(coefficient=merged["benchmark_value_100m_yuan"] / denominator, convention=convention)


@dataclass(frozen=True)
class Block:
    """Series sharing their pooling group and benchmark years.

    ``rows`` are the series' positions in :class:`Prepared` ``series``. A method sees the block
    scaled (:attr:`scaled`): ``scale`` divides the coefficients and multiplies X (1 for a share; for
    a ratio to a component-level indicator, ``max(1, 2 max c_b)``, so that the methods' bound of 1
    becomes twice the largest benchmark ratio).
    """

    group: tuple[str, ...]  # the series keys (component, or component and candidate): pooled together
    rows: np.ndarray
    series: SeriesBlock  # as given
    scale: np.ndarray

    @property
    def scaled(self) -> SeriesBlock:
        """The block as the method sees it: coefficients / scale and X x scale (V unchanged)."""
        scale = self.scale[:, None]
        return replace(
            self.series, coefficients=self.series.coefficients / scale, indicator=self.series.indicator * scale
        )


@dataclass(frozen=True)
class Prepared:
    """Every series of a coefficient table, grouped into blocks."""

    series: pd.DataFrame  # province_code, the series keys, benchmark_years (comma-joined)
    blocks: list[Block]
    years: np.ndarray


def indicator_matrix(indicators: pd.DataFrame, years: Sequence[int]) -> pd.DataFrame:
    """Give X over ``years``, one row per series (province and :func:`series_keys`), one column per year.

    Parameters
    ----------
    indicators
        From :func:`digecon.estimation.chains.chain_series` (or several, with ``candidate``).
    years
        The years, ascending.

    Returns
    -------
    DataFrame
        Indexed by ``province_code`` and the series keys, 亿元 (NaN where missing).
    """
    keys = ["province_code", *series_keys(indicators)]
    inside = indicators[indicators["year"].isin(years)]
    return inside.pivot(index=keys, columns="year", values="indicator_100m_yuan").reindex(columns=list(years))


def national_matrix(
    national: pd.DataFrame | None, indicators: pd.DataFrame, years: Sequence[int], convention: str
) -> pd.DataFrame | None:
    """Give c_nat over ``years`` for every series, laid out as :func:`indicator_matrix`.

    c_nat is interpolated linearly between the years of the national tables and held beyond the
    first and the last (``np.interp``); each province's series takes the national coefficient of
    its leading indicator.

    Parameters
    ----------
    national
        From :func:`digecon.estimation.national.national_coefficients` (or None): the series keys,
        ``leading_indicator``, ``convention``, ``year``, ``national_coefficient``.
    indicators
        From :func:`digecon.estimation.chains.chain_series` (``leading_indicator`` per province).
    years
        The years, ascending.
    convention
        The convention whose national coefficients are laid out.

    Returns
    -------
    DataFrame or None
        Indexed by ``province_code`` and the series keys, one column per year (NaN for a series
        whose leading indicator has no national coefficient); None without national coefficients.
    """
    if national is None or national.empty:
        return None
    keys = series_keys(indicators)
    group = [*keys, "leading_indicator"]
    mine = national[national["convention"] == convention].sort_values("year")
    paths = {
        tuple(g): np.interp(years, rows["year"], rows["national_coefficient"])
        for g, rows in mine.groupby(group, observed=True)
    }
    leads = indicators.drop_duplicates(["province_code", *keys])
    missing = np.full(len(years), np.nan)
    values = [paths.get(tuple(r), missing) for r in leads[group].itertuples(index=False)]
    index = pd.MultiIndex.from_frame(leads[["province_code", *keys]])
    return pd.DataFrame(np.array(values).reshape(len(leads), len(years)), index=index, columns=list(years))


def prepare(coefficients: pd.DataFrame, matrix: pd.DataFrame, national: pd.DataFrame | None = None) -> Prepared:
    """Group the benchmark coefficients into series (province x keys) and the series into blocks.

    Parameters
    ----------
    coefficients
        From :func:`benchmark_coefficients` (the rows of the benchmarks to use).
    matrix
        :func:`indicator_matrix` over the years to estimate (every benchmark year among them).
    national
        :func:`national_matrix` over the same years, or None: the blocks' ``national``.

    Returns
    -------
    Prepared
        Series sorted by province and keys; blocks by keys and benchmark years.

    Raises
    ------
    ValueError
        For a missing benchmark coefficient, or a series without an indicator in some year.
    """
    years = matrix.columns.to_numpy()
    keys = ["province_code", *series_keys(coefficients)]
    if coefficients["coefficient"].isna().any():
        row = coefficients[coefficients["coefficient"].isna()].iloc[0]
        raise ValueError(f"no benchmark coefficient for province {row['province_code']} in {row['year']}")
    wide = coefficients.pivot(index=keys, columns="year", values="coefficient")
    x = matrix.reindex(wide.index)
    if x.isna().any(axis=None):
        first = x[x.isna().any(axis=1)].iloc[0]
        province, *key = first.name
        missing = [int(y) for y in first.index[first.isna()]]
        raise ValueError(f"no indicator {'/'.join(key)} for province {province} in {missing}: every year is needed")
    present, coefficient, indicator = wide.notna().to_numpy(), wide.to_numpy(), x.to_numpy()
    nat = None if national is None else national.reindex(wide.index).to_numpy(dtype=float)
    basis = coefficients.groupby(keys)["coefficient_basis"].first().reindex(wide.index)
    # a ratio to a component-level indicator is not a share (module docstring): scale it into [0, 1]
    scale = np.where(basis == "indicator", np.fmax(1.0, 2.0 * wide.max(axis=1).to_numpy()), 1.0)
    columns = wide.columns.to_numpy()
    patterns, pattern_of = np.unique(present, axis=0, return_inverse=True)
    labels = pd.Categorical.from_codes(pattern_of.ravel(), [",".join(map(str, columns[p])) for p in patterns])
    series = wide.index.to_frame(index=False).assign(benchmark_years=labels)
    blocks = []
    for (*group, _), rows in series.groupby([*keys[1:], "benchmark_years"], sort=True, observed=True).indices.items():
        used = present[rows[0]]
        given = SeriesBlock(
            columns[used].astype(np.int64),
            coefficient[np.ix_(rows, used)],
            indicator[rows],
            years,
            None if nat is None else nat[rows],
        )
        blocks.append(Block(tuple(group), rows, given, scale[rows]))
    return Prepared(series, blocks, years)


def fit_pools(spec: Method, prepared: Prepared) -> dict[tuple[str, ...], dict[str, float]]:
    """Fit the method's pooled parameters per group over every series given (empty where it pools nothing).

    Parameters
    ----------
    spec
        The method.
    prepared
        From :func:`prepare`.

    Returns
    -------
    dict
        Group (the series keys) -> keyword arguments of the method's path.
    """
    groups: dict[tuple[str, ...], list[SeriesBlock]] = {}
    for b in prepared.blocks:
        groups.setdefault(b.group, []).append(b.scaled)
    return {g: spec.pool(blocks) if spec.pool is not None else {} for g, blocks in groups.items()}


@dataclass(frozen=True)
class Paths:
    """A method's result for every series of a :class:`Prepared`, one row per series, one column per year."""

    coefficient: np.ndarray
    value_100m_yuan: np.ndarray
    se_100m_yuan: np.ndarray
    rho: np.ndarray  # one per series


def run_paths(spec: Method, prepared: Prepared) -> Paths:
    """Run the method on every block with the pooled parameters of its group (:func:`fit_pools`).

    Parameters
    ----------
    spec
        The method.
    prepared
        From :func:`prepare`.

    Returns
    -------
    Paths
        Coefficient (pinned to the benchmarks again where a scale was undone), value V = c X (亿元),
        standard error (NaN where the method has none) and rho (NaN where not fitted).
    """
    n, t = len(prepared.series), len(prepared.years)
    coefficient, value, se = np.empty((n, t)), np.empty((n, t)), np.full((n, t), np.nan)
    rho = np.full(n, np.nan)
    pooled = fit_pools(spec, prepared)
    for b in prepared.blocks:
        given = b.scaled
        result = spec.path(given, **pooled.get(b.group, {}))
        scaled = b.scale[:, None] != 1.0
        # undo the scale: the coefficient times it, pinned to the benchmarks again; X x scale / scale
        c = np.where(scaled, pin_benchmarks(result.coefficient * b.scale[:, None], b.series), result.coefficient)
        x = np.where(scaled, given.indicator / b.scale[:, None], b.series.indicator)
        coefficient[b.rows], value[b.rows] = c, c * x
        if result.se_100m_yuan is not None:
            se[b.rows] = result.se_100m_yuan
        if "rho" in result.parameters:
            rho[b.rows] = result.parameters["rho"]
    return Paths(coefficient, value, se, rho)


def _long(prepared: Prepared, paths: Paths, method: str, convention: str) -> pd.DataFrame:
    """Lay out :class:`Paths` as one row per series x year, in output order (province, year, component)."""
    n, t = len(prepared.series), len(prepared.years)
    flag, distance, nearest = np.empty((n, t), dtype=object), np.empty((n, t), int), np.empty((n, t), int)
    for b in prepared.blocks:
        flag[b.rows], distance[b.rows], nearest[b.rows] = flags(b.series.benchmark_years, prepared.years)
    series = categorical(prepared.series)
    rank = series["component"].map(COMPONENT_ORDER).to_numpy(dtype=float)
    row, year = np.repeat(np.arange(n), t), np.tile(np.arange(t), n)
    order = np.lexsort((rank[row], year, series["province_code"].to_numpy()[row]))
    row, cell = row[order], (row * t + year)[order]
    return (
        series.take(row)
        .reset_index(drop=True)
        .assign(
            year=prepared.years[year[order]],
            coefficient=paths.coefficient.ravel()[cell],
            value_100m_yuan=paths.value_100m_yuan.ravel()[cell],
            se_100m_yuan=paths.se_100m_yuan.ravel()[cell],
            flag=pd.Categorical(flag.ravel()[cell]),
            distance_years=distance.ravel()[cell],
            nearest_benchmark=nearest.ravel()[cell],
            rho=paths.rho[row],
            method=pd.Categorical([method] * len(row)),
            convention=pd.Categorical([convention] * len(row)),
        )
    )


def annual_paths(
    coefficients: pd.DataFrame, indicators: pd.DataFrame, years: Sequence[int], method: str
) -> pd.DataFrame:
    """Run one method on every series of a coefficient table: annual coefficient, value and flags.

    The method's pooled parameters are fitted per component over the series given.

    Parameters
    ----------
    coefficients
        From :func:`benchmark_coefficients`, restricted to the benchmarks to use.
    indicators
        From :func:`digecon.estimation.chains.chain_series`, covering ``years``.
    years
        Years to estimate, ascending; every benchmark year among them.
    method
        A key of :data:`digecon.estimation.methods.METHODS`.

    Returns
    -------
    DataFrame
        The columns of :func:`estimate_all` for one method and convention.
    """
    spec = registry.method(method)
    prepared = prepare(coefficients, indicator_matrix(indicators, years))
    convention = str(coefficients["convention"].iloc[0]) if "convention" in coefficients else ""
    return _long(prepared, run_paths(spec, prepared), method, convention)


def estimate_all(
    benchmarks: pd.DataFrame,
    indicators: pd.DataFrame,
    years: Sequence[int],
    methods: Sequence[str],
    conventions: Sequence[str],
    national: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every method x convention for every provincial series (no bounds yet; see :mod:`digecon.estimation.bands`).

    A method's pooled parameters are fitted per component over every province's series.

    Parameters
    ----------
    benchmarks
        Benchmark rows aligned with the chains (:func:`digecon.estimation.chains.chain_benchmarks`);
        the national rows are left out.
    indicators
        From :func:`digecon.estimation.chains.chain_series`, covering ``years``.
    years
        Years to estimate, ascending; every benchmark year among them.
    methods
        Keys of :data:`digecon.estimation.methods.METHODS`.
    conventions
        A subset of ``CONVENTIONS``.
    national
        The national coefficients of the series (:func:`digecon.estimation.national.national_coefficients`),
        or None: what the ``national`` method moves the coefficients with.

    Returns
    -------
    DataFrame
        One row per convention x method x province x year x component: ``coefficient``,
        ``value_100m_yuan`` (亿元), ``se_100m_yuan`` (where the method gives one), ``flag``,
        ``distance_years``, ``nearest_benchmark``, ``benchmark_years`` (comma-joined), ``rho``
        (where fitted), sorted by convention, method, province, year and component (in
        ``COMPONENTS`` order).

    Raises
    ------
    ValueError
        For an unknown method or convention (before anything is computed).
    """
    specs = {name: registry.method(name) for name in methods}
    for convention in conventions:
        _check_convention(convention)
    provincial = benchmarks[benchmarks["province_code"] != NATIONAL_CODE]
    frames = []
    matrix = indicator_matrix(indicators, years)
    # conventions and methods by name, each laid out in output order: the rows come in output order
    for convention in sorted(conventions):
        nat = national_matrix(national, indicators, years, convention)
        prepared = prepare(benchmark_coefficients(provincial, indicators, convention), matrix, nat)
        for name in sorted(specs):
            paths = run_paths(specs[name], prepared)
            frames.append(_long(prepared, paths, name, convention))
    return categorical(pd.concat(frames, ignore_index=True))


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
    "carrying_indicator",
    "carried_by",
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
    ``carried_by`` says what carries the year: ``benchmark table`` in a benchmark year (the value
    there is the table's, or under the ``share`` convention of an aggregate-led chain the table's
    share of the yearbook aggregate: either way all that is known of the industry that year comes
    from the table), else the chain's ``carried_by`` in that year (``industry series`` or
    ``aggregate``, the kind of its ``carrying_indicator``).

    Parameters
    ----------
    estimates
        :func:`estimate_all` with bounds (:func:`digecon.estimation.bands.apply_bounds`).
    benchmarks
        The benchmark rows aligned with the chains.
    indicators
        From :func:`digecon.estimation.chains.chain_series` (with ``chain``, the candidate's name,
        and ``coefficient_basis``), covering the estimated years.

    Returns
    -------
    DataFrame
        ``OUTPUT_COLUMNS``, in the order of ``estimates``.
    """
    names = province_table()[["province_code", "province", "province_en"]]
    described = ["category", "aggregate", "ratio", "ratio_value", "ratio_source", "benchmark_file"]
    info = benchmarks[["province_code", "year", "component", *described]].rename(columns={"year": "nearest_benchmark"})
    series = indicators.rename(
        columns={"indicator_100m_yuan": "indicator_value_100m_yuan", "spliced": "indicator_spliced"}
    )
    traced = ["indicator_value_100m_yuan", "indicator", "indicator_source", "indicator_spliced", "chain"]
    carriers = ["carrying_indicator", "carried_by"]
    series = series[["component", "province_code", "year", *traced, "coefficient_basis", *carriers]]
    out = (
        estimates.merge(categorical(names), on="province_code", how="left", validate="many_to_one")
        .merge(
            categorical(info),
            on=["province_code", "component", "nearest_benchmark"],
            how="left",
            validate="many_to_one",
        )
        .merge(categorical(series), on=["component", "province_code", "year"], how="left", validate="many_to_one")
    )
    table = (out["flag"] == "benchmark").to_numpy()
    carried_by = pd.Categorical(np.where(table, BENCHMARK_TABLE, out["carried_by"].astype(str)))
    return out.assign(carried_by=carried_by).reindex(columns=OUTPUT_COLUMNS)
