"""National 42-sector IO tables of years without regional tables (ionet .rda), for the national consistency report.

The R package ``ionet`` ships the NBS national 42-sector tables of 2005, 2015, 2018 and 2020 as
data frames: one row per product (codes ``01``..``42``; the 2018 and 2020 tables repeat them for
imported inputs, ``Origin`` Imported), then the rows ``TII``, ``VA001``..``VA004``, ``TVA`` and
``TI``; one column per sector, named by the same two-digit code. A sector's value added is the
``TVA`` row in its column (万元, producer prices of the table year).

Sector codes move between vintages (2005: electronics 19, information 29; 2015: 20 and 30;
2018/2020: 20 and 31), so the digital sectors are found by normalised NAME, among the names the
packaged concordance knows for them in any vintage (2005 prints the 2002/2007 names, 2015 those
of 2012, 2018 and 2020 those of 2017); never by code or position, never by substring.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd

from digecon.core.errors import InputError
from digecon.core.provinces import normalise_name
from digecon.inputs.concordance import DIGITAL_SECTORS, load_concordance

NATIONAL_TABLE_COLUMNS = ["year", "sector_key", "sector_code", "sector_name", "value_added_10k_yuan", "source_file"]
ALL_SECTORS = "all_sectors"  # sector_key of the row that sums the TVA of every sector (the table's total VA)
N_SECTORS = 42
VA_PARTS = ("VA001", "VA002", "VA003", "VA004")
SECTOR_CODE = re.compile(r"\d{2}")
REQUIRED = ("Code", "DescriptionInChinese")


def _read_frame(path: Path) -> pd.DataFrame:
    """Read the table of an .rda file (its first object), with ``Code`` as text; refuse missing columns."""
    import rdata  # only needed for the national tables

    objects = rdata.read_rda(str(path))
    if not objects:
        raise InputError(path, "the .rda file holds no object", expected="one data frame (an ionet IO table)")
    table = next(iter(objects.values()))
    if not isinstance(table, pd.DataFrame):
        raise InputError(path, "the .rda object is not a data frame", expected="an ionet IO table")
    table = table.rename(columns=str)
    missing = [c for c in REQUIRED if c not in table.columns]
    if missing:
        raise InputError(path, f"columns {', '.join(missing)} missing", expected=", ".join(REQUIRED))
    return table.assign(Code=table["Code"].astype(str).str.strip()).reset_index(drop=True)


def _sectors(table: pd.DataFrame, path: Path) -> pd.DataFrame:
    """Select the product rows of the 42 sectors (the first, domestic, occurrence of each code), checked."""
    rows = table[table["Code"].str.fullmatch(SECTOR_CODE)].drop_duplicates("Code")
    if len(rows) != N_SECTORS:
        raise InputError(
            path, "not a 42-sector table", expected=f"{N_SECTORS} sector codes 01..42", found=f"{len(rows)}"
        )
    absent = [c for c in rows["Code"] if c not in table.columns]
    if absent:
        raise InputError(path, f"no column for sector(s) {', '.join(absent)}", expected="one column per sector code")
    return rows


def _row(table: pd.DataFrame, code: str, path: Path) -> pd.Series:
    """Pick the single row with ``Code == code`` (the total row where the table splits by origin)."""
    rows = table[table["Code"] == code]
    if len(rows) != 1:
        raise InputError(path, f"{len(rows)} rows with Code '{code}'", expected="exactly one")
    return rows.iloc[0]


def _check_va_identity(table: pd.DataFrame, codes: list[str], path: Path, tolerance: float) -> None:
    """VA001 + VA002 + VA003 + VA004 = TVA in every sector column, within ``tolerance`` 万元."""
    tva = _row(table, "TVA", path)
    parts = [_row(table, p, path) for p in VA_PARTS] if set(VA_PARTS) <= set(table["Code"]) else []
    for code in codes:
        value = float(tva[code])
        if not math.isfinite(value) or value < 0:
            raise InputError(path, f"TVA of sector {code} is not a non-negative number", found=f"{value}")
        if parts:
            gap = sum(float(p[code]) for p in parts) - value
            if abs(gap) > tolerance:
                raise InputError(
                    path,
                    f"sector {code}: VA001+VA002+VA003+VA004 differs from TVA by {gap:,.1f} 万元",
                    expected=f"at most {tolerance} 万元",
                    found=f"TVA {value:,.1f}",
                )


def _digital_rows(rows: pd.DataFrame, concordance: pd.DataFrame, path: Path) -> list[tuple[str, str, str]]:
    """(sector_key, code, name as printed) of each digital sector, found once by name."""
    names = rows["DescriptionInChinese"].astype(str)
    keys = names.map(normalise_name)
    found = []
    for key in DIGITAL_SECTORS:
        known = set(concordance.loc[concordance["sector_key"] == key, "name_key"])
        hit = rows[keys.isin(known)]
        if len(hit) != 1:
            printed = sorted(set(concordance.loc[concordance["sector_key"] == key, "sector_name"]))
            raise InputError(
                path,
                f"the {key} sector found {len(hit)} times among the sector names",
                expected=f"exactly one of {', '.join(printed)} (add a new name to the concordance)",
                found=", ".join(names[keys.isin(known)]) or None,
            )
        found.append((key, str(hit["Code"].iloc[0]), str(hit["DescriptionInChinese"].iloc[0])))
    return found


def read_national_io_va(
    path: str | Path, year: int, *, concordance: pd.DataFrame | None = None, va_tolerance: float = 5.0
) -> pd.DataFrame:
    """Value added of the digital sectors and of the whole economy in one national 42-sector table (万元).

    Parameters
    ----------
    path
        An ionet 42-sector .rda table (its first object is the table).
    year
        The table's year (from the registry: ionet names files ``china_<year>_42.rda``).
    concordance
        From :func:`digecon.inputs.concordance.load_concordance` (default: the packaged one); the
        digital sectors are matched against the names it lists for them in any vintage.
    va_tolerance
        Largest accepted |VA001+VA002+VA003+VA004 - TVA| per sector, 万元.

    Returns
    -------
    DataFrame
        ``NATIONAL_TABLE_COLUMNS``: one row per digital sector (``electronics``, ``information``,
        ``culture``) and one ``all_sectors`` row (the sum of TVA over the 42 sectors; code and name
        empty); ``value_added_10k_yuan`` in 万元, ``source_file`` the file name.

    Raises
    ------
    InputError
        For a file without the ``Code``/``DescriptionInChinese`` columns, not exactly 42 sector
        codes, a sector code without its column, a missing or repeated TVA row, a VA identity gap
        beyond ``va_tolerance``, or a digital sector not found exactly once by name.
    """
    path = Path(path)
    table = _read_frame(path)
    rows = _sectors(table, path)
    codes = list(rows["Code"])
    _check_va_identity(table, codes, path, va_tolerance)
    tva = _row(table, "TVA", path)
    concordance = load_concordance() if concordance is None else concordance
    records = [(key, code, name, float(tva[code])) for key, code, name in _digital_rows(rows, concordance, path)]
    records.append((ALL_SECTORS, "", "", float(sum(float(tva[c]) for c in codes))))
    frame = pd.DataFrame.from_records(
        records, columns=["sector_key", "sector_code", "sector_name", "value_added_10k_yuan"]
    )
    return frame.assign(year=int(year), source_file=path.name).reindex(columns=NATIONAL_TABLE_COLUMNS)
