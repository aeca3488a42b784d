"""Two vintages of the annual series, linked by growth: levels of the newest, growth of the older.

The NBS revised provincial GDP and value added back to 1992 after the 5th economic census; the
files of the older vintage (the 分省年度数据 crawl of 2021, the API answers of 2024, the database
export) hold the levels before that revision (Beijing 2019 GDP 35,445.1 against 37,767.0). Their
levels are never mixed. Per province and indicator:

* the newest vintage that publishes a year gives its level, as published (``link_factor`` 1);
  within one vintage the first file in precedence order wins (they agree up to rounding, which
  :func:`link_vintages` checks);
* a year only an older vintage covers takes that vintage's value times one factor, the ratio of
  the newer series to the older one in the latest year both cover (``link_year``): the older
  vintage's growth is kept, its level is put on the newer one;
* indices on the previous year (上年=100) are growth already: an older vintage's fill the years
  the newer lacks as published, with no link;
* an older series with no year in common with a newer one cannot be linked and is left out (said
  in the checks, never silently).

Every overlap of two files is compared (:data:`CHECK_COLUMNS`): files of one vintage, and files of
two vintages of statistics no census revises (e.g. 软件业务收入, MIIT's statistics in the 2021 crawl
and the 2026 platform), should agree; the national accounts of two vintages differ by the revision.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

RATE_UNITS = ("上年=100",)  # values that are growth rates already: never scaled by a link
# indicators of the national accounts, which an economic census revises (GDP, value added, their indices)
CENSUS_REVISED = re.compile(r"增加值|地区生产总值")
KEY = ["province_code", "indicator", "year"]
LINK_COLUMNS = ["dataset", "vintage", "value_published", "link_factor", "link_year"]
SAME_VINTAGE = "same vintage"
SAME_STATISTICS = "same statistics, another vintage"
REVISED = "another vintage, revised by a census"
NOT_LINKED = "not linked: no year in common with the newer vintage"
CHECK_COLUMNS = [
    "indicator",
    "province_code",
    "year",
    "unit",
    "source",
    "vintage",
    "value",
    "other_source",
    "other_vintage",
    "other_value",
    "difference",
    "gap_percent",
    "comparison",
    "should_agree",
    "agrees",
]


def _factors(older: pd.DataFrame, newer: pd.DataFrame) -> pd.DataFrame:
    """Link factor and year of each province and indicator of ``older``: newer / older in their latest common year."""
    group = ["province_code", "indicator"]
    both = older.merge(newer[[*KEY, "value"]], on=KEY, suffixes=("", "_newer"))
    latest = both.sort_values("year").drop_duplicates(group, keep="last")
    latest = latest[~latest["unit"].isin(RATE_UNITS)]
    return pd.DataFrame(
        {
            "province_code": latest["province_code"],
            "indicator": latest["indicator"],
            "link_factor": latest["value_newer"] / latest["value"],
            "link_year": latest["year"].astype("Int64"),
        }
    )


def _without(rows: pd.DataFrame, other: pd.DataFrame, on: list[str]) -> pd.DataFrame:
    """Rows of ``rows`` whose ``on`` values do not occur in ``other``."""
    return rows[~pd.MultiIndex.from_frame(rows[on]).isin(pd.MultiIndex.from_frame(other[on]))]


def link_vintages(series: pd.DataFrame, *, tolerance: float = 0.15) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Combine the series of every file into one value per province, indicator and year (module docstring).

    Parameters
    ----------
    series
        Long rows (:data:`digecon.inputs.yearbook.LONG_COLUMNS`) of every file with ``dataset`` and
        ``vintage``, in precedence order: the newest vintage first, within a vintage the file that
        wins first.
    tolerance
        Largest difference taken as rounding when two files should agree, in the value's unit
        (亿元, index points), or one part in 10,000 of the value if larger.

    Returns
    -------
    (yearbook, checks)
        ``yearbook``: one row per province, indicator and year, the columns of ``series`` plus
        ``value_published`` (as read), ``link_factor`` and ``link_year`` (empty for a value as
        published), ``value`` = ``value_published`` x ``link_factor``. ``checks``:
        :data:`CHECK_COLUMNS`, one row per value another file also gives (``value`` the one kept,
        ``other_value`` the other, both as published) and per value left out as not linkable.
    """
    rows = series.assign(value_published=series["value"].astype(float), _order=np.arange(len(series)))
    vintages = list(dict.fromkeys(rows["vintage"]))
    per_vintage = rows.drop_duplicates([*KEY, "vintage"], keep="first")
    group = ["province_code", "indicator"]
    kept, unlinked = [], []
    for vintage in vintages:
        mine = per_vintage[per_vintage["vintage"] == vintage]
        if not kept:
            kept.append(mine.assign(link_factor=1.0, link_year=pd.array([pd.NA] * len(mine), dtype="Int64")))
            continue
        newer = pd.concat(kept, ignore_index=True)
        fresh = _without(mine, newer, KEY)
        fresh = fresh.merge(_factors(mine, newer), on=group, how="left")
        # a series the newer vintages lack altogether keeps the level of its own vintage; a rate has no level
        has_newer = pd.MultiIndex.from_frame(fresh[group]).isin(pd.MultiIndex.from_frame(newer[group]))
        fresh.loc[~has_newer | fresh["unit"].isin(RATE_UNITS), "link_factor"] = 1.0
        unlinked.append(fresh[fresh["link_factor"].isna()])
        kept.append(fresh[fresh["link_factor"].notna()])
    yearbook = pd.concat(kept, ignore_index=True)
    yearbook = yearbook.assign(value=yearbook["value_published"] * yearbook["link_factor"])
    checks = _checks(rows, yearbook, pd.concat(unlinked, ignore_index=True) if unlinked else rows.iloc[:0], tolerance)
    columns = [c for c in series.columns if c not in LINK_COLUMNS] + LINK_COLUMNS
    yearbook = yearbook.sort_values(["province_code", "year", "indicator"], ignore_index=True)
    return yearbook.reindex(columns=columns), checks


def _checks(rows: pd.DataFrame, yearbook: pd.DataFrame, unlinked: pd.DataFrame, tolerance: float) -> pd.DataFrame:
    """Compare every value not kept with the kept one of its key (:data:`CHECK_COLUMNS`)."""
    winners = yearbook[[*KEY, "_order", "unit", "source", "vintage", "value_published"]]
    others = rows[~rows["_order"].isin(winners["_order"])]
    both = others.merge(winners.drop(columns="_order"), on=KEY, suffixes=("_other", ""))
    difference = both["value_published_other"] - both["value_published"]
    same = both["vintage_other"] == both["vintage"]
    revised = both["indicator"].str.contains(CENSUS_REVISED)
    comparison = np.where(same, SAME_VINTAGE, np.where(revised, REVISED, SAME_STATISTICS))
    checks = pd.DataFrame(
        {
            "indicator": both["indicator"],
            "province_code": both["province_code"],
            "year": both["year"],
            "unit": both["unit"],
            "source": both["source"],
            "vintage": both["vintage"],
            "value": both["value_published"],
            "other_source": both["source_other"],
            "other_vintage": both["vintage_other"],
            "other_value": both["value_published_other"],
            "difference": difference,
            "gap_percent": difference / both["value_published"] * 100,
            "comparison": comparison,
            "should_agree": comparison != REVISED,
            "agrees": difference.abs() <= np.maximum(tolerance, 1e-4 * both["value_published"].abs()),
        }
    )
    left_out = pd.DataFrame(
        {
            "indicator": unlinked["indicator"],
            "province_code": unlinked["province_code"],
            "year": unlinked["year"],
            "unit": unlinked["unit"],
            "other_source": unlinked["source"],
            "other_vintage": unlinked["vintage"],
            "other_value": unlinked["value_published"],
            "comparison": NOT_LINKED,
            "should_agree": False,
            "agrees": False,
        }
    )
    frames = [f for f in (checks, left_out) if not f.empty]
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=CHECK_COLUMNS)
    return out.reindex(columns=CHECK_COLUMNS).sort_values(["indicator", "province_code", "year"], ignore_index=True)


def largest_gaps(checks: pd.DataFrame, n: int = 3) -> list[str]:
    """Describe, per kind of comparison that should agree, how many pairs differ and the largest gaps.

    Parameters
    ----------
    checks
        From :func:`link_vintages`.
    n
        How many of the largest gaps to name per kind.

    Returns
    -------
    list of str
        One line per kind of comparison with pairs beyond rounding (``same vintage``, ``same
        statistics, another vintage``), then one for the values left out as not linkable; empty
        when every pair that should agree does.
    """
    lines = []
    for comparison in (SAME_VINTAGE, SAME_STATISTICS):
        pairs = checks[checks["comparison"] == comparison]
        bad = pairs[~pairs["agrees"].astype(bool)]
        if bad.empty:
            continue
        bad = bad.assign(size=bad["gap_percent"].abs()).sort_values("size", ascending=False)
        largest = "; ".join(
            f"{r.indicator} {r.province_code} {r.year} {r.other_value:g} in {r.other_source} against {r.value:g} in "
            f"{r.source} ({r.gap_percent:+.2f} %)"
            for r in bad.head(n).itertuples()
        )
        lines.append(f"{comparison}: {len(bad)} of {len(pairs)} pairs differ beyond rounding; largest: {largest}")
    left_out = int((checks["comparison"] == NOT_LINKED).sum())
    if left_out:
        lines.append(f"{left_out} values of an older vintage left out: no year in common with the newer one")
    return lines
