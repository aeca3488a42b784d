"""The scenarios side by side with the run: comparison table, figure and page in results/scenarios/."""

from datetime import date
from pathlib import Path

import pandas as pd
import yaml

from digecon.core.files import write_text
from digecon.core.logs import logged_run
from digecon.core.settings import MAIN_SCENARIO, settings_from_config
from digecon.outputs.scenarios import compare_scenarios, recommended_totals, write_comparison

with logged_run(snakemake.log[0]) as log:
    settings = {MAIN_SCENARIO: settings_from_config(snakemake.params.settings)}
    settings |= {name: settings_from_config(config) for name, config in snakemake.params.scenarios.items()}
    recommended = {
        name: (s.estimate.recommended_method, s.estimate.recommended_convention) for name, s in settings.items()
    }
    comparison = compare_scenarios(
        {
            name: recommended_totals(pd.read_csv(path), method=recommended[name][0], convention=recommended[name][1])
            for name, path in zip(settings, snakemake.input.totals, strict=True)
        }
    )
    written = write_comparison(
        comparison,
        Path(snakemake.output.comparison).parent,
        scenarios={MAIN_SCENARIO: {}, **snakemake.params.layers},
        recommended={name: " / ".join(pair) for name, pair in recommended.items()},
        language=settings[MAIN_SCENARIO].plots.language,
        run_date=date.today().isoformat(),
        encoding=settings[MAIN_SCENARIO].export.csv_encoding,
    )
    # each scenario's whole effective configuration, so that its results can be traced and rerun alone
    for name, path in zip(snakemake.params.scenarios, snakemake.output.settings, strict=True):
        write_text(yaml.safe_dump(snakemake.params.scenarios[name], allow_unicode=True, sort_keys=False), path)
    log.info("wrote %d files; largest spread %.1f %%", len(written), comparison["spread_percent_of_main"].max())
