"""The provenance record: versions, settings, the git state and the sha256 of every input and output."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

import digecon
from digecon.inputs.retrieve import ManifestEntry, sha256_of
from digecon.outputs.provenance import build_metadata, git_state

REPO = Path(__file__).resolve().parents[1]
SHA256_OF_X_1 = "daff832f802000e645771a60983c76c963f6ee602a6230e45237bd360e91cc1a"


def test_metadata_records_versions_config_and_checksums(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("x\n1\n", encoding="utf-8")
    result = tmp_path / "out.csv"
    result.write_text("y\n2\n", encoding="utf-8")
    good = ManifestEntry("d", "in.csv", "o/r", "c" * 40, "in.csv", "u", sha256_of(source), 4, "MIT", "p")
    tampered = ManifestEntry("d", "in.csv", "o/r", "c" * 40, "in.csv", "u", "0" * 64, 4, "MIT", "p")
    metadata = build_metadata(
        config={"a": 1},
        inputs=[(source, "io_table", good), (source, "io_table", tampered), (source, "user_indicators", None)],
        outputs=[result],
        project=tmp_path,
    )
    assert metadata["config"] == {"a": 1}
    assert metadata["digecon_version"] == digecon.__version__
    assert [i.get("matches_manifest") for i in metadata["inputs"]] == [True, False, None]
    assert metadata["inputs"][0]["repository"] == "o/r" and metadata["inputs"][0]["licence"] == "MIT"
    assert metadata["inputs"][2] == {
        "path": source.as_posix(),
        "kind": "user_indicators",
        "dataset": "user",
        "sha256": sha256_of(source),
    }
    assert metadata["outputs"] == [{"path": result.as_posix(), "sha256": sha256_of(result)}]
    assert metadata["libraries"]["pandas"] == pd.__version__
    assert metadata["project"] == {"commit": None, "uncommitted_changes": None}  # not a git checkout


def test_sha256_is_that_of_the_bytes(tmp_path: Path) -> None:
    (tmp_path / "in.csv").write_bytes(b"x\n1\n")
    # printf 'x\n1\n' | sha256sum
    assert sha256_of(tmp_path / "in.csv") == SHA256_OF_X_1


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_git_state_of_a_scratch_checkout(tmp_path: Path) -> None:
    def git(*args: str) -> None:
        subprocess.run(
            ["git", "-c", "user.name=test", "-c", "user.email=test@example.invalid", *args],
            cwd=tmp_path,
            check=True,
            capture_output=True,
        )

    git("init", "-q")
    (tmp_path / "a.txt").write_text("one\n", encoding="utf-8")
    git("add", "a.txt")
    git("commit", "-q", "-m", "first")
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=tmp_path, capture_output=True, text=True).stdout.strip()
    (tmp_path / "untracked.txt").write_text("not counted\n", encoding="utf-8")
    assert git_state(tmp_path) == {"commit": commit, "uncommitted_changes": False}
    (tmp_path / "a.txt").write_text("two\n", encoding="utf-8")
    assert git_state(tmp_path) == {"commit": commit, "uncommitted_changes": True}
    assert len(commit) == 40


def test_git_state_of_the_project() -> None:
    commit = git_state(REPO)["commit"]
    assert commit is None or (len(commit) == 40 and set(commit) <= set("0123456789abcdef"))
