"""The Markdown of the backtest summary and of the chain comparison, on tables written by hand."""

from __future__ import annotations

import pandas as pd

from digecon.estimation.chains import COMPARISON_COLUMNS
from digecon.outputs.summaries import backtest_report, summary_markdown


def test_summary_markdown_lists_methods_in_registry_order() -> None:
    summary = pd.DataFrame(
        {
            "convention": ["share"] * 2,
            "method": ["chow_lin", "hold"],
            "component": ["total"] * 2,
            "kind": ["interpolation"] * 2,
            "median_ape": [0.05, 0.1],
            "q80_ape": [0.1, 0.2],
        }
    )
    lines = summary_markdown(summary, convention="share").splitlines()
    assert lines[0] == "| kind | component | hold | chow_lin |"
    assert lines[2] == "| interpolation | total | 10.0% (20%) | 5.0% (10%) |"


def test_the_report_has_a_section_by_what_carries_the_held_out_year() -> None:
    keys = {"convention": "share", "method": "hold", "component": "telecom", "kind": "extrapolation"}
    summary = pd.DataFrame([{**keys, "median_ape": 0.3, "q80_ape": 0.5}])
    by_carrier = pd.DataFrame(
        [
            {**keys, "carried_by": "aggregate", "median_ape": 0.4, "q80_ape": 0.6},
            {**keys, "carried_by": "industry series", "median_ape": 0.2, "q80_ape": 0.3},
        ]
    )
    by_design = summary.assign(component="total", design_label="2017 from 2002-2012")
    by_distance = summary.assign(component="total", distance_years=5)
    comparison = pd.DataFrame(columns=COMPARISON_COLUMNS)
    rules = pd.DataFrame(columns=["rule", "scope", "n", "median_ape", "q80_ape", "held_out_years", "choices"])
    text = backtest_report(summary, by_design, by_distance, comparison, {}, rules, ["share"], by_carrier=by_carrier)
    section = text[text.index("## convention: share, by what carries the held-out year") :]
    assert "| kind | component | carried_by | hold |" in section
    assert "| extrapolation | telecom | aggregate | 40.0% (60%) |" in section
    assert "| extrapolation | telecom | industry series | 20.0% (30%) |" in section
    # the sections before it are as they were
    assert text.index("## convention: share, by kind and component") < text.index("by what carries")
