"""Figures of the estimates.

Every function takes data and an Axes (or returns a Figure); none saves or shows.
:func:`save_figure` writes byte-stable PNG/SVG files and closes the figure.

Colours follow the Okabe-Ito palette; the two circulation components are also hatched so the
stacked areas stay distinct in greyscale. Labels are English by default, Chinese on request.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Iterator
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
}
MISSING_TILE = "#eeeeee"  # a province outside the run (or without a value)
MISSING_TEXT = "#9a9a9a"
BACKTEST_KINDS = ("interpolation", "extrapolation")
SUBTITLE_SIZE = 8  # points
SUBTITLE_GAP = 4  # points between the axes and a subtitle
SUBTITLE_WIDTH = 130  # columns of 8-point text that fit a 9-inch-wide panel
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

LABELS = {
    "en": {
        "electronics": "Electronics (C39)",
        "it_services": "Internet, software & IT (I64-65)",
        "telecom": "Telecom & broadcasting transmission (I63)",
        "media": "Radio, TV, film, publishing (R86-87)",
        "production": "Production",
        "circulation": "Circulation",
        "total": "Total",
        "value": "Value added, 100 million yuan",
        "share": "Share of GDP, %",
        "growth": "Growth, %",
        "year": "Year",
        "benchmark": "IO benchmark year",
        "indicator_break": "Indicator break (jump beyond the threshold)",
        "band": "Uncertainty band (backtest)",
        "ape": "Absolute % error of held-out benchmark",
        "national": "China, sum of {n} provinces",
        "hold": "hold",
        "linear": "linear",
        "spline": "spline",
        "chow_lin": "Chow-Lin",
        "interpolation": "interpolation",
        "extrapolation": "extrapolation",
        "distance": "{n} years from the nearest benchmark",
        # the backtest table's own label of a design (English); Chinese is composed from its years
        "design": "{design_label}",
        "year_separator": ", ",
        "clause_separator": ", ",
        "item_separator": "; ",
        "n_provinces": "n = {n}",
        # figure titles: fixed text around the parts that come from the data
        "province_title": "{name}: digital-economy value added by component",
        "methods_title": "{name}: total under every method",
        "national_components": "{national}: by component",
        "national_categories": "{national}: production and circulation",
        "level_title": "Level, {year}",
        "share_title": "Share of GDP, {year}",
        "heatmap_title": "Share of GDP by province and year",
        "in_year": "{what}, {year}",
        "growth_span": "{growth} ({start}-{end}, per year)",
        "multiples_title": "{total}: {value} ({scale})",
        "shared_scale": "same scale for all provinces",
        "own_scale": "each province on its own scale",
        "ape_axis": "Absolute % error of held-out benchmark, %",
        "short_electronics": "Electronics",
        "short_it_services": "IT services",
        "short_telecom": "Telecom",
        "short_media": "Media",
        "short_total": "Total",
        "national_ratio_title": "Provinces' sum / national IO table, by component",
        "national_ratio_axis": "Provinces' sum / national table",
        "national_ratio_benchmark": "regional benchmark year (provinces' own tables)",
        "national_ratio_control": "control year (national table only; provinces' estimates)",
        "national_ratio_parity": "parity (sum = national)",
        "coverage_title": "Coverage of the {n} % bands by distance to the nearest benchmark",
        "coverage_axis": "Held-out actuals inside the band, %",
        "coverage_distance": "Years from the nearest benchmark used",
        "coverage_nested": "nested (band without the held-out design)",
        "coverage_in_sample": "in-sample (band from every design)",
        "coverage_nominal": "nominal level, ± 10 points",
        "coverage_open": "open: no other design measured that distance",
    },
    "zh": {
        "electronics": "电子设备制造 (C39)",
        "it_services": "互联网、软件和信息技术服务 (I64-65)",
        "telecom": "电信、广播电视和卫星传输 (I63)",
        "media": "广播电视电影、新闻出版 (R86-87)",
        "production": "数字产品制造",
        "circulation": "数字流通",
        "total": "合计",
        "value": "增加值（亿元）",
        "share": "占GDP比重（%）",
        "growth": "增长率（%）",
        "year": "年份",
        "benchmark": "投入产出表年份",
        "indicator_break": "指标异常跳变",
        "band": "不确定区间（回测）",
        "ape": "留出基准年的绝对百分比误差",
        "national": "全国（{n}省合计）",
        "hold": "保持",
        "linear": "线性",
        "spline": "样条",
        "chow_lin": "Chow-Lin",
        "interpolation": "内插",
        "extrapolation": "外推",
        "distance": "距最近基准年{n}年",
        "design": "{holdout}年（由{used}年估计）",
        "year_separator": "、",
        "clause_separator": "，",
        "item_separator": "；",
        "n_provinces": "{n}个省份",
        "province_title": "{name}：数字经济增加值（按构成）",
        "methods_title": "{name}：各方法下的合计",
        "national_components": "{national}：按构成",
        "national_categories": "{national}：数字产品制造与数字流通",
        "level_title": "{year}年增加值",
        "share_title": "{year}年占GDP比重",
        "heatmap_title": "各省历年占GDP比重",
        "in_year": "{what}，{year}年",
        "growth_span": "{growth}（{start}-{end}年，年均）",
        "multiples_title": "{total}：{value}（{scale}）",
        "shared_scale": "各省同一刻度",
        "own_scale": "各省各自刻度",
        "ape_axis": "留出基准年的绝对百分比误差（%）",
        "short_electronics": "电子设备",
        "short_it_services": "信息技术服务",
        "short_telecom": "电信",
        "short_media": "媒体",
        "short_total": "合计",
        "national_ratio_title": "各省合计与全国投入产出表之比（按构成）",
        "national_ratio_axis": "各省合计 / 全国表",
        "national_ratio_benchmark": "地区表年份（各省自身投入产出表）",
        "national_ratio_control": "控制年份（仅有全国表；各省为估计值）",
        "national_ratio_parity": "相等（合计 = 全国）",
        "coverage_title": "{n}%区间的覆盖率（按距最近基准年的年数）",
        "coverage_axis": "留出基准值落在区间内的比例（%）",
        "coverage_distance": "距最近所用基准年的年数",
        "coverage_nested": "嵌套（区间不含被留出的设计）",
        "coverage_in_sample": "样本内（区间来自全部设计）",
        "coverage_nominal": "名义水平 ± 10个百分点",
        "coverage_open": "空心：其他设计未测到该距离",
    },
}


CJK_FILE_HINTS = ("cjk", "wqy", "sourcehan", "simhei", "msyh", "pingfang", "uming", "ukai")  # font file names
INSTALL_CJK = (
    "`sudo apt-get install fonts-noto-cjk` (Debian/Ubuntu), `sudo dnf install google-noto-sans-cjk-fonts` "
    "(Fedora) or `brew install --cask font-noto-sans-cjk-sc` (macOS)"
)


def _known_cjk_family() -> str | None:
    """Return the first of ``CJK_FAMILIES`` in matplotlib's font list."""
    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FAMILIES if name in installed), None)


def cjk_font() -> str | None:
    """Name of an installed font family that can draw Chinese, or None.

    matplotlib keeps its font list in a cache made when it first ran; a font installed later is
    not in it. So when the cached list has no CJK family, the system's font files are scanned and
    any CJK one found is added (no cache to delete by hand).

    Returns
    -------
    str or None
        The first of ``CJK_FAMILIES`` that matplotlib knows (after the scan).
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
    return family


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
        Label key -> text (or template, filled by the caller from the data). For ``zh`` without a
        CJK font, the English labels, with a warning that says what to install (Chinese text
        would otherwise be drawn as empty boxes).

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


def save_figure(fig: Figure, base: str | Path, formats: tuple[str, ...] = ("png", "svg")) -> list[Path]:
    """Write ``base.<format>`` without volatile metadata (byte-identical re-runs) and close ``fig``.

    Parameters
    ----------
    fig
        The figure; closed even if writing fails.
    base
        Path without suffix; missing folders are made.
    formats
        File formats, each written as ``base.<format>``.

    Returns
    -------
    list of Path
        The files written, in the order of ``formats``.
    """
    metadata = {
        "png": {"Software": None},
        "svg": {"Date": None, "Creator": None},
        "pdf": {"CreationDate": None, "Creator": None, "Producer": None},
    }
    base = Path(base)
    base.parent.mkdir(parents=True, exist_ok=True)
    written = []
    try:
        for fmt in formats:
            path = base.with_suffix(f".{fmt}")
            fig.savefig(path, format=fmt, metadata=metadata.get(fmt))
            written.append(path)
    finally:
        plt.close(fig)
    return written


def _thousands(ax: Axes) -> None:
    """Y tick labels with thousands separators (20,000)."""
    ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:,.0f}"))


def _year_axis(ax: Axes, step: int = 2) -> None:
    """Whole years as ticks (never 2002.5)."""
    ax.xaxis.set_major_locator(matplotlib.ticker.MultipleLocator(step))
    ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:.0f}"))


def plot_components(
    ax: Axes,
    data: pd.DataFrame,
    labels: dict[str, str],
    *,
    title: str,
    band: pd.DataFrame | None = None,
    benchmark_years: list[int] | None = None,
    breaks: list[int] | None = None,
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
        Years with an IO table, drawn as dashed vertical lines.
    breaks
        Years whose indicator jumped beyond the break threshold, marked by a triangle on the total.
    legend
        Whether to draw the legend.
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
        band = band.set_index("year").reindex(years)
        ax.plot(years, band["lower_100m_yuan"], color="#333333", linestyle=":", linewidth=1.1, label=labels["band"])
        ax.plot(years, band["upper_100m_yuan"], color="#333333", linestyle=":", linewidth=1.1)
    for i, year in enumerate(benchmark_years or []):
        ax.axvline(
            year,
            color="#666666",
            linewidth=0.8,
            linestyle="--",
            zorder=0,
            label=labels["benchmark"] if i == 0 else None,
        )
    marked = [y for y in breaks or [] if y in set(years)]
    if marked:
        total = wide.sum(axis=1)
        ax.plot(
            marked,
            total.loc[marked],
            linestyle="none",
            marker="v",
            markersize=7,
            color="black",
            markeredgecolor="white",
            zorder=5,
            label=labels["indicator_break"],
        )
    ax.set_xlim(years.min(), years.max())
    ax.set_ylim(0, None)
    ax.set_title(title, loc="left")
    ax.set_ylabel(labels["value"])
    _thousands(ax)
    _year_axis(ax)
    if legend:
        ax.legend(loc="upper left", ncols=1)


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
        Fewer than six provinces make one row of panels of the usual size.
    """
    names = totals.drop_duplicates("province_code").sort_values("province_code")
    columns = max(1, min(6, len(names)))
    rows = max(1, -(-len(names) // columns))
    # six panels fill 10 inches; fewer provinces keep the panels' size (the title needs 6 inches)
    width = max(6.0, 10 * columns / 6)
    fig, axes = plt.subplots(
        rows, columns, figsize=(width, 1.75 * rows), sharex=True, sharey=shared_scale, squeeze=False
    )
    for ax, (code, name) in zip(axes.flat, zip(names["province_code"], names["name"], strict=True), strict=False):
        series = totals[totals["province_code"] == code].sort_values("year")
        ax.fill_between(
            series["year"],
            series["lower_100m_yuan"],
            series["upper_100m_yuan"],
            color="#0072B2",
            alpha=0.2,
            linewidth=0,
        )
        ax.plot(series["year"], series["value_100m_yuan"], color="#0072B2", linewidth=1.2)
        for year in series.loc[series["flag"] == "benchmark", "year"]:
            ax.axvline(year, color="#999999", linewidth=0.5, linestyle="--", zorder=0)
        ax.set_title(name, fontsize=8, loc="left")
        ax.tick_params(labelsize=6.5)
        _year_axis(ax, step=10)
        ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:,.0f}"))
        if not shared_scale:
            ax.set_ylim(0, float(series["upper_100m_yuan"].max()) * 1.05)
    if shared_scale:  # one limit for all, from the largest upper bound (not from the last panel drawn)
        axes.flat[0].set_ylim(0, float(totals["upper_100m_yuan"].max()) * 1.05)
    for ax in list(axes.flat)[len(names) :]:
        ax.set_visible(False)
    for column in range(axes.shape[1]):  # year labels under the lowest panel drawn in each column
        drawn = [ax for ax in axes[:, column] if ax.get_visible()]
        if drawn:
            drawn[-1].xaxis.set_tick_params(labelbottom=True)
    scale = labels["shared_scale"] if shared_scale else labels["own_scale"]
    title = labels["multiples_title"].format(total=labels["total"], value=labels["value"], scale=scale)
    fig.suptitle(title, x=0.01, ha="left", fontsize=10, weight="bold")
    fig.supxlabel(labels["year"], fontsize=8)
    fig.tight_layout()
    return fig


def plot_categories(ax: Axes, data: pd.DataFrame, labels: dict[str, str], *, title: str) -> None:
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
    """
    wide = data.pivot_table(index="year", columns="category", values="value_100m_yuan", aggfunc="sum")
    for category, (colour, style) in (("production", ("#0072B2", "-")), ("circulation", ("#D55E00", "--"))):
        ax.plot(wide.index, wide[category], color=colour, linestyle=style, label=labels[category])
    ax.set_title(title, loc="left")
    ax.set_ylabel(labels["value"])
    ax.set_ylim(0, None)
    ax.set_xlim(wide.index.min(), wide.index.max())
    _thousands(ax)
    _year_axis(ax)
    ax.legend(loc="upper left")


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
        A label dictionary of ``LABELS``; ``national``, its count filled in, names the highlight line.
    title, xlabel
        Axes title and x label.
    highlight
        A value to mark with a dashed line (China's), if any.
    """
    ordered = values.sort_values()
    ax.barh(ordered.index, ordered.to_numpy(), color="#0072B2", height=0.7)
    if highlight is not None:
        ax.axvline(highlight, color="#D55E00", linestyle="--", linewidth=1.0, label=labels["national"])
        ax.legend(loc="lower right")
    ax.set_title(title, loc="left")
    ax.set_xlabel(xlabel)
    ax.grid(axis="x")
    ax.grid(axis="y", visible=False)
    ax.tick_params(axis="y", labelsize=7)
    ax.margins(y=0.01)


def plot_heatmap(ax: Axes, wide: pd.DataFrame, labels: dict[str, str], *, title: str) -> None:
    """Province x year heatmap with a colour bar (labelled as a share of GDP).

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
    ax.set_yticks(range(len(wide.index)), wide.index, fontsize=7)
    ax.set_xticks(range(0, len(wide.columns), 2), [str(c) for c in wide.columns[::2]], fontsize=7, rotation=45)
    ax.grid(False)
    ax.set_title(title, loc="left")
    colour_bar = ax.figure.colorbar(image, ax=ax, fraction=0.04, pad=0.02)
    colour_bar.set_label(labels["share"])


def plot_tile_map(
    ax: Axes,
    values: pd.Series,
    tiles: pd.DataFrame,
    names: pd.Series,
    *,
    title: str,
    unit_label: str,
    fmt: str = "{:,.0f}",
    cmap: str = "cividis",
) -> None:
    """Tile-grid map: each province a square in its rough place, coloured by ``values``.

    Parameters
    ----------
    ax
        Axes to draw on.
    values
        Values by province code; a province without a (finite) value is an empty grey tile, so a
        run on a few provinces still shows the whole country.
    tiles
        ``province_code``, ``column``, ``row`` of every tile.
    names
        Province code -> label.
    title, unit_label
        Axes title and colour-bar label.
    fmt
        Format of the value printed on each tile.
    cmap
        Matplotlib colour map.
    """
    norm = matplotlib.colors.Normalize(vmin=float(values.min()), vmax=float(values.max()))
    colours = matplotlib.colormaps[cmap]
    for tile in tiles.itertuples(index=False):
        value = values.get(tile.province_code, np.nan)
        _draw_tile(ax, tile.column, tile.row, names[tile.province_code], value, colours, norm, fmt)
    ax.set_xlim(-0.1, tiles["column"].max() + 1)
    ax.set_ylim(-tiles["row"].max() - 0.1, 1)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(title, loc="left")
    bar = ax.figure.colorbar(matplotlib.cm.ScalarMappable(norm=norm, cmap=colours), ax=ax, fraction=0.03, pad=0.01)
    bar.set_label(unit_label)


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
    ax.add_patch(matplotlib.patches.Rectangle((column, -row), 0.94, 0.94, facecolor=face, edgecolor="white"))
    luminance = np.dot(matplotlib.colors.to_rgb(face), [0.299, 0.587, 0.114])
    text_colour = ("black" if luminance > 0.5 else "white") if present else MISSING_TEXT
    ax.text(
        column + 0.47,
        -row + 0.62,
        name,
        ha="center",
        va="center",
        fontsize=6.5 if len(name) <= 12 else 5.2,  # Inner Mongolia must fit its tile
        color=text_colour,
    )
    if present:
        ax.text(
            column + 0.47,
            -row + 0.3,
            fmt.format(value),
            ha="center",
            va="center",
            fontsize=6.5,
            color=text_colour,
            weight="bold",
        )


def plot_methods(
    ax: Axes, data: pd.DataFrame, labels: dict[str, str], *, title: str, benchmark_years: list[int]
) -> None:
    """Every method's path of the total, with its band; ``hold`` is drawn as steps.

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
    """
    for method, (colour, style) in METHOD_STYLE.items():
        series = data[data["method"] == method].sort_values("year")
        if series.empty:
            continue
        ax.fill_between(
            series["year"], series["lower_100m_yuan"], series["upper_100m_yuan"], color=colour, alpha=0.08, linewidth=0
        )
        ax.plot(
            series["year"],
            series["value_100m_yuan"],
            color=colour,
            linestyle=style,
            label=labels[method],
            drawstyle="steps-post" if method == "hold" else "default",
        )
    for year in benchmark_years:
        ax.axvline(year, color="#999999", linewidth=0.7, linestyle="--", zorder=0)
    ax.set_title(title, loc="left")
    ax.set_ylabel(labels["value"])
    ax.set_ylim(0, None)
    ax.set_xlim(data["year"].min(), data["year"].max())
    _thousands(ax)
    _year_axis(ax)
    ax.legend(loc="upper left", title=None)


def plot_backtest(ax: Axes, errors: pd.DataFrame, labels: dict[str, str], *, title: str, subtitle: str = "") -> None:
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
    """
    components = [c for c in (*COMPONENT_ORDER, "total") if c in set(errors["component"])]
    methods = [m for m in METHOD_STYLE if m in set(errors["method"])]
    width = 0.8 / len(methods)
    for j, method in enumerate(methods):
        colour, _ = METHOD_STYLE[method]
        data = [
            errors[(errors["component"] == c) & (errors["method"] == method)]["ape"].dropna() * 100 for c in components
        ]
        positions = np.arange(len(components)) + (j - (len(methods) - 1) / 2) * width
        parts = ax.boxplot(
            data,
            positions=positions,
            widths=width * 0.85,
            patch_artist=True,
            showfliers=False,
            medianprops={"color": "black"},
        )
        for box in parts["boxes"]:
            box.set(facecolor=colour, alpha=0.75, hatch=["", "//", "..", "xx"][j % 4], edgecolor="black", linewidth=0.6)
        ax.plot([], [], color=colour, linewidth=6, alpha=0.75, label=labels[method])
    ax.set_xticks(range(len(components)), [labels[f"short_{c}"] for c in components])
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
    ax.legend(loc="upper right", ncols=len(methods))


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
    for year, ratio in zip(rows["year"], rows["ratio"], strict=True):
        ax.annotate(f"{ratio:.2f}", (year, ratio), xytext=(0, 6), textcoords="offset points", ha="center", fontsize=7)
    ax.set_title(title, loc="left")
    ax.set_ylabel(labels["national_ratio_axis"])
    ax.margins(x=0.06, y=0.15)
    _year_axis(ax, step=5)
