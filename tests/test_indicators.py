"""Indicator chains: splicing by hand, coverage errors, and flags for breaks in a series."""

from __future__ import annotations

import pandas as pd
import pytest

from digecon.core.errors import InputError
from digecon.estimation.indicators import indicator_breaks, indicator_series, link_price_bases, price_base_changes

CHAINS = {"other_services": ("其他行业增加值", "第三产业增加值")}


def yearbook(rows: list[tuple[str, int, float]], code: int = 150000) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"province_code": code, "year": y, "indicator": i, "unit": "亿元", "value": v, "source": "t.csv"}
            for i, y, v in rows
        ]
    )


def test_splice_keeps_the_level_of_the_preferred_indicator() -> None:
    # 其他行业 stops in 2019; 第三产业 continues: 2020 = 300 x (100 / 250) = 120, the ratio of 2019
    frame = yearbook(
        [("其他行业增加值", 2018, 90.0), ("其他行业增加值", 2019, 100.0)]
        + [("第三产业增加值", y, v) for y, v in ((2018, 240.0), (2019, 250.0), (2020, 300.0))]
    )
    series = indicator_series(frame, [2018, 2019, 2020], CHAINS).set_index("year")
    assert series.loc[2020, "indicator_100m_yuan"] == pytest.approx(120.0)
    assert series.loc[2020, "spliced"] and not series.loc[2019, "spliced"]
    assert series.loc[2020, "indicator"] == "其他行业增加值 (spliced: 第三产业增加值 x 0.4000, ratio in 2019)"


def test_a_year_no_chain_covers_is_an_error() -> None:
    frame = yearbook([("其他行业增加值", 2018, 90.0)])
    with pytest.raises(InputError, match=r"no 其他行业增加值 / 第三产业增加值 for province 150000 in \[2019\]"):
        indicator_series(frame, [2018, 2019], CHAINS)


def test_breaks_beyond_the_threshold_are_flagged() -> None:
    # Inner Mongolia's 其他行业 more than doubles in 2003 (+122 % in the NBS series): 45 -> 100
    frame = yearbook([("其他行业增加值", y, v) for y, v in ((2002, 45.0), (2003, 100.0), (2004, 110.0))])
    breaks = indicator_breaks(indicator_series(frame, [2002, 2003, 2004], CHAINS), threshold=0.5)
    assert breaks["year"].tolist() == [2003]
    assert breaks["change"].item() == pytest.approx(100 / 45 - 1)
    assert "+122 % on 2002".replace(" %", "%") in breaks["message"].item()
    assert indicator_breaks(indicator_series(frame, [2002, 2003, 2004], CHAINS), threshold=1.5).empty


def telecom_volume(code: int, values: dict[int, float], bridge: dict[int, float]) -> pd.DataFrame:
    """电信业务总量 at constant prices of changing bases, and 其他行业增加值 to bridge a change."""
    return pd.concat(
        [
            yearbook([("电信业务总量", y, v) for y, v in values.items()], code),
            yearbook([("其他行业增加值", y, v) for y, v in bridge.items()], code),
        ],
        ignore_index=True,
    )


def test_price_base_changes_are_the_years_every_province_falls() -> None:
    # both provinces fall in 2011 (a new base with lower unit prices); only one falls in 2013
    frame = pd.concat(
        [
            telecom_volume(110000, {2010: 110.0, 2011: 40.0, 2012: 44.0, 2013: 43.0}, {}),
            telecom_volume(120000, {2010: 50.0, 2011: 20.0, 2012: 22.0, 2013: 25.0}, {}),
        ],
        ignore_index=True,
    )
    assert price_base_changes(frame, "电信业务总量") == [2011]
    assert price_base_changes(frame, "电信业务总量", known=[2013]) == [2011, 2013]


def test_linking_keeps_growth_within_a_base_and_bridges_the_change() -> None:
    # old base 2009-2010 (100, 110), new base 2011-2012 (40, 44); 其他行业 grows 200 -> 220 from 2010 to 2011
    frame = telecom_volume(110000, {2009: 100.0, 2010: 110.0, 2011: 40.0, 2012: 44.0}, {2010: 200.0, 2011: 220.0})
    linked = link_price_bases(frame, "电信业务总量", [2011], ["其他行业增加值"]).set_index("year")
    assert linked.loc[[2011, 2012], "value"].tolist() == [40.0, 44.0]  # the latest base keeps its level
    assert linked.loc[2010, "value"] == pytest.approx(40 / 1.1)  # 2010 -> 2011 grows like 其他行业: +10 %
    assert linked.loc[2009, "value"] == pytest.approx(100 * (40 / 1.1) / 110)  # growth within the old base kept
    assert linked.loc[2009, "note"] == "price base linked at 2011 by 其他行业增加值 growth 2010-2011"
    assert linked.loc[2012, "note"] == ""
    chain = {"telecom": ("电信业务总量", "其他行业增加值")}
    rows = pd.concat([frame[frame["indicator"] != "电信业务总量"], linked.reset_index()], ignore_index=True)
    series = indicator_series(rows, [2009, 2010, 2011, 2012], chain, key="component").set_index("year")
    assert series.loc[2010, "spliced"] and not series.loc[2011, "spliced"]
    assert (
        series.loc[2010, "indicator"] == "电信业务总量 (price base linked at 2011 by 其他行业增加值 growth 2010-2011)"
    )
    # without a bridge the older base is left out, for the chain's next indicator to fill
    alone = link_price_bases(frame, "电信业务总量", [2011], [])
    assert alone["year"].tolist() == [2011, 2012]


def test_a_province_without_the_leading_indicator_is_led_by_the_next() -> None:
    # 宁夏 has no C39 revenue: its series is 工业增加值 itself, not spliced
    frame = pd.concat(
        [
            yearbook([("C39主营业务收入", 2010, 50.0), ("工业增加值", 2010, 500.0)], 110000),
            yearbook([("工业增加值", 2010, 300.0)], 640000),
        ],
        ignore_index=True,
    )
    series = indicator_series(frame, [2010], {"electronics": ("C39主营业务收入", "工业增加值")}, key="component")
    ningxia = series.set_index("province_code").loc[640000]
    assert (ningxia["indicator_100m_yuan"], ningxia["leading_indicator"], ningxia["spliced"]) == (
        300.0,
        "工业增加值",
        False,
    )
    assert list(series.columns[:1]) == ["component"]
