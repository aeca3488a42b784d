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

from digecon.core.settings import CSV_ENCODINGS  # the values of the setting export.csv_encoding


@contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success it replaces ``path``, on error it is removed.

    The temporary file is created in the same folder (so the final rename is atomic) and, before
    the rename, given the usual permissions of a new file (0666 less the umask) instead of
    ``mkstemp``'s 0600.

    Parameters
    ----------
    path
        The file to write; missing parent folders are created.

    Yields
    ------
    Path
        The temporary file to write to.
    """
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
    """Run ``writer`` on a temporary file that replaces ``path`` only if it succeeds."""
    with atomic_path(path) as temporary:
        writer(temporary)


# Floats in CSV files: 12 significant digits, so that binary noise never shows (32.239999999999995 is
# written 32.24) while no value loses anything that matters (1 万元 of 10^9 亿元 is the 13th digit).
# Rounded as numbers, not formatted with %g, so that 40.0 stays 40.0 and the column reads back as float.
CSV_SIGNIFICANT_DIGITS = 12


def _significant(column: pd.Series) -> pd.Series:
    """Round a float column to :data:`CSV_SIGNIFICANT_DIGITS` significant digits (NaN stays NaN)."""
    return column.map(lambda v: v if pd.isna(v) else float(f"{v:.{CSV_SIGNIFICANT_DIGITS}g}"))


def write_csv(frame: pd.DataFrame, path: str | Path, *, encoding: str = "utf-8") -> None:
    """Write a UTF-8 CSV without index (R, Stata and pandas read it as is; Excel users get the .xlsx).

    Floats are written with 12 significant digits (:data:`CSV_SIGNIFICANT_DIGITS`): rounding binary
    noise away, and monotone, so that lower <= value <= upper still holds in the file.

    Parameters
    ----------
    frame
        The table to write; Unix line ends.
    path
        Destination; replaced only once the whole file is written (:func:`atomic_path`).
    encoding
        ``utf-8`` (no byte-order mark) or ``utf-8-sig`` (with the BOM that makes Excel read a
        double-clicked CSV as UTF-8); the setting ``export.csv_encoding``.

    Raises
    ------
    ValueError
        For another encoding.
    """
    if encoding not in CSV_ENCODINGS:
        raise ValueError(f"CSV encoding {encoding!r}: expected one of {', '.join(CSV_ENCODINGS)}")
    floats = [name for name, dtype in frame.dtypes.items() if pd.api.types.is_float_dtype(dtype)]
    rounded = frame.copy() if floats else frame
    for name in floats:  # column names may be years (int)
        rounded[name] = _significant(frame[name])
    _write(
        path,
        lambda p: rounded.to_csv(p, index=False, encoding=encoding, lineterminator="\n"),
    )


def write_text(text: str, path: str | Path) -> None:
    """Write ``text`` as UTF-8 to ``path``, replacing it only once the whole file is written.

    Parameters
    ----------
    text
        The content.
    path
        Destination (:func:`atomic_path`).
    """
    _write(path, lambda p: p.write_text(text, encoding="utf-8"))


def write_json(data: Any, path: str | Path) -> None:
    """Write ``data`` as indented UTF-8 JSON (non-ASCII characters kept as they are) with a final newline.

    Parameters
    ----------
    data
        Anything :func:`json.dumps` accepts.
    path
        Destination, replaced only once the whole file is written (:func:`atomic_path`).
    """
    _write(path, lambda p: p.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"))
