"""Snakemake's working-directory lock after a killed run: tell a stale lock from a live run.

A run stopped by ``kill -9`` or a power cut leaves ``.snakemake/locks/*.lock`` behind, and every
later run stops on it. ``digecon preflight`` (run by ``make run``) looks for a live Snakemake
process in the folder: with none, the lock is stale and the user is told the one command that
clears it; with one, the user is told to wait for it.
"""

from __future__ import annotations

import os
from pathlib import Path

LOCKS = Path(".snakemake") / "locks"
UNLOCK_COMMAND = "make unlock"


def snakemake_processes(folder: str | Path, proc: str | Path = "/proc") -> list[int]:
    """Find the Snakemake runs whose working directory is ``folder`` (Linux ``/proc``).

    A process counts when its command line contains ``snakemake`` but not ``--unlock``; this
    process itself and processes that cannot be inspected are skipped.

    Parameters
    ----------
    folder
        The project folder.
    proc
        The process file system to read (a fake one in tests).

    Returns
    -------
    list of int
        Their process ids, ascending.
    """
    folder = Path(folder).resolve()
    found = []
    for entry in Path(proc).iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            cwd = Path(os.readlink(entry / "cwd"))
        except OSError:  # the process ended, or is not ours to inspect
            continue
        if "snakemake" in command and "--unlock" not in command and cwd == folder:
            found.append(int(entry.name))
    return sorted(found)


def lock_problem(folder: str | Path, running: list[int]) -> str | None:
    """Say what to tell the user about the folder's Snakemake lock.

    Parameters
    ----------
    folder
        The project folder.
    running
        Process ids of live Snakemake runs in it (:func:`snakemake_processes`).

    Returns
    -------
    str or None
        None when ``.snakemake/locks`` holds no lock file; with a live run, to wait for it; with
        none, that the lock is stale and the command that clears it (``make unlock``).
    """
    locks = sorted((Path(folder) / LOCKS).glob("*.lock"))
    if not locks:
        return None
    if running:
        return (
            f"another Snakemake run (process {', '.join(map(str, running))}) is working in this folder; "
            "wait for it to finish or stop it, then run again"
        )
    return (
        "a previous run was stopped before it finished (killed, or the machine went down) and left Snakemake's "
        f"lock in {LOCKS}/. No Snakemake process is running here, so the lock is stale: clear it with\n"
        f"    {UNLOCK_COMMAND}\n"
        "then run again; the jobs the killed run left unfinished are redone (no result is half-written)."
    )
