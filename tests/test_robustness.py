"""Nothing half-written, raw files never modified, a provenance record, and config checks."""

from __future__ import annotations

import hashlib
import stat
from pathlib import Path

import pandas as pd
import pytest
import yaml

from digecon.inputs.concordance import load_concordance
from digecon.inputs.iotable import read_io_table
from digecon.core.files import write_csv
from digecon.outputs.provenance import build_metadata, git_state
from digecon.inputs.retrieve import ManifestEntry, retrieve, sha256_of
from tests.tables import io_table_rows, write_workbook

REPO = Path(__file__).resolve().parents[1]


class Exploding(pd.DataFrame):
    """A frame whose CSV writer fails half-way, as a full disk would."""

    def to_csv(self, path, *args, **kwargs):  # type: ignore[override]
        Path(path).write_text("province_code,year\n110000,20", encoding="utf-8")
        raise OSError("No space left on device")


def test_failed_write_leaves_no_partial_file_and_keeps_the_old_one(tmp_path: Path) -> None:
    target = tmp_path / "results" / "digital_economy_va.csv"
    with pytest.raises(OSError, match="No space"):
        write_csv(Exploding({"a": [1]}), target)
    assert list(target.parent.iterdir()) == []
    write_csv(pd.DataFrame({"a": [1]}), target)
    with pytest.raises(OSError):
        write_csv(Exploding({"a": [2]}), target)
    assert target.read_text(encoding="utf-8") == "a\n1\n"
    assert list(target.parent.iterdir()) == [target]


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


def test_metadata_records_versions_config_and_checksums(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("x\n1\n", encoding="utf-8")
    result = tmp_path / "out.csv"
    result.write_text("y\n2\n", encoding="utf-8")
    good = ManifestEntry("d", "in.csv", "o/r", "c" * 40, "in.csv", "u", sha256_of(source), 4, "MIT", "p")
    tampered = ManifestEntry("d", "in.csv", "o/r", "c" * 40, "in.csv", "u", "0" * 64, 4, "MIT", "p")
    metadata = build_metadata(
        config={"a": 1}, inputs=[(source, "io_table", good), (source, "io_table", tampered), (source, "user_indicators", None)], outputs=[result], project=tmp_path
    )
    assert metadata["config"] == {"a": 1}
    assert [i.get("matches_manifest") for i in metadata["inputs"]] == [True, False, None]
    assert metadata["inputs"][2] == {"path": source.as_posix(), "kind": "user_indicators", "dataset": "user", "sha256": sha256_of(source)}
    assert metadata["outputs"] == [{"path": result.as_posix(), "sha256": sha256_of(result)}]
    assert metadata["libraries"]["pandas"] == pd.__version__
    assert metadata["project"] == {"commit": None, "uncommitted_changes": None}  # not a git checkout
    assert git_state(REPO)["commit"] is None or len(git_state(REPO)["commit"]) == 40
