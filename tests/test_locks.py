"""A killed run: its stale lock is recognised and the one command that clears it named; nothing half-written."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from digecon.core.locks import lock_problem, snakemake_processes
from tests.synthetic import copy_project, snakemake


def test_no_lock_no_problem(tmp_path: Path) -> None:
    assert lock_problem(tmp_path, running=[]) is None


def test_stale_and_live_locks(tmp_path: Path) -> None:
    (tmp_path / ".snakemake/locks").mkdir(parents=True)
    (tmp_path / ".snakemake/locks/0.input.lock").write_text("x", encoding="utf-8")
    stale = lock_problem(tmp_path, running=[])
    assert stale is not None and "stale" in stale and "make unlock" in stale
    live = lock_problem(tmp_path, running=[4242])
    assert live is not None and "process 4242" in live and "make unlock" not in live


def test_finds_a_snakemake_process_by_its_folder(tmp_path: Path) -> None:
    # a process whose command line names snakemake, started in tmp_path
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)", "snakemake"], cwd=tmp_path)
    try:
        # the child names snakemake only once it has exec'd (on a busy machine, a moment after Popen returns)
        cmdline = Path(f"/proc/{sleeper.pid}/cmdline")
        deadline = time.monotonic() + 10
        while b"snakemake" not in cmdline.read_bytes() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert sleeper.pid in snakemake_processes(tmp_path)
        assert sleeper.pid not in snakemake_processes(tmp_path / "..")
    finally:
        sleeper.kill()
        sleeper.wait()


def snakemake_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "snakemake", *args, "--configfile", "config/test/config.yaml"]


@pytest.mark.skipif(not Path("/proc/self/cwd").exists(), reason="needs Linux /proc")
def test_kill_9_mid_run_then_preflight_unlock_and_rerun(synthetic_run: Path, tmp_path: Path) -> None:
    # a finished project whose estimate is run again, and killed once it has started
    project = copy_project(synthetic_run, tmp_path / "project")
    (project / "logs/estimate_digital_economy.log").unlink()
    target = "results/tables/digital_economy_va.csv"
    env = {**os.environ, "DIGECON_MIRROR": ""}
    run = subprocess.Popen(
        snakemake_command(target, "--cores", "2", "--forcerun", "estimate_digital_economy"),
        cwd=project,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while not (project / "logs/estimate_digital_economy.log").exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    os.killpg(run.pid, signal.SIGKILL)
    run.wait()
    preflight = subprocess.run(
        [sys.executable, "-m", "digecon.cli", "preflight"], cwd=project, capture_output=True, text=True, check=False
    )
    assert preflight.returncode == 1 and "make unlock" in preflight.stderr
    for csv in (project / "data/processed").glob("*.csv"):  # what was written is whole
        pd.read_csv(csv)
    assert snakemake(project, "--unlock").returncode == 0
    again = snakemake(project, target, "--cores", "2")
    assert again.returncode == 0, again.stderr[-3000:]
    assert "estimate_digital_economy" in again.stdout + again.stderr  # the killed job ran again
    values = pd.read_csv(project / target)
    assert len(values) == 4 * 22 * 4 * 5 * 2  # provinces x years x components x methods x conventions
