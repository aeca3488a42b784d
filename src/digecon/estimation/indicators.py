"""Annual indicator series X[k, p, t] for carrying benchmark coefficients to other years.

A chain of yearbook indicators, first available wins (METHOD.md section 3), gives one series
per key (an IO aggregate in :data:`CHAINS`, or a component when the chains are the candidates of
:mod:`digecon.estimation.chains`). Where the preferred indicator stops (其他行业增加值 after 2019,
工业增加值 after 2022), the next one in the chain is spliced on by its ratio to the series in the
nearest overlapping year, so the level stays that of the preferred indicator; spliced years are
flagged. An indicator a province lacks altogether is left out of that province's chain (宁夏 and
西藏 have no C39 revenue): the next one leads there, and ``leading_indicator`` says which.

Indicators at constant prices of a base year that changes (电信业务总量: 2000, 2010, 2015, 2018
prices) are linked across each change by :func:`link_price_bases`, so only growth within one base
is used.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
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
]
PRICE_BASE_FALL_SHARE = 0.9  # a constant-price volume falling in this share of provinces at once: a new base


def _grids(rows: pd.DataFrame, codes: np.ndarray, years: list[int], positions: np.ndarray) -> dict[str, np.ndarray]:
    """One indicator, its rows at ``positions``, as (province x year) arrays over years: has, value, source, note."""
    wanted = ["province_code", "year", "value", "source", *(["note"] if "note" in rows.columns else [])]
    mine = rows[wanted].iloc[positions]
    mine = mine[mine["year"].isin(years)]
    p = np.searchsorted(codes, mine["province_code"].to_numpy(dtype=np.int64))
    y = np.searchsorted(np.asarray(years), mine["year"].to_numpy(dtype=np.int64))
    shape = (len(codes), len(years))
    has, value = np.zeros(shape, dtype=bool), np.full(shape, np.nan)
    source, note = np.full(shape, None, dtype=object), np.full(shape, None, dtype=object)
    has[p, y] = True
    value[p, y] = mine["value"].to_numpy(dtype=float)
    source[p, y] = mine["source"].to_numpy(dtype=object)
    if "note" in mine.columns:
        note[p, y] = mine["note"].to_numpy(dtype=object)
    return {"has": has, "value": value, "source": source, "note": note}


def _splice(chain: tuple[str, ...], grids: list[dict[str, np.ndarray]], years: list[int]) -> dict[str, np.ndarray]:
    """Composite series of every province at once from the chain (the rule in the module docstring).

    Each province is led by the first indicator it has in some year; the years that indicator
    covers are its own (a linked price base noted and flagged). Each later indicator then fills
    the years still empty, scaled by its ratio to the series in the nearest overlapping year
    (the latest one before the gap, else the first one), the overlap taken before it adds years.
    """
    n_provinces, n_years = grids[0]["has"].shape
    present = np.array([g["has"].any(axis=1) for g in grids])  # (indicator, province)
    lead = np.where(present.any(axis=0), present.argmax(axis=0), -1)
    filled = np.zeros((n_provinces, n_years), dtype=bool)
    value = np.full((n_provinces, n_years), np.nan)
    label, source = (
        np.full((n_provinces, n_years), None, dtype=object),
        np.full((n_provinces, n_years), None, dtype=object),
    )
    spliced = np.zeros((n_provinces, n_years), dtype=bool)
    first = np.array([chain[i] if i >= 0 else "" for i in lead], dtype=object)
    for i, g in enumerate(grids):
        led = (lead == i)[:, None] & g["has"]
        linked = np.array([isinstance(n, str) and bool(n) for n in g["note"][led]], dtype=bool)
        filled |= led
        value[led], source[led] = g["value"][led], g["source"][led]
        own = np.full(led.sum(), chain[i], dtype=object)
        own[linked] = [f"{chain[i]} ({n})" for n in g["note"][led][linked]]
        label[led], spliced[led] = own, linked
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
        source[p, y], spliced[p, y] = g["source"][p, y], True
        # the label depends on the province and the anchor year only: each distinct pair is formatted once
        pairs, pair_of = np.unique(p * n_years + a, return_index=True, return_inverse=True)[1:]
        texts = [f"{first[p[j]]} (spliced: {chain[i]} x {factor[j]:.4f}, ratio in {years[a[j]]})" for j in pairs]
        label[p, y] = np.array(texts, dtype=object)[pair_of.ravel()]
        filled[p, y] = True
    return {"filled": filled, "value": value, "label": label, "source": source, "spliced": spliced, "first": first}


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
        the price-base link), ``indicator_source``, ``spliced``, ``leading_indicator``.

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
                }
            )
        )
    return pd.concat(frames, ignore_index=True)[[key, *SERIES_COLUMNS[1:]]]


BREAK_COLUMNS = ["aggregate", "province_code", "year", "indicator", "change", "threshold", "message"]


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
    """Year-on-year changes of each composite indicator beyond ``threshold`` (a relative change).

    A jump in the indicator passes straight into the estimate (V = c X), so a break in a yearbook
    series (e.g. a reclassification) shows up as growth of the digital economy; these rows say
    where to look.

    Parameters
    ----------
    indicators
        From :func:`indicator_series` (keyed by aggregate or component, :func:`series_key`).
    threshold
        Largest ordinary |X_t / X_{t-1} - 1|, e.g. 0.5 for ±50 %.

    Returns
    -------
    DataFrame
        ``BREAK_COLUMNS`` (the first named as the key of ``indicators``), one row per key, province
        and year whose change exceeds the threshold.
    """
    key = series_key(indicators)
    ordered = indicators.sort_values([key, "province_code", "year"])
    previous = ordered.groupby([key, "province_code"])["indicator_100m_yuan"].shift()
    consecutive = ordered["year"] - ordered.groupby([key, "province_code"])["year"].shift() == 1
    change = ordered["indicator_100m_yuan"] / previous - 1
    beyond = consecutive & (change.abs() > threshold)
    # assign the selected changes only: a Series assigned to an empty frame would bring its whole index
    hits = ordered[beyond].assign(change=change[beyond], threshold=threshold)
    message = [
        f"province {row.province_code}, {getattr(row, key)} {row.year}: {row.indicator} {row.change:+.0%} on "
        f"{row.year - 1} (beyond ±{threshold:.0%}; check the series for a break)"
        for row in hits.itertuples()
    ]
    return hits.assign(message=message).reindex(columns=[key, *BREAK_COLUMNS[1:]]).reset_index(drop=True)


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
