from pathlib import Path

import digecon
from digecon.core.settings import config_problems
from digecon.outputs.export import WIDE_TABLES
from digecon.outputs.gallery import KINDS
from digecon.inputs.retrieve import read_manifest, resolve_mirror, select_io_tables

if config_problems(config):
    raise ValueError(
        "configuration (config/config.yaml, --configfile, --config): "
        + "; ".join(config_problems(config))
    )

RAW = Path("data/raw")
MANIFEST = read_manifest(config["retrieve"]["manifest"])
PACKAGE = Path(digecon.__file__).parent  # the installed package, editable or not


def raw(entry):
    return str(RAW / entry.mirror_path)


def raw_files(dataset):
    return [raw(e) for e in MANIFEST if e.dataset == dataset]


def raw_file(dataset, name):
    """The one manifest file of ``dataset`` whose file name is ``name``."""
    matches = [
        raw(e)
        for e in MANIFEST
        if e.dataset == dataset and Path(e.mirror_path).name == name
    ]
    if len(matches) != 1:
        raise ValueError(
            f"manifest has {len(matches)} files named {name} in dataset {dataset}"
        )
    return matches[0]


def io_table_files():
    settings = config["io_tables"]
    entries = select_io_tables(
        MANIFEST, settings["years"], include_national=settings["include_national"]
    )
    return [raw(e) for e in entries]


def package_modules(*names):
    """Package modules a rule depends on, so that code edits trigger reruns."""
    return [str(PACKAGE / f"{name.replace('.', '/')}.py") for name in names]


WIDE_TABLE_NAMES = list(WIDE_TABLES)
DETAILED_TABLE_YEARS = set(config["ratios"]["detailed_table_of_io_year"].values())


def detailed_tables(wildcards):
    """The national detailed IO tables the configured IO years need, named t<year>."""
    files = {}
    for entry in MANIFEST:
        if entry.dataset == "national_detailed_io":
            year = int(Path(entry.mirror_path).stem.split("_")[1])
            if year in DETAILED_TABLE_YEARS:
                files[f"t{year}"] = raw(entry)
    missing = DETAILED_TABLE_YEARS - {int(k[1:]) for k in files}
    if missing:
        raise ValueError(
            f"no national detailed IO table for {sorted(missing)} in the manifest"
        )
    return files


def census_input():
    return [config["ratios"]["census_csv"]] if config["ratios"]["census_csv"] else []


GALLERY_KINDS = list(KINDS)


def caption_vintage():
    """Short data vintage for figure captions."""
    years = ", ".join(str(y) for y in sorted(config["io_tables"]["years"]))
    span = f"{config['estimate']['first_year']}-{config['estimate']['last_year']}"
    return f"NBS regional IO tables {years}; NBS provincial annual series (revised vintage), {span}"


def data_sources():
    """One line naming each input dataset by repository and commit, for the gallery page."""
    seen = {}
    for entry in MANIFEST:
        seen.setdefault(entry.dataset, f"{entry.repository}@{entry.commit[:7]}")
    return "; ".join(f"{dataset}: {source}" for dataset, source in seen.items())


RESULT_FILES = [
    "data/processed/io_tables.csv",
    "data/processed/io_table_checks.csv",
    "data/processed/ratios.csv",
    "data/processed/yearbook.csv",
    "results/tables/digital_economy_va.csv",
    "results/tables/digital_economy_total.csv",
    "results/tables/digital_economy_wide.xlsx",
    "results/validation/backtest.csv",
    "results/validation/backtest_summary.csv",
    "results/validation/national_consistency.csv",
    "results/gallery/index.html",
]
