"""After the last benchmark the telecom / IT split and the media share follow the national detailed tables."""

from __future__ import annotations

import pandas as pd
import pytest

from digecon.estimation.ratio_paths import follow_national_split, ratio_by_year

TABLES = pd.DataFrame(
    {
        "table_year": [2017, 2020, 2017, 2020],
        "ratio": ["s_I63", "s_I63", "r_media", "r_media"],
        "value": [0.30, 0.24, 0.50, 0.40],
        "source": ["t17.rda", "t20.rda", "t17.rda", "t20.rda"],
    }
)


def test_national_ratio_interpolated_between_tables_and_held_beyond() -> None:
    series = ratio_by_year(TABLES, range(2016, 2023)).set_index(["ratio", "year"])["value"]
    assert series[("s_I63", 2016)] == 0.30  # held before the first table
    assert series[("s_I63", 2018)] == pytest.approx(0.28)  # 0.30 + (0.24 - 0.30) / 3
    assert series[("s_I63", 2022)] == 0.24  # held after the last


def values(year: int, telecom: float, it: float, media: float) -> pd.DataFrame:
    rows = []
    for component, value, ratio in (("telecom", telecom, 0.4), ("it_services", it, 0.6), ("media", media, 0.5)):
        rows.append(
            {
                "province_code": 110000,
                "year": year,
                "component": component,
                "method": "linear",
                "convention": "share",
                "flag": "extrapolated",
                "benchmark_years": "2012,2017",
                "value_100m_yuan": value,
                "coefficient": value / 1000,
                "se_100m_yuan": float("nan"),
                "lower_100m_yuan": value * 0.9,
                "upper_100m_yuan": value * 1.1,
                "ratio_value": ratio,
                "ratio_source": "census 2018",
            }
        )
    return pd.DataFrame(rows)


def test_split_after_the_last_benchmark_by_hand() -> None:
    # Beijing's own split in 2017: telecom 0.4 of information (100 = 40 + 60); nationally s_I63 falls
    # 0.30 -> 0.24 by 2020, so in 2020 telecom = 100 x 0.4 x 0.24 / 0.30 = 32 and IT services 68;
    # media scales by r_media 0.40 / 0.50: 20 -> 16
    frame = pd.concat([values(2017, 40, 60, 20), values(2020, 40, 60, 20)], ignore_index=True)
    out = follow_national_split(frame, ratio_by_year(TABLES, range(2017, 2021))).set_index(["year", "component"])
    assert out.loc[(2020, "telecom"), "value_100m_yuan"] == pytest.approx(32.0)
    assert out.loc[(2020, "it_services"), "value_100m_yuan"] == pytest.approx(68.0)
    assert out.loc[(2020, "media"), "value_100m_yuan"] == pytest.approx(16.0)
    assert out.loc[(2020, "telecom"), "ratio_value"] == pytest.approx(0.32)
    assert out.loc[(2020, "telecom"), "upper_100m_yuan"] == pytest.approx(32.0 * 1.1)  # the band scales along
    assert out.loc[(2020, "media"), "coefficient"] == pytest.approx(0.016)
    assert (
        "national s_I63 change since 2017 (national detailed IO table 2020 (t20.rda))"
        in out.loc[(2020, "telecom"), "ratio_source"]
    )
    # the benchmark year itself is untouched
    assert out.loc[(2017, "telecom"), "value_100m_yuan"] == 40 and out.loc[(2017, "telecom"), "ratio_value"] == 0.4


def test_a_path_that_follows_the_national_tables_is_not_split_again() -> None:
    # the national path's coefficients move with the national components, split ratios included
    frame = pd.concat([values(2020, 40, 60, 20), values(2020, 40, 60, 20).assign(method="national")])
    out = follow_national_split(frame.reset_index(drop=True), ratio_by_year(TABLES, range(2017, 2021)), ["national"])
    moved = out.set_index(["method", "component"])["value_100m_yuan"]
    assert (moved[("linear", "telecom")], moved[("linear", "media")]) == pytest.approx((32.0, 16.0))
    assert (moved[("national", "telecom")], moved[("national", "media")]) == (40.0, 20.0)
