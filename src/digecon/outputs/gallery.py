"""The plot gallery: build every figure with its data CSV and thumbnail, and an offline HTML page.

Layout below the gallery folder, one folder per kind (built by separate jobs, in parallel):
``<kind>/figures/<id>.png|svg``, ``<kind>/data/<id>.csv``, ``<kind>/thumbs/<id>.png`` and
``<kind>/items.json`` (what each figure shows); then ``index.html``, which uses relative links
only, so it works when opened straight from disk.
"""

from __future__ import annotations

import html
import json
from dataclasses import asdict, dataclass
from importlib.resources import files
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from PIL import Image

from digecon.outputs import plots
from digecon.core.files import write_csv, write_json, write_text
from digecon.core.provinces import province_table

KINDS = {
    "overview": "Overview: China and all provinces",
    "province": "Provinces: components over time",
    "methods": "Provinces: every method compared",
}
THUMBNAIL_SIZE = (420, 320)


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
    """The packaged tile-grid layout: ``province_code``, ``column``, ``row``."""
    with files("digecon.data").joinpath("tile_grid.csv").open(encoding="utf-8") as handle:
        return pd.read_csv(handle)


def _names(language: str) -> pd.Series:
    table = province_table().set_index("province_code")
    return table["province"] if language == "zh" else table["province_en"]


class _Writer:
    """Saves figures, their data and thumbnails below ``root``, collecting gallery items."""

    def __init__(self, root: Path, note: str) -> None:
        self.root = root
        self.note = note
        self.items: list[GalleryItem] = []

    def add(self, fig: plt.Figure, data: pd.DataFrame, *, id: str, kind: str, title: str, caption: str) -> None:
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


def build_figures(
    kind: str,
    values: pd.DataFrame,
    totals: pd.DataFrame,
    backtest: pd.DataFrame,
    share_of_gdp: pd.DataFrame,
    root: str | Path,
    *,
    method: str,
    convention: str,
    language: str = "en",
    vintage: str = "",
) -> list[GalleryItem]:
    """Render the gallery figures of one kind (see ``KINDS``) below ``root / kind``.

    Parameters
    ----------
    kind
        ``province`` (components of each province), ``methods`` (each province under every
        method) or ``overview`` (China, all provinces, rankings, heatmap, tile maps, backtest).
    values
        The long estimates (``digital_economy_va.csv``).
    totals
        The totals with their own bands (``digital_economy_total.csv``).
    backtest
        ``results/validation/backtest.csv``.
    share_of_gdp
        The wide share-of-GDP table (``results/tables/wide/share_of_gdp.csv``) of the same estimate.
    root
        Gallery folder.
    method, convention
        The estimate shown (all methods appear in the method comparisons).
    language
        ``en`` or ``zh`` labels.
    vintage
        Data vintage, appended to every caption.
    """
    root = Path(root)
    chosen = values[(values["method"] == method) & (values["convention"] == convention)]
    chosen_totals = totals[(totals["method"] == method) & (totals["convention"] == convention)]
    names = _names(language)
    note = f"Method: {method}, convention: {convention}. Data: {vintage}."
    writer = _Writer(root, note)
    first, last = int(chosen["year"].min()), int(chosen["year"].max())
    if kind not in KINDS:
        raise ValueError(f"unknown gallery kind {kind!r}; expected one of {', '.join(KINDS)}")
    with plots.house_style(language) as labels:
        if kind == "province":
            _provinces(writer, chosen, chosen_totals, labels, names, first=first, last=last)
        elif kind == "methods":
            _methods(writer, totals[totals["convention"] == convention], labels, names, convention=convention)
        else:
            _overview(
                writer,
                chosen,
                chosen_totals,
                backtest,
                share_of_gdp,
                labels,
                names,
                convention=convention,
                first=first,
                last=last,
            )
    write_json([asdict(i) for i in writer.items], root / kind / "items.json")
    return writer.items


def _benchmark_years(totals: pd.DataFrame) -> list[int]:
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
    for code, frame in chosen.groupby("province_code"):
        band = totals[totals["province_code"] == code]
        fig, ax = plt.subplots(figsize=(7, 4))
        plots.plot_components(
            ax,
            frame,
            labels,
            title=f"{names[code]}: digital-economy value added by component",
            band=band,
            benchmark_years=_benchmark_years(band),
        )
        data = frame.pivot_table(index="year", columns="component", values="value_100m_yuan").join(
            band.set_index("year")[["value_100m_yuan", "lower_100m_yuan", "upper_100m_yuan", "flag"]].add_prefix(
                "total_"
            )
        )
        writer.add(
            fig,
            data.reset_index(),
            id=f"province_{code}",
            kind="province",
            title=f"{names[code]} ({code})",
            caption=f"Stacked components of {names[code]}'s digital-economy value added, {first}-{last}, "
            "100 million yuan; dotted lines: band of the total from its backtest errors; dashed: IO "
            "benchmark years.",
        )


def _methods(
    writer: _Writer, totals: pd.DataFrame, labels: dict[str, str], names: pd.Series, *, convention: str
) -> None:
    for code, frame in totals.groupby("province_code"):
        fig, ax = plt.subplots(figsize=(7, 4))
        plots.plot_methods(
            ax, frame, labels, title=f"{names[code]}: total under every method", benchmark_years=_benchmark_years(frame)
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
            "convention), shaded: each method's band from the backtest; hold is drawn as steps.",
        )


def _overview(
    writer: _Writer,
    chosen: pd.DataFrame,
    totals: pd.DataFrame,
    backtest: pd.DataFrame,
    share_of_gdp: pd.DataFrame,
    labels: dict[str, str],
    names: pd.Series,
    *,
    convention: str,
    first: int,
    last: int,
) -> None:
    benchmarks = _benchmark_years(totals[totals["province_code"] == 110000])
    national = chosen.groupby(["year", "component", "category"])["value_100m_yuan"].sum().reset_index()
    national_band = totals.groupby("year")[["lower_100m_yuan", "upper_100m_yuan"]].sum().reset_index()
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
    plots.plot_components(
        left,
        national,
        labels,
        title=f"{labels['national']}: by component",
        band=national_band,
        benchmark_years=benchmarks,
    )
    plots.plot_categories(right, national, labels, title=f"{labels['national']}: production and circulation")
    fig.tight_layout()
    writer.add(
        fig,
        national.merge(national_band, on="year"),
        id="national",
        kind="overview",
        title="China: components and categories",
        caption="Sum over the 31 provinces by component (left, stacked; dotted: sum of the provinces' bands, "
        "which assumes their errors move together) and by category (right).",
    )

    totals = totals.assign(name=totals["province_code"].map(names))
    for shared in (True, False):
        fig = plots.small_multiples(totals, labels, shared_scale=shared)
        suffix = "shared" if shared else "free"
        writer.add(
            fig,
            totals[["province_code", "name", "year", "value_100m_yuan", "lower_100m_yuan", "upper_100m_yuan"]],
            id=f"small_multiples_{suffix}",
            kind="overview",
            title=f"All provinces ({'same scale' if shared else 'own scales'})",
            caption="Total digital-economy value added of every province with its band; "
            + ("one scale for all, to compare sizes." if shared else "each on its own scale, to compare paths."),
        )

    latest = totals[totals["year"] == last].set_index("province_code")
    share = share_of_gdp.set_index("province_code")
    share_latest = share[str(last)]
    ranking = pd.DataFrame(
        {
            "name": latest.index.map(names),
            "value_100m_yuan": latest["value_100m_yuan"],
            "share_of_gdp_percent": share_latest.reindex(latest.index),
        }
    )
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 6.5))
    plots.plot_ranking(
        left, ranking.set_index("name")["value_100m_yuan"], labels, title=f"Level, {last}", xlabel=labels["value"]
    )
    plots.plot_ranking(
        right,
        ranking.set_index("name")["share_of_gdp_percent"],
        labels,
        title=f"Share of GDP, {last}",
        xlabel=labels["share"],
        highlight=float(share.loc[0, str(last)]),
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

    heat = share.drop(index=0)
    years = [c for c in heat.columns if c.isdigit()]
    heat_wide = heat[years].set_axis(heat.index.map(names), axis=0)
    fig, ax = plt.subplots(figsize=(9, 7))
    plots.plot_heatmap(ax, heat_wide, labels, title="Share of GDP by province and year")
    fig.tight_layout()
    writer.add(
        fig,
        heat.reset_index(),
        id="heatmap_share",
        kind="overview",
        title="Share of GDP, heatmap",
        caption=f"Digital-economy value added as % of GDP (NBS revised GDP), provinces x {first}-{last}.",
    )

    tiles = tile_grid()
    growth = totals.pivot_table(index="province_code", columns="year", values="value_100m_yuan")
    span = min(5, last - first)
    cagr = ((growth[last] / growth[last - span]) ** (1 / span) - 1) * 100
    maps = (
        ("level", latest["value_100m_yuan"], labels["value"], "{:,.0f}"),
        ("share", share_latest.drop(index=0), labels["share"], "{:.1f}"),
        ("growth", cagr, f"{labels['growth']} ({last - span}-{last}, per year)", "{:.1f}"),
    )
    for key, series, unit, fmt in maps:
        fig, ax = plt.subplots(figsize=(8, 7))
        plots.plot_tile_map(
            ax, series, tiles, names, title=f"{unit}, {last}" if key != "growth" else unit, unit_label=unit, fmt=fmt
        )
        writer.add(
            fig,
            tiles.assign(value=tiles["province_code"].map(series), name=tiles["province_code"].map(names)),
            id=f"tilemap_{key}",
            kind="overview",
            title=f"Tile map: {key}",
            caption=f"Each province a tile in its rough place: {unit}"
            + (f" in {last}." if key != "growth" else " (compound annual nominal growth)."),
        )

    errors = backtest[backtest["convention"] == convention]
    fig, axes = plt.subplots(2, 1, figsize=(9, 7.5), sharey=False)
    for ax, kind in zip(axes, ("interpolation", "extrapolation"), strict=True):
        plots.plot_backtest(ax, errors[errors["kind"] == kind], labels, title=labels[kind])
    fig.tight_layout()
    writer.add(
        fig,
        errors,
        id="backtest",
        kind="overview",
        title="Backtest errors by method and component",
        caption="Absolute % error of each held-out benchmark over provinces (boxes: quartiles, whiskers: "
        "1.5 IQR, outliers not drawn): leave-one-out for 2007 and 2012, extrapolation of 2017 from 2002-2012.",
    )


def write_gallery_html(items: list[GalleryItem], path: str | Path, *, title: str, run_date: str, note: str) -> None:
    """A static page: thumbnails grouped by kind, each linking to the full figure, its SVG and data CSV."""
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
    return [GalleryItem(**item) for item in json.loads(Path(path).read_text(encoding="utf-8"))]
