"""Stage 4 of a chunked estimate: one chunk's backtest of every candidate indicator chain."""

import pandas as pd

from digecon.core.logs import logged_run
from digecon.core.settings import settings_from_config
from digecon.estimation.chunk_jobs import read_chunk, stage_options
from digecon.estimation.stages import Plan, chunk_backtest, load_stage, save_stage

with logged_run(snakemake.log[0]) as log:
    settings = settings_from_config(snakemake.params.settings)
    i = snakemake.input
    part = read_chunk(i.io_tables, i.yearbook, i.ratios, i.assignment, int(snakemake.wildcards.chunk))
    rows = chunk_backtest(*part, load_stage(Plan, i.plan), pd.read_parquet(i.pooled), **stage_options(settings))
    save_stage(rows, snakemake.output[0])
    log.info("%d backtest rows", len(rows.backtest))
