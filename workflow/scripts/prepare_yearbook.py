"""Read the annual series, link them across vintages, add the user's indicators; compare the files that overlap."""

from digecon.core.files import write_csv
from digecon.core.logs import logged_run
from digecon.inputs.registry import SeriesFile
from digecon.inputs.sources import prepare_yearbook
from digecon.inputs.vintages import largest_gaps

with logged_run(snakemake.log[0]) as log:
    params = snakemake.params
    files = zip(snakemake.input.series, params.readers, params.datasets, params.vintages, strict=True)
    prepared = prepare_yearbook([SeriesFile(*f) for f in files], snakemake.input.user)
    write_csv(prepared.table, snakemake.output.yearbook)
    write_csv(prepared.checks, snakemake.output.checks)
    for line in largest_gaps(prepared.checks):
        log.warning("files that should agree differ: %s", line)
    table = prepared.table
    log.info(
        "%d values, %d indicators, years %d-%d",
        len(table),
        table["indicator"].nunique(),
        table["year"].min(),
        table["year"].max(),
    )
