"""Stage 3 of a chunked estimate: the pooled parameters (e.g. Chow-Lin's rho) from every chunk's statistics."""

import pandas as pd

from digecon.core.logs import logged_run
from digecon.estimation.stages import gather_pooled

with logged_run(snakemake.log[0]) as log:
    pooled = gather_pooled([pd.read_parquet(path) for path in snakemake.input])
    pooled.to_parquet(snakemake.output[0])
    log.info("%d pooled parameters", len(pooled))
