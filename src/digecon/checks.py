"""Consistency checks on every IO table, collected into one report.

Statuses: ``ok``; ``warn`` (reported, does not stop the pipeline); ``fail`` (stops it).
The gap between a table's total value added and the province's published GDP is only
reported: some tables follow a different GDP vintage (2012 Jiangsu +11 %, 2017 Anhui +8 %).
"""

from __future__ import annotations

import pandas as pd

from digecon.iotable import VA_COMPONENTS, IOTable

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
    return {
        "file": table.file,
        "province_code": table.province_code,
        "province": table.province,
        "year": table.year,
        "check": check,
        **fields,
    }


def check_table(table: IOTable, *, va_tolerance: float, ti_go_rel_tolerance: float) -> list[dict[str, object]]:
    """Check one table's identities; one summary row per check plus a row per offending sector.

    Parameters
    ----------
    table
        A table from :func:`digecon.iotable.read_io_table`.
    va_tolerance
        Largest accepted |VA001+VA002+VA003+VA004 - TVA| per sector, 万元.
    ti_go_rel_tolerance
        Largest accepted |TI - GO| / GO per sector; any difference above rounding is reported.
    """
    s = table.sectors
    rows: list[dict[str, object]] = []
    rows.append(
        _row(
            table,
            "sector_count",
            expected=42,
            found=len(s),
            difference=0,
            tolerance=0,
            status="ok",
            message="42 sectors, each mapped once by the concordance",
        )
    )

    va_sum = s[list(VA_COMPONENTS)].sum(axis=1)
    va_diff = va_sum - s["value_added"]
    for i in s.index[va_diff.abs() > va_tolerance]:
        rows.append(
            _row(
                table,
                "va_identity",
                sector_code=s.at[i, "sector_code"],
                sector_name=s.at[i, "sector_name"],
                cell=f"{s.at[i, 'excel_column']}{table.code_rows['TVA']}",
                expected=s.at[i, "value_added"],
                found=va_sum[i],
                difference=va_diff[i],
                tolerance=va_tolerance,
                status="fail",
                message="VA001+VA002+VA003+VA004 differs from TVA",
            )
        )
    worst = va_diff.abs().idxmax()
    rows.append(
        _row(
            table,
            "va_identity",
            sector_code=s.at[worst, "sector_code"],
            expected=0,
            found=va_diff[worst],
            difference=va_diff[worst],
            tolerance=va_tolerance,
            status="fail" if abs(va_diff[worst]) > va_tolerance else "ok",
            message="largest |VA001+..+VA004 - TVA| over the 42 sectors, 万元",
        )
    )

    ti_diff = s["total_input"] - s["total_output"]
    # Relative size only matters above rounding: tiny sectors (GO of a few 万元) would otherwise fail.
    relative = (ti_diff.abs() / s["total_output"].abs().where(s["total_output"] != 0)).fillna(0.0)
    relative = relative.where(ti_diff.abs() > ROUNDING_10K_YUAN, 0.0)
    for i in s.index[ti_diff.abs() > ROUNDING_10K_YUAN]:
        status = "fail" if relative[i] > ti_go_rel_tolerance else "warn"
        rows.append(
            _row(
                table,
                "ti_equals_go",
                sector_code=s.at[i, "sector_code"],
                sector_name=s.at[i, "sector_name"],
                cell=f"{s.at[i, 'excel_column']}{table.code_rows['TI']} vs {table.go_column}{s.at[i, 'excel_row']}",
                expected=s.at[i, "total_output"],
                found=s.at[i, "total_input"],
                difference=ti_diff[i],
                tolerance=ti_go_rel_tolerance,
                status=status,
                message=f"total input differs from total output by {relative[i]:.3%}",
            )
        )
    worst = ti_diff.abs().idxmax()
    rows.append(
        _row(
            table,
            "ti_equals_go",
            sector_code=s.at[worst, "sector_code"],
            expected=0,
            found=ti_diff[worst],
            difference=ti_diff[worst],
            tolerance=ti_go_rel_tolerance,
            status="fail"
            if relative[worst] > ti_go_rel_tolerance
            else "warn"
            if abs(ti_diff[worst]) > ROUNDING_10K_YUAN
            else "ok",
            message="largest |TI - GO| over the 42 sectors, 万元",
        )
    )

    for cell in table.blank_as_zero:
        rows.append(
            _row(
                table,
                "blank_read_as_zero",
                cell=cell.split(" ")[0],
                expected=0,
                found="blank",
                status="warn",
                message=f"blank {cell} read as 0: the VA identity holds with it",
            )
        )
    return rows


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
                        status="ok",
                        message=f"no {series} GDP for this province and year; gap not computed",
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
    """Messages for the failed rows of a checks report: file, cell, expected and found."""
    failed = report[(report["status"] == "fail") & report["cell"].notna()]  # per-sector rows, not summaries
    return [
        f"{r.file}: {r.check} failed for sector {r.sector_code} {r.sector_name} at cell {r.cell}: "
        f"{r.message}; expected {r.expected:,.2f}, found {r.found:,.2f} (tolerance {r.tolerance})"
        for r in failed.itertuples()
    ]
