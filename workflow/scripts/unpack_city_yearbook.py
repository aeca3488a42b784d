"""Copy the tables of the city keys out of each city yearbook archive (the archives are never modified)."""

from pathlib import Path

from digecon.core.logs import logged_run
from digecon.inputs.cities import unpack_city_yearbook

with logged_run(snakemake.log[0]) as log:
    dest = Path(snakemake.output.tables)
    for archive in snakemake.input.archives:
        written = unpack_city_yearbook(archive, dest / Path(archive).name)
        log.info("%s: %d tables", Path(archive).name, len(written))
