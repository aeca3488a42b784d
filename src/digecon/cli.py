"""Command line: ``digecon fetch``, ``digecon check`` and ``digecon config``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import yaml

from digecon import __version__
from digecon.core.errors import ConfigError, InputError
from digecon.core.files import write_text
from digecon.core.locks import lock_problem, snakemake_processes
from digecon.core.logs import logged_run
from digecon.core.settings import (
    MIRROR_ENV,
    IOTableSettings,
    describe_settings,
    load_settings,
    overrides_config,
    schema_yaml,
)
from digecon.estimation.methods import METHODS
from digecon.inputs.concordance import load_concordance
from digecon.inputs.ingest import ingest_io_tables
from digecon.inputs.registry import IO_TABLE_SUFFIXES
from digecon.inputs.retrieve import read_manifest, resolve_mirror, retrieve

DEFAULTS = IOTableSettings()


def _fetch(args: argparse.Namespace) -> int:
    """Run ``digecon fetch``: obtain and verify the manifest's files (bad input exits cleanly)."""
    with logged_run():
        entries = read_manifest(args.manifest)
        if args.dataset:
            entries = [e for e in entries if e.dataset in args.dataset]
        mirror = resolve_mirror(args.mirror)
        print(
            f"fetching {len(entries)} files into {args.dest} "
            f"({'copying from ' + str(mirror) if mirror else 'downloading'})",
            file=sys.stderr,
        )
        retrieve(entries, args.dest, mirror=mirror, progress=lambda line: print(line, file=sys.stderr))
    return 0


def check_file(path: Path, *, allowed_units: tuple[str, ...], va_tolerance: float, ti_go_rel_tolerance: float) -> str:
    """Read and check one IO-table file exactly as the pipeline does; the one-line summary.

    No GDP is given, so the GDP-gap checks report ``not_checked``.

    Parameters
    ----------
    path
        The .xls/.xlsx file.
    allowed_units, va_tolerance, ti_go_rel_tolerance
        As ``io_tables.allowed_units``, ``va_identity_tolerance`` (万元) and ``ti_go_rel_tolerance``.

    Returns
    -------
    str
        ``<path>: <province> (<code>) <year>, vintage <v>, 42 sectors, total VA <x> 亿元, identity
        checks passed``, followed by the per-cell warnings, if any.

    Raises
    ------
    InputError
        With the same message that stops the pipeline.
    """
    no_gdp = pd.DataFrame(columns=["province_code", "year", "series", "value_100m_yuan", "source"])
    sectors, report = ingest_io_tables(
        [path],
        load_concordance(),
        no_gdp,
        allowed_units=allowed_units,
        va_tolerance=va_tolerance,
        ti_go_rel_tolerance=ti_go_rel_tolerance,
        gdp_gap_warn=0.0,
    )
    warnings = report.loc[(report["status"] == "warn") & report["cell"].notna(), "message"].tolist()
    first = sectors.iloc[0]
    line = (
        f"{path}: {first['province']} ({first['province_code']}) {first['year']}, vintage {first['vintage']}, "
        f"{len(sectors)} sectors, total VA {sectors['value_added'].sum() / 1e4:,.2f} 亿元, "
        "identity checks passed"
    )
    return line + (f"; {len(warnings)} warnings: " + "; ".join(warnings) if warnings else "")


def _table_files(paths: Sequence[str]) -> list[Path]:
    """List the files to check: each file given, and every .xls/.xlsx in each folder given (sorted)."""
    files = []
    for path in map(Path, paths):
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.suffix.lower() in IO_TABLE_SUFFIXES and p.is_file())
        else:
            files.append(path)
    return files


def _check(args: argparse.Namespace) -> int:
    """Run ``digecon check``: a line per good file (stdout), a message per bad one (stderr); 1 if any is bad."""
    status = 0
    files = _table_files(args.paths)
    if not files:
        print(f"digecon check: no .xls or .xlsx file in {', '.join(args.paths)}", file=sys.stderr)
        return 1
    for path in files:
        try:
            print(
                check_file(
                    Path(path),
                    allowed_units=tuple(args.unit),
                    va_tolerance=args.va_tolerance,
                    ti_go_rel_tolerance=args.ti_go_tolerance,
                )
            )
        except InputError as exc:
            print(f"digecon check: {exc}", file=sys.stderr)
            status = 1
    if len(files) > 1:
        verdict = "some refused (see above)" if status else "all passed"
        print(f"{len(files)} files checked: {verdict}", file=sys.stderr)
    return status


def _config(args: argparse.Namespace) -> int:
    """Run ``digecon config``: the effective settings with their origins, or the schema; 1 for a bad configuration."""
    if args.schema:
        print(schema_yaml(), end="")
        return 0
    files = [args.base, *(args.configfile or [])]
    try:
        settings, origins = load_settings(files, args.set or [], known_methods=METHODS)
    except ConfigError as exc:
        print(f"digecon config: {exc.message()}", file=sys.stderr)
        return 1
    if args.write_overrides:
        # Snakemake's --config takes top-level keys only (and every value as text): the overrides
        # become a configuration file for snakemake --configfile instead (make run SET="...").
        write_text(
            yaml.safe_dump(overrides_config(args.set or []), allow_unicode=True, sort_keys=False), args.write_overrides
        )
        return 0
    print("\n".join(describe_settings(settings, origins)))
    return 0


def _preflight(args: argparse.Namespace) -> int:
    """Run ``digecon preflight``: 1, with what to do, if a Snakemake lock is in the way."""
    problem = lock_problem(args.folder, snakemake_processes(args.folder))
    if problem:
        print(f"digecon: {problem}", file=sys.stderr)
        return 1
    return 0


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser of ``digecon`` and its subcommands fetch, check, config and preflight.

    Returns
    -------
    argparse.ArgumentParser
        Each subcommand sets ``run``, the function that carries it out.
    """
    parser = argparse.ArgumentParser(prog="digecon", description=__doc__)
    parser.add_argument("--version", action="version", version=f"digecon {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    fetch = commands.add_parser("fetch", help="fill data/raw with the inputs listed in the manifest, verified")
    fetch.add_argument("--manifest", default="data/raw/MANIFEST.csv", help="manifest CSV (default: %(default)s)")
    fetch.add_argument("--dest", default="data/raw", help="destination folder (default: %(default)s)")
    fetch.add_argument(
        "--mirror",
        default=None,
        help=f"local folder laid out like shared/data to copy from (default: ${MIRROR_ENV}, else download)",
    )
    fetch.add_argument("--dataset", action="append", help="only this manifest dataset (repeatable)")
    fetch.set_defaults(run=_fetch)

    check = commands.add_parser(
        "check", help="validate IO-table files (.xls/.xlsx), or every table in a folder, without the pipeline"
    )
    check.add_argument("paths", nargs="+", help="IO-table files or folders of them")
    check.add_argument(
        "--unit", action="append", default=list(DEFAULTS.allowed_units), help="accepted unit (repeatable)"
    )
    check.add_argument(
        "--va-tolerance", type=float, default=DEFAULTS.va_identity_tolerance, help="VA identity tolerance, 万元"
    )
    check.add_argument(
        "--ti-go-tolerance", type=float, default=DEFAULTS.ti_go_rel_tolerance, help="relative TI vs GO tolerance"
    )
    check.set_defaults(run=_check)

    config = commands.add_parser(
        "config",
        help="show the effective settings, each with where its value came from (like git config --show-origin)",
    )
    config.add_argument(
        "--base", default="config/config.yaml", help="the main configuration file (default: %(default)s)"
    )
    config.add_argument("--configfile", action="append", help="a further configuration file, as snakemake --configfile")
    config.add_argument(
        "--set", action="append", metavar="SECTION.KEY=VALUE", help="an override, as snakemake --config"
    )
    config.add_argument("--schema", action="store_true", help="print the JSON schema generated from the settings")
    config.add_argument(
        "--write-overrides",
        metavar="FILE",
        help="check the settings, then write the --set overrides to FILE as a configuration file for snakemake "
        "--configfile (Snakemake's own --config takes no SECTION.KEY)",
    )
    config.set_defaults(run=_config)

    preflight = commands.add_parser(
        "preflight", help="before a run: stop with the one command to type if a killed run left a stale lock"
    )
    preflight.add_argument("folder", nargs="?", default=".", help="the project folder (default: here)")
    preflight.set_defaults(run=_preflight)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``digecon`` command line.

    Parameters
    ----------
    argv
        The arguments after the program name (None: ``sys.argv[1:]``).

    Returns
    -------
    int
        The exit status: 0 on success, 1 for a refused file, configuration or lock.

    Raises
    ------
    SystemExit
        From argparse for bad arguments, ``--help`` and ``--version``, and from ``digecon fetch``
        for a file that cannot be obtained (with its message).
    """
    args = build_parser().parse_args(argv)
    return int(args.run(args))  # bad input exits cleanly inside logged_run / _check


if __name__ == "__main__":
    sys.exit(main())
