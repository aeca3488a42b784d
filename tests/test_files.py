"""Atomic writers: a file is either complete or absent, never half-written, and is shared like any new file."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from digecon.core.files import atomic_path, write_csv, write_json, write_text


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


def test_csv_is_utf8_without_bom_index_or_carriage_returns(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    write_csv(pd.DataFrame({"province": ["北京", "上海"], "value_100m_yuan": [1.5, 20.0]}), path)
    assert path.read_bytes() == "province,value_100m_yuan\n北京,1.5\n上海,20.0\n".encode()


def test_json_keeps_chinese_text_indents_and_ends_with_a_newline(tmp_path: Path) -> None:
    path = tmp_path / "meta" / "metadata.json"
    write_json({"province": "北京", "years": [2017, 2018]}, path)
    assert path.read_text(encoding="utf-8") == '{\n  "province": "北京",\n  "years": [\n    2017,\n    2018\n  ]\n}\n'


def test_text_replaces_the_old_file(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "summary.md"
    write_text("old\n", path)
    write_text("| kind | total |\n", path)
    assert path.read_text(encoding="utf-8") == "| kind | total |\n"
    assert list(path.parent.iterdir()) == [path]


def test_finished_file_gets_the_permissions_of_a_new_file(tmp_path: Path) -> None:
    previous = os.umask(0o022)
    try:
        write_text("x\n", tmp_path / "shared.txt")
    finally:
        os.umask(previous)
    # mkstemp creates 0600; a result others read gets 0666 less the umask 022
    assert (tmp_path / "shared.txt").stat().st_mode & 0o777 == 0o644


def test_atomic_path_writes_beside_the_target_and_cleans_up_on_error(tmp_path: Path) -> None:
    target = tmp_path / "table.csv"
    target.write_text("old\n", encoding="utf-8")
    with pytest.raises(RuntimeError, match="stopped"), atomic_path(target) as temporary:
        assert temporary.parent == tmp_path and temporary.name.startswith(".table.csv.")
        temporary.write_text("new, but unfinished", encoding="utf-8")
        raise RuntimeError("stopped")
    assert target.read_text(encoding="utf-8") == "old\n"
    assert list(tmp_path.iterdir()) == [target]
