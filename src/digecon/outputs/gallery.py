"""The plot gallery: build every figure with its data CSV and thumbnail, and an offline HTML page.

Layout below the gallery folder, one folder per kind (built by separate jobs, in parallel, in
staging folders): ``<kind>/figures/<id>.png|svg``, ``<kind>/data/<id>.csv``, ``<kind>/thumbs/<id>.png``
and ``<kind>/items.json`` (what each figure shows); then ``index.html``, which uses relative links
only, so it works when opened straight from disk. :func:`publish_gallery` assembles the kinds and
the page in a new folder and swaps it in whole, so a failed run never leaves a half-built gallery.

Every word of the figures, captions and page comes from :mod:`digecon.outputs.labels`, in the
language of the run: a Chinese gallery is Chinese throughout, captions and footer included.
"""

from __future__ import annotations

import html
import json
import os
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from importlib.resources import files
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from digecon.core.files import write_csv, write_json, write_text
from digecon.core.provinces import NATIONAL_CODE, province_table
from digecon.core.years import year_runs
from digecon.estimation.indicators import AGGREGATE, MIXED
from digecon.estimation.prices import DEFLATED, GDP_DEFLATOR
from digecon.estimation.totals import national_share_of_gdp
from digecon.estimation.zeros import BORROWED, UNVERIFIABLE
from digecon.outputs import plots
from digecon.outputs.labels import CODE_SPAN, labels_for
from digecon.outputs.names import GALLERY_KINDS

KINDS = GALLERY_KINDS  # kind -> English heading; kept in names.py so the Snakefile reads it without matplotlib
BACKTEST_ROWS = 4  # most backtest panels drawn in one column
HTML_LANG = {"en": "en", "zh": "zh-CN"}


@dataclass(frozen=True)
class GalleryItem:
    """One figure of the gallery; paths are relative to the gallery folder."""

    id: str
    kind: str
    title: str
    caption: str
    png: str
    svg: str
    data: str
    thumbnail: str


@dataclass(frozen=True)
class RunAbout:
    """What the footer of every gallery page says about the run: version, date and settings."""

    version: str
    run_date: str
    method: str
    convention: str
    first_year: int
    last_year: int
    base_year: int
    chains: Mapping[str, tuple[str, str]] = field(default_factory=dict)  # component -> (chain used, setting)
    sources: Mapping[str, str] = field(default_factory=dict)  # dataset -> repository@commit
    user_files: int = 0
    scenarios: tuple[str, ...] = ()  # the scenarios compared (``scenarios:``), none by default
    scenarios_page: str = ""  # their comparison page, relative to the gallery folder
    cities_page: str = ""  # the city page (the main run with the city inputs), relative to the gallery folder


def tile_grid() -> pd.DataFrame:
    """Read the packaged tile-grid layout of the 31 provinces (rough geography, one square each).

    Returns
    -------
    DataFrame
        ``province_code``, ``column`` (0 = west), ``row`` (0 = north).
    """
    with files("digecon.data").joinpath("tile_grid.csv").open(encoding="utf-8") as handle:
        return pd.read_csv(handle)


def _names(language: str) -> pd.Series:
    """Province code -> name in the figure language."""
    table = province_table().set_index("province_code")
    return table["province"] if language == "zh" else table["province_en"]


def _sentences(words: dict[str, str], *parts: str) -> str:
    """Join sentences (a space in English, nothing in Chinese), leaving out empty ones."""
    return words["sentence_separator"].join(p for p in parts if p)


def _years(years: list[int], words: dict[str, str]) -> str:
    """Years as text, runs of consecutive years as ranges: ``2002, 2007, 2020-2023``."""
    return words["year_separator"].join(
        f"{r[0]}-{r[-1]}" if len(r) > 2 else words["year_separator"].join(map(str, r)) for r in year_runs(years)
    )


def method_name(method: str, words: dict[str, str]) -> str:
    """Name a method in the page language (a method unknown to the catalogue by its own name)."""
    return words.get(method, method)


def convention_name(convention: str, words: dict[str, str]) -> str:
    """Name a convention in the page language."""
    return words.get(f"convention_{convention}", convention)


class _Writer:
    """Saves figures, their data and thumbnails below ``root``, collecting gallery items."""

    def __init__(self, root: Path, language: str, note: str) -> None:
        """Write below ``root``; captions in ``language``, each ending with ``note``."""
        self.root = root
        self.words = labels_for(language)
        self.names = _names(language)  # province names of the captions
        self.note = note
        self.items: list[GalleryItem] = []

    def add(
        self,
        fig: plt.Figure,
        data: pd.DataFrame,
        *,
        id: str,
        kind: str,
        title: str,
        caption: str,
        close: bool = True,
    ) -> None:
        """Save ``fig`` (PNG, SVG, thumbnail) and ``data`` (CSV) as figure ``id`` and list it."""
        thumbnail = self.root / kind / "thumbs" / f"{id}.png"
        png, svg = plots.save_figure(fig, self.root / kind / "figures" / id, thumbnail=thumbnail, close=close)
        write_csv(data, self.root / kind / "data" / f"{id}.csv")
        relative = lambda p: p.relative_to(self.root).as_posix()  # noqa: E731
        self.items.append(
            GalleryItem(
                id,
                kind,
                title,
                _sentences(self.words, caption, self.note),
                relative(png),
                relative(svg),
                f"{kind}/data/{id}.csv",
                relative(thumbnail),
            )
        )


TOTALS_COLUMNS = ("gdp_100m_yuan", "share_of_gdp_percent")
BACKTEST_COLUMNS_READ = (
    "design_label",
    "distance_years",
    "kind",
    "holdout_year",
    "benchmarks_used",
)  # besides the errors
PANEL_COLUMNS = ("province_code", "year", "method", "convention", "real_growth_percent", "real_flag", "price_base_year")


def build_figures(
    kind: str,
    values: pd.DataFrame,
    totals: pd.DataFrame,
    backtest: pd.DataFrame,
    root: str | Path,
    *,
    method: str,
    convention: str,
    language: str = "en",
    vintage: str | None = None,
    national: pd.DataFrame | None = None,
    panel: pd.DataFrame | None = None,
) -> list[GalleryItem]:
    """Render the gallery figures of one kind (see ``KINDS``) below ``root / kind``.

    Works for any subset of provinces: national figures sum the provinces present, rankings and
    heatmaps show them, tile maps draw the others as empty grey tiles.

    Parameters
    ----------
    kind
        ``province`` (components of each province), ``methods`` (each province under every
        method) or ``overview`` (China, all provinces, rankings, heatmaps, tile maps, backtest).
    values
        The long estimates (``digital_economy_va.csv``).
    totals
        The long totals with their own bands (``digital_economy_total.csv``), including
        ``gdp_100m_yuan`` and ``share_of_gdp_percent`` (used by the overview).
    backtest
        ``results/validation/backtest.csv``, including ``design_label`` and ``distance_years``
        (used by the overview).
    root
        Gallery folder.
    method, convention
        The estimate shown (all methods appear in the method comparisons).
    language
        ``en`` or ``zh``: figures, captions and titles.
    vintage
        Data vintage, appended to every caption; by default :func:`data_vintage` of ``totals``.
    national
        ``results/validation/national_consistency.csv``
        (:func:`digecon.estimation.national.national_consistency`), for the overview's figure of the
        provinces/national ratio; None leaves that figure out.
    panel
        ``results/tables/panel.csv`` (:func:`digecon.outputs.panel.panel_table`), for the overview's
        figure of real growth by province; None leaves that figure out.

    Returns
    -------
    list of GalleryItem
        The figures written, also listed in ``root / kind / items.json``.

    Raises
    ------
    ValueError
        For an unknown ``kind`` or language, or (overview) totals, backtest or panel without the
        columns above.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown gallery kind {kind!r}; expected one of {', '.join(KINDS)}")
    words = labels_for(language)  # captions: in the page's language even if the figures fell back to English
    root = Path(root)
    chosen = values[(values["method"] == method) & (values["convention"] == convention)]
    chosen_totals = totals[(totals["method"] == method) & (totals["convention"] == convention)]
    vintage = data_vintage(chosen_totals, words) if vintage is None else vintage
    note = words["caption_note"].format(
        method=method_name(method, words), convention=convention_name(convention, words), vintage=vintage
    )
    writer = _Writer(root, language, note)
    first, last = int(chosen["year"].min()), int(chosen["year"].max())
    with plots.house_style(language) as labels:
        names = _names(plots.language_of(labels))  # the figures' province names, in the figures' language
        if kind == "province":
            _provinces(writer, chosen, chosen_totals, labels, names, first=first, last=last)
        elif kind == "methods":
            _methods(
                writer,
                totals[totals["convention"] == convention],
                labels,
                names,
                convention=convention,
                chains=chain_note(values, words),
                aggregate={code: _aggregate_years(frame) for code, frame in chosen.groupby("province_code")},
            )
        else:
            view = _overview_of(chosen, chosen_totals, labels, names, first=first, last=last)
            _overview(writer, view, backtest, convention=convention, national=national, panel=panel)
    write_json([asdict(i) for i in writer.items], root / kind / "items.json")
    return writer.items


def data_vintage(totals: pd.DataFrame, words: dict[str, str] | None = None) -> str:
    """Name the data a run rests on, for captions: its IO tables (benchmark years) and span of years.

    Parameters
    ----------
    totals
        Long totals with ``year`` and ``flag``; the IO tables named are the years flagged
        ``benchmark`` for any province.
    words
        A label dictionary (default English).

    Returns
    -------
    str
        E.g. ``NBS regional IO tables 2002, 2007; NBS provincial annual series (revised vintage), 2002-2010``.
    """
    words = labels_for("en") if words is None else words
    tables = words["year_separator"].join(str(y) for y in _benchmark_years(totals))
    return words["vintage"].format(tables=tables, first=int(totals["year"].min()), last=int(totals["year"].max()))


def _require_columns(frame: pd.DataFrame, columns: tuple[str, ...], what: str) -> None:
    """Refuse a table that lacks columns the figures need, naming them."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{what} lacks the column(s) {', '.join(missing)}")


def _benchmark_years(totals: pd.DataFrame) -> list[int]:
    """Years flagged ``benchmark`` for any province in ``totals``."""
    return sorted(int(y) for y in totals.loc[totals["flag"] == "benchmark", "year"].unique())


def _provinces(
    writer: _Writer,
    chosen: pd.DataFrame,
    totals: pd.DataFrame,
    labels: dict[str, str],
    names: pd.Series,
    *,
    first: int,
    last: int,
) -> None:
    """One figure per province: its stacked components with the band of its total (one figure, redrawn)."""
    words = writer.words
    fig, ax = plots.components_figure()
    bands = dict(tuple(totals.groupby("province_code")))
    for code, frame in chosen.groupby("province_code"):
        band = bands[code]
        breaks, aggregate = _break_years(frame), _aggregate_years(frame)
        ax.clear()
        plots.plot_components(
            ax,
            frame,
            labels,
            title=labels["province_title"].format(name=names[code]),
            band=band,
            benchmark_years=_benchmark_years(band),
            breaks=breaks,
            aggregate_years=aggregate,
        )
        data = frame.pivot_table(index="year", columns="component", values="value_100m_yuan").join(
            band.set_index("year")[["value_100m_yuan", "lower_100m_yuan", "upper_100m_yuan", "flag"]].add_prefix(
                "total_"
            )
        )
        if "carried_by" in frame:
            carriers = frame.pivot(index="year", columns="component", values="carried_by").astype(str)
            data = data.join(carriers.add_suffix("_carried_by"))
        data = data.assign(indicator_break=data.index.isin(breaks), aggregate_only=data.index.isin(aggregate))
        marks = words["province_breaks"].format(years=_years(breaks, words)) if breaks else ""
        marks = _sentences(words, marks, *_zero_notes(frame, words))
        writer.add(
            fig,
            data.reset_index(),
            id=f"province_{code}",
            kind="province",
            title=words["province_item"].format(name=writer.names[code], code=code),
            caption=_sentences(
                words,
                words["province_caption"].format(name=writer.names[code], first=first, last=last),
                _carriers_caption(frame, aggregate, words),
                marks,
            ),
            close=False,
        )
    plt.close(fig)


def _aggregate_years(frame: pd.DataFrame) -> list[int]:
    """Years in which every component of the province is carried only by an aggregate (``carried_by``)."""
    if "carried_by" not in frame:
        return []
    only = (frame["carried_by"].astype(str) == AGGREGATE).groupby(frame["year"]).all()
    return sorted(int(y) for y in only.index[only.to_numpy()])


def _component_years(rows: pd.DataFrame, words: dict[str, str]) -> str:
    """List each component's years among ``rows`` (``electronics 2018-2024; telecom ...``), in component order."""
    by_component = dict(tuple(rows.groupby("component", observed=True)["year"]))
    return words["item_separator"].join(
        words["aggregate_part"].format(
            component=words.get(f"component_{c}", c), years=_years([int(y) for y in by_component[c]], words)
        )
        for c in plots.COMPONENT_ORDER
        if c in by_component
    )


def _carriers_caption(frame: pd.DataFrame, every: list[int], words: dict[str, str]) -> str:
    """Say which years only aggregates carry (``every``: all components, shaded; each one's others) and which in part.

    In part: a combination whose chains are carried by both kinds (``mixed``).
    """
    if "carried_by" not in frame:
        return ""
    carried = frame["carried_by"].astype(str)
    aggregate = _component_years(frame[(carried == AGGREGATE) & ~frame["year"].isin(every)], words)
    mixed = _component_years(frame[carried == MIXED], words)
    return _sentences(
        words,
        words["aggregate_caption"].format(years=_years(every, words)) if every else "",
        words["aggregate_components"].format(parts=aggregate) if aggregate else "",
        words["mixed_components"].format(parts=mixed) if mixed else "",
    )


ZERO_NOTES = {BORROWED: "province_zero_borrowed", UNVERIFIABLE: "province_zero_unverifiable"}


def _indicator_name(label: object) -> str:
    """Name the indicator of a row's label, without its splice note ('' for a combination's empty label)."""
    return label.split(" (")[0] if isinstance(label, str) else ""


def _zero_notes(frame: pd.DataFrame, words: dict[str, str]) -> list[str]:
    """Say which components' years are carried from a negligible table value: borrowed or unverifiable."""
    if "zero_benchmark" not in frame:
        return []
    flagged = frame[frame["zero_benchmark"].isin(list(ZERO_NOTES))]
    return [
        words[ZERO_NOTES[action]].format(
            component=words.get(component, component),
            years=_years(rows["year"].astype(int).tolist(), words),
            indicator=_indicator_name(rows["indicator"].iloc[0]),
        )
        for (component, action), rows in flagged.groupby(["component", "zero_benchmark"], sort=False, observed=True)
    ]


def _break_years(frame: pd.DataFrame) -> list[int]:
    """Years in which an indicator of the province grew out of line with its national sum (``indicator_break``)."""
    if "indicator_break" not in frame:
        return []
    return sorted(int(y) for y in frame.loc[frame["indicator_break"].astype(bool), "year"].unique())


def chain_name(chain: str, words: dict[str, str]) -> str:
    """Name a candidate chain: the catalogue's for the built-in ones, else the name the user gave it."""
    return words.get(f"chain_{chain}", chain)


def chain_note(values: pd.DataFrame, words: dict[str, str] | None = None) -> str:
    """Say which indicator chain each component uses and by how much it won, for captions.

    Parameters
    ----------
    values
        The long estimates, with ``component``, ``chain`` (the candidate's name) and
        ``chain_margin_points`` (its lead over the runner-up in median extrapolation APE, points).
    words
        A label dictionary (default English).

    Returns
    -------
    str
        E.g. ``Indicator chains (...): electronics c39_revenue (+17.5 points over the runner-up), ...``;
        empty for estimates without a ``chain`` column.
    """
    words = labels_for("en") if words is None else words
    if "chain" not in values or values["chain"].isna().all():
        return ""
    first = values.dropna(subset=["chain"]).drop_duplicates("component")
    parts = [
        words["chain_part"].format(
            component=words.get(f"component_{row.component}", row.component),
            chain=chain_name(row.chain, words),
            how=_chain_how(row, words),
        )
        for row in first.itertuples()
    ]
    return words["chains_caption"].format(parts=words["clause_separator"].join(parts))


def _chain_how(row: object, words: dict[str, str]) -> str:
    """Say how surely a component's chain won: its margin, and its win share where the values carry one."""
    margin, share = row.chain_margin_points, getattr(row, "chain_win_share", float("nan"))
    if pd.isna(margin):
        return words["chain_only"]
    if pd.isna(share):
        return words["chain_margin"].format(margin=margin)
    toss_up = bool(getattr(row, "chain_toss_up", False))
    return words["chain_toss_up" if toss_up else "chain_wins"].format(margin=margin, share=share)


def _methods(
    writer: _Writer,
    totals: pd.DataFrame,
    labels: dict[str, str],
    names: pd.Series,
    *,
    convention: str,
    chains: str = "",
    aggregate: Mapping[int, list[int]] | None = None,
) -> None:
    """One figure per province: its total under every method, each with its band (caption: the chains used).

    ``aggregate``: province code -> the years every component is carried only by an aggregate, shaded.
    """
    words = writer.words
    fig, ax = plots.methods_figure()
    columns = ["province_code", "province", "year", "method", "value_100m_yuan", "lower_100m_yuan", "upper_100m_yuan"]
    for code, frame in totals.groupby("province_code"):
        years = (aggregate or {}).get(code, [])
        ax.clear()
        plots.plot_methods(
            ax,
            frame,
            labels,
            title=labels["methods_title"].format(name=names[code]),
            benchmark_years=_benchmark_years(frame),
            aggregate_years=years,
        )
        name = writer.names[code]
        writer.add(
            fig,
            frame[[*columns, "flag"]].assign(aggregate_only=frame["year"].isin(years)),
            id=f"methods_{code}",
            kind="methods",
            title=words["methods_item"].format(name=name, code=code),
            caption=_sentences(
                words,
                words["methods_caption"].format(name=name, convention=convention_name(convention, words)),
                words["aggregate_caption"].format(years=_years(years, words)) if years else "",
                chains,
            ),
            close=False,
        )
    plt.close(fig)


@dataclass(frozen=True)
class _Overview:
    """What the overview figures share: the chosen estimate, its totals (with ``name``), labels, span."""

    chosen: pd.DataFrame
    totals: pd.DataFrame
    labels: dict[str, str]
    names: pd.Series
    first: int
    last: int

    @property
    def n_provinces(self) -> int:
        """How many provinces the run has."""
        return int(self.totals["province_code"].nunique())


def _overview_of(
    chosen: pd.DataFrame, totals: pd.DataFrame, labels: dict[str, str], names: pd.Series, *, first: int, last: int
) -> _Overview:
    """Gather what the overview figures share, refusing totals without the share-of-GDP columns."""
    _require_columns(totals, TOTALS_COLUMNS, "totals (digital_economy_total.csv)")
    # the national label names how many provinces are summed, which depends on the run
    labels = {**labels, "national_sum": labels["national_sum"].format(n=totals["province_code"].nunique())}
    named = totals.assign(name=totals["province_code"].map(names))
    return _Overview(chosen, named, labels, names, first=first, last=last)


def _overview(
    writer: _Writer,
    view: _Overview,
    backtest: pd.DataFrame,
    *,
    convention: str,
    national: pd.DataFrame | None = None,
    panel: pd.DataFrame | None = None,
) -> None:
    """Every overview figure, in the order of the gallery page."""
    _require_columns(backtest, BACKTEST_COLUMNS_READ, "backtest (backtest.csv)")
    if panel is not None:
        _require_columns(panel, PANEL_COLUMNS, "panel (panel.csv)")
    _national(writer, view)
    _small_multiples(writer, view)
    _ranking(writer, view)
    _heatmap(writer, view)
    _real_growth(writer, view, panel, convention=convention)
    _tile_maps(writer, view)
    _backtest(writer, view, backtest[backtest["convention"] == convention])
    _coverage(writer, view, backtest[backtest["convention"] == convention])
    _national_ratio(writer, view, national, convention=convention)


def _national(writer: _Writer, view: _Overview) -> None:
    """China as the sum of the provinces present: stacked components (with band) and categories, one legend."""
    labels, words = view.labels, writer.words
    national = view.chosen.groupby(["year", "component", "category"])["value_100m_yuan"].sum().reset_index()
    national_band = view.totals.groupby("year")[["lower_100m_yuan", "upper_100m_yuan"]].sum().reset_index()
    fig, (left, right) = plt.subplots(1, 2, figsize=(plots.DOUBLE_COLUMN, 3.3), gridspec_kw={"width_ratios": [3, 2]})
    plots.plot_components(
        left,
        national,
        labels,
        title=labels["by_component"],
        band=national_band,
        # every year any province has a table: the sum rests on a benchmark there
        benchmark_years=_benchmark_years(view.totals),
        legend=False,
    )
    plots.plot_categories(
        right,
        national,
        labels,
        title=labels["by_category"],
        legend=False,
    )
    right.set_ylabel("")
    handles, texts = left.get_legend_handles_labels()
    more = right.get_legend_handles_labels()
    fig.legend(handles + more[0], texts + more[1], loc="lower center", ncols=3, borderaxespad=0.3)
    fig.suptitle(labels["national_sum"], x=0.01, ha="left")
    plots._inches(fig, left=0.7, right=0.15, top=0.5, bottom=0.85)
    fig.subplots_adjust(wspace=0.22)
    writer.add(
        fig,
        national.merge(national_band, on="year"),
        id="national",
        kind="overview",
        title=words["national_item"],
        caption=words["national_caption"].format(n=view.n_provinces),
    )


def _small_multiples(writer: _Writer, view: _Overview) -> None:
    """Every province's total with its band, on one scale and on their own scales."""
    words = writer.words
    columns = ["province_code", "name", "year", "value_100m_yuan", "lower_100m_yuan", "upper_100m_yuan"]
    for shared in (True, False):
        fig = plots.small_multiples(view.totals, view.labels, shared_scale=shared)
        suffix = "shared" if shared else "free"
        writer.add(
            fig,
            view.totals[columns],
            id=f"small_multiples_{suffix}",
            kind="overview",
            title=words[f"multiples_{suffix}_item"],
            caption=words[f"multiples_caption_{suffix}"],
        )


def _latest(view: _Overview) -> pd.DataFrame:
    """Return the totals of the last year, indexed by province code."""
    return view.totals[view.totals["year"] == view.last].set_index("province_code")


def _ranking(writer: _Writer, view: _Overview) -> None:
    """Provinces ranked by level and by share of GDP in the last year, China's share marked."""
    labels, last, words = view.labels, view.last, writer.words
    latest = _latest(view)
    ranking = pd.DataFrame(
        {
            "name": latest.index.map(view.names),
            "value_100m_yuan": latest["value_100m_yuan"],
            "share_of_gdp_percent": latest["share_of_gdp_percent"],
        }
    )
    # 31 provinces fill 5 inches; a small run keeps its bars as thick
    fig, (left, right) = plt.subplots(1, 2, figsize=(plots.DOUBLE_COLUMN, max(2.6, 0.14 * view.n_provinces + 1.0)))
    by_name = ranking.set_index("name")
    level_title = labels["level_title"].format(year=last)
    plots.plot_ranking(left, by_name["value_100m_yuan"], labels, title=level_title, xlabel=labels["value"])
    plots.plot_ranking(
        right,
        by_name["share_of_gdp_percent"],
        labels,
        title=labels["share_title"].format(year=last),
        xlabel=labels["share"],
        highlight=float(national_share_of_gdp(view.totals)[last]),
    )
    left.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(4))
    left.xaxis.set_major_formatter(plots.THOUSANDS)
    plots._inches(fig, left=0.95, right=0.15, top=0.3, bottom=0.75)
    fig.subplots_adjust(wspace=0.45)
    writer.add(
        fig,
        ranking.reset_index(),
        id="ranking",
        kind="overview",
        title=words["ranking_item"].format(year=last),
        caption=words["ranking_caption"].format(year=last),
    )


def _grid_height(rows: int) -> float:
    """Inches for a province x year grid of ``rows`` rows at 7-point names, with its margins."""
    return max(2.6, 0.15 * rows + 1.1)


def _heatmap(writer: _Writer, view: _Overview) -> None:
    """Share of GDP, provinces present x years."""
    words = writer.words
    share = view.totals.pivot_table(index="province_code", columns="year", values="share_of_gdp_percent")
    fig, ax = plt.subplots(figsize=(plots.DOUBLE_COLUMN, _grid_height(len(share))))
    plots.plot_heatmap(
        ax, share.set_axis(share.index.map(view.names), axis=0), view.labels, title=view.labels["heatmap_title"]
    )
    plots._inches(fig, left=0.95, right=0.65, top=0.3, bottom=0.3)
    data = share.set_axis([str(c) for c in share.columns], axis=1)
    writer.add(
        fig,
        data.assign(name=data.index.map(view.names))[["name", *data.columns]].reset_index(),
        id="heatmap_share",
        kind="overview",
        title=words["heatmap_item"],
        caption=words["heatmap_caption"].format(first=view.first, last=view.last),
    )


def real_growth_table(panel: pd.DataFrame, *, method: str, convention: str) -> pd.DataFrame:
    """Real growth of the estimate shown, one row per region (China first) and year, with the reason of a gap.

    Parameters
    ----------
    panel
        ``results/tables/panel.csv``: ``province_code`` (0 for China), ``year``, ``method``,
        ``convention``, ``real_growth_percent`` and ``real_flag``.
    method, convention
        The estimate shown.

    Returns
    -------
    DataFrame
        ``province_code``, ``year``, ``real_growth_percent``, ``real_flag`` and ``gap``: empty where
        there is a growth rate, else the panel's ``real_flag`` when the year has no real value
        (``no price index``, ...) or ``first`` when only the previous year lacks one.
    """
    rows = panel[(panel["method"] == method) & (panel["convention"] == convention)]
    rows = rows[["province_code", "year", "real_growth_percent", "real_flag"]].sort_values(["province_code", "year"])
    deflated = rows["real_flag"].isin([DEFLATED, GDP_DEFLATOR])
    gap = np.where(rows["real_growth_percent"].notna(), "", np.where(deflated, "first", rows["real_flag"].astype(str)))
    return rows.assign(gap=gap).reset_index(drop=True)


def _gap_note(table: pd.DataFrame, words: dict[str, str]) -> str:
    """Say which years have no real growth and why, from the table's ``gap`` column (empty if none)."""
    gaps = table[table["gap"] != ""]
    if gaps.empty:
        return ""
    if table["real_growth_percent"].isna().all() and not (table["gap"] == "first").all():
        return words["real_growth_none"]
    parts = []
    for gap, rows in gaps.groupby("gap", sort=False):
        years = _years([int(y) for y in rows["year"].unique()], words)
        if gap == "first":
            parts.append(words["real_growth_gap_first"].format(years=years))
        else:
            parts.append(words["real_growth_gap_flag"].format(years=years, flag=words.get(f"real_flag_{gap}", gap)))
    return words["real_growth_gaps"].format(gaps=words["item_separator"].join(parts))


def _dot_note(years: list[int], words: dict[str, str]) -> str:
    """Say which years rest on the GDP deflator (the dots of the real-growth figure); empty if none."""
    return words["real_growth_gdp_deflator"].format(years=_years(years, words)) if years else ""


def _real_growth(writer: _Writer, view: _Overview, panel: pd.DataFrame | None, *, convention: str) -> None:
    """Real growth by province and year (China on top), diverging colours at 0; empty cells said so on the figure."""
    if panel is None or panel.empty:
        return
    words, labels = writer.words, view.labels
    method = view.chosen["method"].iloc[0]
    table = real_growth_table(panel, method=method, convention=convention)
    if table.empty:
        return
    names = view.names.reindex(table["province_code"].unique())
    names[NATIONAL_CODE] = labels["china"]
    order = [NATIONAL_CODE, *sorted(c for c in table["province_code"].unique() if c != NATIONAL_CODE)]
    wide = table.pivot_table(index="province_code", columns="year", values="real_growth_percent", dropna=False)
    wide = wide.reindex(index=[c for c in order if c in set(table["province_code"])])
    on_gdp = table.assign(gdp=table["real_flag"].eq(GDP_DEFLATOR) & table["real_growth_percent"].notna())
    marked = on_gdp.pivot_table(index="province_code", columns="year", values="gdp", aggfunc="any")
    marked = marked.reindex(index=wide.index, columns=wide.columns).fillna(False).astype(bool)
    dotted = sorted(int(y) for y in on_gdp.loc[on_gdp["gdp"], "year"].unique())
    _, cap = plots.growth_norm(wide.to_numpy(dtype=float))
    capped = labels["real_growth_capped"].format(cap=cap) if cap else ""  # the figure's own language
    fig, ax = plt.subplots(figsize=(plots.DOUBLE_COLUMN, _grid_height(len(wide)) + 0.2))
    base_year = int(panel["price_base_year"].dropna().iloc[0]) if panel["price_base_year"].notna().any() else ""
    plots.plot_growth_heatmap(
        ax,
        wide.set_axis(wide.index.map(names), axis=0),
        labels,
        title=labels["real_growth_title"].format(base_year=base_year),
        note=_sentences(labels, _dot_note(dotted, labels), _gap_note(table, labels), capped),
        marked=marked.set_axis(wide.index.map(names), axis=0),
    )
    plots._inches(fig, left=0.95, right=0.65, top=0.3, bottom=0.7)
    data = table.assign(name=table["province_code"].map(names))
    writer.add(
        fig,
        data[["province_code", "name", "year", "real_growth_percent", "real_flag"]],
        id="real_growth",
        kind="overview",
        title=words["real_growth_item"],
        caption=words["real_growth_caption"].format(
            base_year=base_year,
            gaps=_sentences(
                words,
                _dot_note(dotted, words),
                _gap_note(table, words),
                words["real_growth_capped"].format(cap=cap) if cap else "",
            ),
        ),
    )


TILE_MAPS = {  # key -> value format on the tiles, colour scale, colour-bar ticks
    "level": ("{:,.0f}", "log", plots.THOUSANDS),
    "share": ("{:.1f}", "linear", None),
    "growth": ("{:+.1f}", "diverging", None),
}


def _tile_maps(writer: _Writer, view: _Overview) -> None:
    """Level (log scale), share of GDP and recent growth (diverging at 0) on the tile grid; absent provinces grey."""
    words, labels = writer.words, view.labels
    first, last = view.first, view.last
    latest = _latest(view)
    maps = {"level": latest["value_100m_yuan"], "share": latest["share_of_gdp_percent"]}
    span = min(5, last - first)
    if span > 0:  # a run of a single year has no growth
        level = view.totals.pivot_table(index="province_code", columns="year", values="value_100m_yuan")
        maps["growth"] = ((level[last] / level[last - span]) ** (1 / span) - 1) * 100
    tiles = tile_grid()
    for key, series in maps.items():
        fmt, scale, ticks = TILE_MAPS[key]
        if ticks is None:
            ticks = plots._percent(plots._decimals(series.to_numpy(dtype=float)), signed=key == "growth")
        unit = _tile_unit(key, labels, start=last - span, end=last)
        title = unit if key == "growth" else labels["in_year"].format(what=unit, year=last)
        fig, ax = plots.tile_figure(tiles)
        plots.plot_tile_map(
            ax,
            series,
            tiles,
            view.names,
            title=title,
            unit_label=labels["value_unit"]
            if key == "level"
            else labels["share_short" if key == "share" else "growth"],
            fmt=fmt,
            scale=scale,
            ticks=ticks,
            missing_label=labels["missing_value"],
        )
        what = _tile_unit(key, words, start=last - span, end=last)
        writer.add(
            fig,
            tiles.assign(value=tiles["province_code"].map(series), name=tiles["province_code"].map(view.names)),
            id=f"tilemap_{key}",
            kind="overview",
            title=words[f"tilemap_{key}_item"].format(year=last, start=last - span, end=last),
            caption=_sentences(
                words,
                words[f"tilemap_caption_{key}"].format(what=what, year=last),
                words["tilemap_missing"] if _has_missing(series, tiles) else "",
            ),
        )


def _tile_unit(key: str, labels: dict[str, str], *, start: int, end: int) -> str:
    """Say what a tile map shows, with its unit (growth: over which years)."""
    if key == "growth":
        return labels["growth_span"].format(growth=labels["growth"], start=start, end=end)
    return labels["value" if key == "level" else "share"]


def _has_missing(series: pd.Series, tiles: pd.DataFrame) -> bool:
    """Whether some tile has no finite value (so the caption must explain the grey tiles)."""
    mapped = tiles["province_code"].map(series).astype(float)
    return bool((~np.isfinite(mapped)).any())


def _legend_row(fig: plt.Figure, axes: list[plt.Axes], *, ncols: int) -> None:
    """One legend for panels that share their entries, under the figure (no panel's data covered)."""
    handles = {text: h for ax in axes for h, text in zip(*ax.get_legend_handles_labels(), strict=True)}
    fig.legend(handles.values(), handles.keys(), loc="outside lower center", ncols=ncols)


def _backtest(writer: _Writer, view: _Overview, errors: pd.DataFrame) -> None:
    """Held-out errors by method and component, one panel per kind and distance of the designs present."""
    if errors.empty:  # fewer than two benchmark years: nothing could be held out
        return
    words = writer.words
    panels = plots.backtest_panels(errors, view.labels)
    # many benchmark years give many distances: past a few panels, two columns keep the page readable
    columns = 1 if len(panels) <= BACKTEST_ROWS else 2
    rows = -(-len(panels) // columns)
    fig, axes = plt.subplots(
        rows, columns, figsize=(plots.DOUBLE_COLUMN, 2.3 * rows + 0.4), squeeze=False, layout="constrained"
    )
    width = plots.SUBTITLE_WIDTH // columns
    for ax, panel in zip(axes.flat, panels, strict=False):
        heading = f"{panel.heading[:1].upper()}{panel.heading[1:]}"
        plots.plot_backtest(ax, panel.rows, view.labels, title=heading, subtitle=panel.subtitle(width), legend=False)
        ax.set_ylabel("")  # one label for the column of panels
    fig.supylabel(view.labels["ape_axis"], fontsize=8)
    for ax in axes.flat[len(panels) :]:
        ax.set_visible(False)
    _legend_row(fig, list(axes.flat[:1]), ncols=len(set(errors["method"])))
    described = _sentences(  # one sentence per panel, in the caption's language
        words,
        *(
            words["backtest_panel"].format(
                heading=f"{panel.heading[:1].upper()}{panel.heading[1:]}",
                designs=words["item_separator"].join(panel.designs),
            )
            for panel in plots.backtest_panels(errors, words)
        ),
    )
    writer.add(
        fig,
        errors,
        id="backtest",
        kind="overview",
        title=words["backtest_item"],
        caption=words["backtest_caption"].format(described=described),
    )


def chosen_chains(comparison: pd.DataFrame) -> dict[str, str]:
    """Find the chain each component used, in ``results/validation/chain_comparison.csv`` (rows ``chosen``).

    Parameters
    ----------
    comparison
        ``component``, ``candidate``, ``chosen``.

    Returns
    -------
    dict
        Component -> candidate name, in the order of the table.
    """
    rows = comparison[comparison["chosen"].astype(bool)].drop_duplicates("component")
    return dict(zip(rows["component"], rows["candidate"], strict=True))


def _html_text(text: str) -> str:
    """Escape ``text`` for HTML, showing its backtick spans (file names, identifiers) as code."""
    parts = CODE_SPAN.split(text)  # text, code, text, code, ...
    return "".join(f"<code>{html.escape(p)}</code>" if i % 2 else html.escape(p) for i, p in enumerate(parts))


def footer_text(about: RunAbout, words: dict[str, str]) -> str:
    """Say what produced the gallery: version, run date and the settings used, in the page's language.

    Parameters
    ----------
    about
        The run.
    words
        A label dictionary (:func:`digecon.outputs.labels.labels_for`).

    Returns
    -------
    str
        Parts joined by `` · ``; identifiers and sources between backticks.
    """
    chains = words["item_separator"].join(
        words["footer_chain"].format(
            component=words.get(f"component_{component}", component),
            chain=chain_name(used, words),
            how=words["chain_auto"] if setting == "auto" else words["chain_fixed"],
        )
        for component, (used, setting) in about.chains.items()
    )
    sources = [f"`{dataset}: {source}`" for dataset, source in about.sources.items()]
    if about.user_files:
        sources.append(words["footer_user_files"].format(n=about.user_files))
    parts = [
        words["footer_version"].format(version=about.version),
        words["footer_run"].format(date=about.run_date),
        words["footer_method"].format(
            method=words["footer_named"].format(name=method_name(about.method, words), key=about.method)
        ),
        words["footer_convention"].format(
            convention=words["footer_named"].format(name=convention_name(about.convention, words), key=about.convention)
        ),
        words["footer_years"].format(first=about.first_year, last=about.last_year),
        words["footer_base_year"].format(base_year=about.base_year),
        words["footer_chains"].format(chains=chains) if chains else "",
        words["footer_sources"].format(sources=words["item_separator"].join(sources)) if sources else "",
    ]
    return words["footer_separator"].join(p for p in parts if p)


def write_gallery_html(items: list[GalleryItem], path: str | Path, *, language: str, about: RunAbout) -> None:
    """Write a static page: thumbnails grouped by kind, each linking to the full figure, its SVG and data CSV.

    Parameters
    ----------
    items
        The figures, from :func:`build_figures` or :func:`read_items`; their paths are relative to
        the folder of ``path``, so the page works when opened straight from disk.
    path
        The HTML file (``index.html`` of the gallery folder).
    language
        ``en`` or ``zh``: every text of the page, its footer included.
    about
        The run, said in the introduction and the footer.
    """
    words = labels_for(language)
    method, convention = method_name(about.method, words), convention_name(about.convention, words)
    sections = []
    for kind in KINDS:
        cards = [
            f"""<figure class="card"><a href="{html.escape(i.png)}"><img src="{html.escape(i.thumbnail)}" """
            f"""alt="{html.escape(i.title)}" loading="lazy"></a><figcaption><strong>{html.escape(i.title)}</strong>"""
            f"""<br>{_html_text(i.caption)}<br><a href="{html.escape(i.png)}">{words["link_png"]}</a> · """
            f"""<a href="{html.escape(i.svg)}">{words["link_svg"]}</a> · """
            f"""<a href="{html.escape(i.data)}">{html.escape(words["link_data"])}</a></figcaption></figure>"""
            for i in items
            if i.kind == kind
        ]
        if cards:
            sections.append(
                f'<section id="{kind}"><h2>{html.escape(words[f"kind_{kind}"])}</h2><div class="grid">'
                + "\n".join(cards)
                + "</div></section>"
            )
    title = words["page_title"]
    footer = _html_text(footer_text(about, words))
    scenarios = (
        f'<a href="{html.escape(about.scenarios_page)}">'
        f"{html.escape(words['nav_scenarios'].format(names=', '.join(about.scenarios)))}</a>"
        if about.scenarios_page
        else ""
    )
    if about.cities_page:
        scenarios += f'<a href="{html.escape(about.cities_page)}">{html.escape(words["nav_cities"])}</a>'
    page = f"""<!DOCTYPE html>
<html lang="{HTML_LANG[language]}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 1.5rem; color: #222; max-width: 1400px; }}
.grid {{ display: grid; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); gap: 1rem; }}
.card {{ margin: 0; border: 1px solid #ddd; border-radius: 6px; padding: .5rem; background: #fafafa; }}
.card img {{ width: 100%; height: auto; display: block; background: white; }}
figcaption {{ font-size: .85rem; line-height: 1.35; margin-top: .4rem; overflow-wrap: anywhere; }}
p, footer {{ overflow-wrap: anywhere; }}
footer {{ margin-top: 2rem; padding-top: .6rem; border-top: 1px solid #ddd; font-size: .8rem; color: #555; }}
nav a {{ margin-right: 1rem; }}
</style></head><body>
<h1>{html.escape(title)}</h1>
<p>{_html_text(words["page_intro"].format(method=method, convention=convention))}</p>
<nav>{"".join(f'<a href="#{k}">{html.escape(words[f"kind_{k}"])}</a>' for k in KINDS)}{scenarios}</nav>
{"".join(sections)}
<footer>{footer}</footer>
</body></html>
"""
    write_text(page, path)


def read_items(path: str | Path) -> list[GalleryItem]:
    """Read the gallery items a ``build_figures`` job listed in its ``items.json``.

    Parameters
    ----------
    path
        An ``items.json`` written by :func:`build_figures`.

    Returns
    -------
    list of GalleryItem
    """
    return [GalleryItem(**item) for item in json.loads(Path(path).read_text(encoding="utf-8"))]


def publish_gallery(parts: list[Path], dest: str | Path, *, language: str, about: RunAbout) -> list[GalleryItem]:
    """Assemble the gallery from the figure jobs' folders in a new folder and swap it in for ``dest`` whole.

    The page is written only once every figure job has finished, and into the new folder: a job
    that fails leaves the previous gallery as it was, with no page pointing at missing images.

    Parameters
    ----------
    parts
        One folder per kind, as :func:`build_figures` fills them (``<kind>/items.json``,
        ``figures/``, ``data/``, ``thumbs/``).
    dest
        The gallery folder (``results/gallery``), replaced as a whole.
    language, about
        See :func:`write_gallery_html`.

    Returns
    -------
    list of GalleryItem
        The figures of the published gallery.
    """
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    new = Path(tempfile.mkdtemp(dir=dest.parent, prefix=f".{dest.name}-new-"))
    try:
        items = []
        for part in parts:
            shutil.copytree(part, new / part.name)
            items += read_items(new / part.name / "items.json")
        write_gallery_html(items, new / "index.html", language=language, about=about)
        new.chmod(0o755)  # mkdtemp makes it private; a gallery is meant to be shared
        _swap_in(new, dest)
    finally:
        shutil.rmtree(new, ignore_errors=True)  # only left if something failed before the swap
    return items


def _swap_in(new: Path, dest: Path) -> None:
    """Replace the folder ``dest`` by ``new``: two renames on one file system, the old one removed after."""
    old = dest.parent / f".{dest.name}-old-{os.getpid()}"
    if dest.exists():
        os.replace(dest, old)
    os.replace(new, dest)
    shutil.rmtree(old, ignore_errors=True)


COVERAGE_PANELS_PER_ROW = 3


def _coverage_caption(coverage: pd.DataFrame, nominal: float, words: dict[str, str]) -> str:
    """Say what the coverage figure shows, with the total's nested coverage and where the rule stood in."""
    total = coverage[coverage["component"] == "total"]
    kinds = []
    for kind, rows in total.groupby("kind", sort=False):
        points = words["clause_separator"].join(
            words["coverage_point"].format(
                n=int(d), coverage=f"{c:.0%}" if pd.notna(c) else words["coverage_no_nested"]
            )
            for d, c in zip(rows["distance_years"], rows["coverage_nested"], strict=True)
        )
        kinds.append(words["coverage_kind"].format(kind=words.get(kind, kind), points=points))
    ruled = coverage.loc[coverage["band_from"] != "measured", ["kind", "distance_years", "band_from"]].drop_duplicates()
    stood_in = words["item_separator"].join(
        words["coverage_ruled"].format(kind=words.get(k, k), n=int(d), band_from=words.get(f"band_from_{f}", f))
        for k, d, f in ruled.itertuples(index=False, name=None)
    )
    return _sentences(
        words,
        words["coverage_caption"].format(nominal=nominal, kinds=words["item_separator"].join(kinds)),
        words["coverage_open_caption"].format(stood_in=stood_in) if stood_in else "",
        words["coverage_table"],
    )


def _panel_grid(components: list[str], columns: int) -> tuple[plt.Figure, np.ndarray]:
    """Panels for each component and one more place for the shared legend, double column wide."""
    rows = -(-(len(components) + 1) // columns)
    return plt.subplots(
        rows, columns, figsize=(plots.DOUBLE_COLUMN, 2.35 * rows + 0.3), squeeze=False, layout="constrained"
    )


def _legend_in_spare_panel(axes: np.ndarray, used: int) -> None:
    """Put the panels' shared legend in the first unused place of the grid; hide the rest."""
    handles = {text: h for ax in axes.flat[:used] for h, text in zip(*ax.get_legend_handles_labels(), strict=True)}
    spare = axes.flat[used]
    spare.legend(handles.values(), handles.keys(), loc="center", frameon=False, fontsize=7)
    spare.axis("off")
    for ax in axes.flat[used + 1 :]:
        ax.set_visible(False)


def _outer_labels(fig: plt.Figure, axes: np.ndarray, used: int, *, x: str | None, y: str) -> None:
    """Name the axes once for the grid (each panel's own labels would overlap their neighbours)."""
    for ax in axes.flat[:used]:
        ax.set_xlabel("")
        ax.set_ylabel("")
    if x:
        fig.supxlabel(x, fontsize=8)
    fig.supylabel(y, fontsize=8)


def _coverage(writer: _Writer, view: _Overview, errors: pd.DataFrame) -> None:
    """Band coverage by distance, nested and in-sample, one panel per component, for the method shown."""
    from digecon.estimation import bands  # only this figure needs the band rule

    if errors.empty:  # fewer than two benchmark years: nothing could be held out
        return
    rows = errors[errors["method"] == view.chosen["method"].iloc[0]]
    coverage = bands.coverage_by_distance(bands.band_coverage(rows))
    components = [c for c in (*plots.COMPONENT_ORDER, "total") if c in set(coverage["component"])]
    if not components:
        return
    fig, axes = _panel_grid(components, COVERAGE_PANELS_PER_ROW)
    for ax, component in zip(axes.flat, components, strict=False):
        title = view.labels[f"short_{component}"]
        plots.plot_coverage(ax, coverage[coverage["component"] == component], view.labels, title=title)
    _legend_in_spare_panel(axes, len(components))
    _outer_labels(fig, axes, len(components), x=view.labels["coverage_distance"], y=view.labels["coverage_axis"])
    nominal = float(coverage["nominal"].iloc[0])
    fig.suptitle(view.labels["coverage_title"].format(n=round(nominal * 100)), x=0.01, ha="left", weight="bold")
    writer.add(
        fig,
        coverage,
        id="band_coverage",
        kind="overview",
        title=writer.words["coverage_item"],
        caption=_coverage_caption(coverage, nominal, writer.words),
    )


NATIONAL_RATIO_COLUMNS = 3  # panels per row of the provinces/national ratio figure


def _national_ratio_caption(rows: pd.DataFrame, words: dict[str, str]) -> str:
    """Say what the ratio figure shows: its years of each kind, the total's ratio and drift, and why no rescaling."""
    from digecon.estimation.national import NOT_RESCALED  # the measured reason, kept with the report

    years = {
        k: sorted(int(y) for y in rows.loc[rows["year_kind"] == k, "year"].unique()) for k in ("benchmark", "control")
    }
    total = rows[(rows["component"] == "total") & rows["ratio"].notna()].sort_values("year")
    drifts = [
        words["national_ratio_drift"].format(year=int(y), ratio=r, drift=d, since=int(b))
        if pd.notna(d)
        else words["national_ratio_point"].format(year=int(y), ratio=r)
        for y, r, d, b in zip(total["year"], total["ratio"], total["drift"], total["reference_year"], strict=True)
    ]
    return words["national_ratio_caption"].format(
        benchmark=words["year_separator"].join(map(str, years["benchmark"])) or words["none"],
        control=words["year_separator"].join(map(str, years["control"])) or words["none"],
        drifts=words["item_separator"].join(drifts),
        not_rescaled=words["national_not_rescaled"].format(
            held_out=NOT_RESCALED["held_out"],
            kept=100 * NOT_RESCALED["median_ape_kept"],
            rescaled=100 * NOT_RESCALED["median_ape_rescaled"],
        ),
    )


def _national_ratio(writer: _Writer, view: _Overview, national: pd.DataFrame | None, *, convention: str) -> None:
    """Draw the provinces/national ratio by year, one panel per component, for the method and convention shown."""
    if national is None or national.empty:
        return
    method = view.chosen["method"].iloc[0]
    rows = national[(national["method"] == method) & (national["convention"] == convention)]
    components = [c for c in (*plots.COMPONENT_ORDER, "total") if c in set(rows.dropna(subset=["ratio"])["component"])]
    if not components:
        return
    fig, axes = _panel_grid(components, NATIONAL_RATIO_COLUMNS)
    for ax, component in zip(axes.flat, components, strict=False):
        title = view.labels[f"short_{component}"]
        plots.plot_national_ratio(
            ax, rows[rows["component"] == component], view.labels, component=component, title=title
        )
    _legend_in_spare_panel(axes, len(components))
    _outer_labels(fig, axes, len(components), x=None, y=view.labels["national_ratio_axis"])
    fig.suptitle(view.labels["national_ratio_title"], x=0.01, ha="left", weight="bold")
    writer.add(
        fig,
        rows.reset_index(drop=True),
        id="national_ratio",
        kind="overview",
        title=writer.words["national_ratio_item"],
        caption=_national_ratio_caption(rows, writer.words),
    )
