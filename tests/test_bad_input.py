"""A corpus of broken IO tables, generated here from small fixtures.

`digecon check` names the file and the place and what was expected, exits 1 without a traceback, and
the pipeline's reader stops with the very same message.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from digecon.cli import main
from digecon.core.errors import InputError
from digecon.inputs.concordance import load_concordance
from digecon.inputs.ingest import ingest_io_tables
from tests.tables import find, io_table_rows, write_workbook

Rows = list[list]


def drop_row(code: str) -> Callable[[Rows], None]:
    return lambda rows: rows.pop(find(rows, code))


def set_cell(code: str, column: int, value: object) -> Callable[[Rows], None]:
    return lambda rows: rows[find(rows, code)].__setitem__(column, value)


def add_sector(rows: Rows) -> None:
    extra = list(rows[find(rows, "42")])
    extra[1:3] = ["其他服务", "43"]
    rows.insert(find(rows, "42") + 1, extra)


CASES = {  # name: (mutation of a good 2017 Beijing table, expected message, expected location)
    # The '-' marker is no longer needed (2023 tables lack it); the column codes 01..42 are.
    "no column codes in the header": (
        lambda rows: rows[7].__setitem__(slice(3, 45), [""] * 42),
        "no IO-table header found in any sheet",
        None,
    ),
    "missing TVA row": (drop_row("TVA"), "row 'TVA' is missing", "column C"),
    "missing VA001 row": (drop_row("VA001"), "row 'VA001' is missing", "column C"),
    "missing VA002 row": (drop_row("VA002"), "row 'VA002' is missing", "column C"),
    "missing VA003 row": (drop_row("VA003"), "row 'VA003' is missing", "column C"),
    "missing VA004 row": (drop_row("VA004"), "row 'VA004' is missing", "column C"),
    "missing TI row": (drop_row("TI"), "row 'TI' is missing", "column C"),
    "missing GO column": (
        lambda rows: rows[7].__setitem__(len(rows[7]) - 1, "XX"),
        "column 'GO' (总产出) is missing",
        "row 8",
    ),
    "41 sectors": (drop_row("17"), "wrong number of sectors; expected 42 sector rows", "column C"),
    "43 sectors": (add_sector, "wrong number of sectors; expected 42 sector rows", "column C"),
    "duplicated code": (set_cell("06", 2, "05"), "sector code 05 appears twice", "cell C14"),
    "duplicated name": (set_cell("06", 1, "纺织品"), "sector 'textiles' appears twice", "cell B15"),
    "unknown name": (
        set_cell("20", 1, "通信设备、计算机与其他电子设备"),
        "sector name not in the concordance; closest known names: 通信设备、计算机和其他电子设备",
        "cell B28",
    ),
    "several unknown names": (
        lambda rows: [rows[find(rows, code)].__setitem__(1, "X" + rows[find(rows, code)][1]) for code in ("20", "41")],
        "2 sector names not in the concordance: B28 'X通信设备、计算机和其他电子设备' "
        "(closest known names: 通信设备、计算机和其他电子设备); "
        "B49 'X文化、体育和娱乐' (closest known names: 文化、体育和娱乐)",
        "column B",
    ),
    "text in a value": (set_cell("TVA", 10, "缺"), "value_added (TVA) of sector 08 is not a number", "cell K56"),
    "number stored as text": (
        set_cell("VA001", 10, "123.4"),
        "compensation (VA001) of sector 08 is not a number",
        "cell K52",
    ),
    "blank TVA": (set_cell("TVA", 10, ""), "value_added of sector 08 is blank", "cell K56"),
    "blank component": (set_cell("VA002", 10, ""), "do not sum to TVA", "cell K53"),
    "VA not summing to TVA": (
        lambda rows: rows[find(rows, "VA003")].__setitem__(10, 1e6),
        "va_identity failed for sector 08 纺织服装鞋帽皮革羽绒及其制品 at cell K56",
        None,
    ),
    "unit 亿元": (lambda rows: rows[2].__setitem__(0, "单位：亿元"), "unexpected unit in the title block", "cell A3"),
    "no unit": (lambda rows: rows[2].__setitem__(0, ""), "no unit found in the title block", None),
    "region code disagrees": (
        lambda rows: rows[0].__setitem__(0, "50地区投入产出表(2017）"),
        "province in the title and in the file name disagree; expected '北京' (from the file name), found '重庆'",
        None,
    ),
    "province disagrees": (
        lambda rows: rows[0].__setitem__(0, "上海2017年投入产出表"),
        "province in the title and in the file name disagree; expected '北京'",
        None,
    ),
}


def write_case(tmp_path: Path, mutate: Callable[[Rows], None]) -> Path:
    rows = io_table_rows("2017")
    mutate(rows)
    return write_workbook(rows, tmp_path / "2017年各省份投入产出表" / "01-北京.xls")


@pytest.mark.parametrize("case", CASES)
def test_check_names_file_place_and_expectation(case: str, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    mutate, message, location = CASES[case]
    path = write_case(tmp_path, mutate)
    assert main(["check", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"digecon check: {path}")
    assert message in err
    if location:
        assert location in err
    assert "Traceback" not in err


@pytest.mark.parametrize("case", CASES)
def test_pipeline_reader_stops_with_the_same_message(case: str, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    path = write_case(tmp_path, CASES[case][0])
    main(["check", str(path)])
    cli_message = capsys.readouterr().err.removeprefix("digecon check: ").strip()
    gdp = pd.DataFrame(columns=["province_code", "year", "series", "value_100m_yuan", "source"])
    with pytest.raises(InputError) as caught:
        ingest_io_tables(
            [path],
            load_concordance(),
            gdp,
            allowed_units=("万元",),
            va_tolerance=5.0,
            ti_go_rel_tolerance=0.01,
            gdp_gap_warn=0.02,
        )
    assert str(caught.value) == cli_message


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"province,year\n", "not an Excel file; expected an .xls or .xlsx workbook"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "damaged or truncated"),
    ],
)
def test_not_a_workbook(content: bytes, message: str, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    path = tmp_path / "01-北京.xls"
    path.write_bytes(content)
    assert main(["check", str(path)]) == 1
    assert message in capsys.readouterr().err


def test_good_and_bad_together(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    good = write_workbook(io_table_rows("2017"), tmp_path / "good" / "01-北京.xlsx")
    bad = write_case(tmp_path, drop_row("TI"))
    assert main(["check", str(good), str(bad)]) == 1
    out, err = capsys.readouterr()
    assert "identity checks passed" in out and "row 'TI' is missing" in err
