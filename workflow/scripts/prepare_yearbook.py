"""Combine the annual series (NBS yearbook sources, then the user's indicators) into one long table (亿元)."""

from digecon.core.files import write_csv
from digecon.core.logs import logged_run
from digecon.inputs.sources import read_yearbook

with logged_run(snakemake.log[0]) as log:
    yearbook = read_yearbook(
        list(zip(snakemake.input.series, snakemake.params.readers, strict=True)), snakemake.input.user
    )
    write_csv(yearbook, snakemake.output.yearbook)
    log.info(
        "%d values, %d indicators, years %d-%d",
        len(yearbook),
        yearbook["indicator"].nunique(),
        yearbook["year"].min(),
        yearbook["year"].max(),
    )
