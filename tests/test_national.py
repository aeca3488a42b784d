"""The national consistency report, by hand on a toy of two provinces, a benchmark year and a control year.

2012 is a regional benchmark year (both provinces have tables, and the nation one among them);
2015 has a national table only (ionet-like rows), so the provinces' sum there is of their estimates.

    component     2012 sum  2012 national  ratio   2015 sum  2015 national      ratio  drift
    electronics   10+20=30  25             1.2     12+24=36  30                 1.2    0
    it_services   3+6=9     10             0.9     4+8=12    20 x (1-0.25)=15   0.8    0.8/0.9-1 = -1/9
    telecom       2+4=6     5              1.2     2.5+5=7.5 20 x 0.25=5        1.5    1.5/1.2-1 = 0.25
    media         1+2=3     4              0.75    1+2=3     10 x 0.4=4         0.75   0
    total         48        44             12/11   58.5      54                 13/12  (13/12)/(12/11)-1 = -1/144
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
import pytest

from digecon.estimation.estimate import national_matrix
from digecon.estimation.national import (
    NATIONAL_COLUMNS,
    national_basis,
    national_coefficients,
    national_components,
    national_consistency,
    national_figures,
    with_national_years,
)

P1, P2 = 110000, 120000
COMPONENTS = ("electronics", "it_services", "telecom", "media")
BENCHMARK_2012 = {P1: (10.0, 3.0, 2.0, 1.0), P2: (20.0, 6.0, 4.0, 2.0), 0: (25.0, 10.0, 5.0, 4.0)}
ESTIMATE_2015 = {P1: (12.0, 4.0, 2.5, 1.0), P2: (24.0, 8.0, 5.0, 2.0)}
HOLD_FACTOR = 1.1  # the second method's estimates: 10 % above the first's


def benchmarks() -> pd.DataFrame:
    """Benchmark rows of 2012 (:func:`digecon.estimation.estimate.benchmark_components` layout)."""
    rows = []
    for code, values in BENCHMARK_2012.items():
        for component, value in zip(COMPONENTS, values, strict=True):
            split = {"it_services": "1 - s_I63", "telecom": "s_I63", "media": "r_media"}.get(component, "")
            rows.append(
                {
                    "province_code": code,
                    "year": 2012,
                    "component": component,
                    "sector_va_100m_yuan": value,
                    "ratio": split,
                    "ratio_value": np.nan if not split else 0.5,
                    "ratio_source": "detailed 2012" if split else "",
                    "benchmark_value_100m_yuan": value,
                    "benchmark_file": "0中国.xls" if code == 0 else f"{code}.xls",
                }
            )
    return pd.DataFrame(rows)


def estimates() -> pd.DataFrame:
    """Estimates of 2012 (deliberately off the tables: the report must use the tables there) and 2015."""
    rows = []
    for method, factor in (("linear", 1.0), ("hold", HOLD_FACTOR)):
        for code, values in ESTIMATE_2015.items():
            for component, value in zip(COMPONENTS, values, strict=True):
                for year, v in ((2012, 999.0), (2015, value * factor)):
                    rows.append(
                        {
                            "province_code": code,
                            "year": year,
                            "component": component,
                            "method": method,
                            "convention": "share",
                            "value_100m_yuan": v,
                        }
                    )
    return pd.DataFrame(rows)


def national_tables(year: int = 2015) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A national table of ``year`` (VA in 万元) and its split ratios (s_I63 0.25, r_media 0.4)."""
    va = {"electronics": 300_000.0, "information": 200_000.0, "culture": 100_000.0, "all_sectors": 9_000_000.0}
    tables = pd.DataFrame(
        {
            "year": year,
            "sector_key": list(va),
            "sector_code": ["20", "31", "41", ""],
            "sector_name": ["e", "i", "c", ""],
            "value_added_10k_yuan": list(va.values()),
            "source_file": f"china_{year}_42.rda",
        }
    )
    ratios = pd.DataFrame(
        {
            "io_year": year,
            "province_code": 0,
            "ratio": ["s_I63", "r_media"],
            "value": [0.25, 0.4],
            "ratio_source": [f"national detailed IO table {year + 2}", f"national detailed IO table {year + 2}"],
        }
    )
    return tables, ratios


@pytest.fixture
def report() -> pd.DataFrame:
    return national_consistency(benchmarks(), estimates(), *national_tables())


def row(report: pd.DataFrame, year: int, component: str, method: str = "linear") -> pd.Series:
    hit = report[(report["year"] == year) & (report["component"] == component) & (report["method"] == method)]
    assert len(hit) == 1
    return hit.iloc[0]


def test_one_row_per_year_component_method_and_convention(report: pd.DataFrame) -> None:
    assert list(report.columns) == NATIONAL_COLUMNS
    assert len(report) == 2 * 5 * 2  # years x (components + total) x methods
    assert report["component"].tolist()[:5] == [*COMPONENTS, "total"]


@pytest.mark.parametrize(
    ("component", "provinces", "national", "ratio", "drift"),
    [
        ("electronics", 36.0, 30.0, 1.2, 0.0),
        ("it_services", 12.0, 15.0, 0.8, -1 / 9),
        ("telecom", 7.5, 5.0, 1.5, 0.25),
        ("media", 3.0, 4.0, 0.75, 0.0),
        ("total", 58.5, 54.0, 13 / 12, -1 / 144),
    ],
)
def test_control_year_ratio_and_drift_by_hand(
    report: pd.DataFrame, component: str, provinces: float, national: float, ratio: float, drift: float
) -> None:
    r = row(report, 2015, component)
    assert r["year_kind"] == "control" and r["provinces_basis"] == "estimate"
    assert r["provinces_sum_100m_yuan"] == pytest.approx(provinces)
    assert r["n_provinces"] == 2
    assert r["national_100m_yuan"] == pytest.approx(national)
    assert r["ratio"] == pytest.approx(ratio)
    assert r["reference_year"] == 2012
    assert r["drift"] == pytest.approx(drift, abs=1e-12)


def test_benchmark_year_sums_the_tables_under_every_method(report: pd.DataFrame) -> None:
    for method in ("linear", "hold"):
        r = row(report, 2012, "total", method)
        assert r["year_kind"] == "benchmark" and r["provinces_basis"] == "benchmark tables"
        assert r["provinces_sum_100m_yuan"] == 48.0  # the tables, not the estimates of 999 亿元
        assert r["national_100m_yuan"] == 44.0
        assert r["ratio"] == pytest.approx(12 / 11)
        assert pd.isna(r["reference_year"]) and pd.isna(r["drift"])  # no benchmark before the first


def test_each_method_has_its_own_control_year_ratio(report: pd.DataFrame) -> None:
    linear, hold = row(report, 2015, "electronics"), row(report, 2015, "electronics", "hold")
    assert hold["ratio"] == pytest.approx(HOLD_FACTOR * linear["ratio"])
    assert hold["drift"] == pytest.approx(HOLD_FACTOR * 1.2 / 1.2 - 1)


def test_sources_name_the_table_file_and_the_split_ratio(report: pd.DataFrame) -> None:
    telecom = row(report, 2015, "telecom")
    assert telecom["national_source"] == "china_2015_42.rda"
    assert telecom["split_ratio"] == "s_I63" and telecom["split_ratio_value"] == 0.25
    assert telecom["split_ratio_source"] == "national detailed IO table 2017"
    assert row(report, 2015, "it_services")["split_ratio"] == "1 - s_I63"
    assert row(report, 2015, "it_services")["split_ratio_value"] == 0.75
    assert row(report, 2015, "electronics")["split_ratio"] == ""
    assert row(report, 2012, "media")["national_source"] == "0中国.xls"


def test_national_components_split_the_sectors_like_the_benchmarks() -> None:
    components = national_components(*national_tables()).set_index("component")
    assert components["national_100m_yuan"].to_dict() == {
        "electronics": 30.0,
        "it_services": 15.0,
        "telecom": 5.0,
        "media": 4.0,
    }
    assert components.loc["media", "national_sector_va_100m_yuan"] == 10.0


def test_a_national_table_among_the_io_tables_replaces_a_control_table_of_its_year() -> None:
    figures = national_figures(benchmarks(), national_components(*national_tables(2012)))
    assert set(figures["year"]) == {2012}
    assert figures.set_index("component").loc["electronics", "national_100m_yuan"] == 25.0  # 0中国.xls, not 30


def test_a_control_year_beyond_the_estimates_is_left_empty() -> None:
    report = national_consistency(benchmarks(), estimates(), *national_tables(2030))
    r = row(report, 2030, "total")
    assert r["n_provinces"] == 0 and pd.isna(r["provinces_sum_100m_yuan"]) and pd.isna(r["ratio"])


def test_drift_is_not_measured_where_the_benchmark_year_has_no_national_table(
    caplog: pytest.LogCaptureFixture,
) -> None:
    without_national = benchmarks()[lambda b: b["province_code"] != 0]
    with caplog.at_level(logging.WARNING):
        report = national_consistency(without_national, estimates(), *national_tables())
    assert set(report["year"]) == {2015}  # 2012 has no national figure
    r = row(report, 2015, "electronics")
    assert r["reference_year"] == 2012 and pd.isna(r["reference_ratio"]) and pd.isna(r["drift"])
    assert "no national table in the benchmark year(s) [2012]" in caplog.text


def test_the_estimates_are_reported_not_rescaled() -> None:
    given = estimates()
    national_consistency(benchmarks(), given, *national_tables())
    pd.testing.assert_frame_equal(given, estimates())


def test_without_control_tables_only_the_benchmark_years_compare() -> None:
    report = national_consistency(benchmarks(), estimates())
    assert set(report["year"]) == {2012} and set(report["year_kind"]) == {"benchmark"}
    assert row(report, 2012, "electronics")["ratio"] == pytest.approx(30 / 25)


# --- the national coefficient c_nat of the national method -------------------------------------------------
#
# 2012: the national table among the IO tables (electronics 25 of industry 50 亿元); 2015: an ionet-like table,
# every sector with its flags (亿元: electronics 30, coal 70 -> industry 100; information 20, culture 10 -> other
# services 30; trade 40 -> tertiary 70; construction 50). Three provinces carry electronics: P1 led by
# 工业增加值 (share basis), P2 and P3 by C39 revenue (indicator basis), X below.
P3 = 130000
X = {(P1, 2012): 100.0, (P1, 2015): 150.0, (P2, 2012): 40.0, (P2, 2015): 60.0, (P3, 2012): 60.0, (P3, 2015): 40.0}
LEADS = {P1: ("工业增加值", "industry", "share"), P2: ("C39主营业务收入", "", "indicator")}
LEADS[P3] = LEADS[P2]


def flagged_table(year: int = 2015) -> pd.DataFrame:
    """An ionet-like national table (:func:`digecon.inputs.national_tables.read_national_io_va` layout), 万元."""
    sectors = {  # key: (VA 亿元, industry, construction, tertiary, other_services)
        "coal_mining": (70, 1, 0, 0, 0),
        "electronics": (30, 1, 0, 0, 0),
        "construction": (50, 0, 1, 0, 0),
        "wholesale_retail": (40, 0, 0, 1, 0),
        "information": (20, 0, 0, 1, 1),
        "culture": (10, 0, 0, 1, 1),
    }
    return pd.DataFrame(
        [
            {
                "year": year,
                "sector_key": key,
                "value_added_10k_yuan": va * 1e4,
                "industry": i,
                "construction": c,
                "tertiary": t,
                "other_services": o,
                "source_file": f"china_{year}_42.rda",
            }
            for key, (va, i, c, t, o) in sectors.items()
        ]
    )


def io_aggregates_2012() -> pd.DataFrame:
    """The IO aggregates of 2012 (:func:`digecon.estimation.estimate.io_aggregates` layout): the nation's and P1's."""
    return pd.DataFrame(
        {
            "province_code": [0, 0, P1],
            "year": 2012,
            "io_aggregate": ["industry", "other_services", "industry"],
            "aggregate_va_100m_yuan": [50.0, 25.0, 999.0],
        }
    )


def electronics_indicators(years=(2012, 2013, 2014, 2015)) -> pd.DataFrame:
    """X of the three provinces (linear between 2012 and 2015), each with its leading indicator."""
    rows = []
    for code, (lead, aggregate, basis) in LEADS.items():
        for year in years:
            x = np.interp(year, [2012, 2015], [X[(code, 2012)], X[(code, 2015)]])
            rows.append((code, year, x, lead, aggregate, basis))
    columns = ["province_code", "year", "indicator_100m_yuan", "leading_indicator", "io_aggregate", "coefficient_basis"]
    return pd.DataFrame(rows, columns=columns).assign(component="electronics")


def toy_national_coefficients() -> pd.DataFrame:
    _, ratios = national_tables()
    figures, aggregates = national_basis(benchmarks(), io_aggregates_2012(), flagged_table(), ratios)
    return national_coefficients(figures, aggregates, electronics_indicators(), ["share", "benchmark"])


def test_national_aggregates_sum_the_flagged_sectors_and_keep_the_io_tables_nation() -> None:
    _, ratios = national_tables()
    _, aggregates = national_basis(benchmarks(), io_aggregates_2012(), flagged_table(), ratios)
    va = aggregates.set_index(["year", "io_aggregate"])["aggregate_va_100m_yuan"]
    assert va[(2012, "industry")] == 50.0 and (2012, "tertiary") not in va.index  # the 2012 table's own, not P1's
    assert (va[(2015, "industry")], va[(2015, "secondary")], va[(2015, "tertiary")]) == (100.0, 150.0, 70.0)
    assert (va[(2015, "other_services")], va[(2015, "all")]) == (30.0, 220.0)


def test_national_coefficients_follow_the_provinces_rule_by_hand() -> None:
    c = toy_national_coefficients().set_index(["leading_indicator", "convention", "year"])
    # share basis under the share convention: V_nat / A_nat of the same aggregate
    assert c.loc[("工业增加值", "share", 2012), "national_coefficient"] == pytest.approx(25 / 50)
    assert c.loc[("工业增加值", "share", 2015), "national_coefficient"] == pytest.approx(30 / 100)
    assert c.loc[("工业增加值", "share", 2015), "denominator"] == "national industry VA"
    assert c.loc[("工业增加值", "share", 2015), "national_source"] == "china_2015_42.rda"
    # under the benchmark convention: V_nat / the sum of X over the provinces led by the same indicator (P1)
    assert c.loc[("工业增加值", "benchmark", 2012), "national_coefficient"] == pytest.approx(25 / 100)
    assert c.loc[("工业增加值", "benchmark", 2015), "national_coefficient"] == pytest.approx(30 / 150)
    # a component-level indicator under both conventions: V_nat / (X of P2 + X of P3)
    for convention in ("share", "benchmark"):
        assert c.loc[("C39主营业务收入", convention, 2012), "national_coefficient"] == pytest.approx(25 / 100)
        assert c.loc[("C39主营业务收入", convention, 2015), "national_coefficient"] == pytest.approx(30 / 100)
    assert c.loc[("C39主营业务收入", "share", 2015), "denominator"] == "sum of C39主营业务收入 over 2 provinces"


def test_a_year_some_provinces_lack_has_no_national_coefficient() -> None:
    _, ratios = national_tables()
    figures, aggregates = national_basis(benchmarks(), io_aggregates_2012(), flagged_table(), ratios)
    indicators = electronics_indicators()
    indicators = indicators[~((indicators["province_code"] == P3) & (indicators["year"] == 2015))]
    c = national_coefficients(figures, aggregates, indicators, ["benchmark"])
    assert c.loc[c["leading_indicator"] == "C39主营业务收入", "year"].tolist() == [2012]


def test_national_matrix_interpolates_between_tables_and_holds_beyond() -> None:
    years = list(range(2010, 2019))
    matrix = national_matrix(toy_national_coefficients(), electronics_indicators(), years, "share")
    p1 = matrix.loc[(P1, "electronics")]
    assert p1[2010] == p1[2012] == pytest.approx(0.5)
    assert p1[2013] == pytest.approx(0.5 - 0.2 / 3) and p1[2018] == pytest.approx(0.3)
    assert matrix.loc[(P3, "electronics"), 2014] == pytest.approx(0.25 + 2 / 3 * 0.05)  # the C39 group's
    assert national_matrix(None, electronics_indicators(), years, "share") is None


def test_national_years_name_the_tables_behind_each_row() -> None:
    values = pd.DataFrame(
        {
            "province_code": P1,
            "year": [2010, 2012, 2014, 2016, 2014],
            "component": "electronics",
            "method": ["national"] * 4 + ["linear"],
            "convention": "share",
            "flag": "extrapolated",
        }
    )
    out = with_national_years(values, toy_national_coefficients(), electronics_indicators())
    assert out["national_years"].tolist() == ["2012", "2012", "2012-2015", "2015", ""]
    # between a province's tables the path is linear: no table named
    inside = with_national_years(
        values.assign(flag="interpolated"), toy_national_coefficients(), electronics_indicators()
    )
    assert set(inside["national_years"]) == {""}
