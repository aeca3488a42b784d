"""Draw the city figures and write the city page of the gallery."""

from pathlib import Path

import pandas as pd

from digecon.core.logs import logged_run
from digecon.core.settings import settings_from_config
from digecon.outputs.cities import build_city_page

with logged_run(snakemake.log[0]) as log:
    settings = settings_from_config(snakemake.params.settings)
    ranking = pd.read_csv(snakemake.input.ranking)
    written = build_city_page(
        pd.read_csv(snakemake.input.cities),
        pd.read_csv(snakemake.input.summary),
        ranking,
        Path(snakemake.output.page).parent,
        language=settings.plots.language,
        table_years=[int(y) for y in str(ranking["table_years"].iloc[0]).split(", ")],
        method=settings.estimate.recommended_method,
        convention=settings.estimate.recommended_convention,
    )
    log.info("%d figures", len(written))
