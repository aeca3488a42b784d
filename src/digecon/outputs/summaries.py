"""The backtest and the chain comparison as Markdown (results/validation/backtest_summary.md, the README)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from digecon.estimation.chains import Choice
from digecon.estimation.methods import METHODS


def _cell(median: float, q80: float) -> str:
    """One error cell: the median APE and, in brackets, its 80th percentile (``12.3% (25%)``)."""
    return f"{median:.1%} ({q80:.0%})"


def summary_markdown(summary: pd.DataFrame, *, convention: str, rows: Sequence[str] = ("kind", "component")) -> str:
    """Median APE (and q80) by ``rows`` and method, as a Markdown table for the README.

    Parameters
    ----------
    summary
        From :func:`digecon.estimation.bands.error_summary` (or ``by_design`` / ``by_distance``).
    convention
        The convention to show.
    rows
        The columns that make a row of the table, e.g. ``("kind", "component")`` or ``("design_label",)``.

    Returns
    -------
    str
        One row per distinct ``rows`` value (in the summary's order), one column per method present,
        in registry order.
    """
    rows = list(rows)
    chosen = summary[summary["convention"] == convention]
    cells = chosen.assign(cell=[_cell(m, q) for m, q in zip(chosen["median_ape"], chosen["q80_ape"], strict=True)])
    table = cells.pivot_table(index=rows, columns="method", values="cell", aggfunc="first", sort=False)
    methods = [m for m in METHODS if m in table.columns]
    lines = [
        "| " + " | ".join(rows) + " | " + " | ".join(methods) + " |",
        "|---" * len(rows) + "|" + "---|" * len(methods),
    ]
    for key, row in table.iterrows():
        key = key if isinstance(key, tuple) else (key,)
        lines.append("| " + " | ".join(map(str, key)) + " | " + " | ".join(str(row[m]) for m in methods) + " |")
    return "\n".join(lines) + "\n"


def comparison_markdown(comparison: pd.DataFrame, choices: Mapping[str, Choice], *, convention: str) -> str:
    """Write the candidates' backtest errors as Markdown for the README: the decision, then one table.

    Parameters
    ----------
    comparison
        ``chain_comparison`` of :class:`digecon.api.Result`.
    choices
        Component -> its :class:`Choice`.
    convention
        The convention of the table.

    Returns
    -------
    str
        One line per component saying which candidate won, by how much and how surely, then a table
        with one row per component, candidate and kind, one column per method: median APE (80th
        percentile) over provinces and designs; then, under the recommended method, the total's
        median APE with the candidate (the other components at their choice) and the candidate's win
        share; the chosen candidate in bold.
    """
    lines = [f"- {choice.sentence()}" for choice in choices.values()]
    rows = comparison[(comparison["convention"] == convention) & (comparison["n"] > 0)]
    methods = list(dict.fromkeys(rows["method"]))
    recommended = next(iter(choices.values())).method if choices else ""
    extra = [f"total with it ({recommended})", f"win share ({recommended})"]
    lines += ["", "| component | candidate | chain | basis | kind | " + " | ".join([*methods, *extra]) + " |"]
    lines.append("|---" * 5 + "|" + "---|" * (len(methods) + len(extra)))
    for (component, candidate, kind), group in rows.groupby(["component", "candidate", "kind"], sort=False):
        first = group.iloc[0]
        cell = {r.method: _cell(r.median_ape, r.q80_ape) for r in group.itertuples()}
        mine = group[group["method"] == recommended]
        total = share = ""
        if len(mine) and pd.notna(mine["total_median_ape"].iloc[0]):
            total = _cell(mine["total_median_ape"].iloc[0], mine["total_q80_ape"].iloc[0])
        if len(mine) and pd.notna(mine["win_share"].iloc[0]):
            share = f"{mine['win_share'].iloc[0]:.0%}"
        name = f"**{candidate}**" if first["chosen"] else candidate
        cells = " | ".join([*(cell.get(m, "") for m in methods), total, share])
        lines.append(f"| {component} | {name} | {first['chain']} | {first['coefficient_basis']} | {kind} | {cells} |")
    missing = comparison[comparison["n"] == 0]
    lines += [f"- {r.component} / {r.candidate} ({r.chain}): {r.note}" for r in missing.itertuples()]
    return "\n".join(lines) + "\n"


CARRIER_NOTE = (
    "; carried_by: what the chain's series has in the held-out year, industry series (a series of the component "
    "itself) or aggregate (only an aggregate: 工业, 第二产业, 第三产业, 其他行业 or GDP), mixed for a total or a "
    "combination whose parts differ. The designs behind them differ (a series that ends early leaves the later "
    "benchmarks to the aggregate): results/validation/backtest_by_carrier.csv gives the number of rows and their "
    "mean distance to the nearest benchmark used."
)


def rules_markdown(rules: pd.DataFrame) -> str:
    """Write the nested test of the selection rules as a Markdown table (rows: scope; columns: rules).

    Parameters
    ----------
    rules
        ``selection_rules`` of :class:`digecon.api.Result`.

    Returns
    -------
    str
        Median APE (80th percentile) out of sample per rule and scope, then the choice each rule made
        without each held-out table.
    """
    if rules.empty:
        return "(no backtest design to hold out)\n"
    cells = [_cell(m, q) for m, q in zip(rules["median_ape"], rules["q80_ape"], strict=True)]
    table = rules.assign(cell=cells).pivot_table(
        index="scope", columns="rule", values="cell", aggfunc="first", sort=False
    )
    criteria = list(table.columns)
    lines = ["| scope | " + " | ".join(f"rule: {c}" for c in criteria) + " |", "|---|" + "---|" * len(criteria)]
    lines += [f"| {scope} | " + " | ".join(str(row[c]) for c in criteria) + " |" for scope, row in table.iterrows()]
    lines.append("")
    lines += [f"- {r.rule}: {r.choices}" for r in rules.drop_duplicates("rule").itertuples()]
    return "\n".join(lines) + "\n"


def backtest_report(
    summary: pd.DataFrame,
    by_design: pd.DataFrame,
    by_distance: pd.DataFrame,
    comparison: pd.DataFrame,
    choices: Mapping[str, Choice],
    rules: pd.DataFrame,
    conventions: Sequence[str],
    *,
    by_carrier: pd.DataFrame,
) -> str:
    """Write results/validation/backtest_summary.md: per convention, the errors and the candidate chains.

    Parameters
    ----------
    summary, by_design, by_distance, comparison, choices, rules
        ``backtest_summary``, ``backtest_by_design``, ``backtest_by_distance``, ``chain_comparison``,
        ``chain_choices`` and ``selection_rules`` of :class:`digecon.Result`.
    conventions
        The conventions of the run.
    by_carrier
        ``backtest_by_carrier`` of :class:`digecon.Result`.

    Returns
    -------
    str
        Markdown: by kind and component, the total by design and by distance, by what carries the
        held-out year, the chains, then the nested test of the selection rules.
    """
    sections = [
        ("by kind and component", summary, ("kind", "component")),
        ("the total, by design", by_design[by_design["component"] == "total"], ("design_label",)),
        (
            "the total, by distance to the nearest benchmark used",
            by_distance[by_distance["component"] == "total"],
            ("kind", "distance_years"),
        ),
        ("by what carries the held-out year", by_carrier, ("kind", "component", "carried_by")),
    ]
    text = "".join(
        f"\n## convention: {c}, {title}\n\nmedian APE (80th percentile) over provinces"
        + (CARRIER_NOTE if frame is by_carrier else "")
        + "\n\n"
        + summary_markdown(frame, convention=c, rows=rows)
        for c in conventions
        for title, frame, rows in sections
    )
    text += "".join(
        f"\n## convention: {c}, the candidate indicator chains (rows: component, candidate, kind)\n\n"
        "median APE (80th percentile) over provinces and designs; bold: the chain used "
        "(results/validation/chain_comparison.csv)\n\n" + comparison_markdown(comparison, choices, convention=c)
        for c in conventions
    )
    return text + (
        "\n## the selection rules, tested nested\n\nextrapolation median APE (80th percentile) of each rule's choice "
        "on the table it did not see (results/validation/selection_rules.csv)\n\n" + rules_markdown(rules)
    )
