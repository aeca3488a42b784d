"""Stage 6 of a chunked estimate: one chunk's values with their bounds, totals, indicators and breaks."""

import pandas as pd

from digecon.core.logs import logged_run
from digecon.core.settings import settings_from_config
from digecon.estimation.chunk_jobs import read_chunk, stage_options
from digecon.estimation.stages import Choices, Plan, chunk_values, load_stage, save_stage

with logged_run(snakemake.log[0]) as log:
    settings = settings_from_config(snakemake.params.settings)
    i = snakemake.input
    part = read_chunk(i.io_tables, i.yearbook, i.ratios, i.assignment, int(snakemake.wildcards.chunk))
    decided = load_stage(Choices, i.choices)
    values = chunk_values(
        *part,
        load_stage(Plan, i.plan),
        pd.read_parquet(i.pooled),
        decided.choices,
        decided.band_rule,
        years=settings.years,
        break_threshold=settings.indicators.break_threshold,
        table_ratios=pd.read_csv(i.table_ratios),
        **stage_options(settings),
    )
    save_stage(values, snakemake.output[0])
    log.info("%d values", len(values.values))
