"""Combine the NBS provincial series into one long table (亿元), earlier sources winning on overlaps."""

from digecon.api import load_yearbook
from digecon.core.logs import logged_run
from digecon.core.files import write_csv

with logged_run(snakemake.log[0]) as log:
    yearbook = load_yearbook(snakemake.input.scrape, snakemake.input.api, snakemake.input.database)
    write_csv(yearbook, snakemake.output.yearbook)
    log.info(
        "%d values, %d indicators, years %d-%d",
        len(yearbook),
        yearbook["indicator"].nunique(),
        yearbook["year"].min(),
        yearbook["year"].max(),
    )
