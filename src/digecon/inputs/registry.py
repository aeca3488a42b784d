"""The input registry: every file the estimate can read, described once.

Built from the manifest (``data/raw/MANIFEST.csv``: the built-in inputs, each with its pinned
URL and sha256) and the settings (the user's own tables, indicators and census ratios). The
Snakemake input functions and :func:`digecon.load_inputs` both take their paths from here, so
the pipeline and the Python API cannot disagree about what is read. This is the only module
that knows the manifest's dataset names and how their files are named.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from digecon.core.errors import InputError
from digecon.core.settings import Settings
from digecon.inputs.retrieve import ManifestEntry, read_manifest

RAW_ROOT = Path("data/raw")

# What each kind of input is (the readers in digecon.inputs.sources dispatch on ``reader``).
KINDS = {
    "io_table": "a 42-sector regional or national IO table (.xls/.xlsx), built-in or the user's",
    "detailed_national_table": "a national detailed IO table (ionet .rda), for the split ratios",
    "national_io_table": "a national 42-sector IO table of a year without regional tables (ionet .rda), for control",
    "yearbook_series": "NBS provincial annual series (亿元), the indicators",
    "first_published_gdp": "first-published provincial GDP, for the checks of the tables' totals",
    "census_ratios": "the user's economic-census income ratios (CSV)",
    "user_indicators": "the user's own annual indicators (long CSV)",
    "price_indices": "the user's volume indices, 上年=100, for the constant-price values (long CSV)",
    "city_yearbook": "China City Statistical Yearbook, one RAR archive of xlsx tables per edition (city keys)",
    "city_gdp": "city GDP and VA of the three sectors with 6-digit codes (xlsx), city keys",
    "area_codes": "GB/T 2260 division codes at one year end (txt), the city register",
    "published_cities": "the user's published city figures (long CSV), compared with the city estimates",
}
# manifest dataset -> (kind, reader); the order of yearbook datasets is their precedence on overlaps:
# the newest vintage first (within a vintage the earlier dataset wins, see VINTAGES)
DATASETS = {
    "io_regional": ("io_table", "nbs_io_table"),
    "national_detailed_io": ("detailed_national_table", "ionet_rda"),
    "national_io_42": ("national_io_table", "ionet_rda_42"),
    "nbs_va_exports_2024": ("yearbook_series", "nbs_export_csv"),
    "nbs_va_exports": ("yearbook_series", "nbs_export_csv"),
    "nbs_gdp_index": ("yearbook_series", "nbs_export_gdp_index"),
    "nbs_sector_va_platform": ("yearbook_series", "nbs_platform_answers"),
    "nbs_software_it": ("yearbook_series", "nbs_platform_answers"),
    "telecom_software_panel": ("yearbook_series", "telecom_software_xlsx"),
    "nbs_province_annual": ("yearbook_series", "nbs_annual_csv"),
    # the same scrape: the provincial counterparts of the city keys (employment by section, broadband users)
    "nbs_province_city_keys": ("yearbook_series", "nbs_annual_csv"),
    "nbs_province_api": ("yearbook_series", "nbs_api_json"),
    "nbs_gdp_export": ("yearbook_series", "nbs_database_xls"),
    "wind_industry_revenue": ("yearbook_series", "wind_revenue_xls"),
    "gdp_first_published": ("first_published_gdp", "first_published_csv"),
    "city_statistical_yearbook": ("city_yearbook", "ccsy_rar"),
    "city_gdp_by_sector": ("city_gdp", "city_gdp_xlsx"),
    "area_codes": ("area_codes", "gbt2260_txt"),
}
# yearbook dataset -> the vintage its values belong to (checked on the overlaps: yearbook_checks.csv).
# Datasets of one vintage agree where they overlap and are combined by precedence; an older
# vintage is linked by its growth onto the newer ones (digecon.inputs.vintages).
CENSUS_5 = "NBS 2025-26, after the 5th economic census"
CENSUS_4 = "NBS 2021-24, before the 5th economic census"
VINTAGES = {
    "nbs_va_exports_2024": CENSUS_5,
    "nbs_va_exports": CENSUS_5,
    "nbs_gdp_index": CENSUS_5,
    # the platform's 2024 figures are preliminary; the exports' final 2024 figures come first
    "nbs_sector_va_platform": CENSUS_5,
    "nbs_software_it": "NBS 2026 (MIIT statistics)",
    "telecom_software_panel": "China Statistical Yearbook 2024 (via EPS)",
    "nbs_province_annual": CENSUS_4,
    "nbs_province_city_keys": CENSUS_4,
    "nbs_province_api": CENSUS_4,
    "nbs_gdp_export": CENSUS_4,
    "wind_industry_revenue": "Wind (NBS industrial statistics, 2017)",
}
DETAILED_TABLE_YEAR = re.compile(r"china_(\d{4})_\d+")  # ionet file names: china_<year>_<sectors>.rda
FILE_YEAR = re.compile(r"((?:19|20)\d{2})")
USER = "user"
IO_TABLE_SUFFIXES = (".xls", ".xlsx")


class SeriesFile(NamedTuple):
    """A yearbook series file as :func:`digecon.inputs.sources.prepare_yearbook` takes it."""

    path: str
    reader: str  # a key of digecon.inputs.sources.YEARBOOK_READERS
    dataset: str  # manifest dataset
    vintage: str  # VINTAGES of the dataset


@dataclass(frozen=True)
class Input:
    """One input file: what it is, where the pipeline reads it, and (if retrieved) where it comes from."""

    kind: str  # a key of KINDS
    reader: str  # which reader parses it
    path: str  # below the raw root for retrieved files, else the user's path as configured
    dataset: str  # manifest dataset, or "user"
    year: int | None = None  # table year of a national table, edition of a city yearbook, year end of a code list
    entry: ManifestEntry | None = None  # pinned URL, sha256, licence of a retrieved file

    @property
    def retrieved(self) -> bool:
        """True for files the retrieve step obtains (verified by sha256)."""
        return self.entry is not None


@dataclass(frozen=True)
class Registry:
    """Every input of a run, in precedence order within a kind."""

    inputs: tuple[Input, ...]

    def of(self, kind: str) -> tuple[Input, ...]:
        """Select the inputs of one kind.

        Parameters
        ----------
        kind
            A key of ``KINDS``.

        Returns
        -------
        tuple of Input
            In registry order (within a kind, precedence order).

        Raises
        ------
        ValueError
            For a kind that is not in ``KINDS``.
        """
        if kind not in KINDS:
            raise ValueError(f"unknown input kind {kind!r}; expected one of {', '.join(KINDS)}")
        return tuple(i for i in self.inputs if i.kind == kind)

    def paths(self, kind: str) -> list[str]:
        """List the paths of the inputs of one kind (see :meth:`of`)."""
        return [i.path for i in self.of(kind)]

    def series_files(self) -> list[SeriesFile]:
        """List the yearbook series files with their reader, dataset and vintage, in precedence order."""
        return [SeriesFile(i.path, i.reader, i.dataset, VINTAGES[i.dataset]) for i in self.of("yearbook_series")]

    def retrieved(self) -> list[ManifestEntry]:
        """List the manifest entries of the files the retrieve step obtains."""
        return [i.entry for i in self.inputs if i.entry is not None]

    def user_paths(self) -> set[str]:
        """Collect the paths of the user's own files (a user IO table replaces a built-in one)."""
        return {i.path for i in self.inputs if i.dataset == USER}

    def rooted(self, root: str | Path) -> Registry:
        """Point the retrieved files to another root, e.g. a mirror, instead of data/raw.

        Parameters
        ----------
        root
            Folder laid out like ``data/raw`` (each file at ``root / mirror_path``).

        Returns
        -------
        Registry
            The same inputs; the user's files keep their paths.
        """
        return Registry(
            tuple(
                Input(i.kind, i.reader, str(Path(root) / i.entry.mirror_path), i.dataset, i.year, i.entry)
                if i.entry is not None
                else i
                for i in self.inputs
            )
        )


def _from_manifest(entries: Iterable[ManifestEntry], raw_root: Path) -> list[Input]:
    """Registry entries of the manifest's files, in manifest order."""
    inputs = []
    for entry in entries:
        if entry.dataset not in DATASETS:
            raise InputError(
                "manifest",
                f"unknown dataset {entry.dataset!r} for {entry.mirror_path}",
                expected=f"one of {', '.join(DATASETS)} (add new kinds of input to digecon.inputs.registry)",
            )
        kind, reader = DATASETS[entry.dataset]
        year = None
        if kind in ("detailed_national_table", "national_io_table"):
            match = DETAILED_TABLE_YEAR.search(Path(entry.mirror_path).stem)
            if match is None:
                raise InputError(entry.mirror_path, "cannot tell the detailed table's year", expected="china_<year>_…")
            year = int(match.group(1))
        elif kind in ("city_yearbook", "area_codes"):
            # a code list's year end (data/2019.txt) or a yearbook's edition (中国城市统计年鉴2020（excel）.rar)
            match = FILE_YEAR.search(Path(entry.mirror_path).name)
            if match is None:
                raise InputError(
                    entry.mirror_path, "cannot tell the file's year from its name", expected="a year, e.g. 2019"
                )
            year = int(match.group(1))
        inputs.append(Input(kind, reader, str(raw_root / entry.mirror_path), entry.dataset, year, entry))
    # yearbook precedence follows DATASETS order (earlier wins on overlaps), whatever the manifest's order
    order = {name: i for i, name in enumerate(DATASETS)}
    return sorted(inputs, key=lambda i: order[i.dataset])


def _user_tables(folders: Iterable[str]) -> list[Input]:
    """Every .xls/.xlsx in the user's folders (sorted, so that runs are reproducible)."""
    inputs = []
    for folder in folders:
        path = Path(folder)
        if not path.is_dir():
            raise InputError(folder, "io_tables.user_folders names a folder that does not exist")
        files = sorted(p for p in path.rglob("*") if p.suffix.lower() in IO_TABLE_SUFFIXES and p.is_file())
        if not files:
            raise InputError(folder, "no .xls or .xlsx file in this folder", expected="the user's IO tables")
        inputs += [Input("io_table", "nbs_io_table", str(p), USER) for p in files]
    return inputs


def build_registry(settings: Settings, *, raw_root: str | Path = RAW_ROOT) -> Registry:
    """Build the registry of a run from the manifest and the settings.

    Parameters
    ----------
    settings
        The run's settings (manifest path, user folders and files).
    raw_root
        Where retrieved files are read (``data/raw``; a mirror folder has the same layout).

    Returns
    -------
    Registry
        The manifest's files (yearbook series in ``DATASETS`` order), then the user's IO tables,
        indicator files, census ratios and price indices.

    Raises
    ------
    InputError
        For a manifest dataset the registry does not know, a detailed table whose year cannot be
        told from its name, a missing user folder, a user folder without .xls/.xlsx files, or a
        missing user file.
    RetrievalError
        For a manifest with missing columns or a path listed twice.
    """
    raw_root = Path(raw_root)
    manifest = settings.retrieve.manifest
    inputs = _from_manifest(read_manifest(manifest) if manifest else [], raw_root)
    inputs += _user_tables(settings.io_tables.user_folders)
    for path in settings.indicators.user_csv:
        inputs.append(Input("user_indicators", "user_indicator_csv", path, USER))
    if settings.ratios.census_csv:
        inputs.append(Input("census_ratios", "census_csv", settings.ratios.census_csv, USER))
    for path in settings.prices.user_csv:
        inputs.append(Input("price_indices", "price_index_csv", path, USER))
    if settings.cities.published_csv:
        inputs.append(Input("published_cities", "published_city_csv", settings.cities.published_csv, USER))
    missing = [i.path for i in inputs if i.dataset == USER and not Path(i.path).is_file()]
    if missing:
        raise InputError(missing[0], "a file named in the configuration does not exist")
    return Registry(tuple(inputs))
