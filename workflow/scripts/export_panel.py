"""The panel of every estimate (province x year x method x convention) as CSV, Stata, Excel and Parquet."""

import pandas as pd

from digecon import __version__
from digecon.core.logs import logged_run
from digecon.core.settings import settings_from_config
from digecon.outputs.panel import PanelAbout, panel_table, write_panel

with logged_run(snakemake.log[0]) as log:
    settings = settings_from_config(snakemake.params.settings)
    method, convention = settings.estimate.recommended_method, settings.estimate.recommended_convention
    base_year = settings.prices.base_year
    tables = {name: pd.read_csv(snakemake.input[name]) for name in ("values", "totals", "real_values", "deflators")}
    panel = panel_table(**tables, method=method, convention=convention, base_year=base_year)
    about = PanelAbout(
        method, convention, base_year, snakemake.params.sources, __version__, settings=settings.as_dict()
    )
    paths = {kind: snakemake.output[kind] for kind in ("csv", "dta", "dta_zh", "xlsx", "parquet")}
    write_panel(panel, paths, about, encoding=settings.export.csv_encoding)
    log.info("real values: %s", panel["real_flag"].value_counts().to_dict())
