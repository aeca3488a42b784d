"""Compare the scenarios of a run: the recommended total of each, by province and year, and its spread.

A scenario is a named partial configuration merged over the run's (``scenarios:`` in the
configuration, :func:`digecon.core.settings.scenario_settings`), estimated on its own into
``results/scenarios/<name>/``. The comparison puts each scenario's recommended total (its own
recommended method and convention) side by side with the run itself (``main``), with the national
row as the sum of the provinces, and measures how far the scenarios spread.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import pandas as pd
import yaml
from matplotlib.figure import Figure

from digecon import __version__
from digecon.core.files import write_csv, write_text
from digecon.core.provinces import NATIONAL_CODE, NATIONAL_NAME
from digecon.core.settings import MAIN_SCENARIO
from digecon.outputs.export import round_published
from digecon.outputs.labels import labels_for
from digecon.outputs.plots import DOUBLE_COLUMN, house_style, language_of, save_figure

KEYS = ["province_code", "province", "province_en", "year"]
SPREAD_COLUMNS = ["lowest_100m_yuan", "highest_100m_yuan", "spread_100m_yuan", "spread_percent_of_main"]


def recommended_totals(totals: pd.DataFrame, *, method: str, convention: str) -> pd.Series:
    """Give the recommended total of one scenario by province and year, with the national sum.

    Parameters
    ----------
    totals
        The scenario's ``digital_economy_total.csv``.
    method, convention
        The scenario's recommended method and convention.

    Returns
    -------
    pandas.Series
        ``value_100m_yuan`` indexed by :data:`KEYS`; the national rows (code 0) are the sum of the
        provinces of each year.

    Raises
    ------
    ValueError
        If the totals hold no row of that method and convention.
    """
    chosen = totals[(totals["method"] == method) & (totals["convention"] == convention)]
    if chosen.empty:
        raise ValueError(f"the totals hold no row of method {method!r} and convention {convention!r}")
    provinces = chosen[chosen["province_code"] != NATIONAL_CODE].set_index(KEYS)["value_100m_yuan"]
    national = provinces.groupby(level="year").sum()
    national.index = pd.MultiIndex.from_tuples(
        [(NATIONAL_CODE, NATIONAL_NAME, "China", year) for year in national.index], names=KEYS
    )
    return pd.concat([national, provinces])


def compare_scenarios(totals: Mapping[str, pd.Series]) -> pd.DataFrame:
    """Put the scenarios' totals side by side and measure their spread.

    Parameters
    ----------
    totals
        Scenario name -> :func:`recommended_totals`, :data:`~digecon.core.settings.MAIN_SCENARIO`
        (the run itself) first.

    Returns
    -------
    pandas.DataFrame
        One row per province (national first) and year: :data:`KEYS`, one column per scenario
        (亿元), then :data:`SPREAD_COLUMNS` (lowest, highest, highest minus lowest, and that as % of
        ``main``); the provinces and years of ``main``. Rounded once, as every published value.

    Raises
    ------
    ValueError
        If ``main`` is missing, or a scenario lacks a province or year of ``main`` (e.g. other years).
    """
    if MAIN_SCENARIO not in totals:
        raise ValueError(f"the comparison needs the run itself, {MAIN_SCENARIO!r}")
    wide = pd.DataFrame(dict(totals)).reindex(totals[MAIN_SCENARIO].index)
    missing = [name for name in wide if wide[name].isna().any()]
    if missing:
        raise ValueError(
            f"scenarios {missing} lack provinces or years of {MAIN_SCENARIO!r}: give every scenario the same "
            "estimate.first_year / last_year and the same provinces"
        )
    lowest, highest = wide.min(axis=1), wide.max(axis=1)
    wide = wide.assign(
        lowest_100m_yuan=lowest,
        highest_100m_yuan=highest,
        spread_100m_yuan=highest - lowest,
        spread_percent_of_main=(highest - lowest) / wide[MAIN_SCENARIO] * 100,
    )
    return round_published(
        wide.reset_index(), bounds=[("lowest_100m_yuan", name, "highest_100m_yuan") for name in totals]
    )


def comparison_figure(
    comparison: pd.DataFrame, scenarios: list[str], labels: Mapping[str, str], *, language: str
) -> Figure:
    """Draw the national total by scenario over the years, and each scenario's deviation by province in the last year.

    Parameters
    ----------
    comparison
        From :func:`compare_scenarios`.
    scenarios
        Scenario names, ``main`` first.
    labels
        The catalogue in the figure's language (:func:`digecon.outputs.plots.house_style`).
    language
        ``en`` or ``zh``: which province names (the figure's language).

    Returns
    -------
    matplotlib.figure.Figure
    """
    national = comparison[comparison["province_code"] == NATIONAL_CODE].set_index("year")
    last = int(comparison["year"].max())
    latest = comparison[(comparison["year"] == last) & (comparison["province_code"] != NATIONAL_CODE)]
    latest = latest.sort_values(MAIN_SCENARIO)
    names = latest["province"] if language == "zh" else latest["province_en"]
    rows = 1 + 0.16 * len(latest)  # inches for the province panel: one line of 7-point text per province
    fig = plt.figure(figsize=(DOUBLE_COLUMN, 2.8 + rows), layout="constrained")
    top, bottom = fig.subfigures(2, 1, height_ratios=[2.8, rows])
    ax = top.subplots()
    colours = {name: f"C{i}" for i, name in enumerate(scenarios)}
    ax.fill_between(
        national.index, national["lowest_100m_yuan"], national["highest_100m_yuan"], color="0.85", linewidth=0
    )
    for name in scenarios:
        ax.plot(
            national.index,
            national[name],
            color=colours[name],
            label=name,
            linewidth=1.4 if name == MAIN_SCENARIO else 1,
        )
    ax.set_title(labels["scenarios_national_title"])
    ax.set_ylabel(labels["scenarios_value_axis"])
    ax.yaxis.set_major_formatter(lambda v, _: f"{v:,.0f}")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    ax2 = bottom.subplots()
    positions = range(len(latest))
    for name in scenarios[1:]:
        deviation = (latest[name] / latest[MAIN_SCENARIO] - 1) * 100
        ax2.scatter(deviation, positions, color=colours[name], s=14, label=name, zorder=3)
    ax2.axvline(0, color=colours[MAIN_SCENARIO], linewidth=1)
    ax2.set_yticks(list(positions), list(names))
    ax2.tick_params(axis="y", labelsize=7)
    ax2.set_ylim(-0.7, len(latest) - 0.3)
    ax2.set_title(labels["scenarios_deviation_title"].format(year=last, main=MAIN_SCENARIO))
    ax2.set_xlabel(labels["scenarios_deviation_axis"].format(main=MAIN_SCENARIO))
    return fig


def write_comparison(
    comparison: pd.DataFrame,
    folder: str | Path,
    *,
    scenarios: Mapping[str, Mapping[str, Any]],
    recommended: Mapping[str, str],
    language: str,
    run_date: str,
    encoding: str = "utf-8",
) -> list[Path]:
    """Write ``comparison.csv``, the figure (PNG, SVG and its data) and the page ``index.html`` into ``folder``.

    Parameters
    ----------
    comparison
        From :func:`compare_scenarios`.
    folder
        ``results/scenarios``.
    scenarios
        Scenario name -> its partial configuration as given (``main``: empty), shown on the page.
    recommended
        Scenario name -> "method / convention" of its recommended estimate.
    language
        ``en`` or ``zh``.
    run_date
        ISO date of the run, in the footer.
    encoding
        Of the CSV files (``export.csv_encoding``).

    Returns
    -------
    list of Path
        The files written.
    """
    folder = Path(folder)
    labels = labels_for(language)
    names = list(scenarios)
    table = folder / "comparison.csv"
    write_csv(comparison, table, encoding=encoding)
    figure = folder / "figures" / "scenario_comparison"
    write_csv(comparison[[*KEYS, *names, *SPREAD_COLUMNS]], figure.with_suffix(".csv"), encoding=encoding)
    with house_style(language) as drawn:  # English where no font can draw Chinese
        written = save_figure(comparison_figure(comparison, names, drawn, language=language_of(drawn)), figure)
    last = int(comparison["year"].max())
    largest = comparison[(comparison["year"] == last) & (comparison["province_code"] != NATIONAL_CODE)].nlargest(
        10, "spread_percent_of_main"
    )
    province = "province" if language == "zh" else "province_en"
    main = MAIN_SCENARIO
    rows = "".join(
        f"<tr><td>{html.escape(name)}</td><td>{html.escape(recommended[name])}</td><td><pre>"
        + html.escape(
            yaml.safe_dump(dict(layer), allow_unicode=True, sort_keys=False).strip()
            if layer
            else labels["scenarios_the_run"]
        )
        + "</pre></td></tr>"
        for name, layer in scenarios.items()
    )
    spreads = "".join(
        f"<tr><td>{html.escape(str(r[province]))}</td><td>{r['spread_100m_yuan']:,.1f}</td>"
        f"<td>{r['spread_percent_of_main']:.1f}</td></tr>"
        for _, r in largest.iterrows()
    )
    page = f"""<!DOCTYPE html>
<html lang="{"zh-CN" if language == "zh" else "en"}"><head><meta charset="utf-8">
<title>{labels["scenarios_title"]}</title>
<style>body{{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em}}
table{{border-collapse:collapse;margin:1em 0}}td,th{{border:1px solid #ccc;padding:.3em .6em;vertical-align:top}}
pre{{margin:0}}img{{max-width:100%}}footer{{color:#666;margin-top:2em;font-size:.9em}}</style></head><body>
<h1>{labels["scenarios_title"]}</h1>
<p>{html.escape(labels["scenarios_intro"].format(main=main))}</p>
<table><tr><th>{labels["scenarios_scenario"]}</th><th>{labels["scenarios_recommended"]}</th><th>{labels["scenarios_changes"]}</th></tr>{rows}</table>
<p><img src="figures/scenario_comparison.svg" alt="{labels["scenarios_national_title"]}"></p>
<h2>{labels["scenarios_largest"].format(year=last)}</h2>
<table><tr><th>{labels["scenarios_province"]}</th><th>{labels["scenarios_spread"]}</th><th>{labels["scenarios_spread_percent"].format(main=main)}</th></tr>
{spreads}</table>
<p><a href="comparison.csv">{labels["scenarios_table"]}</a></p>
<footer>{labels["scenarios_footer"].format(version=__version__, date=run_date)}</footer>
</body></html>
"""
    write_text(page, folder / "index.html")
    return [table, figure.with_suffix(".csv"), *written, folder / "index.html"]
