"""Wide tables (province x year) of the recommended estimate as CSV, Stata and one Excel workbook."""

import pandas as pd

from digecon.outputs.export import wide_tables, write_wide_tables
from digecon.core.logs import logged_run

with logged_run(snakemake.log[0]) as log:
    values = pd.read_csv(snakemake.input.values)
    yearbook = pd.read_csv(snakemake.input.yearbook)
    method, convention = snakemake.params.method, snakemake.params.convention
    tables = wide_tables(
        values,
        pd.read_csv(snakemake.input.totals),
        yearbook[yearbook["indicator"] == "地区生产总值"],
        method=method,
        convention=convention,
    )
    note = f"method {method}, convention {convention}; NBS regional IO tables 2002-2017, NBS revised GDP"
    written = write_wide_tables(tables, snakemake.params.folder, snakemake.output.workbook, note=note)
    log.info("wrote %d files", len(written))
