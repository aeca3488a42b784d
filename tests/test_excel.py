"""Reading a workbook as plain grids: every sheet in order, cells as text, clear errors for non-workbooks."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from digecon.core.errors import InputError
from digecon.inputs.excel import iter_sheets
from tests.tables import write_workbook


def two_sheets(path: Path) -> Path:
    book = openpyxl.Workbook()
    book.active.title = "封面"
    book.active.append(["北京2017年投入产出表"])
    sheet = book.create_sheet("表")
    sheet.append(["代码", 40.0, 3.5, None])
    sheet.append(["TVA", None, "  x  ", 7])
    book.save(path)
    return path


def test_sheets_in_order_and_cells_as_text(tmp_path: Path) -> None:
    cover, table = iter_sheets(two_sheets(tmp_path / "book.xlsx"))
    assert (cover.sheet, table.sheet) == ("封面", "表")
    assert cover.file == str(tmp_path / "book.xlsx")
    assert cover.n_rows == 1 and table.n_rows == 2
    assert table.text(0, 1) == "40"  # .xls stores codes as 40.0
    assert table.text(0, 2) == "3.5"
    assert table.text(1, 2) == "x"
    assert table.cell(1, 1) == "" and table.text(1, 1) == ""
    assert table.cell(1, 3) == 7
    assert table.cell(0, 50) == ""  # beyond the end of the row


def test_xls_and_xlsx_are_read_alike(tmp_path: Path) -> None:
    rows = [["代码", "01", 12.0], ["TVA", "", 16.0]]
    for path in (write_workbook(rows, tmp_path / "a.xls"), write_workbook(rows, tmp_path / "b.xlsx")):
        [grid] = iter_sheets(path)
        assert [grid.text(r, c) for r in range(2) for c in range(3)] == ["代码", "01", "12", "TVA", "", "16"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "t.xls: the file is empty; expected an Excel workbook (.xls or .xlsx)"),
        (
            b"province,year\n110000,2017\n",
            "t.xls: not an Excel file; expected an .xls or .xlsx workbook, found content starting b'province'",
        ),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64,
            "t.xls: cannot read the workbook (damaged or truncated file",
        ),
    ],
)
def test_files_that_are_not_workbooks(tmp_path: Path, content: bytes, message: str) -> None:
    (tmp_path / "t.xls").write_bytes(content)
    with pytest.raises(InputError) as caught:
        next(iter_sheets(tmp_path / "t.xls"))
    assert str(caught.value).startswith(str(tmp_path / message))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"cannot open the file \(No such file or directory\)"):
        next(iter_sheets(tmp_path / "absent.xlsx"))


@pytest.mark.parametrize(("written", "renamed"), [(".xlsx", ".xls"), (".xls", ".xlsx"), (".xlsx", ".dat")])
def test_renamed_workbook_read_by_its_content(tmp_path: Path, written: str, renamed: str) -> None:
    rows = [["代码", "01", 12.0], ["TVA", "", 16.0]]
    original = write_workbook(rows, tmp_path / f"book{written}")
    path = tmp_path / f"renamed{renamed}"
    path.write_bytes(original.read_bytes())  # an .xlsx saved under an .xls name, or the reverse
    [grid] = iter_sheets(path)
    assert grid.file == str(path)
    assert [grid.text(r, c) for r in range(2) for c in range(3)] == ["代码", "01", "12", "TVA", "", "16"]


def test_renamed_and_damaged_workbook_is_still_refused(tmp_path: Path) -> None:
    whole = write_workbook([["代码", "01"]], tmp_path / "book.xlsx").read_bytes()
    path = tmp_path / "t.xls"
    path.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(InputError, match=r"t\.xls: cannot read the workbook \(damaged or truncated file"):
        next(iter_sheets(path))
