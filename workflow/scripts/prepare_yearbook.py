"""Read, link across vintages, check and screen the annual series (NBS sources, then the user's indicators)."""

from digecon.core.files import write_csv
from digecon.core.logs import logged_run
from digecon.estimation.vintages import largest_gaps
from digecon.inputs.registry import SeriesFile
from digecon.inputs.sources import prepare_yearbook

with logged_run(snakemake.log[0]) as log:
    params = snakemake.params
    files = zip(snakemake.input.series, params.readers, params.datasets, params.vintages, strict=True)
    yearbook = prepare_yearbook(
        [SeriesFile(*f) for f in files],
        snakemake.input.user,
        bridge=params.breaks == "bridge",
        break_threshold=params.break_threshold,
        price_base_changes=params.price_base_changes,
    )
    write_csv(yearbook.table, snakemake.output.yearbook)
    write_csv(yearbook.checks, snakemake.output.checks)
    write_csv(yearbook.breaks, snakemake.output.breaks, encoding=params.csv_encoding)
    for line in largest_gaps(yearbook.checks):
        log.warning("files that should agree differ: %s", line)
    table, breaks = yearbook.table, yearbook.breaks
    log.info(
        "%d values, %d indicators, years %d-%d; breaks: %s",
        len(table),
        table["indicator"].nunique(),
        table["year"].min(),
        table["year"].max(),
        breaks.groupby(["kind", "action"]).size().to_dict(),
    )
