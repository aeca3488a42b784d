"""Constant prices: chained volume indices, implicit deflators and single deflation, checked by hand.

The hand-built province (110000) has, in 亿元, 第二产业增加值 1000 / 1100 / 1200 in 2017-2019 with
volume indices 104 (2018) and 102 (2019), so real 第二产业 at 2017 prices is 1000 / 1040 / 1060.8 and
the deflator (2017 = 100) 100 / 105.769... / 113.122...; 第三产业增加值 2000 / 2300 / 2500 with indices
110 and 105: real 2000 / 2200 / 2310.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from digecon.estimation.prices import (
    DEFLATED,
    GDP_DEFLATOR,
    NO_INDEX,
    NO_NOMINAL,
    chain_volumes,
    deflate_components,
    implicit_deflators,
    price_indices,
    worst_flag,
)
from digecon.inputs.price_indices import read_price_indices

BEIJING = 110000


def yearbook_rows(code: int, indicator: str, unit: str, by_year: dict[int, float]) -> list[dict[str, object]]:
    return [
        {"province_code": code, "year": y, "indicator": indicator, "unit": unit, "value": v, "source": "hand"}
        for y, v in by_year.items()
    ]


def yearbook(code: int = BEIJING, *, industry: bool = False, base_nominal: bool = True) -> pd.DataFrame:
    secondary = {2017: 1000.0, 2018: 1100.0, 2019: 1200.0, 2020: 1300.0}
    if not base_nominal:
        del secondary[2017]
    rows = [
        *yearbook_rows(code, "第二产业增加值", "亿元", secondary),
        *yearbook_rows(code, "第二产业增加值指数", "上年=100", {2018: 104.0, 2019: 102.0}),
        *yearbook_rows(code, "第三产业增加值", "亿元", {2017: 2000.0, 2018: 2300.0, 2019: 2500.0}),
        *yearbook_rows(code, "第三产业增加值指数", "上年=100", {2018: 110.0, 2019: 105.0}),
    ]
    if industry:
        rows += yearbook_rows(code, "工业增加值", "亿元", {2017: 800.0, 2018: 900.0, 2019: 950.0})
        rows += yearbook_rows(code, "工业增加值指数", "上年=100", {2018: 105.0, 2019: 101.0})
    return pd.DataFrame(rows)


def deflators_of(frame: pd.DataFrame, base_year: int = 2017) -> pd.DataFrame:
    return implicit_deflators(frame, price_indices(frame), base_year=base_year)


def component_values(code: int = BEIJING) -> pd.DataFrame:
    parts = {2017: (10.0, 20.0, 5.0, 5.0), 2018: (12.0, 24.0, 6.0, 8.0), 2019: (13.0, 26.0, 7.0, 9.0)}
    return pd.DataFrame(
        [
            {"province_code": code, "year": year, "component": c, "value_100m_yuan": v}
            for year, values in parts.items()
            for c, v in zip(("electronics", "it_services", "telecom", "media"), values, strict=True)
        ]
    )


def test_volumes_chain_forward_and_backward_from_the_base_year() -> None:
    volume = chain_volumes(pd.Series({2016: 105.0, 2017: 110.0, 2018: 104.0, 2019: 102.0}), 2017)
    assert volume.to_dict() == pytest.approx({2016: 1 / 1.10, 2017: 1.0, 2018: 1.04, 2019: 1.04 * 1.02})


def test_a_missing_index_breaks_the_chain_beyond_it() -> None:
    volume = chain_volumes(pd.Series({2015: 103.0, 2018: 104.0, 2020: 103.0}), 2017)
    assert volume[2017] == 1.0 and volume[2018] == pytest.approx(1.04)
    assert np.isnan(volume[2019]) and np.isnan(volume[2020])  # 2019 has no index: the chain stops there
    assert np.isnan(volume[2016]) and np.isnan(volume[2015])  # 2017's own index (on 2016) is missing


def test_implicit_deflator_is_nominal_over_chained_real() -> None:
    table = deflators_of(yearbook()).set_index(["series", "year"])
    secondary = table.loc["secondary"]
    assert secondary["real_100m_yuan"].loc[[2017, 2018, 2019]].tolist() == pytest.approx([1000, 1040, 1060.8])
    assert secondary["deflator_base_100"].loc[[2017, 2018, 2019]].tolist() == pytest.approx(
        [100, 1100 / 1040 * 100, 1200 / 1060.8 * 100]
    )
    assert table.loc["tertiary", "real_100m_yuan"].loc[[2018, 2019]].tolist() == pytest.approx([2200, 2310])
    assert secondary.loc[2019, "real_flag"] == DEFLATED
    # 2020: nominal known, no index on 2019: no real value, never an invented one
    assert np.isnan(secondary.loc[2020, "real_100m_yuan"]) and secondary.loc[2020, "real_flag"] == NO_INDEX


def test_without_nominal_in_the_base_year_nothing_is_deflated() -> None:
    secondary = deflators_of(yearbook(base_nominal=False)).query("series == 'secondary'")
    assert secondary["deflator_base_100"].isna().all()
    assert set(secondary.loc[secondary["year"] <= 2019, "real_flag"]) == {NO_NOMINAL}


def test_components_take_their_sectors_deflator() -> None:
    deflated = deflate_components(component_values(), deflators_of(yearbook())).set_index(["year", "component"])
    assert deflated.loc[(2017, "electronics"), "real_value_100m_yuan"] == pytest.approx(10.0)  # base year
    assert deflated.loc[(2018, "electronics"), "real_value_100m_yuan"] == pytest.approx(12 * 1040 / 1100)
    assert deflated.loc[(2019, "media"), "real_value_100m_yuan"] == pytest.approx(9 * 2310 / 2500)
    assert set(deflated.xs("electronics", level="component")["deflator_series"]) == {"secondary"}
    assert set(deflated.xs("telecom", level="component")["deflator_series"]) == {"tertiary"}
    assert set(deflated["real_flag"]) == {DEFLATED}


def test_industry_indices_take_precedence_for_electronics() -> None:
    deflated = deflate_components(component_values(), deflators_of(yearbook(industry=True)))
    electronics = deflated[deflated["component"] == "electronics"].set_index("year")
    assert set(electronics["deflator_series"]) == {"industry"}
    assert electronics.loc[2018, "real_value_100m_yuan"] == pytest.approx(12 * (800 * 1.05) / 900)


def test_a_province_without_indices_has_empty_flagged_real_values() -> None:
    deflated = deflate_components(component_values(120000), deflators_of(yearbook()))
    assert deflated["real_value_100m_yuan"].isna().all()
    assert set(deflated["real_flag"]) == {NO_INDEX} and set(deflated["deflator_series"]) == {""}
    # and with no index anywhere at all
    empty = implicit_deflators(yearbook(), price_indices(yearbook().iloc[:0]), base_year=2017)
    assert set(deflate_components(component_values(), empty)["real_flag"]) == {NO_INDEX}


def test_the_worst_flag_wins() -> None:
    assert worst_flag(pd.Series([DEFLATED, DEFLATED])) == DEFLATED
    assert worst_flag(pd.Series([DEFLATED, GDP_DEFLATOR])) == GDP_DEFLATOR
    assert worst_flag(pd.Series([DEFLATED, NO_NOMINAL])) == NO_NOMINAL
    assert worst_flag(pd.Series([NO_NOMINAL, NO_INDEX, DEFLATED])) == NO_INDEX


def with_gdp(frame: pd.DataFrame) -> pd.DataFrame:
    """Add GDP 3000 / 3400 / 3700 / 4000 (2017-2020) with indices 106, 105, 102 and a 2021 third-sector index."""
    return pd.concat(
        [
            frame,
            pd.DataFrame(
                yearbook_rows(BEIJING, "地区生产总值", "亿元", {2017: 3000.0, 2018: 3400.0, 2019: 3700.0, 2020: 4000.0})
            ),
            pd.DataFrame(
                yearbook_rows(BEIJING, "地区生产总值指数", "上年=100", {2018: 106.0, 2019: 105.0, 2020: 102.0})
            ),
        ],
        ignore_index=True,
    )


def test_a_year_without_the_sector_index_moves_with_the_gdp_deflator() -> None:
    table = deflators_of(with_gdp(yearbook())).set_index(["series", "year"])
    # GDP deflator, 2017 = 1: 3400 / (3000 x 1.06) in 2018, ..., 2020: 4000 / (3000 x 1.06 x 1.05 x 1.02)
    gdp = {2019: 3700 / (3000 * 1.06 * 1.05), 2020: 4000 / (3000 * 1.06 * 1.05 * 1.02)}
    # 第二产业 2020 has no index: its deflator moves with the GDP deflator from 2019 to 2020
    secondary = table.loc["secondary"]
    expected = secondary.loc[2019, "deflator_base_100"] * gdp[2020] / gdp[2019]
    assert secondary.loc[2020, "deflator_base_100"] == pytest.approx(expected)
    assert secondary.loc[2020, "real_100m_yuan"] == pytest.approx(1300 / expected * 100)
    assert (secondary.loc[2020, "index_from"], secondary.loc[2020, "real_flag"]) == ("gdp", GDP_DEFLATOR)
    assert (secondary.loc[2019, "index_from"], secondary.loc[2019, "real_flag"]) == ("sector", DEFLATED)
    assert table.loc[("gdp", 2020), "real_flag"] == DEFLATED  # GDP has its own index
    assert ("tertiary", 2020) not in table.index  # no 第三产业 value in 2020: no year to deflate


def test_the_gdp_flag_reaches_every_year_whose_chain_takes_the_step() -> None:
    frame = with_gdp(yearbook())
    more = yearbook_rows(BEIJING, "第二产业增加值", "亿元", {2021: 1400.0}) + yearbook_rows(
        BEIJING, "第二产业增加值指数", "上年=100", {2021: 103.0}
    )
    table = deflators_of(pd.concat([frame, pd.DataFrame(more)], ignore_index=True)).set_index(["series", "year"])
    secondary = table.loc["secondary"]
    # 2021 has its own index again, but its level rests on the 2020 step: still flagged
    assert secondary.loc[2021, "index_from"] == "sector" and secondary.loc[2021, "real_flag"] == GDP_DEFLATOR
    assert secondary.loc[2021, "real_100m_yuan"] == pytest.approx(secondary.loc[2020, "real_100m_yuan"] * 1.03)
    # with 2020 as the base year, 2019 rests on the 2020 step (going back from 2020 to 2019)
    back = deflators_of(pd.concat([frame, pd.DataFrame(more)], ignore_index=True), base_year=2020)
    back = back.query("series == 'secondary'").set_index("year")
    assert back.loc[2019, "real_flag"] == GDP_DEFLATOR and back.loc[2020, "real_flag"] == DEFLATED


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding)
    return path


def test_user_indices_extend_and_replace_the_built_in_ones(tmp_path: Path) -> None:
    user = write(
        tmp_path / "indices.csv",
        "province,year,index,series,source\n北京市,2019,103,secondary,统计公报\nBeijing,2020,101.5,secondary,\n"
        "110000,2020,102.2,tertiary,统计公报\n",
        encoding="utf-8-sig",  # as Excel saves it
    )
    indices = price_indices(yearbook(), [read_price_indices(user)]).set_index(["series", "year"])
    assert indices.loc[("secondary", 2019), "index_previous_year_100"] == 103.0  # replaced
    assert indices.loc[("secondary", 2020), ["index_previous_year_100", "source"]].tolist() == [101.5, "indices.csv"]
    assert indices.loc[("tertiary", 2020), "source"] == "统计公报"
    assert indices.loc[("secondary", 2018), "index_previous_year_100"] == 104.0  # kept
    deflators = implicit_deflators(yearbook(), indices.reset_index(), base_year=2017)
    secondary = deflators.query("series == 'secondary'").set_index("year")
    assert secondary.loc[2020, "real_100m_yuan"] == pytest.approx(1000 * 1.04 * 1.03 * 1.015)


# --- real data: the mirror's 地区生产总值指数.csv and 地区生产总值.csv -------------------------------

NATIONAL_ACCOUNTS = "nbs_province_annual_scrape_2021/源数据/国家统计局分省年度数据/国民经济核算"


def published(mirror: Path, name: str) -> dict[tuple[str, int], dict[str, float]]:
    """(province name, year) -> {column header: value} of one 分省年度数据 CSV, read with the csv module."""
    with (mirror / NATIONAL_ACCOUNTS / name).open(encoding="utf-8-sig", newline="") as handle:
        return {
            (row["省份"], int(row["年份"])): {k: float(v) for k, v in row.items() if "(" in k and v}
            for row in csv.DictReader(handle)
        }


def real_totals_by_hand(
    index: dict, nominal: dict, name: str, parts: pd.DataFrame, years: tuple[int, ...]
) -> dict[int, float]:
    """Real total (2017 prices) of one province, with the formulas of the method, from the published cells."""
    real_sector = {s: {2017: nominal[name, 2017][f"{s}增加值(亿元)"]} for s in ("第二产业", "第三产业")}
    totals = {}
    for year in years:
        for sector, real in real_sector.items():  # R_2017 = N_2017, R_t = R_t-1 x I_t / 100
            if year > 2017:
                real[year] = real[year - 1] * index[name, year][f"{sector}增加值指数(上年=100)"] / 100
        deflator = {s: nominal[name, year][f"{s}增加值(亿元)"] / real[year] for s, real in real_sector.items()}
        by = parts[parts["year"] == year].set_index("component")["value_100m_yuan"]
        services = by[["it_services", "telecom", "media"]].sum()
        totals[year] = by["electronics"] / deflator["第二产业"] + services / deflator["第三产业"]
    return totals


def test_real_growth_by_hand_from_the_published_indices(mirror: Path) -> None:
    """Beijing and Shanghai, 2018 and 2019: the panel's real growth equals the hand computation."""
    from digecon.inputs.yearbook import read_nbs_annual_csv
    from tests.test_panel import estimates, panel_with

    index, nominal = published(mirror, "地区生产总值指数.csv"), published(mirror, "地区生产总值.csv")
    assert [index["北京市", y]["第二产业增加值指数(上年=100)"] for y in (2018, 2019)] == [103.9, 103.9]
    assert [index["北京市", y]["第三产业增加值指数(上年=100)"] for y in (2018, 2019)] == [107.3, 106.5]
    files = ("地区生产总值.csv", "地区生产总值指数.csv")
    frame = pd.concat([read_nbs_annual_csv(mirror / NATIONAL_ACCOUNTS / n) for n in files], ignore_index=True)
    provinces, years = {110000: "北京市", 310000: "上海市"}, (2017, 2018, 2019)
    values, totals = estimates(provinces, years=years)
    deflators = implicit_deflators(frame, price_indices(frame), base_year=2017)
    panel = panel_with(values, totals, deflators, base_year=2017)
    for code, name in provinces.items():
        parts = values[(values["province_code"] == code) & (values["method"] == "linear")]
        real = real_totals_by_hand(index, nominal, name, parts, years)
        rows = panel[(panel["province_code"] == code) & panel["recommended"]].set_index("year")
        for year in (2018, 2019):
            expected = (real[year] / real[year - 1] - 1) * 100
            assert rows.loc[year, "real_growth_percent"] == pytest.approx(expected, abs=1e-4), (name, year)
            assert rows.loc[year, "real_total_100m_yuan"] == pytest.approx(real[year], abs=1e-4), (name, year)
        assert rows.loc[2017, "real_total_100m_yuan"] == pytest.approx(rows.loc[2017, "total_100m_yuan"], abs=1e-4)
