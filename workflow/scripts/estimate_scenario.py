"""One scenario: read its inputs and estimate, as the run does, with its own settings."""

import yaml

from digecon.api import estimate, load_inputs
from digecon.core.files import write_csv, write_text
from digecon.core.logs import logged_run
from digecon.core.settings import settings_from_config

with logged_run(snakemake.log[0]) as log:
    settings = settings_from_config(snakemake.params.config)
    result = estimate(load_inputs(snakemake.params.raw_root, settings), settings)
    encoding = settings.export.csv_encoding
    write_csv(result.values, snakemake.output.values, encoding=encoding)
    write_csv(result.totals, snakemake.output.totals, encoding=encoding)
    write_csv(result.backtest_summary, snakemake.output.summary, encoding=encoding)
    # the scenario's whole effective configuration, so that its results can be traced and rerun alone
    write_text(yaml.safe_dump(settings.as_dict(), allow_unicode=True, sort_keys=False), snakemake.output.settings)
    log.info(
        "%s / %s; backtest median APE of the total:\n%s",
        settings.estimate.recommended_method,
        settings.estimate.recommended_convention,
        result.backtest_summary.query("component == 'total'").to_string(index=False),
    )
