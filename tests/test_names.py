"""The names the workflow expands over: the gallery's kinds and the wide tables, readable without pandas."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from digecon.outputs.names import GALLERY_KINDS, WIDE_TABLES

RULES = Path(__file__).resolve().parents[1] / "workflow" / "rules"


def test_gallery_kinds() -> None:
    assert GALLERY_KINDS == {
        "overview": "Overview: China and all provinces",
        "province": "Provinces: components over time",
        "methods": "Provinces: every method compared",
    }


def test_wide_tables_and_their_units() -> None:
    assert list(WIDE_TABLES) == [
        "total",
        "production",
        "circulation",
        "share_of_gdp",
        "growth",
        "total_lower",
        "total_upper",
    ]
    in_yuan = [name for name, content in WIDE_TABLES.items() if content.endswith("亿元")]
    assert in_yuan == ["total", "production", "circulation", "total_lower", "total_upper"]
    assert "% of GDP" in WIDE_TABLES["share_of_gdp"] and WIDE_TABLES["growth"].endswith(", %")


def test_the_rules_expand_over_these_names() -> None:
    common = (RULES / "common.smk").read_text(encoding="utf-8")
    assert "from digecon.outputs.names import GALLERY_KINDS, WIDE_TABLES" in common
    estimate = (RULES / "estimate.smk").read_text(encoding="utf-8")
    assert re.search(r'"results/\{\{run\}\}tables/wide/\{name\}\.\{ext\}",\s*name=list\(WIDE_TABLES\)', estimate)
    plots = (RULES / "plots.smk").read_text(encoding="utf-8")
    assert 'kind="|".join(GALLERY_KINDS)' in plots  # the wildcard allows exactly these kinds
    assert re.search(r"kind=list\(GALLERY_KINDS\)", plots)


def test_reading_the_names_imports_neither_pandas_nor_matplotlib() -> None:
    # the Snakefile reads them at parse time, before any job runs
    code = "import sys, digecon.outputs.names; print(sorted({'pandas', 'matplotlib'} & set(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
