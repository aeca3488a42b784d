"""Writers that never leave a half-written file: write to a temporary file, then rename."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd


@contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success it replaces ``path``, on error it is removed."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=path.suffix)
    os.close(handle)
    try:
        yield Path(temporary)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # mkstemp creates 0600; results are meant to be shared
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)


def _write(path: str | Path, writer: Callable[[Path], Any]) -> None:
    with atomic_path(path) as temporary:
        writer(temporary)


def write_csv(frame: pd.DataFrame, path: str | Path) -> None:
    """UTF-8 CSV without index (R, Stata and pandas read it as is; Excel users get the .xlsx)."""
    _write(path, lambda p: frame.to_csv(p, index=False, encoding="utf-8", lineterminator="\n"))


def write_text(text: str, path: str | Path) -> None:
    _write(path, lambda p: p.write_text(text, encoding="utf-8"))


def write_json(data: Any, path: str | Path) -> None:
    _write(path, lambda p: p.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"))
