"""The gallery on a small synthetic run of three provinces (not Beijing; Tibet without the first table).

Every figure, data file and thumbnail exists, figures show the provinces present, every label and
caption comes from the data, and the page loads every image in headless Chromium (skipped, with the
reason, where Chromium is not installed).
"""

from __future__ import annotations

import ast
import dataclasses
import io
import json
import re
import shutil
import subprocess
import warnings
from html.parser import HTMLParser
from pathlib import Path

import matplotlib
import matplotlib.figure
import matplotlib.font_manager
import matplotlib.text
import numpy as np
import pandas as pd
import pytest
from matplotlib.ft2font import FT2Font
from PIL import Image

import digecon
from digecon.core.provinces import province_table
from digecon.core.settings import Settings
from digecon.outputs import gallery, labels, plots
from digecon.outputs.gallery import KINDS, RunAbout, build_figures, write_gallery_html
from digecon.outputs.panel import panel_table
from tests.synthetic import settings_for, write_inputs

YEARS = range(2002, 2013)
# province: (name, English name, benchmark years)
PROVINCES = {
    130000: ("河北", "Hebei", (2002, 2007, 2012)),
    320000: ("江苏", "Jiangsu", (2002, 2007, 2012)),
    540000: ("西藏", "Tibet", (2007, 2012)),
}
COMPONENTS = {
    "electronics": "production",
    "it_services": "production",
    "telecom": "circulation",
    "media": "circulation",
}
METHODS = ("hold", "linear")
# design label: (kind, distance, held-out year, benchmarks used, provinces)
DESIGNS = {
    "2007 left out (from 2002, 2012)": ("interpolation", 5, 2007, "2002,2012", (130000, 320000)),
    "2012 from 2002-2007": ("extrapolation", 5, 2012, "2002,2007", (130000, 320000)),
    "2012 from 2007": ("extrapolation", 5, 2012, "2007", (540000,)),
    "2012 from 2002": ("extrapolation", 10, 2012, "2002", (130000, 320000)),
}
VINTAGE = "NBS regional IO tables 2002, 2007, 2012; NBS provincial annual series (revised vintage), 2002-2012"


def toy_values() -> pd.DataFrame:
    """Component k of the i-th province: (i + 1) x (k + 1) x (year - 2000) 亿元, the same under every method."""
    return pd.DataFrame(
        [
            {
                "province_code": code,
                "year": year,
                "component": component,
                "category": category,
                "method": method,
                "convention": "share",
                "value_100m_yuan": float((i + 1) * (k + 1) * (year - 2000)),
            }
            for i, code in enumerate(PROVINCES)
            for year in YEARS
            for k, (component, category) in enumerate(COMPONENTS.items())
            for method in METHODS
        ]
    )


def toy_totals() -> pd.DataFrame:
    """Totals of ``toy_values`` with a 10 % band and GDP of 100 x the total's province index + 1000."""
    values = toy_values()
    totals = values.groupby(["province_code", "year", "method", "convention"], as_index=False)["value_100m_yuan"].sum()
    names = {code: (name, english) for code, (name, english, _) in PROVINCES.items()}
    gdp = 1000.0 + 100 * totals["province_code"].map({c: i for i, c in enumerate(PROVINCES)})
    benchmark = [year in PROVINCES[code][2] for code, year in zip(totals["province_code"], totals["year"], strict=True)]
    return totals.assign(
        province=totals["province_code"].map(lambda c: names[c][0]),
        province_en=totals["province_code"].map(lambda c: names[c][1]),
        lower_100m_yuan=0.9 * totals["value_100m_yuan"],
        upper_100m_yuan=1.1 * totals["value_100m_yuan"],
        flag=["benchmark" if b else "interpolated" for b in benchmark],
        gdp_100m_yuan=gdp,
        share_of_gdp_percent=totals["value_100m_yuan"] / gdp * 100,
    )


def toy_backtest() -> pd.DataFrame:
    rows = []
    for label, (kind, distance, holdout, used, codes) in DESIGNS.items():
        for code in codes:
            for j, component in enumerate([*COMPONENTS, "total"]):
                for m, method in enumerate(METHODS):
                    rows.append(
                        {
                            "holdout_year": holdout,
                            "design": "leave_one_out" if kind == "interpolation" else "extrapolation",
                            "kind": kind,
                            "province_code": code,
                            "component": component,
                            "method": method,
                            "convention": "share",
                            "estimate": 100.0 + j + m,
                            "actual": 100.0,
                            "ape": (j + m + distance) / 100,
                            "benchmarks_used": used,
                            "design_label": label,
                            "distance_years": distance,
                        }
                    )
    return pd.DataFrame(rows)


def toy_panel() -> pd.DataFrame:
    """Real growth of the three provinces and China (code 0): 2002 has no previous year, 2011-2012 no price index."""
    rows = []
    for code in (0, *PROVINCES):
        for year in YEARS:
            indexed = year < 2011
            rows.append(
                {
                    "province_code": code,
                    "year": year,
                    "method": "linear",
                    "convention": "share",
                    "real_growth_percent": (year - 2005) * 2.0 if indexed and year > YEARS[0] else None,
                    "real_flag": "deflated" if indexed else "no price index",
                    "price_base_year": 2017,
                }
            )
    return pd.DataFrame(rows)


def toy_about(**changes: object) -> RunAbout:
    about = RunAbout(
        version="9.9.9",
        run_date="2026-01-01",
        method="linear",
        convention="share",
        first_year=2002,
        last_year=2012,
        base_year=2017,
        chains={"electronics": ("c39_revenue", "auto"), "telecom": ("other_services", "other_services")},
        sources={"io_tables": "owner/repository@abc1234"},
        user_files=2,
    )
    return dataclasses.replace(about, **changes)


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.images: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "img":
            self.images.append(values["src"] or "")
        if tag == "a" and not (values.get("href") or "").startswith("#"):
            self.links.append(values["href"] or "")


@pytest.fixture(scope="module")
def gallery_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("gallery")
    items = [
        item
        for kind in KINDS
        for item in build_figures(
            kind,
            toy_values(),
            toy_totals(),
            toy_backtest(),
            root,
            method="linear",
            convention="share",
            panel=toy_panel(),
        )
    ]
    write_gallery_html(items, root / "index.html", language="en", about=toy_about())
    return root


def items(root: Path) -> dict[str, dict]:
    return {item["id"]: item for item in json.loads((root / "overview" / "items.json").read_text(encoding="utf-8"))}


def test_every_referenced_file_exists(gallery_root: Path) -> None:
    parser = Links()
    parser.feed((gallery_root / "index.html").read_text(encoding="utf-8"))
    # three province figures, three methods figures, eleven overview figures (band coverage and real growth
    # included; the national ratio figure needs the national consistency table, which this fixture does not pass)
    assert len(parser.images) == 3 + 3 + 11
    for reference in parser.images + parser.links:
        assert not reference.startswith(("/", "http")), reference  # relative: works from disk
        assert (gallery_root / reference).is_file(), reference
    assert all((gallery_root / r).read_bytes().startswith(b"\x89PNG") for r in parser.images)
    assert sum(r.endswith(".csv") for r in parser.links) == len(parser.images)


def test_captions_name_method_and_the_data_vintage(gallery_root: Path) -> None:
    page = (gallery_root / "index.html").read_text(encoding="utf-8")
    # the vintage is read from the data: benchmark years of any province, span of the estimate
    assert page.count(f"Method: linear, convention: share. Data: {VINTAGE}.") == 17


def test_national_figure_sums_the_provinces_present(gallery_root: Path) -> None:
    national = pd.read_csv(gallery_root / "overview" / "data" / "national.csv")
    by_year = national.groupby("year")["value_100m_yuan"].sum()
    assert by_year[2012] == (1 + 2 + 3) * (1 + 2 + 3 + 4) * 12  # three provinces, four components, in 2012
    assert "Sum over the 3 provinces" in items(gallery_root)["national"]["caption"]


def test_rankings_and_heatmap_show_the_provinces_present(gallery_root: Path) -> None:
    ranking = pd.read_csv(gallery_root / "overview" / "data" / "ranking.csv").set_index("province_code")
    assert sorted(ranking.index) == sorted(PROVINCES)
    # Tibet: total 3 x 10 x 12 = 360 of GDP 1200 in 2012
    assert ranking.loc[540000, "share_of_gdp_percent"] == pytest.approx(30.0)
    heat = pd.read_csv(gallery_root / "overview" / "data" / "heatmap_share.csv")
    assert heat["province_code"].tolist() == list(PROVINCES)
    assert heat.columns.tolist() == ["province_code", "name", *[str(y) for y in YEARS]]


def test_tile_maps_keep_every_tile_and_fill_the_provinces_present(gallery_root: Path) -> None:
    for key in ("level", "share", "growth"):
        tiles = pd.read_csv(gallery_root / "overview" / "data" / f"tilemap_{key}.csv")
        assert len(tiles) == 31
        assert sorted(tiles.dropna(subset=["value"])["province_code"]) == sorted(PROVINCES)
        assert "Grey tiles: no value" in items(gallery_root)[f"tilemap_{key}"]["caption"]
    growth = pd.read_csv(gallery_root / "overview" / "data" / "tilemap_growth.csv").set_index("province_code")
    assert growth.loc[320000, "value"] == pytest.approx(((12 / 7) ** (1 / 5) - 1) * 100)  # 2007-2012


def test_backtest_panels_and_caption_list_the_designs_present(gallery_root: Path) -> None:
    caption = items(gallery_root)["backtest"]["caption"]
    for label in DESIGNS:
        assert label in caption
    assert "Interpolation, 5 years from the nearest benchmark: 2007 left out (from 2002, 2012), n = 2." in caption
    assert "2012 from 2002-2007, n = 2; 2012 from 2007, n = 1." in caption
    assert "Extrapolation, 10 years from the nearest benchmark: 2012 from 2002, n = 2." in caption
    # one panel per kind and distance, 2.3 inches each (and 0.4 for the legend), at 300 dpi
    with Image.open(gallery_root / "overview" / "figures" / "backtest.png") as image:
        assert image.height == round((3 * 2.3 + 0.4) * 300)


def test_overview_needs_the_share_of_gdp_columns(tmp_path: Path) -> None:
    totals = toy_totals().drop(columns=["gdp_100m_yuan"])
    with pytest.raises(ValueError, match=r"totals .* lacks the column\(s\) gdp_100m_yuan"):
        build_figures("overview", toy_values(), totals, toy_backtest(), tmp_path, method="linear", convention="share")
    backtest = toy_backtest().drop(columns=["design_label"])
    with pytest.raises(ValueError, match="design_label"):
        build_figures("overview", toy_values(), toy_totals(), backtest, tmp_path, method="linear", convention="share")


def test_unknown_kind_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown gallery kind 'maps'"):
        build_figures("maps", toy_values(), toy_totals(), toy_backtest(), tmp_path, method="linear", convention="share")


def chinese_overview(folder: Path) -> list:
    """The overview figures of the toy tables in Chinese."""
    return build_figures(
        "overview",
        toy_values(),
        toy_totals(),
        toy_backtest(),
        folder,
        method="linear",
        convention="share",
        language="zh",
        panel=toy_panel(),
    )


def test_chinese_overview_draws(tmp_path: Path) -> None:
    made = chinese_overview(tmp_path)
    assert len(made) == 11
    assert all((tmp_path / item.png).is_file() for item in made)


def test_without_any_cjk_font_the_chinese_figures_are_drawn_in_english_names_included(
    no_system_cjk_font: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(plots, "PACKAGED_CJK", ("digecon_no_such_font", "none.ttc", "Noto Sans CJK SC"))
    drawn: list[str] = []
    save = plots.save_figure

    def recording(fig: matplotlib.figure.Figure, base: Path, *args: object, **kwargs: object) -> list[Path]:
        written = save(fig, base, *args, **kwargs)
        drawn.extend(t.get_text() for t in shown_texts(fig))
        return written

    monkeypatch.setattr(plots, "save_figure", recording)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        made = chinese_overview(tmp_path)
    assert [str(w.message) for w in caught if "missing from font" in str(w.message)] == []
    assert "Inner\nMongolia" in drawn and "Jiangsu" in drawn  # tile map and heat map: English names
    assert [t for t in drawn if re.search(f"[{plots.WIDE}]", t)] == []
    assert all(re.search(f"[{plots.WIDE}]", item.caption) for item in made)  # captions keep the page's language


def literals(module) -> list[object]:
    """Every number and string of a module's code, leaving out docstrings."""
    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and id(node) not in docstrings and isinstance(node.value, int | float | str)
    ]


YEAR = re.compile(r"(?<!\d)(19[89]\d|20\d\d)(?!\d)")


def names_a_year_or_province(value: object) -> bool:
    """A year (1980-2099) or a six-digit province code, as a number or inside a string (colours aside)."""
    if isinstance(value, str):
        return not value.startswith("#") and bool(YEAR.search(value) or re.search(r"\d{6}", value))
    return not isinstance(value, bool) and (1980 <= value <= 2099 or value >= 100000)


@pytest.mark.parametrize("module", [gallery, plots], ids=["gallery", "plots"])
def test_no_year_or_province_literals_in_the_figure_code(module) -> None:
    # benchmark years, held-out years and provinces are data: the figures must work for any run
    assert [v for v in literals(module) if names_a_year_or_province(v)] == []


def test_images_load_in_headless_chromium(gallery_root: Path, tmp_path: Path) -> None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.skip("Chromium is not installed (Debian package chromium); the HTML is checked by the other tests")
    # the page itself plus a script that loads every <img> source and reports how many failed
    probe = gallery_root / "probe.html"
    page = (gallery_root / "index.html").read_text(encoding="utf-8")
    script = """<script>
    Promise.all([...document.images].map(i => new Promise(ok => { const t = new Image();
      t.onload = () => ok(t.naturalWidth > 0); t.onerror = () => ok(false); t.src = i.src; })))
    .then(r => { const p = document.createElement('pre'); p.id = 'probe';
      p.textContent = 'loaded ' + r.filter(Boolean).length + ' of ' + r.length; document.body.append(p); });
    </script></body>"""
    probe.write_text(page.replace("</body>", script), encoding="utf-8")
    result = subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={tmp_path}",
            "--allow-file-access-from-files",
            "--virtual-time-budget=10000",
            "--dump-dom",
            probe.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    match = re.search(r"loaded (\d+) of (\d+)", result.stdout)
    assert match, result.stderr[-2000:]
    assert match.group(1) == match.group(2) == "17"


def test_publish_swaps_the_gallery_in_whole_and_a_failure_keeps_the_old_one(tmp_path: Path) -> None:
    def part(name: str, figure: str) -> Path:
        folder = tmp_path / f"parts_{figure}" / name
        (folder / "thumbs").mkdir(parents=True, exist_ok=True)
        (folder / "thumbs" / f"{figure}.png").write_bytes(b"\x89PNG")
        item = {
            "id": figure,
            "kind": name,
            "title": figure,
            "caption": "c",
            "png": f"{name}/thumbs/{figure}.png",
            "svg": f"{name}/thumbs/{figure}.png",
            "data": f"{name}/thumbs/{figure}.png",
            "thumbnail": f"{name}/thumbs/{figure}.png",
        }
        (folder / "items.json").write_text(json.dumps([item]), encoding="utf-8")
        return folder

    dest = tmp_path / "gallery"
    first = gallery.publish_gallery([part("overview", "a")], dest, language="en", about=toy_about())
    assert [i.id for i in first] == ["a"] and (dest / "overview/thumbs/a.png").is_file()
    before = (dest / "index.html").read_text(encoding="utf-8")
    broken = tmp_path / "parts_b" / "province"
    broken.mkdir(parents=True)  # a figure job that died before writing its items.json
    with pytest.raises(FileNotFoundError):
        gallery.publish_gallery([part("overview", "b"), broken], dest, language="en", about=toy_about())
    assert (dest / "index.html").read_text(encoding="utf-8") == before  # the old gallery, intact
    assert (dest / "overview/thumbs/a.png").is_file() and not (dest / "overview/thumbs/b.png").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".gallery")] == []  # nothing left over
    second = gallery.publish_gallery([part("overview", "c")], dest, language="en", about=toy_about())
    assert [i.id for i in second] == ["c"] and not (dest / "overview/thumbs/a.png").exists()


def test_coverage_figure_shows_the_method_by_distance_and_names_where_the_rule_stood_in(gallery_root: Path) -> None:
    item = items(gallery_root)["band_coverage"]
    data = pd.read_csv(gallery_root / item["data"])
    assert set(data["method"]) == {"linear"} and set(data["convention"]) == {"share"}
    assert sorted(set(data["component"])) == sorted([*COMPONENTS, "total"])
    by_kind = data.drop_duplicates(["kind", "distance_years"]).set_index(["kind", "distance_years"])
    assert sorted(by_kind.index) == [("extrapolation", 5), ("extrapolation", 10), ("interpolation", 5)]
    # one interpolation design: no other design to build its band from; one design at 10 years: the fitted rule
    assert by_kind.loc[("interpolation", 5), "band_from"] == "no band"
    assert by_kind.loc[("extrapolation", 10), "band_from"] == "fitted beyond measured"
    assert by_kind.loc[("extrapolation", 5), "n_designs"] == 2
    caption = item["caption"]
    assert "interpolation 5 years no nested band (no other design)" in caption
    assert "extrapolation, 10 years: fitted beyond measured" in caption
    assert "against the nominal 80%" in caption


def toy_national() -> pd.DataFrame:
    """A national consistency report: benchmark years of the toy gallery and one control year, 2005."""
    years = {2002: "benchmark", 2005: "control", 2007: "benchmark", 2012: "benchmark"}
    rows = []
    for method in METHODS:
        for k, component in enumerate([*COMPONENTS, "total"]):
            for year, kind in years.items():
                reference = max((y for y, c in years.items() if c == "benchmark" and y < year), default=None)
                ratio = 1.0 + k / 10 + (year - 2002) / 100
                before = None if reference is None else 1.0 + k / 10 + (reference - 2002) / 100
                rows.append(
                    {
                        "year": year,
                        "year_kind": kind,
                        "component": component,
                        "method": method,
                        "convention": "share",
                        "ratio": ratio,
                        "reference_year": reference,
                        "drift": None if before is None else ratio / before - 1,
                    }
                )
    return pd.DataFrame(rows)


def test_national_ratio_figure_marks_control_years_and_says_nothing_is_rescaled(tmp_path: Path) -> None:
    made = build_figures(
        "overview",
        toy_values(),
        toy_totals(),
        toy_backtest(),
        tmp_path,
        method="linear",
        convention="share",
        national=toy_national(),
    )
    item = {i.id: i for i in made}["national_ratio"]
    assert (tmp_path / item.png).is_file() and (tmp_path / item.thumbnail).is_file()
    data = pd.read_csv(tmp_path / item.data)
    assert set(data["method"]) == {"linear"} and len(data) == 4 * 5  # years x (components + total)
    assert "regional benchmark years (2002, 2007, 2012;" in item.caption
    assert "control years with a national table only (2005;" in item.caption
    assert "2005 1.430 (+2.1% since 2002)" in item.caption  # total: 1.4 + 0.03 over 1.4
    assert (
        "not rescaled" in item.caption
        and "(information sector, 2017 held out: median APE 14 % -> 24 %)" in item.caption
    )
    # the same measured numbers in the Chinese caption
    chinese = gallery._national_ratio_caption(toy_national(), gallery.labels_for("zh"))
    assert "各省未按全国总量等比例缩放" in chinese and "留出2017年：绝对百分比误差中位数14% → 24%" in chinese
    without = build_figures(
        "overview", toy_values(), toy_totals(), toy_backtest(), tmp_path / "b", method="linear", convention="share"
    )
    assert "national_ratio" not in {i.id for i in without}


def test_footer_names_version_date_and_settings_in_the_pages_language(tmp_path: Path) -> None:
    english = gallery.footer_text(toy_about(), gallery.labels_for("en"))
    for part in ("digecon 9.9.9", "run of 2026-01-01", "method: linear (`linear`)", "convention: share (`share`)"):
        assert part in english
    assert "years 2002-2012" in english and "constant prices of 2017" in english
    assert "electronics c39_revenue (chosen by the backtest)" in english
    assert "telecom other_services (set in the configuration)" in english
    assert "`io_tables: owner/repository@abc1234`; 2 files of the user's" in english
    chinese = gallery.footer_text(toy_about(), gallery.labels_for("zh"))
    for part in ("运行日期：2026-01-01", "方法：线性（`linear`）", "年份：2002-2012年", "不变价基期：2017年"):
        assert part in chinese
    assert "电子设备：C39主营业务收入（由回测选定）" in chinese and "用户自有文件2个" in chinese
    write_gallery_html([], tmp_path / "index.html", language="zh", about=toy_about())
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in page and "<footer>digecon 9.9.9 · 运行日期：2026-01-01" in page
    assert "<code>io_tables: owner/repository@abc1234</code>" in page


def test_real_growth_figure_puts_china_first_and_says_where_real_values_are_missing(gallery_root: Path) -> None:
    item = items(gallery_root)["real_growth"]
    data = pd.read_csv(gallery_root / item["data"])
    assert data["province_code"].drop_duplicates().tolist() == [0, *PROVINCES]
    assert data.loc[(data["province_code"] == 320000) & (data["year"] == 2008), "real_growth_percent"].item() == 6.0
    assert (
        "Hatched grey: no real growth, 2002: no real value of the previous year; 2011, 2012: no price index."
        in (item["caption"])
    )
    empty = toy_panel().assign(real_growth_percent=None, real_flag="no price index")
    made = build_figures(
        "overview",
        toy_values(),
        toy_totals(),
        toy_backtest(),
        tmp_root := gallery_root / "empty",
        method="linear",
        convention="share",
        panel=empty,
    )
    assert (
        "No real values in this run: no price index covers its years." in {i.id: i for i in made}["real_growth"].caption
    )
    assert (tmp_root / "overview" / "figures" / "real_growth.png").is_file()


def test_real_growth_figure_says_which_years_rest_on_the_gdp_deflator(gallery_root: Path) -> None:
    panel = toy_panel()
    on_gdp = panel["year"].isin([2009, 2010])
    made = build_figures(
        "overview",
        toy_values(),
        toy_totals(),
        toy_backtest(),
        root := gallery_root / "gdp_deflator",
        method="linear",
        convention="share",
        panel=panel.assign(real_flag=panel["real_flag"].where(~on_gdp, "gdp deflator")),
    )
    caption = {i.id: i for i in made}["real_growth"].caption
    assert (
        "Dots: real values resting on the GDP deflator for a year without the sector's price index (2009, 2010)."
        in (caption)
    )
    data = pd.read_csv(root / {i.id: i for i in made}["real_growth"].data)
    assert set(data.loc[data["year"].isin([2009, 2010]), "real_flag"]) == {"gdp deflator"}


def carried(code: int, year: int, component: str) -> str:
    """Tables in their years; after 2008 every component by an aggregate; telecom by one throughout; media in part."""
    if year in PROVINCES[code][2]:
        return "benchmark table"
    if component == "media" and year < 2009:
        return "mixed"
    return "aggregate" if year >= 2009 or component == "telecom" else "industry series"


@pytest.mark.parametrize("language", ["en", "zh"])
def test_province_and_methods_figures_shade_the_years_only_aggregates_carry(tmp_path: Path, language: str) -> None:
    values = toy_values()
    keys = zip(values["province_code"], values["year"], values["component"], strict=True)
    values["carried_by"] = [carried(*key) for key in keys]
    made = {
        item.id: item
        for kind in ("province", "methods")
        for item in build_figures(
            kind, values, toy_totals(), toy_backtest(), tmp_path, method="linear", convention="share", language=language
        )
    }
    hebei, tibet = made["province_130000"], made["province_540000"]
    if language == "en":
        assert "no series of the industries themselves (2009-2011)." in hebei.caption
        assert "Carried only by an aggregate in further years: telecom 2003-2006, 2008 (column `carried_by`" in (
            hebei.caption
        )
        assert "Carried in part by an aggregate (a combination of chains of both kinds): media 2003-2006, 2008." in (
            hebei.caption
        )
        assert "(2009-2011)" in made["methods_130000"].caption
        assert "telecom 2002-2006, 2008 (" in tibet.caption  # Tibet's first table is 2007
    else:
        assert "没有数字产业自身序列的年份（2009-2011年）" in hebei.caption
        assert "电信2003-2006、2008年" in hebei.caption
        assert "部分由总量指标推算（组合中两类指标链都有）的年份：媒体2003-2006、2008年。" in hebei.caption
    data = pd.read_csv(tmp_path / hebei.data).set_index("year")
    assert data.index[data["aggregate_only"]].tolist() == [2009, 2010, 2011]
    assert data.loc[2008, ["electronics_carried_by", "telecom_carried_by"]].tolist() == ["industry series", "aggregate"]
    methods = pd.read_csv(tmp_path / made["methods_130000"].data)
    assert sorted(set(methods.loc[methods["aggregate_only"], "year"])) == [2009, 2010, 2011]
    # without the column (results of an earlier version) nothing is shaded or said
    plain = build_figures(
        "province", toy_values(), toy_totals(), toy_backtest(), tmp_path / "plain", method="linear", convention="share"
    )
    assert "Grey" not in plain[0].caption


def test_the_shaded_years_are_drawn_with_a_legend_entry() -> None:
    words = labels.labels_for("en")
    _, ax = plots.components_figure()
    frame = toy_values().query("province_code == 130000 and method == 'linear'")
    plots.plot_components(ax, frame, words, title="t", aggregate_years=[2003, 2004, 2009, 2010, 2011])
    spans = [p.get_x() for p in ax.patches if isinstance(p, matplotlib.patches.Rectangle)]
    assert spans == [2002.5, 2008.5]  # one span per run of years, half a year either side
    assert words["aggregate_only"] in [t.get_text() for t in ax.get_legend().get_texts()]
    _, ax = plots.methods_figure()
    totals = toy_totals().query("province_code == 130000")
    plots.plot_methods(ax, totals, words, title="t", benchmark_years=[2007], aggregate_years=[2011, 2012])
    assert [p.get_x() for p in ax.patches if isinstance(p, matplotlib.patches.Rectangle)] == [2010.5]
    assert words["aggregate_only"] in [t.get_text() for t in ax.get_legend().get_texts()]
    matplotlib.pyplot.close("all")


def test_years_are_listed_with_ranges() -> None:
    words = gallery.labels_for("en")
    assert gallery._years([2020, 2002, 2021, 2022, 2023, 2007, 2008], words) == "2002, 2007, 2008, 2020-2023"
    assert gallery._years([2011, 2012], gallery.labels_for("zh")) == "2011、2012"


def test_the_province_caption_names_the_years_carried_from_a_negligible_table() -> None:
    frame = pd.DataFrame(
        {
            "year": [2017, 2018, 2019, 2018, 2019],
            "component": ["electronics", "electronics", "electronics", "media", "media"],
            "zero_benchmark": [None, "borrowed", "borrowed", "unverifiable", "unverifiable"],
            "indicator": ["C39主营业务收入"]
            + ["C39主营业务收入 (spliced: 工业增加值 x 0.0009, ratio in 2016)"] * 2
            + ["x"] * 2,
        }
    )
    english = gallery._zero_notes(frame, gallery.labels_for("en"))
    assert english[0].startswith("Electronics (C39) 2018, 2019: carried from a negligible table value, so estimated")
    assert "from C39主营业务收入 with the peer provinces' ratio" in english[0]
    assert (
        english[1].startswith("Radio, TV, film, publishing (R86-87) 2018, 2019: carried")
        and "(unverifiable;" in english[1]
    )
    assert gallery._zero_notes(frame.drop(columns="zero_benchmark"), gallery.labels_for("en")) == []
    assert gallery._zero_notes(frame, gallery.labels_for("zh"))[0].startswith("电子设备制造 (C39)，2018、2019年")
    # a combination names no indicator: its unverifiable years read back from the CSV with an empty one
    combined = frame[frame["component"] == "media"].assign(indicator=np.nan)
    assert "(unverifiable;" in gallery._zero_notes(combined, gallery.labels_for("en"))[0]


def test_every_figure_is_a_journal_column_wide(gallery_root: Path) -> None:
    widths = set()
    for png in (gallery_root / "overview" / "figures").glob("*.png"):
        with Image.open(png) as image:
            widths.add(image.width)
    assert widths <= {round(plots.SINGLE_COLUMN * 300), round(plots.DOUBLE_COLUMN * 300)}


# --- the whole gallery of the synthetic configuration, in each language ------------------------------


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, digecon.Result, pd.DataFrame]:
    """The estimates of the synthetic configuration (tests/synthetic.py) and their panel (no price index).

    Every table goes through CSV, as between the pipeline's jobs (the API's tables keep some object columns).
    """
    settings = settings_for(write_inputs(tmp_path_factory.mktemp("synthetic") / "inputs"))
    result = digecon.estimate(digecon.load_inputs(settings=settings), settings)
    estimate = settings.estimate
    panel = panel_table(
        result.values,
        result.totals,
        result.real_values,
        result.deflators,
        method=estimate.recommended_method,
        convention=estimate.recommended_convention,
        base_year=settings.prices.base_year,
    )
    through_csv = {
        name: pd.read_csv(io.StringIO(getattr(result, name).to_csv(index=False)))
        for name in ("values", "totals", "backtest", "national_consistency")
    }
    return settings, dataclasses.replace(result, **through_csv), pd.read_csv(io.StringIO(panel.to_csv(index=False)))


class PageText(HTMLParser):
    """The text a reader sees (and image descriptions), leaving out code, styles and scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.skipping += tag in ("code", "style", "script")
        self.parts += [value or "" for name, value in attrs if name in ("alt", "title")]

    def handle_endtag(self, tag: str) -> None:
        self.skipping -= tag in ("code", "style", "script")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def shown_texts(fig: matplotlib.figure.Figure) -> list[matplotlib.text.Text]:
    """Every text drawn on a figure (titles, ticks, legends, annotations), hidden panels left out."""
    return [
        t
        for t in fig.findobj(matplotlib.text.Text)
        if t.get_visible() and t.get_text().strip() and (t.axes is None or t.axes.get_visible())
    ]


def render_gallery(
    language: str, synthetic: tuple, root: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[str, list[tuple]]:
    """Build every figure and the page of the synthetic run; give the page's text and each figure's texts."""
    settings, result, panel = synthetic
    texts: list[tuple[str, matplotlib.text.Text, tuple[str, ...]]] = []
    save = plots.save_figure

    def recording(fig: matplotlib.figure.Figure, base: Path, *args: object, **kwargs: object) -> list[Path]:
        written = save(fig, base, *args, **kwargs)  # drawn: tick labels are set
        # the fonts are looked up now, inside the gallery's style (a Chinese one for zh)
        texts.extend((Path(base).name, t, fonts_of(t)) for t in shown_texts(fig))
        return written

    monkeypatch.setattr(plots, "save_figure", recording)
    estimate = settings.estimate
    items = [
        item
        for kind in KINDS
        for item in build_figures(
            kind,
            result.values,
            result.totals,
            result.backtest,
            root,
            method=estimate.recommended_method,
            convention=estimate.recommended_convention,
            language=language,
            national=result.national_consistency,
            panel=panel,
        )
    ]
    chains = settings.as_dict()["indicators"]["chains"]
    about = toy_about(
        chains={c: (choice.candidate.name, chains[c]["use"]) for c, choice in result.chain_choices.items()},
        first_year=estimate.first_year,
        last_year=estimate.last_year,
    )
    write_gallery_html(items, root / "index.html", language=language, about=about)
    parser = PageText()
    parser.feed((root / "index.html").read_text(encoding="utf-8"))
    return "\n".join(parser.parts), texts


KEYS_AS_WORDS = re.compile("|".join(rf"\b{re.escape(k)}\b" for k in labels.CATALOGUE if "_" in k))


def leftovers(text: str, language: str) -> list[str]:
    """What a reader should never see: unfilled templates, nan, catalogue keys, and (Chinese) English words."""
    found = re.findall(r"\{[^}]*\}|\bnan\b|\bNone\b|\bNaN\b", text) + KEYS_AS_WORDS.findall(text)
    return found + (labels.latin_words(text) if language == "zh" else [])


def fonts_of(text: matplotlib.text.Text) -> tuple[str, ...]:
    """The font files matplotlib draws ``text`` with, the fallbacks included."""
    return tuple(matplotlib.font_manager.fontManager._find_fonts_by_props(text.get_fontproperties()))


def missing_glyphs(texts: list[tuple]) -> list[tuple[str, str]]:
    """Characters no font of their text has a glyph for (drawn as empty boxes), by figure."""
    missing = set()
    for figure, text, paths in texts:
        fonts = [FT2Font(path) for path in paths]
        for char in set(text.get_text()) - set(" \n"):
            if not any(font.get_char_index(ord(char)) for font in fonts):
                missing.add((figure, char))
    return sorted(missing)


@pytest.mark.parametrize(("language", "fonts"), [("en", "system"), ("zh", "system"), ("zh", "packaged")])
def test_the_synthetic_gallery_speaks_one_language_throughout(
    language: str, fonts: str, synthetic: tuple, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    # the Chinese gallery with whatever fonts this machine has (a system CJK font is preferred), and as
    # on a machine without any, where it draws with the font that the package noto-cjk-sans-otc installs
    if fonts == "packaged":
        request.getfixturevalue("no_system_cjk_font")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        page, texts = render_gallery(language, synthetic, tmp_path, request.getfixturevalue("monkeypatch"))
    assert [str(w.message) for w in caught if "missing from font" in str(w.message)] == []
    if fonts == "packaged":
        assert {Path(paths[0]).parent.name for *_, paths in texts} == {"noto_cjk_sans_otc"}  # the packaged file
    assert {figure for figure, *_ in texts} >= {"national", "real_growth", "tilemap_level", "backtest"}
    assert leftovers(page, language) == []
    drawn = {(figure, word) for figure, text, _ in texts for word in leftovers(text.get_text(), language)}
    assert sorted(drawn) == []
    assert missing_glyphs(texts) == []
    small = {(figure, text.get_text()[:30]) for figure, text, _ in texts if text.get_fontsize() < 7}
    assert sorted(small) == []  # legible at the printed size
    # the synthetic run has no price index: the real-growth figure says so instead of showing numbers
    notes = [text.get_text() for figure, text, _ in texts if figure == "real_growth"]
    assert labels.labels_for(language)["real_growth_empty"] in notes
    # titles and province names in the language asked for (not English for want of a font)
    drawn = {text.get_text() for _, text, _ in texts}
    assert labels.labels_for(language)["heatmap_title"] in drawn
    names = province_table()["province" if language == "zh" else "province_en"]
    tiles = {text.get_text() for figure, text, _ in texts if figure == "tilemap_level"}
    assert {plots._tile_name(name) for name in names} <= tiles


def test_the_scan_finds_english_left_in_a_chinese_page() -> None:
    assert leftovers("方法：线性；Grey tiles: no value", "zh") == ["Grey", "tiles", "no", "value"]
    assert leftovers("合计 {total} 与 band_from_measured，nan", "en") == ["{total}", "nan", "band_from_measured"]


def test_the_page_links_the_scenario_comparison_only_when_scenarios_ran(tmp_path: Path) -> None:
    about = toy_about(scenarios=("linear_only", "census_2010"), scenarios_page="../scenarios/index.html")
    for language, text in [
        ("en", "Scenarios compared: linear_only, census_2010"),
        ("zh", "情景比较：linear_only, census_2010"),
    ]:
        write_gallery_html([], tmp_path / language / "index.html", language=language, about=about)
        links = Links()
        links.feed((tmp_path / language / "index.html").read_text(encoding="utf-8"))
        assert links.links == ["../scenarios/index.html"]
        assert f'<a href="../scenarios/index.html">{text}</a></nav>' in (tmp_path / language / "index.html").read_text(
            encoding="utf-8"
        )
    write_gallery_html([], tmp_path / "none.html", language="en", about=toy_about())
    none = Links()
    none.feed((tmp_path / "none.html").read_text(encoding="utf-8"))
    assert none.links == [] and "Scenarios" not in (tmp_path / "none.html").read_text(encoding="utf-8")
