"""The concordance itself: one row per vintage x printed sector, aggregates as in METHOD.md section 2."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from digecon.core.errors import InputError
from digecon.core.provinces import normalise_name
from digecon.inputs.concordance import DIGITAL_SECTORS, load_concordance, match_sectors

TABLE = load_concordance()


@pytest.mark.parametrize(
    ("vintage", "first", "last"), [("2002", 6, 22), ("2005", 6, 22), ("2007", 6, 22), ("2012", 6, 24), ("2017", 6, 23)]
)
def test_manufacturing_ranges(vintage: str, first: int, last: int) -> None:
    rows = TABLE[(TABLE["vintage"] == vintage) & (TABLE["manufacturing"] == 1)]
    assert sorted({int(c) for c in rows["sector_code"]}) == list(range(first, last + 1))


@pytest.mark.parametrize("vintage", ["2002", "2005", "2007", "2012", "2017"])
def test_each_vintage_has_42_keys_and_the_digital_sectors(vintage: str) -> None:
    rows = TABLE[TABLE["vintage"] == vintage]
    assert rows["sector_key"].nunique() == 42 and rows["sector_code"].nunique() == 42
    assert set(DIGITAL_SECTORS) <= set(rows["sector_key"])
    # industry = mining + manufacturing + utilities; tertiary = everything after construction
    assert (rows["industry"] == rows["mining"] + rows["manufacturing"] + rows["utilities"]).all()
    construction = int(rows.loc[rows["construction"] == 1, "sector_code"].iloc[0])
    assert (rows["tertiary"] == (rows["sector_code"].astype(int) > construction)).all()
    assert (rows["other_services"] <= rows["tertiary"]).all()


def test_instruments_sector_is_not_culture() -> None:
    # 仪器仪表及文化办公用机械制造业 contains 文化 but is manufacturing, never the culture sector
    rows = TABLE[TABLE["sector_name"].str.startswith("仪器仪表")]
    assert set(rows["sector_key"]) == {"instruments"}


def test_doubly_mapped_name_refused(tmp_path: Path) -> None:
    plain = TABLE.drop(columns="name_key")
    doubled = pd.concat([plain, plain.iloc[[5]]], ignore_index=True)
    path = tmp_path / "concordance.csv"
    doubled.to_csv(path, index=False)
    with pytest.raises(InputError, match="mapped more than once: 2002 食品制造及烟草加工业"):
        load_concordance(path)


def names_of(table: pd.DataFrame, vintage: str) -> list[str]:
    return table[table["vintage"] == vintage].drop_duplicates("sector_code")["sector_name"].tolist()


def match(names: list[str], year: int | None, table: pd.DataFrame = TABLE) -> str:
    return match_sectors(names, table, year=year, file="t.xlsx", sheet="S", rows=list(range(8, 50)), column=1).vintage


def with_vintage(vintage: str, renamed: dict[str, str] | None = None) -> pd.DataFrame:
    """The packaged concordance plus a copy of the 2017 rows as ``vintage`` (some names changed)."""
    copy = TABLE[TABLE["vintage"] == "2017"].assign(vintage=vintage)
    copy["sector_name"] = copy["sector_name"].replace(renamed or {})
    both = pd.concat([TABLE, copy], ignore_index=True).drop(columns="name_key")
    both["name_key"] = both["sector_name"].map(normalise_name)
    return both


@pytest.mark.parametrize("year", [2017, 2018, 2020, 2022, 2023, 2030])
def test_the_2017_names_serve_every_later_year(year: int) -> None:
    assert match(names_of(TABLE, "2017"), year) == "2017"


@pytest.mark.parametrize(("year", "vintage"), [(2023, "2022"), (2022, "2022"), (2020, "2017"), (2015, "2017")])
def test_shared_names_take_the_latest_vintage_not_after_the_year(year: int, vintage: str) -> None:
    # a 2022 vintage printing exactly the 2017 names; a 2015 table predates both and takes the earliest
    assert match(names_of(TABLE, "2017"), year, with_vintage("2022")) == vintage


def test_a_new_vintage_added_as_rows_serves_tables_printing_its_names() -> None:
    table = with_vintage("2023", {"信息传输、软件和信息技术服务": "信息传输、软件和信息技术服务业"})
    new_names = names_of(table, "2023")
    assert match(new_names, 2023, table) == "2023"
    assert match(names_of(TABLE, "2017"), 2023, table) == "2017"  # the old names still read as 2017


def test_vintage_must_be_a_year(tmp_path: Path) -> None:
    path = tmp_path / "concordance.csv"
    TABLE.drop(columns="name_key").assign(vintage="GB/T 4754-2017").to_csv(path, index=False)
    with pytest.raises(InputError, match=r"concordance vintages must be years; .* found GB/T 4754-2017"):
        load_concordance(path)
