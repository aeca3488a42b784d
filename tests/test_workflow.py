"""The Snakemake workflow end to end, in a scratch copy of the project, with the real-data mirror."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from digecon.inputs.retrieve import MANIFEST_FIELDS, sha256_of
from tests.conftest import built_once
from tests.tables import IO_FOLDER, find, io_table_rows, write_workbook

REPO = Path(__file__).resolve().parents[1]


def scratch_project(tmp_path: Path) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    for item in ("Snakefile", "config", "workflow"):
        source = REPO / item
        (shutil.copytree if source.is_dir() else shutil.copy)(source, tmp_path / item)
    (tmp_path / "data" / "raw").mkdir(parents=True)
    shutil.copy(REPO / "data" / "raw" / "MANIFEST.csv", tmp_path / "data" / "raw")
    return tmp_path


def snakemake(project: Path, *args: str, mirror: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DIGECON_MIRROR": str(mirror) if mirror else ""}
    return subprocess.run(
        [sys.executable, "-m", "snakemake", *args], cwd=project, env=env, capture_output=True, text=True, check=False
    )


def test_lint_is_clean(tmp_path: Path) -> None:
    result = snakemake(scratch_project(tmp_path), "--lint")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Lints for" not in result.stdout + result.stderr


@pytest.fixture(scope="session")
def pipeline(tmp_path_factory: pytest.TempPathFactory, mirror: Path) -> Path:
    """The whole pipeline (`snakemake --cores 2`, default target) run once in a scratch project."""

    def build(folder: Path) -> None:
        result = snakemake(scratch_project(folder), "--cores", "2", mirror=mirror)
        assert result.returncode == 0, result.stderr[-3000:]

    return built_once(tmp_path_factory, "real_pipeline", build)


def test_io_tables(pipeline: Path) -> None:
    io = pd.read_csv(pipeline / "data/processed/io_tables.csv", dtype={"sector_code": str})
    required = [
        "province_code",
        "province",
        "year",
        "sector_code",
        "sector_name",
        "sector_key",
        "compensation",
        "net_taxes",
        "depreciation",
        "operating_surplus",
        "value_added",
        "total_output",
    ]
    assert set(required) <= set(io.columns)
    assert len(io) == 125 * 42
    total = io.groupby(["province", "year"])["value_added"].sum()
    assert total[("北京", 2017)] / 1e4 == pytest.approx(28014.94, abs=0.006)
    electronics = io.query("province == '广东' and year == 2007 and sector_key == 'electronics'")["value_added"]
    assert electronics.item() / 1e4 == pytest.approx(2497.7, abs=0.05)
    assert io.loc[io["province"] == "全国", "province_code"].eq(0).all()
    checks = pd.read_csv(pipeline / "data/processed/io_table_checks.csv")
    gap = checks.query("province == '江苏' and year == 2012 and check == 'gdp_gap_first_published'")
    assert gap["difference"].item() == pytest.approx(0.109, abs=0.001)  # the known +11 % gap, reported
    assert "fail" not in set(checks["status"])


def test_estimates_and_backtest(pipeline: Path) -> None:
    values = pd.read_csv(pipeline / "results/tables/digital_economy_va.csv")
    required = [
        "province_code",
        "province",
        "province_en",
        "year",
        "component",
        "category",
        "method",
        "convention",
        "value_100m_yuan",
        "coefficient",
        "indicator",
        "flag",
        "lower_100m_yuan",
        "upper_100m_yuan",
    ]
    assert required == list(values.columns[: len(required)])
    assert values["province_code"].nunique() == 31 and values["year"].min() == 2002 and values["year"].max() >= 2019
    row = values.query(
        "province == '北京' and year == 2017 and component == 'electronics' and method == 'hold' "
        "and convention == 'benchmark'"
    )
    assert row["value_100m_yuan"].item() == pytest.approx(319.5, abs=0.05)
    backtest = pd.read_csv(pipeline / "results/validation/backtest.csv")
    required = ["holdout_year", "province_code", "component", "method", "estimate", "actual", "ape"]
    assert set(required) <= set(backtest.columns)
    assert set(backtest["holdout_year"]) == {2007, 2012, 2017}


def test_wide_tables_in_three_formats(pipeline: Path) -> None:
    total = pd.read_csv(pipeline / "results/tables/wide/total.csv")
    stata = pd.read_stata(pipeline / "results/tables/wide/total.dta")
    excel = pd.read_excel(pipeline / "results/tables/digital_economy_wide.xlsx", sheet_name=None, engine="calamine")
    assert {"README", "total", "production", "circulation", "share_of_gdp", "growth"} <= set(excel)
    assert total["province"].tolist() == stata["province"].tolist() == excel["total"]["province"].tolist()
    assert total["province"].iloc[4] == "内蒙古" and total["province"].iloc[-1] == "全国"
    assert stata["y2017"].to_numpy() == pytest.approx(total["2017"].to_numpy())


def test_gallery(pipeline: Path) -> None:
    page = (pipeline / "results/gallery/index.html").read_text(encoding="utf-8")
    images = re.findall(r'<img src="([^"]+)"', page)
    # components and methods of every province, twelve overview figures (national ratio, band coverage and
    # real growth incl.)
    assert len(images) == 31 + 31 + 12
    for reference in re.findall(r'(?:src|href)="([^"#][^"]*)"', page):
        assert (pipeline / "results/gallery" / reference).is_file(), reference
    assert (pipeline / "results/gallery/province/figures/province_440000.svg").is_file()


def test_metadata_traces_every_input_and_output(pipeline: Path) -> None:
    metadata = json.loads((pipeline / "results/metadata.json").read_text(encoding="utf-8"))
    assert len(metadata["inputs"]) == len((pipeline / "data/raw/MANIFEST.csv").read_text().splitlines()) - 1
    assert all(i["matches_manifest"] for i in metadata["inputs"])
    outputs = {o["path"]: o["sha256"] for o in metadata["outputs"]}
    values = pipeline / "results/tables/digital_economy_va.csv"
    assert outputs["results/tables/digital_economy_va.csv"] == sha256_of(values)
    assert metadata["config"]["estimate"]["recommended_method"] == "linear"
    assert metadata["libraries"]["snakemake"] and metadata["digecon_version"]


def test_offline_without_mirror_stops_with_one_clear_message(tmp_path: Path) -> None:
    project = scratch_project(tmp_path)
    result = snakemake(project, "--cores", "1", "data/processed/io_tables.csv")
    assert result.returncode != 0
    assert "DIGECON_MIRROR" in result.stdout + result.stderr


def test_invalid_config_is_refused_one_line_per_key(tmp_path: Path) -> None:
    project = scratch_project(tmp_path)
    (project / "bad.yaml").write_text(
        "estimate:\n  methods: [hold, denton]\n  first_yer: 2002\nplots:\n  language: fr\n", encoding="utf-8"
    )
    result = snakemake(project, "-n", "--configfile", "bad.yaml")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "  - estimate.first_yer: unknown key; allowed here: first_year" in output
    assert "  - plots.language = 'fr': 'fr' is not one of ['en', 'zh']" in output
    assert "  - estimate.methods: unknown method 'denton' (allowed: hold, linear, spline, chow_lin, national)" in output
    assert "additionalProperties" not in output and len(output.splitlines()) < 15  # no schema dump


def test_broken_table_stops_the_pipeline_with_the_check_message(tmp_path: Path) -> None:
    """Run on a scratch mirror whose 2017 Beijing table has text in a value cell.

    The run stops with the message `digecon check` gives, and no result file is left behind.
    """
    project = scratch_project(tmp_path / "project")
    mirror = tmp_path / "mirror"
    rows = io_table_rows("2017")
    rows[find(rows, "TVA")][10] = "缺"
    table = write_workbook(rows, mirror / IO_FOLDER / "2017年各省份投入产出表" / "01-北京.xls")
    others = {  # the yearbook and first-published GDP, read before the tables
        (
            "nbs_province_annual",
            "nbs/地区生产总值.csv",
        ): "省份编码,省份,年份,地区生产总值(亿元)\n110000,北京市,2017,29883.0\n",
        ("gdp_first_published", "panel/分省年度数据_整合.csv"): "地区,年份,GDP_当年价_亿元\n北京,2017,28014.94\n",
    }
    entries = [("io_regional", table.relative_to(mirror).as_posix())]
    for (dataset, path), text in others.items():
        (mirror / path).parent.mkdir(parents=True, exist_ok=True)
        (mirror / path).write_text(text, encoding="utf-8")
        entries.append((dataset, path))
    manifest = [",".join(MANIFEST_FIELDS)] + [
        f"{d},{p},o/r,{'0' * 40},{p},https://example.invalid/{p},{sha256_of(mirror / p)},"
        f"{(mirror / p).stat().st_size},MIT,test"
        for d, p in entries
    ]
    (project / "data/raw/MANIFEST.csv").write_text("\n".join(manifest) + "\n", encoding="utf-8")
    (project / "only2017.yaml").write_text("io_tables:\n  include_national: false\n", encoding="utf-8")
    # targets first: --configfile takes every word after it
    result = snakemake(
        project, "data/processed/io_tables.csv", "--cores", "1", "--configfile", "only2017.yaml", mirror=mirror
    )
    assert result.returncode != 0
    check = subprocess.run(
        [
            sys.executable,
            "-m",
            "digecon.cli",
            "check",
            str(project / "data/raw" / IO_FOLDER / "2017年各省份投入产出表" / "01-北京.xls"),
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=project,
    )
    message = check.stderr.removeprefix("digecon check: ").strip()
    assert "value_added (TVA) of sector 08 is not a number" in message
    log = (project / "logs/ingest_io_tables.log").read_text(encoding="utf-8")
    assert message.replace(str(project) + "/", "") in log
    assert not (project / "data/processed/io_tables.csv").exists()
    assert not (project / "data/processed/io_table_checks.csv").exists()
