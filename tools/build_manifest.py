"""Maintainer tool: (re)build data/raw/MANIFEST.csv from a local mirror of the sources.

Usage: python tools/build_manifest.py /path/to/shared/data > data/raw/MANIFEST.csv

Each source below names the public repository and the commit the files were taken from;
the mirror only supplies the bytes to hash. The pipeline itself never runs this.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path
from urllib.parse import quote

from digecon.inputs.retrieve import MANIFEST_FIELDS, sha256_of

IO_FOLDER = "data-raw/中国31省区市42部门投入产出表1997-2017皮皮侠"
NBS = "National Bureau of Statistics of China (NBS)"
NBS_EXPORTS = "data/raw/nbs_exports/"
PROVINCE_ECONOMY = "Liushenwuzhu-Alpaca/province-economy"
TONGJIMODULE = "lanyuanzhe1/tongjimodule"
NO_LICENCE = "none stated; figures: official statistics"
# dataset, mirror prefix, repository, commit, licence, publisher, globs below the prefix.
# Of a panel and the raw answer it was made from, the raw answer is taken: it is what the NBS
# platform sent (units per value, no third-party column mapping) and every value keeps its node.
SOURCES = [
    (
        "nbs_va_exports_2024",
        "nbs_province_gdp_index_2024/",
        PROVINCE_ECONOMY,
        # the 2024 files were deleted later in the repository: taken at the commit that added them
        "46e915f3ce81ca7d577c865f57e7f8579cdd9b83",
        NO_LICENCE,
        NBS + " 分省年度数据 CSV export (after the 5th economic census)",
        [f"{NBS_EXPORTS}分省年度数据2024.csv", f"{NBS_EXPORTS}分省年度数据指数2024.csv"],
    ),
    (
        "nbs_va_exports",
        "nbs_province_gdp_index_2024/",
        PROVINCE_ECONOMY,
        "01f5e21f84c6b02e3e4155f0ece44dcd07b8e18e",
        NO_LICENCE,
        NBS + " 分省年度数据 CSV export (after the 5th economic census)",
        [
            f"{NBS_EXPORTS}分省年度数据.2019csv.csv",
            *(f"{NBS_EXPORTS}分省年度数据{year}.csv" for year in (2020, 2021, 2023)),
            f"{NBS_EXPORTS}分省年度数据.2022csv.csv",
        ],
    ),
    (
        "nbs_gdp_index",
        "nbs_province_gdp_index_2024/",
        PROVINCE_ECONOMY,
        "01f5e21f84c6b02e3e4155f0ece44dcd07b8e18e",
        NO_LICENCE,
        NBS + " 分省年度数据 CSV export: 地区生产总值指数 (after the 5th economic census)",
        [f"{NBS_EXPORTS}地区生产总值指数（近十年）.csv"],
    ),
    (
        "nbs_sector_va_platform",
        "nbs_province_sector_va_2024/",
        TONGJIMODULE,
        "d36519a27a58f36a455ef911421ee0280f669aa9",
        NO_LICENCE,
        NBS + " data platform answers: 国内生产总值 by province (after the 5th economic census)",
        ["data/0412/分省GDP_多年期_原始抓取.csv"],
    ),
    (
        "nbs_software_it",
        "nbs_software_it_by_province_2024/",
        TONGJIMODULE,
        "d36519a27a58f36a455ef911421ee0280f669aa9",
        NO_LICENCE,
        NBS + " data platform answers: 软件和信息技术服务业主要经济指标 (MIIT statistics)",
        ["data/0412/分省软件和信息技术服务业主要经济指标_多年期_原始抓取.csv"],
    ),
    (
        "telecom_software_panel",
        "telecom_software_panel_2023/",
        "127ww/nqp-spatial-development",
        "e699fc87c189caa3264c74d38664cc726d4a8eb8",
        "MIT (repository); figures: official statistics",
        "中国统计年鉴 via EPS (research panel): 电信业务总量, 软件产品收入",
        ["data/raw/面板原始数据_合并版v2.xlsx"],
    ),
    (
        "io_regional",
        "chnio_provincial_io/",
        "common2016/CHNIO",
        "2878da32500274f853c68d5b65dafc86d83b3c89",
        "GPL-3.0-or-later (repository); figures: official statistics",
        NBS + " regional IO tables",
        [f"{IO_FOLDER}/{year}年各省份投入产出表/*.xls" for year in (2002, 2007, 2012, 2017)],
    ),
    (
        "national_detailed_io",
        "ionet_national_io/",
        "Carol-seven/ionet",
        "51145dcab476e75783af41a688488db1a4abeb56",
        "GPL-3.0-or-later (repository); figures: official statistics",
        NBS + " national IO tables",
        [f"data/china_{name}.rda" for name in ("2007_135", "2012_139", "2017_149", "2018_153", "2020_153")],
    ),
    (
        "nbs_province_annual",
        "nbs_province_annual_scrape_2021/",
        "3112944976/National-Visualization-Web-Application",
        "582d20bfb0dae6bb730230820cf3bd07475f7396",
        NO_LICENCE,
        NBS + " 分省年度数据",
        [
            "源数据/国家统计局分省年度数据/国民经济核算/地区生产总值.csv",
            # volume indices (上年=100) of GDP and the three sectors, for the constant-price values
            "源数据/国家统计局分省年度数据/国民经济核算/地区生产总值指数.csv",
            # candidate indicators of the service components (wage bills of I and R, software, telecom)
            "源数据/国家统计局分省年度数据/就业人员和工资/按行业分城镇单位就业人员工资总额.csv",
            "源数据/国家统计局分省年度数据/运输和邮电/软件和信息技术服务业主要经济指标.csv",
            "源数据/国家统计局分省年度数据/运输和邮电/邮电业务量.csv",
        ],
    ),
    (
        "national_io_42",
        "ionet_national_io/",
        "Carol-seven/ionet",
        "51145dcab476e75783af41a688488db1a4abeb56",
        "GPL-3.0-or-later (repository); figures: official statistics",
        NBS + " national 42-sector IO tables",
        [f"data/china_{year}_42.rda" for year in (2005, 2015, 2017, 2018, 2020)],
    ),
    (
        "wind_industry_revenue",
        "wind_provincial_industry_revenue/",
        "common2016/FactorandIndustry",
        "a4f7d8aba33ac54bdc34741b62c16a3008e74662",
        "none stated; Wind export of NBS industrial statistics (use for research and validation)",
        "Wind (NBS 工业统计): above-scale industrial 主营业务收入 by industry",
        ["data-raw/主营业务收入/*.xls", "data-raw/主营业务收入/*.xlsx"],
    ),
    (
        "nbs_province_api",
        "nbs_province_gdp_by_industry_api_2024/",
        "pntehan/gdpAnalyze",
        "b54db5e2c4ffe99df91720bef0b5a06fd071116e",
        NO_LICENCE,
        NBS + " database API (fsnd A0201)",
        ["gdp-spider/data/*.json"],
    ),
    (
        "nbs_gdp_export",
        "provincial_gdp_series/jialingzhang0730_Local_GDP_Estimates/",
        "jialingzhang0730/Local_GDP_Estimates_Around_the_World",
        "c5b5de2f6a1659739e7be30c26f9225d3ef03c7c",
        NO_LICENCE,
        NBS + " database export (Annual by Province)",
        ["step2_obtain_gdp_data/inputs/gdp_data/regional/CHN/AnnualbyProvince.xls"],
    ),
    (
        "gdp_first_published",
        "provincial_gdp_series/RenJiyi163_panel_data_analysis_for_thesis/",
        "RenJiyi163/panel_data_analysis_for_thesis",
        "756964b145f2ca33ab3c2390922b91e0070a2ed4",
        "MIT",
        NBS + " statistical yearbooks (first-published GDP)",
        ["分省年度数据_整合.csv"],
    ),
]


# The city stage (workflow/rules/cities.smk): the China City Statistical Yearbook, city GDP by sector, the
# GB/T 2260 code lists, and the provincial counterparts of the city distribution keys.
SOURCES += [
    (
        "city_statistical_yearbook",
        "city_statistical_yearbook/",
        "Zeeny-lin/vibe-coding-gis-",
        "2bed2267198b5f6673480730bc82c9b35b5953cb",
        "none stated; figures: official statistics (NBS 中国城市统计年鉴, CNKI conversion)",
        NBS + " China City Statistical Yearbook (CNKI Excel edition)",
        ["yearbook_data/中国城市统计年鉴1985-2024年（EXCEL版本）/Excel版本/*.rar"],
    ),
    (
        "city_gdp_by_sector",
        "city_gdp_by_sector/",
        "biechouwo-coder/G-P",
        "620eba99be66f22289ff05d79b893793c84d1421",
        "none stated; compiled from provincial yearbooks and bulletins",
        "City GDP and VA of the three sectors (provincial yearbooks, compiled)",
        ["原始数据/2000-2023地级市产业结构 .xlsx"],
    ),
    (
        "area_codes",
        "areacodes_gbt2260/",
        "yescallop/areacodes",
        "eed219a0678d36bacaa717f62443b10e869f0291",
        "CC0-1.0",
        "Ministry of Civil Affairs: GB/T 2260 administrative division codes",
        [f"data/{year}.txt" for year in range(2009, 2024)],
    ),
    (
        "nbs_province_city_keys",
        "nbs_province_annual_scrape_2021/",
        "3112944976/National-Visualization-Web-Application",
        "582d20bfb0dae6bb730230820cf3bd07475f7396",
        NO_LICENCE,
        NBS + " 分省年度数据",
        [
            # provincial counterparts of the city keys (employment by section, broadband users)
            "源数据/国家统计局分省年度数据/就业人员和工资/按行业分城镇单位就业人员.csv",
            "源数据/国家统计局分省年度数据/运输和邮电/互联网主要指标发展情况.csv",
        ],
    ),
]


def main(mirror: Path) -> None:
    """Write the manifest of every file of ``SOURCES`` found in ``mirror`` to stdout.

    Parameters
    ----------
    mirror
        A local copy laid out like shared/data.

    Raises
    ------
    SystemExit
        If a pattern of ``SOURCES`` matches no file.
    """
    writer = csv.DictWriter(sys.stdout, fieldnames=MANIFEST_FIELDS, lineterminator="\n")
    writer.writeheader()
    for dataset, prefix, repository, commit, licence, publisher, patterns in SOURCES:
        for pattern in patterns:
            files = sorted((mirror / prefix).glob(pattern))
            if not files:
                raise SystemExit(f"no file matches {prefix}{pattern} under {mirror}")
            for file in files:
                repo_path = file.relative_to(mirror / prefix).as_posix()
                writer.writerow(
                    {
                        "dataset": dataset,
                        "mirror_path": prefix + repo_path,
                        "repository": repository,
                        "commit": commit,
                        "repo_path": repo_path,
                        "url": f"https://raw.githubusercontent.com/{repository}/{commit}/{quote(repo_path)}",
                        "sha256": sha256_of(file),
                        "size_bytes": file.stat().st_size,
                        "licence": licence,
                        "publisher": publisher,
                    }
                )


if __name__ == "__main__":
    main(Path(sys.argv[1]))
