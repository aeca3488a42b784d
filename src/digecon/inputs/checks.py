"""Consistency checks on every IO table, collected into one report.

Statuses: ``ok``; ``warn`` (reported, does not stop the pipeline); ``fail`` (stops it);
``not_checked`` (the check could not be made, e.g. no published GDP for that year; the message says why).
The gap between a table's total value added and the province's published GDP is only
reported: some tables follow a different GDP vintage (2012 Jiangsu +11 %, 2017 Anhui +8 %).
"""

from __future__ import annotations

import pandas as pd

from digecon.inputs.iotable import VA_COMPONENTS, IOTable

ROUNDING_10K_YUAN = 1.0  # published cells are rounded; differences below this are noise
REPORT_COLUMNS = [
    "file",
    "province_code",
    "province",
    "year",
    "check",
    "sector_code",
    "sector_name",
    "cell",
    "expected",
    "found",
    "difference",
    "tolerance",
    "status",
    "message",
]


def _row(table: IOTable, check: str, **fields: object) -> dict[str, object]:
    """Build one report row: the table's file, province and year, the check's name and ``fields``."""
    return {
        "file": table.file,
        "province_code": table.province_code,
        "province": table.province,
        "year": table.year,
        "check": check,
        **fields,
    }


def _identity_rows(
    table: IOTable,
    check: str,
    *,
    difference: pd.Series,
    status: pd.Series,
    expected: pd.Series,
    found: pd.Series,
    cells: pd.Series,
    messages: pd.Series,
    tolerance: float,
    summary: str,
) -> list[dict[str, object]]:
    """Report one identity: a row per sector that is not ``ok``, then a summary row with the largest difference."""
    s = table.sectors
    rows = [
        _row(
            table,
            check,
            sector_code=s.at[i, "sector_code"],
            sector_name=s.at[i, "sector_name"],
            cell=cells[i],
            expected=expected[i],
            found=found[i],
            difference=difference[i],
            tolerance=tolerance,
            status=status[i],
            message=messages[i],
        )
        for i in s.index[status != "ok"]
    ]
    worst = difference.abs().idxmax()
    rows.append(
        _row(
            table,
            check,
            sector_code=s.at[worst, "sector_code"],
            expected=0,
            found=difference[worst],
            difference=difference[worst],
            tolerance=tolerance,
            status=status[worst],
            message=summary,
        )
    )
    return rows


def _sector_count_row(table: IOTable) -> dict[str, object]:
    """Record the sector count (the reader has already refused any table without 42 mapped sectors)."""
    return _row(
        table,
        "sector_count",
        expected=42,
        found=len(table.sectors),
        difference=0,
        tolerance=0,
        status="ok",
        message="42 sectors, each mapped once by the concordance",
    )


def _va_identity_rows(table: IOTable, va_tolerance: float) -> list[dict[str, object]]:
    """Check VA001+VA002+VA003+VA004 = TVA per sector: ``fail`` beyond ``va_tolerance`` 万元."""
    s = table.sectors
    va_sum = s[list(VA_COMPONENTS)].sum(axis=1)
    va_diff = va_sum - s["value_added"]
    return _identity_rows(
        table,
        "va_identity",
        difference=va_diff,
        status=pd.Series("ok", s.index).where(va_diff.abs() <= va_tolerance, "fail"),
        expected=s["value_added"],
        found=va_sum,
        cells=s["excel_column"] + str(table.code_rows["TVA"]),
        messages=pd.Series("VA001+VA002+VA003+VA004 differs from TVA", s.index),
        tolerance=va_tolerance,
        summary="largest |VA001+..+VA004 - TVA| over the 42 sectors, 万元",
    )


def _ti_go_rows(table: IOTable, ti_go_rel_tolerance: float) -> list[dict[str, object]]:
    """Check TI = GO per sector: ``warn`` above rounding (1 万元), ``fail`` beyond the relative tolerance."""
    s = table.sectors
    ti_diff = s["total_input"] - s["total_output"]
    above_rounding = ti_diff.abs() > ROUNDING_10K_YUAN
    # Relative size only matters above rounding: tiny sectors (GO of a few 万元) would otherwise fail.
    relative = (ti_diff.abs() / s["total_output"].abs().where(s["total_output"] != 0)).fillna(0.0)
    relative = relative.where(above_rounding, 0.0)
    status = pd.Series("ok", s.index).where(~above_rounding, "warn").where(relative <= ti_go_rel_tolerance, "fail")
    return _identity_rows(
        table,
        "ti_equals_go",
        difference=ti_diff,
        status=status,
        expected=s["total_output"],
        found=s["total_input"],
        cells=s["excel_column"] + str(table.code_rows["TI"]) + " vs " + table.go_column + s["excel_row"].astype(str),
        messages=relative.map(lambda r: f"total input differs from total output by {r:.3%}"),
        tolerance=ti_go_rel_tolerance,
        summary="largest |TI - GO| over the 42 sectors, 万元",
    )


def _blank_rows(table: IOTable) -> list[dict[str, object]]:
    """Warn about each blank VA001-VA004 cell the reader took as 0 (the VA identity holds with it)."""
    return [
        _row(
            table,
            "blank_read_as_zero",
            cell=cell.split(" ")[0],
            expected=0,
            found="blank",
            status="warn",
            message=f"blank {cell} read as 0: the VA identity holds with it",
        )
        for cell in table.blank_as_zero
    ]


def check_table(table: IOTable, *, va_tolerance: float, ti_go_rel_tolerance: float) -> list[dict[str, object]]:
    """Check one table's identities; one summary row per check plus a row per offending sector.

    Parameters
    ----------
    table
        A table from :func:`digecon.inputs.iotable.read_io_table`.
    va_tolerance
        Largest accepted |VA001+VA002+VA003+VA004 - TVA| per sector, 万元.
    ti_go_rel_tolerance
        Largest accepted |TI - GO| / GO per sector; any difference above rounding (1 万元) is
        reported as a warning.

    Returns
    -------
    list of dict
        Report rows (``REPORT_COLUMNS``): the sector count; per identity (``va_identity``,
        ``ti_equals_go``) a row per sector that is not ``ok`` and a summary row with the largest
        difference; a ``blank_read_as_zero`` warning per blank cell read as 0. Failures are
        reported here, not raised (see :func:`failures`).
    """
    return [
        _sector_count_row(table),
        *_va_identity_rows(table, va_tolerance),
        *_ti_go_rows(table, ti_go_rel_tolerance),
        *_blank_rows(table),
    ]


def gdp_gap_rows(tables: list[IOTable], gdp: pd.DataFrame, *, warn_above: float) -> list[dict[str, object]]:
    """Compare each table's total value added with published GDP (report only, never fail).

    Parameters
    ----------
    tables
        Tables read from the files.
    gdp
        Long frame with ``province_code``, ``year``, ``series`` (e.g. ``first_published``,
        ``revised``), ``value_100m_yuan`` and ``source``.
    warn_above
        Relative gap above which the row's status is ``warn`` instead of ``ok``.

    Returns
    -------
    list of dict
        One ``gdp_gap_<series>`` row per table and GDP series: ``expected`` the published GDP and
        ``found`` the table's total VA (both 亿元), ``difference`` the relative gap; ``not_checked``
        where the series has no value for that province and year.
    """
    lookup = gdp.set_index(["province_code", "year", "series"])
    rows = []
    for table in tables:
        total = table.sectors["value_added"].sum() / 1e4
        for series in sorted(gdp["series"].unique()):
            key = (table.province_code, table.year, series)
            if key not in lookup.index:
                rows.append(
                    _row(
                        table,
                        f"gdp_gap_{series}",
                        found=total,
                        status="not_checked",
                        message=f"not checked: no {series} GDP for this province and year",
                    )
                )
                continue
            published = float(lookup.at[key, "value_100m_yuan"])
            gap = total / published - 1
            rows.append(
                _row(
                    table,
                    f"gdp_gap_{series}",
                    expected=published,
                    found=total,
                    difference=gap,
                    tolerance=warn_above,
                    status="warn" if abs(gap) > warn_above else "ok",
                    message=f"table total VA {total:,.1f} 亿元 vs {series} GDP {published:,.1f} 亿元 "
                    f"({gap:+.1%}; {lookup.at[key, 'source']})",
                )
            )
    return rows


def failures(report: pd.DataFrame) -> list[str]:
    """List the messages of the failed per-sector rows of a checks report.

    Parameters
    ----------
    report
        The checks report (``REPORT_COLUMNS``).

    Returns
    -------
    list of str
        One message per failed row with a cell: file, check, sector, cell, expected and found
        (万元) and the tolerance; summary rows are left out.
    """
    failed = report[(report["status"] == "fail") & report["cell"].notna()]  # per-sector rows, not summaries
    return [
        f"{r.file}: {r.check} failed for sector {r.sector_code} {r.sector_name} at cell {r.cell}: "
        f"{r.message}; expected {r.expected:,.2f}, found {r.found:,.2f} (tolerance {r.tolerance})"
        for r in failed.itertuples()
    ]
