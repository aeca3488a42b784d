"""Two vintages linked by growth: hand-built series, then one linked value recomputed from the two real files."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from digecon.inputs.vintages import NOT_LINKED, REVISED, SAME_STATISTICS, largest_gaps, link_vintages

NEW, OLD = "after the 5th census", "before the 5th census"


def rows(vintage: str, source: str, indicator: str, unit: str, values: dict[int, float], code: int = 110000):
    return [
        {
            "province_code": code,
            "year": year,
            "indicator": indicator,
            "unit": unit,
            "value": value,
            "source": source,
            "dataset": source,
            "vintage": vintage,
        }
        for year, value in values.items()
    ]


def linked(*parts: list[dict]) -> tuple[pd.DataFrame, pd.DataFrame]:
    table, checks = link_vintages(pd.DataFrame([r for part in parts for r in part]))
    return table.set_index(["province_code", "indicator", "year"]).sort_index(), checks


def test_levels_follow_the_newest_vintage_and_older_years_its_growth() -> None:
    table, checks = linked(
        rows(NEW, "new.csv", "其他行业增加值", "亿元", {2019: 16379.0, 2020: 17056.0}),
        rows(OLD, "old.csv", "其他行业增加值", "亿元", {2017: 14000.0, 2018: 15000.0, 2019: 16043.1}),
    )
    factor = 16379.0 / 16043.1  # the latest year both have
    series = table.xs((110000, "其他行业增加值"))
    assert series["value"].to_dict() == pytest.approx(
        {2017: 14000.0 * factor, 2018: 15000.0 * factor, 2019: 16379.0, 2020: 17056.0}
    )
    assert series.loc[2017, "link_factor"] == pytest.approx(factor) and series.loc[2017, "link_year"] == 2019
    assert series.loc[2019, "link_factor"] == 1.0 and pd.isna(series.loc[2019, "link_year"])
    assert series.loc[2018, "value"] / series.loc[2017, "value"] == pytest.approx(15000 / 14000)  # growth kept
    [check] = checks.to_dict("records")
    assert (check["value"], check["other_value"], check["comparison"]) == (16379.0, 16043.1, REVISED)


def test_rates_are_never_scaled_and_need_no_overlap() -> None:
    table, checks = linked(
        rows(NEW, "new.csv", "第三产业增加值指数", "上年=100", {2024: 105.0}),
        rows(OLD, "old.csv", "第三产业增加值指数", "上年=100", {2018: 107.3, 2019: 106.5}),
    )
    series = table.xs((110000, "第三产业增加值指数"))
    assert series["value"].to_dict() == {2018: 107.3, 2019: 106.5, 2024: 105.0}
    assert set(series["link_factor"]) == {1.0} and checks.empty


def test_a_series_only_an_older_vintage_has_keeps_its_level() -> None:
    table, _ = linked(
        rows(NEW, "new.csv", "地区生产总值", "亿元", {2019: 37767.0}),
        rows(OLD, "old.csv", "城镇单位就业人员工资总额", "亿元", {2018: 3000.0, 2019: 3200.0}),
    )
    assert table.xs((110000, "城镇单位就业人员工资总额"))["value"].to_dict() == {2018: 3000.0, 2019: 3200.0}


def test_an_older_series_without_a_common_year_is_left_out_and_said() -> None:
    table, checks = linked(
        rows(NEW, "new.csv", "地区生产总值", "亿元", {2019: 37767.0}),
        rows(OLD, "old.csv", "地区生产总值", "亿元", {2017: 28000.0}),
    )
    assert list(table.index) == [(110000, "地区生产总值", 2019)]
    [check] = checks.to_dict("records")
    assert (check["comparison"], check["other_value"], check["year"]) == (NOT_LINKED, 28000.0, 2017)
    assert largest_gaps(checks) == ["1 values of an older vintage left out: no year in common with the newer one"]


def test_statistics_no_census_revises_should_agree_across_vintages() -> None:
    _, checks = linked(
        rows("NBS 2026", "platform.csv", "软件业务收入", "亿元", {2019: 11983.0665}),
        rows(OLD, "scrape.csv", "软件业务收入", "亿元", {2019: 11983.0665, 2018: 9728.9}),
        rows("NBS 2026", "platform.csv", "软件业务收入", "亿元", {2019: 1.0}, code=150000),
        rows(OLD, "scrape.csv", "软件业务收入", "亿元", {2019: 2.0}, code=150000),
    )
    assert checks["comparison"].tolist() == [SAME_STATISTICS, SAME_STATISTICS]
    assert checks["agrees"].tolist() == [True, False]  # Inner Mongolia: 2.0 against 1.0, beyond rounding
    [line] = largest_gaps(checks)
    assert line.startswith(f"{SAME_STATISTICS}: 1 of 2 pairs differ beyond rounding; largest: 软件业务收入 150000")


@pytest.fixture(scope="module")
def prepared(mirror: Path):
    """The built-in yearbook of the mirror, linked and screened with the default settings: (table, breaks)."""
    from digecon.core.settings import Settings
    from digecon.estimation.indicators import screen_yearbook
    from digecon.inputs.registry import build_registry
    from digecon.inputs.sources import prepare_yearbook

    settings = Settings().indicators
    table = prepare_yearbook(build_registry(Settings(), raw_root=mirror).series_files()).table
    return screen_yearbook(table, settings.break_threshold, bridge=False, price_bases=settings.price_base_changes)


def test_a_linked_value_recomputed_by_hand_from_the_two_files(prepared) -> None:
    """Beijing 其他行业增加值 2015, older vintage linked onto the newer one at 2019.

    ``nbs_province_annual_scrape_2021/…/国民经济核算/地区生产总值.csv`` (before the 5th census):
    row 6 (北京市 2015), column P 其他行业增加值(亿元) = 10222.0; row 2 (北京市 2019), column P = 16043.1.
    ``nbs_province_gdp_index_2024/…/nbs_exports/分省年度数据.2019csv.csv`` (after the 5th census):
    row 4 (北京市), column N 其他行业增加值 (亿元) = 16379.0. Linked 2015 = 10222.0 x 16379.0 / 16043.1.
    """
    table = prepared[0].set_index(["province_code", "indicator", "year"])
    old, new = table.loc[(110000, "其他行业增加值", 2015)], table.loc[(110000, "其他行业增加值", 2019)]
    assert old["value"] == pytest.approx(10222.0 * 16379.0 / 16043.1)
    assert (old["value_published"], old["link_year"], old["source"]) == (10222.0, 2019, "地区生产总值.csv")
    assert (old["source_row"], old["source_column"]) == (6, "P")
    assert (new["value"], new["source"], new["source_row"], new["source_column"]) == (
        16379.0,
        "分省年度数据.2019csv.csv",
        4,
        "N",
    )
    assert old["vintage"].endswith("before the 5th economic census")
    assert new["vintage"].endswith("after the 5th economic census") and new["link_factor"] == 1.0


def test_the_breaks_of_the_published_series_are_listed(prepared) -> None:
    """List the breaks the data's PROVENANCE names.

    软件业务收入 of 内蒙古 2020-2022 (14.4 -> 277.8 -> 8.1 亿元) and of 陕西 2024 (2,300.9 -> 641.1), the price
    bases of 电信业务总量, the vintage revision.
    """
    breaks = prepared[1].set_index(["indicator", "province_code", "year", "kind"])
    software = breaks.loc["软件业务收入"]
    assert software.loc[(150000, 2021, "jump"), "pattern"] == "spike"
    assert software.loc[(150000, 2021, "jump"), "value_published"] == pytest.approx(277.838, abs=1e-3)
    assert software.loc[(150000, 2022, "jump"), "pattern"] == "return"
    assert software.loc[(610000, 2024, "jump"), "pattern"] == "end"
    assert software.loc[(610000, 2024, "jump"), "value_published"] == pytest.approx(641.064, abs=1e-3)
    assert set(software.xs("jump", level="kind")["action"]) == {"kept"}  # the default keeps them
    telecom = breaks.loc["电信业务总量"].xs("price base", level="kind")
    for year in (2011, 2016, 2021):
        assert len(telecom.xs(year, level="year")) == 31
    revisions = breaks.xs("revision", level="kind")
    assert "onto the newer vintage at 2023" in revisions.loc[("地区生产总值", 110000, 2016), "message"]
