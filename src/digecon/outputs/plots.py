"""Figures of the estimates. Every function takes data and an Axes (or returns a Figure); none
saves or shows. :func:`save_figure` writes byte-stable PNG/SVG files and closes the figure.

Colours follow the Okabe-Ito palette; the two circulation components are also hatched so the
stacked areas stay distinct in greyscale. Labels are English by default, Chinese on request.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
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
        "band": "Uncertainty band (backtest)",
        "ape": "Absolute % error of held-out benchmark",
        "national": "China, sum of 31 provinces",
        "hold": "hold",
        "linear": "linear",
        "spline": "spline",
        "chow_lin": "Chow-Lin",
        "interpolation": "interpolation (2007, 2012 held out)",
        "extrapolation": "extrapolation (2017 from 2002-2012)",
        "short_electronics": "Electronics",
        "short_it_services": "IT services",
        "short_telecom": "Telecom",
        "short_media": "Media",
        "short_total": "Total",
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
        "band": "不确定区间（回测）",
        "ape": "留出基准年的绝对百分比误差",
        "national": "全国（31省合计）",
        "hold": "保持",
        "linear": "线性",
        "spline": "样条",
        "chow_lin": "Chow-Lin",
        "interpolation": "内插（留出2007、2012）",
        "extrapolation": "外推（由2002-2012推2017）",
        "short_electronics": "电子设备",
        "short_it_services": "信息技术服务",
        "short_telecom": "电信",
        "short_media": "媒体",
        "short_total": "合计",
    },
}


class FontMissingError(RuntimeError):
    """Chinese labels were asked for but no CJK font is installed."""


def cjk_font() -> str | None:
    """Name of an installed font family that can draw Chinese, or None."""
    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FAMILIES if name in installed), None)


@contextmanager
def house_style(language: str = "en") -> Iterator[dict[str, str]]:
    """Apply the package style (and a CJK font for Chinese); yield the label dictionary.

    Raises
    ------
    FontMissingError
        For ``language='zh'`` without a CJK font, saying how to install one instead of
        drawing empty boxes.
    """
    if language not in LABELS:
        raise ValueError(f"unknown language {language!r}; expected 'en' or 'zh'")
    extra = {}
    if language == "zh":
        font = cjk_font()
        if font is None:
            raise FontMissingError(
                "Chinese labels need a CJK font and none is installed. Install one, e.g. "
                "`sudo apt-get install fonts-noto-cjk` (Debian/Ubuntu) or `brew install --cask font-noto-sans-cjk-sc` "
                "(macOS), then delete matplotlib's font cache (`rm -rf ~/.cache/matplotlib`) and run again; "
                "or set plots.language: en."
            )
        extra = {"font.sans-serif": [font, "DejaVu Sans"], "axes.unicode_minus": False}
    with (
        as_file(files("digecon.data").joinpath("digecon.mplstyle")) as style,
        plt.style.context(style),
        matplotlib.rc_context(extra),
    ):
        yield LABELS[language]


def save_figure(fig: Figure, base: str | Path, formats: tuple[str, ...] = ("png", "svg")) -> list[Path]:
    """Write ``base.<format>`` without volatile metadata (byte-identical re-runs) and close ``fig``."""
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
    legend: bool = True,
) -> None:
    """Stacked components over time, with the band of the total and benchmark years marked.

    ``data``: one row per year x component with ``year``, ``component``, ``value_100m_yuan``;
    ``band``: ``year``, ``lower_100m_yuan``, ``upper_100m_yuan`` of the total (optional).
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
    ax.set_xlim(years.min(), years.max())
    ax.set_ylim(0, None)
    ax.set_title(title, loc="left")
    ax.set_ylabel(labels["value"])
    _thousands(ax)
    _year_axis(ax)
    if legend:
        ax.legend(loc="upper left", ncols=1)


def small_multiples(totals: pd.DataFrame, labels: dict[str, str], *, shared_scale: bool) -> Figure:
    """All 31 provinces' totals (with bands) on one page, in NBS order.

    ``totals``: ``province_code``, ``name``, ``year``, ``value_100m_yuan``, ``lower_100m_yuan``,
    ``upper_100m_yuan``, ``flag`` (benchmark years are marked per province: Tibet has only 2012, 2017).
    """
    names = totals.drop_duplicates("province_code").sort_values("province_code")
    rows = max(1, -(-len(names) // 6))
    fig, axes = plt.subplots(rows, 6, figsize=(10, 1.75 * rows), sharex=True, sharey=shared_scale, squeeze=False)
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
    scale = "same scale for all provinces" if shared_scale else "each province on its own scale"
    fig.suptitle(f"{labels['total']}: {labels['value']} ({scale})", x=0.01, ha="left", fontsize=10, weight="bold")
    fig.supxlabel(labels["year"], fontsize=8)
    fig.tight_layout()
    return fig


def plot_categories(ax: Axes, data: pd.DataFrame, labels: dict[str, str], *, title: str) -> None:
    """Production and circulation over time (lines), ``data`` with ``year``, ``category``, ``value_100m_yuan``."""
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
    """Horizontal bars of ``values`` (index = province names), largest on top."""
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
    """Province x year heatmap (``wide``: index province names, columns years) with a colour bar."""
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
    """Tile-grid map: each province a square in its rough place, coloured by ``values`` (index codes).

    ``tiles``: ``province_code``, ``column``, ``row``; ``names``: province code -> label.
    """
    norm = matplotlib.colors.Normalize(vmin=float(values.min()), vmax=float(values.max()))
    colours = matplotlib.colormaps[cmap]
    for tile in tiles.itertuples(index=False):
        value = values.get(tile.province_code, np.nan)
        face = colours(norm(value)) if np.isfinite(value) else "#eeeeee"
        ax.add_patch(
            matplotlib.patches.Rectangle((tile.column, -tile.row), 0.94, 0.94, facecolor=face, edgecolor="white")
        )
        luminance = np.dot(matplotlib.colors.to_rgb(face), [0.299, 0.587, 0.114])
        text_colour = "black" if luminance > 0.5 else "white"
        name = names[tile.province_code]
        ax.text(
            tile.column + 0.47,
            -tile.row + 0.62,
            name,
            ha="center",
            va="center",
            fontsize=6.5 if len(name) <= 12 else 5.2,  # Inner Mongolia must fit its tile
            color=text_colour,
        )
        ax.text(
            tile.column + 0.47,
            -tile.row + 0.3,
            fmt.format(value),
            ha="center",
            va="center",
            fontsize=6.5,
            color=text_colour,
            weight="bold",
        )
    ax.set_xlim(-0.1, tiles["column"].max() + 1)
    ax.set_ylim(-tiles["row"].max() - 0.1, 1)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(title, loc="left")
    bar = ax.figure.colorbar(matplotlib.cm.ScalarMappable(norm=norm, cmap=colours), ax=ax, fraction=0.03, pad=0.01)
    bar.set_label(unit_label)


def plot_methods(
    ax: Axes, data: pd.DataFrame, labels: dict[str, str], *, title: str, benchmark_years: list[int]
) -> None:
    """Every method's path of the total, with its band (``data``: ``method``, ``year``, value, bounds)."""
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


def plot_backtest(ax: Axes, errors: pd.DataFrame, labels: dict[str, str], *, title: str) -> None:
    """Distribution of held-out errors by component and method (box plots, APE in %).

    ``errors``: ``component`` (including ``total``), ``method``, ``ape``.
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
    ax.set_ylabel(labels["ape"] + ", %")
    ax.set_ylim(0, None)
    ax.set_title(title, loc="left")
    ax.legend(loc="upper right", ncols=len(methods))
