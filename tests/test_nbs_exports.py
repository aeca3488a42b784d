"""Readers of the NBS CSV exports and the saved platform answers, on hand-built files.

Each file is written in the published layout (BOM, metadata lines, tab-padded cells, footer notes; the
answers' JSON cells), so the values and where they stand are known by hand.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pandas as pd
import pytest

from digecon.core.errors import InputError
from digecon.inputs.nbs_exports import read_nbs_export, read_nbs_platform_answers

FOOTER = (
    "注：1. 按照我国国民经济核算数据修订制度和国际通行做法，在第五次全国经济普查后，"
    "对1992年-2023年地区生产总值历史数据进行了系统修订。\n2. 续注。\n数据来源：国家统计局\n"
)


def export(path: Path, time: str, header: list[str], rows: list[list[str]], footer: str = FOOTER) -> Path:
    """An NBS export as downloaded: every cell followed by a tab, every line ended by a comma, with a BOM."""
    lines = ["数据库：分省年度数据 ", f"时间：{time} "]
    lines += ["".join(f"{cell}\t," for cell in row) for row in [header, *rows]]
    path.write_text("\ufeff" + "\n".join(lines) + "\n" + footer, encoding="utf-8")
    return path


def by_indicator(path: Path) -> Path:
    return export(
        path,
        "2024年",
        ["地区", "地区生产总值 (亿元) ", "其他行业增加值 (亿元) ", "人均地区生产总值 (元/人) "],
        [["北京市", "49670.2", "24515.4", "228167"], ["天津市", "17931.3", "", "132143"]],
    )


def test_an_export_by_indicator_is_read_with_every_value_traced(tmp_path: Path) -> None:
    frame = read_nbs_export(by_indicator(tmp_path / "分省年度数据2024.csv"))
    rows = frame.set_index(["province_code", "indicator"])
    beijing = rows.loc[(110000, "其他行业增加值")]
    assert (beijing["year"], beijing["value"], beijing["unit"]) == (2024, 24515.4, "亿元")
    # line 4 is 北京市 (two metadata lines and the header above it); column C is the second indicator
    assert (beijing["source_row"], beijing["source_column"], beijing["source"]) == (4, "C", "分省年度数据2024.csv")
    assert rows.loc[(110000, "人均地区生产总值"), "unit"] == "元/人"
    assert (120000, "其他行业增加值") not in rows.index  # an empty cell: not available
    assert len(frame) == 5


def test_an_export_by_year_is_read_with_the_indicator_it_is_given(tmp_path: Path) -> None:
    path = export(
        tmp_path / "地区生产总值指数（近十年）.csv",
        "2016年-2025年",
        ["地区", "2025年", "2024年", "2023年"],
        [["北京市", "", "105.1", "105.5"], ["河北省", "", "105.4", "105.7"]],
    )
    frame = read_nbs_export(path, indicator=("地区生产总值指数", "上年=100"))
    hebei = frame[(frame["province_code"] == 130000) & (frame["year"] == 2023)].iloc[0]
    assert (hebei["indicator"], hebei["unit"], hebei["value"]) == ("地区生产总值指数", "上年=100", 105.7)
    assert (hebei["source_row"], hebei["source_column"]) == (5, "D")
    assert sorted(frame["year"].unique()) == [2023, 2024]  # 2025 is empty everywhere


def test_money_in_wan_yuan_is_converted(tmp_path: Path) -> None:
    path = export(tmp_path / "x.csv", "2023年", ["地区", "软件业务收入 (万元) "], [["北京市", "266932700.0"]])
    row = read_nbs_export(path).iloc[0]
    assert (row["value"], row["unit"], row["source_unit"]) == (26693.27, "亿元", "万元")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda t: t.replace("数据库：", "Database:"), r"cell A1: not the layout of an NBS export"),
        (lambda t: t.replace("时间：2024年", "时间：2023年-2024年"), r"cell A2: .* names no single year"),
        (lambda t: t.replace("其他行业增加值 (亿元)", "其他行业增加值"), r"cell C3: unreadable header cell"),
        (lambda t: t.replace("天津市", "津"), r"cell A5: unknown province name"),
        (lambda t: t.replace("17931.3", "17931.3亿"), r"cell B5: value is not a number"),
        (lambda t: t.replace("天津市", "北京市"), r"cell A5: a province appears twice"),
        (lambda t: t.replace("132143\t,", "132143\t,7\t,"), r"cell E5: a value under no header"),
    ],
)
def test_a_bad_export_is_refused_naming_the_cell(tmp_path: Path, change, message: str) -> None:
    path = by_indicator(tmp_path / "x.csv")
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(InputError, match=message):
        read_nbs_export(path)


def test_an_export_in_another_encoding_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "gbk.csv"
    path.write_bytes("数据库：分省年度数据\n时间：2024年\n地区\t,x\t,\n".encode("gbk"))
    with pytest.raises(InputError, match="not UTF-8 text"):
        read_nbs_export(path)


def node(name: str, unit: str, value: str, du_name: str | None = None) -> dict[str, str]:
    """One indicator node of a platform answer (only the fields the reader uses, and a misleading _name)."""
    return {"i_showname": f"{name} ({unit}) ", "_name": "国内生产总值", "du_name": du_name or unit, "value": value}


def answers(path: Path, rows: list[tuple[str, str, dict]]) -> Path:
    """The saved answers: 省份名称, 省份代码, the JSON answer of the province."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["省份名称", "省份代码", "JSON数据"])
    for name, code, answer in rows:
        writer.writerow([name, code, json.dumps(answer, ensure_ascii=False)])
    path.write_text("\ufeff" + buffer.getvalue(), encoding="utf-8")
    return path


def answer(years: dict[str, list[dict[str, str]]]) -> dict:
    return {"data": [{"code": code, "name": code[:4] + "年", "values": nodes} for code, nodes in years.items()],
            "success": True, "state": 20000, "message": "成功"}  # fmt: skip


def software_answers(path: Path) -> Path:
    beijing = answer(
        {
            "2025YY": [node("软件业务收入", "万元", "")],
            "2024YY": [node("软件业务收入", "万元", "311637931.6"), node("软件业务出口", "万美元", "882606.5")],
        }
    )
    tibet = answer({"2024YY": [node("软件业务收入", "万元", ""), node("软件业务收入", "万元", "")]})
    return answers(path, [("北京市", "110000000000", beijing), ("西藏自治区", "540000000000", tibet)])


def test_platform_answers_are_read_by_their_shown_names_and_units(tmp_path: Path) -> None:
    frame = read_nbs_platform_answers(software_answers(tmp_path / "原始抓取.csv"))
    assert frame[["indicator", "year", "unit", "value"]].values.tolist() == [
        ["软件业务出口", 2024, "万美元", 882606.5],
        ["软件业务收入", 2024, "亿元", pytest.approx(31163.79316)],
    ]
    revenue = frame[frame["indicator"] == "软件业务收入"].iloc[0]
    # row 2 of the CSV, its JSON cell in column C, the first node of the second year
    assert (revenue["source_row"], revenue["source_column"], revenue["source_node"]) == (2, "C", "data[1].values[0]")
    assert revenue["source_unit"] == "万元"


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([("北京市", "120000000000", answer({}))], r"cell B2: province code and name disagree"),
        ([("北京市", "110000000000", {"data": "x"})], r"cell C2: not an NBS platform answer"),
        ([("北京市", "110000000000", answer({"2024": []}))], r"cell C2: year node data\[0\] unreadable"),
        (
            [("北京市", "110000000000", answer({"2024YY": [node("软件业务收入", "万元", "5", du_name="亿元")]}))],
            r"indicator node data\[0\].values\[0\]: name and unit cannot be read",
        ),
        (
            [("北京市", "110000000000", answer({"2024YY": [node("软件业务收入", "万元", "五")]}))],
            r"indicator node data\[0\].values\[0\]: value is not a number",
        ),
        (
            [("北京市", "110000000000", answer({"2024YY": [node("x", "万元", "1"), node("x", "万元", "2")]}))],
            r"node data\[0\].values\[1\] repeats x 2024 with another value",
        ),
    ],
)
def test_bad_platform_answers_are_refused(tmp_path: Path, rows: list, message: str) -> None:
    with pytest.raises(InputError, match=message):
        read_nbs_platform_answers(answers(tmp_path / "a.csv", rows))


def test_frames_have_the_long_columns(tmp_path: Path) -> None:
    from digecon.inputs.yearbook import LONG_COLUMNS

    for frame in (
        read_nbs_export(by_indicator(tmp_path / "e.csv")),
        read_nbs_platform_answers(software_answers(tmp_path / "a.csv")),
    ):
        assert list(frame.columns) == LONG_COLUMNS
        assert pd.api.types.is_integer_dtype(frame["source_row"])
