"""The city stage: reader, register, distribution, carry-forward, merged city, level-up.

Hand-built tables, and real-data checks against the yearbook's own printed subtotals when the mirror is present.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from digecon.core.errors import InputError
from digecon.estimation.cities import choose_keys, distribute, key_shares, level_up
from digecon.inputs.cities import read_city_table, unpack_city_yearbook, unpacked_tables, wanted_table
from digecon.inputs.city_register import match_names, prefecture_units, read_code_list
from digecon.outputs.cities import city_table

CCSY = "city_statistical_yearbook/yearbook_data/中国城市统计年鉴1985-2024年（EXCEL版本）/Excel版本"


def _table(path: Path, rows: list[list[object]], sheet: str = "1-7") -> Path:
    book = openpyxl.Workbook()
    book.active.title = sheet
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


HEADER = [
    ["2-7按行业分组的单位从业人员(三)", None, None, None, None],
    ["单位：万人", None, None, None, None],
    ["城市", "City", "(2)信息传输、计算机\n服务和软件业", None, "(3)批发和零售业"],
    [None, None, "全市 Total City", "市辖区 Districts", "全市 Total City"],
]


def test_reader_takes_the_whole_city_column_in_persons_with_its_cell(tmp_path: Path) -> None:
    rows = [
        *HEADER,
        ["城市合计", "Prefecture Cities", "3.50", "3.00", "9"],
        ["河北省", "Hebei", "1.50", "1.00", "5"],
        ["  石家庄市", "Shijiazhuang", "1.00", "0.80", "3"],
        ["  ‘唐山市", "Tangshan", "0．50", "0.20", "2"],
        ["城市", "City", None, None, None],  # a printed page's repeated header
        ["北京市", "Beijing", "1838819(", "1.00", "4"],
    ]
    path = _table(tmp_path / "t.xlsx", rows)
    table = read_city_table(path, edition=2012, archive="a.rar", table_file="2-7.xlsx")
    assert set(table["key"]) == {"emp_I"}
    city = table[table["row_kind"] == "city"].set_index("name")
    assert city.loc["石家庄市", "value"] == 10_000.0  # 1.00 万人
    assert city.loc["唐山市", "value"] == 5_000.0  # full-width point read, OCR speck dropped
    assert city.loc["唐山市", "name_en"] == "Tangshan"
    assert city.loc["北京市", "garbled"] and np.isnan(city.loc["北京市", "value"])  # never guessed
    assert (city.loc["石家庄市", "row"], city.loc["石家庄市", "column"]) == (6, 2)
    assert table.loc[table["row_kind"] == "province", "value"].tolist() == [15_000.0]
    assert (table["year"] == 2011).all()


def test_reader_refuses_a_key_without_a_unit(tmp_path: Path) -> None:
    rows = [[r[0] if not str(r[0]).startswith("单位") else None, *r[1:]] for r in HEADER]
    path = _table(tmp_path / "t.xlsx", [*rows, ["石家庄市", "Shijiazhuang", "1", "1", "1"]])
    with pytest.raises(InputError, match="unit of emp_I") as info:
        read_city_table(path, edition=2012, archive="a.rar", table_file="2-7.xlsx")
    assert "sheet '1-7'" in str(info.value)


def test_reader_of_a_whole_city_table_without_sub_header_and_in_10k_subscribers(tmp_path: Path) -> None:
    rows = [
        ["2-26 电话及互联网用户数(全市)", None, None],
        ["单位：万户", None, None],
        ["城市", "City", "移动电话年末用户数"],
        ["北京市", "Beijing", "3168.00"],
    ]
    table = read_city_table(_table(tmp_path / "t.xlsx", rows), edition=2014, archive="a", table_file="2-26.xlsx")
    assert table[["key", "value", "unit"]].values.tolist() == [["mobile", 3168.0, "10k subscribers"]]


def test_only_prefecture_level_tables_of_the_keys_are_unpacked() -> None:
    assert wanted_table("x/二、地级以上城市统计资料/2-7_按行业分组的单位从业人员(三).xlsx")
    assert wanted_table("x/二、2010年地级及以上城市统计资料/2-36_通_信.xlsx")
    assert not wanted_table("x/三、县级城市统计资料/3-7_按行业分组的单位从业人员.xlsx")
    assert not wanted_table("x/二、地级以上城市统计资料/2-20_规模以上工业总产值(市辖区).xlsx")


def _keys(values: dict[tuple[str, int], float], group: int = 1) -> pd.DataFrame:
    return pd.DataFrame([{"group": group, "unit": u, "year": y, "value": v} for (u, y), v in values.items()])


def test_shares_of_a_key_year_are_the_key_and_sum_to_one() -> None:
    keys = _keys({("A", 2015): 3.0, ("B", 2015): 1.0})
    units = keys[["group", "unit", "year"]]
    shares = key_shares(keys, units, _keys({("A", 2015): 10.0, ("B", 2015): 50.0}), factor=3.0)
    assert shares.set_index("unit")["share"].to_dict() == pytest.approx({"A": 0.75, "B": 0.25})
    assert (shares["status"] == "observed").all()


def test_years_without_a_key_carry_the_last_shares_moved_by_the_mover() -> None:
    keys = _keys({("A", 2019): 3.0, ("B", 2019): 1.0})
    units = pd.DataFrame({"group": 1, "unit": ["A", "B", "A", "B"], "year": [2019, 2019, 2020, 2020]})
    # A's mover doubles in 2020, B's stays: A's key relative to its mover is held, so its weight doubles
    mover = _keys({("A", 2019): 1.0, ("B", 2019): 1.0, ("A", 2020): 2.0, ("B", 2020): 1.0})
    shares = key_shares(keys, units, mover, factor=3.0).set_index(["unit", "year"])
    assert shares.loc[("A", 2020), "share"] == pytest.approx(6 / 7)
    assert shares.loc[("A", 2020), "status"] == "forward"
    assert shares.loc[("A", 2020), "key_year"] == 2019
    assert shares.loc[("A", 2020), "distance_years"] == 1


def test_one_garbled_or_ninefold_cell_does_not_move_a_city() -> None:
    years = range(2011, 2016)
    clean = {(u, y): v for y in years for u, v in (("A", 2.0), ("B", 1.0), ("C", 1.0))}
    noisy = {**clean, ("A", 2013): 18.0}  # ninefold in one year, then back
    units = _keys(clean)[["group", "unit", "year"]]
    shares = key_shares(_keys(noisy), units, None, factor=3.0).set_index(["unit", "year"])
    assert shares.loc[("A", 2013), "status"] == "outlier"
    assert shares.loc[("A", 2013), "share"] == pytest.approx(0.5)
    garbled = _keys(clean).assign(garbled=False)
    garbled.loc[(garbled["unit"] == "B") & (garbled["year"] == 2012), ["value", "garbled"]] = [np.nan, True]
    shares = key_shares(garbled, units, None, factor=3.0).set_index(["unit", "year"])
    assert shares.loc[("B", 2012), "status"] == "garbled"
    assert shares.loc[("B", 2012), "share"] == pytest.approx(0.25)


def _summary() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "component": "it_services",
            "candidate": ["emp_I", "emp_I", "va3"],
            "distance_years": [0, 1, 0],
            "n": 3,
            "median_ape": 0.1,
            "q80_band_error": [0.2, 0.3, 0.25],
            "chosen": [True, True, False],
        }
    )


def test_cities_and_the_rest_add_up_to_the_province_and_a_merged_city_is_carried_into_its_successor() -> None:
    # province 37: 济南, 莱芜 (merged into 济南 in 2019) and one 自治州-like unit outside the cities
    units = pd.DataFrame(
        {
            "year": [2018, 2018, 2018, 2019, 2019],
            "province_code": 370000,
            "city_code": [370100, 371200, 372900, 370100, 372900],
            "unit_type": ["city", "city", "other", "city", "other"],
        }
    )
    keys = pd.DataFrame(
        {
            "province_code": 370000,
            "city_code": [370100, 371200, 370100, 371200, 372900, 370100, 372900],
            "year": [2018, 2018, 2018, 2018, 2018, 2019, 2019],
            "key": ["emp_I", "emp_I", "va3", "va3", "va3", "va3", "va3"],
            "value": [30.0, 10.0, 60.0, 20.0, 20.0, 90.0, 10.0],
            "garbled": False,
        }
    )
    province = pd.DataFrame(
        {
            "province_code": 370000,
            "year": [2018, 2019],
            "component": "it_services",
            "value_100m_yuan": [100.0, 200.0],
            "band_relative": 0.1,
        }
    )
    out = distribute(province, keys, units, {"it_services": "emp_I"}, {"it_services": "va3"}, _summary(), factor=3.0)
    assert out.groupby("year")["value_100m_yuan"].sum().to_dict() == pytest.approx({2018: 100.0, 2019: 200.0})
    by = out.set_index(["year", "city_code"])
    assert by.loc[(2018, 370000), "value_100m_yuan"] == pytest.approx(20.0)  # rest: 20 of 100 of va3
    assert by.loc[(2018, 370100), "value_100m_yuan"] == pytest.approx(60.0)  # 80 x 30 / 40
    assert by.loc[(2018, 371200), "value_100m_yuan"] == pytest.approx(20.0)
    assert by.loc[(2019, 370100), "value_100m_yuan"] == pytest.approx(180.0)  # the only city: 90 % of 200
    assert by.loc[(2019, 370100), "status"] == "forward"
    assert by.loc[(2019, 370100), "band_relative"] == pytest.approx(0.3)  # measured at distance 1
    assert by.loc[(2018, 370100), "band_relative"] == pytest.approx(0.2)
    assert by.loc[(2018, 370100), "lower_100m_yuan"] == pytest.approx(48.0)


def test_level_up_measures_a_key_proportional_to_the_tables_as_exact_and_chooses_it() -> None:
    benchmarks = pd.DataFrame(
        {
            "province_code": [110000, 120000, 130000] * 2,
            "year": [2012] * 3 + [2017] * 3,
            "component": "it_services",
            "benchmark_value_100m_yuan": [10.0, 20.0, 30.0, 20.0, 20.0, 60.0],
        }
    )
    rows = []
    for year, values in ((2012, (1, 2, 3)), (2017, (2, 2, 6))):
        for code, emp, va3 in zip((110000, 120000, 130000), values, (5, 1, 1), strict=True):
            rows += [(code, year, "emp_I", float(emp)), (code, year, "va3", float(va3))]
    keys = pd.DataFrame(rows, columns=["province_code", "year", "key", "value"])
    errors = level_up(
        benchmarks,
        keys,
        {"it_services": ("va3", "emp_I")},
        {"it_services": "va3"},
        table_years=[2012, 2017],
        max_distance=5,
        factor=3.0,
    )
    exact = errors[(errors["candidate"] == "emp_I") & (errors["distance_years"] == 0)]
    assert exact["ape"].max() == pytest.approx(0.0)
    carried = errors[(errors["candidate"] == "emp_I") & (errors["table_year"] == 2017) & (errors["key_year"] == 2012)]
    assert carried.set_index("province_code")["estimate_100m_yuan"].to_dict() == pytest.approx(
        {110000: 100 / 6, 120000: 100 / 3, 130000: 50.0}
    )
    summary = choose_keys(errors, {"it_services": "auto"}, {"it_services": ("va3", "emp_I")})
    assert set(summary.loc[summary["chosen"], "candidate"]) == {"emp_I"}


# Real data (skipped without the mirror).


def test_cities_of_a_province_add_up_to_the_printed_subtotal_of_section_I(mirror: Path, tmp_path: Path) -> None:
    """2014 edition (data 2013), table 2-7, section I: the cities of 河北 sum to the printed 河北省 row."""
    archive = mirror / CCSY / "中国城市统计年鉴2014（excel）.rar"
    unpack_city_yearbook(archive, tmp_path / archive.name)
    tables = [t for t in unpacked_tables(tmp_path, [(archive, 2014)]) if "2-7_" in t[3]]
    table = read_city_table(tables[0][0], edition=2014, archive=archive.name, table_file=tables[0][3])
    emp = table[table["key"] == "emp_I"]
    register = prefecture_units({2013: read_code_list(mirror / "areacodes_gbt2260/data/2013.txt")})
    cities = match_names(emp[emp["row_kind"] == "city"], register)
    hebei = cities.loc[cities["province_code"] == 130000, "value"]
    printed = emp.loc[(emp["row_kind"] == "province") & (emp["name"] == "河北省"), "value"].item()
    assert len(hebei) == 11
    assert hebei.sum() == pytest.approx(printed)
    assert printed == pytest.approx(85_900.0)  # sheet 1-7, cell C10: 8.59 万人


def test_row_kinds_keep_cities_named_with_cheng_and_drop_repeated_headers() -> None:
    from digecon.inputs.cities import row_kind

    assert [row_kind(n) for n in ("宣城市", "盐城市", "城市", "、城市", "城市合计", "河北省", "2-7按行业")] == [
        "city",
        "city",
        None,
        None,
        "total",
        "province",
        None,
    ]


def test_real_city_estimates_add_up_to_their_provinces(mirror: Path, tmp_path: Path) -> None:
    """The whole city stage on the built-in data adds back up to the provinces.

    Every province's component, split over its cities and the rest, sums to the province's estimate;
    Shenzhen's key is its published 2023 GDP.
    """
    import digecon
    from digecon.core.settings import settings_from_config
    from digecon.estimation.cities import estimate_cities
    from digecon.inputs.cities import city_keys_table
    from digecon.inputs.registry import build_registry

    settings = settings_from_config({})
    registry = build_registry(settings, raw_root=mirror)
    inputs = digecon.load_inputs(mirror, settings)
    result = digecon.estimate(inputs, settings)
    archives = [(i.path, i.year) for i in registry.of("city_yearbook")]
    for path, _ in archives:
        unpack_city_yearbook(path, tmp_path / Path(path).name)
    code_lists = {i.year: i.path for i in registry.of("area_codes")}
    keys, register, _ = city_keys_table(unpacked_tables(tmp_path, archives), registry.paths("city_gdp")[0], code_lists)
    # 2000-2023地级市产业结构.xlsx, 深圳市 2023: GDP 34,606.40 亿元 (Shenzhen's published figure)
    shenzhen = keys[(keys["city_code"] == 440300) & (keys["year"] == 2023) & (keys["key"] == "gdp")]
    assert shenzhen["value"].item() == pytest.approx(34_606.40)

    cities = settings.cities
    values = result.values
    values = values[(values["method"] == "linear") & (values["convention"] == "share")]
    out = estimate_cities(
        values,
        result.benchmarks,
        inputs.yearbook,
        keys,
        register,
        candidates={c: tuple(v) for c, v in cities.candidates.items()},
        use=dict(cities.use),
        movers=dict(cities.movers),
        years=range(cities.first_year, cities.last_year + 1),
        factor=cities.outlier_factor,
        max_distance=cities.max_distance_years,
    )
    estimates = out["estimates"]
    summed = estimates.groupby(["province_code", "year", "component"])["value_100m_yuan"].sum()
    province = values.set_index(["province_code", "year", "component"])["value_100m_yuan"].reindex(summed.index)
    assert len(summed) == 31 * 4 * len(range(cities.first_year, cities.last_year + 1))
    np.testing.assert_allclose(summed, province, rtol=1e-9)
    per_year = estimates[estimates["unit_type"] != "rest"].groupby("year")["city_code"].nunique()
    assert per_year.between(280, 300).all()
    # a municipality is its province
    beijing = estimates[(estimates["city_code"] == 110000) & (estimates["year"] == 2023)]
    assert beijing["share_in_cities"].eq(1.0).all() and len(beijing) == 4
    own = values[(values["province_code"] == 110000) & (values["year"] == 2023)]
    bands = beijing.set_index("component")["band_relative"]
    assert bands.to_dict() == pytest.approx(own.set_index("component")["band_relative"].to_dict())  # its own band
    # and its total is the province's total, with the band measured on the provinces' totals
    totals = result.totals[(result.totals["method"] == "linear") & (result.totals["convention"] == "share")]
    table = city_table(estimates, register, keys, province_totals=totals, method="linear", convention="share")
    city_total = table[(table["city_code"] == 110000) & (table["year"] == 2023) & (table["component"] == "total")]
    province_total = totals[(totals["province_code"] == 110000) & (totals["year"] == 2023)]
    bounds = ["value_100m_yuan", "lower_100m_yuan", "upper_100m_yuan", "band_relative"]
    np.testing.assert_allclose(city_total[bounds].to_numpy(float), province_total[bounds].to_numpy(float), rtol=1e-9)
    # another city's total keeps the sum of its components' bounds
    shenzhen = table[(table["city_code"] == 440300) & (table["year"] == 2023)].set_index("component")
    parts = shenzhen.drop(index="total")
    assert shenzhen.loc["total", "upper_100m_yuan"] == pytest.approx(parts["upper_100m_yuan"].sum())


def test_a_municipality_is_its_province_with_the_province_band() -> None:
    units = pd.DataFrame(
        {"year": [2018], "province_code": 110000, "city_code": [110000], "unit_type": ["municipality"]}
    )
    keys = pd.DataFrame(
        {
            "province_code": 110000,
            "city_code": 110000,
            "year": 2018,
            "key": ["emp_I", "va3"],
            "value": [5.0, 80.0],
            "garbled": False,
        }
    )
    province = pd.DataFrame(
        {"province_code": [110000], "year": [2018], "component": "it_services", "value_100m_yuan": [50.0]}
    ).assign(band_relative=0.12)
    out = distribute(province, keys, units, {"it_services": "emp_I"}, {"it_services": "va3"}, _summary(), factor=3.0)
    row = out.set_index("city_code").loc[110000]
    assert row["value_100m_yuan"] == pytest.approx(50.0)
    assert row["band_relative"] == pytest.approx(0.12)  # not the key's 0.2 measured one level up
    assert (row["lower_100m_yuan"], row["upper_100m_yuan"]) == pytest.approx((44.0, 56.0))
    assert np.isnan(row["band_distance_years"])
