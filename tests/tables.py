"""Build small IO tables in the NBS regional layout, with answers known by hand.

Sector i (1..42) has compensation 10i, net taxes i, depreciation 2i, operating surplus 3i,
so TVA = 16i and the table's total VA is 16 x 903 = 14,448 万元; TI = GO = 100i. The same
numbers stand in every layout (headings, final-use columns, markers, titles), so every layout
reads to the same totals. Tests mutate the rows to produce every kind of broken input.
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
# The final-use columns of the 2017 regional tables, and two layouts of the 2023 round: one 净流出
# (NOF) column instead of exports, outflows, imports and inflows; no 其他 (ERR) column.
NBS_FINAL_USE = ["TIU", "FU101", "FU102", "THC", "FU103", "TC", "FU201", "FU202", "GCF", "EX", "OF", "TFU"]
NBS_FINAL_USE += ["IM", "IF", "ERR", "GO"]
NET_OUTFLOW = [c for c in NBS_FINAL_USE if c not in ("EX", "OF", "IM", "IF")]
NET_OUTFLOW.insert(NET_OUTFLOW.index("TFU"), "NOF")
NO_ERR = [c for c in NBS_FINAL_USE if c != "ERR"]
# Sector i's final-use cells (x i, 万元): its whole intermediate use 84i, final use 16i, all of it
# rural consumption, so GO = TIU + TFU = 100i; every other final-use column is 0.
FINAL_USE_FACTORS = {"TIU": 84, "FU101": 16, "THC": 16, "TC": 16, "TFU": 16, "GO": 100}
# Headings over each final-use code: (level, text) of the four printed levels (1 = top) of the
# 2017 tables ...
NBS_HEADINGS = {
    "TIU": [(2, "中间使用合计")],
    "FU101": [(1, "最终使用"), (2, "最终消费"), (3, "居民消费"), (4, "农村居民消费")],
    "FU102": [(4, "城镇居民消费")],
    "THC": [(4, "小计")],
    "FU103": [(3, "政府消费")],
    "TC": [(3, "合计")],
    "FU201": [(2, "资本形成总额"), (3, "固定资本形成总额")],
    "FU202": [(3, "存货变动")],
    "GCF": [(3, "合计")],
    "EX": [(2, "出口")],
    "OF": [(2, "国内省外流出")],
    "NOF": [(2, "净流出")],
    "TFU": [(2, "最终使用合计")],
    "IM": [(1, "进口")],
    "IF": [(1, "国内省外流入")],
    "ERR": [(1, "其他")],
    "GO": [(1, "总产出")],
}
# ... and the one flat heading row of some 2023 tables.
FLAT_HEADINGS = {
    **{code: levels[-1][1] for code, levels in NBS_HEADINGS.items()},
    "THC": "居民消费",
    "TC": "最终消费",
    "GCF": "资本形成总额",
}


def sector_names(vintage: str) -> list[str]:
    table = load_concordance()
    rows = table[table["vintage"] == vintage].drop_duplicates("sector_code")
    return rows["sector_name"].tolist()


def _heading_rows(
    headings: str, names: list[str], final_use: list[str], n_columns: int, go_heading: str
) -> list[list[Any]]:
    """The heading rows above the code row: none (only 代码), the four NBS levels, or one flat row."""
    rows = [["" for _ in range(n_columns)] for _ in range({"none": 1, "nbs": 4, "flat": 1}[headings])]
    if headings == "none":
        rows[0][2] = "代码"
        return rows
    first_final = 3 + len(names)
    if headings == "nbs":
        rows[0][0], rows[0][2], rows[0][3] = "产出\n\n投入", "代码", "中间使用"
        rows[1][3 : 3 + len(names)] = names
        for column, code in enumerate(final_use, start=first_final):
            for level, text in NBS_HEADINGS.get(code, []):
                rows[level - 1][column] = go_heading if code == "GO" else text
        return rows
    rows[0][2:first_final] = ["代码", *names]
    for column, code in enumerate(final_use, start=first_final):
        rows[0][column] = go_heading if code == "GO" else FLAT_HEADINGS.get(code, "")
    return rows


def io_table_rows(
    vintage: str = "2017",
    province: str = "北京",
    year: int | None = None,
    marker: str = "-",
    unit: str = "单位：万元",
    *,
    title: str | None = None,
    final_use: list[str] = FINAL_USE,
    headings: str = "none",
    go_code: str = "GO",
    go_heading: str = "总产出",
) -> list[list[Any]]:
    """Rows of a complete, consistent 42-sector table of ``vintage`` as NBS prints it.

    ``marker`` is printed in the code column of the code row; ``headings`` above it are "none"
    (only 代码), "nbs" (the four levels of the 2017 tables, over ``final_use``) or "flat" (one row
    of sector names and final-use headings); ``go_code`` is printed over the GO column ("" for
    none) and ``go_heading`` in the headings above it.
    """
    year = year or int(vintage)
    layout = LAYOUTS[vintage]
    names = sector_names(vintage)
    n_columns = 3 + 42 + len(final_use)
    heading_rows = _heading_rows(headings, names, final_use, n_columns, go_heading)
    rows = [["" for _ in range(n_columns)] for _ in range(layout["header_row"] - len(heading_rows))]
    rows[0][0] = title if title is not None else f"{province}{year}年投入产出表"
    rows[1][0] = "（按当年生产者价格计算）"
    unit_row, unit_column = layout["unit_cell"]
    rows[unit_row][n_columns - 1 if unit_column == "last" else unit_column] = unit
    rows += heading_rows
    codes = [go_code if code == "GO" else code for code in final_use]
    rows.append(["代码", "", marker, *[f"{i:02d}" for i in range(1, 43)], *codes])
    for i, name in enumerate(names, start=1):
        row = ["", name, f"{i:02d}", *[0.0] * 42, *[float(FINAL_USE_FACTORS.get(c, 0) * i) for c in final_use]]
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
        rows.append(["", labels[code], code, *[float(factor * i) for i in range(1, 43)], *[""] * len(final_use)])
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
