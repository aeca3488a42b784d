"""The static gallery page linking every figure, its SVG and its data."""

from datetime import date

from digecon.core.logs import logged_run
from digecon.outputs.gallery import read_items, write_gallery_html

with logged_run(snakemake.log[0]) as log:
    items = [item for path in snakemake.input.figure_lists for item in read_items(path)]
    note = (
        f"Digital-economy value added of China's provinces; method {snakemake.params.method}, convention "
        f"{snakemake.params.convention}. Inputs (repository@commit): {snakemake.params.sources}."
    )
    write_gallery_html(
        items,
        snakemake.output.page,
        title="digecon: digital economy of China's provinces",
        run_date=date.today().isoformat(),
        note=note,
    )
    log.info("gallery page with %d figures", len(items))
