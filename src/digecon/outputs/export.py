"""Wide tables (province x year) for one method and convention, as CSV, Excel and Stata files."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from digecon.core.files import atomic_path, write_csv
from digecon.core.provinces import NATIONAL_CODE, NATIONAL_NAME, province_table

WIDE_TABLES = {
    "total": "digital-economy value added, 亿元",
    "production": "production part (electronics + IT services), 亿元",
    "circulation": "circulation part (telecom + media), 亿元",
    "share_of_gdp": "digital-economy value added as % of GDP (NBS revised GDP)",
    "growth": "nominal growth of digital-economy value added on the previous year, %",
    "total_lower": "lower bound of the total (backtest errors of the total; national row: sum of provinces), 亿元",
    "total_upper": "upper bound of the total (backtest errors of the total; national row: sum of provinces), 亿元",
}


def _wide(long: pd.Series) -> pd.DataFrame:
    """(province_code, year) series -> provinces in rows (with names), years in columns, national sum last."""
    table = long.unstack("year")
    names = province_table().set_index("province_code")[["province", "province_en"]]
    national = pd.DataFrame([[NATIONAL_NAME, "China (sum of provinces)"]], index=[NATIONAL_CODE], columns=names.columns)
    names = pd.concat([names, national])
    table = names.join(table, how="inner").rename_axis("province_code").reset_index()
    table.columns = [str(c) for c in table.columns]
    return table


def wide_tables(
    values: pd.DataFrame, totals: pd.DataFrame, gdp: pd.DataFrame, *, method: str, convention: str
) -> dict[str, pd.DataFrame]:
    """The wide tables of ``WIDE_TABLES`` for one method and convention.

    Parameters
    ----------
    values
        The long estimates (``digital_economy_va.csv``).
    totals
        The totals with their own bands (``digital_economy_total.csv``).
    gdp
        Long yearbook rows of 地区生产总值 (``province_code``, ``year``, ``value`` in 亿元).
    method, convention
        Which estimate to lay out.

    Returns
    -------
    dict
        Name -> DataFrame with ``province_code``, ``province``, ``province_en`` and one column per
        year; the last row (code 0, 全国) is the sum over provinces.
    """
    chosen = values[(values["method"] == method) & (values["convention"] == convention)]
    if chosen.empty:
        raise ValueError(f"no estimates for method {method!r} and convention {convention!r}")
    key = ["province_code", "year"]
    chosen_totals = totals[(totals["method"] == method) & (totals["convention"] == convention)]

    def with_national(series: pd.Series) -> pd.Series:
        national = series.groupby(level="year").sum()
        national.index = pd.MultiIndex.from_product([[NATIONAL_CODE], national.index], names=key)
        return pd.concat([series, national])

    total = with_national(chosen.groupby(key)["value_100m_yuan"].sum())
    by_category = chosen.groupby([*key, "category"])["value_100m_yuan"].sum().unstack("category")
    gdp_series = with_national(
        gdp.set_index(key)["value"].reindex(total.drop(NATIONAL_CODE, level="province_code").index)
    )
    growth = total.groupby(level="province_code").pct_change() * 100
    return {
        "total": _wide(total),
        "production": _wide(with_national(by_category["production"])),
        "circulation": _wide(with_national(by_category["circulation"])),
        "share_of_gdp": _wide(total / gdp_series * 100),
        "growth": _wide(growth.dropna()),
        "total_lower": _wide(with_national(chosen_totals.set_index(key)["lower_100m_yuan"])),
        "total_upper": _wide(with_national(chosen_totals.set_index(key)["upper_100m_yuan"])),
    }


def write_wide_tables(
    tables: dict[str, pd.DataFrame], folder: str | Path, workbook: str | Path, *, note: str
) -> list[Path]:
    """Write each table as CSV and Stata .dta (years as y2002, ...), and all of them into one workbook.

    ``note`` (method, convention, data vintage) goes into the Stata data label and a README sheet.
    """
    folder = Path(folder)
    written = []
    for name, table in tables.items():
        write_csv(table, folder / f"{name}.csv")
        stata = table.rename(columns={c: f"y{c}" for c in table.columns if c.isdigit()})
        with atomic_path(folder / f"{name}.dta") as temporary:
            stata.to_stata(
                temporary,
                write_index=False,
                version=118,
                data_label=f"{name}: {note}"[:80],
                variable_labels={
                    "province_code": "GB/T 2260 code (0 = sum of provinces)",
                    "province": "province (Chinese short name)",
                    "province_en": "province (English)",
                },
            )
        written += [folder / f"{name}.csv", folder / f"{name}.dta"]
    with atomic_path(workbook) as temporary, pd.ExcelWriter(temporary, engine="openpyxl") as writer:
        readme = pd.DataFrame({"sheet": list(WIDE_TABLES), "content": list(WIDE_TABLES.values())})
        pd.concat([pd.DataFrame({"sheet": ["(all)"], "content": [note]}), readme]).to_excel(
            writer, sheet_name="README", index=False
        )
        for name, table in tables.items():
            table.to_excel(writer, sheet_name=name, index=False)
    written.append(Path(workbook))
    return written
