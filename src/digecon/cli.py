"""Command line: ``digecon fetch`` and ``digecon check``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from digecon import __version__
from digecon.inputs.checks import DEFAULT_TI_GO_REL_TOLERANCE
from digecon.inputs.concordance import load_concordance
from digecon.core.errors import InputError
from digecon.inputs.ingest import ingest_io_tables
from digecon.inputs.iotable import DEFAULT_UNITS, DEFAULT_VA_TOLERANCE
from digecon.core.logs import logged_run
from digecon.inputs.retrieve import MIRROR_ENV, read_manifest, resolve_mirror, retrieve


def _fetch(args: argparse.Namespace) -> int:
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


def _check(args: argparse.Namespace) -> int:
    status = 0
    for path in args.paths:
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
    return status


def build_parser() -> argparse.ArgumentParser:
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

    check = commands.add_parser("check", help="validate IO-table files (.xls/.xlsx) without running the pipeline")
    check.add_argument("paths", nargs="+", help="IO-table files")
    check.add_argument("--unit", action="append", default=list(DEFAULT_UNITS), help="accepted unit (repeatable)")
    check.add_argument("--va-tolerance", type=float, default=DEFAULT_VA_TOLERANCE, help="VA identity tolerance, 万元")
    check.add_argument(
        "--ti-go-tolerance", type=float, default=DEFAULT_TI_GO_REL_TOLERANCE, help="relative TI vs GO tolerance"
    )
    check.set_defaults(run=_check)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.run(args))  # bad input exits cleanly inside logged_run / _check


if __name__ == "__main__":
    sys.exit(main())
