"""A zero is not evidence of absence: negligible benchmarks borrowed from the peers or flagged (by hand).

The toy: six provinces, electronics tables of 2012 and 2017 (辽宁 also 2007), the C39 revenue of
five of them (内蒙古 has none), so that every answer can be worked out on paper:

| province | V 2007 | V 2012 | V 2017 | C39 revenue X |
|---|---|---|---|---|
| 北京 110000 | | 100 | 200 | 500 + 60 (t - 2012) |
| 天津 120000 | | 50 | 60 | 100 x 2^((t - 2012) / 5) |
| 河北 130000 | | 30 | 90 | 300 |
| 山西 140000 | | 10 | 0 | 40 to 2017, then 40 + 10 (t - 2017) |
| 内蒙古 150000 | | 10 | 0 | none |
| 辽宁 210000 | 50 | 0 | 50 | 200 |
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import digecon
from digecon.estimation.zeros import (
    BORROWED,
    UNVERIFIABLE,
    ZERO_COLUMNS,
    borrowed_ratio,
    borrowing_errors,
    negligible_benchmarks,
)
from tests.test_estimate import SECTORS, settings_for

GRID = list(range(2007, 2021))
OUTPUT = list(range(2012, 2021))
ELECTRONICS = {
    110000: {2012: 100, 2017: 200},
    120000: {2012: 50, 2017: 60},
    130000: {2012: 30, 2017: 90},
    140000: {2012: 10, 2017: 0},
    150000: {2012: 10, 2017: 0},
    210000: {2007: 50, 2012: 0, 2017: 50},
}
REVENUE = {
    110000: lambda t: 500 + 60 * (t - 2012),
    120000: lambda t: 100 * 2 ** ((t - 2012) / 5),
    130000: lambda t: 300.0,
    140000: lambda t: 40.0 + 10 * max(t - 2017, 0),
    210000: lambda t: 200.0,
}
METHODS = ("hold", "linear", "chow_lin")


def toy_io() -> pd.DataFrame:
    """The tables: electronics as above; machinery 900, information 50, culture 20, finance 70, rest 430 亿元."""
    rows = []
    for code, years in ELECTRONICS.items():
        for year, electronics in years.items():
            sectors = {"electronics": electronics, "machinery": 900, "information": 50, "culture": 20, "finance": 70}
            for key, va in sectors.items():
                rows.append({"sector_key": key, "value_added": va * 1e4, **SECTORS[key]})
                rows[-1] |= {"province_code": code, "year": year, "source_file": f"{year}/{code}.xls"}
            rest = {"sector_key": "rest", "value_added": 430 * 1e4, "industry": 0, "other_services": 1}
            rows.append(rest | {"province_code": code, "year": year, "source_file": f"{year}/{code}.xls"})
    return pd.DataFrame(rows)


def toy_yearbook() -> pd.DataFrame:
    """工业 1000 x 1.1^(t - 2007), 其他行业 half of it, 第三产业 twice that, GDP 4 x 工业; C39 revenue as above."""
    rows = []
    for code in ELECTRONICS:
        for t in GRID:
            industry = 1000 * 1.1 ** (t - 2007)
            rows += [(code, t, "工业增加值", industry), (code, t, "其他行业增加值", industry / 2)]
            rows += [(code, t, "第三产业增加值", industry), (code, t, "地区生产总值", 4 * industry)]
            if code in REVENUE:
                rows.append((code, t, "C39主营业务收入", REVENUE[code](t)))
    frame = pd.DataFrame(rows, columns=["province_code", "year", "indicator", "value"])
    return frame.assign(unit="亿元", source="toy.csv")


def toy_ratios() -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"io_year": y, "province_code": code, "ratio": r, "value": v, "ratio_source": "toy"}
            for code, years in ELECTRONICS.items()
            for y in years
            for r, v in (("s_I63", 0.4), ("r_media", 0.5))
        ]
    )


def chains_only(settings: digecon.Settings) -> digecon.Settings:
    """The settings without the combined candidates: auto chooses one chain, whose basis the tests name."""
    indicators = settings.indicators
    selection = dataclasses.replace(indicators.selection, combinations=False)
    return dataclasses.replace(settings, indicators=dataclasses.replace(indicators, selection=selection))


@pytest.fixture(scope="module")
def result() -> digecon.Result:
    settings = chains_only(settings_for(OUTPUT, METHODS))
    return digecon.estimate(digecon.Inputs(toy_io(), toy_yearbook(), toy_ratios()), settings)


def rows(result: digecon.Result, code: int, component: str = "electronics") -> pd.DataFrame:
    v = result.values
    return v[(v["province_code"] == code) & (v["component"] == component)]


def q80(errors: list[float]) -> float:
    """The 80th percentile of four or three numbers, interpolated between order statistics as numpy does."""
    e = sorted(errors)
    position = 0.8 * (len(e) - 1)
    low = int(position)
    return e[low] + (position - low) * (e[low + 1] - e[low])


# the peers of 2017: 北京 (200, 800), 天津 (60, 200), 河北 (90, 300), 辽宁 (50, 200); 山西 and 内蒙古 are
# negligible, 内蒙古 has no series anyway
C_2017 = (200 + 60 + 90 + 50) / (800 + 200 + 300 + 200)  # 400 / 1500
# each peer left out: the others' ratio on its own X, |estimate - actual| / estimate
#   北京 2/7 x 800 against 200: 1/8; 天津 17/65 x 200 against 60: 5/34; 河北 31/120 x 300 against 90: 5/31;
#   辽宁 7/26 x 200 against 50: 1/14
H_0 = q80([1 / 8, 5 / 34, 5 / 31, 1 / 14])
# the same ratios on the 2012 X of the peers that have a non-negligible 2012 table (辽宁's is 0):
#   北京 2/7 x 500 against 100: 0.3; 天津 17/65 x 100 against 50: 31/34; 河北 31/120 x 300 against 30: 19/31
H_5 = q80([0.3, 31 / 34, 19 / 31])


def test_a_zero_last_table_with_the_series_is_borrowed_from_the_peers(result: digecon.Result) -> None:
    shanxi = rows(result, 140000)
    after = shanxi[shanxi["year"] > 2017]
    assert len(after) == 3 * len(METHODS) * 2  # every method and convention
    assert set(after["zero_benchmark"]) == {BORROWED} and set(after["coefficient_basis"]) == {BORROWED}
    assert after["coefficient"].to_numpy() == pytest.approx(C_2017)
    by_year = after.groupby("year")["value_100m_yuan"]
    assert (by_year.max() - by_year.min()).max() < 1e-9  # all methods and conventions: the same value
    assert by_year.first().to_dict() == pytest.approx({2018: C_2017 * 50, 2019: C_2017 * 60, 2020: C_2017 * 70})
    assert set(after["indicator"]) == {"C39主营业务收入"} and set(after["chain"]) == {"c39_revenue"}
    assert after["se_100m_yuan"].isna().all() and after["rho"].isna().all()
    # the band: the q80 measured at distance 0 and 5, linear in between
    h = after.groupby("year")["band_relative"].first()
    assert h.to_dict() == pytest.approx({t: H_0 + (H_5 - H_0) * (t - 2017) / 5 for t in (2018, 2019, 2020)})
    row = after[after["year"] == 2018].iloc[0]
    assert row["upper_100m_yuan"] == pytest.approx(C_2017 * 50 * (1 + h[2018]))
    # the years up to the last table are the estimator's own
    assert not shanxi.loc[shanxi["year"] <= 2017, "zero_benchmark"].astype(str).str.len().any()
    assert shanxi.loc[shanxi["year"] == 2017, "value_100m_yuan"].to_numpy() == pytest.approx(0)


def test_the_totals_and_real_values_take_the_borrowed_values(result: digecon.Result) -> None:
    key = ["province_code", "year", "method", "convention"]
    summed = result.values.groupby(key, observed=True)["value_100m_yuan"].sum()
    totals = result.totals.set_index(key)["value_100m_yuan"]
    assert totals.loc[(140000, 2019, "linear", "share")] == pytest.approx(summed.loc[(140000, 2019, "linear", "share")])
    total = result.totals.query("province_code == 140000 and year == 2019 and method == 'linear'")
    assert (total["upper_100m_yuan"] > total["value_100m_yuan"]).all()
    real = result.real_values.query("province_code == 140000 and year == 2019 and component == 'electronics'")
    assert real["value_100m_yuan"].to_numpy() == pytest.approx(C_2017 * 60)


def test_without_the_series_the_zero_stays_and_is_unverifiable(result: digecon.Result) -> None:
    inner_mongolia = rows(result, 150000)
    after = inner_mongolia[inner_mongolia["year"] > 2017]
    assert set(after["zero_benchmark"]) == {UNVERIFIABLE}
    assert set(after["coefficient_basis"]) == {"share"}  # led by 工业增加值: c = V / A = 0 / 3000
    held = after[after["method"].isin(["hold", "linear"])]
    assert held["value_100m_yuan"].to_numpy() == pytest.approx(0)
    assert after[["band_relative", "lower_100m_yuan", "upper_100m_yuan"]].isna().all(axis=None)
    check = result.zero_benchmarks.query("province_code == 150000").iloc[0]
    assert (check["action"], check["years_affected"], check["n_years_affected"]) == (UNVERIFIABLE, "2018-2020", 3)
    assert "no series of the component" in check["message"]


def test_an_interior_zero_is_left_alone_and_measured(result: digecon.Result) -> None:
    liaoning = rows(result, 210000)
    assert not liaoning["zero_benchmark"].astype(str).str.len().any()
    assert "borrowed" not in set(liaoning["coefficient_basis"])
    check = result.zero_benchmarks.query("province_code == 210000").iloc[0]
    assert (check["position"], check["action"], check["n_years_affected"]) == ("interior", "none", 0)
    # an industry appearing between rounds: 0 in 2012, 50 in 2017; 辽宁 is its own series' X = 200
    c_2012 = (100 + 50 + 30 + 10) / (500 + 100 + 300 + 40)  # 北京, 天津, 河北, 山西 (内蒙古 has no series)
    assert check["coefficient_borrowed"] == pytest.approx(c_2012) and check["n_peers"] == 4
    assert check["carried_estimate_100m_yuan"] == pytest.approx(0) and check["carried_ape"] == pytest.approx(1)
    assert check["borrowed_estimate_100m_yuan"] == pytest.approx(c_2012 * 200)
    assert check["borrowed_ape"] == pytest.approx(abs(c_2012 * 200 - 50) / 50)
    # the band of the 2012 ratio at distance 5: 北京 90/440 x 800 against 200, 天津 140/840 x 200 against 60,
    # 河北 160/640 x 300 against 90 (山西's 2017 table is negligible)
    h = q80([(200 - 90 / 440 * 800) / (90 / 440 * 800), (60 - 200 / 6) / (200 / 6), (90 - 75) / 75])
    assert check["borrowed_band_relative"] == pytest.approx(h) and bool(check["inside_band"])
    assert check["measurement"] == "on the indicator's own values"


def test_every_negligible_benchmark_is_listed(result: digecon.Result) -> None:
    checks = result.zero_benchmarks
    assert list(checks.columns) == ZERO_COLUMNS
    assert list(zip(checks["province_code"], checks["benchmark_year"], checks["action"], strict=True)) == [
        (140000, 2017, BORROWED),
        (150000, 2017, UNVERIFIABLE),
        (210000, 2012, "none"),
    ]
    shanxi = checks.iloc[0]
    assert shanxi["coefficient_borrowed"] == pytest.approx(C_2017) and shanxi["peers"] == "北京, 天津, 河北, 辽宁"
    assert shanxi["band_distances"] == "0, 5, 10" and shanxi["own_coefficient"] == pytest.approx(0)
    assert shanxi["band_q80"].split(", ")[:2] == [f"{H_0:.4g}", f"{H_5:.4g}"]


def test_negligible_benchmarks_by_position() -> None:
    components = pd.DataFrame(
        {
            "province_code": [0, 1, 1, 1, 2, 3, 3],
            "component": ["media"] * 7,
            "year": [2012, 2007, 2012, 2017, 2017, 2012, 2017],
            "benchmark_value_100m_yuan": [0.0, 0.5, 0.99, 1.0, 0.0, 5.0, 0.2],
        }
    )
    found = negligible_benchmarks(components, range(2002, 2021))
    assert found["province_code"].tolist() == [1, 1, 2, 3]  # the national row (code 0) is not a province
    assert found["position"].tolist() == ["first", "interior", "only", "last"]
    assert found["affected"].tolist() == [
        list(range(2002, 2007)),
        [],
        [y for y in range(2002, 2021) if y != 2017],
        [2018, 2019, 2020],
    ]
    assert found["next_value_100m_yuan"].tolist()[:2] == [0.99, 1.0]


def test_the_ratio_is_borrowed_from_the_nearest_year_with_peers() -> None:
    table = pd.DataFrame(
        {
            "province_code": [1, 2, 1, 2, 3],
            "year": [2007, 2007, 2017, 2017, 2017],
            "value": [10.0, 30.0, 0.5, 20.0, 40.0],
            "x": [100.0, 100.0, 10.0, 50.0, 50.0],
            "peer": [True, True, False, True, True],
        }
    )
    assert borrowed_ratio(table, 2012)[:2] == (2007, pytest.approx(0.2))  # 2007 and 2017 equally near: the earlier
    used, ratio, peers = borrowed_ratio(table, 2017)
    assert (used, ratio, peers["province_code"].tolist()) == (2017, pytest.approx(0.6), [2, 3])
    alone = table[table["province_code"] != 3]
    assert borrowing_errors(alone, 2017).empty  # one peer: nobody left to borrow from
    errors = borrowing_errors(table, 2017).set_index(["province_code", "year"])
    # 2 left out: 40 / 50 on its X of 2017 (50) and 2007 (100); 3 left out: 20 / 50 on its X of 2017
    assert errors.loc[(2, 2007), "band_error"] == pytest.approx(abs(80 - 30) / 80)
    assert errors.loc[(3, 2017), "band_error"] == pytest.approx(abs(20 - 40) / 20)
    assert np.isnan(borrowed_ratio(table.assign(peer=False), 2017)[1])


def test_no_negligible_benchmark_changes_nothing() -> None:
    """Without a negligible table the values are those of the estimator, and the check has its columns only."""
    io = toy_io()
    raised = io.assign(
        value_added=np.where(io["sector_key"] == "electronics", io["value_added"] + 5e4, io["value_added"])
    )
    settings = chains_only(settings_for(OUTPUT, ("linear",)))
    result = digecon.estimate(digecon.Inputs(raised, toy_yearbook(), toy_ratios()), settings)
    assert result.zero_benchmarks.empty and list(result.zero_benchmarks.columns) == ZERO_COLUMNS
    assert set(result.values["zero_benchmark"].astype(str)) == {""}
    assert "borrowed" not in set(result.values["coefficient_basis"])


# --- the real tables (skipped without the mirror) -------------------------------------------------


@pytest.fixture(scope="module")
def real(mirror: Path) -> digecon.Result:
    return digecon.estimate(digecon.load_inputs(mirror))


def test_real_ningxia_and_tibet_have_no_series_of_electronics(real: digecon.Result) -> None:
    """No series covers 宁夏 or 西藏 electronics: their zeros are kept and flagged unverifiable.

    The 2017 tables of 宁夏 and 西藏 and the 2012 table of 西藏 have no electronics value added (sector 20
    TVA = 0 in 30-宁夏.xls and 26-西藏.xls, row 28, column W); the Wind C39 revenue has no column for them.
    """
    benchmarks = real.benchmarks.query("component == 'electronics'").set_index(["province_code", "year"])
    for key in [(640000, 2017), (540000, 2012), (540000, 2017)]:
        assert benchmarks.loc[key, "benchmark_value_100m_yuan"] == 0
    checks = real.zero_benchmarks.set_index(["province_code", "component", "benchmark_year"])
    assert checks.loc[(640000, "electronics", 2017), "years_affected"] == "2018-2024"
    assert checks.loc[(540000, "electronics", 2012), "years_affected"] == "2002-2011"
    assert checks.loc[(540000, "electronics", 2017), "years_affected"] == "2018-2024"
    v = real.values.query("component == 'electronics'")
    for code, years in {640000: range(2018, 2025), 540000: [*range(2002, 2012), *range(2018, 2025)]}.items():
        flagged = v[(v["province_code"] == code) & v["year"].isin(years)]
        assert set(flagged["zero_benchmark"]) == {UNVERIFIABLE} and flagged["upper_100m_yuan"].isna().all()
        assert flagged.query("method == 'hold'")["value_100m_yuan"].eq(0).all()  # the zero is kept
        inside = v[(v["province_code"] == code) & ~v["year"].isin(years)]
        assert set(inside["zero_benchmark"].astype(str)) == {""}


def test_real_xinjiang_electronics_after_2017_is_borrowed(real: digecon.Result) -> None:
    """新疆's 2017 electronics is negligible and its C39 revenue exists: the years after 2017 are borrowed.

    The 2017 table has 2,777.68 万元 of electronics (31-新疆.xls, row 28, column W). The C39 revenue is
    2.41217 亿元 in 2016, the last Wind year (新疆.xls, row 13, column AT), carried to 2018 by 工业增加值
    (2,686.8 in 2016, 3,758.5 in 2018).
    """
    check = real.zero_benchmarks.query("province_code == 650000 and benchmark_year == 2017").iloc[0]
    assert check["benchmark_value_100m_yuan"] == pytest.approx(0.277768, abs=1e-6)
    assert (check["action"], check["series_indicator"], check["years_affected"]) == (
        BORROWED,
        "C39主营业务收入",
        "2018-2024",
    )
    assert check["series_own_years"] == "2005-2016"
    # the peers: the other 28 provinces with C39 revenue (29 have it; 新疆 itself is negligible)
    assert check["n_peers"] == 28 and "新疆" not in check["peers"] and "宁夏" not in check["peers"]
    v = real.values.query("province_code == 650000 and component == 'electronics' and year == 2018")
    assert set(v["zero_benchmark"]) == {BORROWED} and v["coefficient"].to_numpy() == pytest.approx(
        check["coefficient_borrowed"]
    )
    x_2018 = 2.41217 * 3758.5 / 2686.8
    assert v["indicator_value_100m_yuan"].to_numpy() == pytest.approx(x_2018, rel=1e-6)
    assert v["value_100m_yuan"].to_numpy() == pytest.approx(check["coefficient_borrowed"] * x_2018, rel=1e-6)
    assert set(v["indicator"]) == {"C39主营业务收入 (spliced: 工业增加值 x 0.0009, ratio in 2016)"}
    # the borrowed ratio is that of the 2017 tables of the peers over their series in 2017
    peers = real.benchmarks.query("component == 'electronics' and year == 2017 and province_code != 0")
    series = real.indicators.query("component == 'electronics' and year == 2017")
    both = peers.merge(series, on=["province_code", "year", "component"])
    both = both[(both["leading_indicator"] == "C39主营业务收入") & (both["benchmark_value_100m_yuan"] >= 1)]
    assert len(both) == 28
    assert check["coefficient_borrowed"] == pytest.approx(
        both["benchmark_value_100m_yuan"].sum() / both["indicator_100m_yuan"].sum()
    )


def test_real_industries_appearing_between_rounds_are_measured(real: digecon.Result) -> None:
    """The four industries that appear between two rounds are measured, carried against borrowed.

    新疆 electronics 0.04 亿元 in 2002, 2.97 in 2007 (29,714.06 万元: 2007 30新疆.xls, row 27, column V);
    青海 0.53 in 2012, 2.02 in 2017; 海南 0.50 in 2002, 1.77 in 2007; 青海 media 0.75 in 2002, 2.82 in 2007.
    """
    checks = real.zero_benchmarks.set_index(["province_code", "component", "benchmark_year"])
    measured = checks[checks["carried_ape"].notna()]
    assert set(measured.index) == {
        (650000, "electronics", 2002),
        (630000, "electronics", 2012),
        (460000, "electronics", 2002),
        (630000, "media", 2002),
    }
    xinjiang = checks.loc[(650000, "electronics", 2002)]
    assert xinjiang["next_value_100m_yuan"] == pytest.approx(2.9714, abs=1e-4)
    for _, row in measured.iterrows():
        for estimate in ("carried", "borrowed"):
            ape = abs(row[f"{estimate}_estimate_100m_yuan"] - row["next_value_100m_yuan"]) / row["next_value_100m_yuan"]
            assert row[f"{estimate}_ape"] == pytest.approx(ape)
