"""Readers for the NBS provincial series as the NBS hands them out today.

Two layouts, both of 分省年度数据 (the vintage revised after the 5th economic census for the
national accounts):

* the CSV export of data.stats.gov.cn (:data:`EXPORT_LAYOUT`): UTF-8 with a BOM, two metadata lines
  (``数据库：分省年度数据``, ``时间：2024年``), a header line whose first cell is ``地区``, one line per
  province (full names, NBS order), every cell padded with a tab and every line ended by a comma,
  then footer notes (``注：…``, numbered continuations, ``数据来源：国家统计局``). Either the columns are
  indicators (``地区生产总值 (亿元)``) of the one year on the ``时间`` line, or they are years
  (``2024年``) of one indicator, which the export does not name: :func:`read_nbs_export` is then told.
* the answers of the NBS data platform's API as saved by a crawler (:data:`ANSWER_LAYOUT`): a CSV
  ``省份名称,省份代码,JSON数据`` with the untouched JSON answer of one province per line; per year
  (``data[i].code`` = ``2024YY``) one node per indicator (``values[j]``) with its name and unit
  in ``i_showname`` (``软件业务收入 (万元)``), the unit again in ``du_name`` and the value as text.

Both return the long yearbook frame of :mod:`digecon.inputs.yearbook` with every value traced to
its file, row and column (and, in an answer, its node in the JSON cell). Money in 万元 becomes 亿元;
other units are kept.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from digecon.core.errors import InputError, column_letter
from digecon.core.provinces import province_code
from digecon.inputs.yearbook import NBS_HEADER, cell_number, to_100m_yuan, traced


@dataclass(frozen=True)
class ExportLayout:
    """The layout of an NBS CSV export (see the module docstring)."""

    database: str = "数据库："  # line 1 starts with it
    time: str = "时间："  # line 2 starts with it
    region: str = "地区"  # first cell of the header line
    footer: re.Pattern[str] = re.compile(r"^(注|数据来源|\d+\.)")  # first cell of a note line
    year: re.Pattern[str] = re.compile(r"^(\d{4})年$")  # a header cell by year; the 时间 line by indicator


@dataclass(frozen=True)
class AnswerLayout:
    """The layout of the saved NBS data-platform answers (see the module docstring)."""

    header: tuple[str, str, str] = ("省份名称", "省份代码", "JSON数据")
    year_code: re.Pattern[str] = re.compile(r"^(\d{4})YY$")


EXPORT_LAYOUT = ExportLayout()
ANSWER_LAYOUT = AnswerLayout()


def _export_lines(path: Path) -> list[list[str]]:
    """Read the export's lines as lists of stripped cells; an encoding other than UTF-8 is refused."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            path, "not UTF-8 text", expected="an NBS export as downloaded (UTF-8 with BOM)", found=str(exc)
        ) from None
    return [[cell.strip() for cell in line.split(",")] for line in text.splitlines()]


def _export_header(lines: list[list[str]], path: Path, layout: ExportLayout) -> None:
    """Check the two metadata lines and the header's first cell, naming the row that differs."""
    checks = (
        (0, layout.database, "数据库：分省年度数据"),
        (1, layout.time, "时间：2024年"),
        (2, layout.region, "地区"),
    )
    for row, start, example in checks:
        cell = lines[row][0] if row < len(lines) else ""
        if not cell.startswith(start):
            raise InputError(
                path,
                "not the layout of an NBS export",
                row=row,
                column=0,
                expected=f"a cell starting '{start}' (e.g. '{example}')",
                found=f"'{cell}'",
            )


def _export_columns(
    header: list[str], path: Path, layout: ExportLayout, indicator: tuple[str, str] | None, year: int | None
) -> dict[int, tuple[str, str, int]]:
    """Map each header column to (indicator, unit, year); an unreadable header cell is an error."""
    columns = {}
    for column, cell in enumerate(header[1:], start=1):
        if not cell:
            continue  # the empty column after every line's last comma
        by_year, by_indicator = layout.year.match(cell), NBS_HEADER.match(cell)
        if indicator is not None and by_year:
            columns[column] = (*indicator, int(by_year.group(1)))
        elif indicator is None and by_indicator and year is not None:
            columns[column] = (by_indicator.group("name").strip(), by_indicator.group("unit").strip(), year)
        else:
            expected = (
                "a year such as '2024年'" if indicator else "an indicator with its unit, e.g. '工业增加值 (亿元)'"
            )
            raise InputError(path, "unreadable header cell", row=2, column=column, expected=expected, found=f"'{cell}'")
    if not columns:
        raise InputError(path, "no column of values in the header", row=2, expected="indicators or years after 地区")
    return columns


def _export_year(lines: list[list[str]], path: Path, layout: ExportLayout) -> int:
    """Read the one year of a by-indicator export from its 时间 line (``时间：2024年``)."""
    text = lines[1][0].removeprefix(layout.time).strip()
    match = layout.year.match(text)
    if match is None:
        raise InputError(
            path,
            "the export's columns are indicators but its 时间 line names no single year",
            row=1,
            column=0,
            expected="'时间：<year>年'",
            found=f"'{lines[1][0]}'",
        )
    return int(match.group(1))


def cell_province(name: str, path: Path, row: int, column: int, sheet: str | None = None) -> int:
    """Look up a province name; the nation or an unknown name is an error naming its cell."""
    code = province_code(name)
    if code is None or code == 0:
        raise InputError(
            path,
            "unknown province name",
            sheet=sheet,
            row=row,
            column=column,
            expected="one of the 31 provinces (e.g. 北京市)",
            found=f"'{name}'",
        )
    return code


def _long(records: list[dict[str, Any]], path: Path) -> pd.DataFrame:
    """Build the long frame (亿元 for money) from records with a ``source_unit`` and the trace."""
    frame = pd.DataFrame.from_records(
        records,
        columns=["province_code", "year", "indicator", "unit", "value", "source_row", "source_column", "source_node"],
    )
    frame = traced(
        to_100m_yuan(frame), path, row=frame["source_row"], column=frame["source_column"], node=frame["source_node"]
    )
    return frame.sort_values(["indicator", "province_code", "year"], ignore_index=True)


def read_nbs_export(
    path: str | Path, *, indicator: tuple[str, str] | None = None, layout: ExportLayout = EXPORT_LAYOUT
) -> pd.DataFrame:
    """Read an NBS CSV export of 分省年度数据 (by indicator for one year, or by year for one indicator).

    Parameters
    ----------
    path
        The export as downloaded.
    indicator
        None for an export whose columns are indicators (``工业增加值 (亿元)``), the year taken from
        its ``时间`` line; (name, unit) of the one indicator of an export whose columns are years,
        e.g. ``("地区生产总值指数", "上年=100")`` (such an export names it nowhere but in its file name).
    layout
        The layout (:data:`EXPORT_LAYOUT`).

    Returns
    -------
    DataFrame
        :data:`digecon.inputs.yearbook.LONG_COLUMNS`: empty cells (not available) left out; money in
        万元 converted to 亿元 (``source_unit`` keeps the unit printed); ``source_row`` the line and
        ``source_column`` the column letter, as a spreadsheet shows them.

    Raises
    ------
    InputError
        For another encoding, a missing metadata or header line, a header cell that is neither an
        indicator with its unit nor a year (as ``indicator`` says), no single year on the ``时间``
        line of a by-indicator export, an unknown province, a province listed twice, a value that
        is not a number, or a value under no header.
    """
    path = Path(path)
    lines = _export_lines(path)
    _export_header(lines, path, layout)
    year = _export_year(lines, path, layout) if indicator is None else None
    columns = _export_columns(lines[2], path, layout, indicator, year)
    records, seen = [], {}
    for row in range(3, len(lines)):
        cells = lines[row]
        if not any(cells) or layout.footer.match(cells[0]):
            continue
        code = cell_province(cells[0], path, row, 0)
        if code in seen:
            raise InputError(
                path, "a province appears twice", row=row, column=0, found=f"'{cells[0]}' (also row {seen[code] + 1})"
            )
        seen[code] = row
        for column, text in enumerate(cells[1:], start=1):
            if not text:
                continue
            if column not in columns:
                raise InputError(path, "a value under no header", row=row, column=column, found=f"'{text}'")
            name, unit, year_of = columns[column]
            records.append(
                {
                    "province_code": code,
                    "year": year_of,
                    "indicator": name,
                    "unit": unit,
                    "value": cell_number(text, path, row, column),
                    "source_row": row + 1,
                    "source_column": column_letter(column),
                    "source_node": "",
                }
            )
    if not records:
        raise InputError(path, "no value in the export", expected="one line per province below the header")
    return _long(records, path)


def _answer_rows(path: Path, layout: AnswerLayout) -> list[list[str]]:
    """Read the answers' CSV rows; a missing header or another encoding is refused."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(path, "not UTF-8 text", expected="the saved answers (UTF-8)", found=str(exc)) from None
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or tuple(c.strip() for c in rows[0][:3]) != layout.header:
        raise InputError(
            path,
            "not the saved answers of the NBS data platform",
            row=0,
            expected="header " + ",".join(layout.header),
            found=",".join(rows[0][:3]) if rows else "an empty file",
        )
    return rows


def _answer_province(row: list[str], number: int, path: Path) -> int:
    """Find the province of one answer row: its name, which its 12-digit code must confirm."""
    if len(row) < 3:
        raise InputError(
            path, "short row", row=number, expected="省份名称, 省份代码 and JSON数据", found=f"{len(row)} cells"
        )
    code = cell_province(row[0], path, number, 0)
    if row[1].strip()[:6] != str(code):
        raise InputError(
            path,
            "province code and name disagree",
            row=number,
            column=1,
            expected=f"{code}000000 for {row[0]}",
            found=f"'{row[1]}'",
        )
    return code


def _answer_nodes(cell: str, path: Path, number: int) -> list[dict[str, Any]]:
    """Parse one answer; anything but a successful answer with its ``data`` list is an error."""
    try:
        answer = json.loads(cell)
        data = answer["data"]
        if not isinstance(data, list) or answer.get("success") is False:
            raise TypeError("no data list, or success is false")
    except (json.JSONDecodeError, KeyError, TypeError) as exc:
        raise InputError(
            path,
            f"not an NBS platform answer ({type(exc).__name__}: {exc})",
            row=number,
            column=2,
            expected="JSON with a 'data' list of years",
        ) from None
    return data


def _answer_value(node: dict[str, Any], where: str, path: Path, number: int) -> tuple[str, str, float] | None:
    """Name, unit and value of one indicator node; None where the value is empty (not available)."""
    try:
        shown, unit_code, text = node["i_showname"].strip(), node["du_name"].strip(), node["value"]
    except (KeyError, AttributeError, TypeError):
        raise InputError(
            path, f"indicator node {where} lacks i_showname, du_name or value", row=number, column=2
        ) from None
    match = NBS_HEADER.match(shown)
    if match is None or match.group("unit").split("/")[0] != unit_code:
        raise InputError(
            path,
            f"indicator node {where}: name and unit cannot be read",
            row=number,
            column=2,
            expected=f"i_showname 'name (unit)' whose unit is du_name '{unit_code}' (or '{unit_code}/…')",
            found=f"'{shown}'",
        )
    if text in ("", None):
        return None
    try:
        value = float(text)
    except (TypeError, ValueError):
        raise InputError(
            path, f"indicator node {where}: value is not a number", row=number, column=2, found=f"'{text}'"
        ) from None
    return match.group("name").strip(), match.group("unit").strip(), value


def read_nbs_platform_answers(path: str | Path, *, layout: AnswerLayout = ANSWER_LAYOUT) -> pd.DataFrame:
    """Read the saved answers of the NBS data platform (one province per row, the JSON untouched).

    The indicator's name is taken from ``i_showname``, not ``_name``: in the answers of the
    national-accounts catalogue every node's ``_name`` is 国内生产总值, the catalogue's name. A node
    that repeats one of the same year with the same value (Tibet's answers list every node twice)
    is read once.

    Parameters
    ----------
    path
        The CSV of answers.
    layout
        The layout (:data:`ANSWER_LAYOUT`).

    Returns
    -------
    DataFrame
        :data:`digecon.inputs.yearbook.LONG_COLUMNS`: empty values (not available, e.g. a year
        not yet published) left out; 万元 converted to 亿元; ``source_row`` the CSV row,
        ``source_column`` C (JSON数据) and ``source_node`` the node, e.g. ``data[1].values[0]``.

    Raises
    ------
    InputError
        For another encoding or header, an unknown province or a code that contradicts the name,
        a cell that is not a successful answer, a year code other than ``<year>YY``, a node whose
        name and unit cannot be read or whose value is not a number, or a node repeated with
        another value.
    """
    path = Path(path)
    records, seen = [], {}
    for number, row in enumerate(_answer_rows(path, layout)[1:], start=1):
        if not any(cell.strip() for cell in row):
            continue
        code = _answer_province(row, number, path)
        for i, year_node in enumerate(_answer_nodes(row[2], path, number)):
            match = layout.year_code.match(str(year_node.get("code", "")))
            if match is None or not isinstance(year_node.get("values"), list):
                raise InputError(
                    path,
                    f"year node data[{i}] unreadable",
                    row=number,
                    column=2,
                    expected="code '<year>YY' and values",
                    found=f"'{year_node.get('code')}'",
                )
            for j, node in enumerate(year_node["values"]):
                where = f"data[{i}].values[{j}]"
                read = _answer_value(node, where, path, number)
                if read is None:
                    continue
                key = (code, int(match.group(1)), read[0])
                if key in seen:
                    if seen[key] != read[2]:
                        raise InputError(
                            path,
                            f"node {where} repeats {read[0]} {key[1]} with another value",
                            row=number,
                            column=2,
                            found=f"{read[2]} and {seen[key]}",
                        )
                    continue
                seen[key] = read[2]
                records.append(
                    {
                        "province_code": code,
                        "year": key[1],
                        "indicator": read[0],
                        "unit": read[1],
                        "value": read[2],
                        "source_row": number + 1,
                        "source_column": column_letter(2),
                        "source_node": where,
                    }
                )
    if not records:
        raise InputError(path, "no value in the answers", expected="at least one province with published values")
    return _long(records, path)
