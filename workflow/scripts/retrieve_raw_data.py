"""Fill data/raw with every manifest file, copied from the mirror or downloaded, verified by sha256."""

from digecon.core.logs import logged_run
from digecon.inputs.retrieve import read_manifest, retrieve

with logged_run(snakemake.log[0]) as log:
    retrieve(
        read_manifest(snakemake.input.manifest),
        snakemake.params.dest,
        mirror=snakemake.params.mirror,
        progress=log.info,
    )
