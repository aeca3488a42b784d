"""The synthetic inputs of config/test (written by tools/make_synthetic_inputs.py) for tests."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from digecon.core.settings import Settings, settings_from_config

REPO = Path(__file__).resolve().parents[1]
GENERATOR = REPO / "tools" / "make_synthetic_inputs.py"


def generator():
    """The generator module (tools/ is not a package)."""
    spec = importlib.util.spec_from_file_location("make_synthetic_inputs", GENERATOR)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def write_inputs(dest: Path, years: list[int] | None = None) -> Path:
    """Run the generator as a user would; returns ``dest``."""
    command = [sys.executable, str(GENERATOR), str(dest)] + (["--years", *map(str, years)] if years else [])
    subprocess.run(command, check=True, cwd=REPO)
    return dest


def settings_for(folder: Path, **estimate: object) -> Settings:
    """The test configuration with its paths pointing into ``folder`` (written by :func:`write_inputs`)."""
    config = yaml.safe_load((REPO / "config/test/config.yaml").read_text(encoding="utf-8"))
    config["io_tables"]["user_folders"] = [str(folder / "io_tables")]
    config["indicators"]["user_csv"] = [str(folder / "indicators.csv")]
    config["ratios"]["census_csv"] = str(folder / "census_ratios.csv")
    config["estimate"].update(estimate)
    return settings_from_config(config)


def scratch_project(tmp_path: Path) -> Path:
    """A copy of the workflow (Snakefile, config, workflow) in ``tmp_path``, with the synthetic inputs."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    for item in ("Snakefile", "config", "workflow"):
        source = REPO / item
        (shutil.copytree if source.is_dir() else shutil.copy)(source, tmp_path / item)
    write_inputs(tmp_path / "data" / "synthetic")
    return tmp_path


def snakemake(
    project: Path, *args: str, configfiles: tuple[str, ...] = (), mirror: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Snakemake in ``project`` on the synthetic configuration (and ``configfiles`` over it), output captured."""
    # --configfile takes every word after it, so it comes last
    command = [sys.executable, "-m", "snakemake", *args, "--configfile", "config/test/config.yaml", *configfiles]
    env = {**os.environ, "DIGECON_MIRROR": str(mirror) if mirror else ""}
    return subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, check=False)


def copy_project(project: Path, dest: Path) -> Path:
    """A copy of a finished ``project`` (times kept, so nothing is out of date) to change; returns ``dest``."""
    shutil.copytree(project, dest, symlinks=True)
    return dest
