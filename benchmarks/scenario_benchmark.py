"""Benchmark (not a test): what ten scenarios cost after a main run, against one estimate job.

Copies the workflow and the retrieved raw inputs into a scratch folder (as benchmarks/cold_run.py),
runs the main run up to its estimate, then adds ten scenarios that a user would weigh (another
recommended method or convention, another media share, another indicator chain, another break
threshold) and asks for their comparison (results/scenarios/comparison.csv). Prints the wall time
of the scenario run, the main estimate job's own time, and their ratio per scenario: a scenario that
changes no input table reuses the main run's and costs one estimate job; one that changes the split
ratios also reruns the two ratio jobs.

Usage: python benchmarks/scenario_benchmark.py [--cores 2] [--configfile config/config.yaml]
       (the raw inputs must have been retrieved: ``make run`` once)
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

import yaml
from cold_run import copy_project, job_seconds, timed

REPO = Path(__file__).resolve().parents[1]
SCENARIOS = {
    "chow_lin": {"estimate": {"recommended_method": "chow_lin"}},
    "spline": {"estimate": {"recommended_method": "spline"}},
    "hold": {"estimate": {"recommended_method": "hold"}},
    "benchmark_convention": {"estimate": {"recommended_convention": "benchmark"}},
    "half_news": {"ratios": {"news_publishing_share": 0.5}},
    "no_news": {"ratios": {"news_publishing_share": 0.0}},
    "it_by_software_revenue": {"indicators": {"chains": {"it_services": {"use": "software_revenue"}}}},
    "media_by_wage_bill": {"indicators": {"chains": {"media": {"use": "wage_bill"}}}},
    "electronics_by_industry": {"indicators": {"chains": {"electronics": {"use": "industry"}}}},
    "strict_breaks": {"indicators": {"break_threshold": 0.3}},
}


def main() -> None:
    """Time ten scenarios after a main run in a scratch copy; print them against the main estimate job."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--configfile", default="config/config.yaml")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="digecon-scenarios-") as scratch:
        folder = Path(scratch)
        copy_project(folder)
        (folder / "ten.yaml").write_text(yaml.safe_dump({"scenarios": SCENARIOS}), encoding="utf-8")
        os.environ.pop("DIGECON_MIRROR", None)  # the raw inputs are in place: nothing may be fetched
        snakemake = [sys.executable, "-m", "snakemake", "--cores", str(args.cores)]
        main_run = timed(
            [*snakemake, "results/tables/digital_economy_total.csv", "--configfile", args.configfile], folder
        )
        scenarios = timed(
            [*snakemake, "results/scenarios/comparison.csv", "--configfile", args.configfile, "ten.yaml"], folder
        )
        estimate = job_seconds(folder / "benchmarks" / "estimate_digital_economy.tsv")
        jobs = sorted((folder / "benchmarks" / "scenarios").rglob("*.tsv"))
        per_job = {}
        for path in jobs:
            per_job.setdefault(path.stem, []).append(job_seconds(path))
    print(f"{args.configfile}, {args.cores} cores: main run up to its estimate {main_run:.1f} s")
    print(f"main estimate job: {estimate:.1f} s")
    print(f"{len(SCENARIOS)} scenarios and their comparison: {scenarios:.1f} s in all")
    each = scenarios / len(SCENARIOS)
    print(f"per scenario: {each:.1f} s = {each / estimate:.2f} x one estimate job")
    print("the scenarios' jobs (count, median wall seconds):")
    for name, seconds in per_job.items():
        print(f"  {name:<28} {len(seconds):>3} {sorted(seconds)[len(seconds) // 2]:6.1f}")


if __name__ == "__main__":
    main()
