"""The scenarios side by side with the run: comparison table, figure and page in results/scenarios/."""

from datetime import date
from pathlib import Path

import pandas as pd

from digecon.core.logs import logged_run
from digecon.core.settings import MAIN_SCENARIO
from digecon.outputs.scenarios import compare_scenarios, recommended_totals, write_comparison

with logged_run(snakemake.log[0]) as log:
    files = {
        MAIN_SCENARIO: snakemake.input.main,
        **dict(zip(snakemake.params.names, snakemake.input.scenarios, strict=True)),
    }
    recommended = snakemake.params.recommended
    comparison = compare_scenarios(
        {
            name: recommended_totals(pd.read_csv(path), method=recommended[name][0], convention=recommended[name][1])
            for name, path in files.items()
        }
    )
    written = write_comparison(
        comparison,
        Path(snakemake.output.comparison).parent,
        scenarios={MAIN_SCENARIO: {}, **snakemake.params.layers},
        recommended={name: " / ".join(pair) for name, pair in recommended.items()},
        language=snakemake.params.language,
        run_date=date.today().isoformat(),
        encoding=snakemake.params.csv_encoding,
    )
    log.info("wrote %d files; largest spread %.1f %%", len(written), comparison["spread_percent_of_main"].max())
