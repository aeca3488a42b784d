"""Indicator chains: splicing by hand, coverage errors, and flags for breaks in a series."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from digecon.core.errors import InputError
from digecon.estimation.indicators import (
    _patterns,
    combined_carriers,
    excess_growth,
    indicator_breaks,
    indicator_series,
    link_price_bases,
    price_base_changes,
    screen_breaks,
)

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


def test_each_year_names_the_indicator_that_carries_it() -> None:
    # software revenue only 2012-2014; 其他行业 (100, 110, ..., 160) carries the years before (scaled by the
    # ratio of 2012: 60 / 120) and after (by that of 2014: 80 / 140); 第三产业 is never needed
    frame = yearbook(
        [("软件业务收入", y, v) for y, v in ((2012, 60.0), (2013, 70.0), (2014, 80.0))]
        + [("其他行业增加值", y, 100.0 + 10 * (y - 2010)) for y in range(2010, 2017)]
        + [("第三产业增加值", y, 500.0) for y in range(2010, 2017)]
    )
    chain = ("软件业务收入", "其他行业增加值", "第三产业增加值")
    series = indicator_series(frame, list(range(2010, 2017)), {"it_services": chain}, key="component")
    carried = series.set_index("year")["carrying_indicator"].to_dict()
    own, aggregate = "软件业务收入", "其他行业增加值"
    assert carried == {
        2010: aggregate,
        2011: aggregate,
        2012: own,
        2013: own,
        2014: own,
        2015: aggregate,
        2016: aggregate,
    }
    by_year = series.set_index("year")["indicator_100m_yuan"]
    assert by_year[[2010, 2013, 2016]].tolist() == pytest.approx([100 * 60 / 120, 70.0, 160 * 80 / 140])
    assert set(series["leading_indicator"]) == {own}


def test_a_combination_is_carried_by_its_chains_carriers() -> None:
    # two chains of IT services: in 2011 one by the wage bill and one by 其他行业, in 2013 both by software revenue
    chains = pd.DataFrame(
        {
            "year": [2011, 2011, 2013, 2013],
            "carrying_indicator": ["其他行业增加值", "工资总额", "软件业务收入", "软件业务收入"],
            "carried_by": ["aggregate", "industry series", "industry series", "industry series"],
        }
    )
    carried = combined_carriers(chains, ["year"])
    assert carried.loc[2011].tolist() == ["工资总额 + 其他行业增加值", "mixed"]  # the industry's series named first
    assert carried.loc[2013].tolist() == ["软件业务收入", "industry series"]


def test_a_year_no_chain_covers_is_an_error() -> None:
    frame = yearbook([("其他行业增加值", 2018, 90.0)])
    with pytest.raises(InputError, match=r"no 其他行业增加值 / 第三产业增加值 for province 150000 in \[2019\]"):
        indicator_series(frame, [2018, 2019], CHAINS)


def software(values: dict[int, dict[int, float]]) -> pd.DataFrame:
    """软件业务收入 of several provinces: code -> year -> value (亿元)."""
    return pd.concat(
        [yearbook([("软件业务收入", y, v) for y, v in years.items()], code) for code, years in values.items()],
        ignore_index=True,
    )


# Beijing and Shanghai grow 10 % a year; Inner Mongolia 10 % too, but 2020 is out of line (100 for 12.1)
SPIKE = {
    110000: {2018: 100.0, 2019: 110.0, 2020: 121.0, 2021: 133.1},
    310000: {2018: 200.0, 2019: 220.0, 2020: 242.0, 2021: 266.2},
    150000: {2018: 10.0, 2019: 11.0, 2020: 100.0, 2021: 13.31},
}


def test_growth_is_screened_against_the_national_sum() -> None:
    screened = excess_growth(software(SPIKE)).set_index(["province_code", "year"])
    # Inner Mongolia 2020: ln(100 / 11) - ln(463 / 341), the national sum 341 -> 463
    assert screened.loc[(150000, 2020), "excess_growth_log"] == pytest.approx(np.log(100 / 11) - np.log(463 / 341))
    assert screened.loc[(110000, 2020), "excess_growth_log"] == pytest.approx(np.log(1.1) - np.log(463 / 341))
    assert np.isnan(screened.loc[(110000, 2018), "excess_growth_log"])  # no year before


def test_an_outlier_is_kept_or_bridged_from_its_neighbours() -> None:
    kept, breaks = screen_breaks(software(SPIKE), 0.5, bridge=False)
    assert breaks[["province_code", "year", "pattern", "action"]].values.tolist() == [
        [150000, 2020, "spike", "kept"],
        [150000, 2021, "return", "kept"],
    ]
    assert kept.set_index(["province_code", "year"]).loc[(150000, 2020), "value"] == 100.0
    bridged, breaks = screen_breaks(software(SPIKE), 0.5, bridge=True)
    # Inner Mongolia / the other provinces' sum: 11 / 330 in 2019 and 13.31 / 399.3 in 2021, both 1 / 30,
    # so 2020 = 363 / 30 = 12.1
    row = bridged.set_index(["province_code", "year"]).loc[(150000, 2020)]
    assert row["value"] == pytest.approx(12.1) and row["break"] == "spike: bridged"
    assert breaks.loc[breaks["year"] == 2020, "value_used"].item() == pytest.approx(12.1)
    assert breaks.loc[breaks["year"] == 2020, "value_published"].item() == 100.0
    # the series the estimate takes carries the flag of each value it uses
    series = indicator_series(bridged, [2018, 2019, 2020, 2021], {"it_services": ("软件业务收入",)}, key="component")
    flagged = indicator_breaks(series, threshold=0.5)
    assert flagged[["province_code", "year"]].values.tolist() == [[150000, 2020], [150000, 2021]]
    assert "spike: bridged" in flagged["message"].iloc[0]


def test_patterns_of_the_breaks_of_one_series() -> None:
    # the shape of Inner Mongolia's 软件业务收入 2012-2024: a lasting fall, two outliers, a last value out of line
    flagged = [(2017, -0.7), (2019, -0.8), (2020, 0.7), (2021, 2.8), (2022, -3.7), (2024, 0.9)]
    pattern, outliers = _patterns(list(range(2012, 2025)), flagged)
    assert pattern == {2017: "step", 2019: "spike", 2020: "return", 2021: "spike", 2022: "return", 2024: "end"}
    assert outliers == {2019, 2021, 2024}
    # a first value out of line with the next: the first value is the outlier
    assert _patterns(list(range(2012, 2016)), [(2013, 1.0)]) == ({2012: "start", 2013: "return"}, {2012})
    # a rise answered three years later is two changes of level, not an outlier
    assert _patterns(list(range(2010, 2020)), [(2012, 0.8), (2015, -0.8)]) == ({2012: "step", 2015: "step"}, set())


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
    # growth within the old base is still the volume's own: the linked years are carried by it
    assert set(series["carrying_indicator"]) == {"电信业务总量"}
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
