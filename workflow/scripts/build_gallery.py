"""Assemble the gallery (every kind's figures and the page) in a new folder and swap it in whole."""

from dataclasses import asdict
from datetime import date
from pathlib import Path

from digecon.core.files import write_json
from digecon.core.logs import logged_run
from digecon.outputs.gallery import publish_gallery

with logged_run(snakemake.log[0]) as log:
    note = (
        f"Digital-economy value added of China's provinces; method {snakemake.params.method}, convention "
        f"{snakemake.params.convention}. Inputs (repository@commit): {snakemake.params.sources}."
    )
    items = publish_gallery(
        [Path(p).parent for p in snakemake.input.figure_lists],
        snakemake.params.gallery,
        title="digecon: digital economy of China's provinces",
        run_date=date.today().isoformat(),
        note=note,
    )
    page = Path(snakemake.params.gallery) / "index.html"
    write_json({"page": page.as_posix(), "figures": [asdict(i) for i in items]}, snakemake.output.published)
    log.info("gallery %s with %d figures", page, len(items))
