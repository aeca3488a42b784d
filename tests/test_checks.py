"""Identity checks and the GDP gap report on hand-built tables."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from digecon.core.errors import TableCheckError
from digecon.inputs.concordance import load_concordance
from digecon.inputs.ingest import ingest_io_tables
from tests.tables import TOTAL_VA, find, io_table_rows, write_workbook

SETTINGS = {"allowed_units": ("万元",), "va_tolerance": 5.0, "ti_go_rel_tolerance": 0.01, "gdp_gap_warn": 0.02}


def gdp(value: float) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "province_code": [110000],
            "year": [2017],
            "series": ["first_published"],
            "value_100m_yuan": [value],
            "source": ["test"],
        }
    )


def test_consistent_table_passes_and_reports_gdp_gap(tmp_path: Path) -> None:
    path = write_workbook(io_table_rows("2017"), tmp_path / "01-北京.xls")
    io, report = ingest_io_tables([path], load_concordance(), gdp(TOTAL_VA / 1e4 / 1.10), **SETTINGS)
    assert io["value_added"].sum() == TOTAL_VA
    gap = report[report["check"] == "gdp_gap_first_published"].iloc[0]
    assert gap["difference"] == pytest.approx(0.10) and gap["status"] == "warn"
    assert set(report.loc[report["check"] != "gdp_gap_first_published", "status"]) == {"ok"}


def test_va_identity_failure_names_cell(tmp_path: Path) -> None:
    rows = io_table_rows("2017")
    rows[find(rows, "VA001")][3 + 19] += 50.0  # electronics' compensation off by 50 万元
    path = write_workbook(rows, tmp_path / "01-北京.xls")
    with pytest.raises(
        TableCheckError,
        match=r"va_identity failed for sector 20 .* at cell W\d+.*expected 320\.00, "
        r"found 370\.00",
    ):
        ingest_io_tables([path], load_concordance(), gdp(1.0), **SETTINGS)


def test_ti_go_small_gap_warns_large_gap_fails(tmp_path: Path) -> None:
    rows = io_table_rows("2017")
    rows[find(rows, "TI")][3 + 41] += 20.0  # sector 42: TI 4220 vs GO 4200, 0.48 %
    path = write_workbook(rows, tmp_path / "01-北京.xls")
    _, report = ingest_io_tables([path], load_concordance(), gdp(1.0), **SETTINGS)
    assert report.loc[(report["check"] == "ti_equals_go") & report["cell"].notna(), "status"].tolist() == ["warn"]
    rows[find(rows, "TI")][3 + 41] += 100.0  # now 2.9 %
    write_workbook(rows, path)
    with pytest.raises(TableCheckError, match="ti_equals_go failed for sector 42"):
        ingest_io_tables([path], load_concordance(), gdp(1.0), **SETTINGS)
