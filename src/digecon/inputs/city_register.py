"""The city register: the prefecture-level units of each year, and printed names matched to their codes.

Units come from the official GB/T 2260 code lists at each year end (``data/YYYY.txt`` of the
areacodes repository), adjusted by the explicit table of boundary changes
(``city_boundary_changes.csv``: cities created, upgraded from 地区, renamed, split and merged in
2009-2023). Names printed in the yearbooks are matched to the codes of their data year: exactly,
else with 市 added, else through the explicit table of name variants (``city_name_variants.csv``:
OCR slips and old names); a name none of these resolve is an error that names the cell and, as a
hint only, the closest official names. The province always comes from the code.
"""

from __future__ import annotations

import difflib
from functools import cache
from importlib.resources import files
from pathlib import Path

import pandas as pd

from digecon.core.errors import InputError
from digecon.core.provinces import province_table

MUNICIPALITIES = (110000, 120000, 310000, 500000)  # their own single city
REGISTER_COLUMNS = ["year", "city_code", "city", "province_code", "unit_type"]
REST = "rest"  # the part of a province outside its prefecture-level cities (地区, 自治州, 盟)


def read_code_list(path: str | Path) -> pd.DataFrame:
    """Read one year-end GB/T 2260 list (``code name`` per line).

    Parameters
    ----------
    path
        ``data/YYYY.txt`` of the code lists.

    Returns
    -------
    DataFrame
        ``code`` (int) and ``name``, in file order.

    Raises
    ------
    InputError
        For a line that is not a six-digit code and a name.
    """
    path = Path(path)
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines()):
        if not line.strip():
            continue
        parts = line.split()
        if len(parts) != 2 or not (parts[0].isdigit() and len(parts[0]) == 6):
            raise InputError(path, "not a code list line", row=number, expected="'110000 北京市'", found=line)
        rows.append((int(parts[0]), parts[1]))
    return pd.DataFrame(rows, columns=["code", "name"])


@cache
def boundary_changes() -> pd.DataFrame:
    """Read the packaged table of prefecture-level boundary changes 2009-2023 (``city_boundary_changes.csv``).

    Returns
    -------
    DataFrame
        ``year`` (first data year of the new state), ``code_before``, ``name_before``,
        ``code_after``, ``name_after`` (``;``-separated where a unit was split), ``change``
        (renamed, split, upgraded, created, merged) and ``note``.
    """
    with files("digecon.data").joinpath("city_boundary_changes.csv").open(encoding="utf-8") as handle:
        return pd.read_csv(handle, dtype=str, keep_default_na=False).assign(year=lambda t: t["year"].astype(int))


@cache
def name_variants() -> dict[str, str]:
    """Read the packaged table of printed name variants (``city_name_variants.csv``): variant -> official name."""
    with files("digecon.data").joinpath("city_name_variants.csv").open(encoding="utf-8") as handle:
        table = pd.read_csv(handle, dtype=str)
    return dict(zip(table["variant"], table["name"], strict=True))


def prefecture_units(code_lists: dict[int, pd.DataFrame]) -> pd.DataFrame:
    """List the prefecture-level units of each year, cities apart from the other units.

    A code of the boundary table that ends in year Y is kept in the years before Y even where the
    code list of Y - 1 already lacks it (莱芜: merged in January 2019, gone from the 2018 list).

    Parameters
    ----------
    code_lists
        Year -> :func:`read_code_list` of that year's end.

    Returns
    -------
    DataFrame
        :data:`REGISTER_COLUMNS`: ``unit_type`` is ``municipality`` (北京, 天津, 上海, 重庆), ``city``
        (a prefecture-level unit named …市) or ``other`` (地区, 自治州, 盟).
    """
    frames = []
    names = {}
    for year, codes in sorted(code_lists.items()):
        names.update(dict(zip(codes["code"], codes["name"], strict=True)))
        prefecture = codes[(codes["code"] % 100 == 0) & (codes["code"] % 10000 != 0) & (codes["code"] % 10000 != 9000)]
        municipal = codes[codes["code"].isin(MUNICIPALITIES)]
        frames.append(pd.concat([municipal, prefecture]).assign(year=year))
    units = pd.concat(frames, ignore_index=True)
    for change in boundary_changes().itertuples(index=False):
        if not change.code_before or len(change.code_before.split(";")) > 1:
            continue
        before = int(change.code_before)
        if before % 100 or before not in names:
            continue  # a county-level unit before (儋州 until 2014): not a prefecture-level unit
        kept = [
            y for y in code_lists if y < change.year and not ((units["year"] == y) & (units["code"] == before)).any()
        ]
        units = pd.concat([units, pd.DataFrame({"year": kept, "code": before, "name": change.name_before})])
    kind = units["name"].str.endswith("市").map({True: "city", False: "other"})
    units = units.assign(
        city_code=units["code"],
        city=units["name"],
        province_code=units["code"] // 10000 * 10000,
        unit_type=kind.where(~units["code"].isin(MUNICIPALITIES), "municipality"),
    )
    units = units.astype({"year": int, "city_code": int, "province_code": int})
    return units[REGISTER_COLUMNS].sort_values(["year", "city_code"], ignore_index=True)


def match_names(
    printed: pd.DataFrame, register: pd.DataFrame, *, file_column: str = "table_file", strict: bool = True
) -> pd.DataFrame:
    """Give each printed city name the code of its data year.

    Parameters
    ----------
    printed
        At least ``year`` and ``name`` (cleaned, :func:`digecon.inputs.cities.clean_name`), and for
        messages ``sheet``, ``row``, ``column`` and ``file_column``.
    register
        :func:`prefecture_units`.
    file_column
        Column naming the file of each row, for the error message.
    strict
        True: a name that matches nothing is an error. False: it is kept with empty codes and
        ``matched_by`` 'unmatched' (for a secondary source that also lists county-level units).

    Returns
    -------
    DataFrame
        ``printed`` with ``city_code``, ``city`` (official name), ``province_code``, ``unit_type``
        and ``matched_by`` (exact, suffix 市, variant table, unmatched).

    Raises
    ------
    InputError
        For a name that matches no unit of its year, naming the cell and, as a hint, the closest
        official names of that year.
    """
    variants = name_variants()
    by_year = {y: dict(zip(g["city"], g.index, strict=True)) for y, g in register.groupby("year")}
    positions, how = [], []
    for row in printed.itertuples(index=False):
        names = by_year.get(row.year, {})
        for label, candidate in (
            ("exact", row.name),
            ("suffix 市", row.name + "市"),
            ("variant table", variants.get(row.name)),
        ):
            if candidate in names:
                positions.append(names[candidate])
                how.append(label)
                break
        else:
            if not strict:
                positions.append(None)
                how.append("unmatched")
                continue
            hint = difflib.get_close_matches(row.name, list(names), n=3, cutoff=0.5)
            raise InputError(
                getattr(row, file_column, "city names"),
                f"city name {row.name!r} matches no prefecture-level unit of {row.year} (add it to "
                "src/digecon/data/city_name_variants.csv if it is a variant)",
                sheet=getattr(row, "sheet", None),
                row=getattr(row, "row", None),
                column=0,
                expected=f"a name of the {row.year} code list" + (f", e.g. {', '.join(hint)}" if hint else ""),
                found=row.name,
            )
    columns = ["city_code", "city", "province_code", "unit_type"]
    matched = register.reindex(pd.Index(positions, dtype="float"))[columns].reset_index(drop=True)
    return pd.concat([printed.reset_index(drop=True), matched.assign(matched_by=how)], axis=1)


def province_names() -> dict[str, int]:
    """Full province names as printed on subtotal rows (河北省, 内蒙古自治区) -> code."""
    return dict(zip(province_table()["province_full"], province_table()["province_code"], strict=True))


def match_city_gdp(gdp: pd.DataFrame, register: pd.DataFrame) -> pd.DataFrame:
    """Match the compiled city GDP panel to the register, whose names follow no single year.

    The panel prints some units under their later name in earlier years (毕节市 for 2009, when it
    was 毕节地区) and some under their former name later (吐鲁番地区 for 2019): names that do not
    match their year are read through the boundary table (the name after a change, before it,
    stands for the unit before it, and the reverse). Names still unmatched (county-level units
    under a province) are kept with empty codes.

    Parameters
    ----------
    gdp
        :func:`digecon.inputs.cities.read_city_gdp`.
    register
        :func:`prefecture_units`.

    Returns
    -------
    DataFrame
        As :func:`match_names` (``strict=False``); ``matched_by`` 'boundary table' for the rows
        matched through the boundary changes.
    """
    renamed = gdp.copy()
    how = pd.Series("", index=gdp.index)
    for change in boundary_changes().itertuples(index=False):
        if change.change not in ("renamed", "upgraded"):  # one unit before and after, the same area
            continue
        earlier = (gdp["name"] == change.name_after) & (gdp["year"] < change.year)
        later = (gdp["name"] == change.name_before) & (gdp["year"] >= change.year)
        renamed.loc[earlier, "name"] = change.name_before
        renamed.loc[later, "name"] = change.name_after
        how[earlier | later] = "boundary table"
    matched = match_names(renamed, register, strict=False, file_column="table_file")
    through_table = how.to_numpy() != ""
    exact = matched["matched_by"] == "exact"
    matched.loc[through_table & exact.to_numpy(), "matched_by"] = "boundary table"
    return matched.assign(name=gdp["name"].to_numpy())
