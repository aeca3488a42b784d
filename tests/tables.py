"""Build small IO tables in the NBS regional layout, with answers known by hand.

Sector i (1..42) has compensation 10i, net taxes i, depreciation 2i, operating surplus 3i,
so TVA = 16i and the table's total VA is 16 x 903 = 14,448 万元; TI = GO = 100i.
Tests mutate the rows to produce every kind of broken input.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from digecon.inputs.concordance import load_concordance

IO_FOLDER = "chnio_provincial_io/data-raw/中国31省区市42部门投入产出表1997-2017皮皮侠"
TOTAL_VA = 16 * sum(range(1, 43))
# Header row (0-based) and unit cell of each vintage's printed layout (national 2002 uses '—').
LAYOUTS = {
    "2002": {"header_row": 5, "unit_cell": (1, "last")},
    "2007": {"header_row": 7, "unit_cell": (2, 0)},
    "2012": {"header_row": 8, "unit_cell": (3, 0)},
    "2017": {"header_row": 7, "unit_cell": (2, 0)},
}
FINAL_USE = ["TIU", "FU101", "TFU", "GO"]


def sector_names(vintage: str) -> list[str]:
    table = load_concordance()
    rows = table[table["vintage"] == vintage].drop_duplicates("sector_code")
    return rows["sector_name"].tolist()


def io_table_rows(
    vintage: str = "2017", province: str = "北京", year: int | None = None, marker: str = "-", unit: str = "单位：万元"
) -> list[list[Any]]:
    """Rows of a complete, consistent 42-sector table of ``vintage`` as NBS prints it."""
    year = year or int(vintage)
    layout = LAYOUTS[vintage]
    names = sector_names(vintage)
    n_columns = 3 + 42 + len(FINAL_USE)
    blank = ["" for _ in range(n_columns)]
    rows = [list(blank) for _ in range(layout["header_row"])]
    rows[0][0] = f"{province}{year}年投入产出表"
    rows[1][0] = "（按当年生产者价格计算）"
    unit_row, unit_column = layout["unit_cell"]
    rows[unit_row][n_columns - 1 if unit_column == "last" else unit_column] = unit
    rows[layout["header_row"] - 1][2] = "代码"
    rows.append(["代码", "", marker, *[f"{i:02d}" for i in range(1, 43)], *FINAL_USE])
    for i, name in enumerate(names, start=1):
        row = ["", name, f"{i:02d}", *[0.0] * 42, 84.0 * i, 0.0, 0.0, 100.0 * i]
        row[2 + i] = 84.0 * i  # all intermediate input of a sector comes from itself
        rows.append(row)
    per_sector = {"TII": 84, "VA001": 10, "VA002": 1, "VA003": 2, "VA004": 3, "TVA": 16, "TI": 100}
    labels = {
        "TII": "中间投入合计",
        "VA001": "劳动者报酬",
        "VA002": "生产税净额",
        "VA003": "固定资产折旧",
        "VA004": "营业盈余",
        "TVA": "增加值合计",
        "TI": "总投入",
    }
    for code, factor in per_sector.items():
        rows.append(["", labels[code], code, *[float(factor * i) for i in range(1, 43)], "", "", "", ""])
    return rows


def find(rows: list[list[Any]], code: str) -> int:
    """Index of the row whose code column holds ``code``."""
    return next(i for i, row in enumerate(rows) if row[2] == code)


def write_workbook(rows: list[list[Any]], path: Path, sheet: str = "Sheet1") -> Path:
    """Write rows as .xls (xlwt) or .xlsx (openpyxl), chosen by the file's suffix."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".xls":
        import xlwt

        book = xlwt.Workbook(encoding="utf-8")
        ws = book.add_sheet(sheet)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value != "":
                    ws.write(r, c, value)
        book.save(str(path))
    else:
        import openpyxl

        book = openpyxl.Workbook()
        ws = book.active
        ws.title = sheet
        for row in rows:
            ws.append([None if v == "" else v for v in row])
        book.save(path)
    return path
