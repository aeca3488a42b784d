"""Wide tables (province x year) of the recommended estimate as CSV, Stata and one Excel workbook."""

import pandas as pd

from digecon.core.logs import logged_run
from digecon.outputs.export import wide_note, wide_tables, write_wide_tables

with logged_run(snakemake.log[0]) as log:
    totals = pd.read_csv(snakemake.input.totals)
    method, convention = snakemake.params.method, snakemake.params.convention
    tables = wide_tables(pd.read_csv(snakemake.input.values), totals, method=method, convention=convention)
    note = wide_note(totals, method=method, convention=convention)
    written = write_wide_tables(
        tables, snakemake.params.folder, snakemake.output.workbook, note=note, encoding=snakemake.params.csv_encoding
    )
    log.info("wrote %d files", len(written))
