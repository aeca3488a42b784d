"""Versioned sector concordance: IO-table sector names of each vintage -> canonical sector keys.

The concordance is data (``data/sector_concordance.csv``): one row per vintage x sector as
printed, with the canonical ``sector_key`` and 0/1 membership of the aggregates used as
indicators. Sectors are matched on normalised names only -- codes move between vintages and
bare substrings mislead (2002's 仪器仪表及文化办公用机械制造业 contains 文化).

A vintage is a classification, labelled by the first year whose tables print its names, not a
list of table years: the 2017 names serve the 2017, 2020, 2022, 2023 ... tables until a newer
vintage is added as data rows. A table takes the vintage that knows all its names; where several
do (names shared between classifications), the latest one not after the table's year.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import pandas as pd

from digecon.core.errors import InputError, column_letter
from digecon.core.provinces import normalise_name

AGGREGATES = ("mining", "manufacturing", "utilities", "industry", "construction", "tertiary", "other_services")
DIGITAL_SECTORS = ("electronics", "information", "culture")
REQUIRED_COLUMNS = ("vintage", "sector_code", "sector_name", "sector_key", *AGGREGATES)
VINTAGE = re.compile(r"^\d{4}$")
N_SUGGESTIONS = 3


def load_concordance(path: str | Path | None = None) -> pd.DataFrame:
    """Read and validate the concordance (the packaged one when ``path`` is None).

    Parameters
    ----------
    path
        A concordance CSV with ``REQUIRED_COLUMNS``, or None for ``digecon/data/sector_concordance.csv``.

    Returns
    -------
    DataFrame
        The concordance (``vintage`` and ``sector_code`` as text) plus ``name_key``, the
        normalised sector name (:func:`digecon.core.provinces.normalise_name`).

    Raises
    ------
    InputError
        If columns are missing, a vintage is not a year, or a name is mapped twice within a vintage.
    """
    if path is None:
        source = files("digecon.data").joinpath("sector_concordance.csv")
        label = "digecon/data/sector_concordance.csv"
        with source.open(encoding="utf-8") as handle:
            table = pd.read_csv(handle, dtype={"vintage": str, "sector_code": str})
    else:
        label = str(path)
        table = pd.read_csv(path, dtype={"vintage": str, "sector_code": str})
    missing = [c for c in REQUIRED_COLUMNS if c not in table.columns]
    if missing:
        raise InputError(
            label, "concordance lacks columns", expected=", ".join(REQUIRED_COLUMNS), found=", ".join(table.columns)
        )
    bad_vintages = sorted({str(v) for v in table["vintage"] if not VINTAGE.match(str(v))})
    if bad_vintages:
        raise InputError(
            label,
            "concordance vintages must be years",
            expected="the first year whose tables print the vintage's names, e.g. 2017",
            found=", ".join(bad_vintages),
        )
    table["name_key"] = table["sector_name"].map(normalise_name)
    duplicated = table[table.duplicated(["vintage", "name_key"], keep=False)]
    if not duplicated.empty:
        listing = "; ".join(f"{r.vintage} {r.sector_name}" for r in duplicated.itertuples())
        raise InputError(label, f"sector names mapped more than once: {listing}")
    return table


def _name_index(concordance: pd.DataFrame) -> dict[str, dict[str, int]]:
    """Index the concordance: vintage -> normalised name -> row label (a plain dict: ~170 rows, cheap to build)."""
    index: dict[str, dict[str, int]] = {}
    for label, vintage, name_key in zip(
        concordance.index, concordance["vintage"], concordance["name_key"], strict=True
    ):
        index.setdefault(str(vintage), {})[name_key] = label
    return index


@dataclass(frozen=True)
class SectorMatch:
    """Result of matching a table's sector names: the vintage and one concordance row per sector."""

    vintage: str
    rows: pd.DataFrame  # concordance rows in the table's sector order


@dataclass(frozen=True)
class _Where:
    """Where a table's sector names stand, for error messages (0-based rows and column)."""

    file: str
    sheet: str
    rows: list[int]
    column: int

    def cell(self, i: int) -> str:
        """Give the spreadsheet address of the i-th name, e.g. 'B28'."""
        return f"{column_letter(self.column)}{self.rows[i] + 1}"


def _by_year(vintages: list[str], year: int | None) -> str:
    """Pick the latest vintage not after ``year`` (the earliest if all are later; the latest without a year)."""
    ordered = sorted(vintages, key=int)
    if year is None:
        return ordered[-1]
    # Tables older than every candidate keep the earliest: its names are the nearest in time.
    return ([v for v in ordered if int(v) <= year] or ordered[:1])[-1]


def _suggest(key: str, vintage_names: dict[str, str], placed: set[str], concordance: pd.DataFrame) -> str:
    """Suggest names for an unplaced one: the vintage's names no other row took, else any known name."""
    free = {k: n for k, n in vintage_names.items() if k not in placed}
    close = difflib.get_close_matches(key, list(free), n=N_SUGGESTIONS, cutoff=0.4)
    if close:
        return "closest known names: " + ", ".join(free[k] for k in close)
    known = dict(zip(concordance["name_key"], concordance["sector_name"], strict=True))
    close = difflib.get_close_matches(key, list(known), n=N_SUGGESTIONS, cutoff=0.4)
    return "closest known names: " + ", ".join(known[k] for k in close) if close else "no similar name is known"


def _unknown_names(
    names: list[str], keys: list[str], unknown: list[int], vintage: str, concordance: pd.DataFrame, where: _Where
) -> InputError:
    """Build one error listing every name the nearest vintage lacks, with its cell and nearest known names."""
    rows = concordance[concordance["vintage"].astype(str) == vintage]
    vintage_names = dict(zip(rows["name_key"], rows["sector_name"], strict=True))
    placed = {k for i, k in enumerate(keys) if i not in unknown}
    hints = [_suggest(keys[i], vintage_names, placed, concordance) for i in unknown]
    if len(unknown) == 1:
        i = unknown[0]
        return InputError(
            where.file,
            f"sector name not in the concordance; {hints[0]}; add it to the concordance if it is a new vintage",
            sheet=where.sheet,
            row=where.rows[i],
            column=where.column,
            expected=f"a sector name of the {vintage} vintage",
            found=f"'{names[i]}'",
        )
    listing = "; ".join(f"{where.cell(i)} '{names[i]}' ({hint})" for i, hint in zip(unknown, hints, strict=True))
    return InputError(
        where.file,
        f"{len(unknown)} sector names not in the concordance: {listing}; "
        "add them to the concordance if they are a new vintage",
        sheet=where.sheet,
        column=where.column,
        expected=f"sector names of the {vintage} vintage",
    )


def _refuse_duplicates(matched: pd.DataFrame, names: list[str], where: _Where) -> None:
    """Refuse a sector key that two rows of the table map to (a duplicated sector)."""
    seen: dict[str, int] = {}
    for i, key in enumerate(matched["sector_key"]):
        if key in seen:
            raise InputError(
                where.file,
                f"sector '{key}' appears twice (rows {where.rows[seen[key]] + 1} and {where.rows[i] + 1})",
                sheet=where.sheet,
                row=where.rows[i],
                column=where.column,
                expected="each sector once",
                found=f"'{names[i]}' again",
            )
        seen[key] = i


def match_sectors(
    names: list[str],
    concordance: pd.DataFrame,
    *,
    year: int | None,
    file: str,
    sheet: str,
    rows: list[int],
    column: int,
) -> SectorMatch:
    """Find the concordance vintage whose names cover every sector name of a table.

    Parameters
    ----------
    names
        Sector names as printed, in table order.
    concordance
        As returned by :func:`load_concordance`.
    year
        The table's year; breaks ties between vintages that share all names. Any year is
        accepted: a vintage serves every year from its own until the next vintage's.
    file, sheet, rows, column
        Where the names stand, for error messages (0-based rows and column).

    Returns
    -------
    SectorMatch
        The vintage that knows every name (when several do: the latest one not after ``year``,
        the earliest if all are later) and its concordance row for each name, in table order.

    Raises
    ------
    InputError
        Listing every sector name that the nearest vintage does not know, each with its cell
        and its closest known names; or a sector key that two rows of the table map to (a
        duplicated sector).
    """
    where = _Where(file, sheet, rows, column)
    keys = [normalise_name(n) for n in names]
    index = _name_index(concordance)
    if not index:
        raise InputError(file, "the concordance is empty", sheet=sheet, expected="sector names of at least one vintage")
    unknown = {vintage: [i for i, k in enumerate(keys) if k not in lookup] for vintage, lookup in index.items()}
    fewest = min(len(u) for u in unknown.values())
    nearest = _by_year([v for v, u in unknown.items() if len(u) == fewest], year)
    if fewest:
        raise _unknown_names(names, keys, unknown[nearest], nearest, concordance, where)
    matched = concordance.loc[[index[nearest][k] for k in keys]].reset_index(drop=True)
    _refuse_duplicates(matched, names, where)
    return SectorMatch(nearest, matched)
