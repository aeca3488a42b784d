"""Readers of the city stage: the China City Statistical Yearbook (CCSY) and city GDP by sector.

The CCSY comes as one RAR archive per edition (CNKI conversion), one xlsx per printed table.
:func:`unpack_city_yearbook` copies the tables the city keys need out of an archive (libarchive,
through the ``libarchive-c`` package) into a folder written only by the workflow;
:func:`read_city_table` reads the whole-city (全市) column of each key from one table, whatever the
edition's units, page splits and header layout, and keeps for every value the archive, the table
file, the sheet, the row and the column it came from. Names are matched to codes later
(:mod:`digecon.inputs.city_register`).
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from digecon.core.errors import InputError
from digecon.inputs.excel import Grid, iter_sheets

log = logging.getLogger(__name__)

LIBARCHIVE_HELP = (
    "the city yearbook archives (RAR) are unpacked with libarchive: install the Python package libarchive-c "
    "(make setup does) and the system library libarchive13 (Debian/Ubuntu: apt-get install libarchive13; "
    "macOS: brew install libarchive)"
)
# Section 2 of the yearbook holds the prefecture-level cities (section 3 the county-level ones).
SECTION_2 = re.compile(r"(^|/)(二|2)、[^/]*/2-\d+")
CITY_TOTAL = "城市合计"
NAME_NOISE = re.compile(r"[\s\.,'‘’\"“”·`\[\]【】()（）_]")  # OCR specks and padding around printed names
UNIT = re.compile(r"[（(](?:当年价格?)?(万元|亿元|万人|人|万户|户)[)）]")
TABLE_UNIT = re.compile(r"单位[:：]\(?(万元|亿元|万人|人|万户|户)")
WHOLE_CITY = re.compile(r"全市|TotalCity")
DISTRICTS = re.compile(r"市辖区|Districts")
LATIN_NAME = re.compile(r"[A-Z][A-Za-z' -]+")
EMPTY_CELLS = {"", "-", "—", "…", "...", "－"}


@dataclass(frozen=True)
class KeySpec:
    """Where one city key is printed and in which units.

    Attributes
    ----------
    tables
        Pattern of the table files (base names) that hold it.
    label
        Pattern of the column's header text (whitespace removed).
    units
        Unit as printed -> factor to ``unit``.
    unit
        The unit of the values read.
    """

    tables: re.Pattern[str]
    label: re.Pattern[str]
    units: dict[str, float]
    unit: str


PERSONS = {"万人": 1e4, "人": 1.0}
SUBSCRIBERS = {"万户": 1.0, "户": 1e-4}
KEY_SPECS = {
    # section I: 信息传输、计算机服务和软件业 (the 2019-2020 editions: 信息传输、软件和信息技术服务业)
    "emp_I": KeySpec(re.compile("按行业分组"), re.compile("信息传输"), PERSONS, "persons"),
    # section R; editions 2013-2017 print it as 文化、体育、娱乐用房屋 (a slip of the printed table)
    "emp_R": KeySpec(re.compile("按行业分组"), re.compile("文化、?体育(和|、)?娱乐"), PERSONS, "persons"),
    "emp_C": KeySpec(re.compile("按行业分组"), re.compile("制造业"), PERSONS, "persons"),
    "telecom_revenue": KeySpec(re.compile("邮政|邮电"), re.compile("电信业务收入"), {"万元": 1.0}, "10k yuan"),
    "mobile": KeySpec(
        re.compile("电话|通信|电信业发展"), re.compile("移动电话年[末来]用户数"), SUBSCRIBERS, "10k subscribers"
    ),
    "broadband": KeySpec(
        re.compile("电话|电信业发展"), re.compile("互联网宽带接入用户数"), SUBSCRIBERS, "10k subscribers"
    ),
}
KEY_COLUMNS = [
    "edition",
    "year",
    "key",
    "name",
    "name_printed",
    "name_en",
    "row_kind",
    "value",
    "unit",
    "printed",
    "garbled",
    "archive",
    "table_file",
    "sheet",
    "row",
    "column",
]


def wanted_table(member: str) -> bool:
    """Tell whether an archive member is a section-2 table that may hold a city key.

    Parameters
    ----------
    member
        Path inside the archive.

    Returns
    -------
    bool
        True for prefecture-level tables whose name matches a :data:`KEY_SPECS` table pattern and
        that are not district-only (市辖区) tables.
    """
    name = re.sub(r"[\s_]", "", Path(member).name)  # '2-36_通_信.xlsx' (2011 edition)
    return (
        bool(SECTION_2.search(member))
        and name.endswith(".xlsx")
        and "市辖区" not in name
        and any(spec.tables.search(name) for spec in KEY_SPECS.values())
    )


def _libarchive():
    try:
        import libarchive
    except (ImportError, OSError, TypeError) as exc:  # OSError, TypeError: the package is there, the C library not
        raise InputError("libarchive", f"cannot load libarchive ({exc})", expected=LIBARCHIVE_HELP) from exc
    return libarchive


def unpack_city_yearbook(archive: str | Path, dest: str | Path) -> list[Path]:
    """Copy the tables the city keys need out of one yearbook archive.

    Parameters
    ----------
    archive
        A RAR archive of one edition (never modified).
    dest
        Folder to write into (created); each table lands at ``dest / <path inside the archive>``.

    Returns
    -------
    list of Path
        The tables written, in archive order.

    Raises
    ------
    InputError
        If libarchive cannot be loaded (saying what to install) or the archive cannot be read.
    """
    libarchive = _libarchive()
    archive, dest = Path(archive), Path(dest)
    written = []
    try:
        with libarchive.file_reader(str(archive)) as entries:
            for entry in entries:
                member = entry.pathname
                if entry.isdir or not wanted_table(member):
                    continue
                target = dest / member
                if ".." in Path(member).parts or Path(member).is_absolute():
                    raise InputError(archive, "an archive member points outside its folder", found=member)
                target.parent.mkdir(parents=True, exist_ok=True)
                with target.open("wb") as handle:
                    for block in entry.get_blocks():
                        handle.write(block)
                written.append(target)
    except libarchive.ArchiveError as exc:
        raise InputError(archive, f"cannot read the archive ({exc})", expected="a RAR archive of xlsx tables") from exc
    if not written:  # the 2021 edition prints neither industry employment nor telecom
        log.warning("%s: no prefecture-level table of the city keys", archive.name)
    return written


def clean_name(text: object) -> str:
    """Give a printed name without padding and OCR specks ('  石家庄市' -> '石家庄市', '‘汕尾' -> '汕尾').

    Parameters
    ----------
    text
        The name cell as read.

    Returns
    -------
    str
        The name; '' for an empty cell.
    """
    return NAME_NOISE.sub("", str(text).replace("_x000D_", ""))


def row_kind(name: str) -> str | None:
    """Classify a printed row by its name: ``total``, ``province``, ``city`` or None (not a data row).

    Parameters
    ----------
    name
        A name from :func:`clean_name`.

    Returns
    -------
    str or None
        ``total`` for 城市合计, ``province`` for a province's subtotal row (…省, …自治区), ``city`` for
        a name ending 市 (the municipalities too), None for titles, headers and notes.
    """
    if name == CITY_TOTAL:
        return "total"
    if re.search(r"[\u4e00-\u9fff]", name) is None or re.search(r"\d", name) or len(name) > 12:
        return None
    if name.endswith(("省", "自治区")):
        return "province"
    if name.endswith("市") and not re.fullmatch(r"\W*城市", name):  # '城市', '、城市': a repeated header
        return "city"
    return None


def _header_text(value: object) -> str:
    """Give a header cell without line breaks and spaces."""
    return re.sub(r"\s", "", str(value).replace("_x000D_", ""))


def parse_number(value: object) -> tuple[float, bool]:
    """Read one printed value.

    Parameters
    ----------
    value
        The cell as read (the tables store numbers as text).

    Returns
    -------
    (value, garbled)
        NaN and False for an empty cell or a dash; NaN and True for a cell that is not a number
        (OCR damage such as ``1838819(`` or ``1 9903633``, never guessed at).
    """
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value), False
    text = unicodedata.normalize("NFKC", str(value)).strip()  # full-width digits and points: '0．84'
    if text in EMPTY_CELLS:
        return np.nan, False
    try:
        return float(text.replace(",", "")), False
    except ValueError:
        return np.nan, True


def _first_data_row(grid: Grid) -> int | None:
    """Find the first row whose name cell is the all-city total or a city or province."""
    for i in range(grid.n_rows):
        if row_kind(clean_name(grid.cell(i, 0))) is not None:
            return i
    return None


def _columns(grid: Grid, header_end: int, title: str) -> dict[str, tuple[int, str]]:
    """Find each key's whole-city column on one sheet: key -> (column, unit as printed)."""
    width = max((len(r) for r in grid.rows[:header_end]), default=0)
    texts = ["".join(_header_text(grid.cell(r, c)) for r in range(header_end)) for c in range(width)]
    table_units = [
        m.group(1) for r in range(header_end) for m in [TABLE_UNIT.search(_header_text(grid.cell(r, 0)))] if m
    ]
    whole_city_table = bool(re.search(r"[(（]全市[)）]|TotalCity", title))
    found: dict[str, tuple[int, str]] = {}
    for key, spec in KEY_SPECS.items():
        columns = [c for c in range(1, width) if spec.label.search(texts[c])]
        for c in columns:
            # the whole-city column: marked 全市 below the label, or in a table of whole-city values only
            if not WHOLE_CITY.search(texts[c]) and (DISTRICTS.search(texts[c]) or not whole_city_table):
                continue
            unit = UNIT.search(texts[c])
            unit_found = unit.group(1) if unit else (table_units[0] if table_units else None)
            if unit_found not in spec.units:
                raise InputError(
                    grid.file,
                    f"unit of {key} not understood",
                    sheet=grid.sheet,
                    column=c,
                    expected=" or ".join(spec.units),
                    found=unit_found or "no unit in the column header or the table's 单位 line",
                )
            if key in found:
                raise InputError(
                    grid.file,
                    f"{key} found in two columns",
                    sheet=grid.sheet,
                    column=c,
                    expected="one whole-city (全市) column per key",
                    found=f"also column {found[key][0] + 1}",
                )
            found[key] = (c, unit_found)
    return found


def read_city_table(path: str | Path, *, edition: int, archive: str, table_file: str) -> pd.DataFrame:
    """Read the whole-city value of every key a yearbook table holds, one row per printed row and key.

    Parameters
    ----------
    path
        The unpacked table (.xlsx).
    edition
        The yearbook's edition (it reports the data of ``edition - 1``).
    archive, table_file
        The archive's file name and the table's path inside it, written with every value.

    Returns
    -------
    DataFrame
        :data:`KEY_COLUMNS`: ``value`` in the key's unit (:data:`KEY_SPECS`), ``printed`` the cell
        as printed, ``garbled`` True where it is no number (value NaN), ``row``/``column`` 0-based;
        rows of cities, province subtotals and the all-city total (``row_kind``). Empty when the
        table holds no key.

    Raises
    ------
    InputError
        For a key column whose unit is not understood, or a key found in two columns of a sheet.
    """
    records = []
    for grid in iter_sheets(path):
        start = _first_data_row(grid)
        if start is None:
            continue
        title = "".join(_header_text(grid.cell(r, 0)) for r in range(start)) + Path(table_file).name
        columns = _columns(grid, start, title)
        for row in range(start, grid.n_rows):
            name = clean_name(grid.cell(row, 0))
            kind = row_kind(name)
            if kind is None:
                continue
            # editions from 2012 print the English name in the second column
            english = " ".join(str(grid.cell(row, 1)).split())
            english = english if LATIN_NAME.fullmatch(english) else ""
            for key, (column, unit) in columns.items():
                value, garbled = parse_number(grid.cell(row, column))
                spec = KEY_SPECS[key]
                records.append(
                    (
                        edition,
                        edition - 1,
                        key,
                        name,
                        str(grid.cell(row, 0)).strip(),
                        english,
                        kind,
                        value * spec.units[unit],
                        spec.unit,
                        str(grid.cell(row, column)).strip(),
                        garbled,
                        archive,
                        table_file,
                        grid.sheet,
                        row,
                        column,
                    )
                )
    return pd.DataFrame(records, columns=KEY_COLUMNS)


def read_city_yearbook(tables: list[tuple[str | Path, int, str, str]]) -> pd.DataFrame:
    """Read every unpacked table and check that each edition prints each key once per city.

    Parameters
    ----------
    tables
        (path, edition, archive name, path inside the archive) of each unpacked table.

    Returns
    -------
    DataFrame
        :data:`KEY_COLUMNS`, sorted by key, year, row kind and name.

    Raises
    ------
    InputError
        From :func:`read_city_table`, or for a city printed twice for one key and edition.
    """
    frames = [read_city_table(p, edition=e, archive=a, table_file=t) for p, e, a, t in tables]
    keys = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=KEY_COLUMNS)
    cities = keys[keys["row_kind"] == "city"]
    twice = cities[cities.duplicated(["key", "edition", "name"], keep=False)]
    if not twice.empty:
        first = twice.iloc[1]
        raise InputError(
            first["archive"] + ": " + first["table_file"],
            f"city {first['name']} printed twice for {first['key']}",
            sheet=first["sheet"],
            row=int(first["row"]),
            column=int(first["column"]),
            expected="one row per city",
        )
    return keys.sort_values(["key", "year", "row_kind", "name"], ignore_index=True)


CITY_GDP_SHEET = "面板数据2000-2023"
CITY_GDP_COLUMNS = {  # key -> column of the city GDP panel (亿元)
    "gdp": "gdp（亿元人民币）",
    "va2": "第二产业增加值",
    "va3": "第三产业增加值",
}
CITY_GDP_ID = ("年度标识", "城市名称", "城市代码", "省份名称")


def read_city_gdp(path: str | Path) -> pd.DataFrame:
    """Read city GDP and secondary / tertiary VA (亿元) from the compiled panel, long, with its cells.

    Parameters
    ----------
    path
        The workbook (sheet ``面板数据2000-2023``: 年度标识, 城市名称, 城市代码, 省份名称, gdp, 第二产业增加值,
        第三产业增加值, ...).

    Returns
    -------
    DataFrame
        ``year``, ``key`` (gdp, va2, va3), ``name``, ``code_printed``, ``value`` (亿元, NaN where empty
        or not a number), ``garbled``, ``printed``, ``table_file``, ``sheet``, ``row``, ``column``.

    Raises
    ------
    InputError
        If the sheet or one of its columns is missing.
    """
    path = Path(path)
    grids = [g for g in iter_sheets(path) if g.sheet == CITY_GDP_SHEET]
    if not grids:
        raise InputError(path, f"sheet {CITY_GDP_SHEET!r} is missing", expected="the 2000-2023 city panel")
    grid = grids[0]
    header = [str(v).strip() for v in grid.rows[0]]
    needed = [*CITY_GDP_ID, *CITY_GDP_COLUMNS.values()]
    missing = [c for c in needed if c not in header]
    if missing:
        raise InputError(path, f"column {missing[0]!r} is missing", sheet=grid.sheet, row=0, expected=", ".join(needed))
    at = {c: header.index(c) for c in needed}
    records = []
    for row in range(1, grid.n_rows):
        year, _ = parse_number(grid.cell(row, at["年度标识"]))
        if np.isnan(year):
            continue
        code, _ = parse_number(grid.cell(row, at["城市代码"]))
        for key, column in CITY_GDP_COLUMNS.items():
            value, garbled = parse_number(grid.cell(row, at[column]))
            records.append(
                (
                    int(year),
                    key,
                    clean_name(grid.cell(row, at["城市名称"])),
                    None if np.isnan(code) else int(code),
                    value,
                    garbled,
                    str(grid.cell(row, at[column])),
                    path.name,
                    grid.sheet,
                    row,
                    at[column],
                )
            )
    columns = [
        "year",
        "key",
        "name",
        "code_printed",
        "value",
        "garbled",
        "printed",
        "table_file",
        "sheet",
        "row",
        "column",
    ]
    return pd.DataFrame(records, columns=columns)


def unpacked_tables(root: str | Path, archives: list[tuple[str | Path, int]]) -> list[tuple[Path, int, str, str]]:
    """List the tables :func:`unpack_city_yearbook` wrote for each archive (``root / <archive name>``).

    Parameters
    ----------
    root
        The folder the archives were unpacked into, one subfolder per archive.
    archives
        (archive path, edition) of each archive.

    Returns
    -------
    list
        (table path, edition, archive name, path inside the archive), as :func:`read_city_yearbook` takes.
    """
    tables = []
    for archive, edition in archives:
        folder = Path(root) / Path(archive).name
        for path in sorted(folder.rglob("*.xlsx")):
            tables.append((path, edition, Path(archive).name, path.relative_to(folder).as_posix()))
    return tables


def cell_source(frame: pd.DataFrame, file_column: str) -> pd.Series:
    """Say where each value was printed: '<file>, sheet <s>, cell <C><r>' (1-based row, column letters)."""
    from digecon.core.errors import column_letter

    letters = frame["column"].map(lambda c: column_letter(int(c)))
    return (
        frame[file_column]
        + ", sheet "
        + frame["sheet"].astype(str)
        + ", cell "
        + letters
        + (frame["row"] + 1).astype(str)
    )


def city_keys_table(
    tables: list[tuple[str | Path, int, str, str]],
    city_gdp: str | Path,
    code_lists: dict[int, str | Path],
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Read the city keys of every source, matched to the codes of their year, with their cells.

    Parameters
    ----------
    tables
        :func:`unpacked_tables`.
    city_gdp
        The city GDP panel (:func:`read_city_gdp`): GDP, va2 and va3 of every prefecture-level
        unit (the movers, and the keys gdp, va2, va3).
    code_lists
        Year -> GB/T 2260 list of that year's end.

    Returns
    -------
    (keys, register, printed_totals)
        ``keys``: ``year``, ``key``, ``city_code``, ``city``, ``province_code``, ``unit_type``,
        ``value``, ``unit``, ``garbled``, ``printed``, ``name_printed``, ``matched_by`` and
        ``source`` (archive: table, sheet, cell). ``register``:
        :func:`digecon.inputs.city_register.prefecture_units`. ``printed_totals``: the province
        subtotal and all-city total rows as printed (``province_code`` from the printed name,
        empty where it is garbled), for checks.

    Raises
    ------
    InputError
        From the readers, or for a city name of the yearbook that matches no code of its year.
    """
    from digecon.inputs.city_register import (
        match_city_gdp,
        match_names,
        prefecture_units,
        province_names,
        read_code_list,
    )

    register = prefecture_units({year: read_code_list(path) for year, path in code_lists.items()})
    printed = read_city_yearbook(tables)
    printed = printed.assign(source=printed["archive"] + ": " + cell_source(printed, "table_file"))
    cities = match_names(printed[printed["row_kind"] == "city"], register)
    gdp = read_city_gdp(city_gdp)
    gdp = gdp[gdp["year"].isin(register["year"].unique())].reset_index(drop=True)
    gdp = match_city_gdp(gdp.assign(source=cell_source(gdp, "table_file")), register)
    unmatched = gdp[gdp["matched_by"] == "unmatched"]
    if len(unmatched):
        log.info("city GDP rows of no prefecture-level unit (left out): %s", sorted(set(unmatched["name"])))
    gdp = gdp[gdp["matched_by"] != "unmatched"].assign(name_printed=lambda t: t["name"], unit="亿元")
    columns = ["year", "key", "city_code", "city", "province_code", "unit_type", "value", "unit", "garbled", "printed"]
    gdp = gdp.assign(name_en="")
    extra = ["name_printed", "name_en", "matched_by", "source"]
    keys = pd.concat([cities[[*columns, *extra]], gdp[[*columns, *extra]]])
    keys = keys.astype({"city_code": int, "province_code": int}).sort_values(
        ["key", "year", "city_code"], ignore_index=True
    )
    totals = printed[printed["row_kind"] != "city"]
    codes = province_names()
    totals = totals.assign(province_code=totals["name"].map(codes).astype("Int64"))
    return keys, register, totals[["year", "key", "row_kind", "name", "province_code", "value", "garbled", "source"]]


def read_published_cities(path: str | Path, register: pd.DataFrame) -> pd.DataFrame:
    """Read the user's published city figures: long CSV ``city,year,component,value_100m_yuan[,source]``.

    ``city`` is a name as in the code list of that year (or a variant of the packaged table) or a
    six-digit code; ``component`` one of electronics, it_services, telecom, media, total.
    Validated by :func:`digecon.inputs.usercsv.read_user_csv`.

    Parameters
    ----------
    path
        The CSV file.
    register
        :func:`digecon.inputs.city_register.prefecture_units`.

    Returns
    -------
    DataFrame
        ``city_code``, ``year``, ``component``, ``value_100m_yuan``, ``source``, ``csv_row``.

    Raises
    ------
    InputError
        For a bad cell, a repeated city-year-component, or a city that matches no unit of its year.
    """
    from digecon.inputs.city_register import match_names
    from digecon.inputs.usercsv import Column, read_user_csv

    path = Path(path)
    columns = (
        Column("city", "text"),
        Column("year", "year"),
        Column("component", "choice", choices=("electronics", "it_services", "telecom", "media", "total")),
        Column("value_100m_yuan", "number"),
        Column("source", "text", required=False),
    )
    table = read_user_csv(path, columns, unique=("city", "year", "component"))
    source = table["source"] if "source" in table else pd.Series(path.name, index=table.index)
    as_code = pd.to_numeric(table["city"], errors="coerce")
    names = register.drop_duplicates(["year", "city_code"]).set_index(["year", "city_code"])["city"]
    named = table["city"].where(
        as_code.isna(), [names.get((y, c), str(c)) for y, c in zip(table["year"], as_code, strict=True)]
    )
    printed = pd.DataFrame(
        {"year": table["year"].astype(int), "name": named.map(clean_name), "row": table["csv_row"], "file": str(path)}
    )
    matched = match_names(printed, register, file_column="file")
    return pd.DataFrame(
        {
            "city_code": matched["city_code"].astype(int),
            "year": table["year"].astype(int).to_numpy(),
            "component": table["component"].to_numpy(),
            "value_100m_yuan": table["value_100m_yuan"].astype(float).to_numpy(),
            "source": source.fillna(path.name).replace("", path.name).to_numpy(),
            "csv_row": table["csv_row"].to_numpy(),
        }
    )
