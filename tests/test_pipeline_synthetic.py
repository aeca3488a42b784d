"""The whole pipeline on the synthetic configuration (config/test): no mirror, no network, in CI."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from tests.synthetic import copy_project, snakemake


@pytest.fixture(scope="module")
def project(synthetic_run: Path) -> Path:
    return synthetic_run


def test_lint_is_clean(project: Path) -> None:
    result = snakemake(project, "--lint")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Lints for" not in result.stdout + result.stderr


def test_benchmark_convention_reproduces_the_tables(project: Path) -> None:
    values = pd.read_csv(project / "results/tables/digital_economy_va.csv")
    row = values.query(
        "province == '北京' and year == 2017 and component == 'electronics' and method == 'linear' "
        "and convention == 'benchmark'"
    )
    # the synthetic Beijing table of 2017: sector 20 has VA 13,000 x 20 x 1.12^15 万元, rounded to 1 万元
    assert row["value_100m_yuan"].item() == pytest.approx(round(13000 * 20 * 1.12**15) / 1e4, abs=1e-9)
    assert row["flag"].item() == "benchmark" and row["lower_100m_yuan"].item() == row["value_100m_yuan"].item()
    assert row["benchmark_file"].item() == "北京2017.xlsx"


def test_flags_follow_each_provinces_own_benchmarks(project: Path) -> None:
    values = pd.read_csv(project / "results/tables/digital_economy_va.csv")
    linear = values.query("method == 'linear' and convention == 'share' and component == 'telecom'")
    flag = linear.set_index(["province", "year"])["flag"]
    assert flag[("北京", 2019)] == "interpolated" and flag[("北京", 2020)] == "benchmark"
    assert flag[("北京", 2021)] == "extrapolated"
    # Tibet has only the 2017 and 2020 tables: extrapolated before 2017
    assert flag[("西藏", 2012)] == "extrapolated" and flag[("西藏", 2018)] == "interpolated"
    assert (linear["upper_100m_yuan"] >= linear["value_100m_yuan"]).all()
    assert (linear["lower_100m_yuan"] <= linear["value_100m_yuan"]).all()


def test_backtest_designs_come_from_the_tables(project: Path) -> None:
    backtest = pd.read_csv(project / "results/validation/backtest.csv")
    tibet = set(backtest.loc[backtest["province_code"] == 540000, "design_label"])
    assert tibet == {"2020 from 2017"}
    beijing = set(backtest.loc[backtest["province_code"] == 110000, "design_label"])
    assert "2020 from 2002-2017" in beijing and "2020 from 2002" in beijing
    assert any(label.startswith("2017 left out") for label in beijing)


def test_outputs_gallery_and_metadata(project: Path) -> None:
    stata = pd.read_stata(project / "results/tables/wide/total.dta")
    assert stata["province"].tolist() == ["北京", "上海", "广东", "西藏", "全国"]
    page = (project / "results/gallery/index.html").read_text(encoding="utf-8")
    for reference in re.findall(r'(?:src|href)="([^"#][^"]*)"', page):
        assert (project / "results/gallery" / reference).is_file(), reference
    metadata = json.loads((project / "results/metadata.json").read_text(encoding="utf-8"))
    kinds = [i["kind"] for i in metadata["inputs"]]
    assert kinds.count("io_table") == 22 and {i["dataset"] for i in metadata["inputs"]} == {"user"}
    assert metadata["config"]["retrieve"]["manifest"] is None


def test_a_finished_run_has_nothing_to_do(project: Path) -> None:
    result = snakemake(project, "-n")
    assert result.returncode == 0
    assert "Nothing to be done" in result.stdout + result.stderr


def gallery_links(folder: Path) -> list[str]:
    page = (folder / "results/gallery/index.html").read_text(encoding="utf-8")
    return re.findall(r'(?:src|href)="([^"#][^"]*)"', page)


def test_a_failed_figure_job_leaves_the_previous_gallery_whole(project: Path, tmp_path: Path) -> None:
    """Break the totals the figures read: the figure jobs fail, the published gallery stays as it was."""
    copy = copy_project(project, tmp_path / "copy")
    before = (copy / "results/gallery/index.html").read_bytes()
    totals = copy / "results/tables/digital_economy_total.csv"
    frame = pd.read_csv(totals).drop(columns=["share_of_gdp_percent"])
    totals.chmod(0o644)
    frame.to_csv(totals, index=False)
    failed = snakemake(copy, "--cores", "2", "--keep-going")
    assert failed.returncode != 0 and "share_of_gdp_percent" in failed.stderr + failed.stdout
    assert (copy / "results/gallery/index.html").read_bytes() == before
    for reference in gallery_links(copy):
        assert (copy / "results/gallery" / reference).is_file(), reference


def test_panel_reads_back_in_every_format(project: Path) -> None:
    from tests.test_panel import check_workbook_and_parquet, read_back

    folder = project / "results/tables"
    frames = read_back(folder)
    check_workbook_and_parquet(folder)
    panel = frames["csv"]
    assert set(panel["province"]) == {"北京", "上海", "广东", "西藏", "全国"}
    # the synthetic inputs have no volume index: no real value, each flagged, none invented
    assert set(panel["real_flag"]) == {"no price index"} and panel["real_total_100m_yuan"].isna().all()
    totals = pd.read_csv(folder / "digital_economy_total.csv")
    key = ["province_code", "year", "method", "convention"]
    both = panel.merge(totals, on=key, validate="one_to_one")
    assert len(both) == len(totals)  # every province-year of every estimate, plus the national rows
    assert (both["total_100m_yuan"] - both["value_100m_yuan"]).abs().max() <= 5e-5  # rounded once, to 1 万元


def with_price_indices(project: Path, dest: Path) -> Path:
    """A copy of ``project`` with a user index file (the registry's price_indices) in config/prices.yaml."""
    copy = copy_project(project, dest)
    rows = [
        f"{province},{year},{index},{series}"
        for province in ("北京", "上海", "广东", "西藏")
        for year in range(2001, 2024)
        for series, index in (("industry", 105), ("tertiary", 108), ("gdp", 107))
    ]
    (copy / "data/synthetic/price_indices.csv").write_text("province,year,index,series\n" + "\n".join(rows) + "\n")
    (copy / "config/prices.yaml").write_text("prices:\n  user_csv: [data/synthetic/price_indices.csv]\n")
    return copy


def planned_rules(output: str) -> set[str]:
    """The rules in the job-stats table a (dry) run prints."""
    table = output[output.index("Job stats:") :].split("total", 1)[0]
    return set(re.findall(r"^(\w+)\s+\d+$", table, re.MULTILINE))


def test_a_price_index_file_reruns_only_what_reads_it(project: Path, tmp_path: Path) -> None:
    copy = with_price_indices(project, tmp_path / "copy")
    planned = snakemake(copy, "-n", configfiles=("config/prices.yaml",))
    assert planned.returncode == 0, planned.stderr[-4000:]
    rules = planned_rules(planned.stdout + planned.stderr)
    # the estimate makes the real values, the panel lays them out (and the figures of real growth draw it)
    assert {"estimate_digital_economy", "export_panel"} <= rules
    assert not rules & {"prepare_yearbook", "ingest_io_tables", "compute_ratios", "read_national_tables"}, rules


def test_a_plot_setting_reruns_only_the_figures(project: Path, tmp_path: Path) -> None:
    """Each rule gets only the settings it uses: the figures' language reruns the figures and the page.

    write_metadata reruns too: it records the whole configuration and the checksums of the gallery's files.
    """
    copy = copy_project(project, tmp_path / "copy")
    (copy / "config/chinese.yaml").write_text("plots:\n  language: zh\n")
    planned = snakemake(copy, "-n", configfiles=("config/chinese.yaml",))
    assert planned.returncode == 0, planned.stderr[-4000:]
    assert planned_rules(planned.stdout + planned.stderr) == {"plot_gallery", "build_gallery", "write_metadata", "all"}


def test_user_price_indices_give_real_values(project: Path, tmp_path: Path) -> None:
    """A user index file gives real values, deflated as by hand (the panel alone is asked for)."""
    copy = with_price_indices(project, tmp_path / "copy")
    result = snakemake(copy, "results/tables/panel.parquet", "--cores", "2", configfiles=("config/prices.yaml",))
    assert result.returncode == 0, result.stderr[-4000:]
    panel = pd.read_parquet(copy / "results/tables/panel.parquet")
    assert set(panel["real_flag"]) == {"deflated"}
    beijing = panel[(panel["province_code"] == 110000) & panel["recommended"]].set_index("year")
    assert set(beijing["electronics_deflator"]) == {"industry"}
    # by hand: deflator_t = N_t / (N_2017 x index^(t - 2017)), N the synthetic 工业 / 第三产业 value added
    indicators = pd.read_csv(copy / "data/synthetic/indicators.csv").query("province == '北京'")
    nominal = indicators.set_index(["indicator", "year"])["value"]
    values = pd.read_csv(copy / "results/tables/digital_economy_va.csv")
    parts = values.query("province_code == 110000 and method == 'linear' and convention == 'share'")
    real = {}
    for year in (2020, 2021):
        by = parts[parts["year"] == year].set_index("component")["value_100m_yuan"]
        industry = nominal["工业增加值", year] / (nominal["工业增加值", 2017] * 1.05 ** (year - 2017))
        tertiary = nominal["第三产业增加值", year] / (nominal["第三产业增加值", 2017] * 1.08 ** (year - 2017))
        real[year] = by["electronics"] / industry + by[["it_services", "telecom", "media"]].sum() / tertiary
    assert beijing.loc[2021, "real_total_100m_yuan"] == pytest.approx(real[2021], abs=1e-4)
    assert beijing.loc[2021, "real_growth_percent"] == pytest.approx((real[2021] / real[2020] - 1) * 100, abs=1e-4)
    assert beijing.loc[2017, "real_total_100m_yuan"] == beijing.loc[2017, "total_100m_yuan"]
    assert beijing.loc[2021, "gdp_real_growth_percent"] == pytest.approx(7.0)
