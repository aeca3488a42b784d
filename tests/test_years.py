"""Years in runs of consecutive years."""

from digecon.core.years import year_runs


def test_years_split_into_runs_of_consecutive_years() -> None:
    assert year_runs([2021, 2002, 2020, 2003, 2024, 2020]) == [[2002, 2003], [2020, 2021], [2024]]


def test_no_years_no_runs() -> None:
    assert year_runs([]) == []
