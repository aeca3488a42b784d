"""The panel for papers: one row per province x year x method x convention, in every format.

Built from the long results (``digital_economy_va.csv``, ``digital_economy_total.csv``) and the real
values and implicit deflators the estimate made (:mod:`digecon.estimation.prices`); the national rows
(code 0, 全国) are sums of the provinces. Values are computed unrounded and rounded once
(:func:`digecon.outputs.export.round_published`).
Written as CSV, Stata (English labels in ``panel.dta``, Chinese in ``panel_zh.dta``), Excel (number
formats, frozen header and province columns, autofilter, a 说明 README sheet) and Parquet (labels and
units as field metadata), all with the same columns (:data:`PANEL_COLUMNS`).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import pandas as pd

from digecon.core.files import atomic_path, write_csv
from digecon.core.provinces import NATIONAL_CODE, NATIONAL_NAME, province_table
from digecon.estimation.indicators import MIXED
from digecon.estimation.prices import COMPONENT_DEFLATORS, worst_flag
from digecon.estimation.totals import national_share_of_gdp
from digecon.outputs.export import round_published

log = logging.getLogger(__name__)

ESTIMATE = ["province_code", "year", "method", "convention"]
COMPONENTS = ("electronics", "it_services", "telecom", "media")
SERVICES = ("it_services", "telecom", "media")  # deflated by the tertiary deflator


@dataclass(frozen=True)
class PanelColumn:
    """One column of the panel: name (≤ 32 characters), English and Chinese labels (≤ 80), unit, kind.

    ``kind`` sets the Excel number format and the Stata type: ``yuan`` (亿元), ``percent``,
    ``index`` (base year = 100), ``int``, ``bool`` or ``text``.
    """

    name: str
    label: str
    label_zh: str
    unit: str
    kind: str


def _yuan(name: str, label: str, label_zh: str, unit: str = "亿元") -> PanelColumn:
    """Declare a column in 亿元."""
    return PanelColumn(name, label, label_zh, unit, "yuan")


PANEL_COLUMNS = (
    PanelColumn(
        "province_code",
        "GB/T 2260 province code (0 = sum of provinces)",
        "省份代码（GB/T 2260，0 = 各省合计）",
        "",
        "int",
    ),
    PanelColumn("province", "Province, Chinese short name (national row: sum of provinces)", "省份", "", "text"),
    PanelColumn("province_en", "Province (English)", "省份（英文）", "", "text"),
    PanelColumn("year", "Year", "年份", "", "int"),
    PanelColumn(
        "method",
        "Coefficient path between benchmarks: hold, linear, spline, chow_lin, national",
        "系数路径方法",
        "",
        "text",
    ),
    PanelColumn("convention", "Benchmark coefficient: share (V/A) or benchmark (V/X)", "基准系数口径", "", "text"),
    PanelColumn("recommended", "1 = the recommended method and convention", "推荐估计（1 = 是）", "", "bool"),
    _yuan("electronics_100m_yuan", "Electronics manufacturing (C39) value added", "电子信息制造业增加值"),
    _yuan(
        "it_services_100m_yuan",
        "Internet, software and IT services (I64-I65) value added",
        "互联网和软件信息技术服务增加值",
    ),
    _yuan(
        "telecom_100m_yuan",
        "Telecom, broadcast and satellite transmission (I63) VA",
        "电信、广播电视和卫星传输服务增加值",
    ),
    _yuan("media_100m_yuan", "News, publishing, radio, TV and film (R86-R87) value added", "新闻出版和广播影视增加值"),
    _yuan("production_100m_yuan", "Digital production: electronics + IT services", "数字产品制造和服务（生产部分）"),
    _yuan("circulation_100m_yuan", "Digital circulation: telecom + media", "数字信息流通（流通部分）"),
    _yuan("total_100m_yuan", "Digital-economy value added, total", "数字经济增加值"),
    _yuan("total_lower_100m_yuan", "Lower bound of the total (backtest errors)", "数字经济增加值下界（回测误差）"),
    _yuan("total_upper_100m_yuan", "Upper bound of the total (backtest errors)", "数字经济增加值上界（回测误差）"),
    PanelColumn("flag", "benchmark (IO table year), interpolated or extrapolated", "基准年、插值或外推", "", "text"),
    PanelColumn(
        "distance_years",
        "Years to the nearest benchmark (IO table); national row: largest",
        "距最近基准年（投入产出表）年数",
        "years",
        "int",
    ),
    *(
        PanelColumn(
            f"{key}_carried_by",
            f"{name}: year carried by benchmark table, industry series or aggregate",
            f"{name_zh}本年依据：基准表、本行业序列或总量指标",
            "",
            "text",
        )
        for key, name, name_zh in (
            ("electronics", "Electronics", "电子信息制造业"),
            ("it_services", "IT services", "互联网和软件信息技术服务"),
            ("telecom", "Telecom", "电信广播电视卫星传输"),
            ("media", "Media", "新闻出版和广播影视"),
        )
    ),
    _yuan("gdp_100m_yuan", "GDP (gross regional product, NBS revised)", "地区生产总值（国家统计局修订值）"),
    PanelColumn(
        "share_of_gdp_percent",
        "Digital-economy value added, % of GDP",
        "数字经济增加值占地区生产总值比重",
        "%",
        "percent",
    ),
    PanelColumn(
        "growth_percent", "Nominal growth of the total on the previous year", "数字经济增加值名义增长率", "%", "percent"
    ),
    _yuan(
        "real_total_100m_yuan",
        "Total at constant prices of price_base_year",
        "数字经济增加值（不变价）",
        "亿元, base-year prices",
    ),
    _yuan(
        "real_production_100m_yuan",
        "Production part at constant prices",
        "生产部分（不变价）",
        "亿元, base-year prices",
    ),
    _yuan(
        "real_circulation_100m_yuan",
        "Circulation part at constant prices",
        "流通部分（不变价）",
        "亿元, base-year prices",
    ),
    PanelColumn(
        "real_growth_percent",
        "Real growth of the total on the previous year",
        "数字经济增加值实际增长率",
        "%",
        "percent",
    ),
    PanelColumn("real_flag", "deflated, gdp deflator, no price index or no nominal series", "不变价标记", "", "text"),
    PanelColumn("price_base_year", "Base year of the constant prices", "不变价基期", "", "int"),
    PanelColumn(
        "deflator_electronics",
        "Deflator of electronics (base year = 100)",
        "电子信息制造业平减指数（基期 = 100）",
        "index",
        "index",
    ),
    PanelColumn(
        "deflator_services",
        "Deflator of the service components (tertiary; base year = 100)",
        "服务部分平减指数（第三产业，基期 = 100）",
        "index",
        "index",
    ),
    PanelColumn(
        "electronics_deflator",
        "Series of the electronics deflator: industry or secondary",
        "电子信息制造业平减指数所用序列（工业或第二产业）",
        "",
        "text",
    ),
    PanelColumn(
        "gdp_real_growth_percent",
        "Real GDP growth (NBS volume index)",
        "地区生产总值实际增长率（国家统计局指数）",
        "%",
        "percent",
    ),
)
NAMES = [c.name for c in PANEL_COLUMNS]
BOUNDS = [("total_lower_100m_yuan", "total_100m_yuan", "total_upper_100m_yuan")]
TOTAL_COLUMNS = {  # digital_economy_total.csv -> panel
    "production_100m_yuan": "production_100m_yuan",
    "circulation_100m_yuan": "circulation_100m_yuan",
    "value_100m_yuan": "total_100m_yuan",
    "lower_100m_yuan": "total_lower_100m_yuan",
    "upper_100m_yuan": "total_upper_100m_yuan",
    "flag": "flag",
    "distance_years": "distance_years",
    "gdp_100m_yuan": "gdp_100m_yuan",
    "share_of_gdp_percent": "share_of_gdp_percent",
}
CARRIED_BY = [f"{c}_carried_by" for c in COMPONENTS]  # values' carried_by, one column per component
# national rows: sums over whatever provinces have a value (as the wide tables) ...
SUMMED = [
    *(f"{c}_100m_yuan" for c in COMPONENTS),
    "production_100m_yuan",
    "circulation_100m_yuan",
    "total_100m_yuan",
    "total_lower_100m_yuan",
    "total_upper_100m_yuan",
    "gdp_100m_yuan",
    "services_100m_yuan",
]
# ... and real values only where every province has one (a partial sum at constant prices is no total)
SUMMED_STRICT = [
    "real_total_100m_yuan",
    "real_production_100m_yuan",
    "real_circulation_100m_yuan",
    "real_electronics_100m_yuan",
    "real_services_100m_yuan",
    "real_gdp_100m_yuan",
]


def _components(values: pd.DataFrame, column: str) -> pd.DataFrame:
    """One column per component of ``column``, one row per province x year x method x convention."""
    wide = values.set_index([*ESTIMATE, "component"])[column].unstack("component")
    return wide.reindex(columns=list(COMPONENTS))


def _real_parts(real_values: pd.DataFrame) -> pd.DataFrame:
    """Real values (亿元 at base-year prices), deflators and real flag of each province x year x estimate."""
    real = _components(real_values, "real_value_100m_yuan")
    deflator = _components(real_values, "deflator_base_100")
    series = _components(real_values, "deflator_series")
    services = real[list(SERVICES)]
    return pd.DataFrame(
        {
            "real_production_100m_yuan": real["electronics"] + real["it_services"],
            "real_circulation_100m_yuan": real["telecom"] + real["media"],
            "real_total_100m_yuan": real.sum(axis=1, skipna=False),
            "real_flag": real_values.groupby(ESTIMATE)["real_flag"].agg(worst_flag),
            "deflator_electronics": deflator["electronics"],
            "deflator_services": deflator["it_services"],
            "electronics_deflator": series["electronics"].fillna(""),
            "real_electronics_100m_yuan": real["electronics"],
            "real_services_100m_yuan": services.sum(axis=1, skipna=False),
        }
    )


def _province_rows(
    values: pd.DataFrame, totals: pd.DataFrame, real_values: pd.DataFrame, deflators: pd.DataFrame
) -> pd.DataFrame:
    """Panel columns of the provinces (unrounded), plus the helper columns the national rows need."""
    rows = totals.set_index(ESTIMATE)[list(TOTAL_COLUMNS)].rename(columns=TOTAL_COLUMNS)
    nominal = _components(values, "value_100m_yuan")
    rows = rows.join(nominal.add_suffix("_100m_yuan"), how="left", validate="one_to_one")
    rows["services_100m_yuan"] = nominal[list(SERVICES)].sum(axis=1, skipna=False)
    rows = rows.join(_components(values, "carried_by").astype(str).add_suffix("_carried_by"), validate="one_to_one")
    rows = rows.join(_real_parts(real_values), how="left", validate="one_to_one")
    gdp = deflators.loc[deflators["series"] == "gdp", ["province_code", "year", "real_100m_yuan"]]
    rows = rows.reset_index().merge(
        gdp.rename(columns={"real_100m_yuan": "real_gdp_100m_yuan"}), on=["province_code", "year"], how="left"
    )
    return rows


def _national_flag(flags: pd.Series) -> str:
    """Flag a national row as a province total: benchmark if every province is, extrapolated if any is."""
    if (flags == "benchmark").all():
        return "benchmark"
    return "extrapolated" if (flags == "extrapolated").any() else "interpolated"


def _common(carriers: pd.Series) -> str:
    """Say what carries a national row's component: what carries it in every province, else ``mixed``."""
    return carriers.iloc[0] if carriers.nunique() == 1 else MIXED


def _national_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """Add up the provinces into the 全国 rows (code 0), per year, method and convention."""
    grouped = rows.groupby(["year", "method", "convention"])
    strict = grouped[SUMMED_STRICT].sum(min_count=1)
    strict = strict.where(grouped[SUMMED_STRICT].count().eq(grouped.size(), axis=0))
    national = pd.concat(
        [
            grouped[SUMMED].sum(min_count=1),
            strict,
            grouped.agg(
                flag=("flag", _national_flag),
                distance_years=("distance_years", "max"),
                real_flag=("real_flag", worst_flag),
                electronics_deflator=("electronics_deflator", lambda s: "+".join(sorted(set(s) - {""}))),
                **{c: (c, _common) for c in CARRIED_BY},
            ),
        ],
        axis=1,
    )
    national["deflator_electronics"] = national["electronics_100m_yuan"] / national["real_electronics_100m_yuan"] * 100
    national["deflator_services"] = national["services_100m_yuan"] / national["real_services_100m_yuan"] * 100
    shares = {
        key: national_share_of_gdp(group.rename(columns={"total_100m_yuan": "value_100m_yuan"}))
        for key, group in rows.groupby(["method", "convention"])
    }
    share = pd.concat(shares, names=["method", "convention"]).reorder_levels(["year", "method", "convention"])
    national["share_of_gdp_percent"] = share
    return national.reset_index().assign(province_code=NATIONAL_CODE)


def _growth(frame: pd.DataFrame, column: str) -> pd.Series:
    """Growth of ``column`` on the previous year, %, within each province and estimate (NaN after a gap)."""
    keys = ["province_code", "method", "convention"]
    ordered = frame.sort_values([*keys, "year"])
    previous = ordered.groupby(keys)[[column, "year"]].shift()
    growth = (ordered[column] / previous[column] - 1) * 100
    return growth.where(previous["year"] == ordered["year"] - 1).reindex(frame.index)


KIND_TYPES = {"yuan": "float64", "percent": "float64", "index": "float64", "int": "int64", "bool": "bool"}


def _typed(panel: pd.DataFrame) -> pd.DataFrame:
    """Give every column the type of its kind (numbers as float64 even when a source had them as objects)."""
    return panel.astype({c.name: KIND_TYPES[c.kind] for c in PANEL_COLUMNS if c.kind in KIND_TYPES})


def panel_table(
    values: pd.DataFrame,
    totals: pd.DataFrame,
    real_values: pd.DataFrame,
    deflators: pd.DataFrame,
    *,
    method: str,
    convention: str,
    base_year: int,
) -> pd.DataFrame:
    """Lay out the panel: every province x year x method x convention, the provinces' sum as 全国.

    Parameters
    ----------
    values
        The long component estimates (``digital_economy_va.csv``): ``province_code``, ``year``,
        ``component``, ``method``, ``convention``, ``value_100m_yuan`` (亿元, current prices),
        ``carried_by``.
    totals
        The long totals (``digital_economy_total.csv``) with ``production_100m_yuan``,
        ``circulation_100m_yuan``, ``value_100m_yuan``, the band, ``flag``, ``distance_years``,
        ``gdp_100m_yuan`` and ``share_of_gdp_percent``.
    real_values
        The components at base-year prices (``real_values`` of :class:`digecon.Result`,
        :func:`digecon.estimation.prices.deflate_components`), with ``deflator_base_100``,
        ``deflator_series`` and ``real_flag``.
    deflators
        From :func:`digecon.estimation.prices.implicit_deflators` (the ``gdp`` series gives the real
        GDP growth); without rows when there is no volume index at all.
    method, convention
        The recommended estimate (``recommended`` is True on its rows, which come first).
    base_year
        The base year of ``deflators``, written in ``price_base_year``.

    Returns
    -------
    DataFrame
        :data:`PANEL_COLUMNS`, rounded once (:func:`digecon.outputs.export.round_published`, the band
        kept around the total). National rows: sums of the provinces (real values only where every
        province has one; share of GDP a ratio of sums; deflators implicit in the sums; a
        component's ``*_carried_by`` the provinces' where they agree, else ``mixed``).

    Raises
    ------
    ValueError
        If there is no estimate for ``method`` and ``convention``.
    """
    if not ((totals["method"] == method) & (totals["convention"] == convention)).any():
        raise ValueError(f"no estimates for method {method!r} and convention {convention!r}")
    rows = _province_rows(values, totals, real_values, deflators)
    panel = pd.concat([rows, _national_rows(rows)], ignore_index=True)
    panel["growth_percent"] = _growth(panel, "total_100m_yuan")
    panel["real_growth_percent"] = _growth(panel, "real_total_100m_yuan")
    panel["gdp_real_growth_percent"] = _growth(panel, "real_gdp_100m_yuan")
    names = province_table().set_index("province_code")[["province", "province_en"]]
    names.loc[NATIONAL_CODE] = [NATIONAL_NAME, "China (sum of provinces)"]
    panel = panel.join(names, on="province_code")
    panel["recommended"] = (panel["method"] == method) & (panel["convention"] == convention)
    panel["price_base_year"] = base_year
    order = panel.assign(national=panel["province_code"] == NATIONAL_CODE).sort_values(
        ["recommended", "convention", "method", "national", "province_code", "year"],
        ascending=[False, True, True, True, True, True],
    )
    return round_published(_typed(order[NAMES].reset_index(drop=True)), bounds=BOUNDS)


@dataclass(frozen=True)
class PanelAbout:
    """What the 说明 README sheet, the Stata data labels and the Parquet metadata say about a panel."""

    method: str
    convention: str
    base_year: int
    sources: str = ""
    version: str = ""
    run_date: str = field(default_factory=lambda: date.today().isoformat())
    settings: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)


README = {  # topic -> text of the 说明 README sheet ({method}, {convention}, {base_year}, {deflators} filled in)
    "digecon panel": "Digital-economy value added (数字经济增加值) of China's provinces, from NBS regional IO tables",
    "单位 Units": "亿元 (100 million yuan) at current prices; real_* in 亿元 at prices of {base_year}; *_percent in %",
    "行 Rows": "one row per province x year x method x convention; 全国 (province_code 0) = sum of the provinces",
    "推荐 Recommended": "recommended = True (1 in Stata): method {method}, convention {convention}; others: robustness",
    "方法 Method": "benchmark coefficients of the IO tables carried to other years by NBS indicators (METHOD.md)",
    "区间 Bands": "total_lower_100m_yuan / total_upper_100m_yuan: from the backtest errors of the total (README)",
    "不变价 Constant prices": "base year {base_year}; each component divided by its sector's implicit deflator "
    "({deflators}), chained from the NBS volume indices 上年=100: real_t = real_t-1 x index_t / 100, "
    "real = nominal in {base_year}, deflator = nominal / real; a year without the sector's index moves with "
    "the GDP deflator (the NBS sector indices cover 2000-2019 and 2024, 地区生产总值指数 every year): "
    "real_flag = gdp deflator on every year whose chain from {base_year} takes such a step",
    "依据 Carried by": "*_carried_by: what carries each component's year: benchmark table (the IO table of that "
    "year), industry series (a series of the industry itself: C39 revenue, software revenue, a wage bill, a "
    "user's series) or aggregate (only 工业, 第二产业, 第三产业, 其他行业 or GDP: nothing of the industry "
    "itself reaches the year); 全国: mixed where the provinces differ",
    "缺失 Missing": "real values are empty (real_flag = no price index) where no index reaches the year: give "
    "your own in prices.user_csv; nothing is filled in",
    "舍入 Rounding": "rounded once: 亿元 to 4 decimals (1 万元), % and indices to 4; bounds kept around the total; "
    "sums of rounded cells may differ from the rounded sum in the last place",
}


def readme_rows(about: PanelAbout) -> list[tuple[str, str]]:
    """Describe the panel for its 说明 README sheet: (topic, text) rows.

    Parameters
    ----------
    about
        The estimate, base year, sources, version, run date and settings of the run.

    Returns
    -------
    list of (str, str)
        The topics of ``README``, sources, version, run date, then one row per setting
        (``设置 section.key``, its value as JSON).
    """
    deflators = "; ".join(f"{c}: {' or '.join(s)}" for c, s in COMPONENT_DEFLATORS.items())
    fields = {"method": about.method, "convention": about.convention, "base_year": about.base_year}
    rows = [(topic, text.format(deflators=deflators, **fields)) for topic, text in README.items()]
    rows += [
        ("来源 Sources", about.sources),
        ("版本 digecon version", about.version),
        ("运行日期 Run date", about.run_date),
    ]
    return rows + [
        (f"设置 {section}.{key}", json.dumps(value, ensure_ascii=False))
        for section, keys in about.settings.items()
        for key, value in keys.items()
    ]


def _stata_frame(panel: pd.DataFrame) -> pd.DataFrame:
    """Give the panel Stata's types: booleans as 0/1 bytes, 32-bit integers, text without missing values."""
    out = panel.copy()
    for column in PANEL_COLUMNS:
        if column.kind == "bool":
            out[column.name] = out[column.name].astype("int8")
        elif column.kind == "int":
            out[column.name] = out[column.name].astype("int32")
        elif column.kind == "text":
            out[column.name] = out[column.name].fillna("").astype(str)
    return out


def write_panel_stata(panel: pd.DataFrame, path: str | Path, about: PanelAbout, *, language: str = "en") -> Path:
    """Write the panel as a Stata 14+ file (format 118, UTF-8) with variable labels.

    Parameters
    ----------
    panel
        From :func:`panel_table`.
    path
        The ``.dta`` file.
    about
        Run description; the data label names the version and the recommended estimate.
    language
        ``en`` (English variable labels) or ``zh`` (Chinese ones, for ``panel_zh.dta``).

    Returns
    -------
    Path
        ``path``.
    """
    labels = {c.name: (c.label_zh if language == "zh" else c.label)[:80] for c in PANEL_COLUMNS}
    title = "数字经济增加值面板，亿元" if language == "zh" else "digital-economy value added panel, 100m yuan"
    label = f"digecon {about.version}: {title}; recommended {about.method}/{about.convention}"[:80]
    stamp = datetime.combine(date.fromisoformat(about.run_date), time())
    with atomic_path(path) as temporary:
        _stata_frame(panel).to_stata(
            temporary, write_index=False, version=118, data_label=label, variable_labels=labels, time_stamp=stamp
        )
    return Path(path)


FORMATS = {"yuan": "#,##0.0", "percent": "0.00", "index": "0.00", "int": "0"}
README_SHEET = "说明 README"


def _text_width(values: Iterable[object]) -> int:
    """Display width of the longest text (CJK characters count twice)."""
    return max((sum(2 if ord(ch) > 0x2E80 else 1 for ch in str(v)) for v in values), default=0)


def _format_panel_sheet(sheet: Any, panel: pd.DataFrame) -> None:
    """Set number formats and widths, freeze the header row and province columns, add the autofilter."""
    from openpyxl.utils import get_column_letter

    for number, column in enumerate(PANEL_COLUMNS, start=1):
        letter = get_column_letter(number)
        width = len(column.name) + 2
        if column.kind == "text":
            width = max(width, _text_width(panel[column.name].dropna().unique()) + 2)
        sheet.column_dimensions[letter].width = min(max(width, 8), 40)
        fmt = FORMATS.get(column.kind)
        if fmt:
            for (cell,) in sheet.iter_rows(min_row=2, max_row=len(panel) + 1, min_col=number, max_col=number):
                cell.number_format = fmt
    sheet.freeze_panes = "D2"  # the header row and province_code, province, province_en stay in view
    sheet.auto_filter.ref = sheet.dimensions


def _write_readme_sheet(book: Any, about: PanelAbout) -> None:
    """Add the 说明 README sheet, first in the workbook: the run's description, then every column."""
    from openpyxl.styles import Font

    sheet = book.create_sheet(README_SHEET, 0)
    for topic, text in readme_rows(about):
        sheet.append([topic, text])
    sheet.append([])
    sheet.append(["column", "label", "中文标签", "unit"])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for column in PANEL_COLUMNS:
        sheet.append([column.name, column.label, column.label_zh, column.unit])
    sheet.column_dimensions["A"].width = 30
    sheet.column_dimensions["B"].width = 70
    sheet.column_dimensions["C"].width = 44
    sheet.column_dimensions["D"].width = 22


def write_panel_excel(panel: pd.DataFrame, path: str | Path, about: PanelAbout) -> Path:
    """Write the panel as an Excel workbook: a 说明 README sheet, then the sheet ``panel``.

    Parameters
    ----------
    panel
        From :func:`panel_table`.
    path
        The ``.xlsx`` file.
    about
        Run description for the README sheet.

    Returns
    -------
    Path
        ``path``. 亿元 show one decimal and % two (the cells hold the 4-decimal values); header row and
        province columns are frozen; every column has an autofilter.
    """
    with atomic_path(path) as temporary, pd.ExcelWriter(temporary, engine="openpyxl") as writer:
        panel.to_excel(writer, sheet_name="panel", index=False)
        _format_panel_sheet(writer.sheets["panel"], panel)
        _write_readme_sheet(writer.book, about)
    return Path(path)


def write_panel_parquet(panel: pd.DataFrame, path: str | Path, about: PanelAbout) -> Path:
    """Write the panel as Parquet (pyarrow) with each column's labels and unit as field metadata.

    Parameters
    ----------
    panel
        From :func:`panel_table`.
    path
        The ``.parquet`` file (R: ``arrow::read_parquet``; pandas: ``read_parquet``).
    about
        Run description, stored as JSON under the schema metadata key ``digecon``.

    Returns
    -------
    Path
        ``path``.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(panel, preserve_index=False)
    fields = [
        table.schema.field(c.name).with_metadata({"label": c.label, "label_zh": c.label_zh, "unit": c.unit})
        for c in PANEL_COLUMNS
    ]
    described = json.dumps({"readme": dict(readme_rows(about)), "settings": about.settings}, ensure_ascii=False)
    schema = pa.schema(fields, metadata={**(table.schema.metadata or {}), b"digecon": described.encode()})
    with atomic_path(path) as temporary:
        pq.write_table(table.cast(schema), temporary)
    return Path(path)


def _write_panel_csv(panel: pd.DataFrame, path: str | Path, encoding: str) -> Path:
    """Write the panel as CSV (booleans as True/False, empty cells for missing values)."""
    write_csv(panel, path, encoding=encoding)
    return Path(path)


def write_panel(
    panel: pd.DataFrame, paths: Mapping[str, str | Path], about: PanelAbout, *, encoding: str = "utf-8"
) -> list[Path]:
    """Write the panel in every format.

    Parameters
    ----------
    panel
        From :func:`panel_table`.
    paths
        Format -> file: ``csv``, ``dta`` (English labels), ``dta_zh`` (Chinese labels), ``xlsx``,
        ``parquet``; formats not given are not written.
    about
        Run description (README sheet, Stata data label, Parquet metadata).
    encoding
        Of the CSV: ``utf-8`` or ``utf-8-sig`` (the setting ``export.csv_encoding``).

    Returns
    -------
    list of Path
        The files written, in the order of ``paths``.
    """
    writers = {
        "csv": lambda p: _write_panel_csv(panel, p, encoding),
        "dta": lambda p: write_panel_stata(panel, p, about),
        "dta_zh": lambda p: write_panel_stata(panel, p, about, language="zh"),
        "xlsx": lambda p: write_panel_excel(panel, p, about),
        "parquet": lambda p: write_panel_parquet(panel, p, about),
    }
    unknown = sorted(set(paths) - set(writers))
    if unknown:
        raise ValueError(f"unknown panel formats {unknown}; expected {list(writers)}")
    written = [writers[kind](path) for kind, path in paths.items()]
    log.info("panel: %d rows, %d columns, %d files", len(panel), len(panel.columns), len(written))
    return written
