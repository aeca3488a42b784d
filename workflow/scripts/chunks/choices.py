"""Stage 5 of a chunked estimate: the chain choices, the backtest of the chosen chains and the band rule."""

from digecon.core.logs import logged_run
from digecon.core.settings import settings_from_config
from digecon.estimation.chunk_jobs import stage_options
from digecon.estimation.stages import ChunkBacktest, Plan, gather_backtest, load_stage, save_stage

with logged_run(snakemake.log[0]) as log:
    settings = settings_from_config(snakemake.params.settings)
    decided = gather_backtest(
        [load_stage(ChunkBacktest, folder) for folder in snakemake.input.backtests],
        load_stage(Plan, snakemake.input.plan),
        **stage_options(settings),
    )
    save_stage(decided, snakemake.output[0])
    log.info("chains chosen:\n%s", decided.choices.to_string(index=False))
