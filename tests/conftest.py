"""Shared fixtures: the real-data mirror (skip when absent) and a writer of small IO tables."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.tables import IO_FOLDER

REPO = Path(__file__).resolve().parents[1]


def mirror_root() -> Path | None:
    """The real-data mirror: $DIGECON_MIRROR, else ../shared/data beside the repository."""
    candidate = Path(os.environ.get("DIGECON_MIRROR") or REPO.parent / "shared" / "data")
    return candidate if (candidate / IO_FOLDER).is_dir() else None


@pytest.fixture(scope="session")
def mirror() -> Path:
    root = mirror_root()
    if root is None:
        pytest.skip(
            "real data not available: set DIGECON_MIRROR to a copy of shared/data (or place it at ../shared/data)"
        )
    return root


@pytest.fixture(scope="session")
def io_folder(mirror: Path) -> Path:
    return mirror / IO_FOLDER
