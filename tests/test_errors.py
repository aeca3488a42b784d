"""Error messages name the place of bad input as a spreadsheet shows it: file, sheet, cell."""

from __future__ import annotations

import pytest

from digecon.core.errors import ConfigError, InputError, TableCheckError, column_letter


@pytest.mark.parametrize(
    ("index", "letters"), [(0, "A"), (2, "C"), (25, "Z"), (26, "AA"), (27, "AB"), (51, "AZ"), (701, "ZZ"), (702, "AAA")]
)
def test_column_letters(index: int, letters: str) -> None:
    assert column_letter(index) == letters


def test_location_and_message_of_a_cell() -> None:
    error = InputError("file", "problem", sheet="S", row=3, column=2, expected="x", found="y")
    assert error.location() == "file, sheet 'S', cell C4"
    assert str(error) == "file, sheet 'S', cell C4: problem; expected x, found y"
    assert isinstance(error, ValueError)


@pytest.mark.parametrize(
    ("where", "text"),
    [
        ({}, "t.csv: bad value"),
        ({"row": 0}, "t.csv, row 1: bad value"),
        ({"column": 27}, "t.csv, column AB: bad value"),
        ({"sheet": "表1", "row": 55, "column": 10}, "t.csv, sheet '表1', cell K56: bad value"),
    ],
)
def test_location_names_what_is_known(where: dict, text: str) -> None:
    assert str(InputError("t.csv", "bad value", **where)) == text


def test_expected_and_found_are_optional() -> None:
    assert str(InputError("f", "p", expected="a number")) == "f: p; expected a number"
    assert str(InputError("f", "p", found="'缺'")) == "f: p, found '缺'"
    error = InputError("f", "p", row=4, expected="e", found="v")
    assert (error.file, error.row, error.expected, error.found) == ("f", 4, "e", "v")


def test_table_check_error_lists_one_failure_per_line() -> None:
    error = TableCheckError(["a.xls: va_identity failed", "b.xls: ti_equals_go failed"])
    assert str(error) == error.message() == "a.xls: va_identity failed\nb.xls: ti_equals_go failed"
    assert isinstance(error, InputError)  # stops a run cleanly, like any bad input


def test_config_error_one_line_per_violation() -> None:
    error = ConfigError(["estimate.first_yer: unknown key", "plots.language = 'fr': not allowed"])
    assert str(error) == "configuration: estimate.first_yer: unknown key; plots.language = 'fr': not allowed"
    assert error.message() == (
        "invalid configuration:\n  - estimate.first_yer: unknown key\n  - plots.language = 'fr': not allowed"
    )
