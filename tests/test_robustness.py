"""Raw files are read-only once retrieved, and reading them never changes them.

The atomic writers are tested in ``test_files.py``, the provenance record in ``test_provenance.py``.
"""

from __future__ import annotations

import hashlib
import stat
from pathlib import Path

from digecon.inputs.concordance import load_concordance
from digecon.inputs.iotable import read_io_table
from digecon.inputs.retrieve import ManifestEntry, retrieve, sha256_of
from tests.tables import io_table_rows, write_workbook


def test_retrieved_raw_files_are_read_only_and_reading_never_changes_them(tmp_path: Path) -> None:
    table = write_workbook(io_table_rows("2017"), tmp_path / "mirror" / "2017" / "01-北京.xls")
    content = table.read_bytes()
    entry = ManifestEntry(
        "io_regional",
        "2017/01-北京.xls",
        "o/r",
        "0" * 40,
        "2017/01-北京.xls",
        "u",
        hashlib.sha256(content).hexdigest(),
        len(content),
        "MIT",
        "test",
    )
    [raw] = retrieve([entry], tmp_path / "raw", mirror=tmp_path / "mirror")
    assert not raw.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    read_io_table(raw, load_concordance())
    assert sha256_of(raw) == entry.sha256
