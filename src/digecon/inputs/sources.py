"""Read every kind of input of the registry into the tables the estimator takes.

The pipeline's rule scripts and :func:`digecon.load_inputs` call these same functions with the
paths and readers of :class:`digecon.inputs.registry.Registry`, so they read the same files the
same way.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pandas as pd

from digecon.core.provinces import NATIONAL_CODE
from digecon.core.settings import IOTableSettings
from digecon.inputs.concordance import load_concordance
from digecon.inputs.ingest import ingest_io_tables
from digecon.inputs.national_tables import NATIONAL_TABLE_COLUMNS, read_national_io_va
from digecon.inputs.nbs_exports import read_nbs_export, read_nbs_platform_answers
from digecon.inputs.panels import read_panel_workbook
from digecon.inputs.ratios import (
    RATIO_COLUMNS,
    benchmark_ratios,
    detailed_sector_parts,
    nearest_year,
    ratios_from_detailed_io,
    read_census_ratios,
    read_detailed_io_va,
)
from digecon.inputs.registry import SeriesFile
from digecon.inputs.vintages import CHECK_COLUMNS, link_vintages
from digecon.inputs.yearbook import (
    LONG_COLUMNS,
    gdp_for_checks,
    read_first_published_gdp,
    read_nbs_annual_csv,
    read_nbs_api_json,
    read_nbs_database_xls,
    read_user_indicators,
    read_wind_industry_revenue,
    with_user_indicators,
)

log = logging.getLogger(__name__)

YEARBOOK_READERS: dict[str, Callable[[str | Path], pd.DataFrame]] = {
    "nbs_annual_csv": read_nbs_annual_csv,
    "nbs_api_json": read_nbs_api_json,
    "nbs_database_xls": read_nbs_database_xls,
    "wind_revenue_xls": read_wind_industry_revenue,
    "nbs_export_csv": read_nbs_export,
    # the by-year export of 地区生产总值指数 names its indicator only in the file name
    "nbs_export_gdp_index": partial(read_nbs_export, indicator=("地区生产总值指数", "上年=100")),
    "nbs_platform_answers": read_nbs_platform_answers,
    "telecom_software_xlsx": read_panel_workbook,
}
GDP = "地区生产总值"
# the yearbook: the value used, how it came from the value published, where that was read
YEARBOOK_COLUMNS = [
    *LONG_COLUMNS[:5],
    "value_published",
    "link_factor",
    "link_year",
    "vintage",
    "dataset",
    *LONG_COLUMNS[5:],
]


@dataclass(frozen=True)
class Yearbook:
    """The annual series of a run and the comparison of the files they came from (:func:`prepare_yearbook`)."""

    table: pd.DataFrame  # YEARBOOK_COLUMNS: one value per province, indicator and year
    checks: pd.DataFrame  # every overlap of two files (digecon.inputs.vintages.CHECK_COLUMNS)


def prepare_yearbook(series: Sequence[SeriesFile], user_csv: Sequence[str | Path] = ()) -> Yearbook:
    """Read the annual series, link them across vintages and add the user's indicators.

    The built-in files are linked across vintages (:func:`digecon.inputs.vintages.link_vintages`),
    then the user's indicators replace built-in values of the same province, year and indicator.
    The screen for breaks follows (:func:`digecon.estimation.indicators.screen_yearbook`).

    Parameters
    ----------
    series
        The built-in yearbook files with reader, dataset and vintage, in precedence order
        (:meth:`digecon.inputs.registry.Registry.series_files`).
    user_csv
        The user's indicator files.

    Returns
    -------
    Yearbook

    Raises
    ------
    InputError
        From the readers, for a file that cannot be used.
    KeyError
        For a reader name that is not in ``YEARBOOK_READERS``.
    """
    frames = [YEARBOOK_READERS[f.reader](f.path).assign(dataset=f.dataset, vintage=f.vintage) for f in series]
    if frames:
        table, checks = link_vintages(pd.concat(frames, ignore_index=True))
    else:
        table, checks = pd.DataFrame(columns=YEARBOOK_COLUMNS), pd.DataFrame(columns=CHECK_COLUMNS)
    table = with_user_indicators(table, [read_user_indicators(p) for p in user_csv])
    table = table.reindex(columns=YEARBOOK_COLUMNS).sort_values(["province_code", "year", "indicator"])
    return Yearbook(table.reset_index(drop=True), checks)


def gdp_series_for_checks(yearbook: pd.DataFrame, first_published: Sequence[str | Path]) -> pd.DataFrame:
    """Put together the two GDP series of the gap checks: revised (the yearbook) and first-published.

    Parameters
    ----------
    yearbook
        From :func:`prepare_yearbook` (``table``); its 地区生产总值 rows are the revised series.
    first_published
        First-published GDP files (:func:`digecon.inputs.yearbook.read_first_published_gdp`); may
        be empty, and then only the revised series is compared.

    Returns
    -------
    DataFrame
        :func:`digecon.inputs.yearbook.gdp_for_checks`: ``province_code``, ``year``, ``series``,
        ``value_100m_yuan``, ``source``.
    """
    first = [read_first_published_gdp(p) for p in first_published]
    empty = pd.DataFrame(columns=["province_code", "year", "indicator", "unit", "value", "source"])
    return gdp_for_checks(yearbook, pd.concat(first, ignore_index=True) if first else empty)


def read_io_tables(
    paths: Sequence[str | Path],
    gdp: pd.DataFrame,
    settings: IOTableSettings,
    *,
    user_files: Iterable[str | Path] = (),
    concordance: str | Path | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read and check every IO table (:func:`digecon.inputs.ingest.ingest_io_tables`).

    National tables (province code 0) are read and checked, then dropped, with their report rows,
    unless ``settings.include_national``.

    Parameters
    ----------
    paths
        IO-table files (.xls/.xlsx), built-in and the user's.
    gdp
        From :func:`gdp_series_for_checks`.
    settings
        Units, tolerances and ``include_national``.
    user_files
        The user's tables among ``paths`` (each replaces a built-in table of its province-year).
    concordance
        A sector concordance CSV, or None for the packaged one.

    Returns
    -------
    (io_tables, checks)
        The tidy table (万元, :data:`digecon.inputs.ingest.IO_TABLE_COLUMNS`) and the checks report.

    Raises
    ------
    InputError
        For a structurally bad file, or two tables of one province-year of the same origin.
    TableCheckError
        If an identity check fails.
    """
    io_tables, checks = ingest_io_tables(
        paths,
        load_concordance(concordance),
        gdp,
        allowed_units=settings.allowed_units,
        va_tolerance=settings.va_identity_tolerance,
        ti_go_rel_tolerance=settings.ti_go_rel_tolerance,
        gdp_gap_warn=settings.gdp_gap_warn,
        user_files=user_files,
    )
    if not settings.include_national:
        io_tables = io_tables[io_tables["province_code"] != NATIONAL_CODE].reset_index(drop=True)
        checks = checks[checks["province_code"] != NATIONAL_CODE].reset_index(drop=True)
    return io_tables, checks


def read_ratios(
    io_tables: pd.DataFrame,
    detailed_tables: dict[int, str | Path],
    census_csv: str | Path | None,
    *,
    news_publishing_share: float,
) -> pd.DataFrame:
    """``s_I63`` and ``r_media`` for every IO year and province of ``io_tables`` (:func:`benchmark_ratios`).

    Only the detailed national tables nearest to the IO years are read.

    Parameters
    ----------
    io_tables
        At least ``province_code`` and ``year`` of the tables read.
    detailed_tables
        Detailed-table year -> file (all available ones).
    census_csv
        The user's census ratios, or None.
    news_publishing_share
        Part of 新闻和出版 counted as media.

    Returns
    -------
    DataFrame
        :data:`digecon.inputs.ratios.RATIO_COLUMNS`, one row per IO year x province x ratio.

    Raises
    ------
    InputError
        For a detailed table without its TVA row or a listed sector, a bad census file, or a ratio
        with no source.
    """
    io_years = sorted(int(y) for y in io_tables["year"].unique())
    provinces = sorted(int(c) for c in io_tables["province_code"].unique())
    needed = {nearest_year(y, detailed_tables) for y in io_years} if detailed_tables else set()
    parts = detailed_sector_parts()
    detailed = {
        year: (
            ratios_from_detailed_io(
                read_detailed_io_va(detailed_tables[year], year, parts), news_publishing_share=news_publishing_share
            ),
            Path(detailed_tables[year]).name,
        )
        for year in sorted(needed)
    }
    census = read_census_ratios(census_csv) if census_csv else None
    return benchmark_ratios(io_years, provinces, detailed=detailed, census=census)


def read_table_ratios(detailed_tables: dict[int, str | Path], *, news_publishing_share: float) -> pd.DataFrame:
    """Read ``s_I63`` and ``r_media`` of every national detailed table.

    These are the series the split follows after a province's last benchmark
    (:mod:`digecon.estimation.ratio_paths`).

    Parameters
    ----------
    detailed_tables
        Detailed-table year -> file.
    news_publishing_share
        Part of 新闻和出版 counted as media.

    Returns
    -------
    DataFrame
        ``table_year``, ``ratio``, ``value``, ``source`` (file name); empty without detailed tables.

    Raises
    ------
    InputError
        For a detailed table without its TVA row or a listed sector.
    """
    parts = detailed_sector_parts()
    rows = [
        {"table_year": year, "ratio": ratio, "value": float(value), "source": Path(path).name}
        for year, path in sorted(detailed_tables.items())
        for ratio, value in ratios_from_detailed_io(
            read_detailed_io_va(path, year, parts), news_publishing_share=news_publishing_share
        ).items()
    ]
    return pd.DataFrame.from_records(rows, columns=["table_year", "ratio", "value", "source"])


def read_national_tables(
    tables: Mapping[int, str | Path],
    detailed_tables: dict[int, str | Path],
    census_csv: str | Path | None,
    *,
    news_publishing_share: float,
    va_tolerance: float = 5.0,
    concordance: str | Path | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read the national 42-sector tables of the control years and the split ratios of each year.

    The ratios are chosen exactly as for the provinces' benchmarks (:func:`read_ratios` with the
    national code 0): the census ratio nearest to the table's year if the user gives one, else
    the national detailed IO table nearest to it (2005 uses 2007's, 2015 uses 2017's).

    Parameters
    ----------
    tables
        Table year -> ionet 42-sector .rda file (the registry's ``national_io_table`` inputs).
    detailed_tables
        Detailed-table year -> file (all available ones).
    census_csv
        The user's census ratios, or None.
    news_publishing_share
        Part of 新闻和出版 counted as media.
    va_tolerance
        Largest accepted |VA001+VA002+VA003+VA004 - TVA| per sector, 万元.
    concordance
        A sector concordance CSV, or None for the packaged one.

    Returns
    -------
    (national_tables, national_ratios)
        :data:`digecon.inputs.national_tables.NATIONAL_TABLE_COLUMNS` (万元, one row per table x
        digital sector plus the table's total VA) and :data:`digecon.inputs.ratios.RATIO_COLUMNS`
        (province code 0, one row per table year x ratio); both empty without tables.

    Raises
    ------
    InputError
        For a table that cannot be used (:func:`digecon.inputs.national_tables.read_national_io_va`)
        or a ratio with no source.
    """
    if not tables:
        return pd.DataFrame(columns=NATIONAL_TABLE_COLUMNS), pd.DataFrame(columns=RATIO_COLUMNS)
    table = load_concordance(concordance)
    frames = [
        read_national_io_va(path, year, concordance=table, va_tolerance=va_tolerance)
        for year, path in sorted(tables.items())
    ]
    national = pd.concat(frames, ignore_index=True)
    years = pd.DataFrame({"province_code": NATIONAL_CODE, "year": sorted(int(y) for y in tables)})
    ratios = read_ratios(years, detailed_tables, census_csv, news_publishing_share=news_publishing_share)
    log.info("national 42-sector tables of %s", ", ".join(map(str, sorted(tables))))
    return national, ratios
