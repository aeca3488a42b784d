"""The Python API on the synthetic inputs: settings in, the same tables the pipeline writes out."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd
import pytest

import digecon
from digecon.core.settings import ChainSettings, FrozenMap
from digecon.estimation.chains import CHECK_COLUMNS
from digecon.inputs.registry import build_registry
from digecon.outputs.gallery import chain_note
from tests.synthetic import settings_for, write_inputs

KEY = ["province_code", "year", "component", "method", "convention"]


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_inputs(tmp_path_factory.mktemp("synthetic") / "inputs")


@pytest.fixture(scope="module")
def result(folder: Path) -> digecon.Result:
    settings = settings_for(folder)
    return digecon.estimate(digecon.load_inputs(settings=settings), settings)


def test_load_inputs_reads_every_user_file(folder: Path) -> None:
    inputs = digecon.load_inputs(settings=settings_for(folder))
    assert inputs.io_tables.groupby(["province_code", "year"]).ngroups == 22
    assert set(inputs.io_tables["source_file"].map(lambda f: Path(f).parent)) == {folder / "io_tables"}
    assert inputs.ratios["ratio_source"].str.startswith(("census", "national census")).all()
    assert len(build_registry(settings_for(folder)).user_paths()) == 24


def test_output_years_only_select_rows(folder: Path, result: digecon.Result) -> None:
    """Writing out 2008-2015 instead of 2002-2023 changes no number, band or backtest figure."""
    settings = settings_for(folder, first_year=2008, last_year=2015)
    narrow = digecon.estimate(digecon.load_inputs(settings=settings), settings)
    wide = result.values[result.values["year"].between(2008, 2015)].reset_index(drop=True)
    pd.testing.assert_frame_equal(narrow.values.reset_index(drop=True), wide)
    pd.testing.assert_frame_equal(narrow.backtest, result.backtest)
    pd.testing.assert_frame_equal(narrow.backtest_summary, result.backtest_summary)


def test_share_of_gdp_in_the_totals(result: digecon.Result) -> None:
    row = result.totals.query(
        "province_code == 110000 and year == 2010 and method == 'linear' and convention == 'share'"
    )
    # the synthetic Beijing GDP of 2010: 1,000 x 1.08^10 亿元 (tools/make_synthetic_inputs.py)
    assert row["gdp_100m_yuan"].item() == pytest.approx(round(1000 * 1.08**10, 2))
    assert row["share_of_gdp_percent"].item() == pytest.approx(
        row["value_100m_yuan"].item() / row["gdp_100m_yuan"].item() * 100
    )


def test_a_sixth_benchmark_year_needs_no_code_change(tmp_path: Path) -> None:
    """Add a 2022 round to the five synthetic ones: designs, labels, flags and bands follow from the data."""
    folder = write_inputs(tmp_path / "six", years=[2002, 2007, 2012, 2017, 2020, 2022])
    settings = settings_for(folder)
    six = digecon.estimate(digecon.load_inputs(settings=settings), settings)
    labels = set(six.backtest.loc[six.backtest["province_code"] == 110000, "design_label"])
    assert {"2020 left out (from 2017, 2022)", "2022 from 2002-2020", "2022 from 2002"} <= labels
    linear = six.values.query("province_code == 110000 and method == 'linear' and convention == 'share'")
    flag = linear.drop_duplicates("year").set_index("year")["flag"]
    assert flag[2021] == "interpolated" and flag[2022] == "benchmark" and flag[2023] == "extrapolated"
    band = linear.query("year == 2021 and component == 'electronics'")
    assert band["distance_years"].item() == 1 and band["upper_100m_yuan"].item() > band["value_100m_yuan"].item()


def test_national_control_tables_are_reported_and_change_no_estimate(
    folder: Path, result: digecon.Result, tmp_path: Path
) -> None:
    """A national table of 2015 (no regional round) joins the report as a control year; only the national path moves."""
    import dataclasses

    from digecon.inputs.sources import read_national_tables
    from tests.test_national_tables import sector_names, write_table

    settings = settings_for(folder)
    inputs = digecon.load_inputs(settings=settings)
    table = write_table(tmp_path / "china_2015_42.rda", sector_names("2012"))
    national, ratios = read_national_tables(
        {2015: table}, {}, settings.ratios.census_csv, news_publishing_share=settings.ratios.news_publishing_share
    )
    controlled = dataclasses.replace(inputs, national_tables=national, national_ratios=ratios)
    with_control = digecon.estimate(controlled, settings)
    # reported, not rescaled: every method but the national path (which follows the national tables) is unchanged
    moved = with_control.values["method"] == "national"
    pd.testing.assert_frame_equal(
        with_control.values[~moved].reset_index(drop=True),
        result.values[result.values["method"] != "national"].reset_index(drop=True),
        check_categorical=False,
    )
    national = with_control.values[moved & (with_control.values["year"] == 2015)]
    beyond = national["flag"] == "extrapolated"  # the path moves only beyond a province's tables
    assert beyond.any() and set(national.loc[beyond, "national_years"]) == {"2015"}
    assert set(national.loc[~beyond, "national_years"]) <= {""}
    report = with_control.national_consistency
    control = report.query("year == 2015 and method == 'linear' and convention == 'share'")
    assert set(control["year_kind"]) == {"control"} and set(control["national_source"]) == {"china_2015_42.rda"}
    assert (control["reference_year"] == 2012).all() and control["drift"].notna().all()
    # the synthetic national tables are 1.05 x the sum of the provinces' (tools/make_synthetic_inputs.py)
    electronics = report.query("year_kind == 'benchmark' and component == 'electronics'")
    assert electronics["ratio"].to_numpy() == pytest.approx(1 / 1.05, rel=1e-4)


def test_the_synthetic_run_says_which_chains_it_used(result: digecon.Result) -> None:
    """The synthetic inputs have no built-in component series: those candidates are listed, unscored."""
    comparison = result.chain_comparison
    chosen = comparison[comparison["chosen"]].drop_duplicates("component").set_index("component")["candidate"]
    assert chosen.to_dict() == {
        "electronics": "industry",
        "it_services": "other_services",
        "telecom": "other_services",
        "media": "other_services",
    }
    unscored = comparison[comparison["n"] == 0]
    assert set(unscored["candidate"]) == {
        "c39_revenue",
        "software_revenue",
        "it_services_revenue",
        "wage_bill",
        "telecom_volume",
    }
    assert unscored["note"].str.startswith("not available: no ").all()
    assert result.values["chain_margin_points"].isna().all() and set(result.values["coefficient_basis"]) == {"share"}
    assert "electronics industry (the only candidate)" in chain_note(result.values)
    assert result.component_checks.empty and list(result.component_checks.columns) == CHECK_COLUMNS


def test_a_users_component_indicator_carries_electronics_on_its_own(folder: Path, tmp_path: Path) -> None:
    """A one-indicator chain of the user's C39 营业收入: c = V / X, so the share convention reproduces the tables."""
    sizes = {"北京": 1.0, "上海": 1.3, "广东": 2.5, "西藏": 0.1}  # tools/make_synthetic_inputs.py
    own = tmp_path / "c39.csv"
    own.write_text(
        "province,year,indicator,value,unit\n"
        + "".join(
            f"{p},{y},C39营业收入,{round(100 * s * 1.15 ** (y - 2000), 4)},亿元\n"
            for p, s in sizes.items()
            for y in range(2000, 2024)
        ),
        encoding="utf-8",
    )
    settings = settings_for(folder)
    chains = dataclasses.replace(
        settings.indicators.chains,
        electronics=ChainSettings(use="mine", candidates=FrozenMap({"mine": ("C39营业收入",)})),
    )
    indicators = dataclasses.replace(
        settings.indicators, user_csv=(*settings.indicators.user_csv, str(own)), chains=chains
    )
    settings = dataclasses.replace(settings, indicators=indicators)
    values = digecon.estimate(digecon.load_inputs(settings=settings), settings).values
    electronics = values[values["component"] == "electronics"]
    assert set(electronics["chain"]) == {"mine"} and set(electronics["coefficient_basis"]) == {"indicator"}
    by = electronics.set_index(["province_code", "year", "method", "convention"])["value_100m_yuan"].unstack()
    assert by["share"].to_numpy() == pytest.approx(by["benchmark"].to_numpy())
    beijing = electronics.query("province == '北京' and year == 2017 and method == 'linear' and convention == 'share'")
    assert beijing["value_100m_yuan"].item() == pytest.approx(round(13000 * 20 * 1.12**15) / 1e4, abs=1e-9)
