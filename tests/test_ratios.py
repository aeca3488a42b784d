"""Split ratios: census CSV first (provincial, then national), else the national detailed IO table."""

from __future__ import annotations

from pathlib import Path

import pytest

from digecon.core.errors import InputError
from digecon.inputs.ratios import benchmark_ratios, read_census_ratios

DETAILED = {
    2007: ({"s_I63": 0.8, "r_media": 0.5}, "china_2007_135.rda"),
    2012: ({"s_I63": 0.7, "r_media": 0.4}, "china_2012_139.rda"),
}


def census(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "census.csv"
    path.write_text("census_year,province,ratio,value,source\n" + body, encoding="utf-8")
    return path


def test_census_before_detailed_tables_and_provincial_before_national(tmp_path: Path) -> None:
    table = read_census_ratios(
        census(tmp_path, "2008,北京,r_media,0.61,经济普查年鉴2008\n2008,全国,r_media,0.45,经济普查年鉴2008\n")
    )
    ratios = benchmark_ratios(
        [2002, 2007],
        [110000, 120000],
        detailed=DETAILED,
        census=table,
    )
    r = ratios.set_index(["io_year", "province_code", "ratio"])
    assert r.loc[(2007, 110000, "r_media"), "value"] == 0.61
    assert r.loc[(2007, 110000, "r_media"), "ratio_source"] == "census 2008 (经济普查年鉴2008)"
    assert r.loc[(2007, 120000, "r_media"), "value"] == 0.45
    assert "no provincial ratio" in r.loc[(2007, 120000, "r_media"), "ratio_source"]
    assert r.loc[(2007, 120000, "s_I63"), "value"] == 0.8  # no census s_I63: the detailed table
    # 2002 uses the nearest census that has the ratio (2008 here, no 2004 rows given) ...
    assert r.loc[(2002, 110000, "r_media"), "value"] == 0.61
    # ... and for s_I63, which no census row gives, the nearest detailed table: 2007's
    assert r.loc[(2002, 110000, "s_I63"), "value"] == 0.8
    assert "nearest table with the split for 2002" in r.loc[(2002, 110000, "s_I63"), "ratio_source"]


def test_no_source_for_a_ratio_is_an_error(tmp_path: Path) -> None:
    table = read_census_ratios(census(tmp_path, "2008,全国,r_media,0.45,x\n"))
    with pytest.raises(InputError, match="no s_I63 for province 110000 in 2007"):
        benchmark_ratios([2007], [110000], detailed={}, census=table)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("2008,北平,r_media,0.5,x\n", "cell B2: column 'province': bad value; expected a province name"),
        ("2008,北京,s_I64,0.5,x\n", "cell C2: column 'ratio': bad value; expected s_I63 or r_media, found 's_I64'"),
        ("2008,北京,r_media,1.5,x\n", r"cell D2: column 'value': bad value; expected a share in \[0, 1\]"),
    ],
)
def test_bad_census_rows_are_named(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        read_census_ratios(census(tmp_path, body))
