"""Figures of the estimates.

Every function takes data and an Axes (or returns a Figure); none saves or shows.
:func:`save_figure` writes byte-stable PNG/SVG files and closes the figure.

Colours follow the Okabe-Ito palette; the two circulation components are also hatched so the
stacked areas stay distinct in greyscale. Labels are English by default, Chinese on request.
"""

from __future__ import annotations

import io
import logging
import re
import unicodedata
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.resources import as_file, files
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only, never a window

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from PIL import Image

from digecon.core.years import year_runs
from digecon.outputs.labels import LANGUAGES, labels_for

log = logging.getLogger(__name__)

COMPONENT_ORDER = ("electronics", "it_services", "telecom", "media")
COMPONENT_STYLE = {  # colour, hatch
    "electronics": ("#0072B2", ""),
    "it_services": ("#56B4E9", ""),
    "telecom": ("#D55E00", "///"),
    "media": ("#E69F00", "..."),
}
METHOD_STYLE = {  # colour, line style
    "hold": ("#000000", "-"),
    "linear": ("#0072B2", "-"),
    "spline": ("#009E73", "--"),
    "chow_lin": ("#D55E00", "-."),
    "national": ("#CC79A7", ":"),
}
MISSING_TILE = "#eeeeee"  # a province outside the run (or without a value)
MISSING_TEXT = "#9a9a9a"
BACKTEST_KINDS = ("interpolation", "extrapolation")
SINGLE_COLUMN, DOUBLE_COLUMN = 3.5, 7.2  # inches: a journal's column and page width (89 and 183 mm)
SUBTITLE_SIZE = 7  # points, the smallest text of any figure
SUBTITLE_GAP = 4  # points between the axes and a subtitle
SUBTITLE_WIDTH = 150  # columns of 7-point text that fit a double-column panel
CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
    "Heiti SC",
    "AR PL UMing CN",
)

LABELS = {language: labels_for(language) for language in LANGUAGES}  # the catalogue, by language


CJK_FILE_HINTS = ("cjk", "wqy", "sourcehan", "simhei", "msyh", "pingfang", "uming", "ukai")  # font file names
PACKAGED_CJK = ("noto_cjk_sans_otc", "NotoSansCJK-Regular.ttc", "Noto Sans CJK SC")  # module, file, family
INSTALL_CJK = (
    "`pip install noto-cjk-sans-otc` (a dependency of digecon that carries the font), or a system font: "
    "`sudo apt-get install fonts-noto-cjk` (Debian/Ubuntu), `sudo dnf install google-noto-sans-cjk-fonts` "
    "(Fedora) or `brew install --cask font-noto-sans-cjk-sc` (macOS)"
)


def _known_cjk_family() -> str | None:
    """Return the first of ``CJK_FAMILIES`` in matplotlib's font list."""
    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FAMILIES if name in installed), None)


def packaged_cjk_font() -> str | None:
    """Register the Noto Sans CJK font that a dependency installs; return its Simplified Chinese family.

    Many machines that run the pipeline (servers, containers, CI) have no Chinese font, and
    matplotlib would draw every Chinese character as an empty box. The PyPI package
    ``noto-cjk-sans-otc`` carries Noto Sans CJK (SIL Open Font License) as a file, so wherever
    digecon installs it can draw Chinese, with no download at run time. matplotlib is told of the
    file for this process only (nothing is written to its cache or to the system).

    Returns
    -------
    str or None
        ``Noto Sans CJK SC``; None when the package is not installed or matplotlib cannot read the
        font from its file.
    """
    module, name, family = PACKAGED_CJK
    try:
        font_manager.fontManager.addfont(files(module) / name)  # a file on disk: pip installs unzipped
    except (ImportError, OSError, RuntimeError, ValueError):  # not installed, or a file FreeType cannot read
        return None
    # the file is a collection; matplotlib before 3.11 reads only its first (Japanese) face
    return family if family in {f.name for f in font_manager.fontManager.ttflist} else None


def cjk_font() -> str | None:
    """Name of a font family that can draw Chinese, or None: the system's if it has one, else the packaged one.

    matplotlib keeps its font list in a cache made when it first ran; a font installed later is
    not in it. So when the cached list has no CJK family, the system's font files are scanned and
    any CJK one found is added (no cache to delete by hand). Only when the system has none is the
    font of :func:`packaged_cjk_font` used.

    Returns
    -------
    str or None
        The first of ``CJK_FAMILIES`` that matplotlib knows (after the scan), else the packaged
        family; None when neither exists.
    """
    family = _known_cjk_family()
    if family is None:
        for path in font_manager.findSystemFonts():
            if any(hint in Path(path).name.lower() for hint in CJK_FILE_HINTS):
                try:
                    font_manager.fontManager.addfont(path)
                except (OSError, RuntimeError, ValueError):  # a font file matplotlib cannot parse
                    continue
        family = _known_cjk_family()
    return family or packaged_cjk_font()


@contextmanager
def house_style(language: str = "en") -> Iterator[dict[str, str]]:
    """Apply the package style (and a CJK font for Chinese); yield the label dictionary.

    Parameters
    ----------
    language
        ``en`` or ``zh``: which of ``LABELS`` to yield.

    Yields
    ------
    dict
        Label key -> text (or template, filled by the caller from the data). For ``zh`` without
        any CJK font (neither the system's nor the packaged one), the English labels, with a warning
        that says what to install (Chinese text would otherwise be drawn as empty boxes).

    Raises
    ------
    ValueError
        For a language other than ``en`` and ``zh``.
    """
    if language not in LABELS:
        raise ValueError(f"unknown language {language!r}; expected 'en' or 'zh'")
    extra = {}
    if language == "zh":
        font = cjk_font()
        if font is None:
            log.warning(
                "Chinese labels need a CJK font and none is installed: install one, e.g. %s, and run again. "
                "Drawing the figures with English labels meanwhile.",
                INSTALL_CJK,
            )
            language = "en"
        else:
            extra = {"font.sans-serif": [font, "DejaVu Sans"], "axes.unicode_minus": False}
    with (
        as_file(files("digecon.data").joinpath("digecon.mplstyle")) as style,
        plt.style.context(style),
        matplotlib.rc_context(extra),
    ):
        yield LABELS[language]


def language_of(labels: Mapping[str, str]) -> str:
    """Language of labels that :func:`house_style` yielded: ``en`` where Chinese fell back to English.

    Figures take their province names in this language, so that the names are never drawn in a
    script the figure's font lacks.
    """
    return next(language for language, words in LABELS.items() if words == labels)


def save_figure(
    fig: Figure,
    base: str | Path,
    formats: tuple[str, ...] = ("png", "svg"),
    *,
    thumbnail: str | Path | None = None,
    close: bool = True,
) -> list[Path]:
    """Write ``base.<format>`` without volatile metadata (byte-identical re-runs), and a thumbnail.

    Parameters
    ----------
    fig
        The figure; closed (with ``close``) even if writing fails.
    base
        Path without suffix; missing folders are made.
    formats
        File formats, each written as ``base.<format>``.
    thumbnail
        A PNG file for a small copy, at most ``THUMBNAIL_SIZE``: taken from the pixels of the PNG
        (needs ``png`` in ``formats``), so the figure is not drawn or read again.
    close
        Close ``fig`` afterwards; False keeps it to draw the next figure of a series on.

    Returns
    -------
    list of Path
        The files written, in the order of ``formats`` (the thumbnail not included).
    """
    metadata = {
        "svg": {"Date": None, "Creator": None},
        "pdf": {"CreationDate": None, "Creator": None, "Producer": None},
    }
    base = Path(base)
    base.parent.mkdir(parents=True, exist_ok=True)
    written = []
    try:
        _freeze_layout(fig)
        for fmt in formats:
            path = base.with_suffix(f".{fmt}")
            if fmt == "png":
                image = render_rgb(fig)
                dpi = matplotlib.rcParams["savefig.dpi"]
                # RGB at zlib level 1: half the time of matplotlib's RGBA PNG at level 6, files ~190 KB at
                # 300 dpi; Pillow writes no timestamp (byte-stable), and the dpi sets the printed size
                image.save(path, format="PNG", compress_level=1, dpi=(dpi, dpi))
                if thumbnail is not None:
                    _write_thumbnail(image, Path(thumbnail))
            else:
                fig.savefig(path, format=fmt, metadata=metadata.get(fmt))
            written.append(path)
    finally:
        if close:
            plt.close(fig)
    return written


def _freeze_layout(fig: Figure) -> None:
    """Lay out a constrained-layout figure once and keep the result, so each format's draw does not redo it."""
    engine = fig.get_layout_engine()
    if engine is not None:
        engine.execute(fig)
        fig.set_layout_engine("none")


def render_rgb(fig: Figure) -> Image.Image:
    """Draw ``fig`` once at ``savefig.dpi``, as ``savefig`` would, and give its pixels without the alpha channel.

    Parameters
    ----------
    fig
        An opaque figure (the style's white face).

    Returns
    -------
    PIL.Image.Image
        RGB pixels.
    """
    fig.savefig(io.BytesIO(), format="rgba")  # the savefig path: dpi and face colour as for a PNG
    pixels = np.asarray(fig.canvas.buffer_rgba())  # the Agg canvas keeps what it just drew
    return Image.fromarray(pixels[..., :3])


THUMBNAIL_SIZE = (420, 320)  # pixels, the largest a gallery card shows


def _write_thumbnail(image: Image.Image, path: Path) -> None:
    """Shrink the pixels of the PNG just saved into ``path``."""
    small = image.copy()
    small.thumbnail(THUMBNAIL_SIZE)
    path.parent.mkdir(parents=True, exist_ok=True)
    small.save(path, format="PNG")  # Pillow writes no timestamp: byte-stable


def _thousands(axis: matplotlib.axis.Axis) -> None:
    """Tick labels with thousands separators (20,000)."""
    axis.set_major_formatter(THOUSANDS)


THOUSANDS = matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:,.0f}")
WHOLE_YEARS = matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:.0f}")


def _percent(decimals: int, signed: bool = False) -> matplotlib.ticker.Formatter:
    """Tick labels such as ``2.5 %`` (or ``+5 %`` for growth)."""
    sign = "+" if signed else ""
    return matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:{sign}.{decimals}f} %".replace("+0 %", "0 %"))


def _year_axis(ax: Axes, step: int = 2) -> None:
    """Whole years as ticks (never 2002.5)."""
    ax.xaxis.set_major_locator(matplotlib.ticker.MultipleLocator(step))
    ax.xaxis.set_major_formatter(WHOLE_YEARS)


def _inches(fig: Figure, *, left: float, right: float, top: float, bottom: float) -> None:
    """Fix the margins in inches, so every figure of a series has its axes in the same place."""
    width, height = fig.get_size_inches()
    fig.subplots_adjust(left=left / width, right=1 - right / width, top=1 - top / height, bottom=bottom / height)


def legend_below(ax: Axes, handles: list, texts: list[str], *, ncols: int, gap: float = 16) -> None:
    """Put a legend under ``ax``, outside the data, its top ``gap`` points below the axes (under the ticks)."""
    below = matplotlib.transforms.offset_copy(ax.transAxes, fig=ax.figure, y=-gap, units="points")
    ax.legend(
        handles, texts, loc="upper center", bbox_to_anchor=(0.5, 0), bbox_transform=below, ncols=ncols, borderaxespad=0
    )


BENCHMARK_LINE = {"color": "#444444", "linewidth": 0.8, "linestyle": (0, (4, 2)), "zorder": 4}  # above bands, lines


def _mark_benchmarks(ax: Axes, years: list[int], label: str | None = None) -> None:
    """Dashed vertical lines at the benchmark years, drawn above the areas, bands and lines."""
    for i, year in enumerate(years):
        ax.axvline(year, label=label if i == 0 else None, **BENCHMARK_LINE)


AGGREGATE_SPAN = {"facecolor": "#7f7f7f", "alpha": 0.2, "linewidth": 0, "zorder": 1.5}  # over areas, under lines


def _mark_aggregate_years(ax: Axes, years: list[int], label: str | None = None) -> None:
    """Shade the years carried only by aggregates, each from half a year before to half a year after it.

    Drawn over stacked areas and bands (they show through, greyed) and under the lines; one span
    per run of consecutive years.
    """
    for i, run in enumerate(year_runs(years)):
        ax.axvspan(run[0] - 0.5, run[-1] + 0.5, label=label if i == 0 else None, **AGGREGATE_SPAN)


BAND_COLUMNS = ("lower_100m_yuan", "value_100m_yuan", "upper_100m_yuan")


def components_figure() -> tuple[Figure, Axes]:
    """Make an empty figure for :func:`plot_components`: double column, margins fixed for the legend below."""
    fig, ax = plt.subplots(figsize=(DOUBLE_COLUMN, 3.5))
    _inches(fig, left=0.7, right=0.15, top=0.3, bottom=0.95)
    return fig, ax


def plot_components(
    ax: Axes,
    data: pd.DataFrame,
    labels: dict[str, str],
    *,
    title: str,
    band: pd.DataFrame | None = None,
    benchmark_years: list[int] | None = None,
    breaks: list[int] | None = None,
    aggregate_years: list[int] | None = None,
    legend: bool = True,
) -> None:
    """Stacked components over time, with the band of the total, benchmark years and indicator breaks marked.

    Parameters
    ----------
    ax
        Axes to draw on.
    data
        One row per year x component: ``year``, ``component``, ``value_100m_yuan`` (亿元).
    labels
        A label dictionary of ``LABELS``.
    title
        Axes title.
    band
        ``year``, ``lower_100m_yuan``, ``upper_100m_yuan`` of the total, drawn dotted (optional).
    benchmark_years
        Years with an IO table, drawn as dashed vertical lines above the areas.
    breaks
        Years whose indicator the screen flagged (out of line with its national sum), marked by a triangle on the total.
    aggregate_years
        Years every component is carried only by an aggregate (nothing of the industries themselves
        reaches them), shaded grey.
    legend
        Whether to draw the legend (under the axes, outside the data).
    """
    wide = data.pivot_table(index="year", columns="component", values="value_100m_yuan", aggfunc="sum")
    wide = wide.reindex(columns=[c for c in COMPONENT_ORDER if c in wide.columns])
    years = wide.index.to_numpy()
    bottom = np.zeros(len(years))
    for component in wide.columns:
        colour, hatch = COMPONENT_STYLE[component]
        top = bottom + wide[component].to_numpy()
        ax.fill_between(
            years, bottom, top, facecolor=colour, edgecolor="white", hatch=hatch, linewidth=0.4, label=labels[component]
        )
        bottom = top
    if band is not None:
        band = band.set_index("year").reindex(years).astype({"lower_100m_yuan": float, "upper_100m_yuan": float})
        ax.plot(years, band["lower_100m_yuan"], color="#222222", linestyle=":", linewidth=1.1, label=labels["band"])
        ax.plot(years, band["upper_100m_yuan"], color="#222222", linestyle=":", linewidth=1.1)
    _mark_benchmarks(ax, benchmark_years or [], labels["benchmark"])
    _mark_aggregate_years(ax, aggregate_years or [], labels["aggregate_only"])
    marked = [y for y in breaks or [] if y in set(years)]
    if marked:
        total = wide.sum(axis=1)
        ax.plot(
            marked,
            total.loc[marked],
            linestyle="none",
            marker="v",
            markersize=6,
            color="black",
            markeredgecolor="white",
            zorder=5,
            label=labels["indicator_break"],
        )
    ax.set_xlim(years.min(), years.max())
    ax.set_ylim(0, None)
    ax.set_title(title, loc="left")
    ax.set_ylabel(labels["value"])
    _thousands(ax.yaxis)
    _year_axis(ax)
    if legend:
        legend_below(ax, *ax.get_legend_handles_labels(), ncols=2)


def small_multiples(totals: pd.DataFrame, labels: dict[str, str], *, shared_scale: bool) -> Figure:
    """Every province's total (with its band) on one page, up to six panels a row, in NBS order.

    Parameters
    ----------
    totals
        ``province_code``, ``name``, ``year``, ``value_100m_yuan``, ``lower_100m_yuan``,
        ``upper_100m_yuan``, ``flag``. Benchmark years are marked per province, since a province
        may lack some of the tables (Tibet has no early ones).
    labels
        A label dictionary of ``LABELS``.
    shared_scale
        One y scale for all panels (to compare sizes) or each its own (to compare paths).

    Returns
    -------
    Figure
        Double column wide; fewer than six provinces make one row of wider panels.

    Notes
    -----
    Panels share one x axis (and, with ``shared_scale``, one y axis) and have at most three y
    ticks: tick labels are most of the drawing time of 31 small axes.
    """
    names = totals.drop_duplicates("province_code").sort_values("province_code")
    columns = max(1, min(6, len(names)))
    rows = max(1, -(-len(names) // columns))
    # inches: a page wide whatever the number of provinces (a run of three has wider panels, not hidden ones)
    left, right, gap = 0.45, 0.1, (0.15 if shared_scale else 0.42)  # own scales need tick labels in the gaps
    panel = (DOUBLE_COLUMN - left - right - (columns - 1) * gap) / columns
    fig, axes = plt.subplots(
        rows, columns, figsize=(DOUBLE_COLUMN, 1.05 * rows + 0.75), sharex=True, sharey=shared_scale, squeeze=False
    )
    _inches(fig, left=left, right=right, top=0.45, bottom=0.4)
    fig.subplots_adjust(wspace=gap / panel, hspace=0.45)
    by_code = dict(tuple(totals.sort_values("year").groupby("province_code")))
    for ax, (code, name) in zip(axes.flat, zip(names["province_code"], names["name"], strict=True), strict=False):
        series = by_code[code]
        years = series["year"].to_numpy()
        lower, value, upper = (series[c].to_numpy(dtype=float) for c in BAND_COLUMNS)  # nullable dtypes too
        ax.fill_between(years, lower, upper, color="#0072B2", alpha=0.25, linewidth=0)
        ax.plot(years, value, color="#0072B2", linewidth=1.0)
        for year in series.loc[series["flag"] == "benchmark", "year"]:
            ax.axvline(year, color="#555555", linewidth=0.5, linestyle=(0, (3, 2)), zorder=3)
        # fixed (empty) axis-label places: matplotlib otherwise measures every panel's ticks, and its shared
        # siblings', on every draw to place them (with the titles, fixed by the style: half the drawing time)
        ax.set_title(name, fontsize=7, loc="left", pad=2, weight="normal")
        ax.xaxis.set_label_coords(0.5, -0.2)
        ax.yaxis.set_label_coords(-0.2, 0.5)
        if not shared_scale:
            ax.set_ylim(0, float(series["upper_100m_yuan"].max()) * 1.05)
    first = axes.flat[0]
    first.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(2, integer=True))
    first.xaxis.set_major_formatter(WHOLE_YEARS)
    for ax in axes.flat[: len(names)]:
        if not shared_scale or ax is first:  # shared axes share their locator and formatter
            ax.yaxis.set_major_locator(matplotlib.ticker.MaxNLocator(3))
            _thousands(ax.yaxis)
        ax.tick_params(labelsize=7, length=2, pad=1.5)
    if shared_scale:  # one limit for all, from the largest upper bound (not from the last panel drawn)
        first.set_ylim(0, float(totals["upper_100m_yuan"].max()) * 1.05)
    for ax in list(axes.flat)[len(names) :]:
        ax.set_visible(False)
    for column in range(axes.shape[1]):  # year labels under the lowest panel drawn in each column
        drawn = [ax for ax in axes[:, column] if ax.get_visible()]
        if drawn:
            drawn[-1].xaxis.set_tick_params(labelbottom=True)
    scale = labels["shared_scale"] if shared_scale else labels["own_scale"]
    title = labels["multiples_title"].format(scale=scale)
    fig.suptitle(title, x=left / DOUBLE_COLUMN, y=1 - 0.12 / fig.get_figheight(), ha="left", va="top", weight="bold")
    if len(names) % columns:  # the key in the empty end of the last row, outside every panel
        key = [
            matplotlib.lines.Line2D([], [], color="#0072B2", linewidth=1.0),
            matplotlib.patches.Patch(color="#0072B2", alpha=0.25, linewidth=0),
            matplotlib.lines.Line2D([], [], color="#555555", linewidth=0.5, linestyle=(0, (3, 2))),
        ]
        fig.legend(
            key,
            [labels["estimate"], labels["band"], labels["benchmark"]],
            loc="lower right",
            bbox_to_anchor=(0.98, 0.03),
        )
    return fig


def plot_categories(ax: Axes, data: pd.DataFrame, labels: dict[str, str], *, title: str, legend: bool = True) -> None:
    """Production and circulation over time (lines).

    Parameters
    ----------
    ax
        Axes to draw on.
    data
        ``year``, ``category`` (``production`` / ``circulation``), ``value_100m_yuan`` (summed by category).
    labels
        A label dictionary of ``LABELS``.
    title
        Axes title.
    legend
        Whether to draw the legend (under the axes).
    """
    wide = data.pivot_table(index="year", columns="category", values="value_100m_yuan", aggfunc="sum")
    for category, (colour, style) in (("production", ("#0072B2", "-")), ("circulation", ("#D55E00", "--"))):
        ax.plot(wide.index, wide[category], color=colour, linestyle=style, label=labels[category])
    ax.set_title(title, loc="left")
    ax.set_ylabel(labels["value"])
    ax.set_ylim(0, None)
    ax.set_xlim(wide.index.min(), wide.index.max())
    _thousands(ax.yaxis)
    _year_axis(ax, step=4)
    if legend:
        legend_below(ax, *ax.get_legend_handles_labels(), ncols=2)


def plot_ranking(
    ax: Axes, values: pd.Series, labels: dict[str, str], *, title: str, xlabel: str, highlight: float | None = None
) -> None:
    """Horizontal bars of ``values``, largest on top.

    Parameters
    ----------
    ax
        Axes to draw on.
    values
        Values indexed by province name.
    labels
        A label dictionary of ``LABELS``; ``national_sum``, its count filled in, names the highlight line.
    title, xlabel
        Axes title and x label.
    highlight
        A value to mark with a dashed line (China's), if any; its legend goes under the axes.
    """
    ordered = values.sort_values()
    ax.barh(ordered.index, ordered.to_numpy(), color="#0072B2", height=0.7)
    if highlight is not None:
        ax.axvline(highlight, color="#D55E00", linestyle="--", linewidth=1.0, label=labels["national_sum"], zorder=4)
        legend_below(ax, *ax.get_legend_handles_labels(), ncols=1, gap=26)
    ax.set_title(title, loc="left")
    ax.set_xlabel(xlabel)
    ax.grid(axis="x")
    ax.grid(axis="y", visible=False)
    ax.tick_params(axis="y", labelsize=7, length=0)
    ax.margins(y=0.01)


def plot_heatmap(ax: Axes, wide: pd.DataFrame, labels: dict[str, str], *, title: str) -> None:
    """Province x year heatmap of the share of GDP, with a colour bar in %.

    Parameters
    ----------
    ax
        Axes to draw on.
    wide
        Index province names, columns years, cells the share of GDP in %.
    labels
        A label dictionary of ``LABELS``.
    title
        Axes title.
    """
    image = ax.imshow(wide.to_numpy(), aspect="auto", cmap="cividis", interpolation="nearest")
    _grid_ticks(ax, wide)
    ax.set_title(title, loc="left")
    bar = ax.figure.colorbar(image, ax=ax, fraction=0.035, pad=0.015, format=_percent(_decimals(wide.to_numpy())))
    bar.set_label(labels["share_short"])


def _grid_ticks(ax: Axes, wide: pd.DataFrame) -> None:
    """Row names on the left and every other year below, for a province x year grid."""
    ax.set_yticks(range(len(wide.index)), wide.index)
    ax.set_xticks(range(0, len(wide.columns), 2), [str(c) for c in wide.columns[::2]])
    ax.tick_params(length=0, labelsize=7)
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set_visible(False)


def _decimals(values: np.ndarray) -> int:
    """Decimals that tell colour-bar ticks apart: none above a range of 10, one below."""
    finite = values[np.isfinite(values)]
    return 0 if finite.size == 0 or np.ptp(finite) >= 10 else 1


GROWTH_CMAP = "RdBu"  # diverging, colour-blind-safe (ColorBrewer): red falls, blue rises, white 0


def growth_norm(values: np.ndarray, quantile: float = 0.98) -> tuple[matplotlib.colors.Normalize, float | None]:
    """Centre a diverging scale at 0, capped at the ``quantile`` of |growth| (one outlier must not wash out the rest).

    Parameters
    ----------
    values
        Growth rates, %; NaN ignored.
    quantile
        Share of the values inside the scale.

    Returns
    -------
    (Normalize, float or None)
        The scale, and its cap where some value lies beyond it (None when none does).
    """
    finite = np.abs(values[np.isfinite(values)])
    if finite.size == 0:
        return matplotlib.colors.CenteredNorm(0.0, 1.0), None
    cap = float(np.quantile(finite, quantile)) or float(finite.max()) or 1.0
    return matplotlib.colors.CenteredNorm(0.0, cap), (cap if finite.max() > cap else None)


MISSING_HATCH = {"facecolor": MISSING_TILE, "edgecolor": "#b0b0b0", "hatch": "////", "linewidth": 0}


def plot_growth_heatmap(
    ax: Axes,
    wide: pd.DataFrame,
    labels: dict[str, str],
    *,
    title: str,
    note: str = "",
    marked: pd.DataFrame | None = None,
) -> matplotlib.colorbar.Colorbar:
    """Province x year heatmap of real growth on a diverging scale centred at 0; empty cells hatched grey.

    Parameters
    ----------
    ax
        Axes to draw on.
    wide
        Index names (China first), columns years, cells the real growth in % (NaN: no real value).
    labels
        A label dictionary of ``LABELS``.
    title
        Axes title.
    note
        Said under the grid (which cells are empty and why; the cap of the scale), outside the data.
    marked
        Same shape as ``wide``: True where the value rests on the GDP deflator (a dot in the cell).

    Returns
    -------
    Colorbar
        The colour bar (its ticks signed percentages).
    """
    values = wide.to_numpy(dtype=float)
    norm, cap = growth_norm(values)
    cmap = matplotlib.colormaps[GROWTH_CMAP].with_extremes(bad=(0, 0, 0, 0))  # empty cells show the hatching
    rows, columns = values.shape
    ax.add_patch(matplotlib.patches.Rectangle((-0.5, -0.5), columns, rows, zorder=0, **MISSING_HATCH))
    image = ax.imshow(values, aspect="auto", cmap=cmap, norm=norm, interpolation="nearest", zorder=1)
    _grid_ticks(ax, wide)
    if marked is not None and marked.to_numpy(dtype=bool).any():
        rows_at, columns_at = np.nonzero(marked.to_numpy(dtype=bool))
        ax.scatter(columns_at, rows_at, s=3, color="black", linewidths=0, zorder=3, label=labels["real_growth_dot"])
    ax.axhline(0.5, color="white", linewidth=2, zorder=2)  # China apart from the provinces
    ax.set_title(title, loc="left")
    bar = ax.figure.colorbar(
        image, ax=ax, fraction=0.035, pad=0.015, extend="both" if cap else "neither", format=_percent(0, signed=True)
    )
    bar.set_label(labels["real_growth_axis"])
    if not np.isfinite(values).any():
        ax.text(columns / 2 - 0.5, rows / 2 - 0.5, labels["real_growth_empty"], ha="center", va="center", zorder=3)
    if note:
        ax.annotate(
            wrap(note, NOTE_COLUMNS),
            xy=(0, 0),
            xycoords="axes fraction",
            xytext=(0, -22),
            textcoords="offset points",
            ha="left",
            va="top",
            fontsize=7,
        )
    return bar


TILE = 0.94  # side of a tile in grid units (the rest is the white gap)
TILE_SCALES = ("linear", "log", "diverging")


def tile_norm(values: pd.Series, scale: str) -> tuple[matplotlib.colors.Normalize, str]:
    """Choose the colour scale and colour map of a tile map.

    Parameters
    ----------
    values
        The finite values shown.
    scale
        ``linear``, ``log`` (levels spanning orders of magnitude; linear if some value is not
        positive) or ``diverging`` (growth: centred at 0).

    Returns
    -------
    (Normalize, str)
        The scale and the colour map's name.

    Raises
    ------
    ValueError
        For another scale.
    """
    if scale not in TILE_SCALES:
        raise ValueError(f"unknown tile scale {scale!r}; expected one of {', '.join(TILE_SCALES)}")
    low, high = float(values.min()), float(values.max())
    if scale == "diverging":
        return growth_norm(values.to_numpy(dtype=float), quantile=1.0)[0], GROWTH_CMAP
    if scale == "log" and low > 0:
        return matplotlib.colors.LogNorm(vmin=low, vmax=high), "cividis"
    return matplotlib.colors.Normalize(vmin=low, vmax=high), "cividis"


def tile_figure(tiles: pd.DataFrame) -> tuple[Figure, Axes]:
    """Make a double-column figure shaped like the tile grid, its one axes filling it (no margins).

    Parameters
    ----------
    tiles
        ``province_code``, ``column``, ``row`` of every tile.

    Returns
    -------
    (Figure, Axes)
    """
    columns, rows = int(tiles["column"].max()) + 1, int(tiles["row"].max()) + 1
    fig = plt.figure(figsize=(DOUBLE_COLUMN, DOUBLE_COLUMN * rows / columns))
    ax = fig.add_axes((0, 0, 1, 1))
    return fig, ax


def plot_tile_map(
    ax: Axes,
    values: pd.Series,
    tiles: pd.DataFrame,
    names: pd.Series,
    *,
    title: str,
    unit_label: str,
    fmt: str = "{:,.0f}",
    scale: str = "linear",
    ticks: matplotlib.ticker.Formatter = THOUSANDS,
    missing_label: str = "",
) -> None:
    """Tile-grid map: each province a square in its rough place, coloured by ``values``.

    The title and a horizontal colour bar sit in the empty north-west corner of the grid (Xinjiang
    starts on the third row), so the tiles fill the figure.

    Parameters
    ----------
    ax
        Axes to draw on (best :func:`tile_figure`'s).
    values
        Values by province code; a province without a (finite) value is an empty grey tile, so a
        run on a few provinces still shows the whole country.
    tiles
        ``province_code``, ``column``, ``row`` of every tile.
    names
        Province code -> label.
    title, unit_label
        Title and colour-bar label.
    fmt
        Format of the value printed on each tile.
    scale
        See :func:`tile_norm`.
    ticks
        Formatter of the colour-bar ticks.
    missing_label
        Explains the grey tile, in the south-west corner, where some tile has no value.
    """
    shown = values[values.index.isin(tiles["province_code"]) & np.isfinite(values.astype(float))]
    norm, cmap = tile_norm(shown, scale)
    colours = matplotlib.colormaps[cmap]
    for tile in tiles.itertuples(index=False):
        value = values.get(tile.province_code, np.nan)
        _draw_tile(ax, tile.column, tile.row, names[tile.province_code], value, colours, norm, fmt)
    columns, rows = int(tiles["column"].max()) + 1, int(tiles["row"].max()) + 1
    ax.set_xlim(-0.08, columns - 1 + TILE + 0.08)
    ax.set_ylim(-(rows - 1) - 0.08, TILE + 0.08)
    ax.axis("off")
    ax.text(0, TILE, title, ha="left", va="top", fontsize=9, weight="bold", wrap=True)
    # in data units: 3.4 tiles wide, under the title, inside the empty corner of the first two rows
    bar_axes = ax.inset_axes((0.05, -0.65, 3.4, 0.16), transform=ax.transData)
    bar = ax.figure.colorbar(
        matplotlib.cm.ScalarMappable(norm=norm, cmap=colours), cax=bar_axes, orientation="horizontal", format=ticks
    )
    if isinstance(norm, matplotlib.colors.LogNorm):
        bar_axes.xaxis.set_major_locator(matplotlib.ticker.LogLocator(subs=(1.0, 2.0, 5.0)))
        bar_axes.xaxis.set_minor_locator(matplotlib.ticker.NullLocator())
        bar_axes.xaxis.set_major_formatter(ticks)
    bar.ax.tick_params(labelsize=7)
    bar.ax.set_title(unit_label, fontsize=8, loc="left", pad=3, weight="normal")
    missing = ~tiles["province_code"].map(values).astype(float).apply(np.isfinite)
    if missing_label and missing.any():
        ax.add_patch(matplotlib.patches.Rectangle((0.05, -(rows - 1) + 0.1), 0.25, 0.25, facecolor=MISSING_TILE))
        ax.text(0.4, -(rows - 1) + 0.225, missing_label, va="center", fontsize=7, color="#555555")


NOTE_COLUMNS = 125  # columns of 7-point text across a double-column figure


def wrap(text: str, width: int) -> str:
    """Break ``text`` into lines of at most ``width`` display columns: between words, or between CJK characters.

    Parameters
    ----------
    text
        English or Chinese text (or both).
    width
        Columns per line (a CJK character takes two).

    Returns
    -------
    str
        The lines joined by newlines.
    """
    lines = [""]
    for token in WRAP_TOKENS.findall(text):
        if lines[-1] and _columns(lines[-1] + token.rstrip()) > width:
            lines[-1] = lines[-1].rstrip()
            lines.append(token.lstrip())
        else:
            lines[-1] += token
    return "\n".join(line.rstrip() for line in lines)


WIDE = "\u2e80-\u9fff\u3000-\u303f\uff00-\uffef"  # CJK characters and punctuation: a line may break at each
WRAP_TOKENS = re.compile(rf"[{WIDE}]|[^\s{WIDE}]+\s*|\s+")


def _tile_name(name: str) -> str:
    """Break a long two-word name (Inner Mongolia) in two lines, so the tile keeps a legible font."""
    return name.replace(" ", "\n", 1) if len(name) > 11 else name


def _draw_tile(
    ax: Axes,
    column: int,
    row: int,
    name: str,
    value: float,
    colours: matplotlib.colors.Colormap,
    norm: matplotlib.colors.Normalize,
    fmt: str,
) -> None:
    """One tile: its colour, the province name and the value (name only, greyed, when there is none)."""
    present = bool(np.isfinite(value))
    face = colours(norm(value)) if present else MISSING_TILE
    ax.add_patch(matplotlib.patches.Rectangle((column, -row), TILE, TILE, facecolor=face, edgecolor="none"))
    luminance = np.dot(matplotlib.colors.to_rgb(face), [0.299, 0.587, 0.114])
    text_colour = ("black" if luminance > 0.5 else "white") if present else MISSING_TEXT
    middle = column + TILE / 2
    ax.text(middle, -row + 0.64, _tile_name(name), ha="center", va="center", fontsize=7.5, color=text_colour)
    if present:
        ax.text(
            middle,
            -row + 0.27,
            fmt.format(value),
            ha="center",
            va="center",
            fontsize=8,
            color=text_colour,
            weight="bold",
        )


METHOD_HATCH = {  # band hatching per method
    "hold": "",
    "linear": "////",
    "spline": "\\\\\\\\",
    "chow_lin": "....",
    "national": "xxxx",
}


def methods_figure() -> tuple[Figure, Axes]:
    """Make an empty figure for :func:`plot_methods`: double column, margins fixed for the legend below."""
    fig, ax = plt.subplots(figsize=(DOUBLE_COLUMN, 3.2))
    _inches(fig, left=0.7, right=0.15, top=0.3, bottom=0.7)  # two legend rows
    return fig, ax


def plot_methods(
    ax: Axes,
    data: pd.DataFrame,
    labels: dict[str, str],
    *,
    title: str,
    benchmark_years: list[int],
    aggregate_years: list[int] | None = None,
) -> None:
    """Every method's path of the total, with its band; ``hold`` is drawn as steps.

    Each band is filled lightly in the method's colour, hatched in its own pattern and outlined in
    the method's line style, so overlapping bands stay apart in colour and in greyscale; where a
    method's band is the same as that of a method drawn before it, it is drawn once
    (:func:`_unshared`). The benchmark years are drawn above them.

    Parameters
    ----------
    ax
        Axes to draw on.
    data
        ``method``, ``year``, ``value_100m_yuan``, ``lower_100m_yuan``, ``upper_100m_yuan`` of one province.
    labels
        A label dictionary of ``LABELS``.
    title
        Axes title.
    benchmark_years
        Years with an IO table, drawn as dashed vertical lines.
    aggregate_years
        Years carried only by aggregates (every component), shaded grey.
    """
    handles, texts = [], []
    drawn: list[pd.DataFrame] = []  # bands already drawn as lines (not steps), by year
    for method, (colour, style) in METHOD_STYLE.items():
        series = data[data["method"] == method].sort_values("year")
        if series.empty:
            continue
        steps = "post" if method == "hold" else None
        years = series["year"].to_numpy()
        lower, value, upper = (series[c].to_numpy(dtype=float) for c in BAND_COLUMNS)
        if not steps:
            band_of = series.set_index("year")[["lower_100m_yuan", "upper_100m_yuan"]]
            lower, upper = _unshared(band_of, drawn)
            drawn.append(band_of)
        band = ax.fill_between(
            years,
            lower,
            upper,
            facecolor=matplotlib.colors.to_rgba(colour, 0.07),
            edgecolor=matplotlib.colors.to_rgba(colour, 0.45),
            hatch=METHOD_HATCH.get(method, ""),
            linewidth=0,
            step=steps,
        )
        for bound in (lower, upper):
            ax.plot(
                years,
                bound,
                color=colour,
                linestyle=style,
                linewidth=0.5,
                alpha=0.8,
                drawstyle="steps-post" if steps else "default",
            )
        (line,) = ax.plot(
            years,
            value,
            color=colour,
            linestyle=style,
            linewidth=1.5,
            drawstyle="steps-post" if steps else "default",
            zorder=3,
        )
        handles.append((band, line))
        texts.append(labels[method])  # the swatch shows the line over its band
    _mark_benchmarks(ax, benchmark_years)
    handles.append(matplotlib.lines.Line2D([], [], **{k: v for k, v in BENCHMARK_LINE.items() if k != "zorder"}))
    texts.append(labels["benchmark"])
    if aggregate_years:
        _mark_aggregate_years(ax, aggregate_years)
        handles.append(matplotlib.patches.Patch(**{k: v for k, v in AGGREGATE_SPAN.items() if k != "zorder"}))
        texts.append(labels["aggregate_only"])
    ax.set_title(title, loc="left")
    ax.set_ylabel(labels["value"])
    ax.set_ylim(0, None)
    ax.set_xlim(data["year"].min(), data["year"].max())
    _thousands(ax.yaxis)
    _year_axis(ax)
    # five methods, the benchmark line and the aggregate-only years do not fit one row of a page's width
    legend_below(ax, handles, texts, ncols=-(-len(handles) // 2))


def _unshared(band: pd.DataFrame, drawn: list[pd.DataFrame]) -> tuple[np.ndarray, np.ndarray]:
    """Give a band's lower and upper bounds, NaN where an earlier method's band is the same on both sides.

    Methods often share their band (after the last benchmark most extrapolate alike, with the same
    rule): drawn once, the band stays readable instead of four hatchings on top of each other. A
    segment between two years is left out only if it is the same at both ends, so what is drawn is
    exactly what differs.
    """
    lower, upper = (band[c].to_numpy(dtype=float) for c in ("lower_100m_yuan", "upper_100m_yuan"))
    same = np.zeros(len(band), dtype=bool)
    for earlier in drawn:
        theirs = earlier.reindex(band.index)
        same |= np.isclose(lower, theirs["lower_100m_yuan"], rtol=1e-9) & np.isclose(
            upper, theirs["upper_100m_yuan"], rtol=1e-9
        )
    padded = np.concatenate([[True], same, [True]])
    hidden = padded[:-2] & padded[1:-1] & padded[2:]  # the segments on both sides of the year are shared
    return np.where(hidden, np.nan, lower), np.where(hidden, np.nan, upper)


def plot_backtest(
    ax: Axes, errors: pd.DataFrame, labels: dict[str, str], *, title: str, subtitle: str = "", legend: bool = True
) -> None:
    """Distribution of held-out errors by component and method (box plots, APE in %).

    Parameters
    ----------
    ax
        Axes to draw on.
    errors
        ``component`` (including ``total``), ``method``, ``ape`` (a fraction).
    labels
        A label dictionary of ``LABELS``.
    title
        Axes title (bold), e.g. :attr:`BacktestPanel.heading`.
    subtitle
        Lines under the title, e.g. :meth:`BacktestPanel.subtitle`: which designs are pooled.
    legend
        Whether to draw the methods' legend under the axes (a figure of many panels draws one for all).
    """
    components = [c for c in (*COMPONENT_ORDER, "total") if c in set(errors["component"])]
    methods = [m for m in METHOD_STYLE if m in set(errors["method"])]
    width = 0.8 / len(methods)
    groups = dict(tuple(errors.groupby(["component", "method"])["ape"]))
    for j, method in enumerate(methods):
        colour, _ = METHOD_STYLE[method]
        data = [groups.get((c, method), pd.Series(dtype=float)).dropna() * 100 for c in components]
        positions = np.arange(len(components)) + (j - (len(methods) - 1) / 2) * width
        parts = ax.boxplot(
            data,
            positions=positions,
            widths=width * 0.85,
            patch_artist=True,
            showfliers=False,
            medianprops={"color": "black", "linewidth": 1.0},
            whiskerprops={"linewidth": 0.7},
            capprops={"linewidth": 0.7},
        )
        for box in parts["boxes"]:
            box.set(
                facecolor=colour,
                alpha=0.75,
                hatch=["", "//", "..", "xx", "\\\\"][j % 5],
                edgecolor="black",
                linewidth=0.5,
            )
        parts["boxes"][0].set_label(labels[method])  # the legend shows the box's colour and hatch
    ax.set_xticks(range(len(components)), [labels[f"short_{c}"] for c in components])
    ax.tick_params(axis="x", length=0)
    ax.set_ylabel(labels["ape_axis"])
    ax.set_ylim(0, None)
    if subtitle:
        lines = subtitle.count("\n") + 1
        ax.annotate(
            subtitle,
            xy=(0, 1),
            xycoords="axes fraction",
            xytext=(0, SUBTITLE_GAP),
            textcoords="offset points",
            ha="left",
            va="bottom",
            fontsize=SUBTITLE_SIZE,
        )
        # lift the title above the subtitle: line height ~1.2 x font size, in points
        ax.set_title(title, loc="left", pad=SUBTITLE_GAP + lines * SUBTITLE_SIZE * 1.25 + 3)
    else:
        ax.set_title(title, loc="left")
    if legend:
        legend_below(ax, *ax.get_legend_handles_labels(), ncols=len(methods))


def design_names(errors: pd.DataFrame, labels: dict[str, str]) -> dict[str, str]:
    """Display name of each backtest design, keyed by its ``design_label``.

    Parameters
    ----------
    errors
        Backtest rows with ``design_label``, ``holdout_year`` and ``benchmarks_used``
        (comma-separated years).
    labels
        A label dictionary of ``LABELS``: its ``design`` template receives ``design_label``,
        ``holdout`` and ``used`` (the benchmarks most of the design's provinces were estimated
        from: a province with fewer tables, such as Tibet, uses fewer).

    Returns
    -------
    dict
        ``design_label`` -> name in the language of ``labels``.
    """
    names = {}
    for design, rows in errors.groupby("design_label", sort=False):
        used = rows["benchmarks_used"].dropna().astype(str)
        years = used.mode().iloc[0].split(",") if not used.empty else []
        names[str(design)] = labels["design"].format(
            design_label=design,
            holdout=int(rows["holdout_year"].iloc[0]),
            used=labels["year_separator"].join(y.strip() for y in years),
        )
    return names


@dataclass(frozen=True)
class BacktestPanel:
    """One panel of the backtest figure: what it pools (kind, distance, designs) and its rows."""

    heading: str  # kind and distance to the nearest benchmark
    designs: tuple[str, ...]  # each design pooled, with its number of provinces
    rows: pd.DataFrame
    separator: str = "; "  # between designs, in the language of the labels

    def subtitle(self, width: int = SUBTITLE_WIDTH) -> str:
        """Break the designs into lines that fit a panel.

        Parameters
        ----------
        width
            Most columns a line may take (CJK characters count two).

        Returns
        -------
        str
            The designs joined by ``separator``, lines joined by newlines.
        """
        lines: list[str] = []
        for design in self.designs:
            joined = f"{lines[-1]}{self.separator}{design}" if lines else design
            if lines and _columns(joined) <= width:
                lines[-1] = joined
            else:
                lines.append(design)
        return "\n".join(lines)


def _columns(text: str) -> int:
    """Display width of ``text``: wide (CJK) characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def backtest_panels(errors: pd.DataFrame, labels: dict[str, str]) -> list[BacktestPanel]:
    """Split backtest rows into panels, one per kind and distance to the nearest benchmark.

    Errors grow with the distance to the nearest benchmark, so designs are pooled only at the
    same kind and distance; every heading and design name comes from the data, never from literals.

    Parameters
    ----------
    errors
        Backtest rows with ``kind``, ``distance_years``, ``design_label``, ``holdout_year``,
        ``benchmarks_used`` and ``province_code``.
    labels
        A label dictionary of ``LABELS``.

    Returns
    -------
    list of BacktestPanel
        In the order interpolation, extrapolation (then any other kind), each by distance; the
        designs of a panel by held-out year, each with its number of provinces.
    """
    names = design_names(errors, labels)
    rank = {kind: i for i, kind in enumerate(BACKTEST_KINDS)}
    groups = sorted(
        errors.groupby(["kind", "distance_years"]), key=lambda g: (rank.get(g[0][0], len(rank)), g[0][0], g[0][1])
    )
    panels = []
    for (kind, distance), rows in groups:
        designs = (
            rows.groupby("design_label")
            .agg(holdout=("holdout_year", "min"), n=("province_code", "nunique"))
            .sort_values(["holdout", "n"], ascending=[True, False], kind="stable")
        )
        comma = labels["clause_separator"]
        panels.append(
            BacktestPanel(
                heading=f"{labels.get(kind, kind)}{comma}{labels['distance'].format(n=int(distance))}",
                designs=tuple(
                    f"{names[str(d)]}{comma}{labels['n_provinces'].format(n=int(r.n))}" for d, r in designs.iterrows()
                ),
                rows=rows,
                separator=labels["item_separator"],
            )
        )
    return panels


COVERAGE_KIND_STYLE = {"interpolation": ("#0072B2", -0.3), "extrapolation": ("#D55E00", 0.3)}  # colour, x offset
COVERAGE_TOLERANCE = 0.1  # the target: nested coverage within 10 points of nominal


def plot_coverage(ax: Axes, coverage: pd.DataFrame, labels: dict[str, str], *, title: str) -> None:
    """Band coverage by distance, nested and in-sample, against the nominal level (one component).

    Parameters
    ----------
    ax
        Axes to draw on.
    coverage
        :func:`digecon.estimation.bands.coverage_by_distance` rows of one component, method and
        convention: ``kind``, ``distance_years``, ``nominal``, ``coverage_nested``,
        ``coverage_in_sample`` (fractions) and ``band_from``.
    labels
        A label dictionary of ``LABELS``.
    title
        Axes title.

    Notes
    -----
    Nested points are open where the band came from the rule rather than from errors measured at
    that distance by the other designs (``band_from`` other than ``measured``); the two kinds are
    drawn a little apart so points at the same distance do not hide each other.
    """
    nominal = float(coverage["nominal"].iloc[0]) * 100
    ax.axhspan(nominal - COVERAGE_TOLERANCE * 100, nominal + COVERAGE_TOLERANCE * 100, color="#dddddd", linewidth=0)
    ax.axhline(nominal, color="#666666", linestyle="--", linewidth=0.9, label=labels["coverage_nominal"])
    for kind, (colour, offset) in COVERAGE_KIND_STYLE.items():
        rows = coverage[coverage["kind"] == kind].sort_values("distance_years")
        if rows.empty:
            continue
        x = rows["distance_years"].to_numpy(float) + offset
        name = labels.get(kind, kind)
        comma = labels["clause_separator"]
        ax.plot(
            x,
            rows["coverage_in_sample"] * 100,
            color=colour,
            linestyle=":",
            marker="s",
            markersize=3.5,
            label=f"{name}{comma}{labels['coverage_in_sample']}",
        )
        nested = rows["coverage_nested"].to_numpy(float) * 100
        ax.plot(x, nested, color=colour, marker="o", markersize=5.5, label=f"{name}{comma}{labels['coverage_nested']}")
        ruled = (rows["band_from"] != "measured").to_numpy()
        ax.scatter(x[ruled], nested[ruled], facecolor="white", edgecolor=colour, zorder=3, s=28, linewidths=1.2)
    ax.scatter([], [], facecolor="white", edgecolor="#444444", s=28, label=labels["coverage_open"])
    ax.set_xticks(sorted(coverage["distance_years"].unique()))
    ax.set_ylim(0, 105)
    ax.set_xlabel(labels["coverage_distance"])
    ax.set_ylabel(labels["coverage_axis"])
    ax.set_title(title, loc="left")


NATIONAL_RATIO_MARKERS = {"benchmark": ("o", True), "control": ("D", False)}  # year kind -> marker, filled


def plot_national_ratio(ax: Axes, data: pd.DataFrame, labels: dict[str, str], *, component: str, title: str) -> None:
    """Draw the provinces' sum over the national table, by year, for one component (filled: benchmark years).

    Parameters
    ----------
    ax
        Axes to draw on.
    data
        Rows of :func:`digecon.estimation.national.national_consistency` for one component, method
        and convention: ``year``, ``year_kind`` (``benchmark`` or ``control``) and ``ratio``.
    labels
        A label dictionary of ``LABELS``.
    component
        The component key (its colour; ``total`` is black).
    title
        Axes title.

    Notes
    -----
    Benchmark years (the provinces' own tables) are filled circles, control years (a national
    table only, against the provinces' estimates) open diamonds; each point is labelled with its
    ratio. The dashed line is parity; nothing is rescaled to it.
    """
    colour = COMPONENT_STYLE.get(component, ("#000000", ""))[0]
    rows = data.dropna(subset=["ratio"]).sort_values("year")
    ax.axhline(1.0, color="#666666", linestyle="--", linewidth=0.9, label=labels["national_ratio_parity"])
    ax.plot(rows["year"], rows["ratio"], color=colour, linewidth=0.9, alpha=0.6)
    for kind, (marker, filled) in NATIONAL_RATIO_MARKERS.items():
        points = rows[rows["year_kind"] == kind]
        ax.scatter(
            points["year"],
            points["ratio"],
            marker=marker,
            s=36,
            color=colour if filled else "white",
            edgecolors=colour,
            linewidths=1.2,
            zorder=3,
            label=labels[f"national_ratio_{kind}"],
        )
    # benchmark years labelled above left of their point, control years below right: neighbouring years
    # (2017, 2018) keep their labels apart whichever is higher
    for year, ratio, kind in zip(rows["year"], rows["ratio"], rows["year_kind"], strict=True):
        above = kind == "benchmark"
        ax.annotate(
            f"{ratio:.2f}",
            (year, ratio),
            xytext=(-2, 5) if above else (2, -5),
            textcoords="offset points",
            ha="right" if above else "left",
            va="bottom" if above else "top",
            fontsize=7,
        )
    ax.set_title(title, loc="left")
    ax.set_ylabel(labels["national_ratio_axis"])
    ax.margins(x=0.12, y=0.15)  # room for the labels of the first and last years
    _year_axis(ax, step=5)
