"""The Python API on the synthetic inputs: settings in, the same tables the pipeline writes out."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import digecon
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
    assert len(inputs.registry.user_paths()) == 24


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
