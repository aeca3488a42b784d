"""Code style is part of the test suite: ruff (lint + format) and snakefmt."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PYTHON_PATHS = ["src", "tests", "tools", "benchmarks", "workflow/scripts"]


@pytest.mark.parametrize(
    "command",
    [
        ["ruff", "check", *PYTHON_PATHS],
        ["ruff", "format", "--check", *PYTHON_PATHS],
        ["snakefmt", "--check", "Snakefile", "workflow"],
    ],
    ids=["ruff-check", "ruff-format", "snakefmt"],
)
def test_style(command: list[str]) -> None:
    executable = Path(sys.executable).parent / command[0]
    result = subprocess.run([str(executable), *command[1:]], cwd=REPO, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
