"""Split ratios per IO benchmark year: ``s_I63`` (telecom in information) and ``r_media`` (media in culture).

``s_I63`` is the telecom share of the information sector, ``r_media`` the media share of
culture, sports and entertainment. Preferred source: an economic-census CSV supplied by the
user (income ratios, national or by province; each IO year uses the nearest census year that
has the ratio). Otherwise the national detailed IO table nearest to the IO year, whose sectors
split information into telecom / internet / software and culture into 新闻和出版, 广播电视电影,
文化艺术, 体育, 娱乐 (``data/detailed_sectors.csv``). Every ratio carries its source.
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib.resources import files
from pathlib import Path

import pandas as pd

from digecon.core.errors import InputError
from digecon.core.provinces import NATIONAL_CODE, normalise_name
from digecon.inputs.usercsv import Column, read_user_csv, sources

RATIO_NAMES = ("s_I63", "r_media")
RATIO_COLUMNS = ["io_year", "province_code", "ratio", "value", "ratio_source"]


def detailed_sector_parts() -> pd.DataFrame:
    """Read the packaged mapping of detailed national IO sectors to the parts the ratios need.

    Returns
    -------
    DataFrame
        ``data/detailed_sectors.csv``: ``table_year``, ``sector_name`` (as the detailed table
        prints it) and ``part``.
    """
    with files("digecon.data").joinpath("detailed_sectors.csv").open(encoding="utf-8") as handle:
        return pd.read_csv(handle)


def read_detailed_io_va(path: str | Path, table_year: int, parts: pd.DataFrame) -> pd.DataFrame:
    """Value added of the detailed national sectors listed in ``parts`` for ``table_year`` (万元).

    Reads an ``ionet`` .rda table (columns ``Code``, ``DescriptionInChinese``, sector codes;
    row ``TVA``). Sectors are found by normalised name.

    Parameters
    ----------
    path
        The .rda file; its first object is the table.
    table_year
        The table's year, selecting the rows of ``parts``.
    parts
        From :func:`detailed_sector_parts`.

    Returns
    -------
    DataFrame
        ``part``, ``sector_name``, ``value_added`` (万元).

    Raises
    ------
    InputError
        If the TVA row is missing, ``parts`` has no rows for ``table_year``, or a listed sector is
        not found exactly once.
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
    """Compute ``s_I63`` and ``r_media`` from one detailed table's sector VA (:func:`read_detailed_io_va`).

    ``s_I63`` = telecom / (telecom + the rest of information); ``r_media`` = (广播电视电影 +
    news_publishing_share x 新闻和出版) / culture sector total (新闻和出版 + 广播电视电影 + the rest).

    Parameters
    ----------
    va
        ``part``, ``value_added``; parts ``telecom``, ``information_other``, ``news_publishing``,
        ``broadcasting_film`` and ``culture_other`` (summed within each part).
    news_publishing_share
        Part of 新闻和出版 counted as media, in [0, 1].

    Returns
    -------
    dict
        ``{"s_I63": ..., "r_media": ...}``.
    """
    by_part = va.groupby("part")["value_added"].sum()
    information = by_part["telecom"] + by_part["information_other"]
    culture = by_part[["news_publishing", "broadcasting_film", "culture_other"]].sum()
    media = by_part["broadcasting_film"] + news_publishing_share * by_part["news_publishing"]
    return {"s_I63": by_part["telecom"] / information, "r_media": media / culture}


CENSUS_COLUMNS = (
    Column("census_year", "year"),
    Column("province", "province", national=True),
    Column("ratio", "choice", choices=RATIO_NAMES),
    Column("value", "share"),
    Column("source", "text", required=False),
)


def read_census_ratios(path: str | Path) -> pd.DataFrame:
    """Census income ratios: CSV ``census_year,province,ratio,value[,source]``.

    ``province`` is a province name or code, or 全国/0 for national; ``ratio`` is ``s_I63`` or
    ``r_media``; ``value`` is the ratio of main business income (主营业务收入 / 营业收入) in [0, 1].
    Validated by :func:`digecon.inputs.usercsv.read_user_csv`.

    Parameters
    ----------
    path
        The CSV file (UTF-8, with or without BOM).

    Returns
    -------
    DataFrame
        ``census_year``, ``province_code``, ``ratio``, ``value``, ``source`` (the file name where not given).

    Raises
    ------
    InputError
        For a bad cell (file, row, column, value, what was expected) or a repeated census year, province and ratio.
    """
    path = Path(path)
    table = read_user_csv(path, CENSUS_COLUMNS, unique=("census_year", "province", "ratio"))
    source = sources(table, path)
    return pd.DataFrame(
        {
            "census_year": table["census_year"].astype(int),
            "province_code": table["province"].astype(int),
            "ratio": table["ratio"],
            "value": table["value"].astype(float),
            "source": source,
        }
    )


def nearest_year(year: int, available: Iterable[int]) -> int:
    """Pick the available year nearest to ``year``; on a tie the later one (a census follows its table).

    Parameters
    ----------
    year
        The year wanted.
    available
        Candidate years (at least one; a dict gives its keys).

    Returns
    -------
    int
        E.g. 2004 for 2002 among (2004, 2008), and 2008 for 2006 (as near as 2004).
    """
    return min(available, key=lambda y: (abs(y - year), -y))


def _census_choice(census: pd.DataFrame | None, io_year: int, ratio: str) -> tuple[int | None, pd.DataFrame]:
    """Choose the census year an IO year uses for one ratio (the nearest that has it) and its rows."""
    if census is None:
        return None, pd.DataFrame()
    rows = census[census["ratio"] == ratio]
    if rows.empty:
        return None, rows
    year = nearest_year(io_year, rows["census_year"].unique())
    return year, rows[rows["census_year"] == year]


def benchmark_ratios(
    io_years: list[int],
    provinces: list[int],
    *,
    detailed: dict[int, tuple[dict[str, float], str]],
    census: pd.DataFrame | None,
) -> pd.DataFrame:
    """Choose the ratio each province uses in each IO year, with its source.

    Order of preference: the province's own census ratio; the national census ratio (each from
    the census year nearest to the IO year); the national detailed IO table nearest to the IO
    year (2002 uses 2007's: the 2002 detailed table does not split culture). Provinces without
    their own ratio use a national one, and ``ratio_source`` says so.

    Parameters
    ----------
    io_years, provinces
        Benchmark years and province codes to cover.
    detailed
        Detailed-table year -> (ratios from :func:`ratios_from_detailed_io`, file name); may be empty
        when the census covers every year.
    census
        From :func:`read_census_ratios`, or None.

    Returns
    -------
    DataFrame
        ``RATIO_COLUMNS``, one row per IO year x province x ratio.

    Raises
    ------
    InputError
        If a ratio has no source for some IO year and province.
    """
    rows = []
    for io_year in io_years:
        table_year = nearest_year(io_year, detailed) if detailed else None
        for ratio in RATIO_NAMES:
            census_year, hit = _census_choice(census, io_year, ratio)
            columns = (hit.get("province_code", []), hit.get("value", []), hit.get("source", []))
            own = {int(c): (float(v), str(s)) for c, v, s in zip(*columns, strict=True)}
            national = own.get(NATIONAL_CODE)
            for code in provinces:
                if code in own:
                    value, source = own[code][0], f"census {census_year} ({own[code][1]})"
                elif national is not None:
                    value, source = national[0], f"national census {census_year} ({national[1]}); no provincial ratio"
                elif table_year is not None:
                    values, file = detailed[table_year]
                    note = "" if table_year == io_year else f"; nearest table with the split for {io_year}"
                    value, source = values[ratio], f"national detailed IO table {table_year} ({file}){note}"
                else:
                    raise InputError(
                        "ratios",
                        f"no {ratio} for province {code} in {io_year}",
                        expected="a census ratio (ratios.census_csv, national or the province's) or a detailed "
                        "national IO table",
                    )
                rows.append(
                    {"io_year": io_year, "province_code": code, "ratio": ratio, "value": value, "ratio_source": source}
                )
    return pd.DataFrame.from_records(rows, columns=RATIO_COLUMNS)
