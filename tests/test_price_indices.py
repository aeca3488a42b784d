"""The user's volume indices: the reader refuses growth rates, bad series, repeats and 全国, naming the cell."""

from __future__ import annotations

from pathlib import Path

import pytest

from digecon.core.errors import InputError
from digecon.inputs.price_indices import INDEX_COLUMNS, read_price_indices


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding)
    return path


def test_a_file_of_indices_is_read_with_codes_and_sources(tmp_path: Path) -> None:
    user = write(
        tmp_path / "indices.csv",
        "province,year,index,series,source\n北京市,2019,103,secondary,统计公报\nShanghai,2020,101.5,tertiary,\n",
        encoding="utf-8-sig",
    )
    table = read_price_indices(user)
    assert list(table.columns) == INDEX_COLUMNS
    assert table.values.tolist() == [
        [110000, 2019, "secondary", 103.0, "统计公报"],
        [310000, 2020, "tertiary", 101.5, "indices.csv"],
    ]


def test_a_growth_rate_instead_of_an_index_is_refused(tmp_path: Path) -> None:
    user = write(tmp_path / "rates.csv", "province,year,index,series\n北京,2020,101.2,gdp\n北京,2021,6.1,secondary\n")
    with pytest.raises(InputError, match=r"not a volume index on the previous year.*106\.1, not 6\.1.*'6\.1'"):
        read_price_indices(user)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("province,year,index,series\n北京,2020,103,services\n", "column 'series': bad value"),
        ("province,year,index\n北京,2020,103\n", "column 'series' is missing"),
        ("province,year,index,series\n北京,2020,103,gdp\n北京市,2020,104,gdp\n", "a row repeats"),
        ("province,year,index,series\n全国,2020,103,gdp\n", "column 'province': bad value"),
    ],
)
def test_bad_user_index_files_are_refused_with_the_cell(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        read_price_indices(write(tmp_path / "bad.csv", text))
