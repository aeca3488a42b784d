"""Nothing lost on a rerun: changing where raw files come from never deletes or rewrites them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from digecon.inputs.retrieve import MANIFEST_FIELDS, sha256_of
from tests.synthetic import scratch_project

MIRRORED = "mirror_io"  # the synthetic tables served as retrieved inputs below data/raw/mirror_io/


def snakemake(project: Path, *args: str, mirror: Path | None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DIGECON_MIRROR": str(mirror) if mirror else ""}
    return subprocess.run(
        [sys.executable, "-m", "snakemake", *args, "--configfile", "config/test/config.yaml", "rerun.yaml"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def state(folder: Path) -> dict[str, tuple[int, int, str]]:
    """Inode, modification time and sha256 of every file below ``folder``."""
    return {
        p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns, sha256_of(p))
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A scratch project whose IO tables are retrieved (manifest + mirror), the rest the user's."""
    root = tmp_path_factory.mktemp("rerun")
    project = scratch_project(root / "project")
    mirror = root / "mirror_a"
    tables = project / "data/synthetic/io_tables"
    shutil.copytree(tables, mirror / MIRRORED)
    shutil.rmtree(tables)
    lines = [",".join(MANIFEST_FIELDS)]
    for path in sorted((mirror / MIRRORED).iterdir()):
        relative = path.relative_to(mirror).as_posix()
        lines.append(
            f"io_regional,{relative},o/r,{'0' * 40},{relative},https://example.invalid/{relative},"
            f"{sha256_of(path)},{path.stat().st_size},test,test"
        )
    (project / "data/raw").mkdir(parents=True, exist_ok=True)
    (project / "data/raw/MANIFEST.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (project / "rerun.yaml").write_text(
        "retrieve:\n  manifest: data/raw/MANIFEST.csv\nio_tables:\n  user_folders: []\n", encoding="utf-8"
    )
    return project, mirror


def test_mirror_then_none_then_another_mirror_loses_nothing(project: tuple[Path, Path], tmp_path: Path) -> None:
    folder, mirror = project
    first = snakemake(folder, "--cores", "2", mirror=mirror)
    assert first.returncode == 0, first.stderr[-3000:]
    raw = state(folder / "data/raw")
    results = state(folder / "results/tables")
    assert len(raw) == 22 + 1  # the tables and the manifest

    without = snakemake(folder, "--cores", "2", mirror=None)
    assert without.returncode == 0, without.stderr[-3000:]
    other = tmp_path / "mirror_b"
    shutil.copytree(mirror, other)
    moved = snakemake(folder, "--cores", "2", mirror=other)
    assert moved.returncode == 0, moved.stderr[-3000:]
    assert "retrieve_raw_data" not in without.stderr + moved.stderr
    assert state(folder / "data/raw") == raw  # nothing removed, rewritten or touched
    assert state(folder / "results/tables") == results


def test_a_missing_raw_file_alone_is_fetched_again(project: tuple[Path, Path]) -> None:
    folder, mirror = project
    assert snakemake(folder, "--cores", "2", mirror=mirror).returncode == 0
    before = state(folder / "data/raw")
    lost = folder / "data/raw" / MIRRORED / "北京2017.xlsx"
    lost.chmod(0o644)
    lost.unlink()
    # a finished run does not need the file; reading the tables again does, and fetches it alone
    again = snakemake(
        folder, "data/processed/io_tables.csv", "--cores", "2", "--forcerun", "ingest_io_tables", mirror=mirror
    )
    assert again.returncode == 0, again.stderr[-3000:]
    after = state(folder / "data/raw")
    key = f"{MIRRORED}/北京2017.xlsx"
    assert after[key][2] == before[key][2]  # the same bytes, verified
    assert {k: v for k, v in after.items() if k != key} == {k: v for k, v in before.items() if k != key}
    assert lost.stat().st_mode & 0o222 == 0  # raw inputs are read-only
