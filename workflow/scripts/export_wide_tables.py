"""Wide tables (province x year) of the recommended estimate as CSV, Stata and one Excel workbook."""

import pandas as pd

from digecon.core.logs import logged_run
from digecon.core.settings import settings_from_config
from digecon.outputs.export import wide_note, wide_tables, write_wide_tables

with logged_run(snakemake.log[0]) as log:
    settings = settings_from_config(snakemake.params.settings)
    chosen = {"method": settings.estimate.recommended_method, "convention": settings.estimate.recommended_convention}
    totals = pd.read_csv(snakemake.input.totals)
    tables = wide_tables(pd.read_csv(snakemake.input.values), totals, **chosen)
    written = write_wide_tables(
        tables,
        snakemake.params.folder,
        snakemake.output.workbook,
        note=wide_note(totals, **chosen),
        encoding=settings.export.csv_encoding,
    )
    log.info("wrote %d files", len(written))
