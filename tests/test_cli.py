"""`digecon check` and `digecon fetch` as a user runs them: one line per good file, no tracebacks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.tables import find, io_table_rows, write_workbook


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "digecon.cli", *args], capture_output=True, text=True, check=False)


def test_check_good_table_prints_one_line(tmp_path: Path) -> None:
    path = write_workbook(io_table_rows("2012", "湖北"), tmp_path / "17湖北.xls")
    result = run("check", str(path))
    assert result.returncode == 0, result.stderr
    [line] = result.stdout.splitlines()
    assert "湖北 (420000) 2012, vintage 2012, 42 sectors, total VA 1.44 亿元, identity checks passed" in line


def test_check_bad_table_exits_nonzero_without_traceback(tmp_path: Path) -> None:
    rows = io_table_rows("2017")
    rows[find(rows, "TVA")][10] = "缺"
    path = write_workbook(rows, tmp_path / "01-北京.xlsx")
    result = run("check", str(path))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"{path}, sheet 'Sheet1', cell K" in result.stderr and "is not a number" in result.stderr


def test_check_real_tables(io_folder: Path) -> None:
    files = sorted(io_folder.glob("*年各省份投入产出表/*.xls"))
    result = run("check", *map(str, files))
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == 125
    assert "北京 (110000) 2017, vintage 2017, 42 sectors, total VA 28,014.94 亿元" in result.stdout


def test_fetch_from_mirror(tmp_path: Path, mirror: Path) -> None:
    manifest = Path(__file__).resolve().parents[1] / "data" / "raw" / "MANIFEST.csv"
    result = run(
        "fetch",
        "--manifest",
        str(manifest),
        "--dest",
        str(tmp_path),
        "--mirror",
        str(mirror),
        "--dataset",
        "gdp_first_published",
    )
    assert result.returncode == 0, result.stderr
    assert "[  1/1]" in result.stderr and "checksum ok" in result.stderr
    assert (
        tmp_path / "provincial_gdp_series/RenJiyi163_panel_data_analysis_for_thesis/分省年度数据_整合.csv"
    ).is_file()
