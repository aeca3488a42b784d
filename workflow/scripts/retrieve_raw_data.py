"""Fetch the missing or damaged manifest files into data/raw, copied from the mirror or downloaded, verified."""

from pathlib import Path

from digecon.core.logs import logged_run
from digecon.inputs.retrieve import read_manifest, retrieve

with logged_run(snakemake.log[0]) as log:
    wanted = {Path(p).relative_to(snakemake.params.dest).as_posix() for p in snakemake.output}
    retrieve(
        [e for e in read_manifest(snakemake.input.manifest) if e.mirror_path in wanted],
        snakemake.params.dest,
        mirror=snakemake.params.mirror,
        progress=log.info,
    )
