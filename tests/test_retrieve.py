"""Retrieval: copy from a mirror, verify sha256, never overwrite a good file, explain offline use."""

from __future__ import annotations

import hashlib
import urllib.error
from pathlib import Path

import pytest

from digecon.core.errors import RetrievalError
from digecon.inputs.retrieve import ManifestEntry, missing_or_damaged, read_manifest, retrieve, sha256_of

REPO = Path(__file__).resolve().parents[1]
MANIFEST = REPO / "data" / "raw" / "MANIFEST.csv"


def entry_for(path: str, content: bytes) -> ManifestEntry:
    return ManifestEntry(
        dataset="demo",
        mirror_path=path,
        repository="owner/repo",
        commit="0" * 40,
        repo_path=path,
        url=f"https://example.invalid/{path}",
        sha256=hashlib.sha256(content).hexdigest(),
        size_bytes=len(content),
        licence="MIT",
        publisher="test",
    )


def test_copies_from_mirror_and_verifies(tmp_path: Path) -> None:
    (tmp_path / "mirror" / "a").mkdir(parents=True)
    (tmp_path / "mirror" / "a" / "表.csv").write_bytes(b"x,y\n1,2\n")
    entry = entry_for("a/表.csv", b"x,y\n1,2\n")
    lines: list[str] = []
    [path] = retrieve([entry], tmp_path / "raw", mirror=tmp_path / "mirror", progress=lines.append)
    assert path.read_bytes() == b"x,y\n1,2\n"
    assert "copied" in lines[0] and "checksum ok" in lines[0]
    retrieve([entry], tmp_path / "raw", mirror=None, progress=lines.append)  # present: no download tried
    assert "present, checksum ok" in lines[1]


def test_checksum_mismatch_refuses_the_file(tmp_path: Path) -> None:
    (tmp_path / "mirror").mkdir()
    (tmp_path / "mirror" / "f.csv").write_bytes(b"tampered")
    with pytest.raises(RetrievalError, match=r"f\.csv: checksum mismatch, file refused"):
        retrieve([entry_for("f.csv", b"original")], tmp_path / "raw", mirror=tmp_path / "mirror")
    assert list((tmp_path / "raw").iterdir()) == []  # nothing half-written left behind


def test_offline_without_mirror_says_what_to_do(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def offline(*args, **kwargs):
        raise urllib.error.URLError("Temporary failure in name resolution")

    monkeypatch.setattr("urllib.request.urlopen", offline)
    with pytest.raises(RetrievalError, match="DIGECON_MIRROR") as caught:
        retrieve([entry_for("f.csv", b"x")], tmp_path / "raw", mirror=None)
    assert "offline" in str(caught.value) and "MANIFEST.csv" in str(caught.value)


def test_file_missing_from_mirror(tmp_path: Path) -> None:
    (tmp_path / "mirror").mkdir()
    with pytest.raises(RetrievalError, match="not in the mirror"):
        retrieve([entry_for("f.csv", b"x")], tmp_path / "raw", mirror=tmp_path / "mirror")


def test_manifest_lists_the_default_inputs() -> None:
    entries = read_manifest(MANIFEST)
    assert sum(e.dataset == "io_regional" for e in entries) == 125
    for e in entries:
        assert (
            e.url == f"https://raw.githubusercontent.com/{e.repository}/{e.commit}/" + e.url.split(f"{e.commit}/", 1)[1]
        )
        assert len(e.commit) == 40 and len(e.sha256) == 64 and e.licence and e.publisher


def test_manifest_checksums_match_the_mirror(mirror: Path) -> None:
    for e in read_manifest(MANIFEST):
        source = mirror / e.mirror_path
        assert source.stat().st_size == e.size_bytes, e.mirror_path
        assert sha256_of(source) == e.sha256, e.mirror_path


def test_only_missing_or_damaged_files_are_to_be_fetched(tmp_path: Path) -> None:
    good, damaged, absent = entry_for("a.csv", b"a"), entry_for("b.csv", b"b"), entry_for("c.csv", b"c")
    (tmp_path / "a.csv").write_bytes(b"a")
    (tmp_path / "b.csv").write_bytes(b"B")  # same size, other bytes
    assert missing_or_damaged([good, damaged, absent], tmp_path) == [damaged, absent]
