"""The plot gallery: build every figure with its data CSV and thumbnail, and an offline HTML page.

Layout below the gallery folder, one folder per kind (built by separate jobs, in parallel, in
staging folders): ``<kind>/figures/<id>.png|svg``, ``<kind>/data/<id>.csv``, ``<kind>/thumbs/<id>.png``
and ``<kind>/items.json`` (what each figure shows); then ``index.html``, which uses relative links
only, so it works when opened straight from disk. :func:`publish_gallery` assembles the kinds and
the page in a new folder and swaps it in whole, so a failed run never leaves a half-built gallery.
"""

from __future__ import annotations

import html
import json
import os
import shutil
import tempfile
from dataclasses import asdict, dataclass
from importlib.resources import files
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from PIL import Image

from digecon.core.files import write_csv, write_json, write_text
from digecon.core.provinces import province_table
from digecon.outputs import plots
from digecon.outputs.export import national_share_of_gdp
from digecon.outputs.names import GALLERY_KINDS

KINDS = GALLERY_KINDS  # kind -> heading; kept in names.py so the Snakefile reads it without matplotlib
THUMBNAIL_SIZE = (420, 320)
BACKTEST_ROWS = 4  # most backtest panels drawn in one column


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


class _Writer:
    """Saves figures, their data and thumbnails below ``root``, collecting gallery items."""

    def __init__(self, root: Path, note: str) -> None:
        """Write below ``root``; ``note`` ends every caption."""
        self.root = root
        self.note = note
        self.items: list[GalleryItem] = []

    def add(self, fig: plt.Figure, data: pd.DataFrame, *, id: str, kind: str, title: str, caption: str) -> None:
        """Save ``fig`` (PNG, SVG, thumbnail) and ``data`` (CSV) as figure ``id`` and list it."""
        png, svg = plots.save_figure(fig, self.root / kind / "figures" / id)
        write_csv(data, self.root / kind / "data" / f"{id}.csv")
        thumbnail = self.root / kind / "thumbs" / f"{id}.png"
        thumbnail.parent.mkdir(parents=True, exist_ok=True)
        with Image.open(png) as image:
            image.thumbnail(THUMBNAIL_SIZE)
            image.save(thumbnail, format="PNG")  # Pillow writes no timestamp: byte-stable
        relative = lambda p: p.relative_to(self.root).as_posix()  # noqa: E731
        self.items.append(
            GalleryItem(
                id,
                kind,
                title,
                f"{caption} {self.note}",
                relative(png),
                relative(svg),
                f"{kind}/data/{id}.csv",
                relative(thumbnail),
            )
        )


TOTALS_COLUMNS = ("gdp_100m_yuan", "share_of_gdp_percent")
BACKTEST_COLUMNS = ("design_label", "distance_years", "kind", "holdout_year", "benchmarks_used")


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
) -> list[GalleryItem]:
    """Render the gallery figures of one kind (see ``KINDS``) below ``root / kind``.

    Works for any subset of provinces: national figures sum the provinces present, rankings and
    heatmaps show them, tile maps draw the others as empty grey tiles.

    Parameters
    ----------
    kind
        ``province`` (components of each province), ``methods`` (each province under every
        method) or ``overview`` (China, all provinces, rankings, heatmap, tile maps, backtest).
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
        ``en`` or ``zh`` labels.
    vintage
        Data vintage, appended to every caption; by default :func:`data_vintage` of ``totals``.
    national
        ``results/validation/national_consistency.csv``
        (:func:`digecon.estimation.national.national_consistency`), for the overview's figure of the
        provinces/national ratio; None leaves that figure out.

    Returns
    -------
    list of GalleryItem
        The figures written, also listed in ``root / kind / items.json``.

    Raises
    ------
    ValueError
        For an unknown ``kind`` or language, or (overview) totals or backtest without the columns above.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown gallery kind {kind!r}; expected one of {', '.join(KINDS)}")
    root = Path(root)
    chosen = values[(values["method"] == method) & (values["convention"] == convention)]
    chosen_totals = totals[(totals["method"] == method) & (totals["convention"] == convention)]
    names = _names(language)
    vintage = data_vintage(chosen_totals) if vintage is None else vintage
    note = f"Method: {method}, convention: {convention}. Data: {vintage}."
    writer = _Writer(root, note)
    first, last = int(chosen["year"].min()), int(chosen["year"].max())
    with plots.house_style(language) as labels:
        if kind == "province":
            _provinces(writer, chosen, chosen_totals, labels, names, first=first, last=last)
        elif kind == "methods":
            _methods(
                writer,
                totals[totals["convention"] == convention],
                labels,
                names,
                convention=convention,
                chains=chain_note(values),
            )
        else:
            view = _overview_of(chosen, chosen_totals, labels, names, first=first, last=last)
            _overview(writer, view, backtest, convention=convention, national=national)
    write_json([asdict(i) for i in writer.items], root / kind / "items.json")
    return writer.items


def data_vintage(totals: pd.DataFrame) -> str:
    """Name the data a run rests on, for captions: its IO tables (benchmark years) and span of years.

    Parameters
    ----------
    totals
        Long totals with ``year`` and ``flag``; the IO tables named are the years flagged
        ``benchmark`` for any province.

    Returns
    -------
    str
        E.g. ``NBS regional IO tables 2002, 2007; NBS provincial annual series (revised vintage), 2002-2010``.
    """
    tables = ", ".join(str(y) for y in _benchmark_years(totals))
    span = f"{int(totals['year'].min())}-{int(totals['year'].max())}"
    return f"NBS regional IO tables {tables}; NBS provincial annual series (revised vintage), {span}"


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
    """One figure per province: its stacked components with the band of its total."""
    for code, frame in chosen.groupby("province_code"):
        band = totals[totals["province_code"] == code]
        breaks = _break_years(frame)
        fig, ax = plt.subplots(figsize=(7, 4))
        plots.plot_components(
            ax,
            frame,
            labels,
            title=labels["province_title"].format(name=names[code]),
            band=band,
            benchmark_years=_benchmark_years(band),
            breaks=breaks,
        )
        data = frame.pivot_table(index="year", columns="component", values="value_100m_yuan").join(
            band.set_index("year")[["value_100m_yuan", "lower_100m_yuan", "upper_100m_yuan", "flag"]].add_prefix(
                "total_"
            )
        )
        data = data.assign(indicator_break=data.index.isin(breaks))
        marks = (
            f" Triangles: years whose indicator jumped beyond the break threshold ({', '.join(map(str, breaks))}); "
            "see results/validation/indicator_breaks.csv."
            if breaks
            else ""
        )
        writer.add(
            fig,
            data.reset_index(),
            id=f"province_{code}",
            kind="province",
            title=f"{names[code]} ({code})",
            caption=f"Stacked components of {names[code]}'s digital-economy value added, {first}-{last}, "
            "100 million yuan; dotted lines: band of the total from its backtest errors; dashed: IO "
            "benchmark years." + marks,
        )


def _break_years(frame: pd.DataFrame) -> list[int]:
    """Years in which an indicator of the province jumped beyond the break threshold (``indicator_break``)."""
    if "indicator_break" not in frame:
        return []
    return sorted(int(y) for y in frame.loc[frame["indicator_break"].astype(bool), "year"].unique())


def chain_note(values: pd.DataFrame) -> str:
    """Say which indicator chain each component uses and by how much it won, for captions.

    Parameters
    ----------
    values
        The long estimates, with ``component``, ``chain`` (the candidate's name) and
        ``chain_margin_points`` (its lead over the runner-up in median extrapolation APE, points).

    Returns
    -------
    str
        E.g. ``Indicator chains (...): electronics c39_revenue (+17.5 points over the runner-up), ...``;
        empty for estimates without a ``chain`` column.
    """
    if "chain" not in values or values["chain"].isna().all():
        return ""
    first = values.dropna(subset=["chain"]).drop_duplicates("component")
    parts = [
        f"{row.component} {row.chain} "
        + (
            "(the only candidate)"
            if pd.isna(row.chain_margin_points)
            else f"({row.chain_margin_points:+.1f} points over the runner-up)"
        )
        for row in first.itertuples()
    ]
    return (
        "Indicator chains, chosen by the backtest's median extrapolation APE (results/validation/"
        f"chain_comparison.csv): {', '.join(parts)}."
    )


def _methods(
    writer: _Writer,
    totals: pd.DataFrame,
    labels: dict[str, str],
    names: pd.Series,
    *,
    convention: str,
    chains: str = "",
) -> None:
    """One figure per province: its total under every method, each with its band (caption: the chains used)."""
    for code, frame in totals.groupby("province_code"):
        fig, ax = plt.subplots(figsize=(7, 4))
        plots.plot_methods(
            ax,
            frame,
            labels,
            title=labels["methods_title"].format(name=names[code]),
            benchmark_years=_benchmark_years(frame),
        )
        data = frame[
            [
                "province_code",
                "province",
                "year",
                "method",
                "value_100m_yuan",
                "lower_100m_yuan",
                "upper_100m_yuan",
                "flag",
            ]
        ]
        writer.add(
            fig,
            data,
            id=f"methods_{code}",
            kind="methods",
            title=f"{names[code]} ({code}): methods",
            caption=f"Total digital-economy value added of {names[code]} under each method ({convention} "
            "convention), shaded: each method's band from the backtest; hold is drawn as steps."
            + (f" {chains}" if chains else ""),
        )


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
    labels = {**labels, "national": labels["national"].format(n=totals["province_code"].nunique())}
    named = totals.assign(name=totals["province_code"].map(names))
    return _Overview(chosen, named, labels, names, first=first, last=last)


def _overview(
    writer: _Writer, view: _Overview, backtest: pd.DataFrame, *, convention: str, national: pd.DataFrame | None = None
) -> None:
    """Every overview figure, in the order of the gallery page."""
    _require_columns(backtest, BACKTEST_COLUMNS, "backtest (backtest.csv)")
    _national(writer, view)
    _small_multiples(writer, view)
    _ranking(writer, view)
    _heatmap(writer, view)
    _tile_maps(writer, view)
    _backtest(writer, view, backtest[backtest["convention"] == convention])
    _coverage(writer, view, backtest[backtest["convention"] == convention])
    _national_ratio(writer, view, national, convention=convention)


def _national(writer: _Writer, view: _Overview) -> None:
    """China as the sum of the provinces present: stacked components (with band) and categories."""
    labels = view.labels
    national = view.chosen.groupby(["year", "component", "category"])["value_100m_yuan"].sum().reset_index()
    national_band = view.totals.groupby("year")[["lower_100m_yuan", "upper_100m_yuan"]].sum().reset_index()
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
    plots.plot_components(
        left,
        national,
        labels,
        title=labels["national_components"].format(national=labels["national"]),
        band=national_band,
        # every year any province has a table: the sum rests on a benchmark there
        benchmark_years=_benchmark_years(view.totals),
    )
    plots.plot_categories(
        right, national, labels, title=labels["national_categories"].format(national=labels["national"])
    )
    fig.tight_layout()
    writer.add(
        fig,
        national.merge(national_band, on="year"),
        id="national",
        kind="overview",
        title="China: components and categories",
        caption=f"Sum over the {view.n_provinces} provinces by component (left, stacked; dotted: sum of the "
        "provinces' bands, which assumes their errors move together) and by category (right).",
    )


def _small_multiples(writer: _Writer, view: _Overview) -> None:
    """Every province's total with its band, on one scale and on their own scales."""
    columns = ["province_code", "name", "year", "value_100m_yuan", "lower_100m_yuan", "upper_100m_yuan"]
    for shared in (True, False):
        fig = plots.small_multiples(view.totals, view.labels, shared_scale=shared)
        suffix = "shared" if shared else "free"
        writer.add(
            fig,
            view.totals[columns],
            id=f"small_multiples_{suffix}",
            kind="overview",
            title=f"All provinces ({'same scale' if shared else 'own scales'})",
            caption="Total digital-economy value added of every province with its band; "
            + ("one scale for all, to compare sizes." if shared else "each on its own scale, to compare paths."),
        )


def _latest(view: _Overview) -> pd.DataFrame:
    """Return the totals of the last year, indexed by province code."""
    return view.totals[view.totals["year"] == view.last].set_index("province_code")


def _ranking(writer: _Writer, view: _Overview) -> None:
    """Provinces ranked by level and by share of GDP in the last year, China's share marked."""
    labels, last = view.labels, view.last
    latest = _latest(view)
    ranking = pd.DataFrame(
        {
            "name": latest.index.map(view.names),
            "value_100m_yuan": latest["value_100m_yuan"],
            "share_of_gdp_percent": latest["share_of_gdp_percent"],
        }
    )
    # 31 provinces fill 6.5 inches; a small run keeps its bars as thick
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, max(2.5, 0.2 * view.n_provinces + 0.3)))
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
    left.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:,.0f}"))
    fig.tight_layout()
    writer.add(
        fig,
        ranking.reset_index(),
        id="ranking",
        kind="overview",
        title=f"Ranking of provinces, {last}",
        caption=f"Provinces ranked by digital-economy value added (left) and its share of GDP (right) in {last}; "
        "dashed line: China (sum of provinces).",
    )


def _heatmap(writer: _Writer, view: _Overview) -> None:
    """Share of GDP, provinces present x years."""
    share = view.totals.pivot_table(index="province_code", columns="year", values="share_of_gdp_percent")
    fig, ax = plt.subplots(figsize=(9, max(3.0, 0.2 * view.n_provinces + 0.8)))  # 31 provinces: 7 inches
    plots.plot_heatmap(
        ax, share.set_axis(share.index.map(view.names), axis=0), view.labels, title=view.labels["heatmap_title"]
    )
    fig.tight_layout()
    data = share.set_axis([str(c) for c in share.columns], axis=1)
    writer.add(
        fig,
        data.assign(name=data.index.map(view.names))[["name", *data.columns]].reset_index(),
        id="heatmap_share",
        kind="overview",
        title="Share of GDP, heatmap",
        caption=f"Digital-economy value added as % of GDP (NBS revised GDP), provinces x {view.first}-{view.last}.",
    )


def _tile_maps(writer: _Writer, view: _Overview) -> None:
    """Level, share of GDP and recent growth on the tile grid; provinces outside the run stay grey."""
    first, last = view.first, view.last
    latest = _latest(view)
    maps = [
        ("level", latest["value_100m_yuan"], "{:,.0f}"),
        ("share", latest["share_of_gdp_percent"], "{:.1f}"),
    ]
    span = min(5, last - first)
    if span > 0:  # a run of a single year has no growth
        level = view.totals.pivot_table(index="province_code", columns="year", values="value_100m_yuan")
        maps.append(("growth", ((level[last] / level[last - span]) ** (1 / span) - 1) * 100, "{:.1f}"))
    tiles = tile_grid()
    for key, series, fmt in maps:
        # the figure speaks the figure language, the caption English like the rest of the page
        unit, english = (
            _tile_unit(key, labels, start=last - span, end=last) for labels in (view.labels, plots.LABELS["en"])
        )
        title = unit if key == "growth" else view.labels["in_year"].format(what=unit, year=last)
        fig, ax = plt.subplots(figsize=(8, 7))
        plots.plot_tile_map(ax, series, tiles, view.names, title=title, unit_label=unit, fmt=fmt)
        writer.add(
            fig,
            tiles.assign(value=tiles["province_code"].map(series), name=tiles["province_code"].map(view.names)),
            id=f"tilemap_{key}",
            kind="overview",
            title=f"Tile map: {key}",
            caption=f"Each province a tile in its rough place: {english}"
            + (f" in {last}." if key != "growth" else " (compound annual nominal growth).")
            + (" Grey tiles: no value (not in this run)." if _has_missing(series, tiles) else ""),
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


def _backtest(writer: _Writer, view: _Overview, errors: pd.DataFrame) -> None:
    """Held-out errors by method and component, one panel per kind and distance of the designs present."""
    if errors.empty:  # fewer than two benchmark years: nothing could be held out
        return
    panels = plots.backtest_panels(errors, view.labels)
    # many benchmark years give many distances: past a few panels, two columns keep the page readable
    columns = 1 if len(panels) <= BACKTEST_ROWS else 2
    rows = -(-len(panels) // columns)
    fig, axes = plt.subplots(rows, columns, figsize=(9 * columns, 3.75 * rows), squeeze=False)
    for ax, panel in zip(axes.flat, panels, strict=False):
        plots.plot_backtest(ax, panel.rows, view.labels, title=panel.heading, subtitle=panel.subtitle())
    for ax in axes.flat[len(panels) :]:
        ax.set_visible(False)
    fig.tight_layout()
    # captions are English whatever the figure language, as on the rest of the page
    described = " ".join(
        f"{panel.heading[:1].upper()}{panel.heading[1:]}: {'; '.join(panel.designs)}."
        for panel in plots.backtest_panels(errors, plots.LABELS["en"])
    )
    writer.add(
        fig,
        errors,
        id="backtest",
        kind="overview",
        title="Backtest errors by method and component",
        caption="Absolute % error of each held-out benchmark over provinces (boxes: quartiles, whiskers: "
        f"1.5 IQR, outliers not drawn), one panel per kind and distance to the nearest benchmark used. {described}",
    )


def write_gallery_html(items: list[GalleryItem], path: str | Path, *, title: str, run_date: str, note: str) -> None:
    """Write a static page: thumbnails grouped by kind, each linking to the full figure, its SVG and data CSV.

    Parameters
    ----------
    items
        The figures, from :func:`build_figures` or :func:`read_items`; their paths are relative to
        the folder of ``path``, so the page works when opened straight from disk.
    path
        The HTML file (``index.html`` of the gallery folder).
    title, run_date, note
        Page heading, date of the run and a note on method and data sources.
    """
    sections = []
    for kind, heading in KINDS.items():
        cards = [
            f"""<figure class="card"><a href="{html.escape(i.png)}"><img src="{html.escape(i.thumbnail)}" """
            f"""alt="{html.escape(i.title)}" loading="lazy"></a><figcaption><strong>{html.escape(i.title)}</strong>"""
            f"""<br>{html.escape(i.caption)}<br><a href="{html.escape(i.png)}">PNG</a> · """
            f"""<a href="{html.escape(i.svg)}">SVG</a> · <a href="{html.escape(i.data)}">data (CSV)</a>"""
            "</figcaption></figure>"
            for i in items
            if i.kind == kind
        ]
        if cards:
            sections.append(
                f'<section id="{kind}"><h2>{html.escape(heading)}</h2><div class="grid">'
                + "\n".join(cards)
                + "</div></section>"
            )
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 1.5rem; color: #222; max-width: 1400px; }}
.grid {{ display: grid; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); gap: 1rem; }}
.card {{ margin: 0; border: 1px solid #ddd; border-radius: 6px; padding: .5rem; background: #fafafa; }}
.card img {{ width: 100%; height: auto; display: block; background: white; }}
figcaption {{ font-size: .85rem; line-height: 1.35; margin-top: .4rem; overflow-wrap: anywhere; }}
p {{ overflow-wrap: anywhere; }}
nav a {{ margin-right: 1rem; }}
</style></head><body>
<h1>{html.escape(title)}</h1>
<p>{html.escape(note)} Run of {html.escape(run_date)}. Every figure links to its PNG, an SVG for papers and the
CSV of the numbers it shows.</p>
<nav>{"".join(f'<a href="#{k}">{html.escape(v)}</a>' for k, v in KINDS.items())}</nav>
{"".join(sections)}
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


def publish_gallery(parts: list[Path], dest: str | Path, *, title: str, run_date: str, note: str) -> list[GalleryItem]:
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
    title, run_date, note
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
        write_gallery_html(items, new / "index.html", title=title, run_date=run_date, note=note)
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


COVERAGE_COLUMNS = 3  # panels per row of the coverage figure


def _coverage_caption(coverage: pd.DataFrame, nominal: float) -> str:
    """Say what the coverage figure shows, with the total's nested coverage and where the rule stood in."""
    total = coverage[coverage["component"] == "total"]
    kinds = []
    for kind, rows in total.groupby("kind", sort=False):
        points = ", ".join(
            f"{int(d)} years {f'{c:.0%}' if pd.notna(c) else 'no nested band (no other design)'}"
            for d, c in zip(rows["distance_years"], rows["coverage_nested"], strict=True)
        )
        kinds.append(f"{kind} {points}")
    ruled = coverage.loc[coverage["band_from"] != "measured", ["kind", "distance_years", "band_from"]].drop_duplicates()
    stood_in = "; ".join(f"{k}, {int(d)} years: {f}" for k, d, f in ruled.itertuples(index=False, name=None))
    return (
        "Share of the held-out benchmark values inside their band, by distance to the nearest benchmark used, "
        "per component: nested (solid; the band rule rebuilt without the held-out design) and in-sample (dotted; "
        f"the rule of every design), against the nominal {nominal:.0%} (dashed; grey: within 10 points). "
        f"Nested coverage of the total: {'; '.join(kinds)}."
        + (
            f" Open markers: no other design measured that distance, the band is the rule's ({stood_in})."
            if stood_in
            else ""
        )
        + " Table: results/validation/band_coverage.csv."
    )


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
    n_rows = -(-(len(components) + 1) // COVERAGE_COLUMNS)  # one more place, for the legend
    fig, axes = plt.subplots(n_rows, COVERAGE_COLUMNS, figsize=(4.4 * COVERAGE_COLUMNS, 3.4 * n_rows), squeeze=False)
    for ax, component in zip(axes.flat, components, strict=False):
        title = view.labels[f"short_{component}"]
        plots.plot_coverage(ax, coverage[coverage["component"] == component], view.labels, title=title)
    handles = {
        text: h for ax in axes.flat[: len(components)] for h, text in zip(*ax.get_legend_handles_labels(), strict=True)
    }
    legend = axes.flat[len(components)]
    legend.legend(handles.values(), handles.keys(), loc="center", frameon=False)
    legend.axis("off")
    for ax in axes.flat[len(components) + 1 :]:
        ax.set_visible(False)
    nominal = float(coverage["nominal"].iloc[0])
    fig.suptitle(view.labels["coverage_title"].format(n=round(nominal * 100)), x=0.01, ha="left")
    fig.tight_layout()
    writer.add(
        fig,
        coverage,
        id="band_coverage",
        kind="overview",
        title="Band coverage by distance",
        caption=_coverage_caption(coverage, nominal),
    )


NATIONAL_RATIO_COLUMNS = 3  # panels per row of the provinces/national ratio figure


def _national_ratio_caption(rows: pd.DataFrame) -> str:
    """Say what the ratio figure shows: its years of each kind, the total's ratio and drift, and why no rescaling."""
    from digecon.estimation.national import NOT_RESCALED  # the measured reason, kept with the report

    years = {
        k: sorted(int(y) for y in rows.loc[rows["year_kind"] == k, "year"].unique()) for k in ("benchmark", "control")
    }
    total = rows[(rows["component"] == "total") & rows["ratio"].notna()].sort_values("year")
    drifts = [
        f"{int(y)} {r:.3f}" + (f" ({d:+.1%} since {int(b)})" if pd.notna(d) else "")
        for y, r, d, b in zip(total["year"], total["ratio"], total["drift"], total["reference_year"], strict=True)
    ]
    return (
        "Sum over the provinces of each component divided by the national 42-sector IO table of the same year: "
        f"filled circles, regional benchmark years ({', '.join(map(str, years['benchmark'])) or 'none'}; the "
        "provinces' own table values); open diamonds, control years with a national table only "
        f"({', '.join(map(str, years['control'])) or 'none'}; the provinces' estimates). National components are "
        "split with the ratios of the nearest detailed table, as the provinces' are. "
        f"Total: {'; '.join(drifts)}. {NOT_RESCALED} Table: results/validation/national_consistency.csv."
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
    n_rows = -(-(len(components) + 1) // NATIONAL_RATIO_COLUMNS)  # one more place, for the legend
    fig, axes = plt.subplots(
        n_rows, NATIONAL_RATIO_COLUMNS, figsize=(4.4 * NATIONAL_RATIO_COLUMNS, 3.4 * n_rows), squeeze=False
    )
    for ax, component in zip(axes.flat, components, strict=False):
        title = view.labels[f"short_{component}"]
        plots.plot_national_ratio(
            ax, rows[rows["component"] == component], view.labels, component=component, title=title
        )
    handles = {
        text: h for ax in axes.flat[: len(components)] for h, text in zip(*ax.get_legend_handles_labels(), strict=True)
    }
    legend = axes.flat[len(components)]
    legend.legend(handles.values(), handles.keys(), loc="center", frameon=False)
    legend.axis("off")
    for ax in axes.flat[len(components) + 1 :]:
        ax.set_visible(False)
    fig.suptitle(view.labels["national_ratio_title"], x=0.01, ha="left")
    fig.tight_layout()
    writer.add(
        fig,
        rows.reset_index(drop=True),
        id="national_ratio",
        kind="overview",
        title="Provinces' sum against the national tables",
        caption=_national_ratio_caption(rows),
    )
