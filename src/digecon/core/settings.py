"""Configuration rules that JSON Schema cannot express (the schema checks each key on its own)."""

from __future__ import annotations

from typing import Any


def config_problems(config: dict[str, Any]) -> list[str]:
    """Messages naming the config keys that contradict each other; empty when consistent."""
    problems = []
    estimate = config["estimate"]
    if estimate["first_year"] > estimate["last_year"]:
        problems.append(
            f"estimate.first_year ({estimate['first_year']}) is after estimate.last_year ({estimate['last_year']})"
        )
    if estimate["recommended_method"] not in estimate["methods"]:
        problems.append(
            f"estimate.recommended_method '{estimate['recommended_method']}' is not in "
            f"estimate.methods {estimate['methods']}"
        )
    if estimate["recommended_convention"] not in estimate["conventions"]:
        problems.append(
            f"estimate.recommended_convention '{estimate['recommended_convention']}' is not in "
            f"estimate.conventions {estimate['conventions']}"
        )
    missing = sorted(set(config["io_tables"]["years"]) - set(map(int, config["ratios"]["detailed_table_of_io_year"])))
    if missing:
        problems.append(f"ratios.detailed_table_of_io_year has no entry for io_tables.years {missing}")
    return problems
