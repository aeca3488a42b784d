"""Plot functions on small data: they draw, save byte-stable files, close figures, and fail clearly."""

from __future__ import annotations

import warnings
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib import font_manager
from PIL import Image

from digecon.core.provinces import province_table
from digecon.outputs import plots
from digecon.outputs.gallery import tile_grid

YEARS = np.arange(2002, 2012)


def components() -> pd.DataFrame:
    rows = [
        {
            "year": y,
            "component": c,
            "category": "production" if c in ("electronics", "it_services") else "circulation",
            "value_100m_yuan": (i + 1) * (y - 2000),
        }
        for y in YEARS
        for i, c in enumerate(plots.COMPONENT_ORDER)
    ]
    return pd.DataFrame(rows)


def band() -> pd.DataFrame:
    total = components().groupby("year")["value_100m_yuan"].sum()
    return pd.DataFrame(
        {"year": YEARS, "lower_100m_yuan": total.to_numpy() * 0.9, "upper_100m_yuan": total.to_numpy() * 1.1}
    )


def draw(tmp_path: Path, name: str) -> list[Path]:
    with plots.house_style() as labels:
        fig, ax = plt.subplots(figsize=(5, 3))
        plots.plot_components(ax, components(), labels, title="test", band=band(), benchmark_years=[2002, 2007])
        return plots.save_figure(fig, tmp_path / name)


def test_components_stack_to_the_total() -> None:
    with plots.house_style() as labels:
        fig, ax = plt.subplots()
        plots.plot_components(ax, components(), labels, title="t", band=band())
        top = ax.collections[len(plots.COMPONENT_ORDER) - 1].get_paths()[0].vertices[:, 1].max()
        plt.close(fig)
    assert top == pytest.approx(10 * (2011 - 2000))  # 1+2+3+4 = 10 times (year - 2000) in 2011


def test_saved_files_are_byte_stable_and_figures_closed(tmp_path: Path) -> None:
    first = [p.read_bytes() for p in draw(tmp_path, "a")]
    second = [p.read_bytes() for p in draw(tmp_path, "b")]
    assert first == second
    assert first[0].startswith(b"\x89PNG") and b"<svg" in first[1]
    assert plt.get_fignums() == []


def test_chinese_figures_draw_with_the_packaged_font_where_the_system_has_none(no_system_cjk_font: None) -> None:
    names = "".join(province_table()["province"])
    with warnings.catch_warnings(record=True) as caught, plots.house_style("zh") as labels:
        warnings.simplefilter("always")
        assert labels == plots.LABELS["zh"]
        assert matplotlib.rcParams["font.sans-serif"][0] == "Noto Sans CJK SC"
        fig, ax = plt.subplots()
        ax.set_title(labels["heatmap_title"])
        ax.text(0, 0.5, names)
        fig.canvas.draw()
        font = font_manager.findfont(ax.title.get_fontproperties())
        plt.close(fig)
    assert Path(font).parent.name == "noto_cjk_sans_otc"  # the packaged file
    assert [str(w.message) for w in caught if "missing from font" in str(w.message)] == []


def test_a_system_cjk_font_is_preferred_to_the_packaged_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(plots, "_known_cjk_family", lambda: "WenQuanYi Zen Hei")
    monkeypatch.setattr(plots, "packaged_cjk_font", lambda: pytest.fail("the packaged font was registered"))
    assert plots.cjk_font() == "WenQuanYi Zen Hei"


def test_chinese_labels_without_any_cjk_font_fall_back_to_english(
    no_system_cjk_font: None, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(plots, "PACKAGED_CJK", ("digecon_no_such_font", "none.ttc", "Noto Sans CJK SC"))
    assert plots.cjk_font() is None
    with caplog.at_level("WARNING"), plots.house_style("zh") as labels:
        assert labels == plots.LABELS["en"]
        assert plots.language_of(labels) == "en"
    assert "pip install noto-cjk-sans-otc" in caplog.text and "English labels" in caplog.text
    assert "cache" not in caplog.text  # no stale hint: a font installed later is found by cjk_font's scan


def test_a_cjk_font_missing_from_matplotlibs_cache_is_found(monkeypatch: pytest.MonkeyPatch) -> None:
    """A font installed after matplotlib built its cache is found by scanning the system's font files."""
    added: list[str] = []
    monkeypatch.setattr(plots, "_known_cjk_family", lambda: "WenQuanYi Zen Hei" if added else None)
    monkeypatch.setattr(
        plots.font_manager, "findSystemFonts", lambda: ["/fonts/DejaVuSans.ttf", "/fonts/wqy-zenhei.ttc"]
    )
    monkeypatch.setattr(plots.font_manager.fontManager, "addfont", added.append)
    assert plots.cjk_font() == "WenQuanYi Zen Hei"
    assert added == ["/fonts/wqy-zenhei.ttc"]


def test_tile_grid_places_every_province_once() -> None:
    tiles = tile_grid()
    assert sorted(tiles["province_code"]) == sorted(province_table()["province_code"])
    assert not tiles.duplicated(["column", "row"]).any()


def test_every_overview_plot_draws(tmp_path: Path) -> None:
    codes = province_table()["province_code"]
    names = province_table().set_index("province_code")["province_en"]
    totals = pd.DataFrame(
        [
            {
                "province_code": c,
                "name": names[c],
                "year": y,
                "value_100m_yuan": i + y - 2000,
                "lower_100m_yuan": i,
                "upper_100m_yuan": 2 * i + y - 2000,
                "flag": "benchmark" if y == 2007 else "interpolated",
            }
            for i, c in enumerate(codes)
            for y in YEARS
        ]
    )
    with plots.house_style() as labels:
        for shared in (True, False):
            fig = plots.small_multiples(totals, labels, shared_scale=shared)
            top = fig.axes[0].get_ylim()[1]
            plots.save_figure(fig, tmp_path / f"multiples_{shared}", ("png",))
            if shared:
                assert top >= totals["upper_100m_yuan"].max()  # no province is cut off
        fig, axes = plt.subplots(2, 3, figsize=(12, 8))
        series = totals[totals["year"] == 2011].set_index("province_code")["value_100m_yuan"]
        plots.plot_tile_map(axes[0, 0], series, tile_grid(), names, title="t", unit_label="u")
        plots.plot_ranking(
            axes[0, 1], series.set_axis(series.index.map(names)), labels, title="t", xlabel="x", highlight=5.0
        )
        plots.plot_heatmap(
            axes[0, 2], totals.pivot_table(index="name", columns="year", values="value_100m_yuan"), labels, title="t"
        )
        plots.plot_categories(axes[1, 0], components(), labels, title="t")
        methods = pd.concat([totals[totals["province_code"] == 110000].assign(method=m) for m in plots.METHOD_STYLE])
        plots.plot_methods(axes[1, 1], methods, labels, title="t", benchmark_years=[2007])
        errors = pd.DataFrame(
            {"component": ["total", "media"] * 8, "method": ["hold", "linear"] * 8, "ape": np.linspace(0, 0.5, 16)}
        )
        plots.plot_backtest(axes[1, 2], errors, labels, title="t")
        assert len(axes[0, 0].patches) == 31
        plots.save_figure(fig, tmp_path / "overview", ("png",))
    assert plt.get_fignums() == []


def test_tile_map_draws_absent_provinces_as_empty_grey_tiles() -> None:
    names = province_table().set_index("province_code")["province_en"]
    values = pd.Series({320000: 10.0, 540000: 30.0})  # Jiangsu and Tibet only
    with plots.house_style():
        fig, ax = plt.subplots()
        plots.plot_tile_map(ax, values, tile_grid(), names, title="t", unit_label="u", fmt="{:.0f}")
        faces = [matplotlib.colors.to_hex(p.get_facecolor()) for p in ax.patches]
        texts = [t.get_text() for t in ax.texts]
        plt.close(fig)
    assert len(faces) == 31
    assert faces.count(plots.MISSING_TILE) == 29
    assert sorted(t for t in texts if t.isdigit()) == ["10", "30"]  # no 'nan' on the empty tiles
    assert "Beijing" in texts  # absent provinces keep their names, for orientation


def toy_errors() -> pd.DataFrame:
    """Two designs at 5 years (one of them for a single province), one at 10, one interpolation."""
    designs = [  # label, kind, distance, held-out year, benchmarks used, provinces
        ("2012 from 2002", "extrapolation", 10, 2012, "2002", (1, 2)),
        ("2012 from 2002-2007", "extrapolation", 5, 2012, "2002,2007", (1, 2)),
        ("2012 from 2007", "extrapolation", 5, 2012, "2007", (3,)),
        ("2007 left out (from 2002, 2012)", "interpolation", 5, 2007, "2002,2012", (1, 2, 3)),
    ]
    return pd.DataFrame(
        [
            {
                "design_label": label,
                "kind": kind,
                "distance_years": distance,
                "holdout_year": holdout,
                "benchmarks_used": used,
                "province_code": code,
                "component": "total",
                "method": "linear",
                "ape": 0.1 * code,
            }
            for label, kind, distance, holdout, used, codes in designs
            for code in codes
        ]
    )


def test_backtest_panels_pool_designs_of_one_kind_and_distance() -> None:
    panels = plots.backtest_panels(toy_errors(), plots.LABELS["en"])
    assert [p.heading for p in panels] == [
        "interpolation, 5 years from the nearest benchmark",
        "extrapolation, 5 years from the nearest benchmark",
        "extrapolation, 10 years from the nearest benchmark",
    ]
    assert panels[0].designs == ("2007 left out (from 2002, 2012), n = 3",)
    assert panels[1].designs == ("2012 from 2002-2007, n = 2", "2012 from 2007, n = 1")
    assert [len(p.rows) for p in panels] == [3, 3, 2]
    assert panels[1].subtitle() == "2012 from 2002-2007, n = 2; 2012 from 2007, n = 1"


def test_chinese_design_names_are_composed_from_the_years() -> None:
    panels = plots.backtest_panels(toy_errors(), plots.LABELS["zh"])
    assert panels[1].heading == "外推，距最近基准年5年"
    assert panels[1].subtitle() == "2012年（由2002、2007年估计），2个省份；2012年（由2007年估计），1个省份"


def test_subtitle_breaks_lines_by_display_width() -> None:
    panel = plots.BacktestPanel(heading="h", designs=("aaaa", "bbbb", "cccc"), rows=pd.DataFrame())
    assert panel.subtitle(width=10) == "aaaa; bbbb\ncccc"
    wide = plots.BacktestPanel(heading="h", designs=("内插内插", "bbbb"), rows=pd.DataFrame(), separator="；")
    assert wide.subtitle(width=13) == "内插内插\nbbbb"  # 8 + 2 + 4 = 14 columns: too wide for one line


def test_wrap_breaks_between_words_or_cjk_characters() -> None:
    assert plots.wrap("one two three four", 9) == "one two\nthree\nfour"
    assert plots.wrap("灰色斜线：无实际增长率", 10) == "灰色斜线：\n无实际增长\n率"


def test_small_multiples_of_a_few_provinces_make_one_row_a_page_wide() -> None:
    names = province_table().set_index("province_code")["province_en"]
    totals = pd.DataFrame(
        [
            {
                "province_code": c,
                "name": names[c],
                "year": y,
                "value_100m_yuan": float(y - 2000),
                "lower_100m_yuan": 0.0,
                "upper_100m_yuan": float(y - 1990),
                "flag": "benchmark" if y == 2007 else "interpolated",
            }
            for c in (320000, 540000, 650000)
            for y in YEARS
        ]
    )
    with plots.house_style() as words:
        fig = plots.small_multiples(totals, words, shared_scale=True)
        visible = [ax for ax in fig.axes if ax.get_visible()]
        width = fig.get_figwidth()
        plt.close(fig)
    assert [ax.get_title(loc="left") for ax in visible] == ["Jiangsu", "Tibet", "Xinjiang"]
    assert len(fig.axes) == 3  # one row of three, not a row of six with three hidden
    assert width == plots.DOUBLE_COLUMN


def test_coverage_plot_draws_nested_in_sample_and_opens_the_points_the_rule_stood_in_for() -> None:
    coverage = pd.DataFrame(
        {
            "kind": ["interpolation", "extrapolation", "extrapolation", "extrapolation"],
            "distance_years": [5, 5, 10, 15],
            "nominal": 0.8,
            "coverage_nested": [0.75, 0.8, 0.7, 0.9],
            "coverage_in_sample": [0.8, 0.8, 0.8, 0.8],
            "band_from": ["measured", "measured", "measured", "fitted beyond measured"],
        }
    )
    with plots.house_style() as labels:
        fig, ax = plt.subplots()
        plots.plot_coverage(ax, coverage, labels, title="Total")
        lines = {line.get_label(): list(line.get_ydata()) for line in ax.get_lines()}
        opened = [c.get_offsets().tolist() for c in ax.collections if len(c.get_offsets())]
        legend = ax.get_legend_handles_labels()[1]
        plt.close(fig)
    assert lines["extrapolation, nested (band without the held-out design)"] == pytest.approx([80, 70, 90])
    assert lines["interpolation, in-sample (band from every design)"] == pytest.approx([80])
    assert lines["nominal level, ± 10 points"] == [80, 80]
    assert opened == [[[15.3, 90.0]]]  # only the distance no other design measured, drawn a little right
    assert legend[-1] == labels["coverage_open"]


def test_national_ratio_marks_benchmark_years_filled_and_control_years_open() -> None:
    data = pd.DataFrame(
        {
            "year": [2002, 2005, 2007, 2010],
            "year_kind": ["benchmark", "control", "benchmark", "control"],
            "ratio": [1.0, 1.1, 1.2, np.nan],  # a control year beyond the estimates: not drawn
        }
    )
    with plots.house_style() as labels:
        fig, ax = plt.subplots()
        plots.plot_national_ratio(ax, data, labels, component="telecom", title="Telecom")
        points = {c.get_label(): c for c in ax.collections}
        texts = [t.get_text() for t in ax.texts]
        parity = [line.get_label() for line in ax.get_lines()]
        plt.close(fig)
    benchmark, control = points[labels["national_ratio_benchmark"]], points[labels["national_ratio_control"]]
    assert benchmark.get_offsets().tolist() == [[2002, 1.0], [2007, 1.2]]
    assert control.get_offsets().tolist() == [[2005, 1.1]]
    telecom = matplotlib.colors.to_rgba(plots.COMPONENT_STYLE["telecom"][0])
    assert tuple(benchmark.get_facecolor()[0]) == pytest.approx(telecom)  # filled
    assert tuple(control.get_facecolor()[0]) == pytest.approx((1, 1, 1, 1))  # open
    assert texts == ["1.00", "1.10", "1.20"]
    assert labels["national_ratio_parity"] in parity


def methods_data() -> pd.DataFrame:
    rows = [
        {
            "method": m,
            "year": y,
            "value_100m_yuan": float(y - 2000 + k),
            "lower_100m_yuan": float(y - 2002 + k),
            "upper_100m_yuan": float(y + k - 1998),
        }
        for k, m in enumerate(plots.METHOD_STYLE)
        for y in YEARS
    ]
    return pd.DataFrame(rows)


def drawn(fig: matplotlib.figure.Figure) -> matplotlib.backend_bases.RendererBase:
    fig.canvas.draw()
    return fig.canvas.get_renderer()


def test_legends_sit_under_the_axes_and_benchmarks_above_every_band_and_line() -> None:
    with plots.house_style() as words:
        for make, draw_on in (
            (
                plots.components_figure,
                lambda ax: plots.plot_components(
                    ax, components(), words, title="t", band=band(), benchmark_years=[2007]
                ),
            ),
            (
                plots.methods_figure,
                lambda ax: plots.plot_methods(ax, methods_data(), words, title="t", benchmark_years=[2007]),
            ),
        ):
            fig, ax = make()
            draw_on(ax)
            renderer = drawn(fig)
            legend, frame = ax.get_legend().get_window_extent(renderer), ax.get_window_extent(renderer)
            assert legend.y1 < frame.y0  # the legend covers no data, nor the benchmark lines
            assert legend.x0 >= 0 and legend.x1 <= fig.bbox.x1  # and fits the figure
            benchmark = [line for line in ax.get_lines() if list(line.get_xdata()) == [2007, 2007]]
            others = [a for a in (*ax.collections, *ax.get_lines()) if a not in benchmark]
            assert benchmark and min(b.get_zorder() for b in benchmark) > max(a.get_zorder() for a in others)
            plt.close(fig)


def test_method_bands_differ_in_colour_and_hatch() -> None:
    with plots.house_style() as words:
        fig, ax = plots.methods_figure()
        plots.plot_methods(ax, methods_data(), words, title="t", benchmark_years=[])
        bands = ax.collections
        styles = {(matplotlib.colors.to_hex(b.get_edgecolor()[0]), b.get_hatch()) for b in bands}
        plt.close(fig)
    assert len(bands) == len(plots.METHOD_STYLE)
    assert len({colour for colour, _ in styles}) == len({hatch for _, hatch in styles}) == len(plots.METHOD_STYLE)


def test_growth_scale_is_centred_at_zero_and_capped_at_a_quantile() -> None:
    values = np.array([*np.linspace(-5, 10, 99), 80.0, np.nan])
    norm, cap = plots.growth_norm(values)
    assert norm(0.0) == pytest.approx(0.5)
    assert cap == pytest.approx(np.quantile(np.abs(values[:-1]), 0.98)) and cap < 80
    assert plots.growth_norm(np.array([-1.0, 2.0]), quantile=1.0)[1] is None  # nothing beyond the scale


def test_tile_scales() -> None:
    level = pd.Series([90.0, 17_712.0])
    assert isinstance(plots.tile_norm(level, "log")[0], matplotlib.colors.LogNorm)
    assert not isinstance(plots.tile_norm(pd.Series([0.0, 5.0]), "log")[0], matplotlib.colors.LogNorm)
    norm, cmap = plots.tile_norm(pd.Series([2.0, 10.0]), "diverging")
    assert norm(0.0) == pytest.approx(0.5) and cmap == plots.GROWTH_CMAP
    with pytest.raises(ValueError, match="unknown tile scale 'cubic'"):
        plots.tile_norm(level, "cubic")


def test_tile_map_fills_its_figure_and_formats_the_colour_bar() -> None:
    names = province_table().set_index("province_code")["province_en"]
    tiles = tile_grid()
    values = pd.Series(np.geomspace(90, 18_000, len(tiles)), index=tiles["province_code"])
    with plots.house_style():
        fig, ax = plots.tile_figure(tiles)
        plots.plot_tile_map(ax, values, tiles, names, title="Level", unit_label="u", scale="log")
        renderer = drawn(fig)
        (bar,) = ax.child_axes  # the colour bar, inset in the empty corner
        ticks = [t.get_text() for t in bar.get_xticklabels() if t.get_text()]
        title = next(t for t in ax.texts if t.get_text() == "Level").get_window_extent(renderer)
        tile_boxes = [p.get_window_extent(renderer) for p in ax.patches]
        plt.close(fig)
    assert ax.get_position().bounds == (0, 0, 1, 1)  # no margins
    assert "1,000" in ticks and "10,000" in ticks
    assert not any(title.overlaps(box) for box in tile_boxes)  # the title sits in the empty corner


def test_thumbnail_is_a_small_copy_of_the_png(tmp_path: Path) -> None:
    with plots.house_style() as words:
        fig, ax = plots.components_figure()
        plots.plot_components(ax, components(), words, title="t")
        png, _ = plots.save_figure(fig, tmp_path / "f", thumbnail=tmp_path / "thumb.png")
    with Image.open(png) as full, Image.open(tmp_path / "thumb.png") as small:
        assert small.width <= plots.THUMBNAIL_SIZE[0] and small.height <= plots.THUMBNAIL_SIZE[1]
        assert small.width / small.height == pytest.approx(full.width / full.height, rel=0.01)
        assert full.width == plots.DOUBLE_COLUMN * 300  # a journal's page width at 300 dpi


def test_real_growth_heatmap_shows_empty_cells_as_hatching_and_says_so_when_all_are_empty() -> None:
    wide = pd.DataFrame(
        [[np.nan, 5.0, -3.0], [np.nan, np.nan, 2.0]], index=["China", "Beijing"], columns=[2002, 2003, 2004]
    )
    with plots.house_style() as words:
        fig, ax = plt.subplots()
        plots.plot_growth_heatmap(ax, wide, words, title="t", note="a note")
        hatched = [p for p in ax.patches if p.get_hatch()]
        empty_label = [t.get_text() for t in ax.texts]
        plt.close(fig)
        fig, ax = plt.subplots()
        plots.plot_growth_heatmap(ax, wide * np.nan, words, title="t")
        all_empty = [t.get_text() for t in ax.texts]
        plt.close(fig)
    assert len(hatched) == 1 and hatched[0].get_zorder() < ax.images[0].get_zorder()
    assert empty_label == ["a note"]  # only the note: there are values to show
    assert all_empty == [words["real_growth_empty"]]


def test_real_growth_heatmap_dots_the_cells_on_the_gdp_deflator() -> None:
    wide = pd.DataFrame([[1.0, 5.0, -3.0], [4.0, 3.0, 2.0]], index=["China", "Beijing"], columns=[2002, 2003, 2004])
    marked = pd.DataFrame(False, index=wide.index, columns=wide.columns)
    marked.loc["Beijing", 2004] = True
    with plots.house_style() as words:
        fig, ax = plt.subplots()
        plots.plot_growth_heatmap(ax, wide, words, title="t", marked=marked)
        [dots] = ax.collections
        offsets = dots.get_offsets().tolist()
        plt.close(fig)
    assert offsets == [[2.0, 1.0]]  # column 2004, row Beijing


def test_a_band_methods_share_is_drawn_once_and_only_where_it_is_the_same() -> None:
    years = list(range(2000, 2008))
    first = pd.DataFrame({"lower_100m_yuan": np.arange(8.0), "upper_100m_yuan": np.arange(8.0) + 2}, index=years)
    # the same band as the first from 2003 on (2002 differs), e.g. two methods extrapolating alike
    second = first.copy()
    second.loc[2002, "upper_100m_yuan"] = 9.0
    second.loc[2000, "lower_100m_yuan"] = -1.0
    lower, upper = plots._unshared(second, [first])
    # kept: 2000-2003 (each touches a segment that differs: 2000-2001 and 2001-2002, 2002-2003); left out: 2004-2007
    assert np.isnan(upper).tolist() == [False, False, False, False, True, True, True, True]
    assert np.isnan(lower).tolist() == np.isnan(upper).tolist()
    assert upper[2] == 9.0 and lower[0] == -1.0
    lower, upper = plots._unshared(second, [])  # nothing drawn before it: the whole band
    assert not np.isnan(lower).any() and not np.isnan(upper).any()
    with plots.house_style() as words:
        data = methods_data()
        shared = data["method"] == "spline"
        data.loc[shared, ["lower_100m_yuan", "upper_100m_yuan"]] = data.loc[
            data["method"] == "linear", ["lower_100m_yuan", "upper_100m_yuan"]
        ].to_numpy()
        fig, ax = plots.methods_figure()
        plots.plot_methods(ax, data, words, title="t", benchmark_years=[2007])
        # each method's two thin bound lines: spline's are left out entirely, linear's drawn
        hidden: dict[str, list[bool]] = {}
        for line in ax.lines:
            if line.get_linewidth() == 0.5:
                hidden.setdefault(line.get_color(), []).append(
                    bool(np.isnan(np.asarray(line.get_ydata(), float)).all())
                )
        assert hidden[plots.METHOD_STYLE["spline"][0]] == [True, True]
        assert hidden[plots.METHOD_STYLE["linear"][0]] == [False, False]
        plt.close(fig)
