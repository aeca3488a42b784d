"""Obtain raw inputs: copy from a local mirror or download from the pinned public URL.

Every file is listed in a manifest (``data/raw/MANIFEST.csv``) with its source repository,
commit, path, download URL, sha256, size, licence and publisher. A file already present
with the right checksum is never touched; anything fetched is written to a temporary file,
verified, and only then moved into place.
"""

from __future__ import annotations

import csv
import hashlib
import logging
import os
import shutil
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from digecon.core.errors import RetrievalError

log = logging.getLogger(__name__)

MIRROR_ENV = "DIGECON_MIRROR"
MANIFEST_FIELDS = (
    "dataset",
    "mirror_path",
    "repository",
    "commit",
    "repo_path",
    "url",
    "sha256",
    "size_bytes",
    "licence",
    "publisher",
)
DOWNLOAD_TIMEOUT_S = 30


@dataclass(frozen=True)
class ManifestEntry:
    """One raw input file and where it comes from."""

    dataset: str
    mirror_path: str  # path below the mirror root and below data/raw
    repository: str
    commit: str
    repo_path: str
    url: str
    sha256: str
    size_bytes: int
    licence: str
    publisher: str


def read_manifest(path: str | Path) -> list[ManifestEntry]:
    """Read the manifest CSV; refuses missing columns and duplicated paths.

    Parameters
    ----------
    path
        The manifest (``MANIFEST_FIELDS`` columns, UTF-8).

    Returns
    -------
    list of ManifestEntry
        In file order.

    Raises
    ------
    RetrievalError
        If a column of ``MANIFEST_FIELDS`` is missing or a ``mirror_path`` is listed twice.
    """
    with Path(path).open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [f for f in MANIFEST_FIELDS if f not in (reader.fieldnames or [])]
        if missing:
            raise RetrievalError(f"{path}: manifest lacks columns {', '.join(missing)}")
        entries = [
            ManifestEntry(**{**{f: row[f] for f in MANIFEST_FIELDS}, "size_bytes": int(row["size_bytes"])})
            for row in reader
        ]
    paths = [e.mirror_path for e in entries]
    doubled = sorted({p for p in paths if paths.count(p) > 1})
    if doubled:
        raise RetrievalError(f"{path}: paths listed twice: {', '.join(doubled)}")
    return entries


def sha256_of(path: str | Path) -> str:
    """Compute the sha256 of a file, reading it in 1 MiB blocks.

    Parameters
    ----------
    path
        The file.

    Returns
    -------
    str
        The digest as 64 lower-case hex digits.
    """
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def resolve_mirror(configured: str | None) -> Path | None:
    """Find the mirror folder: the config value if set, else ``$DIGECON_MIRROR``, else None (download).

    Parameters
    ----------
    configured
        ``retrieve.mirror`` (or ``digecon fetch --mirror``); None or '' when not set.

    Returns
    -------
    Path or None
        The folder (``~`` expanded), or None to download.
    """
    value = configured or os.environ.get(MIRROR_ENV) or None
    return Path(value).expanduser() if value else None


def _offline_help(entry: ManifestEntry, reason: object) -> str:
    """Explain a failed download and the two ways to work offline (a mirror, or copying the files by hand)."""
    return (
        f"cannot download {entry.mirror_path} from {entry.url} ({reason}).\n"
        "You seem to be offline. Either\n"
        f"  - point digecon to a local copy laid out like shared/data: export {MIRROR_ENV}=/path/to/shared/data\n"
        "    (or set retrieve.mirror in config/config.yaml), then run again; or\n"
        "  - download the files listed in data/raw/MANIFEST.csv yourself to data/raw/<mirror_path>."
    )


def _fetch_to(entry: ManifestEntry, target: Path, mirror: Path | None) -> str:
    """Copy or download one file to ``target``; returns how it was obtained."""
    if mirror is not None:
        source = mirror / entry.mirror_path
        if not source.is_file():
            raise RetrievalError(f"{entry.mirror_path}: not in the mirror {mirror} (looked for {source})")
        shutil.copyfile(source, target)
        return "copied"
    try:
        with urllib.request.urlopen(entry.url, timeout=DOWNLOAD_TIMEOUT_S) as response, target.open("wb") as out:
            shutil.copyfileobj(response, out)
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise RetrievalError(_offline_help(entry, getattr(exc, "reason", exc))) from exc
    return "downloaded"


def retrieve(
    entries: Iterable[ManifestEntry],
    dest: str | Path,
    *,
    mirror: Path | None,
    progress: Callable[[str], None] = log.info,
) -> list[Path]:
    """Make every manifest file present and verified under ``dest``.

    Parameters
    ----------
    entries
        Manifest entries to obtain.
    dest
        Root folder (``data/raw``); each file goes to ``dest / entry.mirror_path``.
    mirror
        Local folder laid out like ``shared/data`` to copy from, or None to download.
    progress
        Called with one line per file.

    Returns
    -------
    list of Path
        The verified files, in manifest order.

    Raises
    ------
    RetrievalError
        On a checksum mismatch (the file is refused and not written), a file missing from
        the mirror, or a failed download (with instructions for working offline).
    """
    entries = list(entries)
    dest = Path(dest)
    done = []
    for number, entry in enumerate(entries, start=1):
        target = dest / entry.mirror_path
        prefix = f"[{number:>3}/{len(entries)}] {entry.mirror_path}"
        if target.is_file() and sha256_of(target) == entry.sha256:
            progress(f"{prefix}: present, checksum ok")
            done.append(target)
            continue
        if target.exists():
            progress(f"{prefix}: present but checksum differs; fetching it again")
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".part-")
        os.close(handle)
        try:
            how = _fetch_to(entry, Path(temporary), mirror)
            found = sha256_of(temporary)
            if found != entry.sha256:
                raise RetrievalError(
                    f"{entry.mirror_path}: checksum mismatch, file refused (expected sha256 {entry.sha256}, "
                    f"found {found}); the source changed or the copy is damaged"
                )
            os.chmod(temporary, 0o444)  # raw inputs are read-only: never edited in place
            os.replace(temporary, target)
        finally:
            if os.path.exists(temporary):
                os.remove(temporary)
        progress(f"{prefix}: {how} ({entry.size_bytes / 1024:,.0f} KB), checksum ok")
        done.append(target)
    return done


def missing_or_damaged(entries: Iterable[ManifestEntry], dest: str | Path) -> list[ManifestEntry]:
    """Select the entries whose file under ``dest`` is absent or fails its sha256: all that retrieval must fetch.

    The workflow makes only these the outputs of its retrieve job, so that Snakemake never deletes
    (as outputs of a job to rerun) files that are present and verified, whatever setting changed.

    Parameters
    ----------
    entries
        Manifest entries.
    dest
        Root folder (``data/raw``).

    Returns
    -------
    list of ManifestEntry
        In the given order.
    """
    dest = Path(dest)
    return [
        e for e in entries if not ((dest / e.mirror_path).is_file() and sha256_of(dest / e.mirror_path) == e.sha256)
    ]
