"""National consistency: the provinces' sum against the national IO table of every year that has one.

METHOD.md section 4. A year has a national figure when a national 42-sector table covers it:
the tables published with the regional rounds (2002, 2007, 2012, province code 0 among the IO
tables, and any national table the user adds there) and the national tables of years without
regional tables (the ionet tables of 2005, 2015, 2018, 2020: *control years*; its 2017 table serves the
2017 round, which has no national table among the regional ones). The national
figure of a component is the table's sector VA split with the ratios of the nearest detailed
table (or census), chosen exactly as for the provinces' benchmarks.

The provinces' sum is, in a regional benchmark year, the sum of the provinces' own benchmark
values (the same under every method and convention); in a control year, the sum of their
estimates under each method and convention. Its ratio to the national figure and the drift of
that ratio since the last regional benchmark year before it (ratio / ratio there - 1) are
reported, and nothing is rescaled: scaling the provinces pro rata to the national totals was
measured to make provincial errors worse (information sector, 2017 held out: median APE 14 % ->
24 %), because the provinces/national ratio itself moves between rounds (information sector:
0.999, 1.136, 1.092, 0.918 in 2002, 2007, 2012, 2017), so a control year's ratio says how far the
provinces' sum has drifted from the national account, not how to correct each province.

The same tables give the national coefficient of every series, c_nat (:func:`national_coefficients`),
which the ``national`` method (:mod:`digecon.estimation.methods.national`) carries to the
provinces: a coefficient path, not a rescaling of their levels.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from digecon.core.provinces import NATIONAL_CODE
from digecon.estimation.estimate import COMPONENTS, Component, io_aggregates, series_keys
from digecon.estimation.methods import method

log = logging.getLogger(__name__)

TOTAL = "total"
BENCHMARK_BASIS = "benchmark tables"  # provinces' sum of their IO-table values
ESTIMATE_BASIS = "estimate"  # provinces' sum of their estimates (method x convention)
FIGURE_COLUMNS = [
    "year",
    "component",
    "national_100m_yuan",
    "national_sector_va_100m_yuan",
    "split_ratio",
    "split_ratio_value",
    "split_ratio_source",
    "national_source",
]
NATIONAL_COLUMNS = [
    "year",
    "year_kind",
    "component",
    "method",
    "convention",
    "provinces_basis",
    "provinces_sum_100m_yuan",
    "n_provinces",
    "national_100m_yuan",
    "ratio",
    "reference_year",
    "reference_ratio",
    "drift",
    "national_sector_va_100m_yuan",
    "split_ratio",
    "split_ratio_value",
    "split_ratio_source",
    "national_source",
]
_ORDER = {c: i for i, c in enumerate([*(c.key for c in COMPONENTS), TOTAL])}
# Why the provinces are not rescaled to the national totals: scaling them pro rata was measured (the
# information sector, telecom + IT services, with 2017 held out) and made the provincial errors worse,
# because the provinces/national ratio moves between rounds (0.999, 1.136, 1.092, 0.918 in 2002-2017).
# Kept as numbers, so that the figure's caption can say them in either language.
NOT_RESCALED = {"held_out": 2017, "median_ape_kept": 0.14, "median_ape_rescaled": 0.24}


def _component_row(year: int, c: Component, sector: pd.Series, ratios: pd.DataFrame) -> dict[str, object]:
    """Split one component out of one national table: its sector's VA (亿元) times its split ratio."""
    va = float(sector["value_added_10k_yuan"]) / 1e4
    value, label, source = 1.0, "", ""
    if c.ratio is not None:
        hit = ratios[(ratios["io_year"] == year) & (ratios["ratio"] == c.ratio)]
        if len(hit) != 1:
            raise ValueError(f"the national table of {year} needs exactly one {c.ratio}; found {len(hit)}")
        raw = float(hit["value"].iloc[0])
        value = 1.0 - raw if c.complement else raw
        label, source = c.ratio_label, str(hit["ratio_source"].iloc[0])
    return {
        "year": year,
        "component": c.key,
        "national_100m_yuan": va * value,
        "national_sector_va_100m_yuan": va,
        "split_ratio": label,
        "split_ratio_value": value if c.ratio is not None else np.nan,
        "split_ratio_source": source,
        "national_source": str(sector["source_file"]),
    }


def national_components(national_tables: pd.DataFrame, national_ratios: pd.DataFrame) -> pd.DataFrame:
    """Split the national tables' digital sectors into the components, as the provinces' benchmarks are.

    Parameters
    ----------
    national_tables
        From :func:`digecon.inputs.sources.read_national_tables`: ``year``, ``sector_key``,
        ``value_added_10k_yuan`` (万元), ``source_file``.
    national_ratios
        Its ratios (:data:`digecon.inputs.ratios.RATIO_COLUMNS`, province code 0): ``io_year``,
        ``ratio``, ``value``, ``ratio_source``.

    Returns
    -------
    DataFrame
        ``FIGURE_COLUMNS``, one row per table year x component (亿元), without the total.

    Raises
    ------
    ValueError
        If a table lacks a digital sector, or a year lacks a ratio (or has it twice).
    """
    ratios = national_ratios[national_ratios["province_code"].astype(int) == NATIONAL_CODE]
    rows = []
    for year, table in national_tables.groupby("year"):
        sectors = table.set_index("sector_key")
        for c in COMPONENTS:
            if c.sector not in sectors.index:
                raise ValueError(f"the national table of {year} has no {c.sector} sector")
            rows.append(_component_row(int(year), c, sectors.loc[c.sector], ratios))
    return pd.DataFrame.from_records(rows, columns=FIGURE_COLUMNS)


def _from_benchmarks(benchmarks: pd.DataFrame) -> pd.DataFrame:
    """National figures of the national IO tables read with the regional ones (province code 0)."""
    national = benchmarks[benchmarks["province_code"] == NATIONAL_CODE]
    return pd.DataFrame(
        {
            "year": national["year"].astype(int),
            "component": national["component"],
            "national_100m_yuan": national["benchmark_value_100m_yuan"],
            "national_sector_va_100m_yuan": national["sector_va_100m_yuan"],
            "split_ratio": national["ratio"].fillna(""),
            "split_ratio_value": national["ratio_value"],
            "split_ratio_source": national["ratio_source"].fillna(""),
            "national_source": national["benchmark_file"],
        }
    ).reindex(columns=FIGURE_COLUMNS)


def national_figures(benchmarks: pd.DataFrame, components: pd.DataFrame | None = None) -> pd.DataFrame:
    """Give the national figure of every component in every year with a national table, plus their total.

    Parameters
    ----------
    benchmarks
        From :func:`digecon.estimation.estimate.benchmark_components`; its national rows (the
        national tables among the IO tables, the user's included) come first.
    components
        From :func:`national_components` (the control-year tables), or None. A year that also has
        a national table among the IO tables keeps that one (a user table replaces a built-in one).

    Returns
    -------
    DataFrame
        ``FIGURE_COLUMNS``, one row per year x component and a ``total`` row (the sum of the four
        components; ratio sources joined with " | "), sorted by year and component.
    """
    first = _from_benchmarks(benchmarks)
    rest = pd.DataFrame(columns=FIGURE_COLUMNS) if components is None else components
    shadowed = sorted(set(rest["year"]) & set(first["year"]))
    if shadowed:
        log.info("national tables among the IO tables replace the control tables of %s", shadowed)
    frames = [f for f in (first, rest[~rest["year"].isin(shadowed)]) if not f.empty]
    figures = pd.concat(frames, ignore_index=True) if frames else first
    total = figures.groupby("year").agg(
        national_100m_yuan=("national_100m_yuan", "sum"),
        n=("component", "nunique"),
        split_ratio_source=("split_ratio_source", lambda s: " | ".join(dict.fromkeys(x for x in s if x))),
        national_source=("national_source", lambda s: " | ".join(dict.fromkeys(s))),
    )
    total = total[total["n"] == len(COMPONENTS)].drop(columns="n").reset_index().assign(component=TOTAL)
    out = pd.concat([figures, total.reindex(columns=FIGURE_COLUMNS)], ignore_index=True)
    return _sorted(out, ["year"])


def _sorted(frame: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Sort by ``by`` and then component in ``COMPONENTS`` order (the total last)."""
    order = frame["component"].map(_ORDER)
    return frame.assign(_o=order).sort_values([*by, "_o"], kind="stable").drop(columns="_o").reset_index(drop=True)


def _with_total(sums: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Add the digital-economy total (sum of the four components, where all four are present)."""
    grouped = sums.groupby(keys, dropna=False)
    total = grouped.agg(
        provinces_sum_100m_yuan=("provinces_sum_100m_yuan", "sum"),
        n_provinces=("n_provinces", "max"),
        n=("component", "nunique"),
    ).reset_index()
    total = total[total["n"] == len(COMPONENTS)].drop(columns="n").assign(component=TOTAL)
    return pd.concat([sums, total], ignore_index=True)


def provinces_sums(benchmarks: pd.DataFrame, estimates: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Sum the provinces' benchmark values per year, and their estimates per year, method and convention.

    Parameters
    ----------
    benchmarks
        From :func:`digecon.estimation.estimate.benchmark_components`; national rows are left out.
    estimates
        ``province_code``, ``year``, ``component``, ``method``, ``convention``, ``value_100m_yuan``
        (:func:`digecon.estimation.estimate.estimate_all`); national rows are left out.

    Returns
    -------
    (benchmark_sums, estimate_sums)
        ``year``, ``component`` (and ``method``, ``convention``), ``provinces_sum_100m_yuan``
        (亿元), ``n_provinces``; each with a ``total`` component.
    """
    provincial = benchmarks[benchmarks["province_code"] != NATIONAL_CODE]
    estimated = estimates[estimates["province_code"] != NATIONAL_CODE]
    named = {"provinces_sum_100m_yuan": ("value", "sum"), "n_provinces": ("province_code", "nunique")}
    keys = ["year", "component"]
    on_tables = (
        provincial.rename(columns={"benchmark_value_100m_yuan": "value"}).groupby(keys).agg(**named).reset_index()
    )
    keys_estimate = [*keys, "method", "convention"]
    on_estimates = (
        estimated.rename(columns={"value_100m_yuan": "value"}).groupby(keys_estimate).agg(**named).reset_index()
    )
    return _with_total(on_tables, ["year"]), _with_total(on_estimates, ["year", "method", "convention"])


def _provinces_rows(
    figures: pd.DataFrame, benchmark_sums: pd.DataFrame, estimate_sums: pd.DataFrame, regional_years: set[int]
) -> pd.DataFrame:
    """Every national figure x method x convention, with the provinces' sum of its year's basis."""
    pairs = estimate_sums[["method", "convention"]].drop_duplicates()
    if pairs.empty:  # no estimate at all: the benchmark years still compare
        pairs = pd.DataFrame({"method": [np.nan], "convention": [np.nan]})
    grid = figures.merge(pairs, how="cross")
    benchmark_year = grid["year"].isin(regional_years)
    on_tables = grid[benchmark_year].merge(benchmark_sums, on=["year", "component"], how="left")
    on_estimates = grid[~benchmark_year].merge(
        estimate_sums, on=["year", "component", "method", "convention"], how="left"
    )
    rows = pd.concat(
        [
            on_tables.assign(year_kind="benchmark", provinces_basis=BENCHMARK_BASIS),
            on_estimates.assign(year_kind="control", provinces_basis=ESTIMATE_BASIS),
        ],
        ignore_index=True,
    )
    return rows.assign(n_provinces=rows["n_provinces"].fillna(0).astype(int))


def _drift(rows: pd.DataFrame, regional_years: list[int]) -> pd.DataFrame:
    """Add the last regional benchmark year before each year, the ratio there and the drift since."""
    before = [max((b for b in regional_years if b < y), default=np.nan) for y in rows["year"]]
    rows = rows.assign(reference_year=pd.array(before, dtype="Int64"))
    keys = ["component", "method", "convention"]
    at = rows.loc[rows["year_kind"] == "benchmark", [*keys, "year", "ratio"]].rename(
        columns={"year": "reference_year", "ratio": "reference_ratio"}
    )
    at = at.assign(reference_year=at["reference_year"].astype("Int64"))
    merged = rows.merge(at, on=[*keys, "reference_year"], how="left", validate="many_to_one")
    return merged.assign(drift=merged["ratio"] / merged["reference_ratio"] - 1)


def national_consistency(
    benchmarks: pd.DataFrame,
    estimates: pd.DataFrame,
    national_tables: pd.DataFrame | None = None,
    national_ratios: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Compare the provinces' sum with the national table in every year that has one; report, don't rescale.

    Scaling the provinces pro rata to the national totals is deliberately not done: it was
    measured to make provincial errors worse (information sector, 2017 held out: median APE
    14 % -> 24 %), because the provinces/national ratio moves between rounds (0.999, 1.136,
    1.092, 0.918 in 2002-2017). The ratio and its drift are diagnostics of the estimate, not a
    correction of it.

    Parameters
    ----------
    benchmarks
        From :func:`digecon.estimation.estimate.benchmark_components`, with the national rows (if
        any) of the national tables among the IO tables.
    estimates
        The provinces' estimates over the years computed (:func:`digecon.estimation.estimate.estimate_all`):
        ``province_code``, ``year``, ``component``, ``method``, ``convention``, ``value_100m_yuan``.
    national_tables, national_ratios
        The national tables of years without regional tables and their split ratios
        (:func:`digecon.inputs.sources.read_national_tables`), or None.

    Returns
    -------
    DataFrame
        ``NATIONAL_COLUMNS``, one row per year with a national figure x component (and ``total``)
        x method x convention. ``year_kind`` is ``benchmark`` (a year with provincial tables: the
        provinces' sum is of their benchmark values, ``provinces_basis`` "benchmark tables", equal
        under every method and convention) or ``control`` (national table only: the sum of the
        estimates, "estimate"; empty, with ``n_provinces`` 0, where the years computed do not reach
        it). ``ratio`` = provinces' sum / national figure; ``reference_year`` is the last regional
        benchmark year before the year, ``reference_ratio`` the ratio there and ``drift`` =
        ratio / reference_ratio - 1 (empty where that year has no national table). Values in 亿元;
        ``national_source`` names the table file, ``split_ratio_source`` the ratio's source.

    Raises
    ------
    ValueError
        If a national table lacks a digital sector or a split ratio.
    """
    components = None
    if national_tables is not None and not national_tables.empty:
        components = national_components(national_tables, national_ratios)
    figures = national_figures(benchmarks, components)
    regional = sorted(int(y) for y in benchmarks.loc[benchmarks["province_code"] != NATIONAL_CODE, "year"].unique())
    benchmark_sums, estimate_sums = provinces_sums(benchmarks, estimates)
    rows = _provinces_rows(figures, benchmark_sums, estimate_sums, set(regional))
    rows = _drift(rows.assign(ratio=rows["provinces_sum_100m_yuan"] / rows["national_100m_yuan"]), regional)
    unmeasured = sorted(set(rows.loc[rows["reference_ratio"].isna(), "reference_year"].dropna().astype(int)))
    if unmeasured:
        log.warning("no national table in the benchmark year(s) %s: the drift since then is not measured", unmeasured)
    return _sorted(rows.reindex(columns=NATIONAL_COLUMNS), ["year", "method", "convention"])


COEFFICIENT_COLUMNS = [
    "component",
    "leading_indicator",
    "coefficient_basis",
    "io_aggregate",
    "convention",
    "year",
    "national_100m_yuan",
    "denominator",
    "denominator_100m_yuan",
    "national_coefficient",
    "national_source",
    "split_ratio_source",
]


def national_basis(
    benchmarks: pd.DataFrame,
    aggregates: pd.DataFrame,
    national_tables: pd.DataFrame | None = None,
    national_ratios: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """National component values and IO aggregates of every year with a national 42-sector table.

    Parameters
    ----------
    benchmarks
        From :func:`digecon.estimation.estimate.benchmark_components`, with the national rows of the
        national tables among the IO tables (province code 0).
    aggregates
        From :func:`digecon.estimation.estimate.io_aggregates` of the IO tables (its province-0 rows).
    national_tables, national_ratios
        The national tables of years without regional tables, every sector with its aggregate flags
        (:func:`digecon.inputs.sources.read_national_tables`), and their split ratios; or None.

    Returns
    -------
    (figures, national_aggregates)
        :func:`national_figures`; and ``year``, ``io_aggregate``, ``aggregate_va_100m_yuan`` (亿元)
        summed over the sectors of each aggregate exactly as in the provinces' tables. A year with a
        national table among the IO tables keeps that table for both.
    """
    tables = national_tables is not None and not national_tables.empty
    figures = national_figures(benchmarks, national_components(national_tables, national_ratios) if tables else None)
    first = aggregates[aggregates["province_code"] == NATIONAL_CODE]
    frames = [first]
    if tables:
        tidy = national_tables.rename(columns={"value_added_10k_yuan": "value_added"}).assign(
            province_code=NATIONAL_CODE
        )
        rest = io_aggregates(tidy)
        frames.append(rest[~rest["year"].isin(set(first["year"]))])
    national = pd.concat(frames, ignore_index=True).drop(columns="province_code")
    return figures, national.sort_values(["year", "io_aggregate"], ignore_index=True)


def national_coefficients(
    figures: pd.DataFrame, aggregates: pd.DataFrame, indicators: pd.DataFrame, conventions: list[str] | tuple[str, ...]
) -> pd.DataFrame:
    """Compute the national coefficient c_nat of every series in every year with a national table.

    The denominator follows the provinces' rule (:func:`digecon.estimation.estimate.benchmark_coefficients`):
    under the ``share`` convention, a series led by an IO aggregate's indicator (coefficient basis
    ``share``) has c_nat = V_nat / A_nat, the national component over the national table's same
    aggregate; otherwise (the ``benchmark`` convention, or a component-level indicator such as
    软件业务收入) c_nat = V_nat / the sum of the series' indicator X over the provinces it serves,
    within the provinces led by the same indicator (only its movement matters to the path). A
    year in which some of those provinces lack X has no such coefficient.

    Parameters
    ----------
    figures
        From :func:`national_figures` (:func:`national_basis`): ``year``, ``component``,
        ``national_100m_yuan``, ``national_source``, ``split_ratio_source``.
    aggregates
        The national IO aggregates of :func:`national_basis`.
    indicators
        From :func:`digecon.estimation.chains.chain_series` (one or more, with ``candidate``):
        ``province_code``, ``year``, ``indicator_100m_yuan``, ``leading_indicator``,
        ``io_aggregate``, ``coefficient_basis``.
    conventions
        The conventions to compute.

    Returns
    -------
    DataFrame
        ``COEFFICIENT_COLUMNS`` (plus ``candidate`` after ``component`` where the indicators have
        it): one row per series group (the series keys and leading indicator) x convention x
        national table year; ``denominator`` says in words what V_nat was divided by (亿元).
    """
    keys = series_keys(indicators)
    group = [*keys, "leading_indicator"]
    columns = [*keys, *COEFFICIENT_COLUMNS[1:]]
    size = indicators.groupby(group, observed=True)["province_code"].nunique().rename("size")
    leads = indicators.drop_duplicates(group)[[*group, "io_aggregate", "coefficient_basis"]].join(size, on=group)
    sums = indicators.groupby([*group, "year"], observed=True)["indicator_100m_yuan"].agg(["sum", "count"])
    sums = sums.join(size, on=group).reset_index()
    # a year in which some province of the group lacks X has no sum
    sums = sums.assign(x_sum=sums["sum"].where(sums["count"] == sums["size"]))[[*group, "year", "x_sum"]]
    parts = figures.loc[figures["component"] != TOTAL, ["year", "component", "national_100m_yuan", "national_source"]]
    parts = parts.assign(split_ratio_source=figures.loc[parts.index, "split_ratio_source"])
    rows = (
        leads.astype({k: str for k in group})
        .merge(parts, on="component")
        .merge(pd.DataFrame({"convention": list(conventions)}), how="cross")
    )
    rows = rows.merge(
        aggregates.rename(columns={"aggregate_va_100m_yuan": "a_nat"}), on=["year", "io_aggregate"], how="left"
    )
    rows = rows.merge(sums.astype({k: str for k in group}), on=[*group, "year"], how="left")
    share = (rows["coefficient_basis"] == "share") & (rows["convention"] == "share")
    denominator = rows["a_nat"].where(share, rows["x_sum"])
    words = [
        f"national {a} VA" if s else f"sum of {lead} over {n} provinces"
        for s, a, lead, n in zip(share, rows["io_aggregate"], rows["leading_indicator"], rows["size"], strict=True)
    ]
    rows = rows.assign(
        denominator=words,
        denominator_100m_yuan=denominator,
        national_coefficient=rows["national_100m_yuan"] / denominator,
    )
    kept = rows[np.isfinite(rows["national_coefficient"]) & (rows["national_coefficient"] > 0)]
    if len(kept) < len(rows):
        lost = rows.loc[~rows.index.isin(kept.index), ["component", "leading_indicator", "convention", "year"]]
        log.info("no national coefficient where the denominator is missing:\n%s", lost.to_string(index=False))
    return (
        kept.sort_values([*group, "convention", "year"], kind="stable").reindex(columns=columns).reset_index(drop=True)
    )


def _label(year: int, table_years: list[int]) -> str:
    """Which national table years c_nat of ``year`` comes from: '2018-2020' between two, one year at or beyond."""
    if year <= table_years[0] or year >= table_years[-1] or year in table_years:
        return str(min(max(year, table_years[0]), table_years[-1]))
    earlier = max(y for y in table_years if y < year)
    later = min(y for y in table_years if y > year)
    return f"{earlier}-{later}"


def with_national_years(values: pd.DataFrame, national: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """Add ``national_years``: the national table years whose c_nat moved a ``national`` row beyond its tables.

    Parameters
    ----------
    values
        The described estimates of the chosen chains: ``province_code``, ``year``, ``component``,
        ``method``, ``convention``.
    national
        From :func:`national_coefficients` of the same chains.
    indicators
        Their :func:`digecon.estimation.chains.chain_series` (each province's leading indicator).

    Returns
    -------
    DataFrame
        ``values`` with ``national_years``, e.g. ``2018-2020`` (interpolated between the two
        tables), ``2020`` (that table, or held after it); the tables' files are in
        ``national_coefficients.csv``.
    """
    group = ["component", "leading_indicator", "convention"]
    years_of = {tuple(g): sorted(int(y) for y in rows["year"]) for g, rows in national.groupby(group)}
    leads = indicators.drop_duplicates(["component", "province_code"])[
        ["component", "province_code", "leading_indicator"]
    ]
    # the national path moves a row only beyond the province's tables (between them it is linear)
    national_methods = [m for m in values["method"].astype(str).unique() if method(m).national]
    moved = values["method"].isin(national_methods) & (values["flag"] == "extrapolated")
    mine = values.loc[moved, ["province_code", "component", "convention", "year"]].astype(
        {"component": str, "convention": str}
    )
    mine = mine.merge(
        leads.astype({"component": str, "leading_indicator": str}), on=["component", "province_code"], how="left"
    )
    labels = [
        _label(int(y), years_of[(c, lead, conv)]) if (c, lead, conv) in years_of else ""
        for c, lead, conv, y in zip(
            mine["component"], mine["leading_indicator"], mine["convention"], mine["year"], strict=True
        )
    ]
    column = pd.Series("", index=values.index, dtype=object)
    column[moved] = labels
    return values.assign(national_years=column)
