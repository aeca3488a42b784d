"""Wide tables on two provinces and two years whose every cell can be checked by hand.

Beijing (110000): components 10 / 20 / 5 / 5 in 2020 (total 40, GDP 400) and 12 / 24 / 6 / 8 in 2021
(total 50, GDP 500). Tianjin (120000): 5 / 5 / 5 / 5 (total 20, GDP 100) and 6 / 6 / 6 / 12 (total 30,
GDP 200). Production is electronics + IT services, circulation telecom + media.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from digecon.outputs.export import (
    WIDE_TABLES,
    round_published,
    wide_note,
    wide_tables,
    write_wide_tables,
)

COMPONENTS = {  # component: category
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


def values(method: str = "linear", scale: float = 1.0) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "province_code": code,
                "year": year,
                "component": component,
                "category": COMPONENTS[component],
                "method": method,
                "convention": "share",
                "value_100m_yuan": value * scale,
            }
            for (code, year), parts in VALUES.items()
            for component, value in zip(COMPONENTS, parts, strict=True)
        ]
    )


def totals(method: str = "linear", scale: float = 1.0) -> pd.DataFrame:
    rows = []
    for (code, year), parts in VALUES.items():
        total = sum(parts) * scale
        rows.append(
            {
                "province_code": code,
                "year": year,
                "method": method,
                "convention": "share",
                "value_100m_yuan": total,
                "lower_100m_yuan": 0.9 * total,
                "upper_100m_yuan": 1.1 * total,
                "flag": "benchmark" if year == 2020 else "extrapolated",
                "gdp_100m_yuan": GDP[code, year],
                "share_of_gdp_percent": total / GDP[code, year] * 100,
            }
        )
    return pd.DataFrame(rows)


@pytest.fixture
def tables() -> dict[str, pd.DataFrame]:
    # a second method with other numbers must not leak into the tables of the first
    v = pd.concat([values(), values("hold", scale=7)])
    t = pd.concat([totals(), totals("hold", scale=7)])
    return {
        name: table.set_index("province_code")
        for name, table in wide_tables(v, t, method="linear", convention="share").items()
    }


def test_every_table_has_provinces_then_the_nation(tables: dict[str, pd.DataFrame]) -> None:
    assert list(tables) == list(WIDE_TABLES)
    for name, table in tables.items():
        assert table.index.tolist() == [110000, 120000, 0], name
        assert table.loc[0, "province"] == "全国"
        assert table.loc[110000, "province_en"] == "Beijing"


def test_national_row_is_the_sum_of_the_provinces(tables: dict[str, pd.DataFrame]) -> None:
    total = tables["total"]
    assert total.loc[[110000, 120000, 0], ["2020", "2021"]].to_numpy().tolist() == [[40, 50], [20, 30], [60, 80]]
    assert tables["production"].loc[0, ["2020", "2021"]].tolist() == [40, 48]  # 30 + 10, 36 + 12
    assert tables["circulation"].loc[0, ["2020", "2021"]].tolist() == [20, 32]  # 10 + 10, 14 + 18
    assert tables["total_lower"].loc[0, "2021"] == pytest.approx(0.9 * 80)
    assert tables["total_upper"].loc[0, "2020"] == pytest.approx(1.1 * 60)


def test_share_of_gdp_nation_is_a_ratio_of_sums(tables: dict[str, pd.DataFrame]) -> None:
    share = tables["share_of_gdp"]
    assert share.loc[110000, ["2020", "2021"]].tolist() == pytest.approx([10.0, 10.0])  # 40 / 400, 50 / 500
    assert share.loc[120000, ["2020", "2021"]].tolist() == pytest.approx([20.0, 15.0])  # 20 / 100, 30 / 200
    # 60 / 500 and 80 / 700, not the mean of the provinces' shares (15 and 12.5); published to 4 decimals
    assert share.loc[0, ["2020", "2021"]].tolist() == [12.0, 11.4286]


def test_growth_on_the_previous_year(tables: dict[str, pd.DataFrame]) -> None:
    growth = tables["growth"]
    assert "2020" not in growth.columns  # no previous year to grow from
    assert growth["2021"].tolist() == [25.0, 50.0, 33.3333]  # 40 -> 50, 20 -> 30, 60 -> 80 (4 decimals)


def test_unknown_estimate_is_refused() -> None:
    with pytest.raises(ValueError, match="no estimates for method 'spline' and convention 'share'"):
        wide_tables(values(), totals(), method="spline", convention="share")


def test_note_names_the_benchmark_years_of_the_data() -> None:
    t = pd.concat([totals(), totals().assign(year=2017, flag="benchmark")])
    assert wide_note(t, method="linear", convention="share") == (
        "method linear, convention share; NBS regional IO tables 2017, 2020; NBS revised GDP"
    )


def test_written_files_round_trip(tmp_path: Path) -> None:
    tables = wide_tables(values(), totals(), method="linear", convention="share")
    written = write_wide_tables(tables, tmp_path / "wide", tmp_path / "wide.xlsx", note="method linear")
    assert len(written) == 2 * len(WIDE_TABLES) + 1 and written[-1] == tmp_path / "wide.xlsx"
    assert pd.read_csv(tmp_path / "wide" / "total.csv").set_index("province_code").loc[0, "2021"] == 80
    stata = pd.read_stata(tmp_path / "wide" / "share_of_gdp.dta").set_index("province_code")
    assert stata.loc[120000, "y2020"] == pytest.approx(20.0)
    assert stata.loc[0, "province"] == "全国"  # Chinese names survive Stata's format 118
    sheets = pd.read_excel(tmp_path / "wide.xlsx", sheet_name=None, engine="openpyxl")
    assert list(sheets) == ["README", *WIDE_TABLES]
    assert sheets["README"].iloc[0].tolist() == ["(all)", "method linear"]
    assert sheets["growth"].set_index("province_code").loc[110000, "2021"] == pytest.approx(25.0)


def test_rounding_is_to_4_decimals_without_float_noise() -> None:
    frame = pd.DataFrame({"code": [1, 2, 3], "value": [0.1 + 0.2, 32.239999999999995, -0.00001], "name": list("abc")})
    rounded = round_published(frame)
    assert rounded["value"].tolist() == [0.3, 32.24, 0.0]
    assert rounded["code"].tolist() == [1, 2, 3] and rounded["name"].tolist() == list("abc")
    assert "-0.0" not in rounded.to_csv(index=False)  # negative zero is made positive
    assert frame["value"].iloc[0] == 0.1 + 0.2  # the input is left as it was


def test_rounding_keeps_the_bounds_around_the_value() -> None:
    # a lower bound a hair above its value (float noise of a zero-width band) is moved out to it
    frame = pd.DataFrame(
        {"lower": [1.00005, 2.0, np.nan], "value": [1.00004999, 2.00004, 3.0], "upper": [1.1, 2.00004, 3.1]}
    )
    rounded = round_published(frame, bounds=[("lower", "value", "upper")])
    assert (rounded["lower"].fillna(-np.inf) <= rounded["value"]).all() and (rounded["value"] <= rounded["upper"]).all()
    assert rounded["lower"].iloc[0] == rounded["value"].iloc[0] == 1.0


def test_wide_tables_are_rounded_and_keep_lower_total_upper() -> None:
    noisy = totals().assign(
        value_100m_yuan=lambda t: t["value_100m_yuan"] + 1e-9,
        lower_100m_yuan=lambda t: t["value_100m_yuan"] / 3,
        upper_100m_yuan=lambda t: t["value_100m_yuan"] * 2 / 3 + t["value_100m_yuan"],
    )
    tables = wide_tables(
        values().assign(value_100m_yuan=lambda v: v["value_100m_yuan"] / 3), noisy, method="linear", convention="share"
    )
    years = ["2020", "2021"]
    for name, table in tables.items():
        cells = table[[c for c in years if c in table]].to_numpy().ravel()
        assert (cells == np.round(cells, 4)).all(), name
    lower, total, upper = (tables[n][years].to_numpy() for n in ("total_lower", "total", "total_upper"))
    assert (lower <= total).all() and (total <= upper).all()
    assert tables["total"].set_index("province_code").loc[110000, "2020"] == 13.3333  # 40 / 3


def test_csv_encoding_is_a_choice(tmp_path: Path) -> None:
    tables = wide_tables(values(), totals(), method="linear", convention="share")
    write_wide_tables(tables, tmp_path / "wide", tmp_path / "wide.xlsx", note="n", encoding="utf-8-sig")
    assert (tmp_path / "wide" / "total.csv").read_bytes().startswith(b"\xef\xbb\xbfprovince_code,")
    write_wide_tables(tables, tmp_path / "plain", tmp_path / "plain.xlsx", note="n")
    assert (tmp_path / "plain" / "total.csv").read_bytes().startswith(b"province_code,")
    with pytest.raises(ValueError, match="CSV encoding 'gbk'"):
        write_wide_tables(tables, tmp_path / "gbk", tmp_path / "gbk.xlsx", note="n", encoding="gbk")
