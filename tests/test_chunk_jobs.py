"""The estimate in chunks of regions through the workflow (estimate.chunks) writes the files of one job."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.synthetic import scratch_project

# every file the estimate writes (rule estimate_digital_economy)
ESTIMATE_FILES = [
    "results/tables/digital_economy_va.csv",
    "results/tables/digital_economy_total.csv",
    "data/processed/benchmarks.csv",
    "data/processed/indicators.csv",
    "results/validation/backtest.csv",
    "results/validation/backtest_summary.csv",
    "results/validation/backtest_by_design.csv",
    "results/validation/backtest_by_distance.csv",
    "results/validation/band_coverage.csv",
    "results/validation/backtest_summary.md",
    "results/validation/national_consistency.csv",
    "results/validation/indicator_breaks.csv",
    "results/validation/chain_comparison.csv",
    "results/validation/component_indicator_checks.csv",
]


def run(folder: Path, chunks: int) -> subprocess.CompletedProcess[str]:
    (folder / "chunks.yaml").write_text(f"estimate:\n  chunks: {chunks}\n", encoding="utf-8")
    command = ["snakemake", "--cores", "2", *ESTIMATE_FILES, "--configfile", "config/test/config.yaml", "chunks.yaml"]
    return subprocess.run(
        [sys.executable, "-m", *command],
        cwd=folder,
        env={**os.environ, "DIGECON_MIRROR": ""},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    one, three = (scratch_project(tmp_path_factory.mktemp(name)) for name in ("one_chunk", "three_chunks"))
    for folder, chunks in ((one, 1), (three, 3)):
        done = run(folder, chunks)
        assert done.returncode == 0, done.stderr[-4000:]
    return one, three


def test_three_chunks_write_the_files_of_one_job(runs: tuple[Path, Path]) -> None:
    one, three = runs
    for name in ESTIMATE_FILES:
        assert (three / name).read_bytes() == (one / name).read_bytes(), name


def test_each_chunk_ran_as_its_own_jobs(runs: tuple[Path, Path]) -> None:
    _, three = runs
    for stage in ("statistics", "backtest", "values"):
        assert sorted(p.name for p in (three / "logs/chunks").glob(f"{stage}_*.log")) == [
            f"{stage}_{n}.log" for n in range(3)
        ]
    assert not (runs[0] / "data/processed/chunks").exists()  # one chunk: one job, no stage files


def test_more_chunks_than_regions_is_refused_with_what_to_set(tmp_path: Path) -> None:
    done = run(scratch_project(tmp_path), 9)
    assert done.returncode != 0
    log = (tmp_path / "logs/chunks/plan.log").read_text(encoding="utf-8")
    assert "estimate.chunks = 9, but the tables hold only 4 regions: set estimate.chunks to at most 4" in log
