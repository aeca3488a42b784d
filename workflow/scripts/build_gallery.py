"""Assemble the gallery (every kind's figures and the page) in a new folder and swap it in whole."""

import os
from dataclasses import asdict
from datetime import date
from pathlib import Path

import pandas as pd

from digecon.core.files import write_json
from digecon.core.logs import logged_run
from digecon.outputs.gallery import RunAbout, chosen_chains, publish_gallery

with logged_run(snakemake.log[0]) as log:
    params = snakemake.params
    used = chosen_chains(pd.read_csv(snakemake.input.chain_comparison))
    about = RunAbout(
        version=params.version,
        run_date=date.today().isoformat(),
        method=params.method,
        convention=params.convention,
        first_year=params.first_year,
        last_year=params.last_year,
        base_year=params.base_year,
        chains={c: (used[c], setting) for c, setting in params.chain_settings.items() if c in used},
        sources=dict(params.sources),
        user_files=params.user_files,
        scenarios=tuple(params.scenarios),
        # relative, so that the link works when the gallery is opened straight from disk
        scenarios_page=os.path.relpath(snakemake.input.scenarios_page, params.gallery) if params.scenarios else "",
    )
    items = publish_gallery(
        [Path(p).parent for p in snakemake.input.figure_lists], params.gallery, language=params.language, about=about
    )
    page = Path(params.gallery) / "index.html"
    write_json({"page": page.as_posix(), "figures": [asdict(i) for i in items]}, snakemake.output.published)
    log.info("gallery %s with %d figures", page, len(items))
