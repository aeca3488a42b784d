"""Readers for the NBS provincial annual series (分省年度数据) as users have them.

All readers return a tidy long frame (:data:`LONG_COLUMNS`): ``province_code``, ``year``,
``indicator`` (the NBS name without unit, e.g. 工业增加值), ``unit`` and ``value`` (money in 亿元),
and where each value was read: ``source`` (file name), ``source_sheet`` (workbooks), ``source_row``
and ``source_column`` (as a spreadsheet shows them: 1-based row, column letters), ``source_node``
(the node of a JSON answer) and ``source_unit`` (the unit printed there, e.g. 万元 for a value
converted to 亿元). Province names are harmonised through :mod:`digecon.core.provinces`; unknown
names and duplicated province-years are errors naming the file and row.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import pandas as pd

from digecon.core.errors import InputError, column_letter
from digecon.core.provinces import normalise_name, province_code
from digecon.inputs.excel import Grid, iter_sheets
from digecon.inputs.usercsv import Column, read_user_csv, sources

log = logging.getLogger(__name__)

LONG_COLUMNS = [
    "province_code",
    "year",
    "indicator",
    "unit",
    "value",
    "source",
    "source_sheet",
    "source_row",
    "source_column",
    "source_node",
    "source_unit",
]
UNIT_TO_100M_YUAN = {"亿元": 1.0, "万元": 1e-4, "元": 1e-8}
NBS_HEADER = re.compile(r"^(?P<name>[^()（）]+)[(（](?P<unit>[^()（）]+)[)）]$")


def to_100m_yuan(frame: pd.DataFrame) -> pd.DataFrame:
    """Convert money in 万元 or 元 to 亿元, keeping the printed unit in ``source_unit``; other units stay.

    Parameters
    ----------
    frame
        Long rows with ``unit`` and ``value`` as read.

    Returns
    -------
    DataFrame
        ``frame`` with ``value`` and ``unit`` in 亿元 where the unit was money, and ``source_unit``.
    """
    factor = frame["unit"].map(UNIT_TO_100M_YUAN)
    money = factor.notna()  # other units (上年=100, 万户, ...) are kept: a factor of 1
    return frame.assign(
        value=frame["value"].astype(float) * factor.fillna(1.0),
        unit=frame["unit"].where(~money, "亿元"),
        source_unit=frame["unit"],
    )


def traced(
    frame: pd.DataFrame,
    path: Path,
    *,
    sheet: str = "",
    row: pd.Series | int | None = None,
    column: pd.Series | str = "",
    node: pd.Series | str = "",
) -> pd.DataFrame:
    """Add the trace columns of :data:`LONG_COLUMNS` (file, sheet, row, column, node) to read rows.

    Parameters
    ----------
    frame
        Rows with ``province_code`` ... ``value`` and, if converted, ``source_unit``.
    path
        The file read.
    sheet, row, column, node
        Where each value stands: a workbook's sheet, the 1-based row and the column letters as a
        spreadsheet shows them, the node of a JSON answer (one value for all rows or one per row).

    Returns
    -------
    DataFrame
        ``frame`` with the columns of :data:`LONG_COLUMNS`, in that order.
    """
    rows = pd.Series(pd.NA if row is None else row, index=frame.index).astype("Int64")
    out = frame.assign(source=path.name, source_sheet=sheet, source_row=rows, source_column=column, source_node=node)
    if "source_unit" not in out.columns:
        out = out.assign(source_unit=out["unit"])
    return out[LONG_COLUMNS]


def _codes_for(names: pd.Series, file: str | Path, first_data_row: int) -> pd.Series:
    """Map province names to codes; the first unknown name is an error naming its row."""
    codes = names.map(province_code)
    unknown = codes.isna()
    if unknown.any():
        i = int(unknown.to_numpy().nonzero()[0][0])
        raise InputError(
            file,
            "unknown province name",
            row=first_data_row + i,
            expected="one of the 31 provinces (e.g. 北京, 北京市 or Beijing)",
            found=f"'{names.iloc[i]}'",
        )
    return codes.astype(int)


def _refuse_duplicates(frame: pd.DataFrame, file: str | Path, first_data_row: int) -> None:
    """Refuse a province-year that occurs twice, naming the row of its second occurrence."""
    duplicated = frame.duplicated(["province_code", "year"], keep="first")
    if duplicated.any():
        i = int(duplicated.to_numpy().nonzero()[0][0])
        raise InputError(
            file,
            "duplicate province-year",
            row=first_data_row + i,
            expected="one row per province and year",
            found=f"province {frame['province_code'].iloc[i]} year {frame['year'].iloc[i]} again",
        )


def read_nbs_annual_csv(path: str | Path) -> pd.DataFrame:
    """Read a 分省年度数据 CSV (``省份编码,省份,年份,<indicator>(<unit>),...``).

    Empty cells are 'not available' in the NBS database and are dropped. Money in 万元 or 元 (e.g.
    软件业务收入, 万元) is converted to 亿元 like the rest of the table; other units (万户, 万分钟, 万美元)
    are kept as they are.

    Parameters
    ----------
    path
        The CSV file (UTF-8, with or without BOM); every ``<indicator>(<unit>)`` column is read.

    Returns
    -------
    DataFrame
        ``LONG_COLUMNS``: the indicator name and unit split from the header (e.g. 工业增加值, 亿元;
        万元 and 元 converted to 亿元), sorted by indicator, province code and year.

    Raises
    ------
    InputError
        For missing key columns, unknown provinces, a province code that contradicts the
        name, or duplicated province-years.
    """
    path = Path(path)
    table = pd.read_csv(path, encoding="utf-8-sig", dtype={"省份编码": "Int64"})
    for column in ("省份", "年份"):
        if column not in table.columns:
            raise InputError(
                path,
                f"column '{column}' is missing",
                row=0,
                expected="header 省份编码,省份,年份,<indicator>(<unit>),...",
                found=", ".join(table.columns[:4]),
            )
    codes = _codes_for(table["省份"], path, first_data_row=1)
    if "省份编码" in table.columns:
        mismatch = table["省份编码"].notna() & (table["省份编码"] != codes)
        if mismatch.any():
            i = int(mismatch.to_numpy().nonzero()[0][0])
            raise InputError(
                path,
                "province code and name disagree",
                row=1 + i,
                expected=f"{codes.iloc[i]} for {table['省份'].iloc[i]}",
                found=str(table["省份编码"].iloc[i]),
            )
    table = table.assign(province_code=codes, year=table["年份"].astype(int))
    _refuse_duplicates(table, path, first_data_row=1)
    indicators = [c for c in table.columns if NBS_HEADER.match(c)]
    letters = {c: column_letter(i) for i, c in enumerate(table.columns)}
    # the CSV line of each row: the header is line 1
    table = table.assign(line=range(2, len(table) + 2))
    long = table.melt(id_vars=["province_code", "year", "line"], value_vars=indicators, var_name="header")
    parts = long["header"].str.extract(NBS_HEADER)
    long = long.assign(indicator=parts["name"].str.strip(), unit=parts["unit"].str.strip())
    long = to_100m_yuan(long.dropna(subset=["value"]))
    long = traced(long, path, row=long["line"], column=long["header"].map(letters))
    return long.sort_values(["indicator", "province_code", "year"], ignore_index=True)


def read_first_published_gdp(path: str | Path) -> pd.DataFrame:
    """First-published provincial GDP (统计年鉴 of year t+1) from the panel CSV.

    Reads the column ``GDP_当年价_亿元`` of a ``地区,年份,...`` panel (UTF-8 with BOM).
    These are the values the 2012 and 2017 regional IO tables were balanced to.

    Parameters
    ----------
    path
        The panel CSV.

    Returns
    -------
    DataFrame
        ``LONG_COLUMNS``, indicator 地区生产总值 in 亿元, empty values dropped, sorted by province
        code and year.

    Raises
    ------
    InputError
        For missing columns, an unknown province name or a duplicated province-year.
    """
    path = Path(path)
    table = pd.read_csv(path, encoding="utf-8-sig")
    needed = ["地区", "年份", "GDP_当年价_亿元"]
    missing = [c for c in needed if c not in table.columns]
    if missing:
        raise InputError(path, f"columns missing: {', '.join(missing)}", row=0, expected=", ".join(needed))
    codes = _codes_for(table["地区"], path, first_data_row=1)
    table = table.assign(province_code=codes, year=table["年份"].astype(int), line=range(2, len(table) + 2))
    _refuse_duplicates(table, path, first_data_row=1)
    out = table.assign(indicator="地区生产总值", unit="亿元", value=table["GDP_当年价_亿元"]).dropna(subset=["value"])
    column = column_letter(list(table.columns).index("GDP_当年价_亿元"))
    return traced(out, path, row=out["line"], column=column).sort_values(["province_code", "year"], ignore_index=True)


def gdp_for_checks(revised: pd.DataFrame, first_published: pd.DataFrame) -> pd.DataFrame:
    """Put two GDP series side by side for comparing with IO-table totals: ``first_published`` and ``revised``.

    Parameters
    ----------
    revised
        Long yearbook frame; its 地区生产总值 rows are the revised series.
    first_published
        From :func:`read_first_published_gdp`.

    Returns
    -------
    DataFrame
        ``province_code``, ``year``, ``series``, ``value_100m_yuan``, ``source``.
    """
    revised = revised[revised["indicator"] == "地区生产总值"].assign(series="revised")
    first = first_published.assign(series="first_published")
    both = pd.concat([revised, first], ignore_index=True)
    return both.rename(columns={"value": "value_100m_yuan"})[
        ["province_code", "year", "series", "value_100m_yuan", "source"]
    ]


def read_nbs_api_json(path: str | Path) -> pd.DataFrame:
    """Read one raw NBS database API answer (``easyquery.htm?m=QueryData&dbcode=fsnd``).

    Nodes with ``hasdata: false`` (e.g. the not yet published latest year) are dropped.

    Parameters
    ----------
    path
        The JSON answer (UTF-8).

    Returns
    -------
    DataFrame
        ``LONG_COLUMNS``: indicator names and units as the answer's ``wdnodes`` give them,
        sorted by province code and year.

    Raises
    ------
    InputError
        For a file that is not such an answer, an unknown region code, or a duplicated
        province-year-indicator.
    """
    path = Path(path)
    try:
        answer = json.loads(path.read_text(encoding="utf-8"))
        data = answer["returndata"]
        indicators = {node["code"]: (node["cname"], node.get("unit", "")) for node in data["wdnodes"][0]["nodes"]}
        records = []
        for number, node in enumerate(data["datanodes"]):
            keys = {w["wdcode"]: w["valuecode"] for w in node["wds"]}
            if not node["data"]["hasdata"]:
                continue
            name, unit = indicators[keys["zb"]]
            code = province_code(keys["reg"])
            if code is None:
                raise InputError(path, f"unknown region code in datanodes[{number}]", found=f"'{keys['reg']}'")
            records.append(
                (code, int(keys["sj"]), name, unit, float(node["data"]["data"]), f"returndata.datanodes[{number}]")
            )
    except (json.JSONDecodeError, KeyError, TypeError, IndexError) as exc:
        raise InputError(
            path,
            f"not an NBS API answer ({type(exc).__name__}: {exc})",
            expected="JSON with returndata.wdnodes and returndata.datanodes",
        ) from exc
    frame = pd.DataFrame.from_records(records, columns=["province_code", "year", "indicator", "unit", "value", "node"])
    duplicated = frame.duplicated(["province_code", "year", "indicator"])
    if duplicated.any():
        row = frame[duplicated].iloc[0]
        raise InputError(
            path, f"duplicate province-year in {row['node']}", found=f"{row['province_code']} {row['year']}"
        )
    frame = traced(to_100m_yuan(frame), path, node=frame["node"])
    return frame.sort_values(["province_code", "year"], ignore_index=True)


# English indicator titles of the NBS database export -> the Chinese indicator names used here
DATABASE_INDICATORS = {"Gross Regional Product": "地区生产总值"}


def _database_header(grid: Grid, path: Path) -> int:
    """Find the header row of an NBS database export: ``Region`` (or 地区) in column A, within 20 rows."""
    header = next((r for r in range(min(20, grid.n_rows)) if grid.text(r, 0) in ("Region", "地区")), None)
    if header is None:
        raise InputError(
            path,
            "no header row",
            sheet=grid.sheet,
            column=0,
            expected="a cell 'Region' (or '地区') above the province rows",
        )
    return header


def _database_indicator(grid: Grid, path: Path, header: int) -> str:
    """Read the indicator from the title lines above the header; refuse unknown ones and other units than 亿元."""
    title = " ".join(grid.text(r, 0) for r in range(header))
    match = re.search(r"Indicators\s*[:：]\s*([^(]+)\(([^)]+)\)", title)
    if match is None or match.group(1).strip() not in DATABASE_INDICATORS:
        raise InputError(
            path,
            "unknown indicator in the title",
            sheet=grid.sheet,
            expected=f"one of {', '.join(DATABASE_INDICATORS)}",
            found=f"'{title[:80]}'",
        )
    if match.group(2).strip() != "100 million yuan":
        raise InputError(path, "unexpected unit", sheet=grid.sheet, expected="100 million yuan", found=match.group(2))
    return DATABASE_INDICATORS[match.group(1).strip()]


def cell_number(text: str, path: Path, row: int, column: int, sheet: str | None = None) -> float:
    """Parse one value; anything but a plain number is an error naming its cell."""
    try:
        return float(text)
    except ValueError:
        raise InputError(
            path, "value is not a number", sheet=sheet, row=row, column=column, expected="a number", found=f"'{text}'"
        ) from None


def _database_number(grid: Grid, path: Path, row: int, column: int) -> float | None:
    """Read one value of the export (stored as text): None for an empty cell, an error for a non-number."""
    value = grid.cell(row, column)
    return None if value == "" else cell_number(value, path, row, column, grid.sheet)


def _database_records(
    grid: Grid, path: Path, header: int, indicator: str
) -> list[tuple[int, int, str, str, float, int, str]]:
    """Read (province code, year, indicator, unit, value, row, column letter) from the province rows below the header.

    The rows end at the first empty name or the ``Data Sources`` (数据来源) note.
    """
    years = {c: int(float(grid.text(header, c))) for c in range(1, len(grid.rows[header])) if grid.text(header, c)}
    records = []
    for row in range(header + 1, grid.n_rows):
        name = grid.text(row, 0)
        if not name or name.startswith("Data Sources") or name.startswith("数据来源"):
            break
        code = province_code(name)
        if code is None:
            raise InputError(
                path,
                "unknown province name",
                sheet=grid.sheet,
                row=row,
                column=0,
                expected="one of the 31 provinces",
                found=f"'{name}'",
            )
        for column, year in years.items():
            number = _database_number(grid, path, row, column)
            if number is not None:
                records.append((code, year, indicator, "亿元", number, row + 1, column_letter(column)))
    return records


def read_nbs_database_xls(path: str | Path) -> pd.DataFrame:
    """Read an NBS database export (Annual by Province): provinces in rows, years in columns.

    The header row is found by its ``Region`` cell; the indicator and unit are read from the
    ``Indicators：…(100 million yuan)`` line above it. The export stores its numbers as text;
    empty cells are dropped.

    Parameters
    ----------
    path
        The export (.xls or .xlsx); its first sheet is read.

    Returns
    -------
    DataFrame
        ``LONG_COLUMNS``, values in 亿元, sorted by province code and year.

    Raises
    ------
    InputError
        For a missing header row, an indicator other than those of ``DATABASE_INDICATORS``, a
        unit other than 100 million yuan, an unknown province, a value that is not a number, or a
        province listed twice.
    """
    path = Path(path)
    grid = next(iter_sheets(path))
    header = _database_header(grid, path)
    records = _database_records(grid, path, header, _database_indicator(grid, path, header))
    frame = pd.DataFrame.from_records(
        records, columns=["province_code", "year", "indicator", "unit", "value", "row", "column"]
    )
    if frame.duplicated(["province_code", "year"]).any():
        raise InputError(path, "a province appears twice", sheet=grid.sheet, expected="one row per province")
    frame = traced(frame, path, sheet=grid.sheet, row=frame["row"], column=frame["column"])
    return frame.sort_values(["province_code", "year"], ignore_index=True)


C39_REVENUE = "C39主营业务收入"  # the indicator name of the Wind export's C39 series in the yearbook table
WIND_C39_NAMES = ("通信设备、计算机及其他电子设备制造业", "计算机、通信和其他电子设备制造业")  # 2002 and 2011 GB/T 4754
WIND_NOT_AVAILABLE = ("", "***")  # how the Wind export leaves a value out


def _wind_c39_column(grid: Grid, path: Path) -> int | None:
    """Find the column of C39 revenue (the header's last ``:`` part names the industry), or None if absent."""
    if grid.n_rows == 0 or grid.text(0, 0) != "指标名称":
        raise InputError(path, "not a Wind export", sheet=grid.sheet, row=0, column=0, expected="'指标名称' in A1")
    for column in range(1, len(grid.rows[0])):
        if normalise_name(grid.text(0, column).split(":")[-1]) in WIND_C39_NAMES:
            return column
    return None


def _wind_year(grid: Grid, path: Path, row: int) -> int:
    """Read the year of a data row: ``2005-12-31`` (a year-end date) or ``2016``."""
    match = re.match(r"^(\d{4})(-12-31)?$", grid.text(row, 0).split(" ")[0])
    if match is None:
        raise InputError(
            path,
            "not a year",
            sheet=grid.sheet,
            row=row,
            column=0,
            expected="a year-end date such as 2005-12-31",
            found=f"'{grid.text(row, 0)}'",
        )
    return int(match.group(1))


def read_wind_industry_revenue(path: str | Path) -> pd.DataFrame:
    """C39 main business income (主营业务收入) of above-scale industry from one province's Wind export.

    The province is the file name (``广东.xls``); row 1 names the series (``广东:主营业务收入:<industry>``,
    or just the industry), column A the year-end date. Values are 万元 and returned in 亿元; ``***`` and
    blank cells are not available. Some provinces (宁夏, 西藏) have no C39 series: no rows.

    Returns
    -------
    DataFrame
        ``LONG_COLUMNS`` with ``indicator`` = ``C39_REVENUE``.

    Raises
    ------
    InputError
        For an unknown province in the file name, a layout that is not a Wind export, a year or a
        value that cannot be read, naming the cell.
    """
    path = Path(path)
    code = province_code(path.stem)
    if code is None or code == 0:
        raise InputError(path, "the file name is not a province", expected="e.g. 广东.xls", found=f"'{path.stem}'")
    grid = next(iter_sheets(path))
    column = _wind_c39_column(grid, path)
    records = []
    for row in range(1, grid.n_rows if column is not None else 1):
        value = grid.cell(row, column)
        if isinstance(value, str) and value.strip() in WIND_NOT_AVAILABLE:
            continue
        number = _database_number(grid, path, row, column)
        if number is not None:
            records.append((code, _wind_year(grid, path, row), C39_REVENUE, "万元", number, row + 1))
    frame = pd.DataFrame.from_records(records, columns=[*LONG_COLUMNS[:5], "row"])
    _refuse_duplicates(frame, path, first_data_row=1)
    letter = column_letter(column) if column is not None else ""
    frame = traced(to_100m_yuan(frame), path, sheet=grid.sheet, row=frame["row"], column=letter)
    return frame.sort_values("year", ignore_index=True)


USER_INDICATOR_COLUMNS = (
    Column("province", "province"),
    Column("year", "year"),
    Column("indicator", "text"),
    Column("value", "number"),
    Column("unit", "choice", choices=tuple(UNIT_TO_100M_YUAN)),
    Column("source", "text", required=False),
)


def read_user_indicators(path: str | Path) -> pd.DataFrame:
    """Read the user's own annual indicators: long CSV ``province,year,indicator,value,unit[,source]``.

    ``province`` is 北京 / 北京市 / Beijing or a GB/T 2260 code; ``unit`` 亿元, 万元 or 元 (converted
    to 亿元); ``source`` defaults to the file name. Validated by :func:`digecon.inputs.usercsv.read_user_csv`.

    Parameters
    ----------
    path
        The CSV file (UTF-8, with or without BOM).

    Returns
    -------
    DataFrame
        ``LONG_COLUMNS``, values in 亿元.

    Raises
    ------
    InputError
        For a bad cell (file, row, column, value, what was expected) or a repeated province-year-indicator.
    """
    path = Path(path)
    table = read_user_csv(path, USER_INDICATOR_COLUMNS, unique=("province", "year", "indicator"))
    frame = to_100m_yuan(
        pd.DataFrame(
            {
                "province_code": table["province"].astype(int),
                "year": table["year"].astype(int),
                "indicator": table["indicator"],
                "unit": table["unit"],
                "value": table["value"].astype(float),
            }
        )
    )
    # the row as a spreadsheet shows it (the header is row 1), the column of the values
    frame = traced(frame, path, row=table["csv_row"] + 1, column=column_letter(table.attrs["header"].index("value")))
    return frame.assign(source=sources(table, path)).sort_values(
        ["indicator", "province_code", "year"], ignore_index=True
    )


def with_user_indicators(yearbook: pd.DataFrame, user: list[pd.DataFrame]) -> pd.DataFrame:
    """Replace built-in yearbook values by the user's of the same province, year and indicator.

    The number of values replaced is logged as a warning; the user's other values are added.

    Parameters
    ----------
    yearbook
        The built-in long yearbook (``LONG_COLUMNS``, and the link columns of
        :func:`digecon.inputs.vintages.link_vintages` if linked).
    user
        From :func:`read_user_indicators`, one frame per file; where files repeat a
        province-year-indicator, the last file wins. Their values are taken as given: vintage and
        dataset ``user``, link factor 1.

    Returns
    -------
    DataFrame
        The columns of ``yearbook``, sorted by province code, year and indicator (``yearbook``
        itself when ``user`` is empty).
    """
    if not user:
        return yearbook
    key = ["province_code", "year", "indicator"]
    theirs = pd.concat(user, ignore_index=True).drop_duplicates(key, keep="last")
    theirs = theirs.assign(dataset="user", vintage="user", value_published=theirs["value"], link_factor=1.0)
    replaced = yearbook.merge(theirs[key], on=key, how="inner")
    if len(replaced):
        log.warning("%d built-in yearbook values replaced by the user's indicators", len(replaced))
    kept = yearbook.merge(theirs[key], on=key, how="left", indicator=True)
    kept = kept[kept["_merge"] == "left_only"].drop(columns="_merge")
    columns = list(yearbook.columns)
    frames = [f for f in (kept, theirs.reindex(columns=columns)) if not f.empty]
    return pd.concat(frames, ignore_index=True)[columns].sort_values(key, ignore_index=True)
