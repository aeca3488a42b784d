"""Provenance record of a run: versions, configuration and the checksum of every input and output."""

from __future__ import annotations

import platform
import subprocess
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from digecon import __version__
from digecon.inputs.retrieve import ManifestEntry, sha256_of

LIBRARIES = (
    "snakemake",
    "pandas",
    "numpy",
    "scipy",
    "statsmodels",
    "matplotlib",
    "python-calamine",
    "openpyxl",
    "rdata",
    "pillow",
    "jsonschema",
    "pyyaml",
)


def _version(package: str) -> str | None:
    """Give the installed version of a distribution, or None when it is not installed."""
    try:
        return version(package)
    except PackageNotFoundError:
        return None


def git_state(folder: str | Path) -> dict[str, Any]:
    """Record the commit of the project checkout and whether it had uncommitted changes.

    Parameters
    ----------
    folder
        The project folder.

    Returns
    -------
    dict
        ``commit`` (40 hex digits) and ``uncommitted_changes`` (changes to tracked files; untracked
        files do not count); both None outside a git checkout or without git.
    """

    def git(*args: str) -> str | None:
        """Run one git command in ``folder``: its output, or None when it fails."""
        try:
            done = subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True, timeout=10, check=True)
        except (OSError, subprocess.SubprocessError):
            return None
        return done.stdout.strip()

    commit = git("rev-parse", "HEAD")
    status = git("status", "--porcelain", "--untracked-files=no")
    return {"commit": commit, "uncommitted_changes": bool(status) if status is not None else None}


def _input_record(path: Path, kind: str, entry: ManifestEntry | None) -> dict[str, Any]:
    """One input's record: where it comes from, its sha256 and (for retrieved files) whether it matches the manifest."""
    found = sha256_of(path)
    if entry is None:  # the user's own file
        return {"path": path.as_posix(), "kind": kind, "dataset": "user", "sha256": found}
    return {
        "path": path.as_posix(),
        "kind": kind,
        "dataset": entry.dataset,
        "repository": entry.repository,
        "commit": entry.commit,
        "url": entry.url,
        "licence": entry.licence,
        "publisher": entry.publisher,
        "sha256": found,
        "matches_manifest": found == entry.sha256,
    }


def build_metadata(
    *,
    config: dict[str, Any],
    inputs: list[tuple[Path, str, ManifestEntry | None]],
    outputs: list[Path],
    project: Path,
) -> dict[str, Any]:
    """Build the record written to ``results/metadata.json``.

    Parameters
    ----------
    config
        The settings the run used (:meth:`digecon.core.settings.Settings.as_dict`).
    inputs
        Each input file with its kind (:data:`digecon.inputs.registry.KINDS`) and its manifest
        entry (None for the user's files); its sha256 is computed again and compared.
    outputs
        Result files to fingerprint.
    project
        The project folder (for the git commit).

    Returns
    -------
    dict
        Versions, git state, settings, inputs and outputs with their sha256.
    """
    return {
        "created_utc": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "digecon_version": __version__,
        "project": git_state(project),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "libraries": {name: _version(name) for name in LIBRARIES},
        "config": config,
        "inputs": [_input_record(*i) for i in inputs],
        "outputs": [{"path": p.as_posix(), "sha256": sha256_of(p)} for p in outputs],
    }
