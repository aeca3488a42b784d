"""Write the small synthetic inputs of the test configuration (config/test/config.yaml).

Usage: python tools/make_synthetic_inputs.py [DEST] [--years 2002 2007 2012 2017 2020]

DEST (default data/synthetic) receives, made up from scratch (never copied from real data):

* ``io_tables/<province><year>.xlsx``: 42-sector IO tables in the NBS 2017 layout (the names of
  the packaged concordance's vintage of the table's year, or the latest before it) for four
  provinces and the nation (全国 = 1.05 x the sum of the provinces); Tibet (西藏) only has the
  last two rounds, as in the real data;
* ``indicators.csv``: annual indicators 2000-2023 in the long format of ``indicators.user_csv``
  (工业增加值, 第三产业增加值, 地区生产总值, and 其他行业增加值 only to 2019, so the chains splice);
* ``census_ratios.csv``: national census ratios of every census year and one provincial one.

Every value is a function of province, year and sector (no randomness), so a rerun writes the
same numbers and tests can compute the answers by hand: see :func:`sector_va`.
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

import openpyxl

from digecon.inputs.concordance import load_concordance

PROVINCES = {"北京": 1.0, "上海": 1.3, "广东": 2.5, "西藏": 0.1}  # size of each province's economy
SHORT_HISTORY = {"西藏"}  # provinces with only the last two rounds
NATIONAL = "全国"
NATIONAL_MARKUP = 1.05  # the national table is not the sum of the provinces' (as in the real data)
DIGITAL_GROWTH = {"electronics": 0.04, "information": 0.06, "culture": 0.02}  # extra yearly growth
VA_PARTS = {"VA001": 0.5, "VA002": 0.125, "VA003": 0.125, "VA004": 0.25}  # exact in binary: identities hold
FINAL_USE = ["TIU", "FU101", "TFU", "GO"]
ROW_LABELS = {
    "TII": "中间投入合计",
    "VA001": "劳动者报酬",
    "VA002": "生产税净额",
    "VA003": "固定资产折旧",
    "VA004": "营业盈余",
    "TVA": "增加值合计",
    "TI": "总投入",
}
INDICATOR_YEARS = range(2000, 2024)
OTHER_SERVICES_LAST_YEAR = 2019  # as in the NBS series: 其他行业增加值 stops, the chain splices
CENSUS = {2004: (0.80, 0.50), 2008: (0.75, 0.48), 2013: (0.60, 0.44), 2018: (0.35, 0.36), 2023: (0.30, 0.33)}


def sector_va(size: float, year: int, sector: int, key: str) -> float:
    """Give the value added of one sector, 万元: 13,000 x sector number x size, growing 8 % a year from 2002.

    Parameters
    ----------
    size
        The province's size (``PROVINCES``).
    year
        The table's year.
    sector
        Sector number, 1-42.
    key
        Its canonical key; the digital sectors grow faster (``DIGITAL_GROWTH``).

    Returns
    -------
    float
        Rounded to whole 万元.
    """
    growth = 1.08 + DIGITAL_GROWTH.get(key, 0.0)
    return round(13000.0 * sector * size * growth ** (year - 2002), 0)


def sectors(year: int) -> list[tuple[str, str]]:
    """List (name, sector_key) of the 42 sectors of the concordance vintage of ``year`` (the latest not after it).

    Parameters
    ----------
    year
        The table's year.

    Returns
    -------
    list of (str, str)
        In sector-code order.
    """
    table = load_concordance()
    vintage = max(v for v in table["vintage"].unique() if int(v) <= year)
    rows = table[table["vintage"] == vintage].drop_duplicates("sector_code")
    return list(zip(rows["sector_name"], rows["sector_key"], strict=True))


def table_rows(name: str, year: int, va: list[float]) -> list[list[object]]:
    """Lay out a consistent 42-sector table as NBS prints it (title, unit, header, sectors, VA rows).

    Parameters
    ----------
    name
        Province (or 全国), written into the title.
    year
        The table's year (title, and the concordance vintage of the sector names).
    va
        Value added of the 42 sectors, 万元; total output is 2.5 x VA, the rest intermediate input
        from the sector itself, so TI = GO and VA001-VA004 sum to TVA exactly.

    Returns
    -------
    list of list
        The rows, '' for empty cells.
    """
    n_columns = 3 + 42 + len(FINAL_USE)
    rows: list[list[object]] = [[""] * n_columns for _ in range(7)]
    rows[0][0] = f"{name}{year}年投入产出表"
    rows[1][0] = "（按当年生产者价格计算）"
    rows[2][0] = "单位：万元"
    rows[6][2] = "代码"
    rows.append(["代码", "", "-", *[f"{i:02d}" for i in range(1, 43)], *FINAL_USE])
    output = [v * 2.5 for v in va]  # VA is 40 % of output; the rest is the sector's own intermediate input
    for i, (sector, _) in enumerate(sectors(year), start=1):
        row: list[object] = ["", sector, f"{i:02d}", *[0.0] * 42, output[i - 1] - va[i - 1], 0.0, 0.0, output[i - 1]]
        row[2 + i] = output[i - 1] - va[i - 1]
        rows.append(row)
    values = {"TII": [o - v for o, v in zip(output, va, strict=True)]}
    values |= {code: [v * share for v in va] for code, share in VA_PARTS.items()}
    values |= {"TVA": va, "TI": output}
    for code, numbers in values.items():
        rows.append(["", ROW_LABELS[code], code, *numbers, "", "", "", ""])
    return rows


def write_table(rows: list[list[object]], path: Path) -> None:
    """Write rows as the one sheet of an .xlsx workbook ('' cells left empty).

    Parameters
    ----------
    rows
        From :func:`table_rows`.
    path
        The .xlsx file.
    """
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append([None if v == "" else v for v in row])
    book.save(path)


def write_tables(dest: Path, years: list[int]) -> None:
    """Write the provinces' tables and the national one for every year to ``dest/io_tables``.

    Parameters
    ----------
    dest
        The output folder.
    years
        The table years, ascending; provinces of ``SHORT_HISTORY`` get only the last two.
    """
    folder = dest / "io_tables"
    folder.mkdir(parents=True, exist_ok=True)
    for year in years:
        national = [0.0] * 42
        for name, size in PROVINCES.items():
            if name in SHORT_HISTORY and year < years[-2]:
                continue
            va = [sector_va(size, year, i, key) for i, (_, key) in enumerate(sectors(year), start=1)]
            national = [n + v for n, v in zip(national, va, strict=True)]
            write_table(table_rows(name, year, va), folder / f"{name}{year}.xlsx")
        national_va = [round(v * NATIONAL_MARKUP, 0) for v in national]
        write_table(table_rows(NATIONAL, year, national_va), folder / f"{NATIONAL}{year}.xlsx")


def indicator_rows() -> list[list[object]]:
    """List the indicator rows: province, year, indicator, value (亿元), unit, source."""
    rows = []
    for name, size in PROVINCES.items():
        for year in INDICATOR_YEARS:
            gdp = round(1000.0 * size * 1.08 ** (year - 2000), 2)
            values = {
                "地区生产总值": gdp,
                "工业增加值": round(gdp * (0.40 - 0.004 * (year - 2000)), 2),
                "第三产业增加值": round(gdp * (0.40 + 0.01 * (year - 2000)), 2),
            }
            if year <= OTHER_SERVICES_LAST_YEAR:
                values["其他行业增加值"] = round(values["第三产业增加值"] * 0.35, 2)
            rows += [[name, year, k, v, "亿元", "synthetic"] for k, v in values.items()]
    return rows


def census_rows() -> list[list[object]]:
    """List the census rows (census_year, province, ratio, value, source): national ratios and Beijing's own in 2018."""
    rows: list[list[object]] = []
    for year, (s_i63, r_media) in CENSUS.items():
        rows += [[year, NATIONAL, "s_I63", s_i63, "synthetic"], [year, NATIONAL, "r_media", r_media, "synthetic"]]
    rows.append([2018, "北京", "s_I63", 0.25, "synthetic"])
    return rows


def write_csv(path: Path, header: list[str], rows: list[list[object]]) -> None:
    """Write a UTF-8 CSV.

    Parameters
    ----------
    path
        The file.
    header
        Column names.
    rows
        Data rows.
    """
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def main(dest: Path, years: list[int]) -> None:
    """Write every synthetic input below ``dest``.

    Parameters
    ----------
    dest
        The output folder (created if needed).
    years
        IO-table years, in any order.
    """
    dest.mkdir(parents=True, exist_ok=True)
    write_tables(dest, sorted(years))
    write_csv(dest / "indicators.csv", ["province", "year", "indicator", "value", "unit", "source"], indicator_rows())
    write_csv(dest / "census_ratios.csv", ["census_year", "province", "ratio", "value", "source"], census_rows())


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dest", nargs="?", default="data/synthetic", type=Path)
    parser.add_argument("--years", nargs="+", type=int, default=[2002, 2007, 2012, 2017, 2020])
    arguments = parser.parse_args()
    main(arguments.dest, arguments.years)
