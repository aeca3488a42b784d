"""The concordance itself: one row per vintage x printed sector, aggregates as in METHOD.md section 2."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from digecon.core.errors import InputError
from digecon.inputs.concordance import DIGITAL_SECTORS, load_concordance

TABLE = load_concordance()


@pytest.mark.parametrize(
    ("vintage", "first", "last"), [("2002", 6, 22), ("2007", 6, 22), ("2012", 6, 24), ("2017", 6, 23)]
)
def test_manufacturing_ranges(vintage: str, first: int, last: int) -> None:
    rows = TABLE[(TABLE["vintage"] == vintage) & (TABLE["manufacturing"] == 1)]
    assert sorted({int(c) for c in rows["sector_code"]}) == list(range(first, last + 1))


@pytest.mark.parametrize("vintage", ["2002", "2007", "2012", "2017"])
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
