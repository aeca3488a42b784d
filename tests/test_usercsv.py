"""One validation path for user CSV files: every bad cell named by file, row, column, value and expectation."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digecon.core.errors import InputError
from digecon.inputs.ratios import read_census_ratios
from digecon.inputs.usercsv import Column, read_user_csv
from digecon.inputs.yearbook import read_user_indicators

GOOD_INDICATORS = (
    "province,year,indicator,value,unit,source\n"
    "北京,2020,C39营业收入,1234.5,亿元,工业年鉴\n"
    "110000,2021,C39营业收入,12345000,万元,\n"
)


def write(tmp_path: Path, text: str, name: str = "user.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_user_indicators_are_read_and_converted_to_100m_yuan(tmp_path: Path) -> None:
    frame = read_user_indicators(write(tmp_path, GOOD_INDICATORS))
    assert frame["province_code"].tolist() == [110000, 110000]
    assert frame["value"].tolist() == pytest.approx([1234.5, 1234.5])  # 12,345,000 万元 = 1,234.5 亿元
    assert frame["source"].tolist() == ["工业年鉴", "user.csv"]


def test_excel_bom_is_accepted(tmp_path: Path) -> None:
    frame = read_user_indicators(write(tmp_path, GOOD_INDICATORS, encoding="utf-8-sig"))
    assert len(frame) == 2


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("四成", "a share in [0, 1]"),
        ("1,234", "a share in [0, 1]"),
        ("—", "a share in [0, 1]"),
        ("1.5", "a share in [0, 1]"),
        ("nan", "a share in [0, 1]"),
    ],
)
def test_census_ratio_that_is_not_a_share(tmp_path: Path, cell: str, expected: str) -> None:
    path = write(tmp_path, f'census_year,province,ratio,value\n2018,全国,r_media,0.36\n2018,北京,s_I63,"{cell}"\n')
    with pytest.raises(InputError) as caught:
        read_census_ratios(path)
    message = str(caught.value)
    assert message.startswith(f"{path}, cell D3: column 'value': bad value")
    assert expected in message and f"found '{cell}'" in message


@pytest.mark.parametrize(
    ("row", "where", "expected"),
    [
        ("火星,2020,x,1,亿元", "cell A2: column 'province'", "a province name"),
        ("北京,二〇二〇,x,1,亿元", "cell B2: column 'year'", "a year"),
        ("北京,2020,x,1,千元", "cell E2: column 'unit'", "亿元 or 万元 or 元"),
        ("全国,2020,x,1,亿元", "cell A2: column 'province'", "a province name"),
    ],
)
def test_bad_indicator_cells(tmp_path: Path, row: str, where: str, expected: str) -> None:
    path = write(tmp_path, f"province,year,indicator,value,unit\n{row}\n")
    with pytest.raises(InputError, match=where) as caught:
        read_user_indicators(path)
    assert expected in str(caught.value)


def test_duplicate_and_missing_column_and_ragged_row(tmp_path: Path) -> None:
    twice = write(tmp_path, "province,year,indicator,value,unit\n北京,2020,x,1,亿元\n北京市,2020,x,2,亿元\n")
    with pytest.raises(InputError, match=r"row 3: a row repeats province 110000, year 2020, indicator x"):
        read_user_indicators(twice)
    missing = write(tmp_path, "province,year,value\n北京,2020,1\n", "missing.csv")
    with pytest.raises(InputError, match=r"row 1: column 'indicator', 'unit' is missing"):
        read_user_indicators(missing)
    ragged = write(tmp_path, "province,year,indicator,value,unit\n北京,2020,x,1\n", "ragged.csv")
    with pytest.raises(InputError, match=r"row 2: row has 4 cells, the header 5"):
        read_user_indicators(ragged)


def test_whole_file_faults(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="the file is empty"):
        read_user_indicators(write(tmp_path, "", "empty.csv"))
    # a BOM alone (Excel's empty 'CSV UTF-8'), blank lines or empty cells: empty too, not a crash
    for name, text in [("bom.csv", "\ufeff"), ("blank.csv", "\n\n  \n"), ("commas.csv", ",,,\n,,\n")]:
        with pytest.raises(InputError, match=f"{name}: the file is empty"):
            read_user_indicators(write(tmp_path, text, name))
    with pytest.raises(InputError, match=r"not UTF-8 text .* 'CSV UTF-8'"):
        read_user_indicators(write(tmp_path, GOOD_INDICATORS, "gbk.csv", encoding="gbk"))
    truncated = GOOD_INDICATORS.encode("utf-8")[:-7]  # cut inside a multi-byte character
    (tmp_path / "cut.csv").write_bytes(truncated)
    with pytest.raises(InputError):
        read_user_indicators(tmp_path / "cut.csv")


COLUMNS = (Column("province", "province"), Column("year", "year"), Column("value", "number"))


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(cells=st.lists(st.text(max_size=6), min_size=3, max_size=3))
def test_any_cell_gives_a_number_or_a_named_error(tmp_path: Path, cells: list[str]) -> None:
    """Fuzzing: whatever a user types in a cell, the reader returns parsed values or an InputError."""
    path = tmp_path / "fuzz.csv"
    escaped = ['"' + c.replace('"', '""') + '"' for c in cells]
    path.write_text("province,year,value\n" + ",".join(escaped) + "\n", encoding="utf-8")
    try:
        frame = read_user_csv(path, COLUMNS)
    except InputError as exc:
        assert str(path) in str(exc)
    else:
        assert len(frame) <= 1


@settings(max_examples=120, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(
    data=st.data(),
    reader=st.sampled_from([read_user_indicators, read_census_ratios]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "gbk", "utf-16"]),
)
def test_whole_file_faults_give_the_same_numbers_or_a_named_error(
    tmp_path: Path, data: st.DataObject, reader: object, encoding: str
) -> None:
    """Fuzzing: truncated files, flipped bytes and other encodings end in numbers or an InputError naming the file."""
    text = (
        GOOD_INDICATORS
        if reader is read_user_indicators
        else "census_year,province,ratio,value\n2018,全国,r_media,0.36\n"
    )
    content = bytearray(text.encode(encoding))
    cut = data.draw(st.integers(0, len(content)))
    for position, value in data.draw(
        st.lists(st.tuples(st.integers(0, len(content) - 1), st.integers(0, 255)), max_size=4)
    ):
        content[position] = value
    path = tmp_path / "faulty.csv"
    path.write_bytes(bytes(content[:cut]))
    try:
        frame = reader(path)  # type: ignore[operator]
    except InputError as exc:
        assert str(path) in str(exc)
    else:
        assert frame["value"].notna().all()
