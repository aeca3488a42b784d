"""Draw one kind of gallery figure (PNG + SVG), with the data CSV and a thumbnail of each."""

import pandas as pd

from digecon.core.logs import logged_run
from digecon.core.settings import settings_from_config
from digecon.outputs.gallery import build_figures

with logged_run(snakemake.log[0]) as log:
    settings = settings_from_config(snakemake.params.settings)
    kind = snakemake.wildcards.kind
    overview = kind == "overview"  # only the overview shows the backtest, national tables and real growth
    items = build_figures(
        kind,
        pd.read_csv(snakemake.input.values),
        pd.read_csv(snakemake.input.totals),
        pd.read_csv(snakemake.input.backtest) if overview else pd.DataFrame(),
        snakemake.params.root,
        method=settings.estimate.recommended_method,
        convention=settings.estimate.recommended_convention,
        language=settings.plots.language,
        national=pd.read_csv(snakemake.input.national) if overview else None,
        panel=pd.read_csv(snakemake.input.panel[0]) if overview else None,
    )
    log.info("%d %s figures", len(items), kind)
