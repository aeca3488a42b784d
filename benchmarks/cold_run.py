"""Benchmark (not a test): the whole pipeline, gallery included, cold and then as a no-op rerun.

Copies the workflow (Snakefile, config, workflow) and the retrieved raw inputs (data/raw) into a
scratch folder, so nothing of the checkout is touched, then times
  1. a cold run: ``snakemake --cores N`` with no processed file and no result,
  2. a no-op rerun: the same command once everything is up to date (Snakemake builds the DAG,
     checks every file and finds nothing to do),
and prints both with the figures of the previous runs recorded in ``benchmarks/cold_run_history.csv``
(to which it appends this one, with the date, commit and core count), plus the time of each job
from Snakemake's benchmark files. Targets (issue 13): cold <= 30 s and no-op <= 3 s on 2 cores.

Usage: python benchmarks/cold_run.py [--cores 2] [--configfile config/test/config.yaml]
       (the raw inputs must have been retrieved: ``make run`` once, or ``digecon fetch``; a synthetic
       configuration needs ``python tools/make_synthetic_inputs.py data/synthetic``)
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
HISTORY = REPO / "benchmarks" / "cold_run_history.csv"
FIELDS = ["date", "commit", "cores", "configfile", "cold_seconds", "noop_seconds", "load_before"]


def _commit() -> str:
    """Give the checkout's commit (short), with ``+`` when it has uncommitted changes."""

    def git(*args: str) -> str:
        """Run one git command in the checkout; give its output."""
        return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, check=False).stdout.strip()

    return git("rev-parse", "--short", "HEAD") + ("+" if git("status", "--porcelain", "--untracked-files=no") else "")


def copy_project(folder: Path) -> None:
    """Copy the workflow, its configuration and the retrieved raw inputs into a scratch folder."""
    for item in ("Snakefile", "config", "workflow"):
        source = REPO / item
        (shutil.copytree if source.is_dir() else shutil.copy)(source, folder / item)
    shutil.copytree(REPO / "data" / "raw", folder / "data" / "raw", symlinks=True)
    if (REPO / "data" / "synthetic").exists():
        shutil.copytree(REPO / "data" / "synthetic", folder / "data" / "synthetic")


def timed(command: list[str], cwd: Path) -> float:
    """Run a command, failing loudly with its output; give its wall time in seconds."""
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return seconds


def job_seconds(path: Path) -> float:
    """Wall seconds of one job from its Snakemake benchmark file."""
    with path.open(encoding="utf-8") as handle:
        return float(next(csv.DictReader(handle, delimiter="\t"))["s"])


def _jobs(folder: Path) -> list[tuple[str, float]]:
    """Wall seconds of each job from its Snakemake benchmark file, slowest first."""
    jobs = [(path.stem, job_seconds(path)) for path in (folder / "benchmarks").glob("*.tsv")]
    return sorted(jobs, key=lambda job: -job[1])


def main() -> None:
    """Time a cold run and a no-op rerun in a scratch copy; print them beside the previous figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--configfile", default="config/config.yaml")
    args = parser.parse_args()
    if not (REPO / "data" / "raw" / "MANIFEST.csv").exists():
        sys.exit("data/raw/MANIFEST.csv is missing: run this from a checkout")
    with tempfile.TemporaryDirectory(prefix="digecon-cold-") as scratch:
        folder = Path(scratch)
        copy_project(folder)
        command = [sys.executable, "-m", "snakemake", "--cores", str(args.cores), "--configfile", args.configfile]
        os.environ.pop("DIGECON_MIRROR", None)  # the raw inputs are in place: nothing may be fetched
        load = os.getloadavg()[0]  # other work on the machine stretches every figure: recorded beside them
        cold = timed(command, folder)
        noop = timed(command, folder)
        jobs = _jobs(folder)
    previous = []
    if HISTORY.exists():
        with HISTORY.open(encoding="utf-8") as handle:
            previous = [
                row
                for row in csv.DictReader(handle)
                if row["cores"] == str(args.cores) and row["configfile"] == args.configfile
            ]
    print(f"{args.configfile}, {args.cores} cores, commit {_commit()}, load average before: {load:.2f}")
    print(f"{'':>18} {'this run':>10} {'previous':>10} {'target':>8}")
    last = previous[-1] if previous else {}
    for name, seconds, key, target in (
        ("cold run", cold, "cold_seconds", 30),
        ("no-op rerun", noop, "noop_seconds", 3),
    ):
        before = f"{float(last[key]):.1f} s" if key in last else "-"
        print(f"{name:>18} {seconds:>8.1f} s {before:>10} {target:>6} s")
    print("jobs of the cold run (wall seconds, from benchmarks/*.tsv):")
    for name, seconds in jobs:
        print(f"  {name:<40} {seconds:6.1f}")
    new = not HISTORY.exists()
    with HISTORY.open("a", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=FIELDS)
        if new:
            writer.writeheader()
        writer.writerow(
            {
                "date": datetime.now(UTC).date().isoformat(),
                "commit": _commit(),
                "cores": args.cores,
                "configfile": args.configfile,
                "cold_seconds": f"{cold:.1f}",
                "noop_seconds": f"{noop:.1f}",
                "load_before": f"{load:.2f}",
            }
        )


if __name__ == "__main__":
    main()
