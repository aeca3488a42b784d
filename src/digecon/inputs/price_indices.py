"""The user's volume indices (``prices.user_csv``): long CSV ``province,year,index,series[,source]``.

The NBS indices in the data end in 2019; later years (or industry indices, which the data lack)
come from the user, validated like every user CSV (:mod:`digecon.inputs.usercsv`). The deflators
built from them are :mod:`digecon.estimation.prices`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from digecon.core.errors import InputError
from digecon.inputs.usercsv import Column, read_user_csv, sources

# series -> (nominal indicator in 亿元, volume-index indicator in 上年=100) of the yearbook table
SERIES = {
    "industry": ("工业增加值", "工业增加值指数"),
    "secondary": ("第二产业增加值", "第二产业增加值指数"),
    "tertiary": ("第三产业增加值", "第三产业增加值指数"),
    "gdp": ("地区生产总值", "地区生产总值指数"),
}
INDEX_COLUMNS = ["province_code", "year", "series", "index_previous_year_100", "source"]
# A volume index 上年=100 of a province's sector lies far inside this range; a value outside it is
# a growth rate (6.1), a fixed-base index or a level given by mistake.
PLAUSIBLE_INDEX = (50.0, 200.0)
USER_INDEX_COLUMNS = (
    Column("province", "province"),
    Column("year", "year"),
    Column("index", "positive"),
    Column("series", "choice", choices=tuple(SERIES)),
    Column("source", "text", required=False),
)


def read_price_indices(path: str | Path) -> pd.DataFrame:
    """Read the user's volume indices: long CSV ``province,year,index,series[,source]``.

    ``index`` is a volume index on the previous year (上年=100, e.g. 106.1 for 6.1 % real growth);
    ``series`` is ``industry``, ``secondary``, ``tertiary`` or ``gdp``; ``source`` defaults to the
    file name. Validated by :func:`digecon.inputs.usercsv.read_user_csv`.

    Parameters
    ----------
    path
        The CSV file (UTF-8, with or without BOM).

    Returns
    -------
    DataFrame
        ``INDEX_COLUMNS``.

    Raises
    ------
    InputError
        For a bad cell, a repeated province-year-series, or an index outside ``PLAUSIBLE_INDEX``
        (a growth rate or a fixed-base index given instead of 上年=100).
    """
    path = Path(path)
    table = read_user_csv(path, USER_INDEX_COLUMNS, unique=("province", "year", "series"))
    odd = table[(table["index"] < PLAUSIBLE_INDEX[0]) | (table["index"] > PLAUSIBLE_INDEX[1])]
    if not odd.empty:
        first = odd.iloc[0]
        raise InputError(
            path,
            "column 'index': not a volume index on the previous year",
            row=int(first["csv_row"]),
            expected=f"上年=100, between {PLAUSIBLE_INDEX[0]:g} and {PLAUSIBLE_INDEX[1]:g} (e.g. 106.1, not 6.1)",
            found=f"'{first['index']:g}'",
        )
    source = sources(table, path)
    return pd.DataFrame(
        {
            "province_code": table["province"].astype(int),
            "year": table["year"].astype(int),
            "series": table["series"],
            "index_previous_year_100": table["index"].astype(float),
            "source": source,
        }
    )[INDEX_COLUMNS]
