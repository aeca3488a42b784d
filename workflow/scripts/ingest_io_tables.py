"""Read and check every IO table; write the tidy sector table and the checks report."""

import pandas as pd

from digecon.core.files import write_csv
from digecon.core.logs import logged_run
from digecon.core.settings import settings_from_config
from digecon.inputs.sources import gdp_series_for_checks, read_io_tables

with logged_run(snakemake.log[0]) as log:
    settings = settings_from_config(snakemake.params.settings)
    io_tables, checks = read_io_tables(
        snakemake.input.tables,
        gdp_series_for_checks(pd.read_csv(snakemake.input.yearbook), snakemake.input.first_published),
        settings.io_tables,
        user_files=snakemake.params.user_files,
        concordance=snakemake.input.concordance,
    )
    write_csv(checks, snakemake.output.checks)
    write_csv(io_tables, snakemake.output.io_tables)
    log.info(
        "%d tables, %d rows; checks: %s",
        io_tables.groupby(["province_code", "year"]).ngroups,
        len(io_tables),
        checks["status"].value_counts().to_dict(),
    )
