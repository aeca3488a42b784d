"""The city panel (one row per city and year, the components side by side) as CSV, Stata, Parquet and Excel."""

import pandas as pd

from digecon.core.logs import logged_run
from digecon.core.settings import settings_from_config
from digecon.outputs.cities import city_panel, write_city_panel

with logged_run(snakemake.log[0]) as log:
    panel = city_panel(pd.read_csv(snakemake.input.cities))
    paths = {kind: snakemake.output[kind] for kind in ("csv", "dta", "parquet", "xlsx")}
    write_city_panel(panel, paths, encoding=settings_from_config(snakemake.params.settings).export.csv_encoding)
    log.info("%d city-years", len(panel))
