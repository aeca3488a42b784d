"""The Markdown of the backtest summary and of the chain comparison, on tables written by hand."""

from __future__ import annotations

import pandas as pd

from digecon.outputs.summaries import summary_markdown


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
