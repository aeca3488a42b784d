"""Plot functions on small data: they draw, save byte-stable files, close figures, and fail clearly."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from digecon.outputs import plots
from digecon.outputs.gallery import tile_grid
from digecon.core.provinces import province_table

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


def test_chinese_labels_without_cjk_font_say_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(plots, "cjk_font", lambda: None)
    with pytest.raises(plots.FontMissingError, match="fonts-noto-cjk"), plots.house_style("zh"):
        pass


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
