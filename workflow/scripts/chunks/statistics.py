"""Stage 2 of a chunked estimate: one chunk's statistics of the pooled parameters."""

from digecon.core.logs import logged_run
from digecon.core.settings import settings_from_config
from digecon.estimation.chunk_jobs import read_chunk, stage_options
from digecon.estimation.stages import Plan, chunk_pool_statistics, load_stage

with logged_run(snakemake.log[0]) as log:
    settings = settings_from_config(snakemake.params.settings)
    i = snakemake.input
    part = read_chunk(i.io_tables, i.yearbook, i.ratios, i.assignment, int(snakemake.wildcards.chunk))
    statistics = chunk_pool_statistics(*part, load_stage(Plan, i.plan), **stage_options(settings))
    statistics.to_parquet(snakemake.output[0])
    log.info("%d rows of pooling statistics for %d regions", len(statistics), part[0]["province_code"].nunique())
