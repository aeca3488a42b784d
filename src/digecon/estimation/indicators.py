"""Annual indicator series X[k, p, t] for carrying benchmark coefficients to other years.

Each aggregate has a chain of yearbook indicators, first available wins (METHOD.md section 3).
Where the preferred indicator stops (其他行业增加值 after 2019, 工业增加值 after 2022), the next
one in the chain is spliced on by its ratio to the series in the nearest overlapping year, so
the level stays that of the preferred indicator; spliced years are flagged.
"""

from __future__ import annotations

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
]


def _splice_province(values: pd.DataFrame, chain: tuple[str, ...], years: list[int]) -> list[dict[str, object]]:
    """One province: composite series over ``years`` from the chain (values indexed by indicator, year)."""
    first = chain[0]
    series: dict[int, dict[str, object]] = {}
    for year in years:
        if (first, year) in values.index:
            series[year] = {
                "value": values.at[(first, year), "value"],
                "indicator": first,
                "source": values.at[(first, year), "source"],
                "spliced": False,
            }
    for nxt in chain[1:]:
        available = [y for y in years if y not in series and (nxt, y) in values.index]
        overlap = [y for y in series if (nxt, y) in values.index]  # before this indicator adds years
        for year in available:
            if not overlap:
                continue
            # nearest overlapping year, preferring the latest one before the gap
            before = [y for y in overlap if y < year]
            anchor = max(before) if before else min(overlap)
            factor = series[anchor]["value"] / values.at[(nxt, anchor), "value"]
            series[year] = {
                "value": values.at[(nxt, year), "value"] * factor,
                "indicator": f"{first} (spliced: {nxt} x {factor:.4f}, ratio in {anchor})",
                "source": values.at[(nxt, year), "source"],
                "spliced": True,
            }
    return [{"year": y, **series[y]} for y in sorted(series)]


def indicator_series(
    yearbook: pd.DataFrame, years: list[int], chains: dict[str, tuple[str, ...]] = CHAINS
) -> pd.DataFrame:
    """Composite indicator per aggregate, province and year.

    Parameters
    ----------
    yearbook
        Long yearbook data (:mod:`digecon.inputs.yearbook`): ``province_code``, ``year``, ``indicator``,
        ``value`` (亿元), ``source``.
    years
        Every year the estimate needs; each must be covered by the chain.
    chains
        Aggregate -> indicator names, preferred first.

    Returns
    -------
    DataFrame
        ``SERIES_COLUMNS``: ``indicator_100m_yuan`` on the level of the preferred indicator,
        ``indicator`` (name, with the splice factor where spliced), ``indicator_source``, ``spliced``.

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
    rows = []
    indexed = yearbook.set_index(["province_code", "indicator", "year"]).sort_index()
    for aggregate, chain in chains.items():
        for code in sorted(yearbook["province_code"].unique()):
            values = indexed.loc[code]
            series = _splice_province(values, chain, years)
            missing = sorted(set(years) - {r["year"] for r in series})
            if missing:
                raise InputError(
                    ", ".join(sorted(yearbook["source"].unique())),
                    f"no {' / '.join(chain)} for province {code} in {missing}",
                    expected=f"every year {years[0]}-{years[-1]} (shorten estimate.years)",
                )
            rows += [{"aggregate": aggregate, "province_code": int(code), **r} for r in series]
    frame = pd.DataFrame.from_records(rows).rename(
        columns={"value": "indicator_100m_yuan", "source": "indicator_source"}
    )
    return frame[SERIES_COLUMNS]
