"""Python API: the whole estimate without Snakemake.

>>> import digecon
>>> inputs = digecon.load_inputs("data/raw")            # or a mirror such as ../shared/data
>>> result = digecon.estimate(inputs.io_tables, inputs.yearbook, inputs.ratios, years=range(2002, 2024))
>>> result.values.query("method == 'linear' and convention == 'share'")

The Snakemake rules call the same functions, so both give identical numbers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from digecon.estimation.backtest import apply_bounds, backtest, error_summary, national_consistency, totals_with_bounds
from digecon.inputs.checks import DEFAULT_GDP_GAP_WARN, DEFAULT_TI_GO_REL_TOLERANCE
from digecon.inputs.concordance import load_concordance
from digecon.estimation.estimate import CONVENTIONS, METHODS, benchmark_components, describe, estimate_all
from digecon.estimation.indicators import indicator_series
from digecon.inputs.ingest import ingest_io_tables
from digecon.inputs.iotable import DEFAULT_UNITS, DEFAULT_VA_TOLERANCE
from digecon.inputs.ratios import (
    benchmark_ratios,
    detailed_sector_parts,
    ratios_from_detailed_io,
    read_census_ratios,
    read_detailed_io_va,
)
from digecon.inputs.yearbook import (
    combine_sources,
    gdp_for_checks,
    read_first_published_gdp,
    read_nbs_api_json,
    read_nbs_database_xls,
    read_nbs_province_csv,
)

IO_FOLDER = "chnio_provincial_io/data-raw/中国31省区市42部门投入产出表1997-2017皮皮侠"
SCRAPE = "nbs_province_annual_scrape_2021/源数据/国家统计局分省年度数据/国民经济核算/地区生产总值.csv"
API_FOLDER = "nbs_province_gdp_by_industry_api_2024/gdp-spider/data"
DATABASE_XLS = (
    "provincial_gdp_series/jialingzhang0730_Local_GDP_Estimates/step2_obtain_gdp_data/inputs/gdp_data/"
    "regional/CHN/AnnualbyProvince.xls"
)
FIRST_PUBLISHED = "provincial_gdp_series/RenJiyi163_panel_data_analysis_for_thesis/分省年度数据_整合.csv"
DETAILED_TABLES = {
    2007: "ionet_national_io/data/china_2007_135.rda",
    2012: "ionet_national_io/data/china_2012_139.rda",
    2017: "ionet_national_io/data/china_2017_149.rda",
    2018: "ionet_national_io/data/china_2018_153.rda",
    2020: "ionet_national_io/data/china_2020_153.rda",
}
DEFAULT_DETAILED_TABLE_OF = {2002: 2007, 2007: 2007, 2012: 2012, 2017: 2017}


def load_yearbook(scrape_csv: Path, api_jsons: Iterable[Path], database_xls: Path) -> pd.DataFrame:
    """The NBS provincial series from the three sources, earlier sources winning on overlaps."""
    return combine_sources(
        [
            read_nbs_province_csv(scrape_csv),
            *(read_nbs_api_json(p) for p in sorted(api_jsons)),
            read_nbs_database_xls(database_xls),
        ]
    )


def national_ratios(
    io_years: Iterable[int],
    provinces: Iterable[int],
    detailed_files: dict[int, Path],
    *,
    detailed_table_of: dict[int, int],
    news_publishing_share: float,
    census_csv: Path | None = None,
    census_year_of: dict[int, int] | None = None,
) -> pd.DataFrame:
    """Ratios per IO year and province (:func:`digecon.inputs.ratios.benchmark_ratios`) from the detailed
    tables actually needed, and a census CSV when given."""
    parts = detailed_sector_parts()
    needed = {detailed_table_of[y] for y in io_years}
    detailed = {
        year: (
            ratios_from_detailed_io(
                read_detailed_io_va(detailed_files[year], year, parts), news_publishing_share=news_publishing_share
            ),
            Path(detailed_files[year]).name,
        )
        for year in needed
    }
    census = read_census_ratios(census_csv) if census_csv else None
    return benchmark_ratios(
        sorted(io_years),
        sorted(provinces),
        detailed=detailed,
        detailed_table_of=detailed_table_of,
        census=census,
        census_year_of=census_year_of or {},
    )


@dataclass(frozen=True)
class Inputs:
    io_tables: pd.DataFrame
    io_checks: pd.DataFrame
    yearbook: pd.DataFrame
    ratios: pd.DataFrame


def load_inputs(root: str | Path, *, news_publishing_share: float = 1.0) -> Inputs:
    """Read every default input from a folder laid out like shared/data (``data/raw`` or a mirror)."""
    root = Path(root)
    yearbook = load_yearbook(root / SCRAPE, (root / API_FOLDER).glob("*.json"), root / DATABASE_XLS)
    io_tables, checks = ingest_io_tables(
        sorted((root / IO_FOLDER).glob("*年各省份投入产出表/*.xls")),
        load_concordance(),
        gdp_for_checks(yearbook, read_first_published_gdp(root / FIRST_PUBLISHED)),
        allowed_units=DEFAULT_UNITS,
        va_tolerance=DEFAULT_VA_TOLERANCE,
        ti_go_rel_tolerance=DEFAULT_TI_GO_REL_TOLERANCE,
        gdp_gap_warn=DEFAULT_GDP_GAP_WARN,
    )
    ratios = national_ratios(
        io_tables["year"].unique(),
        io_tables["province_code"].unique(),
        {y: root / p for y, p in DETAILED_TABLES.items()},
        detailed_table_of=DEFAULT_DETAILED_TABLE_OF,
        news_publishing_share=news_publishing_share,
    )
    return Inputs(io_tables, checks, yearbook, ratios)


@dataclass(frozen=True)
class Result:
    """Everything the estimator produces (see the README for each table's columns)."""

    values: pd.DataFrame  # one row per province x year x component x method x convention
    totals: pd.DataFrame  # one row per province x year x method x convention, with the total's own band
    benchmarks: pd.DataFrame  # component values and aggregates in each IO table
    indicators: pd.DataFrame  # the spliced indicator series
    backtest: pd.DataFrame
    backtest_summary: pd.DataFrame
    national_consistency: pd.DataFrame


def estimate(
    io_tables: pd.DataFrame,
    yearbook: pd.DataFrame,
    ratios: pd.DataFrame,
    *,
    years: Iterable[int],
    methods: Iterable[str] = METHODS,
    conventions: Iterable[str] = CONVENTIONS,
) -> Result:
    """Annual digital-economy value added of every province by component, method and convention.

    Parameters
    ----------
    io_tables
        Tidy IO tables (``data/processed/io_tables.csv`` or :func:`load_inputs`), 万元.
    yearbook
        Long NBS provincial series (亿元), see :mod:`digecon.inputs.yearbook`.
    ratios
        ``s_I63`` / ``r_media`` per IO year and province (:func:`national_ratios`).
    years
        Years to estimate (contiguous); each must be covered by the indicator chains.
    methods, conventions
        Subsets of ``hold, linear, spline, chow_lin`` and ``share, benchmark``.
    """
    years = sorted(int(y) for y in years)
    methods, conventions = list(methods), list(conventions)
    indicators = indicator_series(yearbook, years)
    benchmarks = benchmark_components(io_tables, ratios)
    values = estimate_all(benchmarks, indicators, years, methods, conventions)
    results = backtest(benchmarks, indicators, years, methods, conventions)
    summary = error_summary(results)
    values = describe(apply_bounds(values, summary), benchmarks, indicators)
    totals = totals_with_bounds(values, summary)
    return Result(values, totals, benchmarks, indicators, results, summary, national_consistency(benchmarks))
