"""Assemble the gallery (every kind's figures and the page) in a new folder and swap it in whole."""

import os
from dataclasses import asdict
from datetime import date
from pathlib import Path

import pandas as pd

from digecon.core.files import write_json
from digecon.core.logs import logged_run
from digecon.core.settings import settings_from_config
from digecon.estimation.chains import uses_of
from digecon.outputs.gallery import RunAbout, chosen_chains, publish_gallery

with logged_run(snakemake.log[0]) as log:
    params = snakemake.params
    settings = settings_from_config(params.settings)
    used = chosen_chains(pd.read_csv(snakemake.input.chain_comparison))
    about = RunAbout(
        version=params.version,
        run_date=date.today().isoformat(),
        method=settings.estimate.recommended_method,
        convention=settings.estimate.recommended_convention,
        first_year=settings.estimate.first_year,
        last_year=settings.estimate.last_year,
        base_year=settings.prices.base_year,
        chains={c: (used[c], use) for c, use in uses_of(settings.indicators.chains).items() if c in used},
        sources=dict(params.sources),
        user_files=params.user_files,
        scenarios=tuple(params.scenarios),
        # relative, so that the link works when the gallery is opened straight from disk
        scenarios_page=os.path.relpath(snakemake.input.scenarios_page, params.gallery) if params.scenarios else "",
        cities_page=os.path.relpath(snakemake.input.cities_page, params.gallery) if snakemake.input.cities_page else "",
    )
    figures = [Path(p).parent for p in snakemake.input.figure_lists]
    items = publish_gallery(figures, params.gallery, language=settings.plots.language, about=about)
    page = Path(params.gallery) / "index.html"
    write_json({"page": page.as_posix(), "figures": [asdict(i) for i in items]}, snakemake.output.published)
    log.info("gallery %s with %d figures", page, len(items))
