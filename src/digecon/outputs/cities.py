"""The city results: the long table, the panel files, the comparison with published figures, the page.

The long table carries names and the printed cell of each key; the page (figures and HTML) is in
English or Chinese.
"""

from __future__ import annotations

import html
from datetime import date, datetime, time
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from digecon.core.files import atomic_path, write_csv, write_text
from digecon.core.provinces import province_table
from digecon.inputs.city_register import REST, boundary_changes
from digecon.outputs import plots

COMPONENTS = ("electronics", "it_services", "telecom", "media")
TOTAL = "total"


# the columns that name a city-year, first in the city table and the panel
CITY_KEYS = ["year", "province_code", "province", "province_en", "city_code", "city", "city_en", "unit_type"]


def english_names(city_keys: pd.DataFrame) -> pd.Series:
    """City code -> English name as the yearbook prints it (its latest edition with one)."""
    printed = city_keys[city_keys["name_en"].fillna("") != ""].sort_values("year")
    return printed.groupby("city_code")["name_en"].last()


def boundary_notes() -> pd.DataFrame:
    """One note per city code whose area changed in 2009-2023 (from the packaged boundary table)."""
    notes = []
    for c in boundary_changes().itertuples(index=False):
        if c.change == "merged":
            notes += [
                (int(c.code_before), f"merged into {c.name_after} ({c.code_after}) from {c.year}"),
                (int(c.code_after), f"includes {c.name_before} from {c.year}"),
            ]
        elif c.change == "split":
            notes.append((int(c.code_before), f"abolished in {c.year}, split among {c.name_after}"))
        elif c.change in ("upgraded", "renamed", "created"):
            before = f" (before: {c.name_before}, {c.code_before})" if c.name_before else ""
            notes.append((int(c.code_after), f"{c.change} in {c.year}{before}"))
    return (
        pd.DataFrame(notes, columns=["city_code", "boundary_note"]).groupby("city_code")["boundary_note"].agg("; ".join)
    )


def city_table(
    estimates: pd.DataFrame,
    register: pd.DataFrame,
    city_keys: pd.DataFrame,
    *,
    province_totals: pd.DataFrame,
    method: str,
    convention: str,
) -> pd.DataFrame:
    """Lay out the city estimates for users: names, the key's printed cell, a total per city-year.

    Parameters
    ----------
    estimates
        :func:`digecon.estimation.cities.distribute`.
    register, city_keys
        From :func:`digecon.inputs.cities.city_keys_table`.
    province_totals
        The provinces' totals of the estimate distributed: ``province_code``, ``year``,
        ``lower_100m_yuan``, ``upper_100m_yuan``, ``band_relative``.
    method, convention
        The provincial estimate distributed (written in every row).

    Returns
    -------
    DataFrame
        One row per unit (cities, municipalities, rest of a province), year and component (the four
        and ``total``, their sum; the total's bounds are the sums of the components' bounds, but a
        municipality's total is its province's, with the band measured on the province's totals).
    """
    provinces = province_table().set_index("province_code")
    names = register.drop_duplicates("city_code", keep="last").set_index("city_code")["city"]
    english = english_names(city_keys)
    first_key = estimates["key"].str.split("+").str[0]
    lookup = city_keys.set_index(["city_code", "year", "key"])["source"]
    lookup = lookup[~lookup.index.duplicated()]
    at = pd.MultiIndex.from_arrays([estimates["city_code"], estimates["key_year"].fillna(-1).astype(int), first_key])
    table = estimates.assign(
        key_source=lookup.reindex(at).to_numpy(),
        method=method,
        convention=convention,
    )
    totals = (
        table.groupby(["year", "province_code", "city_code", "unit_type"], as_index=False)[
            ["value_100m_yuan", "lower_100m_yuan", "upper_100m_yuan", "province_value_100m_yuan"]
        ]
        .sum()
        .assign(component=TOTAL, flag="sum of the four components", method=method, convention=convention)
    )
    bands = ["lower_100m_yuan", "upper_100m_yuan", "band_relative"]
    own = totals[["province_code", "year"]].merge(province_totals[["province_code", "year", *bands]], how="left")
    municipality = (totals["unit_type"] == "municipality").to_numpy()
    for column in bands:
        totals[column] = np.where(municipality, own[column].to_numpy(), totals.get(column, np.nan))
    table = pd.concat([table, totals], ignore_index=True)
    rest = table["unit_type"] == REST
    table["city"] = table["city_code"].map(names).where(~rest, "其他地区")
    table["city_en"] = table["city_code"].map(english).where(~rest, "rest of province")
    table.loc[table["city_en"].isna(), "city_en"] = ""
    table["province"] = table["province_code"].map(provinces["province"])
    table["province_en"] = table["province_code"].map(provinces["province_en"])
    table["boundary_note"] = table["city_code"].map(boundary_notes()).fillna("")
    table["share_of_province"] = table["value_100m_yuan"] / table["province_value_100m_yuan"]
    order = {c: i for i, c in enumerate((*COMPONENTS, TOTAL))}
    table = table.sort_values(
        ["year", "province_code", "city_code", "component"], key=lambda s: s.map(order) if s.name == "component" else s
    )
    first = [*CITY_KEYS, "component"]
    rest_columns = [c for c in table.columns if c not in first]
    return table[first + rest_columns].reset_index(drop=True)


PANEL_LABELS = {
    "city_code": "GB/T 2260 code of the city in that year (province code: rest of the province)",
    "city": "city (Chinese)",
    "city_en": "city (English, as the yearbook prints it)",
    "province_code": "province code",
    "province": "province (Chinese)",
    "province_en": "province (English)",
    "year": "year",
    "unit_type": "city, municipality or rest of the province",
    "boundary_note": "boundary change of the city 2009-2023",
}


def city_panel(table: pd.DataFrame) -> pd.DataFrame:
    """One row per city-year, the components side by side (value, bounds, key, flag) and their total.

    Parameters
    ----------
    table
        :func:`city_table`.

    Returns
    -------
    DataFrame
        Identifiers (:data:`PANEL_LABELS`), then for each component ``<c>_100m_yuan``,
        ``<c>_lower_100m_yuan``, ``<c>_upper_100m_yuan``, ``<c>_key``, ``<c>_flag`` and the total's value
        and bounds.
    """
    ids = [*CITY_KEYS, "boundary_note"]
    panel = table[table["component"] == TOTAL][ids].reset_index(drop=True)
    for component in (*COMPONENTS, TOTAL):
        part = table[table["component"] == component].set_index(["year", "city_code"])
        columns = {
            "value_100m_yuan": f"{component}_100m_yuan",
            "lower_100m_yuan": f"{component}_lower_100m_yuan",
            "upper_100m_yuan": f"{component}_upper_100m_yuan",
        }
        if component != TOTAL:
            columns |= {"key": f"{component}_key", "flag": f"{component}_flag"}
        panel = panel.join(part[list(columns)].rename(columns=columns), on=["year", "city_code"])
    return panel


def _label(column: str) -> str:
    """Variable label of a panel column (Stata: at most 80 characters)."""
    if column in PANEL_LABELS:
        return PANEL_LABELS[column][:80]
    component = next(c for c in (*COMPONENTS, TOTAL) if column.startswith(c + "_"))
    rest = column.removeprefix(component + "_")
    what = {
        "100m_yuan": "value, 100m yuan",
        "lower_100m_yuan": "lower bound, 100m yuan",
        "upper_100m_yuan": "upper bound, 100m yuan",
        "key": "distribution key",
        "flag": "flag",
    }.get(rest, rest)
    return f"{component}: {what}"[:80]


def write_city_panel(panel: pd.DataFrame, paths: dict[str, str | Path], *, encoding: str = "utf-8") -> None:
    """Write the city panel as CSV, Stata (variable labels), Parquet and Excel.

    Parameters
    ----------
    panel
        :func:`city_panel`.
    paths
        ``csv``, ``dta``, ``parquet``, ``xlsx`` -> destination (each replaced only when complete).
    encoding
        Of the CSV (``export.csv_encoding``).
    """
    write_csv(panel, paths["csv"], encoding=encoding)
    labels = {c: _label(c) for c in panel.columns}
    with atomic_path(paths["dta"]) as temporary:
        # stamped with the run's day, as the provincial panel, so a rerun the same day writes the same bytes
        stamp = datetime.combine(date.today(), time())
        panel.to_stata(temporary, write_index=False, version=118, variable_labels=labels, time_stamp=stamp)
    with atomic_path(paths["parquet"]) as temporary:
        panel.to_parquet(temporary, index=False)
    with atomic_path(paths["xlsx"]) as temporary, pd.ExcelWriter(temporary, engine="openpyxl") as book:
        panel.to_excel(book, sheet_name="panel", index=False)
        pd.DataFrame({"column": list(labels), "label": list(labels.values())}).to_excel(
            book, sheet_name="labels", index=False
        )


def published_comparison(table: pd.DataFrame, published: pd.DataFrame) -> pd.DataFrame:
    """Compare the user's published city figures with the estimates.

    Parameters
    ----------
    table
        :func:`city_table`.
    published
        ``city_code``, ``year``, ``component``, ``value_100m_yuan``, ``source`` (matched).

    Returns
    -------
    DataFrame
        Each published figure with the estimate, its band, the difference and the ratio, and
        whether the published figure lies inside the band.
    """
    estimate = table.set_index(["city_code", "year", "component"])[
        ["city", "value_100m_yuan", "lower_100m_yuan", "upper_100m_yuan", "key", "flag"]
    ].rename(columns={"value_100m_yuan": "estimate_100m_yuan"})
    out = published.rename(columns={"value_100m_yuan": "published_100m_yuan"}).join(
        estimate, on=["city_code", "year", "component"]
    )
    return out.assign(
        difference_100m_yuan=out["estimate_100m_yuan"] - out["published_100m_yuan"],
        ratio=out["estimate_100m_yuan"] / out["published_100m_yuan"],
        inside_band=(out["published_100m_yuan"] >= out["lower_100m_yuan"])
        & (out["published_100m_yuan"] <= out["upper_100m_yuan"]),
    )


WORDS = {
    "en": {
        "title": "Digital economy of China's prefecture-level cities",
        "largest": "The {n} largest cities, digital-economy value added {year}",
        "largest_caption": "Cities ranked by the sum of the four components in {year} (100 million yuan, current "
        "prices); the whiskers are the band (sum of the components' bands, measured one level up).",
        "concentration": "Concentration: the largest city's share of its province, {year}",
        "concentration_caption": "For each province (municipalities left out) the share of its digital-economy value "
        "added in its largest city, {year}; the rest of the province (地区, 自治州, 盟) counts as outside the cities.",
        "growth": "Growth {start}-{end} of the {n} largest cities",
        "growth_caption": "Average annual growth of the digital-economy value added (current prices), {start}-{end}, "
        "of the {n} largest cities of {end}; rows carried forward from the last key year are flagged in the CSV.",
        "level_up": "Error measured one level up: the nation distributed over the provinces",
        "level_up_caption": "Median absolute percentage error of each candidate key when the nation's component is "
        "distributed over the provinces and compared with the provinces' own IO tables ({years}), by distance "
        "between the key year and the table year (pooled over the tables each key reaches at that distance); the "
        "chosen key, the best at distance 0 on the tables all candidates cover, is drawn thick. These errors "
        "choose the keys and give the city bands (q80 of the band errors at the row's distance).",
        "value": "100 million yuan",
        "share": "share of the province",
        "growth_axis": "average annual growth",
        "distance": "distance between key year and table year (years)",
        "ape": "median APE",
        "chosen": "chosen",
        "components": {
            "electronics": "electronics",
            "it_services": "IT services",
            "telecom": "telecom",
            "media": "media",
        },
        "note": "Keys chosen: {keys}. Method {method}, convention {convention} of the provincial estimate.",
        "table": "Level-up errors at distance 0 (table years all candidates cover)",
    },
    "zh": {
        "title": "地级市数字经济增加值",
        "largest": "数字经济增加值最大的{n}个城市（{year}年）",
        "largest_caption": "按{year}年四个部分之和排序（亿元，当年价）；"
        "误差线为区间（各部分区间之和，由上一层级测得）。",
        "concentration": "集中度：最大城市占全省的比重（{year}年）",
        "concentration_caption": "各省（不含直辖市）{year}年数字经济增加值中最大城市所占比重；"
        "地区、自治州、盟计入城市以外部分。",
        "growth": "{n}个最大城市{start}—{end}年的增长",
        "growth_caption": "{end}年最大的{n}个城市{start}—{end}年数字经济增加值（当年价）年均增长率；"
        "由最后一个分配指标年份顺延的年份在CSV中标注。",
        "level_up": "上一层级测得的误差：全国分配到各省",
        "level_up_caption": "将全国的各部分按候选分配指标分配到各省，并与各省投入产出表（{years}年）比较，"
        "按指标年份与表年份的距离给出绝对百分比误差的中位数（汇总该距离上各指标可及的表）；粗线为选用的指标，即在所有候选指标都覆盖的表上距离为0时误差最小者。这些误差决定指标的选择并给出城市的区间"
        "（该距离上区间误差的80%分位数）。",
        "value": "亿元",
        "share": "占全省比重",
        "growth_axis": "年均增长率",
        "distance": "指标年份与表年份的距离（年）",
        "ape": "APE中位数",
        "chosen": "选用",
        "components": {"electronics": "电子设备", "it_services": "信息技术服务", "telecom": "电信", "media": "媒体"},
        "note": "选用的指标：{keys}。省级估计的方法 {method}，口径 {convention}。",
        "table": "距离为0时的上一层级误差（所有候选指标都覆盖的表年份）",
    },
}
TOP = 20


def _name(row: pd.Series, language: str) -> str:
    """Give the city's name in the figure's language (English as printed, else its code)."""
    if language == "zh":
        return str(row["city"])
    return str(row["city_en"]) or str(row["city_code"])


def plot_largest(ax: plt.Axes, table: pd.DataFrame, year: int, language: str) -> pd.DataFrame:
    """Draw the largest cities of ``year`` by total value with their bands; give the data drawn."""
    total = table[(table["component"] == TOTAL) & (table["year"] == year) & (table["unit_type"] != REST)]
    top = total.nlargest(TOP, "value_100m_yuan").iloc[::-1]
    labels = [_name(r, language) for _, r in top.iterrows()]
    errors = np.vstack(
        [top["value_100m_yuan"] - top["lower_100m_yuan"], top["upper_100m_yuan"] - top["value_100m_yuan"]]
    )
    ax.barh(labels, top["value_100m_yuan"], xerr=errors, color="C0", ecolor="0.3", capsize=2)
    ax.set_xlabel(WORDS[language]["value"])
    return top


def plot_concentration(ax: plt.Axes, table: pd.DataFrame, year: int, language: str) -> pd.DataFrame:
    """Draw each province's largest-city share of its total; give the data drawn."""
    total = table[(table["component"] == TOTAL) & (table["year"] == year)]
    total = total[total["unit_type"] != "municipality"]
    cities = total[total["unit_type"] != REST]
    largest = cities.loc[cities.groupby("province_code")["share_of_province"].idxmax()].sort_values("share_of_province")
    labels = [
        f"{r['province'] if language == 'zh' else r['province_en']} ({_name(r, language)})"
        for _, r in largest.iterrows()
    ]
    ax.barh(labels, largest["share_of_province"] * 100, color="C1")
    ax.set_xlabel(WORDS[language]["share"] + " (%)")
    return largest


def plot_growth(ax: plt.Axes, table: pd.DataFrame, start: int, end: int, language: str) -> pd.DataFrame:
    """Draw the average annual growth start-end of the largest cities of ``end``; give the data drawn."""
    total = table[(table["component"] == TOTAL) & (table["unit_type"] != REST)].set_index(["city_code", "year"])
    last = total.xs(end, level="year").nlargest(TOP, "value_100m_yuan")
    first = total.xs(start, level="year").reindex(last.index)
    growth = ((last["value_100m_yuan"] / first["value_100m_yuan"]) ** (1 / (end - start)) - 1) * 100
    data = last.assign(growth_percent=growth).reset_index().sort_values("growth_percent")
    ax.barh([_name(r, language) for _, r in data.iterrows()], data["growth_percent"], color="C2")
    ax.set_xlabel(WORDS[language]["growth_axis"] + " (%)")
    return data


def plot_level_up(axes: np.ndarray, summary: pd.DataFrame, language: str) -> pd.DataFrame:
    """Draw median APE by distance for each component's candidates (the chosen one thick); give the data."""
    words = WORDS[language]
    for ax, component in zip(axes.flat, COMPONENTS, strict=True):
        rows = summary[summary["component"] == component]
        for i, (candidate, group) in enumerate(rows.groupby("candidate", sort=False)):
            chosen = bool(group["chosen"].iloc[0])
            ax.plot(
                group["distance_years"],
                group["median_ape"] * 100,
                marker="o",
                linewidth=2.8 if chosen else 1.0,
                color=f"C{i}",
                label=candidate + (f" ({words['chosen']})" if chosen else ""),
            )
        ax.set_title(words["components"][component])
        ax.xaxis.set_major_locator(plt.MultipleLocator(1))
        ax.set_xlabel(words["distance"])
        ax.set_ylabel(words["ape"] + " (%)")
        # below the panel: inside it the legend would hide lines
        ax.legend(fontsize="x-small", loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=3, frameon=False)
    return summary


def build_city_page(
    table: pd.DataFrame,
    summary: pd.DataFrame,
    common: pd.DataFrame,
    folder: str | Path,
    *,
    language: str,
    table_years: list[int],
    method: str,
    convention: str,
) -> list[Path]:
    """Draw the city figures and write the city page (``folder/index.html``, figures and their data).

    Parameters
    ----------
    table
        :func:`city_table`.
    summary
        :func:`digecon.estimation.cities.choose_keys`.
    common
        ``component``, ``candidate``, ``median_ape``: the ranking at distance 0 on common table years.
    folder
        Where the page, ``figures/`` and ``data/`` go.
    language
        ``en`` or ``zh`` (``zh`` without a CJK font falls back to English, as the gallery does).
    table_years, method, convention
        For the captions.

    Returns
    -------
    list of Path
        The PNG figures written.
    """
    folder = Path(folder)
    language = language if language == "en" or plots.cjk_font() is not None else "en"
    words = WORDS[language]
    end, start = int(table["year"].max()), int(table["year"].min())
    items = []
    with plots.house_style(language):
        for name, title, caption, draw, size in (
            (
                "largest_cities",
                words["largest"].format(n=TOP, year=end),
                words["largest_caption"].format(year=end),
                lambda ax: plot_largest(ax, table, end, language),
                (7, 6.5),
            ),
            (
                "concentration",
                words["concentration"].format(year=end),
                words["concentration_caption"].format(year=end),
                lambda ax: plot_concentration(ax, table, end, language),
                (7, 7.5),
            ),
            (
                "growth",
                words["growth"].format(n=TOP, start=start, end=end),
                words["growth_caption"].format(n=TOP, start=start, end=end),
                lambda ax: plot_growth(ax, table, start, end, language),
                (7, 6.5),
            ),
        ):
            fig, ax = plt.subplots(figsize=size, layout="constrained")
            data = draw(ax)
            ax.set_title(title)
            items.append((name, title, caption, fig, data))
        fig, axes = plt.subplots(2, 2, figsize=(10, 9), layout="constrained")
        data = plot_level_up(axes, summary, language)
        fig.suptitle(words["level_up"])
        years = ", ".join(map(str, table_years))
        items.append(("level_up", words["level_up"], words["level_up_caption"].format(years=years), fig, data))
        written = []
        for name, _, _, fig, data in items:
            (png,) = plots.save_figure(fig, folder / "figures" / name, ("png",))
            write_csv(data, folder / "data" / f"{name}.csv")
            written.append(png)
    write_text(_page_html(items, summary, common, language, method, convention), folder / "index.html")
    return written


def _page_html(
    items: list[tuple], summary: pd.DataFrame, common: pd.DataFrame, language: str, method: str, convention: str
) -> str:
    """Write the HTML of the city page: the keys chosen, each figure with its caption and data, the ranking."""
    words = WORDS[language]
    chosen = summary[summary["chosen"]].drop_duplicates("component")
    keys = ", ".join(f"{words['components'][r.component]}: {r.candidate}" for r in chosen.itertuples())
    rows = "".join(
        f"<tr><td>{html.escape(words['components'][r.component])}</td><td>{html.escape(r.candidate)}</td>"
        f"<td>{r.median_ape * 100:.1f}%</td></tr>"
        for r in common.itertuples()
    )
    body = "".join(
        f'<figure><img src="figures/{name}.png" alt="{html.escape(title)}" width="700">'
        f"<figcaption><b>{html.escape(title)}</b>. {html.escape(caption)} "
        f'<a href="data/{name}.csv">CSV</a></figcaption></figure>'
        for name, title, caption, _, _ in items
    )
    return (
        f'<!DOCTYPE html><html lang="{"zh-CN" if language == "zh" else "en"}"><head><meta charset="utf-8">'
        f"<title>{html.escape(words['title'])}</title></head><body><h1>{html.escape(words['title'])}</h1>"
        f"<p>{html.escape(words['note'].format(keys=keys, method=method, convention=convention))}</p>{body}"
        f"<h2>{html.escape(words['table'])}</h2><table><tr><th></th><th></th><th>{words['ape']}</th></tr>{rows}</table>"
        "</body></html>\n"
    )
