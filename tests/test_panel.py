"""The panel on two provinces and two years whose every cell can be checked by hand, and its files.

Beijing (110000): components 10 / 20 / 5 / 5 in 2020 (total 40, GDP 400) and 12 / 24 / 6 / 8 in 2021
(total 50, GDP 500). Tianjin (120000): 5 / 5 / 5 / 5 (total 20, GDP 100) and 6 / 6 / 6 / 12 (total 30,
GDP 200). Prices of 2020: Beijing's 第二产业 grows from 1000 to 1100 亿元 with a volume index of 105
(deflator 1100 / 1050), its 第三产业 from 2000 to 2300 with 110 (deflator 2300 / 2200), its GDP index is
108. Tianjin has no index unless a test gives it one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pyarrow.parquet as pq
import pytest

from digecon.estimation.prices import (
    DEFLATED,
    NO_INDEX,
    deflate_components,
    implicit_deflators,
    no_deflators,
    price_indices,
)
from digecon.outputs.panel import NAMES, PANEL_COLUMNS, README_SHEET, PanelAbout, panel_table, write_panel

COMPONENTS = {
    "electronics": "production",
    "it_services": "production",
    "telecom": "circulation",
    "media": "circulation",
}
VALUES = {  # (province, year): the four components in COMPONENTS order, 亿元
    (110000, 2020): (10, 20, 5, 5),
    (110000, 2021): (12, 24, 6, 8),
    (120000, 2020): (5, 5, 5, 5),
    (120000, 2021): (6, 6, 6, 12),
}
GDP = {(110000, 2020): 400.0, (110000, 2021): 500.0, (120000, 2020): 100.0, (120000, 2021): 200.0}
BENCHMARK_YEAR = 2020
FORMATS = ("csv", "dta", "dta_zh", "xlsx", "parquet")


def growing_parts(codes: Iterable[int], years: Sequence[int]) -> dict[tuple[int, int], tuple[float, ...]]:
    """Components that grow at different rates (so that real growth is not any one index)."""
    rates, levels = (0.12, 0.20, 0.05, 0.08), (30.0, 50.0, 20.0, 10.0)
    return {
        (code, year): tuple(
            (1 + i / 10) * level * (1 + rate) ** (year - years[0]) for level, rate in zip(levels, rates, strict=True)
        )
        for i, code in enumerate(codes)
        for year in years
    }


def carrier(code: int, year: int, component: str) -> str:
    """The table in the benchmark year; after it Beijing's IT services by their own series, the rest by an aggregate."""
    if year == BENCHMARK_YEAR:
        return "benchmark table"
    return "industry series" if (code, component) == (110000, "it_services") else "aggregate"


def estimates(
    parts: Mapping[tuple[int, int], Sequence[float]] = VALUES,
    gdp: Mapping[tuple[int, int], float] | None = None,
    years: Sequence[int] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Long values and totals of two estimates: linear / share and hold / share with 7 times the values."""
    if years is not None:  # a plain dict of codes: grow made-up components over these years
        parts = growing_parts(parts, years)
    values, totals = [], []
    for method, scale in (("linear", 1.0), ("hold", 7.0)):
        for (code, year), numbers in parts.items():
            scaled = [n * scale for n in numbers]
            for component, value in zip(COMPONENTS, scaled, strict=True):
                values.append(
                    {
                        "province_code": code,
                        "year": year,
                        "component": component,
                        "category": COMPONENTS[component],
                        "method": method,
                        "convention": "share",
                        "value_100m_yuan": value,
                        "carried_by": carrier(code, year, component),
                    }
                )
            total = sum(scaled)
            benchmark = year == BENCHMARK_YEAR
            product = (gdp or GDP).get((code, year), 10 * total)
            totals.append(
                {
                    "province_code": code,
                    "year": year,
                    "method": method,
                    "convention": "share",
                    "value_100m_yuan": total,
                    "production_100m_yuan": scaled[0] + scaled[1],
                    "circulation_100m_yuan": scaled[2] + scaled[3],
                    "distance_years": abs(year - BENCHMARK_YEAR),
                    "flag": "benchmark" if benchmark else "extrapolated",
                    "lower_100m_yuan": total if benchmark else 0.9 * total,
                    "upper_100m_yuan": total if benchmark else 1.1 * total,
                    "gdp_100m_yuan": product,
                    "share_of_gdp_percent": total / product * 100,
                }
            )
    return pd.DataFrame(values), pd.DataFrame(totals)


def yearbook(codes: Iterable[int] = (110000,)) -> pd.DataFrame:
    """Nominal series and volume indices of 2020-2021 (Beijing's numbers) for ``codes``."""
    series = {
        ("第二产业增加值", "亿元"): (1000.0, 1100.0),
        ("第二产业增加值指数", "上年=100"): (None, 105.0),
        ("第三产业增加值", "亿元"): (2000.0, 2300.0),
        ("第三产业增加值指数", "上年=100"): (None, 110.0),
        ("地区生产总值", "亿元"): (400.0, 500.0),
        ("地区生产总值指数", "上年=100"): (None, 108.0),
    }
    return pd.DataFrame(
        [
            {"province_code": code, "year": year, "indicator": name, "unit": unit, "value": value, "source": "hand"}
            for code in codes
            for (name, unit), by_year in series.items()
            for year, value in zip((2020, 2021), by_year, strict=True)
            if value is not None
        ]
    )


def panel_with(
    values: pd.DataFrame, totals: pd.DataFrame, deflators: pd.DataFrame, method: str = "linear", base_year: int = 2020
) -> pd.DataFrame:
    """The panel of estimates and deflators, the real values made as the estimate makes them."""
    real_values = deflate_components(values, deflators)
    return panel_table(values, totals, real_values, deflators, method=method, convention="share", base_year=base_year)


def panel_of(codes_with_indices: Iterable[int] = (110000,)) -> pd.DataFrame:
    values, totals = estimates()
    frame = yearbook(codes_with_indices)
    return panel_with(values, totals, implicit_deflators(frame, price_indices(frame), base_year=2020))


@pytest.fixture
def panel() -> pd.DataFrame:
    return panel_of()


def row(panel: pd.DataFrame, code: int, year: int, method: str = "linear") -> pd.Series:
    return panel.query("province_code == @code and year == @year and method == @method").squeeze()


def test_columns_rows_and_order(panel: pd.DataFrame) -> None:
    assert list(panel.columns) == NAMES
    assert len(panel) == 2 * 3 * 2  # two estimates x (two provinces + 全国) x two years
    # the recommended estimate first, provinces by code, then 全国, years ascending
    assert panel["recommended"].tolist() == [True] * 6 + [False] * 6
    assert panel["province_code"].tolist()[:6] == [110000, 110000, 120000, 120000, 0, 0]
    assert panel.loc[4, ["province", "province_en"]].tolist() == ["全国", "China (sum of provinces)"]
    assert set(panel.loc[~panel["recommended"], "method"]) == {"hold"}


def test_components_totals_and_the_national_sum(panel: pd.DataFrame) -> None:
    beijing = row(panel, 110000, 2021)
    assert beijing[[f"{c}_100m_yuan" for c in COMPONENTS]].tolist() == [12, 24, 6, 8]
    assert beijing[["production_100m_yuan", "circulation_100m_yuan", "total_100m_yuan"]].tolist() == [36, 14, 50]
    assert beijing[["total_lower_100m_yuan", "total_upper_100m_yuan"]].tolist() == [45, 55]
    national = row(panel, 0, 2021)
    assert national[["total_100m_yuan", "production_100m_yuan", "gdp_100m_yuan"]].tolist() == [80, 48, 700]
    assert national["share_of_gdp_percent"] == round(80 / 700 * 100, 4)  # a ratio of sums
    assert national["flag"] == "extrapolated" and row(panel, 0, 2020)["flag"] == "benchmark"
    assert national["distance_years"] == 1
    assert row(panel, 0, 2021, "hold")["total_100m_yuan"] == 7 * 80  # the other estimate does not leak


def test_what_carries_each_component_and_the_national_row(panel: pd.DataFrame) -> None:
    carried = [f"{c}_carried_by" for c in COMPONENTS]
    assert row(panel, 110000, 2020)[carried].tolist() == ["benchmark table"] * 4
    assert row(panel, 110000, 2021)[carried].tolist() == ["aggregate", "industry series", "aggregate", "aggregate"]
    assert row(panel, 120000, 2021)[carried].tolist() == ["aggregate"] * 4
    # 全国: what carries the component in every province, mixed where they differ
    assert row(panel, 0, 2020)[carried].tolist() == ["benchmark table"] * 4
    assert row(panel, 0, 2021)[carried].tolist() == ["aggregate", "mixed", "aggregate", "aggregate"]


def test_nominal_growth(panel: pd.DataFrame) -> None:
    assert np.isnan(row(panel, 110000, 2020)["growth_percent"])
    assert row(panel, 110000, 2021)["growth_percent"] == 25.0
    assert row(panel, 0, 2021)["growth_percent"] == round((80 / 60 - 1) * 100, 4)


def test_real_values_by_hand(panel: pd.DataFrame) -> None:
    base, later = row(panel, 110000, 2020), row(panel, 110000, 2021)
    assert base["real_total_100m_yuan"] == base["total_100m_yuan"] == 40  # base-year prices
    real_electronics, real_services = 12 * 1050 / 1100, (24 + 6 + 8) * 2200 / 2300
    assert later["real_total_100m_yuan"] == round(real_electronics + real_services, 4)
    assert later["real_production_100m_yuan"] == round(real_electronics + 24 * 2200 / 2300, 4)
    assert later["real_growth_percent"] == round(((real_electronics + real_services) / 40 - 1) * 100, 4)
    assert later[["deflator_electronics", "deflator_services"]].tolist() == [
        round(1100 / 1050 * 100, 4),
        round(2300 / 2200 * 100, 4),
    ]
    assert later["electronics_deflator"] == "secondary" and later["real_flag"] == DEFLATED
    assert later["gdp_real_growth_percent"] == 8.0 and later["price_base_year"] == 2020


def test_without_an_index_real_values_are_empty_and_flagged(panel: pd.DataFrame) -> None:
    tianjin, national = row(panel, 120000, 2021), row(panel, 0, 2021)
    for r in (tianjin, national):  # 全国 needs every province: a partial sum at constant prices is no total
        assert r["real_flag"] == NO_INDEX
        assert r[["real_total_100m_yuan", "real_growth_percent", "deflator_electronics"]].isna().all()
    assert tianjin["electronics_deflator"] == ""
    assert row(panel, 120000, 2021)["total_100m_yuan"] == 30  # the nominal values are all there


def test_national_real_values_are_sums_and_deflators_implicit() -> None:
    panel = panel_of((110000, 120000))
    national = row(panel, 0, 2021)
    beijing, tianjin = row(panel, 110000, 2021), row(panel, 120000, 2021)
    assert national["real_total_100m_yuan"] == pytest.approx(
        beijing["real_total_100m_yuan"] + tianjin["real_total_100m_yuan"], abs=2e-4
    )
    real_electronics = (12 + 6) * 1050 / 1100
    assert national["deflator_electronics"] == round(18 / real_electronics * 100, 4)
    assert national["real_flag"] == DEFLATED and national["electronics_deflator"] == "secondary"


def test_every_value_is_rounded_once_with_the_band_kept(panel: pd.DataFrame) -> None:
    noisy_values, noisy_totals = estimates({k: tuple(v / 3 for v in parts) for k, parts in VALUES.items()})
    noisy = panel_with(noisy_values, noisy_totals, no_deflators())
    for frame in (panel, noisy):
        floats = frame.select_dtypes("float")
        assert (floats.fillna(0) == floats.fillna(0).round(4)).all().all()
        assert_band(frame)
    assert row(noisy, 110000, 2020)["total_100m_yuan"] == 13.3333


def test_unknown_estimate_is_refused() -> None:
    values, totals = estimates()
    with pytest.raises(ValueError, match="no estimates for method 'spline' and convention 'share'"):
        panel_with(values, totals, no_deflators(), method="spline")


def test_names_and_labels_fit_stata() -> None:
    assert len(set(NAMES)) == len(NAMES)
    for column in PANEL_COLUMNS:
        assert len(column.name) <= 32 and re.fullmatch(r"[a-z][a-z0-9_]*", column.name), column.name
        assert 0 < len(column.label) <= 80 and column.label.isascii(), column.name
        assert 0 < len(column.label_zh) <= 80, column.name
        assert column.kind in {"yuan", "percent", "index", "int", "bool", "text"}


# --- the files -------------------------------------------------------------------------------


def assert_band(frame: pd.DataFrame) -> None:
    """Check lower <= total <= upper wherever the three are given."""
    lower, total, upper = (frame[f"total{s}_100m_yuan"] for s in ("_lower", "", "_upper"))
    known = total.notna()
    assert (lower[known] <= total[known]).all() and (total[known] <= upper[known]).all()


def read_back(folder: Path, *, recommended: tuple[str, str] = ("linear", "share")) -> dict[str, pd.DataFrame]:
    """Read every panel file of ``folder`` as economists would and check what each format promises."""
    text = (folder / "panel.csv").read_text(encoding="utf-8-sig")
    assert not re.search(r"\d\.\d{5,}", text), "float noise or more than 4 decimals in the CSV"
    frames = {"csv": pd.read_csv(folder / "panel.csv", encoding="utf-8-sig", keep_default_na=False, na_values=[""])}
    frames["dta"] = pd.read_stata(folder / "panel.dta")
    with pd.io.stata.StataReader(folder / "panel.dta") as reader:
        assert reader.variable_labels() == {c.name: c.label for c in PANEL_COLUMNS}
        assert reader.data_label.startswith("digecon ")
    with pd.io.stata.StataReader(folder / "panel_zh.dta") as reader:
        assert reader.variable_labels()["total_100m_yuan"] == "数字经济增加值"
    sheets = pd.read_excel(folder / "panel.xlsx", sheet_name=None, engine="openpyxl")
    assert list(sheets) == [README_SHEET, "panel"]
    frames["xlsx"] = sheets["panel"]
    frames["parquet"] = pd.read_parquet(folder / "panel.parquet")
    for kind, frame in frames.items():
        assert list(frame.columns) == NAMES, kind
        assert "全国" in set(frame["province"]) and "北京" in set(frame["province"]), kind
        assert pd.api.types.is_integer_dtype(frame["province_code"]), kind
        assert pd.api.types.is_integer_dtype(frame["year"]), kind
        # Excel keeps no float type: a column of whole numbers comes back as integers
        assert pd.api.types.is_numeric_dtype(frame["total_100m_yuan"]), kind
        assert kind == "xlsx" or pd.api.types.is_float_dtype(frame["total_100m_yuan"]), kind
        assert pd.api.types.is_string_dtype(frame["province"]) or frame["province"].dtype == object, kind
        chosen = frame[frame["recommended"].astype(bool)]
        assert set(zip(chosen["method"], chosen["convention"], strict=True)) == {recommended}, kind
        assert_band(frame)
    for kind in ("csv", "xlsx", "parquet"):
        assert frames[kind]["recommended"].dtype == bool, kind
    assert frames["dta"]["recommended"].isin([0, 1]).all()
    return frames


def check_workbook_and_parquet(folder: Path) -> None:
    """Excel: number formats, frozen panes, autofilter, README; Parquet: labels as field metadata."""
    book = openpyxl.load_workbook(folder / "panel.xlsx")
    sheet = book["panel"]
    header = [cell.value for cell in sheet[1]]
    assert header == NAMES
    assert sheet.freeze_panes == "D2" and sheet.auto_filter.ref == sheet.dimensions
    assert sheet.cell(2, header.index("total_100m_yuan") + 1).number_format == "#,##0.0"
    assert sheet.cell(2, header.index("share_of_gdp_percent") + 1).number_format == "0.00"
    assert sheet.column_dimensions["B"].width >= 8
    readme = {r[0]: r[1] for r in book[README_SHEET].iter_rows(values_only=True) if r and r[0]}
    assert {"单位 Units", "来源 Sources", "版本 digecon version", "运行日期 Run date"} <= set(readme)
    assert any(key.startswith("设置 ") for key in readme)
    schema = pq.read_schema(folder / "panel.parquet")
    assert schema.field("total_100m_yuan").metadata[b"unit"].decode() == "亿元"
    assert schema.field("total_100m_yuan").metadata[b"label_zh"].decode() == "数字经济增加值"
    assert b"digecon" in schema.metadata


def panel_paths(folder: Path) -> dict[str, Path]:
    """The five panel files in ``folder``, named as the workflow names them."""
    return {kind: folder / f"panel{'_zh' if kind == 'dta_zh' else ''}.{kind.removesuffix('_zh')}" for kind in FORMATS}


def test_every_format_reads_back_the_same_panel(panel: pd.DataFrame, tmp_path: Path) -> None:
    about = PanelAbout("linear", "share", 2020, "hand-made", "9.9", "2026-01-02", {"prices": {"base_year": 2020}})
    written = write_panel(panel, panel_paths(tmp_path), about)
    assert written == list(panel_paths(tmp_path).values())
    frames = read_back(tmp_path)
    check_workbook_and_parquet(tmp_path)
    for kind, frame in frames.items():
        back = frame.set_index(["province_code", "year", "method"])
        assert (
            back.loc[(110000, 2021, "linear"), "real_growth_percent"] == row(panel, 110000, 2021)["real_growth_percent"]
        )
        assert back.loc[(0, 2021, "linear"), "total_100m_yuan"] == 80, kind
        assert back.loc[(0, 2021, "linear"), "province"] == "全国", kind
    with pd.io.stata.StataReader(tmp_path / "panel.dta") as reader:
        assert reader.time_stamp == "02 Jan 2026 00:00"


def test_csv_encoding(panel: pd.DataFrame, tmp_path: Path) -> None:
    about = PanelAbout("linear", "share", 2020)
    write_panel(panel, {"csv": tmp_path / "bom.csv"}, about, encoding="utf-8-sig")
    write_panel(panel, {"csv": tmp_path / "plain.csv"}, about)
    assert (tmp_path / "bom.csv").read_bytes().startswith(b"\xef\xbb\xbfprovince_code,")
    assert (tmp_path / "plain.csv").read_bytes().startswith(b"province_code,")
    with pytest.raises(ValueError, match="unknown panel formats"):
        write_panel(panel, {"sav": tmp_path / "panel.sav"}, about)
