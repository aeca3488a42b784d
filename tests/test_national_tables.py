"""The reader of the national 42-sector ionet tables: small .rda files written here, then the real ones.

The synthetic tables are laid out like ionet's (a ``Code`` column, Chinese names, one column per
sector code, VA001..VA004 and TVA rows; the 2017-vintage one repeats its products as imported
inputs with an ``Origin`` column, as the 2018 and 2020 tables do), with sector VA chosen so that
every figure is known by hand. The real-data tests assert the figures published in
ionet_national_io/PROVENANCE.md.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import rdata

from digecon.core.errors import InputError
from digecon.inputs.concordance import load_concordance
from digecon.inputs.national_tables import NATIONAL_TABLE_COLUMNS, read_national_io_va
from digecon.inputs.sources import read_national_tables

VA_SHARES = {"VA001": 0.5, "VA002": 0.125, "VA003": 0.125, "VA004": 0.25}  # exact in binary


def sector_names(vintage: str) -> list[str]:
    """The 42 sector names of one concordance vintage, in code order (the first where a vintage knows two)."""
    table = load_concordance()
    rows = table.loc[table["vintage"] == vintage].drop_duplicates("sector_code")
    return list(rows.sort_values("sector_code")["sector_name"])


def sector_va(i: int) -> float:
    """VA of the i-th sector (1-based), 万元: 1,000 x i."""
    return 1000.0 * i


def write_table(path: Path, names: list[str], *, imported: bool = False, tva: dict[int, float] | None = None) -> Path:
    """Write an ionet-like 42-sector table; ``tva`` overrides the TVA row of some sectors (VA parts unchanged)."""
    codes = [f"{i:02d}" for i in range(1, len(names) + 1)]
    products = [{"Code": c, "DescriptionInChinese": n, "Origin": "Domestic"} for c, n in zip(codes, names, strict=True)]
    if imported:
        products += [{**p, "Origin": "Imported"} for p in products]
    rows = [{**p, **dict.fromkeys(codes, 1.0)} for p in products]
    for part, share in VA_SHARES.items():
        rows.append(
            {"Code": part, "DescriptionInChinese": part, "Origin": "TOT"}
            | {c: share * sector_va(i + 1) for i, c in enumerate(codes)}
        )
    total = {c: sector_va(i + 1) for i, c in enumerate(codes)} | {f"{k:02d}": v for k, v in (tva or {}).items()}
    rows.append({"Code": "TVA", "DescriptionInChinese": "增加值合计", "Origin": "TOT"} | total)
    frame = pd.DataFrame(rows)
    if not imported:
        frame = frame.drop(columns="Origin")
    frame.index = pd.RangeIndex(1, len(frame) + 1)  # rdata writes a data frame with R's row numbers
    text = [c for c in frame.columns if not pd.api.types.is_float_dtype(frame[c])]
    frame = frame.astype(dict.fromkeys(text, object))  # rdata writes numpy arrays, not pandas' Arrow strings
    rdata.write_rda(str(path), {path.stem: frame})
    return path


def test_sectors_found_by_name_in_a_2017_vintage_table_with_imported_rows(tmp_path: Path) -> None:
    path = write_table(tmp_path / "china_2018_42.rda", sector_names("2017"), imported=True)
    table = read_national_io_va(path, 2018)
    assert list(table.columns) == NATIONAL_TABLE_COLUMNS
    va = table.set_index("sector_key")
    # 2017 vintage: electronics is sector 20, information 31, culture 41
    assert va.loc["electronics", "value_added_10k_yuan"] == 20_000.0
    assert va.loc["information", ["sector_code", "sector_name"]].tolist() == ["31", "信息传输、软件和信息技术服务"]
    assert va.loc["information", "value_added_10k_yuan"] == 31_000.0
    assert va.loc["culture", "value_added_10k_yuan"] == 41_000.0
    assert va["value_added_10k_yuan"].sum() == 1000.0 * 42 * 43 / 2  # the imported rows are not added
    assert set(va["year"]) == {2018} and set(va["source_file"]) == {"china_2018_42.rda"}
    assert set(va["vintage"]) == {"2017"} and len(va) == 42


def test_every_sector_carries_the_concordance_flags_of_its_name(tmp_path: Path) -> None:
    path = write_table(tmp_path / "china_2018_42.rda", sector_names("2017"), imported=True)
    table = read_national_io_va(path, 2018)
    # 2017 vintage: industry = 02 (coal) .. 26 (water), construction 27, tertiary 28..42 (sector i has VA 1,000 i)
    assert table.loc[table["industry"] == 1, "value_added_10k_yuan"].sum() == 1000.0 * sum(range(2, 27))
    assert table.loc[table["construction"] == 1, "sector_code"].tolist() == ["27"]
    assert table.loc[table["tertiary"] == 1, "value_added_10k_yuan"].sum() == 1000.0 * sum(range(28, 43))
    # other services: tertiary less trade, transport, hotels, finance, real estate (28 29 30 32 33 of 2017)
    assert table.loc[table["other_services"] == 1, "sector_code"].tolist() == ["31", *(f"{i}" for i in range(34, 43))]


def test_the_2005_table_has_a_vintage_of_its_own(tmp_path: Path) -> None:
    # 2005 prints 农业, 水利、环境和公共设施管理业, 居民服务和其他服务业 and 教育 beside the 2002 names
    path = write_table(tmp_path / "china_2005_42.rda", sector_names("2005"))
    table = read_national_io_va(path, 2005).set_index("sector_key")
    assert set(table["vintage"]) == {"2005"}
    assert table.loc["agriculture", "sector_name"] == "农业" and table.loc["education", "sector_code"] == "39"
    assert table.loc["culture", "value_added_10k_yuan"] == 41_000.0


def test_codes_move_between_vintages_names_do_not(tmp_path: Path) -> None:
    # 2005 prints the 2002/2007 names: electronics 19, information 29 (not 20 and 31)
    path = write_table(tmp_path / "china_2005_42.rda", sector_names("2002"))
    va = read_national_io_va(path, 2005).set_index("sector_key")["value_added_10k_yuan"]
    assert va["electronics"] == 19_000.0
    assert va["information"] == 29_000.0
    assert va["culture"] == 41_000.0  # 文化、体育和娱乐业, not 20 仪器仪表及文化办公用机械制造业


def test_an_unknown_sector_name_is_refused_with_its_row_and_the_nearest_names(tmp_path: Path) -> None:
    names = sector_names("2017")
    names[40] = "文体娱乐"  # not a name the concordance knows
    path = write_table(tmp_path / "china_2018_42.rda", names)
    # the data frame's row 41 (R's row name), column B (DescriptionInChinese)
    with pytest.raises(InputError, match=r"china_2018_42.rda, sheet 'china_2018_42', cell B41: sector name not in"):
        read_national_io_va(path, 2018)


def test_a_table_of_41_sectors_is_refused(tmp_path: Path) -> None:
    path = write_table(tmp_path / "china_2010_41.rda", sector_names("2017")[:41])
    with pytest.raises(InputError, match=r"not a 42-sector table.*found 41"):
        read_national_io_va(path, 2010)


def test_a_va_identity_gap_is_refused_with_the_sector_and_gap(tmp_path: Path) -> None:
    path = write_table(tmp_path / "china_2018_42.rda", sector_names("2017"), tva={20: 20_100.0})
    with pytest.raises(InputError, match=r"sector 20: VA001\+VA002\+VA003\+VA004 differs from TVA by -100.0 万元"):
        read_national_io_va(path, 2018, va_tolerance=5.0)
    table = read_national_io_va(path, 2018, va_tolerance=200.0).set_index("sector_code")
    assert table.loc["20", "value_added_10k_yuan"] == 20_100.0


def test_read_national_tables_chooses_the_ratios_as_for_the_provinces(tmp_path: Path) -> None:
    tables = {
        2018: write_table(tmp_path / "china_2018_42.rda", sector_names("2017"), imported=True),
        2005: write_table(tmp_path / "china_2005_42.rda", sector_names("2002")),
    }
    census = tmp_path / "census.csv"
    census.write_text(
        "census_year,province,ratio,value,source\n"
        "2004,全国,s_I63,0.8,普查2004\n2004,全国,r_media,0.5,普查2004\n"
        "2018,全国,s_I63,0.35,普查2018\n2018,全国,r_media,0.36,普查2018\n",
        encoding="utf-8",
    )
    national, ratios = read_national_tables(tables, {}, census, news_publishing_share=1.0)
    assert national["year"].tolist() == [2005] * 42 + [2018] * 42  # sorted by year
    r = ratios.set_index(["io_year", "ratio"])
    assert set(ratios["province_code"]) == {0}
    assert r.loc[(2005, "s_I63"), "value"] == 0.8  # the nearest census to 2005 is 2004
    assert r.loc[(2018, "r_media"), "value"] == 0.36
    assert r.loc[(2018, "r_media"), "ratio_source"] == "census 2018 (普查2018)"  # the nation's own census ratio


def test_no_tables_gives_empty_frames_with_their_columns() -> None:
    national, ratios = read_national_tables({}, {}, None, news_publishing_share=1.0)
    assert national.empty and list(national.columns) == NATIONAL_TABLE_COLUMNS
    assert ratios.empty and "ratio_source" in ratios.columns


# Published figures (亿元), ionet_national_io/PROVENANCE.md: total VA (TVA row over the 42 sector columns), C39, I, R
PUBLISHED = {
    2005: (186_256.1, 4_558.0, 4_795.3, 1_197.8),
    2015: (680_254.1, 15_152.9, 18_353.7, 4_929.9),
    2018: (922_057.2, 16_133.0, 34_417.1, 8_576.0),
    2020: (1_016_422.0, 16_636.2, 44_801.4, 7_801.0),
}


@pytest.mark.parametrize("year", sorted(PUBLISHED))
def test_real_tables_give_the_published_figures(mirror: Path, year: int) -> None:
    path = mirror / "ionet_national_io" / "data" / f"china_{year}_42.rda"
    if not path.is_file():
        pytest.skip(f"{path.name} is not in the mirror")
    va = read_national_io_va(path, year).set_index("sector_key")["value_added_10k_yuan"] / 1e4
    total, electronics, information, culture = PUBLISHED[year]
    assert va.sum() == pytest.approx(total, abs=0.06)
    assert va["electronics"] == pytest.approx(electronics, abs=0.06)
    assert va["information"] == pytest.approx(information, abs=0.06)
    assert va["culture"] == pytest.approx(culture, abs=0.06)


# ionet_national_io/PROVENANCE.md, "Held-out back-test": manufacturing = the TVA row over columns 06..23, tertiary
# over columns 28..42 of the 2017-vintage tables (亿元)
PUBLISHED_AGGREGATES = {2017: (228_718.5, 425_058.0), 2018: (245_135.5, 489_712.4), 2020: (252_637.4, 553_701.5)}


@pytest.mark.parametrize("year", sorted(PUBLISHED_AGGREGATES))
def test_real_tables_give_the_published_aggregates(mirror: Path, year: int) -> None:
    path = mirror / "ionet_national_io" / "data" / f"china_{year}_42.rda"
    if not path.is_file():
        pytest.skip(f"{path.name} is not in the mirror")
    table = read_national_io_va(path, year)
    manufacturing, tertiary = PUBLISHED_AGGREGATES[year]
    va = table["value_added_10k_yuan"] / 1e4
    assert va[table["manufacturing"] == 1].sum() == pytest.approx(manufacturing, abs=0.06)
    assert va[table["tertiary"] == 1].sum() == pytest.approx(tertiary, abs=0.06)
    assert table.loc[table["tertiary"] == 1, "sector_code"].tolist() == [f"{i}" for i in range(28, 43)]
    assert set(table["vintage"]) == {"2017"}


def test_the_real_2005_table_reads_as_its_own_vintage(mirror: Path) -> None:
    path = mirror / "ionet_national_io" / "data" / "china_2005_42.rda"
    if not path.is_file():
        pytest.skip(f"{path.name} is not in the mirror")
    table = read_national_io_va(path, 2005)
    assert set(table["vintage"]) == {"2005"}
    # 信息传输、计算机服务和软件业 is column 29 of the 2005 table: 4,795.3 亿元 (PROVENANCE.md)
    assert table.set_index("sector_code").loc["29", "sector_key"] == "information"
