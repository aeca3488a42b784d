"""Constant prices: real digital-economy value added by single deflation.

Each component's nominal value added is divided by the implicit deflator of the sector it belongs
to: electronics (C39, manufacturing) by the province's industry deflator where the user gives
industry indices (the NBS series in the data have none), else by its 第二产业 deflator; the three
service components (I63, I64-I65, R86-R87) by its 第三产业 deflator. The implicit deflator is
chained from the NBS volume indices (上年=100) and the nominal series of the same sector::

    real_base = nominal_base,   real_t = real_{t-1} x index_t / 100,   deflator_t = nominal_t / real_t

(and backwards before the base year: real_{t-1} = real_t / (index_t / 100)), so that real values
are in prices of the base year and add up across provinces and components.

Where a sector's index is missing in a year but the province's GDP deflator is known in it and
the year before, the sector's deflator moves with the GDP deflator that year (its real growth is
its nominal growth over the GDP deflator's change): the NBS published the sector indices for
2000-2019 and 2024, 地区生产总值指数 for every year. Every real value whose chain from the base year
takes such a step is flagged ``gdp deflator``. A year no index reaches has no real value: it is left
empty and flagged ``no price index``, never filled in.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np
import pandas as pd

from digecon.inputs.price_indices import INDEX_COLUMNS, SERIES

log = logging.getLogger(__name__)

INDEX_UNIT = "上年=100"  # the unit of the NBS volume indices in the yearbook table
# component -> deflator series, preferred first: a province uses the first series it has any index of
COMPONENT_DEFLATORS = {
    "electronics": ("industry", "secondary"),
    "it_services": ("tertiary",),
    "telecom": ("tertiary",),
    "media": ("tertiary",),
}
DEFLATED, GDP_DEFLATOR = "deflated", "gdp deflator"
NO_INDEX, NO_NOMINAL = "no price index", "no nominal series"
REAL_FLAGS = (NO_INDEX, NO_NOMINAL, GDP_DEFLATOR, DEFLATED)  # worst first: an aggregate takes its worst part's flag
DEFLATOR_COLUMNS = [
    "province_code",
    "year",
    "series",
    "nominal_100m_yuan",
    "index_previous_year_100",
    "index_from",
    "real_100m_yuan",
    "deflator_base_100",
    "real_flag",
]


def price_indices(yearbook: pd.DataFrame, user: Sequence[pd.DataFrame] = ()) -> pd.DataFrame:
    """Collect the volume indices: the yearbook's (unit 上年=100), then the user's, which replace them.

    Parameters
    ----------
    yearbook
        Long yearbook table (``province_code``, ``year``, ``indicator``, ``unit``, ``value``,
        ``source``); its rows named by the index indicators of ``SERIES`` with unit 上年=100 are read.
    user
        From :func:`digecon.inputs.price_indices.read_price_indices`, one frame per file; where files
        repeat a province-year-series, the last one wins.

    Returns
    -------
    DataFrame
        ``INDEX_COLUMNS``, one row per province, year and series, sorted.
    """
    by_index = {index: series for series, (_, index) in SERIES.items()}
    rows = yearbook[yearbook["indicator"].isin(list(by_index))]
    other_unit = rows["unit"] != INDEX_UNIT
    if other_unit.any():
        log.warning("%d index values with a unit other than %s left out", int(other_unit.sum()), INDEX_UNIT)
    rows = rows[~other_unit]
    built_in = pd.DataFrame(
        {
            "province_code": rows["province_code"].astype(int),
            "year": rows["year"].astype(int),
            "series": rows["indicator"].map(by_index),
            "index_previous_year_100": rows["value"].astype(float),
            "source": rows["source"],
        }
    )
    key = ["province_code", "year", "series"]
    theirs = pd.concat(list(user), ignore_index=True).drop_duplicates(key, keep="last") if user else None
    if theirs is not None:
        replaced = built_in.merge(theirs[key], on=key).shape[0]
        if replaced:
            log.warning("%d built-in volume indices replaced by the user's", replaced)
        built_in = pd.concat([built_in, theirs], ignore_index=True).drop_duplicates(key, keep="last")
    return built_in[INDEX_COLUMNS].sort_values(key, ignore_index=True)


def chain_volumes(index: pd.Series, base_year: int) -> pd.Series:
    """Chain volume indices (上年=100) into volumes relative to the base year (1 in the base year).

    Parameters
    ----------
    index
        Volume index on the previous year, indexed by year; missing years break the chain.
    base_year
        The year whose volume is 1.

    Returns
    -------
    Series
        Indexed by every year from the earliest of ``index`` and ``base_year`` to the latest:
        ``prod(index_s / 100)`` over base < s <= t after the base year, ``1 / prod(index_s / 100)``
        over t < s <= base before it; NaN beyond a missing link.
    """
    return _chain(index.astype(float) / 100, base_year)


def _chain(links: pd.Series, base_year: int) -> pd.Series:
    """Chain growth factors on the previous year into levels relative to the base year (NaN beyond a gap)."""
    years = [int(y) for y in links.index]
    first, last = min([*years, base_year]), max([*years, base_year])
    links = links.reindex(range(first, last + 1)).astype(float)
    volume = {base_year: 1.0}
    for year in range(base_year + 1, last + 1):
        volume[year] = volume[year - 1] * links[year]  # NaN once a link is missing, and after
    for year in range(base_year - 1, first - 1, -1):
        volume[year] = volume[year + 1] / links[year + 1]
    return pd.Series(volume, dtype=float).sort_index().rename_axis("year")


def _reaches(substituted: pd.Series, base_year: int) -> pd.Series:
    """Say, for each year, whether its chain from the base year takes a substituted step.

    The step of year s links s - 1 to s: a year after the base year depends on the steps after
    the base up to itself, a year before it on the steps after itself up to the base.
    """
    years = sorted(int(y) for y in substituted.index)
    steps = substituted.reindex(range(min([*years, base_year]), max([*years, base_year]) + 1), fill_value=False)
    after = steps[steps.index > base_year].cummax()
    before = steps[steps.index <= base_year][::-1].cummax()[::-1].shift(-1, fill_value=False)
    return pd.concat([before, after]).astype(bool).sort_index()


def _nominal(yearbook: pd.DataFrame) -> pd.DataFrame:
    """Nominal value added of each series (亿元): ``province_code``, ``year``, ``series``, ``nominal_100m_yuan``."""
    by_nominal = {nominal: series for series, (nominal, _) in SERIES.items()}
    rows = yearbook[yearbook["indicator"].isin(list(by_nominal)) & (yearbook["unit"] == "亿元")]
    return pd.DataFrame(
        {
            "province_code": rows["province_code"].astype(int),
            "year": rows["year"].astype(int),
            "series": rows["indicator"].map(by_nominal),
            "nominal_100m_yuan": rows["value"].astype(float),
        }
    )


def _volumes(
    index: pd.Series, own: pd.Series, base_year: int, gdp_deflator: pd.Series | None
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """One province's series: volume relative to the base year, each year's step and whether its chain takes a GDP step.

    A year without the sector's index takes its step from the GDP deflator where that and the
    nominal values of the year and the year before are known.
    """
    known = [int(y) for y in [*index.index, *own.index, base_year]]
    years = list(range(min(known), max(known) + 1))
    links = index.reindex(years).astype(float) / 100
    step = pd.Series(np.where(links.notna(), "sector", ""), index=years, dtype=object)
    if gdp_deflator is not None:
        nominal, gdp = own.reindex(years), gdp_deflator.reindex(years)
        via_gdp = (nominal / nominal.shift()) / (gdp / gdp.shift())
        fill = links.isna() & via_gdp.notna()
        links, step[fill] = links.where(~fill, via_gdp), "gdp"
    volume = _chain(links, base_year).reindex(years)
    return volume, step, _reaches(step == "gdp", base_year).reindex(years, fill_value=False)


def implicit_deflators(yearbook: pd.DataFrame, indices: pd.DataFrame, *, base_year: int) -> pd.DataFrame:
    """Implicit deflators of every province and series that has volume indices (the GDP deflator filling gaps).

    Parameters
    ----------
    yearbook
        Long yearbook table with the nominal series of ``SERIES`` (亿元).
    indices
        From :func:`price_indices`.
    base_year
        Year of the prices: real = nominal and deflator = 100 in it.

    Returns
    -------
    DataFrame
        ``DEFLATOR_COLUMNS``: ``real_100m_yuan`` at base-year prices (亿元), ``deflator_base_100``
        (nominal / real x 100), ``index_from`` (``sector``: the year's step is the series' own
        index; ``gdp``: the GDP deflator's change, the sector's index being missing; empty: no
        step) and ``real_flag`` (``deflated``; ``gdp deflator`` where the chain from the base year
        takes a ``gdp`` step; ``no price index`` where the chain does not reach the year; ``no
        nominal series`` where the nominal value is missing in that year or the base year), one row
        per province, series and year from the first to the last of its index, nominal series and
        base year.
    """
    indexed = {
        key: rows.set_index("year")["index_previous_year_100"]
        for key, rows in indices.groupby(["province_code", "series"])
    }
    nominal_rows = _nominal(yearbook)
    by_key = nominal_rows.groupby(["province_code", "series"]).indices
    # only the series that have an index can be deflated: the others' nominal values are not needed
    nominal = {
        key: nominal_rows.iloc[by_key[key]].set_index("year")["nominal_100m_yuan"] for key in indexed if key in by_key
    }
    gdp_volumes = {}  # province -> the volumes of its GDP (they do not depend on any other series)
    gdp_deflators = {}  # province -> nominal / volume of GDP: its deflator up to a constant
    for (code, series), index in indexed.items():
        if series == "gdp":
            own = nominal.get((code, series), pd.Series(dtype=float))
            gdp_volumes[code] = _volumes(index, own, base_year, None)
            gdp_deflators[code] = own / gdp_volumes[code][0].reindex(own.index)
    frames = []
    for (code, series), index in indexed.items():
        own = nominal.get((code, series), pd.Series(dtype=float))
        if series == "gdp":
            volume, step, substituted = gdp_volumes[code]
        else:
            volume, step, substituted = _volumes(index, own, base_year, gdp_deflators.get(code))
        years = list(volume.index)
        real = own.get(base_year, np.nan) * volume.to_numpy()
        deflator = own.reindex(years).to_numpy() / real * 100
        flag = np.where(
            ~np.isnan(deflator),
            np.where(substituted.to_numpy(), GDP_DEFLATOR, DEFLATED),
            np.where(np.isnan(volume.to_numpy()), NO_INDEX, NO_NOMINAL),
        )
        frames.append(
            pd.DataFrame(
                {
                    "province_code": code,
                    "year": years,
                    "series": series,
                    "nominal_100m_yuan": own.reindex(years).to_numpy(),
                    "index_previous_year_100": index.reindex(years).to_numpy(),
                    "index_from": step.to_numpy(),
                    "real_100m_yuan": real,
                    "deflator_base_100": deflator,
                    "real_flag": flag,
                }
            )
        )
    if not frames:
        return _empty(DEFLATOR_COLUMNS)
    return pd.concat(frames, ignore_index=True)[DEFLATOR_COLUMNS].sort_values(
        ["province_code", "series", "year"], ignore_index=True
    )


def no_deflators() -> pd.DataFrame:
    """Make the deflator table of a run without any volume index: empty, with the columns and types.

    Returns
    -------
    DataFrame
        ``DEFLATOR_COLUMNS``, no rows (every real value is then empty and flagged ``no price index``).
    """
    return _empty(DEFLATOR_COLUMNS)


TYPES = {"province_code": "int64", "year": "int64"}  # other columns of an empty table: float, or text


def _empty(columns: Sequence[str]) -> pd.DataFrame:
    """Make an empty table with typed columns, so that merges on its keys work."""
    text = {"series", "component", "deflator_series", "real_flag", "source", "index_from"}
    return pd.DataFrame({c: pd.Series(dtype=TYPES.get(c, "object" if c in text else "float64")) for c in columns})


def deflator_choice(deflators: pd.DataFrame, components: Sequence[str] = tuple(COMPONENT_DEFLATORS)) -> pd.DataFrame:
    """Choose the deflator series of each province and component.

    A province uses, for all years, the first series of ``COMPONENT_DEFLATORS`` it has any volume
    index of (electronics: industry only where the user gives industry indices, else secondary),
    so that one component's real series never switches deflator from one year to the next.

    Parameters
    ----------
    deflators
        From :func:`implicit_deflators`.
    components
        The components to choose for.

    Returns
    -------
    DataFrame
        ``province_code``, ``component``, ``deflator_series`` (empty where the province has no index
        of any series the component may use).
    """
    has_index = deflators.dropna(subset=["index_previous_year_100"]).groupby("province_code")["series"].agg(set)
    rows = [
        {
            "province_code": int(code),
            "component": component,
            "deflator_series": next((s for s in COMPONENT_DEFLATORS[component] if s in available), ""),
        }
        for code, available in has_index.items()
        for component in components
    ]
    return (
        pd.DataFrame(rows, columns=["province_code", "component", "deflator_series"])
        if rows
        else _empty(["province_code", "component", "deflator_series"])
    )


def deflate_components(values: pd.DataFrame, deflators: pd.DataFrame) -> pd.DataFrame:
    """Real value added of each component at base-year prices (single deflation).

    Parameters
    ----------
    values
        Long component estimates with at least ``province_code``, ``year``, ``component`` and
        ``value_100m_yuan`` (亿元, current prices).
    deflators
        From :func:`implicit_deflators`.

    Returns
    -------
    DataFrame
        ``values`` with ``deflator_series`` (:func:`deflator_choice`; empty without any index),
        ``deflator_base_100``, ``real_value_100m_yuan`` (亿元 at base-year prices; empty where the
        deflator is) and ``real_flag`` (``deflated``, ``no price index`` or ``no nominal series``).

    Raises
    ------
    ValueError
        For a component that is not in ``COMPONENT_DEFLATORS``.
    """
    unknown = sorted(set(values["component"]) - set(COMPONENT_DEFLATORS))
    if unknown:
        raise ValueError(f"no deflator rule for components {unknown}; expected {list(COMPONENT_DEFLATORS)}")
    choice = deflator_choice(deflators, sorted(set(values["component"])))
    out = values.merge(choice, on=["province_code", "component"], how="left", validate="many_to_one")
    out["deflator_series"] = out["deflator_series"].fillna("")
    table = deflators[["province_code", "year", "series", "deflator_base_100", "real_flag"]].rename(
        columns={"series": "deflator_series"}
    )
    out = out.merge(table, on=["province_code", "year", "deflator_series"], how="left", validate="many_to_one")
    out["real_flag"] = out["real_flag"].fillna(NO_INDEX)
    out["real_value_100m_yuan"] = out["value_100m_yuan"] / out["deflator_base_100"] * 100
    return out


def worst_flag(flags: pd.Series) -> str:
    """Flag an aggregate by its worst part (``REAL_FLAGS`` order): deflated only if every part is.

    Parameters
    ----------
    flags
        The parts' ``real_flag`` values.

    Returns
    -------
    str
        ``no price index`` if any part has it, else ``no nominal series`` if any, else ``gdp
        deflator`` if any, else ``deflated``.
    """
    present = set(flags)
    return next((flag for flag in REAL_FLAGS if flag in present), NO_INDEX)
