"""Draw one kind of gallery figure (PNG + SVG), with the data CSV and a thumbnail of each."""

import pandas as pd

from digecon.core.logs import logged_run
from digecon.outputs.gallery import build_figures

with logged_run(snakemake.log[0]) as log:
    items = build_figures(
        snakemake.wildcards.kind,
        pd.read_csv(snakemake.input.values),
        pd.read_csv(snakemake.input.totals),
        pd.read_csv(snakemake.input.backtest),
        snakemake.params.root,
        method=snakemake.params.method,
        convention=snakemake.params.convention,
        language=snakemake.params.language,
        national=pd.read_csv(snakemake.input.national),
    )
    log.info("%d %s figures", len(items), snakemake.wildcards.kind)
