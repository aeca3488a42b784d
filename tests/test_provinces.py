"""Province lookup: the 31 provinces in GB/T 2260 and the spellings users and the NBS print."""

from __future__ import annotations

import pytest

from digecon.core.provinces import (
    NATIONAL_CODE,
    normalise_name,
    province_code,
    province_name,
    province_table,
    provinces_named_in,
)


def test_reference_table_holds_the_31_provinces_in_nbs_order() -> None:
    table = province_table()
    assert len(table) == 31 and table["province_code"].is_unique
    assert table.iloc[0].tolist() == [110000, "北京", "北京市", "Beijing"]
    assert table.iloc[-1].tolist() == [650000, "新疆", "新疆维吾尔自治区", "Xinjiang"]
    assert table["province_code"].is_monotonic_increasing


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("北京市", 110000),
        ("北京", 110000),
        ("Beijing", 110000),
        ("beijing", 110000),
        (110000, 110000),
        ("110000", 110000),
        (" 北 京 ", 110000),  # padding as printed in tables
        ("Ｂｅｉｊｉｎｇ", 110000),  # full-width letters
        ("内蒙古自治区", 150000),
        ("Inner Mongolia", 150000),
        ("广西壮族自治区", 450000),
        ("陕西", 610000),
        ("山西", 140000),
        ("全国", 0),
        ("中国", 0),
        ("China", 0),
    ],
)
def test_every_spelling_gives_the_code(name: str | int, code: int) -> None:
    assert province_code(name) == code


@pytest.mark.parametrize("name", ["北平", "Peking", "", "110001", "京"])
def test_unknown_names_give_none(name: str) -> None:
    assert province_code(name) is None


def test_names_of_codes() -> None:
    assert province_name(110000) == "北京"
    assert province_name(540000) == "西藏"
    assert province_name(NATIONAL_CODE) == "全国"
    with pytest.raises(KeyError, match="unknown province code 999999"):
        province_name(999999)


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("北京2017年投入产出表", {110000}),
        ("01-北京", {110000}),  # a file-order number, not a code
        ("0中国", {0}),
        ("全国2012年42部门投入产出表", {0}),
        ("北京 和 上海", {110000, 310000}),
        ("2017年投入产出表", set()),
        # 2023 titles may carry the GB/T 2260 code: a leading two-digit prefix before 地区/省/市, or six digits
        ("50地区投入产出表(2023）", {500000}),
        ("50 地区投入产出表（2023）", {500000}),
        ("11市投入产出表2023", {110000}),
        ("65省2023年投入产出表", {650000}),
        ("500000地区投入产出表2023", {500000}),
        ("520000_2023", {520000}),
        ("66地区投入产出表2023", set()),  # no province has the prefix 66
        ("31省区市42部门投入产出表", set()),  # a count of provinces, not 上海
        ("重庆50地区", {500000}),
    ],
)
def test_provinces_named_in_titles_and_file_names(text: str, codes: set[int]) -> None:
    assert provinces_named_in(text) == codes


def test_normalise_name_folds_width_and_drops_whitespace() -> None:
    assert normalise_name("北 京\t市\n") == "北京市"
    assert normalise_name("（１）ＴＶＡ") == "(1)TVA"
