"""Years as runs of consecutive years, for the figures' spans and the texts' ranges."""

from __future__ import annotations

from collections.abc import Iterable


def year_runs(years: Iterable[int]) -> list[list[int]]:
    """Split the distinct years into runs of consecutive years: ``[2002, 2020, 2021]`` -> ``[[2002], [2020, 2021]]``."""
    runs: list[list[int]] = []
    for year in sorted(set(years)):
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return runs
