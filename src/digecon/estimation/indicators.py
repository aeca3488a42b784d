"""Annual indicator series X[k, p, t] for carrying benchmark coefficients to other years.

A chain of yearbook indicators, first available wins (METHOD.md section 3), gives one series
per key (an IO aggregate in :data:`CHAINS`, or a component when the chains are the candidates of
:mod:`digecon.estimation.chains`). Where the preferred indicator stops (其他行业增加值 after 2019,
工业增加值 after 2022), the next one in the chain is spliced on by its ratio to the series in the
nearest overlapping year, so the level stays that of the preferred indicator; spliced years are
flagged. An indicator a province lacks altogether is left out of that province's chain (宁夏 and
西藏 have no C39 revenue): the next one leads there, and ``leading_indicator`` says which.
The indicator whose value (or growth, where spliced) a year takes is the one that carries it:
``carrying_indicator`` names it for every province-year.

Indicators at constant prices of a base year that changes (电信业务总量: 2000, 2010, 2015, 2018
prices) are linked across each change by :func:`link_price_bases`, so only growth within one base
is used.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from itertools import pairwise

import numpy as np
import pandas as pd

from digecon.core.errors import InputError

CHAINS: dict[str, tuple[str, ...]] = {
    "industry": ("工业增加值", "第二产业增加值", "地区生产总值"),
    "other_services": ("其他行业增加值", "第三产业增加值", "地区生产总值"),
}
SERIES_COLUMNS = [
    "aggregate",
    "province_code",
    "year",
    "indicator_100m_yuan",
    "indicator",
    "indicator_source",
    "spliced",
    "leading_indicator",
    "carrying_indicator",
    "excess_growth_log",
    "break",
]
# what carries a year of an estimate (``carried_by``): the IO table of that year, a series of the
# industry itself (C39 revenue, software revenue, a wage bill, a user's series) or only an aggregate
# (工业增加值, 其他行业增加值, ... : digecon.estimation.chains.IO_AGGREGATES)
BENCHMARK_TABLE, INDUSTRY_SERIES, AGGREGATE = "benchmark table", "industry series", "aggregate"
MIXED = "mixed"  # a sum (the total, the provinces' sum) whose parts are carried differently
# what the screen of the yearbook (screen_breaks) says of each value, carried into the series
SCREEN_FIELDS = ("excess_growth_log", "break")
PRICE_BASE_FALL_SHARE = 0.9  # a constant-price volume falling in this share of provinces at once: a new base


def _grids(rows: pd.DataFrame, codes: np.ndarray, years: list[int], positions: np.ndarray) -> dict[str, np.ndarray]:
    """One indicator, its rows at ``positions``, as (province x year) arrays over years.

    Arrays: has, value, source, note (a linked price base) and the screen's excess growth and
    break (NaN and '' where the yearbook was not screened).
    """
    optional = [c for c in ("note", *SCREEN_FIELDS) if c in rows.columns]
    mine = rows[["province_code", "year", "value", "source", *optional]].iloc[positions]
    mine = mine[mine["year"].isin(years)]
    p = np.searchsorted(codes, mine["province_code"].to_numpy(dtype=np.int64))
    y = np.searchsorted(np.asarray(years), mine["year"].to_numpy(dtype=np.int64))
    shape = (len(codes), len(years))
    has, value, excess = np.zeros(shape, dtype=bool), np.full(shape, np.nan), np.full(shape, np.nan)
    source, note, brk = (np.full(shape, None, dtype=object) for _ in range(3))
    has[p, y] = True
    value[p, y] = mine["value"].to_numpy(dtype=float)
    source[p, y] = mine["source"].to_numpy(dtype=object)
    if "note" in mine.columns:
        note[p, y] = mine["note"].to_numpy(dtype=object)
    if "excess_growth_log" in mine.columns:
        excess[p, y] = mine["excess_growth_log"].to_numpy(dtype=float)
    brk[p, y] = mine["break"].fillna("").to_numpy(dtype=object) if "break" in mine.columns else ""
    return {"has": has, "value": value, "source": source, "note": note, "excess": excess, "break": brk}


def _splice(chain: tuple[str, ...], grids: list[dict[str, np.ndarray]], years: list[int]) -> dict[str, np.ndarray]:
    """Composite series of every province at once from the chain (the rule in the module docstring).

    Each province is led by the first indicator it has in some year; the years that indicator
    covers are its own (a linked price base noted and flagged). Each later indicator then fills
    the years still empty, scaled by its ratio to the series in the nearest overlapping year
    (the latest one before the gap, else the first one), the overlap taken before it adds years.
    Each year's ``carrier`` is the indicator whose value it took, scaled or not.
    """
    n_provinces, n_years = grids[0]["has"].shape
    present = np.array([g["has"].any(axis=1) for g in grids])  # (indicator, province)
    lead = np.where(present.any(axis=0), present.argmax(axis=0), -1)
    filled = np.zeros((n_provinces, n_years), dtype=bool)
    value = np.full((n_provinces, n_years), np.nan)
    label, source, carrier = (np.full((n_provinces, n_years), None, dtype=object) for _ in range(3))
    spliced = np.zeros((n_provinces, n_years), dtype=bool)
    excess, brk = np.full((n_provinces, n_years), np.nan), np.full((n_provinces, n_years), "", dtype=object)
    first = np.array([chain[i] if i >= 0 else "" for i in lead], dtype=object)
    for i, g in enumerate(grids):
        led = (lead == i)[:, None] & g["has"]
        linked = np.array([isinstance(n, str) and bool(n) for n in g["note"][led]], dtype=bool)
        filled |= led
        value[led], source[led] = g["value"][led], g["source"][led]
        excess[led], brk[led] = g["excess"][led], g["break"][led]
        own = np.full(led.sum(), chain[i], dtype=object)
        own[linked] = [f"{chain[i]} ({n})" for n in g["note"][led][linked]]
        label[led], spliced[led], carrier[led] = own, linked, chain[i]
    position = np.arange(n_years)
    for i, g in enumerate(grids):
        later = (lead >= 0) & (lead < i)
        overlap = filled & g["has"] & later[:, None]
        gap = ~filled & g["has"] & overlap.any(axis=1)[:, None]
        if not gap.any():
            continue
        seen = np.where(overlap, position, -1)
        before = np.r_["1", np.full((n_provinces, 1), -1), np.maximum.accumulate(seen, axis=1)[:, :-1]]
        anchor = np.where(before >= 0, before, overlap.argmax(axis=1)[:, None])
        p, y = np.nonzero(gap)
        a = anchor[p, y]
        factor = value[p, a] / g["value"][p, a]
        value[p, y] = g["value"][p, y] * factor
        source[p, y], spliced[p, y], carrier[p, y] = g["source"][p, y], True, chain[i]
        excess[p, y], brk[p, y] = g["excess"][p, y], g["break"][p, y]
        # the label depends on the province and the anchor year only: each distinct pair is formatted once
        pairs, pair_of = np.unique(p * n_years + a, return_index=True, return_inverse=True)[1:]
        texts = [f"{first[p[j]]} (spliced: {chain[i]} x {factor[j]:.4f}, ratio in {years[a[j]]})" for j in pairs]
        label[p, y] = np.array(texts, dtype=object)[pair_of.ravel()]
        filled[p, y] = True
    return {
        "filled": filled,
        "value": value,
        "label": label,
        "source": source,
        "spliced": spliced,
        "first": first,
        "carrier": carrier,
        "excess": excess,
        "break": brk,
    }


def indicator_series(
    yearbook: pd.DataFrame, years: list[int], chains: dict[str, tuple[str, ...]] = CHAINS, *, key: str = "aggregate"
) -> pd.DataFrame:
    """Composite indicator per key (aggregate or component), province and year.

    Parameters
    ----------
    yearbook
        Long yearbook data (:mod:`digecon.inputs.yearbook`): ``province_code``, ``year``, ``indicator``,
        ``value`` (亿元), ``source``.
    years
        Every year the estimate needs; each must be covered by the chain.
    chains
        Key -> indicator names, preferred first. A province without any value of an indicator in
        ``years`` skips it; the first one it has leads its series.
    key
        Name of the key column: ``aggregate`` (:data:`CHAINS`) or ``component``.

    Returns
    -------
    DataFrame
        ``SERIES_COLUMNS`` (the first named ``key``): ``indicator_100m_yuan`` on the level of the
        province's leading indicator, ``indicator`` (name, with the splice factor where spliced, or
        the price-base link), ``indicator_source``, ``spliced``, ``leading_indicator``,
        ``carrying_indicator`` (the indicator whose value, or growth where spliced, the year takes:
        the leading one in its own years, the one spliced on in the others).

    Raises
    ------
    InputError
        If a year in ``years`` cannot be covered for some province, or an indicator is zero or negative.
    """
    bad = yearbook[yearbook["indicator"].isin({i for c in chains.values() for i in c}) & (yearbook["value"] <= 0)]
    if not bad.empty:
        row = bad.iloc[0]
        raise InputError(
            row["source"],
            f"indicator {row['indicator']} is not positive for province {row['province_code']} in {row['year']}",
            expected="a positive value in 亿元",
            found=str(row["value"]),
        )
    codes = np.array(sorted(int(c) for c in yearbook["province_code"].unique()), dtype=np.int64)
    rows_of, none = yearbook.groupby("indicator", sort=False).indices, np.arange(0)  # each indicator's rows, found once
    frames = []
    for name, chain in chains.items():
        series = _splice(chain, [_grids(yearbook, codes, years, rows_of.get(i, none)) for i in chain], years)
        incomplete = ~series["filled"].all(axis=1)
        if incomplete.any():
            p = int(np.flatnonzero(incomplete)[0])
            missing = [years[k] for k in np.flatnonzero(~series["filled"][p])]
            raise InputError(
                ", ".join(sorted(yearbook["source"].unique())),
                f"no {' / '.join(chain)} for province {codes[p]} in {missing}",
                expected=f"every year {years[0]}-{years[-1]} (or set estimate.first_year, last_year within the data)",
            )
        n = len(years)
        frames.append(
            pd.DataFrame(
                {
                    key: name,
                    "province_code": np.repeat(codes, n),
                    "year": np.tile(np.asarray(years, dtype=np.int64), len(codes)),
                    "indicator_100m_yuan": series["value"].ravel(),
                    "indicator": series["label"].ravel(),
                    "indicator_source": series["source"].ravel(),
                    "spliced": series["spliced"].ravel(),
                    "leading_indicator": np.repeat(series["first"], n),
                    "carrying_indicator": series["carrier"].ravel(),
                    "excess_growth_log": series["excess"].ravel(),
                    "break": series["break"].ravel(),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)[[key, *SERIES_COLUMNS[1:]]]


def combined_carriers(frame: pd.DataFrame, keys: Sequence[str]) -> pd.DataFrame:
    """Say what carries a combination of several series: their carriers joined, the kind they share or ``mixed``.

    Parameters
    ----------
    frame
        One row per key and series combined, with ``carrying_indicator`` and ``carried_by``.
    keys
        The columns of one combined value (e.g. component, province and year).

    Returns
    -------
    DataFrame
        Indexed by ``keys`` (in order of first appearance): ``carrying_indicator`` (the distinct carriers
        joined by `` + ``, series of the industry first, each kind in the order it first appears in
        ``frame``) and ``carried_by`` (that of every series where they agree, else ``mixed``).
    """
    keys = list(keys)
    codes, names = pd.factorize(frame["carrying_indicator"].astype(str))
    kind_of = frame["carried_by"].astype(str).to_numpy()[np.unique(codes, return_index=True)[1]]
    # a series of the industry named before an aggregate, else in order of first appearance
    order = np.argsort(kind_of == AGGREGATE, kind="stable")
    codes, names, kind_of = np.argsort(order)[codes], names[order], kind_of[order]
    distinct = frame[keys].assign(_code=codes).drop_duplicates()
    group = distinct.groupby(keys, observed=True, sort=False).ngroup().to_numpy()
    # the carriers of each group as a row of flags: the few distinct rows are named once, not every group
    present = np.zeros((group.max() + 1 if len(group) else 0, len(names)), dtype=bool)
    present[group, distinct["_code"].to_numpy()] = True
    patterns, pattern_of = np.unique(present, axis=0, return_inverse=True)
    texts = np.array([" + ".join(names[p]) for p in patterns], dtype=object)
    kinds = np.array([k[0] if len(set(k)) == 1 else MIXED for k in (kind_of[p] for p in patterns)], dtype=object)
    index = distinct.drop_duplicates(keys).set_index(keys).index
    pattern_of = pattern_of.ravel()
    return pd.DataFrame({"carrying_indicator": texts[pattern_of], "carried_by": kinds[pattern_of]}, index=index)


BREAK_COLUMNS = [
    "aggregate",
    "province_code",
    "year",
    "indicator",
    "excess_growth_log",
    "break",
    "threshold",
    "message",
]


def series_key(indicators: pd.DataFrame) -> str:
    """Name the key column of an indicator frame: ``component`` (chains per component) or ``aggregate``.

    Parameters
    ----------
    indicators
        From :func:`indicator_series` or :func:`digecon.estimation.chains.chain_series`.

    Returns
    -------
    str
        ``component`` if the frame has that column, else ``aggregate``.
    """
    return "component" if "component" in indicators.columns else "aggregate"


def indicator_breaks(indicators: pd.DataFrame, threshold: float) -> pd.DataFrame:
    """Values of the composite series that the screen of the yearbook flags (:func:`screen_breaks`).

    A jump in the indicator passes straight into the estimate (V = c X), so a break in a yearbook
    series (a change of survey coverage, an error) shows up as growth of the digital economy; these
    rows say which estimates rest on a flagged value and what was done to it. The screen's
    statistic travels with each value (``excess_growth_log``, ``break``); a yearbook that was not
    screened gives no rows.

    Parameters
    ----------
    indicators
        From :func:`indicator_series` (keyed by aggregate or component, :func:`series_key`).
    threshold
        Largest ordinary |excess growth| in log points, as in :func:`screen_breaks`.

    Returns
    -------
    DataFrame
        ``BREAK_COLUMNS`` (the first named as the key of ``indicators``), one row per key, province
        and year whose value grew beyond the threshold against the national sum or was bridged.
    """
    key = series_key(indicators)
    if "excess_growth_log" not in indicators.columns:
        return pd.DataFrame(columns=[key, *BREAK_COLUMNS[1:]])
    excess = indicators["excess_growth_log"].astype(float)
    action = indicators["break"].astype(str)
    hits = indicators[(excess.abs() > threshold) | action.str.endswith(BRIDGED)].assign(threshold=threshold)
    message = [
        f"province {code}, {name} {year}: {indicator} grew {change:+.2f} log points against the national sum "
        f"({what or 'within the threshold'})"
        for code, name, year, indicator, change, what in zip(
            hits["province_code"],
            hits[key],
            hits["year"],
            hits["indicator"],
            hits["excess_growth_log"],
            hits["break"],
            strict=True,
        )
    ]
    return hits.assign(message=message).reindex(columns=[key, *BREAK_COLUMNS[1:]]).reset_index(drop=True)


# The screen of every yearbook series against the national sum of the same indicator.
RATE_UNITS = ("上年=100",)  # growth rates already: not screened
MAX_SPIKE_YEARS = 2  # a run of at most this many values out of line and back is an outlier, longer a change of level
BRIDGED, KEPT = "bridged", "kept"
SCREEN_COLUMNS = [
    "indicator",
    "province_code",
    "year",
    "kind",
    "pattern",
    "value_published",
    "value_used",
    "change_log",
    "national_change_log",
    "excess_growth_log",
    "threshold",
    "action",
    "source",
    "message",
]
PATTERNS = {
    "spike": "out of line with the national sum and back within {n} years: an outlier",
    "return": "the change from or back to an outlier next to it",
    "end": "the last value, out of line with the year before: nothing after it to tell",
    "start": "the first value, out of line with the year after: nothing before it to tell",
    "step": "a change of level that lasts (e.g. survey coverage): neither side is an outlier",
}


def excess_growth(yearbook: pd.DataFrame) -> pd.DataFrame:
    """Each value's log growth on the year before against that of the national sum of its indicator.

    The national sum of a year pair is taken over the provinces that have both years, so a
    province entering the data is not growth. Rates (上年=100) and non-positive values are not
    screened.

    Parameters
    ----------
    yearbook
        Long yearbook (``province_code``, ``year``, ``indicator``, ``unit``, ``value``).

    Returns
    -------
    DataFrame
        ``yearbook`` with ``change_log`` = ln(X_t / X_t-1), ``national_change_log`` (the same of
        the national sum) and ``excess_growth_log``, their difference; NaN where the value or the
        year before is missing.
    """
    level = ~yearbook["unit"].isin(RATE_UNITS) & (yearbook["value"] > 0)
    rows = yearbook[level].sort_values(["indicator", "province_code", "year"])
    groups = rows.groupby(["indicator", "province_code"], sort=False)
    before, year_before = groups["value"].shift(), groups["year"].shift()
    pairs = rows.assign(before=before)[(rows["year"] - year_before == 1).to_numpy()]
    national = pairs.groupby(["indicator", "year"])[["value", "before"]].transform("sum")
    change = np.log(pairs["value"] / pairs["before"])
    national_change = np.log(national["value"] / national["before"])
    out = yearbook.assign(change_log=np.nan, national_change_log=np.nan, excess_growth_log=np.nan)
    out.loc[pairs.index, "change_log"] = change
    out.loc[pairs.index, "national_change_log"] = national_change
    out.loc[pairs.index, "excess_growth_log"] = change - national_change
    return out


def _patterns(years: list[int], flagged: list[tuple[int, float]]) -> tuple[dict[int, str], set[int]]:
    """Name the pattern of each flagged or outlier year of one series and find its outliers (:data:`PATTERNS`).

    A flagged rise (fall) answered by a flagged fall (rise) at most ``MAX_SPIKE_YEARS`` later makes
    the values in between outliers (``spike``, the answer ``return``); a flagged change into the
    last year makes that value one (``end``), a flagged change out of the first year the first
    value (``start``, the change ``return``); any other flagged change is a ``step``.
    """
    pattern, outliers, used = {}, set(), set()
    for i, (start, change) in enumerate(flagged):
        if start in used:
            continue
        for end, back in flagged[i + 1 :]:
            if end - start > MAX_SPIKE_YEARS:
                break
            if np.sign(back) != np.sign(change):
                pattern.update({year: "spike" for year in range(start, end)} | {end: "return"})
                outliers.update(range(start, end))
                used.update(y for y, _ in flagged if start <= y <= end)
                break
    for year, _ in flagged:
        if year in used:
            continue
        if year == years[-1]:
            pattern[year] = "end"
            outliers.add(year)
        elif year - 1 == years[0]:
            pattern.update({years[0]: "start", year: "return"})
            outliers.add(years[0])
        else:
            pattern[year] = "step"
    return pattern, outliers


def _bridged(rows: pd.DataFrame, others: pd.Series, outliers: set[int]) -> pd.Series:
    """Bridge the outlier values of one series: their log ratio to the other provinces' sum, interpolated.

    Between the nearest sound years on either side the log ratio is interpolated linearly in the
    year; beyond the last (first) sound year it is held. The value is that ratio times the other
    provinces' sum of its year, so a bridged value follows the national movement.
    """
    series = rows.set_index("year")["value"]
    ratio = np.log(series / others.reindex(series.index))
    sound = ratio[~ratio.index.isin(outliers) & ratio.notna()]
    if sound.empty:
        return series
    wanted = np.asarray(sorted(outliers & set(series.index)), dtype=float)
    filled = np.interp(wanted, sound.index.to_numpy(dtype=float), sound.to_numpy())
    out = series.copy()
    out.loc[wanted.astype(int)] = np.exp(filled) * others.reindex(wanted.astype(int)).to_numpy()
    return out


def screen_breaks(yearbook: pd.DataFrame, threshold: float, *, bridge: bool) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Screen every series against the national sum; keep or bridge the outlier values.

    A value whose log growth on the year before differs from that of the national sum of its
    indicator by more than ``threshold`` (:func:`excess_growth`) is flagged, and its pattern named
    (:data:`PATTERNS`): a spike's values, a last or first value out of line are outliers; a step is
    a lasting change of level. With ``bridge``, outliers are replaced by the log ratio to the other
    provinces' sum interpolated from the nearest sound years (:func:`_bridged`); otherwise, and for
    steps always, the published value is kept. Nothing is dropped.

    Parameters
    ----------
    yearbook
        Long yearbook (``province_code``, ``year``, ``indicator``, ``unit``, ``value``,
        ``source``; ``value_published`` if linked).
    threshold
        Largest ordinary |excess growth|, log points (0.5: growth 65 % above or 39 % below that of
        the national sum).
    bridge
        Replace outlier values (True) or keep them (False).

    Returns
    -------
    (yearbook, breaks)
        ``yearbook`` with ``excess_growth_log`` and ``break`` (e.g. ``spike: bridged``, empty for
        values not flagged) and the bridged ``value`` where bridged; ``breaks``:
        :data:`SCREEN_COLUMNS` with ``kind`` = ``jump``, one row per flagged or outlier value.
    """
    screened = excess_growth(yearbook)
    flagged = screened[screened["excess_growth_log"].abs() > threshold]
    action = pd.Series("", index=screened.index, dtype=object)
    value = screened["value"].astype(float).copy()
    level = screened[~screened["unit"].isin(RATE_UNITS)]
    sums = level.groupby(["indicator", "year"])["value"].sum()
    rows = []
    for (indicator, code), group in flagged.groupby(["indicator", "province_code"], sort=True):
        series = level[(level["indicator"] == indicator) & (level["province_code"] == code)].sort_values("year")
        years = series["year"].astype(int).tolist()
        pattern, outliers = _patterns(
            years, list(zip(group["year"].astype(int), group["excess_growth_log"], strict=True))
        )
        others = sums.loc[indicator] - series.set_index("year")["value"].reindex(sums.loc[indicator].index).fillna(0)
        new = _bridged(series, others, outliers) if bridge else series.set_index("year")["value"]
        for year in sorted(pattern):
            index = series.index[series["year"] == year][0]
            is_outlier = year in outliers
            what = pattern[year]
            done = BRIDGED if bridge and is_outlier else KEPT
            action[index] = f"{what}: {done}"
            value[index] = new.loc[year] if is_outlier else value[index]
            rows.append((indicator, code, year, what, index, done, is_outlier))
    out = screened.assign(value=value, **{"break": action.astype(str)})
    breaks = _jump_rows(out, screened, rows, threshold)
    return out.drop(columns=["change_log", "national_change_log"]), breaks


def _jump_rows(out: pd.DataFrame, screened: pd.DataFrame, rows: list[tuple], threshold: float) -> pd.DataFrame:
    """Build the ``jump`` rows of the breaks list from the flagged and outlier values."""
    records = []
    for indicator, code, year, what, index, done, is_outlier in rows:
        row = screened.loc[index]
        published = row["value_published"] if "value_published" in row.index else row["value"]
        text = PATTERNS[what].format(n=MAX_SPIKE_YEARS)
        if is_outlier:
            text += f"; value {done}" + (
                f": {out.loc[index, 'value']:.4g} for {published:.4g}" if done == BRIDGED else ""
            )
        records.append(
            {
                "indicator": indicator,
                "province_code": code,
                "year": year,
                "kind": "jump",
                "pattern": what,
                "value_published": published,
                "value_used": out.loc[index, "value"],
                "change_log": row["change_log"],
                "national_change_log": row["national_change_log"],
                "excess_growth_log": row["excess_growth_log"],
                "threshold": threshold,
                "action": done,
                "source": row["source"],
                "message": text,
            }
        )
    return pd.DataFrame.from_records(records, columns=SCREEN_COLUMNS)


def price_base_rows(yearbook: pd.DataFrame, changes: Mapping[str, Sequence[int]]) -> pd.DataFrame:
    """List each price-base change of each province's series (the ``price base`` rows of the breaks list).

    Parameters
    ----------
    yearbook
        Long yearbook data.
    changes
        Indicator -> first years of each new base (found in the data or configured,
        :func:`digecon.estimation.chains.base_changes`).

    Returns
    -------
    DataFrame
        :data:`SCREEN_COLUMNS`, ``kind`` = ``price base``, one row per province that has the
        indicator in the change year and the year before; ``action`` ``linked``.
    """
    records = []
    for indicator, years in changes.items():
        rows = yearbook[yearbook["indicator"] == indicator].set_index(["province_code", "year"]).sort_index()
        screened = excess_growth(yearbook[yearbook["indicator"] == indicator]).set_index(["province_code", "year"])
        for year in years:
            for code in sorted({c for c, y in rows.index if y == year}):
                if (code, year - 1) not in rows.index:
                    continue
                now, before = rows.loc[(code, year)], rows.loc[(code, year - 1)]
                records.append(
                    {
                        "indicator": indicator,
                        "province_code": code,
                        "year": year,
                        "kind": "price base",
                        "pattern": "",
                        "value_published": now.get("value_published", now["value"]),
                        "value_used": now["value"],
                        "change_log": float(np.log(now["value"] / before["value"])),
                        "national_change_log": screened.loc[(code, year), "national_change_log"],
                        "excess_growth_log": screened.loc[(code, year), "excess_growth_log"],
                        "action": "linked",
                        "source": now["source"],
                        "message": f"a new price base from {year}: growth {year - 1}-{year} is not used; where a "
                        "chain uses the series, the years before are linked by the growth of its next indicator",
                    }
                )
    return pd.DataFrame.from_records(records, columns=SCREEN_COLUMNS)


def revision_rows(yearbook: pd.DataFrame) -> pd.DataFrame:
    """List each link of an older vintage onto a newer one (the ``revision`` rows of the breaks list).

    Parameters
    ----------
    yearbook
        From :func:`digecon.inputs.vintages.link_vintages` (``link_factor``, ``link_year``, ``vintage``).

    Returns
    -------
    DataFrame
        :data:`SCREEN_COLUMNS`, ``kind`` = ``revision``, one row per province, indicator and linked
        vintage, at the first year after the linked ones (where the levels switch vintage).
    """
    if "link_year" not in yearbook.columns:  # a yearbook of one vintage (e.g. a user's tables): no link
        return pd.DataFrame(columns=SCREEN_COLUMNS)
    linked = yearbook[yearbook["link_year"].notna()]
    records = []
    for (indicator, code, vintage), rows in linked.groupby(["indicator", "province_code", "vintage"], sort=True):
        factor, at = float(rows["link_factor"].iloc[0]), int(rows["link_year"].iloc[0])
        first, last = int(rows["year"].min()), int(rows["year"].max())
        records.append(
            {
                "indicator": indicator,
                "province_code": code,
                "year": last + 1,
                "kind": "revision",
                "pattern": "",
                "value_published": np.nan,
                "value_used": np.nan,
                "action": "linked",
                "source": rows["source"].iloc[0],
                "message": f"{first}-{last} of the vintage '{vintage}' linked by their growth onto the newer vintage "
                f"at {at} (x {factor:.4f}); the levels after {last} are the newer vintage's",
            }
        )
    return pd.DataFrame.from_records(records, columns=SCREEN_COLUMNS)


def screen_yearbook(
    yearbook: pd.DataFrame, threshold: float, *, bridge: bool, price_bases: Mapping[str, Sequence[int]]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Screen the yearbook for breaks and list every break of its series: jumps, price bases, revisions.

    Parameters
    ----------
    yearbook
        From :func:`digecon.inputs.sources.prepare_yearbook` (linked across vintages).
    threshold, bridge
        As for :func:`screen_breaks` (``indicators.break_threshold``, ``indicators.breaks``).
    price_bases
        ``indicators.price_base_changes``: indicator -> known changes; others are found in the data
        (:func:`price_base_changes`).

    Returns
    -------
    (yearbook, breaks)
        The yearbook with ``excess_growth_log``, ``break`` and bridged values (:func:`screen_breaks`);
        :data:`SCREEN_COLUMNS` of every jump (:func:`screen_breaks`), price-base change
        (:func:`price_base_rows`) and vintage link (:func:`revision_rows`), sorted by indicator,
        province, year and kind.
    """
    screened, jumps = screen_breaks(yearbook, threshold, bridge=bridge)
    present = set(yearbook["indicator"].unique())
    changes = {
        indicator: price_base_changes(yearbook, indicator, known)
        for indicator, known in price_bases.items()
        if indicator in present
    }
    parts = [f for f in (jumps, price_base_rows(yearbook, changes), revision_rows(yearbook)) if not f.empty]
    breaks = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=SCREEN_COLUMNS)
    return screened, breaks.sort_values(["indicator", "province_code", "year", "kind"], ignore_index=True)


def price_base_changes(yearbook: pd.DataFrame, indicator: str, known: Iterable[int] = ()) -> list[int]:
    """Years in which a constant-price indicator changes its price base.

    Found in the data as the years in which the indicator falls on the year before in at least
    ``PRICE_BASE_FALL_SHARE`` of the provinces that have both years: a volume at constant prices
    of a growing industry does not fall everywhere at once, a new base with lower unit prices
    does (电信业务总量: 2011, 2000 -> 2010 prices, all 31 provinces -61 % to -38 %; 2016, 2010 ->
    2015 prices, all 31 -23 % to -39 %). A change that raises the level (2019, 2018 prices) is
    not found this way; ``known`` adds such years.

    Parameters
    ----------
    yearbook
        Long yearbook data (``province_code``, ``year``, ``indicator``, ``value``).
    indicator
        The indicator's name.
    known
        Years of a change known from the publisher.

    Returns
    -------
    list of int
        Ascending: the first year at each new base.
    """
    rows = yearbook[yearbook["indicator"] == indicator]
    wide = rows.pivot_table(index="province_code", columns="year", values="value", aggfunc="first").astype(float)
    years = [int(y) for y in wide.columns]
    found = []
    for before, year in pairwise(years):
        both = wide[[before, year]].dropna()
        if year == before + 1 and len(both) and (both[year] < both[before]).mean() >= PRICE_BASE_FALL_SHARE:
            found.append(year)
    return sorted(set(found) | {int(y) for y in known})


def _wide(rows: pd.DataFrame, codes: np.ndarray, years: np.ndarray) -> np.ndarray:
    """Values of one indicator as a (province x year) float array, NaN where absent."""
    out = np.full((len(codes), len(years)), np.nan)
    p = np.searchsorted(codes, rows["province_code"].to_numpy(dtype=np.int64))
    y = np.searchsorted(years, rows["year"].to_numpy(dtype=np.int64))
    inside = (y < len(years)) & (years[np.minimum(y, len(years) - 1)] == rows["year"].to_numpy(dtype=np.int64))
    out[p[inside], y[inside]] = rows["value"].to_numpy(dtype=float)[inside]
    return out


def _link(
    own: np.ndarray,
    present: np.ndarray,
    years: np.ndarray,
    changes: Sequence[int],
    bridges: Sequence[tuple[str, np.ndarray]],
) -> tuple[np.ndarray, np.ndarray, dict[tuple[int, int], list[str]]]:
    """Link every province's series across price-base changes at once (latest base kept).

    Per province, from the latest change back: the years before the change are scaled by the
    growth of the first bridge that has both the last year before it and the change year; with
    no such bridge they are left out (and earlier changes no longer matter).

    Returns
    -------
    (linked, kept, notes)
        Linked values and which (province, year) cells stay; notes per (province, year position).
    """
    linked, kept = own.copy(), present.copy()
    done = np.zeros(len(own), dtype=bool)  # left out everything before a change: stop there
    notes: dict[tuple[int, int], list[str]] = {}
    position = np.arange(len(years))
    for change in sorted(changes, reverse=True):
        at = np.flatnonzero(years == change)
        earlier_cells = kept & (years < change)[None, :]
        if not len(at):
            continue
        c = int(at[0])
        active = ~done & kept[:, c] & earlier_cells.any(axis=1)
        last = np.where(earlier_cells, position, -1).max(axis=1)
        chosen = np.full(len(own), -1)
        for number, (_, values) in enumerate(bridges):
            usable = active & (chosen < 0) & ~np.isnan(values[:, c]) & ~np.isnan(values[np.arange(len(own)), last])
            chosen[usable] = number
        for p in np.flatnonzero(active & (chosen < 0)):  # nothing to bridge the change with: older bases left out
            kept[p, years < change], done[p] = False, True
        for p in np.flatnonzero(active & (chosen >= 0)):
            name, bridge = bridges[chosen[p]]
            factor = linked[p, c] * bridge[p, last[p]] / bridge[p, c] / linked[p, last[p]]
            earlier = np.flatnonzero(earlier_cells[p])
            linked[p, earlier] = linked[p, earlier] * factor
            for k in earlier:
                notes.setdefault((p, k), []).insert(0, f"{change} by {name} growth {years[last[p]]}-{change}")
    return linked, kept, notes


def link_price_bases(
    yearbook: pd.DataFrame, indicator: str, changes: Sequence[int], bridges: Sequence[str]
) -> pd.DataFrame:
    """Link an indicator at constant prices across its price-base changes: growth within one base only.

    The series keeps the level of its latest base; each earlier base is scaled so that the growth
    from its last year to the first year of the next base is that of the first bridge indicator
    (the chain's next indicator, e.g. 其他行业增加值) with both years. Where no bridge has them,
    the years before the change are left out (the chain's next indicator then fills them).

    Parameters
    ----------
    yearbook
        Long yearbook data (``province_code``, ``year``, ``indicator``, ``value``, ``source``).
    indicator
        The constant-price indicator, e.g. 电信业务总量.
    changes
        First years of each new base (:func:`price_base_changes`).
    bridges
        Indicators whose growth bridges a change, in order of preference.

    Returns
    -------
    DataFrame
        The indicator's rows of ``yearbook`` with linked ``value`` and a ``note`` column
        (``price base linked at 2016 by 其他行业增加值 growth 2015-2016, ...``; empty in the latest base).
    """
    rows = yearbook[yearbook["indicator"] == indicator]
    if rows.empty:
        return pd.DataFrame(columns=[*yearbook.columns, "note"])
    rows = rows.iloc[np.argsort(rows["province_code"].to_numpy(dtype=np.int64), kind="stable")]  # as groupby
    codes = np.unique(rows["province_code"].to_numpy(dtype=np.int64))
    years = np.unique(rows["year"].to_numpy(dtype=np.int64))
    present = set(yearbook.loc[yearbook["indicator"].isin(bridges), "indicator"].unique())  # a few names, not every row
    bridge_values = [(b, _wide(yearbook[yearbook["indicator"] == b], codes, years)) for b in bridges if b in present]
    p = np.searchsorted(codes, rows["province_code"].to_numpy(dtype=np.int64))
    y = np.searchsorted(years, rows["year"].to_numpy(dtype=np.int64))
    present = np.zeros((len(codes), len(years)), dtype=bool)
    present[p, y] = True
    linked, kept, notes = _link(_wide(rows, codes, years), present, years, changes, bridge_values)
    keep = kept[p, y]
    out = rows[keep].assign(value=linked[p, y][keep])
    cells = zip(p[keep], y[keep], strict=True)
    text = ["price base linked at " + ", ".join(notes[cell]) if cell in notes else "" for cell in cells]
    return out.assign(note=text).reset_index(drop=True)[[*yearbook.columns, "note"]]
