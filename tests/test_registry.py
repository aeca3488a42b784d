"""The input registry: one description of every input, used by the pipeline and the API alike."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from digecon.core.errors import InputError
from digecon.core.settings import settings_from_config
from digecon.inputs.registry import CENSUS_4, CENSUS_5, DATASETS, VINTAGES, build_registry

REPO = Path(__file__).resolve().parents[1]
MANIFEST = str(REPO / "data/raw/MANIFEST.csv")


def registry_of(**config: dict) -> object:
    return build_registry(settings_from_config({"retrieve": {"manifest": MANIFEST}, **config}))


def test_manifest_inputs_by_kind() -> None:
    registry = registry_of()
    kinds = ("io_table", "detailed_national_table", "national_io_table", "yearbook_series")
    counts = {kind: len(registry.of(kind)) for kind in kinds}
    # 125 regional and national 42-sector tables (30 + 30 + 31 + 31 provinces, 3 national), the five ionet
    # detailed tables and five 42-sector national tables, and as yearbook series: of the vintage after the 5th
    # census seven NBS exports, the GDP-index export and the platform's answers; the software answers; the
    # telecom panel; of the older vintage five 分省年度数据 files, eleven API files, the database export; 31 Wind
    # exports; the two files of the city keys' provincial counterparts (employment by section, broadband users)
    assert counts == {"io_table": 125, "detailed_national_table": 5, "national_io_table": 5, "yearbook_series": 61}
    assert [i.year for i in registry.of("detailed_national_table")] == [2007, 2012, 2017, 2018, 2020]
    assert [i.year for i in registry.of("national_io_table")] == [2005, 2015, 2017, 2018, 2020]
    assert len(registry.of("first_published_gdp")) == 1
    # the city stage: 15 city yearbook editions (2010-2024), city GDP, the code lists of 2009-2023
    assert [i.year for i in registry.of("city_yearbook")] == list(range(2010, 2025))
    assert [i.year for i in registry.of("area_codes")] == list(range(2009, 2024))
    assert len(registry.of("city_gdp")) == 1
    assert len(registry.retrieved()) == 195 + 2 + 15 + 1 + 15
    files = registry.series_files()
    # precedence: the newest vintage first, within it the final 2024 exports before the platform's preliminary 2024
    assert [f.reader for f in files] == (
        ["nbs_export_csv"] * 7
        + ["nbs_export_gdp_index", "nbs_platform_answers", "nbs_platform_answers", "telecom_software_xlsx"]
        + ["nbs_annual_csv"] * 7
        + ["nbs_api_json"] * 11
        + ["nbs_database_xls"]
        + ["wind_revenue_xls"] * 31
    )
    assert [f.vintage for f in files[:4]] == [CENSUS_5] * 4 and files[-32].vintage == CENSUS_4
    assert all(path.startswith("data/raw/") for path in registry.paths("io_table"))


def test_every_yearbook_dataset_has_a_vintage() -> None:
    yearbook = {name for name, (kind, _) in DATASETS.items() if kind == "yearbook_series"}
    assert yearbook == set(VINTAGES)


def test_rooted_reads_retrieved_files_below_a_mirror() -> None:
    registry = registry_of().rooted("/mirror")
    assert all(p.startswith("/mirror/") for p in registry.paths("yearbook_series"))


def test_user_files_join_the_registry(tmp_path: Path) -> None:
    (tmp_path / "tables").mkdir()
    for name in ("北京2023.xlsx", "上海2023.XLS", "notes.txt"):
        (tmp_path / "tables" / name).write_bytes(b"x")
    indicators = tmp_path / "c39.csv"
    indicators.write_text("province,year,indicator,value,unit\n", encoding="utf-8")
    registry = registry_of(
        io_tables={"user_folders": [str(tmp_path / "tables")]}, indicators={"user_csv": [str(indicators)]}
    )
    user_tables = [Path(p).name for p in registry.paths("io_table") if not p.startswith("data/raw/")]
    assert user_tables == ["上海2023.XLS", "北京2023.xlsx"]
    assert registry.paths("user_indicators") == [str(indicators)]
    assert registry.user_paths() == {str(tmp_path / "tables" / n) for n in user_tables} | {str(indicators)}


def test_user_price_indices_join_the_registry(tmp_path: Path) -> None:
    indices = tmp_path / "indices.csv"
    indices.write_text("province,year,index,series\n", encoding="utf-8")
    registry = registry_of(prices={"user_csv": [str(indices)]})
    assert [(i.path, i.reader) for i in registry.of("price_indices")] == [(str(indices), "price_index_csv")]
    assert str(indices) in registry.user_paths()
    assert registry_of().paths("price_indices") == []
    with pytest.raises(InputError, match="a file named in the configuration does not exist"):
        registry_of(prices={"user_csv": [str(tmp_path / "missing.csv")]})


def test_missing_user_folder_or_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="user_folders names a folder that does not exist"):
        registry_of(io_tables={"user_folders": [str(tmp_path / "nowhere")]})
    with pytest.raises(InputError, match="a file named in the configuration does not exist"):
        registry_of(ratios={"census_csv": str(tmp_path / "census.csv")})


def test_no_manifest_means_no_built_in_inputs() -> None:
    registry = build_registry(settings_from_config({"retrieve": {"manifest": None}}))
    assert registry.inputs == ()


def test_raw_file_names_appear_only_in_the_registry() -> None:
    """The pipeline and the package name raw inputs only through the registry."""
    names = ("chnio_provincial_io", "ionet_national_io", "nbs_province", "provincial_gdp_series")
    found = subprocess.run(
        ["git", "grep", "-l", "-E", "|".join(names), "--", "src", "workflow", "Snakefile"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.split()
    if not found and not (REPO / ".git").exists():
        pytest.skip("not a git checkout")
    assert found == ["src/digecon/inputs/registry.py"]
    assert not re.search(r"data/raw/\S+\.(xls|csv|json|rda)", (REPO / "workflow/rules/common.smk").read_text())
