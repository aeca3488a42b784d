"""Read a set of IO tables, check them, and lay them out as one tidy table."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from digecon.core.errors import InputError, TableCheckError
from digecon.inputs.checks import REPORT_COLUMNS, check_table, failures, gdp_gap_rows
from digecon.inputs.iotable import IOTable, read_io_table

log = logging.getLogger(__name__)

IO_TABLE_COLUMNS = [
    "province_code",
    "province",
    "year",
    "vintage",
    "sector_code",
    "sector_name",
    "sector_key",
    "compensation",
    "net_taxes",
    "depreciation",
    "operating_surplus",
    "value_added",
    "total_output",
    "total_input",
    "mining",
    "manufacturing",
    "utilities",
    "industry",
    "construction",
    "tertiary",
    "other_services",
    "unit",
    "source_file",
    "sheet",
    "excel_row",
    "excel_column",
]


def io_tables_frame(tables: Iterable[IOTable]) -> pd.DataFrame:
    """Stack tables into one tidy frame: one row per table x sector, with the source cells.

    Parameters
    ----------
    tables
        Tables read by :func:`digecon.inputs.iotable.read_io_table`.

    Returns
    -------
    DataFrame
        ``IO_TABLE_COLUMNS``, values in the table's unit (万元); ``province_code`` is 0 for
        national tables. Sorted by year, province code and sector code.
    """
    frames = [
        t.sectors.assign(
            province_code=t.province_code,
            province=t.province,
            year=t.year,
            vintage=t.vintage,
            unit=t.unit,
            source_file=t.file,
            sheet=t.sheet,
        )
        for t in tables
    ]
    frame = pd.concat(frames, ignore_index=True)[IO_TABLE_COLUMNS]
    return frame.sort_values(["year", "province_code", "sector_code"], ignore_index=True)


def ingest_io_tables(
    paths: Iterable[str | Path],
    concordance: pd.DataFrame,
    gdp: pd.DataFrame,
    *,
    allowed_units: tuple[str, ...],
    va_tolerance: float,
    ti_go_rel_tolerance: float,
    gdp_gap_warn: float,
    user_files: Iterable[str | Path] = (),
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read, check and stack IO tables.

    Parameters
    ----------
    paths
        IO-table files (.xls/.xlsx).
    concordance
        Sector concordance (:func:`digecon.inputs.concordance.load_concordance`).
    gdp
        Published GDP for the gap report (:func:`digecon.inputs.yearbook.gdp_for_checks`).
    allowed_units, va_tolerance, ti_go_rel_tolerance, gdp_gap_warn
        See :func:`digecon.inputs.iotable.read_io_table` and :func:`digecon.inputs.checks.check_table`.
    user_files
        The user's own tables among ``paths``: one replaces a built-in table of the same province
        and year (a ``replaced_by_user_table`` warning in the report and the log).

    Returns
    -------
    (io_tables, checks)
        The tidy table (``IO_TABLE_COLUMNS``) and the checks report (``REPORT_COLUMNS``).

    Raises
    ------
    InputError
        From the reader, for a structurally bad file; for two tables of one province and year
        that are both built-in or both the user's.
    TableCheckError
        If any identity check fails, listing every failure with file, cell, expected and found.
    """
    tables = [read_io_table(p, concordance, allowed_units=allowed_units, va_tolerance=va_tolerance) for p in paths]
    tables, replaced = _one_table_per_province_year(tables, set(map(str, user_files)))
    rows = [
        row
        for t in tables
        for row in check_table(t, va_tolerance=va_tolerance, ti_go_rel_tolerance=ti_go_rel_tolerance)
    ]
    rows += gdp_gap_rows(tables, gdp, warn_above=gdp_gap_warn)
    rows += replaced
    report = pd.DataFrame.from_records(rows).reindex(columns=REPORT_COLUMNS)
    report = report.sort_values(["year", "province_code", "check"], kind="stable", ignore_index=True)
    failed = failures(report)
    if failed:
        raise TableCheckError(failed)
    counts = report["status"].value_counts()
    log.info(
        "read %d tables; checks: %d ok, %d warn, %d not checked (reason in the report's message column)",
        len(tables),
        counts.get("ok", 0),
        counts.get("warn", 0),
        counts.get("not_checked", 0),
    )
    return io_tables_frame(tables), report


def _one_table_per_province_year(
    tables: list[IOTable], user_files: set[str]
) -> tuple[list[IOTable], list[dict[str, object]]]:
    """Keep one table per province-year: a user's table replaces a built-in one; any other repeat is an error."""
    chosen: dict[tuple[int, int], IOTable] = {}
    notes = []
    for t in tables:
        key = (t.province_code, t.year)
        other = chosen.get(key)
        if other is None:
            chosen[key] = t
            continue
        mine, theirs = t.file in user_files, other.file in user_files
        if mine == theirs:
            raise InputError(
                t.file,
                f"a second table for {t.province} {t.year}",
                expected="one table per province-year",
                found=f"also {other.file}",
            )
        user, builtin = (t, other) if mine else (other, t)
        chosen[key] = user
        message = f"the user's table {user.file} replaces the built-in {builtin.file}"
        log.warning("%s %d: %s", t.province, t.year, message)
        notes.append(
            {
                "file": user.file,
                "province_code": user.province_code,
                "province": user.province,
                "year": user.year,
                "check": "replaced_by_user_table",
                "status": "warn",
                "message": message,
            }
        )
    return list(chosen.values()), notes
