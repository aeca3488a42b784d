"""Read, link across vintages, check and screen the annual series (NBS sources, then the user's indicators)."""

from digecon.core.files import write_csv
from digecon.core.logs import logged_run
from digecon.estimation.indicators import screen_yearbook
from digecon.inputs.registry import SeriesFile
from digecon.inputs.sources import prepare_yearbook
from digecon.inputs.vintages import largest_gaps

with logged_run(snakemake.log[0]) as log:
    params = snakemake.params
    files = zip(snakemake.input.series, params.readers, params.datasets, params.vintages, strict=True)
    prepared = prepare_yearbook([SeriesFile(*f) for f in files], snakemake.input.user)
    table, breaks = screen_yearbook(
        prepared.table,
        params.break_threshold,
        bridge=params.breaks == "bridge",
        price_bases=params.price_base_changes,
    )
    write_csv(table, snakemake.output.yearbook)
    write_csv(prepared.checks, snakemake.output.checks)
    write_csv(breaks, snakemake.output.breaks, encoding=params.csv_encoding)
    for line in largest_gaps(prepared.checks):
        log.warning("files that should agree differ: %s", line)
    log.info(
        "%d values, %d indicators, years %d-%d; breaks: %s",
        len(table),
        table["indicator"].nunique(),
        table["year"].min(),
        table["year"].max(),
        breaks.groupby(["kind", "action"]).size().to_dict(),
    )
