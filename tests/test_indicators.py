"""Indicator chains: splicing by hand, coverage errors, and flags for breaks in a series."""

from __future__ import annotations

import pandas as pd
import pytest

from digecon.core.errors import InputError
from digecon.estimation.indicators import indicator_breaks, indicator_series

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
