"""Down to the cities: each province's components distributed over its prefecture-level cities.

No city has an input-output table, so a province's component value V[p, t] is distributed by a
key (section employment, telecom revenue, users, value added):

* Within a group (the cities of a province; one level up, the provinces of the nation), the key
  of unit u in year t is read relative to a *mover* M (a key that continues, e.g. tertiary VA)
  and to the group's own movement: z[u, t] = log(x[u, t] / M[u, t]) - g[t], g chained from year to
  year by the median change of log(x / M) over the units observed in both (:func:`group_movement`).
  In a year where every unit is observed, shares exp(z) M / sum(exp(z) M) are x / sum x
  exactly. Where the key is missing, garbled or screened out, z is interpolated over the unit's
  years (held beyond its last or first year), so shares are carried forward (or back), each
  moved by the unit's own growth of M relative to its group; such rows are flagged with their
  distance to the key year used.
* Screening: a z that jumps by more than ``log(factor)`` against both neighbouring observed years
  in opposite directions (or against its one neighbour at either end of a series) is an outlier:
  flagged and bridged; a lasting jump is flagged as a break and kept. A province-wide break in a
  key (the 2013 employment reform) cancels in z.
* Error one level up (:func:`level_up`): the same distribution from the nation to the provinces,
  with the provinces' counterparts of each key, against the provinces' own IO-table values,
  by component, candidate key and distance between the key year and the table year. It chooses
  the keys (:func:`choose_keys`) and gives the city values their bands (:func:`distribute`).

Pure functions: tables in, tables out.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from digecon.estimation.bands import BAND_QUANTILE, bounds

OBSERVED = "observed"
FLAGS = {  # status of a unit-year's key -> text of the flag column
    OBSERVED: "key of the year",
    "break": "key of the year (a break in the city's key, kept)",
    "outlier": "key bridged (outlier against the province's movement)",
    "garbled": "key bridged (cell not a number)",
    "missing": "key filled (no value printed)",
    "forward": "carried forward from the last key year, moved by the mover",
    "backward": "carried back from the first key year, moved by the mover",
    "mover only": "no key for this unit: its mover's share",
}
SCREEN_COLUMNS = ["group", "unit", "year", "value", "z", "status"]


def group_movement(frame: pd.DataFrame) -> pd.Series:
    """Chain the group's own movement of log(key / mover) from year to year.

    Each step is the median, over the units observed in both years, of their change: a unit that
    is missing, garbled or wrong in one year moves neither the step nor, through it, the others.

    Parameters
    ----------
    frame
        ``group``, ``unit``, ``year``, ``z`` (log of key / mover; NaN where not observed).

    Returns
    -------
    Series
        ``group_movement`` by (group, year), 0 in each group's first observed year.
    """
    movements = []
    for group, part in frame.dropna(subset=["z"]).groupby("group"):
        wide = part.pivot_table(index="unit", columns="year", values="z", aggfunc="first")
        steps = wide.diff(axis=1).median(axis=0, skipna=True).fillna(0.0)
        movements.append(
            pd.DataFrame({"group": group, "year": wide.columns, "group_movement": steps.cumsum().to_numpy()})
        )
    if not movements:
        return pd.Series(dtype=float, name="group_movement")
    return pd.concat(movements).set_index(["group", "year"])["group_movement"]


def _fill_z(years: np.ndarray, z: np.ndarray, valid: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Interpolate z over the years without a valid value (held at the ends); give each year's nearest key year."""
    if not valid.any():
        return np.zeros_like(z), np.full(len(z), np.nan)
    known_years, known = years[valid], z[valid]
    filled = np.interp(years, known_years, known)
    nearest = known_years[np.abs(years[:, None] - known_years[None, :]).argmin(axis=1)]
    return np.where(valid, z, filled), nearest.astype(float)


def _screen(z: np.ndarray, limit: float) -> np.ndarray:
    """Mark outliers among one unit's observed z (in year order): isolated jumps and jumps at either end."""
    out = np.zeros(len(z), dtype=bool)
    if len(z) < 2:
        return out
    steps = np.diff(z)
    for i in range(len(z)):
        before = steps[i - 1] if i > 0 else None
        after = -steps[i] if i < len(z) - 1 else None  # z[i] - z[i+1]
        if before is not None and after is not None:
            out[i] = abs(before) > limit and abs(after) > limit and np.sign(before) == np.sign(after)
        else:
            out[i] = abs(before if before is not None else after) > limit
    return out


def key_shares(
    keys: pd.DataFrame,
    units: pd.DataFrame,
    mover: pd.DataFrame | None,
    *,
    factor: float,
) -> pd.DataFrame:
    """Shares of each unit in its group, year by year, from a key that may be missing, noisy or stop.

    Parameters
    ----------
    keys
        ``group``, ``unit``, ``year``, ``value`` (the key; NaN or absent where not printed) and
        optionally ``garbled`` (True where the printed cell was no number).
    units
        ``group``, ``unit``, ``year``: every unit-year to give a share (e.g. the cities of each
        province in each year of the output).
    mover
        ``group``, ``unit``, ``year``, ``value`` of the key that moves carried shares (complete
        for ``units``, positive), or None for no mover (shares held as they are).
    factor
        Screening threshold (> 1): a jump of z beyond ``log(factor)``.

    Returns
    -------
    DataFrame
        ``units`` with ``share`` (summing to 1 in each group-year), ``status`` (a key of
        :data:`FLAGS`), ``key_year`` (the year whose key the share rests on; NaN for 'mover
        only'), ``distance_years`` (``|year - key_year|``), ``value`` (the key as printed, NaN if
        none) and ``z``.
    """
    limit = np.log(factor)
    frame = units[["group", "unit", "year"]].merge(
        keys[["group", "unit", "year", "value", *(["garbled"] if "garbled" in keys else [])]],
        on=["group", "unit", "year"],
        how="outer",
    )
    if "garbled" not in frame:
        frame["garbled"] = False
    frame["garbled"] = frame["garbled"].fillna(False).astype(bool)
    if mover is None:
        frame["mover"] = 1.0
    else:
        frame = frame.merge(
            mover[["group", "unit", "year", "value"]].rename(columns={"value": "mover"}),
            on=["group", "unit", "year"],
            how="left",
            validate="many_to_one",
        )
    frame = frame.astype({"value": float, "mover": float})
    ok = (frame["value"] > 0) & (frame["mover"] > 0)
    frame["z"] = np.log(frame["value"] / frame["mover"]).where(ok)
    frame = frame.join(group_movement(frame), on=["group", "year"])
    frame["z"] -= frame["group_movement"]
    frame = frame.sort_values(["group", "unit", "year"], ignore_index=True)
    status = np.where(frame["garbled"], "garbled", np.where(ok, OBSERVED, "missing")).astype(object)
    z_filled = np.zeros(len(frame))
    key_year = np.full(len(frame), np.nan)
    for _, index in frame.groupby(["group", "unit"]).indices.items():
        years = frame["year"].to_numpy(dtype=float)[index]
        z = frame["z"].to_numpy(dtype=float)[index]
        valid = ~np.isnan(z)
        positions = np.flatnonzero(valid)
        outliers = _screen(z[positions], limit)
        steps = np.abs(np.diff(z[positions], prepend=z[positions][:1]))
        for p, out, step in zip(positions, outliers, steps, strict=True):
            if out:
                status[index[p]] = "outlier"
                valid[p] = False
            elif step > limit:
                status[index[p]] = "break"
        filled, nearest = _fill_z(years, z, valid)
        z_filled[index] = filled
        key_year[index] = nearest
        if not valid.any():
            status[index] = "mover only"
            continue
        first, last = years[valid].min(), years[valid].max()
        plain = np.isin(status[index], ["missing"])
        status[index] = np.where(
            plain & (years > last), "forward", np.where(plain & (years < first), "backward", status[index])
        )
    frame = frame.assign(status=status, z=z_filled, key_year=key_year)
    frame = units[["group", "unit", "year"]].merge(frame, on=["group", "unit", "year"], how="left")
    weight = np.exp(frame["z"]) * frame["mover"]
    frame["share"] = weight / weight.groupby([frame["group"], frame["year"]]).transform("sum")
    frame["distance_years"] = (frame["year"] - frame["key_year"]).abs()
    return frame[["group", "unit", "year", "share", "status", "key_year", "distance_years", "value", "z"]]


def combined_shares(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """Average the shares of several keys (a combined candidate such as ``emp_I+va3``).

    Parameters
    ----------
    parts
        :func:`key_shares` of each key, over the same units.

    Returns
    -------
    DataFrame
        As :func:`key_shares`: the mean share; the status and key year of the first part whose
        status is not 'observed' (else the first part's); the largest distance.
    """
    if len(parts) == 1:
        return parts[0]
    on = ["group", "unit", "year"]
    base = parts[0][[*on, "status", "key_year", "value", "z"]].copy()
    index = base.set_index(on).index
    shares = np.column_stack([p.set_index(on).loc[index, "share"].to_numpy(dtype=float) for p in parts])
    distances = np.column_stack([p.set_index(on).loc[index, "distance_years"].to_numpy(dtype=float) for p in parts])
    for part in parts[1:]:
        other = part.set_index(on).loc[base.set_index(on).index]
        take = (base["status"] == OBSERVED).to_numpy() & (other["status"] != OBSERVED).to_numpy()
        base.loc[take, "status"] = other["status"].to_numpy()[take]
        base.loc[take, "key_year"] = other["key_year"].to_numpy()[take]
    base["share"] = shares.mean(axis=1)
    base["distance_years"] = np.fmax.reduce(distances, axis=1)  # NaN only where every part has no key year
    return base[["group", "unit", "year", "share", "status", "key_year", "distance_years", "value", "z"]]


def candidate_keys(candidate: str) -> list[str]:
    """Split a candidate name into its keys (``emp_I+va3`` -> ``['emp_I', 'va3']``)."""
    return candidate.split("+")


LEVEL_UP_COLUMNS = [
    "component",
    "candidate",
    "table_year",
    "key_year",
    "distance_years",
    "province_code",
    "estimate_100m_yuan",
    "actual_100m_yuan",
    "ape",
    "band_error",
]


def level_up(
    benchmarks: pd.DataFrame,
    province_keys: pd.DataFrame,
    candidates: dict[str, tuple[str, ...]],
    movers: dict[str, str],
    *,
    table_years: list[int],
    max_distance: int,
    factor: float,
) -> pd.DataFrame:
    """Measure each candidate key one level up: the nation's component distributed over the provinces.

    For each table year T and key year K within ``max_distance`` of it, the provinces' shares in T
    are built from the key of year K alone, moved to T by the mover (as city shares are carried),
    applied to the sum of the provinces' table values in T, and compared with each province's
    own table value.

    Parameters
    ----------
    benchmarks
        ``province_code``, ``year``, ``component``, ``benchmark_value_100m_yuan`` (the IO-table
        values; national rows, code 0, are left out).
    province_keys
        ``province_code``, ``year``, ``key``, ``value``: the provinces' counterparts of the keys
        and movers.
    candidates
        Component -> candidate names (:func:`candidate_keys`).
    movers
        Component -> mover key.
    table_years
        IO years to measure (those with a table for every province).
    max_distance
        Largest ``|K - T|`` measured.
    factor
        As for :func:`key_shares` (no screening happens with one key year).

    Returns
    -------
    DataFrame
        :data:`LEVEL_UP_COLUMNS`, one row per component, candidate, table year, key year and
        province; ``ape`` = |estimate - actual| / actual, ``band_error`` = |estimate - actual| /
        estimate.
    """
    actual = benchmarks[(benchmarks["province_code"] != 0) & benchmarks["year"].isin(table_years)]
    cache: dict[tuple[str, str, int, int], pd.DataFrame] = {}  # services share one mover: shares computed once

    def shares_of(key: str, mover_key: str, key_year: int, table_year: int, provinces: pd.Index) -> pd.DataFrame:
        if (key, mover_key, key_year, table_year) not in cache:
            observed = province_keys[(province_keys["key"] == key) & (province_keys["year"] == key_year)]
            mover = province_keys[
                (province_keys["key"] == mover_key) & province_keys["year"].isin([key_year, table_year])
            ]
            units = pd.DataFrame({"group": 0, "unit": provinces}).merge(
                pd.DataFrame({"year": [key_year, table_year]}), how="cross"
            )
            shares = key_shares(
                observed.assign(group=0, unit=observed["province_code"]),
                units.drop_duplicates(),
                mover.assign(group=0, unit=mover["province_code"]),
                factor=factor,
            )
            cache[key, mover_key, key_year, table_year] = shares[shares["year"] == table_year].reset_index(drop=True)
        return cache[key, mover_key, key_year, table_year]

    rows = []
    for component, names in candidates.items():
        values = actual[actual["component"] == component].set_index(["year", "province_code"])[
            "benchmark_value_100m_yuan"
        ]
        for table_year in table_years:
            if table_year not in values.index.get_level_values(0):
                continue
            truth = values.loc[table_year]
            for name in names:
                keys = candidate_keys(name)
                key_years = set.intersection(*[set(province_keys.loc[province_keys["key"] == k, "year"]) for k in keys])
                for key_year in sorted(y for y in key_years if abs(y - table_year) <= max_distance):
                    parts = [shares_of(k, movers[component], key_year, table_year, truth.index) for k in keys]
                    shares = combined_shares(parts).set_index("unit")["share"]
                    estimate = shares.reindex(truth.index) * truth.sum()
                    for code, est in estimate.items():
                        rows.append(
                            (component, name, table_year, key_year, abs(key_year - table_year), code, est, truth[code])
                        )
    errors = pd.DataFrame(rows, columns=LEVEL_UP_COLUMNS[:-2])
    gap = (errors["estimate_100m_yuan"] - errors["actual_100m_yuan"]).abs()
    return errors.assign(ape=gap / errors["actual_100m_yuan"], band_error=gap / errors["estimate_100m_yuan"])


SUMMARY_COLUMNS = ["component", "candidate", "distance_years", "n", "median_ape", "q80_band_error", "chosen"]


def choose_keys(errors: pd.DataFrame, use: dict[str, str], candidates: dict[str, tuple[str, ...]]) -> pd.DataFrame:
    """Summarise the level-up errors and choose each component's key.

    Parameters
    ----------
    errors
        :func:`level_up`.
    use
        Component -> 'auto' or a candidate name (the user's choice wins).
    candidates
        Component -> candidates in order (a tie goes to the earlier one).

    Returns
    -------
    DataFrame
        :data:`SUMMARY_COLUMNS`: per component, candidate and distance the number of province
        tables, the median APE and the q80 band error; ``chosen`` True on every row of the key
        used (auto: the lowest median APE at distance 0).
    """
    finite = errors[np.isfinite(errors["ape"]) & np.isfinite(errors["band_error"])]
    summary = (
        finite.groupby(["component", "candidate", "distance_years"])
        .agg(
            n=("ape", "size"),
            median_ape=("ape", "median"),
            q80_band_error=("band_error", lambda s: s.quantile(BAND_QUANTILE)),
        )
        .reset_index()
    )
    chosen = {}
    for component, names in candidates.items():
        if use.get(component, "auto") != "auto":
            chosen[component] = use[component]
            continue
        ranked = common_ranking(finite, component, names)
        chosen[component] = ranked.index[0] if len(ranked) else names[0]
    summary["chosen"] = summary["candidate"] == summary["component"].map(chosen)
    return summary[SUMMARY_COLUMNS]


def common_ranking(errors: pd.DataFrame, component: str, names: tuple[str, ...]) -> pd.Series:
    """Rank a component's candidates by median APE at distance 0 on the tables they all cover.

    Keys start in different years (provincial employment by section in 2008, so it has no
    distance-0 value for the 2007 tables): comparing each on its own tables would favour none
    fairly, so the ranking uses only the table years every candidate has at distance 0.

    Returns
    -------
    Series
        Candidate -> median APE on the common table years, best first (ties: the earlier
        candidate); empty if the candidates share no table year.
    """
    # the rows choose_keys summarises: an APE and a band error (no zero or missing table value)
    finite = errors[np.isfinite(errors["ape"]) & np.isfinite(errors["band_error"])]
    at_zero = finite[
        (finite["component"] == component) & (finite["distance_years"] == 0) & finite["candidate"].isin(names)
    ]
    years = [set(g["table_year"]) for _, g in at_zero.groupby("candidate")]
    common = set.intersection(*years) if len(years) == len(names) else set()
    medians = at_zero[at_zero["table_year"].isin(common)].groupby("candidate")["ape"].median()
    order = pd.Series({name: i for i, name in enumerate(names)})
    return medians.iloc[np.lexsort((order.reindex(medians.index).to_numpy(), medians.to_numpy()))]


def band_of(
    summary: pd.DataFrame, component: str, candidate: str, distance: pd.Series
) -> tuple[np.ndarray, np.ndarray]:
    """Half-width of the band at each distance: the q80 band error measured one level up.

    Beyond the largest measured distance (or for rows without a key year) the band of the largest
    measured distance is used.

    Returns
    -------
    (half_width, distance_measured)
        The relative half-width and the measured distance it comes from.
    """
    rows = summary[(summary["component"] == component) & (summary["candidate"] == candidate)]
    measured = rows.set_index("distance_years")["q80_band_error"].sort_index()
    if measured.empty:
        return np.full(len(distance), np.nan), np.full(len(distance), np.nan)
    measured_at = measured.index.to_numpy()
    d = distance.fillna(measured_at.max()).to_numpy()
    # the largest measured distance not beyond d (the smallest where d is below every one)
    used = measured_at[np.clip(np.searchsorted(measured_at, d, side="right") - 1, 0, None)]
    return measured.reindex(used).to_numpy(), used.astype(float)


# The provinces' counterparts of the city keys in the NBS provincial series (data/processed/yearbook.csv).
# Telecom revenue has none: 电信业务总量 (business volume) is the nearest provincial series.
PROVINCE_COUNTERPARTS = {
    "emp_I": "信息传输、软件和信息技术服务业城镇单位就业人员",
    "emp_R": "文化、体育和娱乐业城镇单位就业人员",
    "emp_C": "制造业城镇单位就业人员",
    "telecom_revenue": "电信业务总量",
    "mobile": "移动电话年末用户",
    "broadband": "互联网宽带接入用户",
    "gdp": "地区生产总值",
    "va2": "第二产业增加值",
    "va3": "第三产业增加值",
}


def province_keys(yearbook: pd.DataFrame) -> pd.DataFrame:
    """Select the provinces' counterparts of the city keys from the provincial series.

    Parameters
    ----------
    yearbook
        ``province_code``, ``year``, ``indicator``, ``value`` (data/processed/yearbook.csv).

    Returns
    -------
    DataFrame
        ``province_code``, ``year``, ``key``, ``value``, ``indicator`` (provinces only).
    """
    by_name = {v: k for k, v in PROVINCE_COUNTERPARTS.items()}
    rows = yearbook[yearbook["indicator"].isin(by_name) & (yearbook["province_code"] != 0)]
    return rows.assign(key=rows["indicator"].map(by_name))[["province_code", "year", "key", "value", "indicator"]]


REST_FLAG = "rest of the province (地区, 自治州, 盟 outside the cities): split from the cities by the mover"
CITY_COLUMNS = [
    "year",
    "province_code",
    "city_code",
    "unit_type",
    "component",
    "value_100m_yuan",
    "lower_100m_yuan",
    "upper_100m_yuan",
    "band_relative",
    "band_distance_years",
    "key",
    "key_year",
    "distance_years",
    "status",
    "flag",
    "share_in_cities",
    "cities_part_of_province",
    "key_value",
    "province_value_100m_yuan",
]


def _rest_rows(part: pd.Series, component: str, mover: str, summary: pd.DataFrame) -> pd.DataFrame:
    """One row per province-year whose cities are not the whole province: the rest, keyed by the mover."""
    rest = part[part < 1 - 1e-12].reset_index()
    half, measured = band_of(summary, component, mover, pd.Series(0.0, index=rest.index))
    return rest.assign(
        unit=rest["group"],
        unit_type="rest",
        component=component,
        key=mover,
        share_in_cities=np.nan,
        status="rest",
        band_relative=half,
        band_distance_years=measured,
        distance_years=0.0,
        key_year=rest["year"].astype(float),
    )


def distribute(
    province_values: pd.DataFrame,
    city_keys: pd.DataFrame,
    units: pd.DataFrame,
    chosen: dict[str, str],
    movers: dict[str, str],
    summary: pd.DataFrame,
    *,
    factor: float,
) -> pd.DataFrame:
    """Distribute each province's components over its cities and the rest of the province.

    The province's value is split between its cities and the rest (the 地区, 自治州 and 盟 that
    the city yearbook does not cover) by the mover (secondary or tertiary VA of every prefecture-
    level unit), then over the cities by the chosen key (:func:`key_shares`): cities and rest add
    up to the province's value exactly. Municipalities are their own single city.

    Parameters
    ----------
    province_values
        ``province_code``, ``year``, ``component``, ``value_100m_yuan`` and its ``band_relative``.
    city_keys
        ``province_code``, ``city_code``, ``year``, ``key``, ``value`` and ``garbled``: the city
        yearbook's keys of the cities and the movers (VA) of every prefecture-level unit.
    units
        ``year``, ``province_code``, ``city_code``, ``unit_type`` (city, municipality, other):
        the prefecture-level units of each output year.
    chosen
        Component -> candidate key (:func:`choose_keys`).
    movers
        Component -> mover key.
    summary
        :func:`choose_keys` (the bands).
    factor
        Screening threshold (:func:`key_shares`).

    Returns
    -------
    DataFrame
        :data:`CITY_COLUMNS`: one row per city (and rest of a province where it has other
        units), year and component; ``unit_type`` 'rest' for the rest, whose ``city_code`` is
        the province code.
    """
    frames = []
    as_group = {"province_code": "group", "city_code": "unit"}
    city_keys = city_keys[["province_code", "city_code", "year", "key", "value", "garbled"]]
    all_units = units[["year", "province_code", "city_code", "unit_type"]].rename(columns=as_group)
    is_city = all_units["unit_type"].isin(["city", "municipality"])
    for component, candidate in chosen.items():
        mover_values = city_keys[city_keys["key"] == movers[component]].rename(columns=as_group)
        mover = key_shares(mover_values, all_units, None, factor=factor)
        city_units = all_units[is_city]
        covered = mover.merge(city_units[["group", "unit", "year"]], on=["group", "unit", "year"])
        part = covered.groupby(["group", "year"])["share"].sum().rename("cities_part_of_province")
        city_mover = covered[["group", "unit", "year", "share"]].rename(columns={"share": "value"})
        parts = [
            key_shares(
                city_keys[city_keys["key"] == key].rename(columns=as_group), city_units, city_mover, factor=factor
            )
            for key in candidate_keys(candidate)
        ]
        shares = combined_shares(parts).rename(columns={"share": "share_in_cities", "value": "key_value"})
        shares = shares.join(part, on=["group", "year"])
        half, measured = band_of(summary, component, candidate, shares["distance_years"])
        shares = shares.assign(
            component=component,
            key=candidate,
            band_relative=half,
            band_distance_years=measured,
            unit_type=shares.merge(city_units, on=["group", "unit", "year"], how="left")["unit_type"].to_numpy(),
        )
        rest = _rest_rows(part, component, movers[component], summary)
        frames += [shares, rest]
    table = pd.concat(frames, ignore_index=True).rename(columns={"group": "province_code", "unit": "city_code"})
    keys = ["province_code", "year", "component"]
    province = province_values.set_index(keys)[["value_100m_yuan", "band_relative"]]
    province.columns = ["province_value_100m_yuan", "province_band_relative"]
    table = table.join(province, on=keys)
    table = table[table["province_value_100m_yuan"].notna()]
    # A municipality is its province: nothing is distributed, so its band is the province's own.
    municipality = table["unit_type"] == "municipality"
    table["band_relative"] = table["band_relative"].where(~municipality, table["province_band_relative"])
    table["band_distance_years"] = table["band_distance_years"].where(~municipality)
    part = np.where(
        table["unit_type"] == "rest", 1 - table["cities_part_of_province"], table["cities_part_of_province"]
    )
    within = table["share_in_cities"].fillna(1.0)
    value = table["province_value_100m_yuan"] * part * within
    lower, upper = bounds(value, table["band_relative"])
    flags = table["status"].map({**FLAGS, "rest": REST_FLAG})
    table = table.assign(value_100m_yuan=value, lower_100m_yuan=lower, upper_100m_yuan=upper, flag=flags)
    return table[CITY_COLUMNS].sort_values(["year", "province_code", "city_code", "component"], ignore_index=True)


SCREENING_COLUMNS = ["component", "key", "year", "province_code", "city_code", "status", "key_value"]


def estimate_cities(
    province_values: pd.DataFrame,
    benchmarks: pd.DataFrame,
    yearbook: pd.DataFrame,
    city_keys: pd.DataFrame,
    register: pd.DataFrame,
    *,
    candidates: dict[str, tuple[str, ...]],
    use: dict[str, str],
    movers: dict[str, str],
    years: range,
    factor: float,
    max_distance: int,
) -> dict[str, pd.DataFrame]:
    """Run the city stage: measure the keys one level up, choose them, distribute the provinces.

    Parameters
    ----------
    province_values
        ``province_code``, ``year``, ``component``, ``value_100m_yuan`` and ``band_relative`` (one method
        and convention).
    benchmarks
        The provinces' IO-table component values (``benchmark_value_100m_yuan``).
    yearbook
        The provincial series (:func:`province_keys` picks the keys' counterparts).
    city_keys, register
        From :func:`digecon.inputs.cities.city_keys_table`.
    candidates, use, movers
        The settings ``cities.candidates``, ``cities.use``, ``cities.movers``.
    years
        Years of the city estimates.
    factor, max_distance
        The settings ``cities.outlier_factor`` and ``cities.max_distance_years``.

    Returns
    -------
    dict
        ``estimates`` (:func:`distribute`), ``level_up`` (:func:`level_up`), ``summary``
        (:func:`choose_keys`), ``ranking`` (:func:`common_ranking` of each component, with the table
        years compared) and ``screening`` (the city keys flagged by the screen:
        outliers, breaks and cells that are no number, for the keys used).
    """
    complete = benchmarks[benchmarks["province_code"] != 0].groupby("year")["province_code"].nunique()
    table_years = sorted(complete[complete == complete.max()].index)  # years with a table for every province
    errors = level_up(
        benchmarks,
        province_keys(yearbook),
        candidates,
        movers,
        table_years=table_years,
        max_distance=max_distance,
        factor=factor,
    )
    summary = choose_keys(errors, use, candidates)
    chosen = summary[summary["chosen"]].groupby("component")["candidate"].first().to_dict()
    with_keys = set(city_keys.loc[city_keys["value"].notna(), "city_code"])
    units = register[register["year"].isin(years) & register["city_code"].isin(with_keys)]
    estimates = distribute(province_values, city_keys, units, chosen, movers, summary, factor=factor)
    screened = estimates[estimates["status"].isin(["outlier", "break"])]
    garbled = city_keys[city_keys["garbled"].astype(bool) & city_keys["year"].isin(years)]
    screening = pd.concat(
        [
            screened[SCREENING_COLUMNS],
            garbled.assign(component="", status="garbled", key_value=np.nan)[SCREENING_COLUMNS],
        ],
        ignore_index=True,
    )
    ranking = pd.concat(
        [
            common_ranking(errors, component, names)
            .rename("median_ape")
            .rename_axis("candidate")
            .reset_index()
            .assign(component=component, rank=lambda t: range(1, len(t) + 1))
            for component, names in candidates.items()
        ],
        ignore_index=True,
    )
    ranking = ranking.assign(
        chosen=ranking["candidate"] == ranking["component"].map(chosen), table_years=", ".join(map(str, table_years))
    )
    return {
        "estimates": estimates,
        "level_up": errors,
        "summary": summary,
        "ranking": ranking[["component", "rank", "candidate", "median_ape", "chosen", "table_years"]],
        "screening": screening,
    }
