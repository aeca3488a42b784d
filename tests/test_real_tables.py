"""The real NBS tables: every file parses, and values match published and independent figures.

Figures in 亿元 are the tables' published totals (e.g. the 2017 Beijing table sums to the
28,014.94 亿元 of first-published GDP); the CHNIO package's .rda files are an independent
transcription of the same tables and must agree to 1 万元 in every sector.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from digecon.inputs.concordance import load_concordance
from digecon.inputs.iotable import IOTable, read_io_table
from digecon.inputs.national_tables import read_national_io_va

CONCORDANCE = load_concordance()
YEARS = (2002, 2007, 2012, 2017)


@pytest.fixture(scope="module")
def tables(io_folder: Path) -> dict[tuple[str, int], IOTable]:
    files = sorted(io_folder.glob("*年各省份投入产出表/*.xls"))
    read = [read_io_table(f, CONCORDANCE) for f in files]
    return {(t.province, t.year): t for t in read}


def va(table: IOTable, key: str | None = None) -> float:
    s = table.sectors
    return float((s if key is None else s[s["sector_key"] == key])["value_added"].sum()) / 1e4


def test_all_125_tables_parse(tables: dict) -> None:
    assert len(tables) == 125
    counts = pd.Series([year for _, year in tables]).value_counts().to_dict()
    assert counts == {2002: 31, 2007: 31, 2012: 32, 2017: 31}  # 30/30/31/31 provinces + national 2002-2012
    assert all(len(t.sectors) == 42 for t in tables.values())
    assert {t.vintage for t in tables.values()} == {"2002", "2007", "2012", "2017"}


@pytest.mark.parametrize(
    ("province", "year", "total", "tolerance"),
    [
        ("北京", 2017, 28014.94, 0.006),  # = first-published 2017 GDP of Beijing, to the printed 0.01 亿元
        ("天津", 2017, 18549.19, 0.006),
        ("江苏", 2017, 85869.76, 0.006),
        ("北京", 2012, 17879.40, 0.03),  # the 2012 tables sum to within 300 万元 of first-published GDP
        ("河北", 2012, 26575.01, 0.03),
        ("河南", 2012, 29599.31, 0.03),
    ],
)
def test_total_value_added_equals_published_gdp(
    tables: dict, province: str, year: int, total: float, tolerance: float
) -> None:
    assert va(tables[(province, year)]) == pytest.approx(total, abs=tolerance)


@pytest.mark.parametrize(
    ("province", "year", "key", "value"),
    [
        ("广东", 2007, "electronics", 2497.7),
        ("北京", 2017, "information", 3094.4),
        ("北京", 2002, "electronics", 154.5),
        ("北京", 2002, "information", 351.4),
        ("山东", 2002, "culture", 284.7),
        ("江苏", 2012, "electronics", 3616.8),
        ("湖南", 2017, "culture", 925.8),
        ("西藏", 2012, "information", 19.7),
        ("全国", 2007, "electronics", 6807.7),
        ("全国", 2012, "information", 11799.5),
    ],
)
def test_digital_sectors_match_printed_values(tables: dict, province: str, year: int, key: str, value: float) -> None:
    assert va(tables[(province, year)], key) == pytest.approx(value, abs=0.05)


@pytest.mark.parametrize(("year", "total"), [(2002, 121858.9), (2007, 266043.8), (2012, 536800.2)])
def test_national_totals(tables: dict, year: int, total: float) -> None:
    assert va(tables[("全国", year)]) == pytest.approx(total, abs=0.05)


@pytest.mark.parametrize("year", YEARS)
def test_every_sector_agrees_with_independent_transcription(tables: dict, mirror: Path, year: int) -> None:
    rdata = pytest.importorskip("rdata")
    transcribed = rdata.read_rda(str(mirror / "chnio_provincial_io" / "data" / f"io{year}.rda"))[f"io{year}"]
    assert len(transcribed) >= 30
    for province, frame in transcribed.items():
        ours = tables[(str(province), year)].sectors
        rows = frame.set_index("sec")
        for code, field in (
            ("VA001", "compensation"),
            ("VA004", "operating_surplus"),
            ("TVA", "value_added"),
            ("TI", "total_input"),
        ):
            theirs = rows.loc[code, [f"sec{i:02d}" for i in range(1, 43)]].astype(float).fillna(0.0).to_numpy()
            assert abs(ours[field].to_numpy() - theirs).max() <= 1.0, (province, year, code)
        go = rows.loc[[f"sec{i:02d}" for i in range(1, 43)], "GO"].astype(float).to_numpy()
        assert abs(ours["total_output"].to_numpy() - go).max() <= 1.0, (province, year, "GO")


def test_every_sector_of_every_vintage_maps_exactly_once(tables: dict, mirror: Path) -> None:
    for table in tables.values():
        keys = table.sectors["sector_key"]
        assert keys.is_unique and len(keys) == 42
    used = {(t.vintage, n) for t in tables.values() for n in t.sectors["sector_name"]}
    # the national ionet tables too: the 2005 table prints a vintage of its own
    for path in sorted((mirror / "ionet_national_io" / "data").glob("china_*_42.rda")):
        national = read_national_io_va(path, int(path.stem.split("_")[1]), concordance=CONCORDANCE)
        assert national["sector_key"].is_unique and len(national) == 42
        used |= set(zip(national["vintage"], national["sector_name"], strict=True))
    listed = set(zip(CONCORDANCE["vintage"], CONCORDANCE["sector_name"], strict=True))
    assert used == listed  # no concordance row is unused, none is missing
