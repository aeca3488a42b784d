"""Benchmark (not a test): time to ingest all 125 real IO tables in one process.

Prints the ingest time and its ratio to bare reads of the same files: raw bytes, the
calamine parse digecon uses, and (if installed) xlrd, the classic .xls reader.

Usage: python benchmarks/ingest_benchmark.py [/path/to/shared/data]   (default: $DIGECON_MIRROR or ../shared/data)
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from python_calamine import CalamineWorkbook

from digecon.inputs.concordance import load_concordance
from digecon.inputs.iotable import read_io_table

IO_FOLDER = "chnio_provincial_io/data-raw/中国31省区市42部门投入产出表1997-2017皮皮侠"


def best_of(repeats: int, work) -> float:
    """Run ``work`` ``repeats`` times and give the shortest wall time.

    Parameters
    ----------
    repeats
        How many times to run it.
    work
        A function without arguments.

    Returns
    -------
    float
        Seconds.
    """
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    """Print the ingest time and its ratio to bare reads (the mirror from argv, $DIGECON_MIRROR or ../shared/data)."""
    default = os.environ.get("DIGECON_MIRROR") or Path(__file__).resolve().parents[2] / "shared" / "data"
    mirror = Path(sys.argv[1] if len(sys.argv) > 1 else default)
    files = sorted((mirror / IO_FOLDER).glob("*年各省份投入产出表/*.xls"))
    if not files:
        raise SystemExit(f"no IO tables under {mirror / IO_FOLDER}")
    concordance = load_concordance()

    ingest = best_of(3, lambda: [read_io_table(f, concordance) for f in files])
    raw_bytes = best_of(3, lambda: [f.read_bytes() for f in files])
    calamine = best_of(3, lambda: [CalamineWorkbook.from_path(str(f)).get_sheet_by_index(0).to_python() for f in files])
    print(f"files: {len(files)}  (machine: {os.cpu_count()} cores)")
    print(f"ingest (read + locate + concordance + values, one process): {ingest:.3f} s   target <= 2 s")
    print(f"bare read, raw bytes:        {raw_bytes:.3f} s   ingest / bare = {ingest / raw_bytes:,.0f}x")
    print(f"bare read, calamine parse:   {calamine:.3f} s   ingest / bare = {ingest / calamine:.1f}x")
    try:
        import xlrd
    except ImportError:
        print("xlrd not installed: skipping the xlrd comparison")
        return

    def xlrd_read() -> None:
        """Read every cell of the first sheet of every file with xlrd."""
        for f in files:
            sheet = xlrd.open_workbook(str(f), on_demand=True).sheet_by_index(0)
            [sheet.row_values(r) for r in range(sheet.nrows)]

    xlrd_time = best_of(1, xlrd_read)
    print(
        f"bare read, xlrd parse:       {xlrd_time:.3f} s   ingest / bare = {ingest / xlrd_time:.2f}x "
        f"(calamine is {xlrd_time / calamine:.0f}x faster than xlrd)"
    )


if __name__ == "__main__":
    main()
