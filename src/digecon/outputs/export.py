"""Wide tables (province x year) for one method and convention, as CSV, Excel and Stata files.

Also the one rounding of published values (:func:`round_published`), which the wide tables and the
panel (:mod:`digecon.outputs.panel`) both go through.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from digecon.core.files import atomic_path, write_csv
from digecon.core.provinces import NATIONAL_CODE, NATIONAL_NAME, province_table
from digecon.estimation.totals import national_share_of_gdp
from digecon.outputs.names import WIDE_TABLES  # name -> content, also read by the Snakefile

KEY = ["province_code", "year"]
# Published values are rounded once, here: 亿元 to 4 decimals (0.0001 亿元 = 1 万元, the unit of the IO
# tables), percentages, shares and price indices to 4 decimals too.
PUBLISHED_DECIMALS = 4


def round_published(frame: pd.DataFrame, *, bounds: Sequence[tuple[str, str, str]] = ()) -> pd.DataFrame:
    """Round every float column of a table for publication, once, keeping each band around its value.

    Rounding to nearest is monotone, so ``lower <= value <= upper`` survives it; for bounds that came
    in already a hair inside their value (float noise) each bound is moved out to its rounded value.
    ``-0.0`` becomes ``0.0``. Rounded values print without float noise (``0.3``, not
    ``0.30000000000000004``): each is the double nearest to a decimal of at most 4 places.

    Parameters
    ----------
    frame
        The table to publish; integer, boolean and text columns are left as they are.
    bounds
        ``(lower, value, upper)`` column names whose order must hold after rounding.

    Returns
    -------
    DataFrame
        A rounded copy (``PUBLISHED_DECIMALS`` places); sums of rounded values may differ from the
        rounded sum in the last place.
    """
    out = frame.copy()
    floats = out.select_dtypes("float").columns
    out[floats] = out[floats].round(PUBLISHED_DECIMALS) + 0.0
    for lower, value, upper in bounds:
        out[lower] = out[lower].where(~(out[lower] > out[value]), out[value])
        out[upper] = out[upper].where(~(out[upper] < out[value]), out[value])
    return out


def _wide(long: pd.Series) -> pd.DataFrame:
    """(province_code, year) series -> provinces in rows (with names), years in columns, national sum last."""
    table = long.unstack("year")
    names = province_table().set_index("province_code")[["province", "province_en"]]
    national = pd.DataFrame([[NATIONAL_NAME, "China (sum of provinces)"]], index=[NATIONAL_CODE], columns=names.columns)
    names = pd.concat([names, national])
    table = names.join(table, how="inner").rename_axis("province_code").reset_index()
    table.columns = [str(c) for c in table.columns]
    return table


def _with_national(series: pd.Series, national: pd.Series | None = None) -> pd.Series:
    """Append the national rows (code 0) to a (province_code, year) series: ``national`` by year, else the sum."""
    if national is None:
        national = series.groupby(level="year").sum()
    national = national.copy()
    national.index = pd.MultiIndex.from_product([[NATIONAL_CODE], national.index], names=KEY)
    return pd.concat([series, national])


def wide_tables(values: pd.DataFrame, totals: pd.DataFrame, *, method: str, convention: str) -> dict[str, pd.DataFrame]:
    """Lay out the tables of ``WIDE_TABLES`` (province x year) for one method and convention.

    Parameters
    ----------
    values
        The long estimates (``digital_economy_va.csv``): ``province_code``, ``year``,
        ``category``, ``method``, ``convention``, ``value_100m_yuan`` (亿元).
    totals
        The long totals (``digital_economy_total.csv``) with their bands (``lower_100m_yuan``,
        ``upper_100m_yuan``), ``gdp_100m_yuan`` (地区生产总值, NBS revised, 亿元) and
        ``share_of_gdp_percent``.
    method, convention
        Which estimate to lay out.

    Returns
    -------
    dict
        Name -> DataFrame with ``province_code``, ``province``, ``province_en`` and one column per
        year; the last row (code 0, 全国) is the sum over provinces, and for ``share_of_gdp`` the
        provinces' summed value over their summed GDP (:func:`national_share_of_gdp`). Values are
        computed unrounded, then rounded once (:func:`round_published`), the bounds around the total.

    Raises
    ------
    ValueError
        If there is no estimate for ``method`` and ``convention``.
    """
    chosen = values[(values["method"] == method) & (values["convention"] == convention)]
    if chosen.empty:
        raise ValueError(f"no estimates for method {method!r} and convention {convention!r}")
    chosen_totals = totals[(totals["method"] == method) & (totals["convention"] == convention)]
    by_province = chosen_totals.set_index(KEY)
    total = _with_national(chosen.groupby(KEY)["value_100m_yuan"].sum())
    by_category = chosen.groupby([*KEY, "category"])["value_100m_yuan"].sum().unstack("category")
    growth = total.groupby(level="province_code").pct_change() * 100
    series = pd.DataFrame(
        {
            "total": total,
            "production": _with_national(by_category["production"]),
            "circulation": _with_national(by_category["circulation"]),
            "share_of_gdp": _with_national(by_province["share_of_gdp_percent"], national_share_of_gdp(chosen_totals)),
            "growth": growth,
            "total_lower": _with_national(by_province["lower_100m_yuan"]),
            "total_upper": _with_national(by_province["upper_100m_yuan"]),
        }
    )
    series = round_published(series, bounds=[("total_lower", "total", "total_upper")])
    return {name: _wide(series[name].dropna() if name == "growth" else series[name]) for name in WIDE_TABLES}


def wide_note(totals: pd.DataFrame, *, method: str, convention: str) -> str:
    """Describe the wide tables: the estimate shown and the IO tables it rests on.

    Parameters
    ----------
    totals
        The long totals; the IO tables named are the years flagged ``benchmark`` for any province.
    method, convention
        The estimate laid out.

    Returns
    -------
    str
        E.g. ``method linear, convention share; NBS regional IO tables 2002, 2007; NBS revised GDP``.
    """
    years = sorted(int(y) for y in totals.loc[totals["flag"] == "benchmark", "year"].unique())
    tables = ", ".join(str(y) for y in years)
    return f"method {method}, convention {convention}; NBS regional IO tables {tables}; NBS revised GDP"


def write_wide_tables(
    tables: dict[str, pd.DataFrame], folder: str | Path, workbook: str | Path, *, note: str, encoding: str = "utf-8"
) -> list[Path]:
    """Write each table as CSV and Stata .dta (years as y2002, ...), and all of them into one workbook.

    Parameters
    ----------
    tables
        Name -> wide table, as returned by :func:`wide_tables`.
    folder
        Folder of the ``<name>.csv`` and ``<name>.dta`` files.
    workbook
        The Excel workbook: a README sheet (``note`` and what each sheet holds), then one sheet a table.
    note
        Method, convention and data vintage (e.g. from :func:`wide_note`); also the Stata data label
        (cut to Stata's 80 characters).
    encoding
        Of the CSV files: ``utf-8`` or ``utf-8-sig`` (the setting ``export.csv_encoding``).

    Returns
    -------
    list of Path
        Every file written, the workbook last.
    """
    folder = Path(folder)
    written = []
    for name, table in tables.items():
        write_csv(table, folder / f"{name}.csv", encoding=encoding)
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
