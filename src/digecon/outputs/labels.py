"""The label catalogue: every text of every figure and of the gallery page, in English and Chinese.

Each entry is ``key: (English, Chinese)``, side by side so that a translation is checked where it
is written. Entries are plain text or :meth:`str.format` templates whose fields come from the data
(years, names, counts); a template may leave out fields it does not need. Text between backticks
(```results/validation/backtest.csv```) names a file or an identifier: the page shows it as code,
in both languages. The figure and gallery code take their words only from here.

Pure Python with no imports beyond the standard library, so that :mod:`digecon.outputs.names` (read
by the Snakefile at parse time) can take the gallery headings from it.
"""

from __future__ import annotations

import re

LANGUAGES = ("en", "zh")

CATALOGUE: dict[str, tuple[str, str]] = {
    # --- components, categories and measures -----------------------------------------------------
    "electronics": ("Electronics (C39)", "电子设备制造 (C39)"),
    "it_services": ("Internet, software & IT (I64-65)", "互联网、软件和信息技术服务 (I64-65)"),
    "telecom": ("Telecom & broadcasting transmission (I63)", "电信、广播电视和卫星传输 (I63)"),
    "media": ("Radio, TV, film, publishing (R86-87)", "广播电视电影、新闻出版 (R86-87)"),
    "short_electronics": ("Electronics", "电子设备"),
    "short_it_services": ("IT services", "信息技术服务"),
    "short_telecom": ("Telecom", "电信"),
    "short_media": ("Media", "媒体"),
    "short_total": ("Total", "合计"),
    # a component in running text (captions): lower case in English
    "component_electronics": ("electronics", "电子设备"),
    "component_it_services": ("IT services", "信息技术服务"),
    "component_telecom": ("telecom", "电信"),
    "component_media": ("media", "媒体"),
    "component_total": ("total", "合计"),
    "production": ("Production", "数字产品制造"),
    "circulation": ("Circulation", "数字流通"),
    "total": ("Total", "合计"),
    "value": ("Value added, 100 million yuan", "增加值（亿元）"),
    "value_unit": ("100 million yuan", "亿元"),
    "share": ("Share of GDP, %", "占GDP比重（%）"),
    "share_short": ("Share of GDP", "占GDP比重"),
    "growth": ("Growth, %", "增长率（%）"),
    "year": ("Year", "年份"),
    "national_sum": ("China, sum of {n} provinces", "全国（{n}省合计）"),
    "china": ("China", "全国"),
    # --- methods, conventions, backtest kinds (names of the configuration's values) -----------------
    "hold": ("hold", "保持"),
    "linear": ("linear", "线性"),
    "spline": ("spline", "样条"),
    "chow_lin": ("Chow-Lin", "Chow-Lin"),
    "national": ("national path", "全国系数路径"),
    "convention_share": ("share", "份额"),
    "convention_benchmark": ("benchmark", "基准"),
    "interpolation": ("interpolation", "内插"),
    "extrapolation": ("extrapolation", "外推"),
    # the band rule's word for where a band came from (bands.band_coverage, column band_from)
    "band_from_measured": ("measured", "实测"),
    "band_from_interpolated": ("interpolated", "在实测距离间插值"),
    "band_from_scaled below smallest measured": ("scaled below smallest measured", "按最小实测距离比例缩小"),
    "band_from_fitted beyond measured": ("fitted beyond measured", "超出实测距离，按拟合外推"),
    "band_from_no band": ("no band", "无区间"),
    # built-in candidate indicator chains (config indicators.chains): in English their configured names
    "chain_industry": ("industry", "工业增加值"),
    "chain_c39_revenue": ("c39_revenue", "C39主营业务收入"),
    "chain_other_services": ("other_services", "其他行业增加值"),
    "chain_software_revenue": ("software_revenue", "软件业务收入"),
    "chain_telecom_volume": ("telecom_volume", "电信业务总量"),
    "chain_wage_bill": ("wage_bill", "城镇单位工资总额"),
    "chain_it_services_revenue": ("it_services_revenue", "信息技术服务收入"),
    "chain_combination_weighted": ("error-weighted mean of the chains", "各指标链按误差加权的平均"),
    "chain_combination_equal": ("plain mean of the chains", "各指标链的简单平均"),
    "chain_auto": ("chosen by the backtest", "由回测选定"),
    "chain_fixed": ("set in the configuration", "配置指定"),
    # --- legend entries and marks ------------------------------------------------------------------
    "benchmark": ("IO benchmark year", "投入产出表年份"),
    "indicator_break": ("Indicator break (flagged by the screen)", "指标断点（筛查标记）"),
    "band": ("Uncertainty band (backtest)", "不确定区间（回测）"),
    "aggregate_only": ("Carried only by aggregates", "仅由总量指标推算"),
    "distance": ("{n} years from the nearest benchmark", "距最近基准年{n}年"),
    # the backtest table's own label of a design (English); Chinese is composed from its years
    "design": ("{design_label}", "{holdout}年（由{used}年估计）"),
    "n_provinces": ("n = {n}", "{n}个省份"),
    "missing_value": ("no value", "无数据"),
    # --- figure titles: fixed text around the parts that come from the data --------------------------
    "province_title": ("{name}: digital-economy value added by component", "{name}：数字经济增加值（按构成）"),
    "methods_title": ("{name}: total under every method", "{name}：各方法下的合计"),
    "by_component": ("By component", "按构成"),
    "by_category": ("Production and circulation", "数字产品制造与数字流通"),
    "level_title": ("Level, {year}", "{year}年增加值"),
    "share_title": ("Share of GDP, {year}", "{year}年占GDP比重"),
    "heatmap_title": ("Share of GDP by province and year", "各省历年占GDP比重"),
    "in_year": ("{what}, {year}", "{year}年{what}"),
    "growth_span": ("{growth} ({start}-{end}, per year)", "{start}-{end}年年均{growth}"),
    "multiples_title": (
        "Total digital-economy value added, 100 million yuan ({scale})",
        "数字经济增加值合计（亿元；{scale}）",
    ),
    "estimate": ("Estimate", "估计值"),
    "shared_scale": ("same scale for all provinces", "各省同一刻度"),
    "own_scale": ("each province on its own scale", "各省各自刻度"),
    "ape_axis": ("Absolute % error of held-out benchmark, %", "留出基准年的绝对百分比误差（%）"),
    "national_ratio_title": (
        "Provinces' sum / national IO table, by component",
        "各省合计与全国投入产出表之比（按构成）",
    ),
    "national_ratio_axis": ("Provinces' sum / national table", "各省合计 / 全国表"),
    "national_ratio_benchmark": ("regional benchmark year (provinces' own tables)", "地区表年份（各省自身投入产出表）"),
    "national_ratio_control": (
        "control year (national table only; provinces' estimates)",
        "控制年份（仅有全国表；各省为估计值）",
    ),
    "national_ratio_parity": ("parity (sum = national)", "相等（合计 = 全国）"),
    "coverage_title": (
        "Coverage of the {n} % bands by distance to the nearest benchmark",
        "{n}%区间的覆盖率（按距最近基准年的年数）",
    ),
    "coverage_axis": ("Held-out actuals inside the band, %", "留出基准值落在区间内的比例（%）"),
    "coverage_distance": ("Years from the nearest benchmark used", "距最近所用基准年的年数"),
    "coverage_nested": ("nested (band without the held-out design)", "嵌套（区间不含被留出的设计）"),
    "coverage_in_sample": ("in-sample (band from every design)", "样本内（区间来自全部设计）"),
    "coverage_nominal": ("nominal level, ± 10 points", "名义水平 ± 10个百分点"),
    "coverage_open": ("open: no other design measured that distance", "空心：其他设计未测到该距离"),
    "real_growth_title": (
        "Real growth of digital-economy value added, % on the previous year ({base_year} prices)",
        "数字经济增加值实际增长率（%，上年 = 100，{base_year}年价格）",
    ),
    "real_growth_axis": ("Real growth, %", "实际增长率（%）"),
    "real_growth_empty": ("no real value", "无不变价数据"),
    "real_growth_none": (
        "No real values in this run: no price index covers its years.",
        "本次运行没有不变价数据：没有价格指数覆盖这些年份。",
    ),
    "real_growth_gaps": ("Hatched grey: no real growth, {gaps}.", "灰色斜线：无实际增长率，{gaps}。"),
    "real_growth_gap_flag": ("{years}: {flag}", "{years}年{flag}"),
    "real_growth_gap_first": ("{years}: no real value of the previous year", "{years}年缺上年不变价数据"),
    "real_growth_capped": (
        "Colours capped at ± {cap:.0f} % (the CSV has every value).",
        "颜色上下限为 ± {cap:.0f}%（数值见CSV）。",
    ),
    "real_growth_gdp_deflator": (
        "Dots: real values resting on the GDP deflator for a year without the sector's price index ({years}).",
        "圆点：缺行业价格指数、以地区生产总值平减指数代替的年份（{years}年）。",
    ),
    "real_growth_dot": ("GDP deflator", "地区生产总值平减指数"),
    # the panel's real_flag values, as the figure names them
    "real_flag_no price index": ("no price index", "无价格指数"),
    "real_flag_no nominal series": ("no nominal series", "无现价序列"),
    # --- gallery item titles -----------------------------------------------------------------------
    "province_item": ("{name} ({code})", "{name}（{code}）"),
    "methods_item": ("{name} ({code}): methods", "{name}（{code}）：各方法比较"),
    "national_item": ("China: components and categories", "全国：构成与类别"),
    "multiples_shared_item": ("All provinces (same scale)", "全部省份（同一刻度）"),
    "multiples_free_item": ("All provinces (own scales)", "全部省份（各自刻度）"),
    "ranking_item": ("Ranking of provinces, {year}", "{year}年各省排名"),
    "heatmap_item": ("Share of GDP, heatmap", "占GDP比重热力图"),
    "tilemap_level_item": ("Tile map: value added, {year}", "方块地图：{year}年增加值"),
    "tilemap_share_item": ("Tile map: share of GDP, {year}", "方块地图：{year}年占GDP比重"),
    "tilemap_growth_item": ("Tile map: growth, {start}-{end}", "方块地图：{start}-{end}年增长率"),
    "backtest_item": ("Backtest errors by method and component", "各方法、各构成的回测误差"),
    "coverage_item": ("Band coverage by distance", "不确定区间的覆盖率（按距离）"),
    "national_ratio_item": ("Provinces' sum against the national tables", "各省合计与全国表对比"),
    "real_growth_item": ("Real growth by province", "各省实际增长率"),
    # --- captions ----------------------------------------------------------------------------------
    "caption_note": (
        "Method: {method}, convention: {convention}. Data: {vintage}.",
        "方法：{method}，口径：{convention}。数据：{vintage}。",
    ),
    "vintage": (
        "NBS regional IO tables {tables}; NBS provincial annual series (revised vintage), {first}-{last}",
        "国家统计局地区投入产出表（{tables}年）；国家统计局分省年度数据（修订版），{first}-{last}年",
    ),
    "province_caption": (
        "Stacked components of {name}'s digital-economy value added, {first}-{last}, 100 million yuan; dotted "
        "lines: band of the total from its backtest errors; dashed: IO benchmark years.",
        "{name}数字经济增加值的构成（堆积），{first}-{last}年，亿元；点线：由回测误差得出的合计不确定区间；"
        "虚线：投入产出表年份。",
    ),
    "province_breaks": (
        "Triangles: years whose indicator grew out of line with its national sum ({years}; kept or bridged, "
        "see `results/validation/indicator_breaks.csv`).",
        "三角形：指标增长与全国合计明显背离的年份（{years}年；保留或桥接，见 "
        "`results/validation/indicator_breaks.csv`）。",
    ),
    "aggregate_caption": (
        "Grey: years every component is carried only by an aggregate (industry, secondary, tertiary or "
        "other-services value added, or GDP), no series of the industries themselves ({years}).",
        "灰色：各构成均仅由总量指标（工业、第二产业、第三产业、其他行业增加值或GDP）推算、没有数字产业自身序列的"
        "年份（{years}年）。",
    ),
    "aggregate_components": (
        "Carried only by an aggregate in further years: {parts} (column `carried_by` of "
        "`results/tables/digital_economy_va.csv`).",
        "另有部分构成仅由总量指标推算的年份：{parts}（见 `results/tables/digital_economy_va.csv` 的 "
        "`carried_by` 列）。",
    ),
    "mixed_components": (
        "Carried in part by an aggregate (a combination of chains of both kinds): {parts}.",
        "部分由总量指标推算（组合中两类指标链都有）的年份：{parts}。",
    ),
    "aggregate_part": ("{component} {years}", "{component}{years}年"),
    "province_zero_borrowed": (
        "{component} {years}: carried from a negligible table value, so estimated from {indicator} with the "
        "peer provinces' ratio (see `results/validation/zero_benchmarks.csv`).",
        "{component}，{years}年：由接近零的投入产出表数值推算，改用{indicator}乘以其他省份的比值估计（见 "
        "`results/validation/zero_benchmarks.csv`）。",
    ),
    "province_zero_unverifiable": (
        "{component} {years}: carried from a negligible table value, and no series of the component can check "
        "it (unverifiable; see `results/validation/zero_benchmarks.csv`).",
        "{component}，{years}年：由接近零的投入产出表数值推算，且没有该构成自身的序列可资核验（无法核验；见 "
        "`results/validation/zero_benchmarks.csv`）。",
    ),
    "methods_caption": (
        "Total digital-economy value added of {name} under each method ({convention} convention); shaded, "
        "hatched and outlined in the method's colour and line: each method's band from the backtest, drawn once "
        "where methods share it (in the first one's style, in the order of the legend); hold is drawn as steps.",
        "{name}各方法下的数字经济增加值合计（{convention}口径）；按方法的颜色、线型描边并加阴影线的区域："
        "各方法由回测得出的不确定区间，几种方法区间相同处只画一次（按图例顺序取第一种方法的样式）；保持法画为阶梯线。",
    ),
    "chains_caption": (
        "Indicator chains, chosen by the backtest's median extrapolation APE, with the share of resamples of "
        "provinces and designs each choice wins (`results/validation/chain_comparison.csv`): {parts}.",
        "指标链按回测外推绝对百分比误差的中位数选择，并给出在省份和回测设计的重抽样中该选择胜出的比例"
        "（`results/validation/chain_comparison.csv`）：{parts}。",
    ),
    "chain_part": ("{component} {chain} ({how})", "{component}：{chain}（{how}）"),
    "chain_only": ("the only candidate", "唯一候选"),
    "chain_margin": ("{margin:+.1f} points over the runner-up", "领先次优者{margin:+.1f}个百分点"),
    "chain_wins": (
        "{margin:+.1f} points over the runner-up, best in {share:.0%}",
        "领先次优者{margin:+.1f}个百分点，胜出{share:.0%}",
    ),
    "chain_toss_up": (
        "{margin:+.1f} points over the runner-up, best in only {share:.0%}: a toss-up",
        "领先次优者{margin:+.1f}个百分点，仅胜出{share:.0%}：难分高下",
    ),
    "national_caption": (
        "Sum over the {n} provinces by component (left, stacked; dotted: sum of the provinces' bands, which "
        "assumes their errors move together) and by category (right).",
        "{n}个省份按构成（左，堆积；点线：各省区间之和，即假定各省误差同向变动）和按类别（右）的合计。",
    ),
    "multiples_caption_shared": (
        "Total digital-economy value added of every province with its band; one scale for all, to compare sizes.",
        "各省数字经济增加值合计及其区间；各省同一刻度，便于比较规模。",
    ),
    "multiples_caption_free": (
        "Total digital-economy value added of every province with its band; each on its own scale, to compare paths.",
        "各省数字经济增加值合计及其区间；各省各自刻度，便于比较走势。",
    ),
    "ranking_caption": (
        "Provinces ranked by digital-economy value added (left) and its share of GDP (right) in {year}; dashed "
        "line: China (sum of provinces).",
        "{year}年各省按数字经济增加值（左）及其占GDP比重（右）排序；虚线：全国（各省合计）。",
    ),
    "heatmap_caption": (
        "Digital-economy value added as % of GDP (NBS revised GDP), provinces x {first}-{last}.",
        "数字经济增加值占GDP比重（国家统计局修订后的GDP），各省 × {first}-{last}年。",
    ),
    "tilemap_caption_level": (
        "Each province a tile in its rough place: {what} in {year}; colours on a log scale.",
        "每个省份为一个方块，位置大致对应地理位置：{year}年{what}；颜色为对数刻度。",
    ),
    "tilemap_caption_share": (
        "Each province a tile in its rough place: {what} in {year}.",
        "每个省份为一个方块，位置大致对应地理位置：{year}年{what}。",
    ),
    "tilemap_caption_growth": (
        "Each province a tile in its rough place: {what} (compound annual nominal growth); diverging colours "
        "centred at 0.",
        "每个省份为一个方块，位置大致对应地理位置：{what}（名义年均复合增长率）；发散色阶以0为中心。",
    ),
    "tilemap_missing": ("Grey tiles: no value (not in this run).", "灰色方块：无数据（不在本次运行中）。"),
    "backtest_caption": (
        "Absolute % error of each held-out benchmark over provinces (boxes: quartiles, whiskers: 1.5 IQR, "
        "outliers not drawn), one panel per kind and distance to the nearest benchmark used. {described}",
        "各省留出基准年的绝对百分比误差（箱体：四分位数，须：1.5倍四分位距，未画离群值），每个面板对应一种"
        "设计类型及其与最近所用基准年的距离。{described}",
    ),
    "backtest_panel": ("{heading}: {designs}.", "{heading}：{designs}。"),
    "coverage_caption": (
        "Share of the held-out benchmark values inside their band, by distance to the nearest benchmark used, "
        "per component: nested (solid; the band rule rebuilt without the held-out design) and in-sample "
        "(dotted; the rule of every design), against the nominal {nominal:.0%} (dashed; grey: within 10 "
        "points). Nested coverage of the total: {kinds}.",
        "各构成留出基准值落在其区间内的比例，按距最近所用基准年的年数：嵌套（实线；不含被留出设计重建的区间规则）"
        "与样本内（点线；全部设计的规则），对照名义水平{nominal:.0%}（虚线；灰色：相差10个百分点以内）。"
        "合计的嵌套覆盖率：{kinds}。",
    ),
    "coverage_point": ("{n} years {coverage}", "{n}年{coverage}"),
    "coverage_no_nested": ("no nested band (no other design)", "无嵌套区间（无其他设计）"),
    "coverage_kind": ("{kind} {points}", "{kind}{points}"),
    "coverage_ruled": ("{kind}, {n} years: {band_from}", "{kind}{n}年：{band_from}"),
    "coverage_open_caption": (
        "Open markers: no other design measured that distance, the band is the rule's ({stood_in}).",
        "空心标记：其他设计未测到该距离，区间来自规则（{stood_in}）。",
    ),
    "coverage_table": (
        "Table: `results/validation/band_coverage.csv`.",
        "数据表：`results/validation/band_coverage.csv`。",
    ),
    "national_ratio_caption": (
        "Sum over the provinces of each component divided by the national 42-sector IO table of the same year: "
        "filled circles, regional benchmark years ({benchmark}; the provinces' own table values); open diamonds, "
        "control years with a national table only ({control}; the provinces' estimates). National components "
        "are split with the ratios of the nearest detailed table, as the provinces' are. Total: {drifts}. "
        "{not_rescaled} Table: `results/validation/national_consistency.csv`.",
        "各构成的各省合计除以同年全国42部门投入产出表：实心圆，地区表年份（{benchmark}；各省自身投入产出表数值）；"
        "空心菱形，仅有全国表的控制年份（{control}；各省为估计值）。全国各构成按最近的细分表比例拆分，与各省相同。"
        "合计：{drifts}。{not_rescaled}数据表：`results/validation/national_consistency.csv`。",
    ),
    "national_not_rescaled": (
        "The provinces are not rescaled to the national totals: scaling them pro rata was measured to make "
        "provincial errors worse (information sector, {held_out} held out: median APE {kept:.0f} % -> "
        "{rescaled:.0f} %), because the provinces/national ratio moves between rounds.",
        "各省未按全国总量等比例缩放：测算表明缩放会使各省误差变大（信息部门，留出{held_out}年：绝对百分比误差中位数"
        "{kept:.0f}% → {rescaled:.0f}%），因为各省合计与全国之比在各轮投入产出表之间变动。",
    ),
    "national_ratio_drift": (
        "{year} {ratio:.3f} ({drift:+.1%} since {since})",
        "{year}年{ratio:.3f}（较{since}年{drift:+.1%}）",
    ),
    "national_ratio_point": ("{year} {ratio:.3f}", "{year}年{ratio:.3f}"),
    "none": ("none", "无"),
    "real_growth_caption": (
        "Real growth of the total on the previous year, % (`results/tables/panel.csv`, column "
        "`real_growth_percent`), at {base_year} prices: each component deflated by its sector's implicit "
        "deflator; China is the sum of the provinces. Diverging colours centred at 0. {gaps}",
        "数字经济增加值合计的实际增长率（%，`results/tables/panel.csv` 的 `real_growth_percent` 列），"
        "{base_year}年价格：各构成按所属行业的隐含平减指数缩减；全国为各省合计。发散色阶以0为中心。{gaps}",
    ),
    # --- the gallery page --------------------------------------------------------------------------
    "kind_overview": ("Overview: China and all provinces", "概览：全国与各省"),
    "kind_province": ("Provinces: components over time", "各省：构成的变化"),
    "kind_methods": ("Provinces: every method compared", "各省：各方法比较"),
    "page_title": ("digecon: digital economy of China's provinces", "digecon：中国各省数字经济"),
    "page_intro": (
        "Digital-economy value added of China's provinces; method {method}, convention {convention}. Every "
        "figure links to its PNG, an SVG for papers and the CSV of the numbers it shows.",
        "中国各省数字经济增加值；方法：{method}，口径：{convention}。每幅图均链接到其PNG图片、供论文使用的SVG矢量图"
        "以及图中数据的CSV文件。",
    ),
    "nav_scenarios": ("Scenarios compared: {names}", "情景比较：{names}"),  # the link to the scenario page
    "nav_cities": ("Prefecture-level cities", "地级市"),  # the link to the city page
    "link_png": ("PNG", "PNG"),
    "link_svg": ("SVG", "SVG"),
    "link_data": ("data (CSV)", "数据（CSV）"),
    "footer_version": ("digecon {version}", "digecon {version}"),
    "footer_run": ("run of {date}", "运行日期：{date}"),
    "footer_named": ("{name} (`{key}`)", "{name}（`{key}`）"),  # a setting's name and its configured value
    "footer_method": ("method: {method}", "方法：{method}"),
    "footer_convention": ("convention: {convention}", "口径：{convention}"),
    "footer_years": ("years {first}-{last}", "年份：{first}-{last}年"),
    "footer_base_year": ("constant prices of {base_year}", "不变价基期：{base_year}年"),
    "footer_chains": ("indicator chains: {chains}", "指标链：{chains}"),
    "footer_chain": ("{component} {chain} ({how})", "{component}：{chain}（{how}）"),
    "footer_sources": ("inputs (repository@commit): {sources}", "输入数据（仓库@提交）：{sources}"),
    "footer_user_files": ("{n} files of the user's", "用户自有文件{n}个"),
    # --- the scenario comparison page (outputs/scenarios.py) ---------------------------------------
    "scenarios_title": ("Scenarios compared", "情景比较"),
    "scenarios_intro": (
        "Each scenario is the run's configuration with the keys below changed, estimated on its own. Values: the "
        "recommended total of each scenario (its own method and convention), 100 million yuan; the national row is "
        "the sum of the provinces. Spread: highest minus lowest, and as % of {main}.",
        "每个情景即本次运行的配置改动下列键后单独估算的结果。数值：各情景推荐估计（各自的方法与口径）的合计，"
        "单位亿元；全国行为各省之和。离散：最高值减最低值，以及占{main}的百分比。",
    ),
    "scenarios_scenario": ("Scenario", "情景"),
    "scenarios_changes": ("Changed keys", "改动的键"),
    "scenarios_recommended": ("Recommended estimate", "推荐估计"),
    "scenarios_the_run": ("the run itself (config files and --config)", "本次运行（配置文件与 --config）"),
    "scenarios_largest": ("Largest spreads in {year}", "{year}年离散最大的省份"),
    "scenarios_province": ("Province", "省份"),
    "scenarios_spread": ("Spread, 100 million yuan", "离散，亿元"),
    "scenarios_spread_percent": ("Spread, % of {main}", "离散，占{main}的%"),
    "scenarios_table": (
        "The whole comparison: comparison.csv (province x year, one column per scenario).",
        "完整比较表：comparison.csv（省份×年份，每个情景一列）。",
    ),
    "scenarios_national_title": ("China (sum of provinces): total by scenario", "全国（各省之和）：各情景的合计"),
    "scenarios_value_axis": ("Value added, 100 million yuan", "增加值，亿元"),
    "scenarios_deviation_title": (
        "{year}: each scenario against {main}, by province",
        "{year}年：各情景相对{main}的差异（按省份）",
    ),
    "scenarios_deviation_axis": ("Difference from {main}, %", "相对{main}的差异，%"),
    "scenarios_footer": ("digecon {version}, run {date}.", "digecon {version}，运行于 {date}。"),
}

# Punctuation between the parts of composed text; kept apart because the Chinese sentence gap is empty.
PUNCTUATION: dict[str, tuple[str, str]] = {
    "year_separator": (", ", "、"),
    "clause_separator": (", ", "，"),
    "item_separator": ("; ", "；"),
    "sentence_separator": (" ", ""),
    "footer_separator": (" · ", " · "),
}

# Latin-alphabet words allowed in Chinese figures and pages (outside backtick code): sector codes,
# names with no Chinese form, acronyms Chinese economists write as is, file formats, the package.
ALLOWED_LATIN = frozenset({"Chow-Lin", "GDP", "CSV", "PNG", "SVG", "digecon"})
SECTOR_CODE = re.compile(r"[A-Z]\d{2}(-\d{2})?")  # C39, I63, I64-65, R86-87
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_]*(?:[-.][A-Za-z0-9_]+)*")
CODE_SPAN = re.compile(r"`([^`]*)`")


def labels_for(language: str) -> dict[str, str]:
    """Every label and separator in one language.

    Parameters
    ----------
    language
        ``en`` or ``zh``.

    Returns
    -------
    dict
        Key -> text or template.

    Raises
    ------
    ValueError
        For another language.
    """
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; expected 'en' or 'zh'")
    column = LANGUAGES.index(language)
    return {key: texts[column] for key, texts in (CATALOGUE | PUNCTUATION).items()}


def latin_words(text: str) -> list[str]:
    """Latin-alphabet words of ``text`` outside backtick code that are not in the allow-list.

    Parameters
    ----------
    text
        Text of a figure or page (with code between backticks, as in the catalogue).

    Returns
    -------
    list of str
        The words a Chinese reader would find untranslated, in order.
    """
    prose = CODE_SPAN.sub(" ", text)
    return [word for word in LATIN_WORD.findall(prose) if word not in ALLOWED_LATIN and not SECTOR_CODE.fullmatch(word)]
