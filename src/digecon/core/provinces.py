"""The 31 provincial-level regions (GB/T 2260) and lookup of their many spellings."""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from importlib.resources import files

import pandas as pd

NATIONAL_CODE = 0
NATIONAL_NAME = "全国"
# Spellings of the whole country seen in titles and file names (e.g. '0中国.xls').
NATIONAL_ALIASES = ("全国", "中国", "China", "National")
# Titles may name the region by its GB/T 2260 code instead of its name, as some 2023 tables do
# ('50地区投入产出表(2023）' is 重庆). Only at the start of a text: the two-digit prefix followed by
# 地区 / 省 / 市 (but not '31省区市', a count of provinces), or the full six-digit code.
CODE_PREFIX = re.compile(r"^(\d{2})(?:地区|省|市)(?!区市)")
FULL_CODE = re.compile(r"^(\d{6})(?!\d)")


@cache
def province_table() -> pd.DataFrame:
    """Read the reference table of the 31 provinces (packaged ``provinces.csv``, read once).

    Returns
    -------
    DataFrame
        Columns ``province_code`` (int, e.g. 110000), ``province`` (Chinese short name, e.g. 内蒙古),
        ``province_full`` (e.g. 内蒙古自治区) and ``province_en`` (e.g. Inner Mongolia), in NBS order.
    """
    with files("digecon.data").joinpath("provinces.csv").open(encoding="utf-8") as handle:
        return pd.read_csv(handle, dtype={"province_code": int})


def normalise_name(text: str) -> str:
    """Fold full-width characters and drop all whitespace (names are printed with padding).

    Parameters
    ----------
    text
        A name as printed (converted with ``str`` first).

    Returns
    -------
    str
        The NFKC-normalised text without whitespace, e.g. ``"北 京"`` -> ``"北京"``.
    """
    return "".join(unicodedata.normalize("NFKC", str(text)).split())


@cache
def _aliases() -> dict[str, int]:
    """Map every known spelling (normalised, lower case) to its province code, 0 for the nation."""
    aliases = {normalise_name(name).lower(): NATIONAL_CODE for name in NATIONAL_ALIASES}
    for row in province_table().itertuples(index=False):
        for name in (row.province, row.province_full, row.province_en, str(row.province_code)):
            aliases[normalise_name(name).lower()] = int(row.province_code)
    return aliases


def province_code(name: str | int) -> int | None:
    """Look up the GB/T 2260 code of a province name in any common spelling; 0 for the whole country.

    Parameters
    ----------
    name
        Chinese short (北京) or full (北京市) name, English name (Inner Mongolia, case ignored),
        a code (110000 or "110000"), or 全国 / 中国 / China / National for the nation; whitespace
        and full-width characters are folded first.

    Returns
    -------
    int or None
        The code (e.g. 110000), 0 for the nation, None for anything else.
    """
    return _aliases().get(normalise_name(str(name)).lower())


@cache
def _short_names() -> tuple[tuple[str, int], ...]:
    """List (Chinese short name, code) of the 31 provinces (titles are scanned cell by cell: keep it cheap)."""
    return tuple((str(r.province), int(r.province_code)) for r in province_table().itertuples(index=False))


def provinces_named_in(text: str) -> set[int]:
    """Find every province (or the nation, 0) that ``text`` names by its Chinese short name or its code.

    Parameters
    ----------
    text
        A title or file name, e.g. ``"北京2017年投入产出表"`` or ``"50地区投入产出表(2023）"``.

    Returns
    -------
    set of int
        Province codes, with 0 when 全国 or 中国 occurs; empty when none is named. A text that
        starts with a province's two-digit GB/T 2260 prefix followed by 地区, 省 or 市 (``50地区``)
        or with its six-digit code (``500000``) names that province (500000 重庆).
    """
    text = normalise_name(text)
    found = {code for name, code in _short_names() if name in text}
    if any(alias in text for alias in ("全国", "中国")):
        found.add(NATIONAL_CODE)
    return found | _provinces_coded_in(text)


def _provinces_coded_in(text: str) -> set[int]:
    """Find the province whose GB/T 2260 code (two-digit prefix or six digits) starts a normalised text."""
    codes = {code for _, code in _short_names()}
    prefix, full = CODE_PREFIX.match(text), FULL_CODE.match(text)
    candidates = [int(prefix.group(1)) * 10000] if prefix else []
    candidates += [int(full.group(1))] if full else []
    return {int(c) for c in candidates if c in codes}


def province_name(code: int) -> str:
    """Give the Chinese short name of a province code.

    Parameters
    ----------
    code
        GB/T 2260 code, or 0 for the nation.

    Returns
    -------
    str
        E.g. 北京 for 110000, 全国 for 0.

    Raises
    ------
    KeyError
        For a code that is not one of the 31 provinces.
    """
    if code == NATIONAL_CODE:
        return NATIONAL_NAME
    table = province_table()
    match = table.loc[table["province_code"] == code, "province"]
    if match.empty:
        raise KeyError(f"unknown province code {code}")
    return str(match.iloc[0])
