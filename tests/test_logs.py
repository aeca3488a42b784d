"""A run's log: bad input ends it with one clean message (stderr and log file), never a traceback."""

from __future__ import annotations

import logging
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from digecon.core.errors import RetrievalError
from digecon.core.logs import logged_run

MESSAGE = "t.xls, sheet 'S', cell C4: value is not a number; expected a number, found '缺'"
SCRIPT = """
import sys
from digecon.core.errors import InputError
from digecon.core.logs import logged_run

with logged_run(sys.argv[1]) as log:
    log.info("reading t.xls")
    raise InputError("t.xls", "value is not a number", sheet="S", row=3, column=2, expected="a number", found="'缺'")
"""


@pytest.fixture
def root_logging() -> Iterator[None]:
    """Give the test the root logger and restore it afterwards (logged_run reconfigures it)."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in root.handlers:
        if handler not in handlers:
            handler.close()
    root.handlers[:] = handlers
    root.setLevel(level)


def test_input_error_exits_cleanly_with_the_message(tmp_path: Path) -> None:
    log_file = tmp_path / "logs" / "ingest_io_tables.log"  # the folder does not exist yet
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(log_file)], capture_output=True, text=True, check=False)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.endswith(f"digecon: {MESSAGE}\n")
    assert f"ERROR digecon: {MESSAGE}" in done.stderr  # logged, then the exit message
    logged = log_file.read_text(encoding="utf-8")
    assert "INFO digecon: reading t.xls" in logged and f"ERROR digecon: {MESSAGE}" in logged
    assert "Traceback" not in logged


def test_retrieval_error_becomes_system_exit(root_logging: None, tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as caught, logged_run(tmp_path / "retrieve.log"):
        raise RetrievalError("f.csv: checksum mismatch, file refused")
    assert caught.value.code == "digecon: f.csv: checksum mismatch, file refused"
    assert "ERROR digecon: f.csv: checksum mismatch" in (tmp_path / "retrieve.log").read_text(encoding="utf-8")


def test_programming_errors_keep_their_traceback(root_logging: None) -> None:
    with pytest.raises(KeyError, match="province_code"), logged_run():
        raise KeyError("province_code")


def test_log_file_is_overwritten_by_the_next_run(root_logging: None, tmp_path: Path) -> None:
    log_file = tmp_path / "run.log"
    with logged_run(log_file) as log:
        log.info("first run")
    with logged_run(log_file) as log:
        log.info("second run")
    logged = log_file.read_text(encoding="utf-8")
    assert "second run" in logged and "first run" not in logged
