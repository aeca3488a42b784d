"""Shared fixtures: the real-data mirror (skip when absent) and one synthetic run for the whole session."""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.synthetic import scratch_project, snakemake
from tests.tables import IO_FOLDER

REPO = Path(__file__).resolve().parents[1]


def mirror_root() -> Path | None:
    """The real-data mirror: $DIGECON_MIRROR, else ../shared/data beside the repository."""
    # absolute: the scratch projects of the tests run in other folders
    candidate = Path(os.environ.get("DIGECON_MIRROR") or REPO.parent / "shared" / "data").resolve()
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


def built_once(tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], None]) -> Path:
    """The folder ``name``, made by ``build(folder)`` once per test run.

    Under pytest-xdist every worker has a session of its own: the first to ask builds the folder in
    the run's temporary root, which the workers share, and the others wait for it and use it.
    """
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent
    folder, done = root / name, root / f"{name}.done"
    with (root / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)
            build(folder)
            done.touch()
    return folder


@pytest.fixture(scope="session")
def synthetic_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A scratch project (tests.synthetic) after a whole run of the synthetic configuration.

    One run serves every test: read it, or change a copy (``tests.synthetic.copy_project``).
    """

    def build(folder: Path) -> None:
        result = snakemake(scratch_project(folder), "--cores", "2")
        assert result.returncode == 0, result.stderr[-4000:]

    return built_once(tmp_path_factory, "synthetic_run", build)


@pytest.fixture
def no_system_cjk_font(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The fonts of a machine without a Chinese font, whatever this one has (CI installs one).

    Its font list keeps only DejaVu and the scan of the system's font files finds nothing, so a
    Chinese figure drawn meanwhile has only the packaged font to draw with.
    """
    from matplotlib import font_manager

    manager = font_manager.fontManager
    monkeypatch.setattr(manager, "ttflist", [f for f in manager.ttflist if f.name.startswith("DejaVu")])
    monkeypatch.setattr(font_manager, "findSystemFonts", lambda *args, **kwargs: [])
    manager._findfont_cached.cache_clear()  # font lookups made with the system's fonts
    yield
    manager._findfont_cached.cache_clear()  # and those made without them
