"""The panel of every estimate (province x year x method x convention) as CSV, Stata, Excel and Parquet."""

import pandas as pd

from digecon import __version__
from digecon.core.logs import logged_run
from digecon.estimation.prices import implicit_deflators, price_indices
from digecon.inputs.price_indices import read_price_indices
from digecon.outputs.panel import PanelAbout, panel_table, write_panel

with logged_run(snakemake.log[0]) as log:
    params = snakemake.params
    yearbook = pd.read_csv(snakemake.input.yearbook)
    indices = price_indices(yearbook, [read_price_indices(p) for p in snakemake.input.price_indices])
    deflators = implicit_deflators(yearbook, indices, base_year=params.base_year)
    panel = panel_table(
        pd.read_csv(snakemake.input.values),
        pd.read_csv(snakemake.input.totals),
        deflators,
        method=params.method,
        convention=params.convention,
        base_year=params.base_year,
    )
    about = PanelAbout(
        params.method, params.convention, params.base_year, params.sources, __version__, settings=params.settings
    )
    paths = {kind: snakemake.output[kind] for kind in ("csv", "dta", "dta_zh", "xlsx", "parquet")}
    write_panel(panel, paths, about, encoding=params.csv_encoding)
    log.info("real values: %s", panel["real_flag"].value_counts().to_dict())
