"""Stage 1 of a chunked estimate: the plan over every region, and which chunk each region is in."""

import pandas as pd

from digecon.core.errors import ConfigError
from digecon.core.files import write_csv
from digecon.core.logs import logged_run
from digecon.core.settings import settings_from_config
from digecon.estimation.stages import plan_estimate, region_chunks, save_stage

with logged_run(snakemake.log[0]) as log:
    settings = settings_from_config(snakemake.params.settings)
    io_tables = pd.read_csv(snakemake.input.io_tables, dtype={"sector_code": str})
    yearbook = pd.read_csv(snakemake.input.yearbook)
    regions = region_chunks(io_tables, yearbook, settings.estimate.chunks)
    found = regions["chunk"].nunique()
    if found < settings.estimate.chunks:
        raise ConfigError(
            [
                f"estimate.chunks = {settings.estimate.chunks}, but the tables hold only {found} regions: "
                f"set estimate.chunks to at most {found}"
            ]
        )
    plan = plan_estimate(
        io_tables,
        yearbook,
        years=settings.years,
        chains=settings.indicators.chains,
        price_base_changes=settings.indicators.price_base_changes,
    )
    save_stage(plan, snakemake.output.plan)
    write_csv(regions, snakemake.output.assignment)
    log.info("%d regions in %d chunks", len(regions), found)
