"""Split ratios: ``s_I63`` (telecom share of the information sector) and ``r_media`` (media share
of culture, sports and entertainment), per IO benchmark year.

Preferred source: an economic-census CSV supplied by the user (income ratios, national or by
province; IO year -> census year in config). Otherwise the national detailed IO tables, whose
sectors split information into telecom / internet / software and culture into 新闻和出版,
广播电视电影, 文化艺术, 体育, 娱乐 (``data/detailed_sectors.csv``). Every ratio carries its source.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import pandas as pd

from digecon.core.errors import InputError
from digecon.core.provinces import NATIONAL_CODE, normalise_name, province_code

RATIO_NAMES = ("s_I63", "r_media")
RATIO_COLUMNS = ["io_year", "province_code", "ratio", "value", "ratio_source"]


def detailed_sector_parts() -> pd.DataFrame:
    """The packaged mapping of detailed national IO sectors to the parts the ratios need."""
    with files("digecon.data").joinpath("detailed_sectors.csv").open(encoding="utf-8") as handle:
        return pd.read_csv(handle)


def read_detailed_io_va(path: str | Path, table_year: int, parts: pd.DataFrame) -> pd.DataFrame:
    """Value added of the detailed national sectors listed in ``parts`` for ``table_year`` (万元).

    Reads an ``ionet`` .rda table (columns ``Code``, ``DescriptionInChinese``, sector codes;
    row ``TVA``). Sectors are found by name.

    Returns
    -------
    DataFrame
        ``part``, ``sector_name``, ``value_added`` (万元).

    Raises
    ------
    InputError
        If the TVA row or a listed sector is missing.
    """
    import rdata  # only needed when the ratios come from the detailed tables

    path = Path(path)
    objects = rdata.read_rda(str(path))
    table = next(iter(objects.values()))
    names = table["DescriptionInChinese"].astype(str).map(normalise_name)
    codes = table["Code"].astype(str)
    tva = table[codes == "TVA"]
    if tva.empty:
        raise InputError(path, "no TVA row", expected="a row with Code 'TVA'")
    wanted = parts[parts["table_year"] == table_year]
    if wanted.empty:
        raise InputError(
            path,
            f"no detailed-sector mapping for the {table_year} table",
            expected=f"rows for {table_year} in digecon/data/detailed_sectors.csv",
        )
    records = []
    for part, name in zip(wanted["part"], wanted["sector_name"], strict=True):
        match = codes[names == normalise_name(name)]
        if len(match) != 1:
            raise InputError(path, f"sector '{name}' found {len(match)} times", expected="exactly once")
        records.append((part, name, float(tva[match.iloc[0]].iloc[0])))
    return pd.DataFrame.from_records(records, columns=["part", "sector_name", "value_added"])


def ratios_from_detailed_io(va: pd.DataFrame, *, news_publishing_share: float) -> dict[str, float]:
    """``s_I63`` and ``r_media`` from one detailed table's sector VA (:func:`read_detailed_io_va`).

    ``r_media`` = (广播电视电影 + news_publishing_share x 新闻和出版) / culture sector total.
    """
    by_part = va.groupby("part")["value_added"].sum()
    information = by_part["telecom"] + by_part["information_other"]
    culture = by_part[["news_publishing", "broadcasting_film", "culture_other"]].sum()
    media = by_part["broadcasting_film"] + news_publishing_share * by_part["news_publishing"]
    return {"s_I63": by_part["telecom"] / information, "r_media": media / culture}


def read_census_ratios(path: str | Path) -> pd.DataFrame:
    """Census income ratios: CSV ``census_year,province,ratio,value[,source]``.

    ``province`` is a province name or code, or 全国/0 for national; ``ratio`` is ``s_I63`` or
    ``r_media``; ``value`` is the ratio of main business income (主营业务收入 / 营业收入) in [0, 1].
    """
    path = Path(path)
    table = pd.read_csv(path, encoding="utf-8-sig", dtype={"province": str})
    needed = ["census_year", "province", "ratio", "value"]
    missing = [c for c in needed if c not in table.columns]
    if missing:
        raise InputError(path, f"columns missing: {', '.join(missing)}", row=0, expected=",".join(needed))
    for i, row in table.iterrows():
        if province_code(row["province"]) is None:
            raise InputError(
                path,
                "unknown province",
                row=int(i) + 1,
                expected="a province name or code, or 全国",
                found=f"'{row['province']}'",
            )
        if row["ratio"] not in RATIO_NAMES:
            raise InputError(
                path, "unknown ratio", row=int(i) + 1, expected=" or ".join(RATIO_NAMES), found=f"'{row['ratio']}'"
            )
        if not 0 <= float(row["value"]) <= 1:
            raise InputError(path, "ratio outside [0, 1]", row=int(i) + 1, found=str(row["value"]))
    source = table["source"] if "source" in table.columns else pd.Series([path.name] * len(table))
    return table.assign(province_code=table["province"].map(province_code).astype(int), source=source.fillna(path.name))


def benchmark_ratios(
    io_years: list[int],
    provinces: list[int],
    *,
    detailed: dict[int, tuple[dict[str, float], str]],
    detailed_table_of: dict[int, int],
    census: pd.DataFrame | None,
    census_year_of: dict[int, int],
) -> pd.DataFrame:
    """The ratio each province uses in each IO year, with its source.

    Order of preference: the province's own census ratio; the national census ratio;
    the national detailed IO table mapped to that IO year. Provinces without their own
    ratio use a national one, and ``ratio_source`` says so.

    Parameters
    ----------
    io_years, provinces
        Benchmark years and province codes to cover.
    detailed
        Detailed-table year -> (ratios from :func:`ratios_from_detailed_io`, file name).
    detailed_table_of
        IO year -> detailed-table year (e.g. 2002 -> 2007: the 2002 table does not split culture).
    census
        From :func:`read_census_ratios`, or None.
    census_year_of
        IO year -> census year (2002 -> 2004, 2007 -> 2008, ...).

    Returns
    -------
    DataFrame
        ``RATIO_COLUMNS``, one row per IO year x province x ratio.
    """
    rows = []
    for io_year in io_years:
        census_year = census_year_of.get(io_year)
        table_year = detailed_table_of[io_year]
        values, file = detailed[table_year]
        for ratio in RATIO_NAMES:
            national = None
            if census is not None and census_year is not None:
                hit = census[(census["census_year"] == census_year) & (census["ratio"] == ratio)]
                own = {
                    int(c): (float(v), str(s))
                    for c, v, s in zip(hit["province_code"], hit["value"], hit["source"], strict=True)
                }
                national = own.get(NATIONAL_CODE)
            else:
                own = {}
            for code in provinces:
                if code in own:
                    value, source = own[code][0], f"census {census_year} ({own[code][1]})"
                elif national is not None:
                    value, source = national[0], f"national census {census_year} ({national[1]}); no provincial ratio"
                else:
                    note = "" if table_year == io_year else f"; nearest table with the split for {io_year}"
                    value, source = values[ratio], f"national detailed IO table {table_year} ({file}){note}"
                rows.append(
                    {"io_year": io_year, "province_code": code, "ratio": ratio, "value": value, "ratio_source": source}
                )
    return pd.DataFrame.from_records(rows, columns=RATIO_COLUMNS)
