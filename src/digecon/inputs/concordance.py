"""Versioned sector concordance: IO-table sector names of each vintage -> canonical sector keys.

The concordance is data (``data/sector_concordance.csv``): one row per vintage x sector as
printed, with the canonical ``sector_key`` and 0/1 membership of the aggregates used as
indicators. Sectors are matched on normalised names only -- codes move between vintages and
bare substrings mislead (2002's 仪器仪表及文化办公用机械制造业 contains 文化).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import pandas as pd

from digecon.core.errors import InputError
from digecon.core.provinces import normalise_name

AGGREGATES = ("mining", "manufacturing", "utilities", "industry", "construction", "tertiary", "other_services")
DIGITAL_SECTORS = ("electronics", "information", "culture")
REQUIRED_COLUMNS = ("vintage", "sector_code", "sector_name", "sector_key", *AGGREGATES)


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
        If columns are missing, or a name is mapped twice within a vintage.
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
        The table's year; breaks ties between vintages that share all names.
    file, sheet, rows, column
        Where the names stand, for error messages (0-based rows and column).

    Returns
    -------
    SectorMatch
        The vintage that knows every name (when several do: the one equal to ``year``, else the
        latest) and its concordance row for each name, in table order.

    Raises
    ------
    InputError
        Naming the first sector whose name no vintage knows, with the closest known names,
        or a sector key that two rows of the table map to (a duplicated sector).
    """
    keys = [normalise_name(n) for n in names]
    candidates = []
    for vintage, lookup in _name_index(concordance).items():
        unknown = [i for i, k in enumerate(keys) if k not in lookup]
        candidates.append((len(unknown), vintage, unknown, lookup))
    complete = [c for c in candidates if c[0] == 0]
    if not complete:
        _, vintage, unknown, lookup = min(candidates, key=lambda c: c[0])
        i = unknown[0]
        suggestions = difflib.get_close_matches(keys[i], list(concordance["name_key"].unique()), n=3, cutoff=0.4)
        hint = f"closest known names: {', '.join(suggestions)}" if suggestions else "no similar name is known"
        others = f" ({len(unknown) - 1} more unknown)" if len(unknown) > 1 else ""
        raise InputError(
            file,
            f"sector name not in the concordance{others}; {hint}; add it to the concordance if it is a new vintage",
            sheet=sheet,
            row=rows[i],
            column=column,
            expected=f"a sector name of the {vintage} vintage",
            found=f"'{names[i]}'",
        )
    same_year = [c for c in complete if year is not None and c[1] == str(year)]
    _, vintage, _, lookup = (same_year or sorted(complete, key=lambda c: c[1]))[-1]
    matched = concordance.loc[[lookup[k] for k in keys]].reset_index(drop=True)
    seen: dict[str, int] = {}
    for i, key in enumerate(matched["sector_key"]):
        if key in seen:
            raise InputError(
                file,
                f"sector '{key}' appears twice (rows {rows[seen[key]] + 1} and {rows[i] + 1})",
                sheet=sheet,
                row=rows[i],
                column=column,
                expected="each sector once",
                found=f"'{names[i]}' again",
            )
        seen[key] = i
    return SectorMatch(str(vintage), matched)
