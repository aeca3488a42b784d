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


BREAK_COLUMNS = ["aggregate", "province_code", "year", "indicator", "change", "threshold", "message"]


def indicator_breaks(indicators: pd.DataFrame, threshold: float) -> pd.DataFrame:
    """Year-on-year changes of each composite indicator beyond ``threshold`` (a relative change).

    A jump in the indicator passes straight into the estimate (V = c X), so a break in a yearbook
    series (e.g. a reclassification) shows up as growth of the digital economy; these rows say
    where to look.

    Parameters
    ----------
    indicators
        From :func:`indicator_series`.
    threshold
        Largest ordinary |X_t / X_{t-1} - 1|, e.g. 0.5 for ±50 %.

    Returns
    -------
    DataFrame
        ``BREAK_COLUMNS``, one row per aggregate, province and year whose change exceeds the threshold.
    """
    ordered = indicators.sort_values(["aggregate", "province_code", "year"])
    previous = ordered.groupby(["aggregate", "province_code"])["indicator_100m_yuan"].shift()
    consecutive = ordered["year"] - ordered.groupby(["aggregate", "province_code"])["year"].shift() == 1
    change = ordered["indicator_100m_yuan"] / previous - 1
    beyond = consecutive & (change.abs() > threshold)
    # assign the selected changes only: a Series assigned to an empty frame would bring its whole index
    hits = ordered[beyond].assign(change=change[beyond], threshold=threshold)
    message = [
        f"province {row.province_code}, {row.aggregate} {row.year}: {row.indicator} {row.change:+.0%} on "
        f"{row.year - 1} (beyond ±{threshold:.0%}; check the series for a break)"
        for row in hits.itertuples()
    ]
    return hits.assign(message=message).reindex(columns=BREAK_COLUMNS).reset_index(drop=True)
