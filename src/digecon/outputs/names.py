"""Names of the outputs the workflow expands over (gallery kinds, wide tables).

Kept apart from the modules that draw and write them, which import matplotlib and pandas, so
that the Snakefile can read these names at parse time without importing either.
"""

from digecon.outputs.labels import CATALOGUE

# kind -> English heading, from the label catalogue (which also holds the Chinese one)
GALLERY_KINDS = {kind: CATALOGUE[f"kind_{kind}"][0] for kind in ("overview", "province", "methods")}
WIDE_TABLES = {
    "total": "digital-economy value added, 亿元",
    "production": "production part (electronics + IT services), 亿元",
    "circulation": "circulation part (telecom + media), 亿元",
    "share_of_gdp": "digital-economy value added as % of GDP (NBS revised GDP)",
    "growth": "nominal growth of digital-economy value added on the previous year, %",
    "total_lower": "lower bound of the total (backtest errors of the total; national row: sum of provinces), 亿元",
    "total_upper": "upper bound of the total (backtest errors of the total; national row: sum of provinces), 亿元",
}
