"""The city register: code lists adjusted by the boundary table, names matched through the variant table."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from digecon.core.errors import InputError
from digecon.inputs.city_register import boundary_changes, match_names, name_variants, prefecture_units, read_code_list


def _register() -> pd.DataFrame:
    lists = {
        2018: pd.DataFrame(
            {"code": [370000, 370100, 371200, 110000], "name": ["山东省", "济南市", "莱芜市", "北京市"]}
        ),
        2019: pd.DataFrame({"code": [370000, 370100, 110000], "name": ["山东省", "济南市", "北京市"]}),
    }
    return prefecture_units(lists)


def test_register_keeps_a_merged_city_until_its_merger_and_names_match_through_the_variant_table() -> None:
    register = _register()
    assert set(register.loc[register["year"] == 2018, "city"]) == {"济南市", "莱芜市", "北京市"}
    assert set(register.loc[register["year"] == 2019, "city"]) == {"济南市", "北京市"}
    printed = pd.DataFrame(
        {"year": [2019, 2018], "name": ["济南", "莱芜市"], "table_file": "t", "sheet": "s", "row": 1}
    )
    matched = match_names(printed, register)
    assert matched["city_code"].tolist() == [370100, 371200]
    assert matched["province_code"].tolist() == [370000, 370000]
    assert name_variants()["周门市"] == "周口市"
    with pytest.raises(InputError, match=r"莱芜市.*matches no prefecture-level unit of 2019"):
        match_names(printed.assign(year=2019, name="莱芜市"), register)


def test_every_name_variant_leads_to_an_official_name_and_is_none_itself(mirror: Path) -> None:
    official = set()
    for year in range(2009, 2024):
        official |= set(read_code_list(mirror / f"areacodes_gbt2260/data/{year}.txt")["name"])
    variants = name_variants()
    assert set(variants.values()) <= official
    assert not set(variants) & official - {"思茅市", "襄樊市"}  # old names were official once


def test_boundary_table_agrees_with_the_code_lists(mirror: Path) -> None:
    lists = {y: set(read_code_list(mirror / f"areacodes_gbt2260/data/{y}.txt")["code"]) for y in range(2009, 2024)}
    for change in boundary_changes().itertuples(index=False):
        for code in change.code_after.split(";"):
            assert int(code) in lists[change.year], (change.year, code)
        if change.code_before and change.change != "renamed":
            assert int(change.code_before) not in lists[change.year], (change.year, change.code_before)
