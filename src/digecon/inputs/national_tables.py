"""National 42-sector IO tables of years without regional tables (ionet .rda): every sector's value added.

The R package ``ionet`` ships the NBS national 42-sector tables of 2005, 2015, 2017, 2018 and 2020
as data frames: one row per product (codes ``01``..``42``; the 2017-vintage tables repeat them for
imported inputs, ``Origin`` Imported), then the rows ``TII``, ``VA001``..``VA004``, ``TVA`` and
``TI``; one column per sector, named by the same two-digit code. A sector's value added is the
``TVA`` row in its column (万元, producer prices of the table year).

Sector codes move between vintages (2005: electronics 19, information 29; 2015: 20 and 32;
2018/2020: 20 and 31), so every sector is classified by normalised NAME through the packaged
concordance exactly as the regional tables are (:func:`digecon.inputs.concordance.match_sectors`:
2005 prints its own mix of the 2002 and 2007 names, 2015 those of 2012, 2017-2020 those of
2017), which also gives each sector's aggregate flags (industry, tertiary, other services ...);
never by code or position, never by substring. The national consistency report uses the digital
sectors, the national coefficients of the ``national`` method the aggregates as well.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd

from digecon.core.errors import InputError
from digecon.inputs.concordance import AGGREGATES, DIGITAL_SECTORS, load_concordance, match_sectors

NATIONAL_TABLE_COLUMNS = [
    "year",
    "vintage",
    "sector_key",
    "sector_code",
    "sector_name",
    "value_added_10k_yuan",
    *AGGREGATES,
    "source_file",
]
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


def _classified(rows: pd.DataFrame, concordance: pd.DataFrame, path: Path, year: int) -> pd.DataFrame:
    """Match every sector name through the concordance (vintage, flags); refuse a table without a digital sector."""
    names = rows["DescriptionInChinese"].astype(str).tolist()
    column = rows.columns.get_loc("DescriptionInChinese")
    match = match_sectors(
        names, concordance, year=year, file=str(path), sheet=path.stem, rows=list(rows.index), column=column
    )
    absent = [k for k in DIGITAL_SECTORS if k not in set(match.rows["sector_key"])]
    if absent:
        raise InputError(
            path,
            f"no {', '.join(absent)} sector among the sector names (vintage {match.vintage})",
            expected=f"the digital sectors {', '.join(DIGITAL_SECTORS)}",
        )
    return match.rows.assign(vintage=match.vintage)


def read_national_io_va(
    path: str | Path, year: int, *, concordance: pd.DataFrame | None = None, va_tolerance: float = 5.0
) -> pd.DataFrame:
    """Value added of every sector of one national 42-sector table (万元), classified by name.

    Parameters
    ----------
    path
        An ionet 42-sector .rda table (its first object is the table).
    year
        The table's year (from the registry: ionet names files ``china_<year>_42.rda``).
    concordance
        From :func:`digecon.inputs.concordance.load_concordance` (default: the packaged one); the
        table takes the vintage whose names cover all its sectors.
    va_tolerance
        Largest accepted |VA001+VA002+VA003+VA004 - TVA| per sector, 万元.

    Returns
    -------
    DataFrame
        ``NATIONAL_TABLE_COLUMNS``: one row per sector in code order, with its ``vintage``,
        canonical ``sector_key``, code and name as printed, ``value_added_10k_yuan`` (万元), the
        concordance's 0/1 aggregate flags and ``source_file`` (the file name).

    Raises
    ------
    InputError
        For a file without the ``Code``/``DescriptionInChinese`` columns, not exactly 42 sector
        codes, a sector code without its column, a missing or repeated TVA row, a VA identity gap
        beyond ``va_tolerance``, a sector name the concordance does not know (listing each with its
        row and the nearest known names), a sector twice, or a table without a digital sector.
    """
    path = Path(path)
    table = _read_frame(path)
    rows = _sectors(table, path)
    codes = list(rows["Code"])
    _check_va_identity(table, codes, path, va_tolerance)
    tva = _row(table, "TVA", path)
    concordance = load_concordance() if concordance is None else concordance
    classified = _classified(rows, concordance, path, int(year))
    frame = classified[["vintage", "sector_key", *AGGREGATES]].assign(
        sector_code=codes,
        sector_name=rows["DescriptionInChinese"].astype(str).to_numpy(),
        value_added_10k_yuan=[float(tva[c]) for c in codes],
    )
    return frame.assign(year=int(year), source_file=path.name).reindex(columns=NATIONAL_TABLE_COLUMNS)
