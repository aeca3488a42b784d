"""The gallery on a toy estimate: every figure, data file and thumbnail exists, and the page loads
every image in headless Chromium (skipped, with the reason, where Chromium is not installed)."""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from digecon.outputs.export import wide_tables
from digecon.outputs.gallery import KINDS, build_figures, write_gallery_html
from tests.test_estimate import run, toy_yearbook


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
def gallery(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("gallery")
    result = run(methods=("hold", "linear", "chow_lin"), conventions=("share",))
    gdp = toy_yearbook()
    share = wide_tables(
        result.values, result.totals, gdp[gdp["indicator"] == "地区生产总值"], method="linear", convention="share"
    )["share_of_gdp"]
    items = [
        item
        for kind in KINDS
        for item in build_figures(
            kind,
            result.values,
            result.totals,
            result.backtest,
            share,
            root,
            method="linear",
            convention="share",
            vintage="toy data",
        )
    ]
    write_gallery_html(items, root / "index.html", title="test gallery", run_date="2026-01-01", note="toy")
    return root


def test_every_referenced_file_exists(gallery: Path) -> None:
    parser = Links()
    parser.feed((gallery / "index.html").read_text(encoding="utf-8"))
    assert len(parser.images) == 1 + 1 + 9  # one province figure, one methods figure, nine overview figures
    for reference in parser.images + parser.links:
        assert not reference.startswith(("/", "http")), reference  # relative: works from disk
        assert (gallery / reference).is_file(), reference
    assert all((gallery / r).read_bytes().startswith(b"\x89PNG") for r in parser.images)
    assert sum(r.endswith(".csv") for r in parser.links) == len(parser.images)


def test_captions_name_method_and_data(gallery: Path) -> None:
    page = (gallery / "index.html").read_text(encoding="utf-8")
    assert page.count("Method: linear, convention: share. Data: toy data.") == 11
    assert "Run of 2026-01-01" in page


def test_images_load_in_headless_chromium(gallery: Path, tmp_path: Path) -> None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.skip("Chromium is not installed (Debian package chromium); the HTML is checked by the other tests")
    # the page itself plus a script that loads every <img> source and reports how many failed
    probe = gallery / "probe.html"
    page = (gallery / "index.html").read_text(encoding="utf-8")
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
    assert match.group(1) == match.group(2) == "11"
