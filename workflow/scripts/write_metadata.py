"""Write results/metadata.json: package and library versions, git commit, config, input and output sha256."""

from pathlib import Path

from digecon.core.logs import logged_run
from digecon.core.files import write_json
from digecon.outputs.provenance import build_metadata
from digecon.inputs.retrieve import read_manifest

with logged_run(snakemake.log[0]) as log:
    entries = {e.mirror_path: e for e in read_manifest(snakemake.params.manifest)}
    inputs = [(Path(p), entries[Path(p).relative_to("data/raw").as_posix()]) for p in snakemake.input.raw]
    metadata = build_metadata(
        config=dict(snakemake.params.config),
        inputs=inputs,
        outputs=[Path(p) for p in snakemake.input.results],
        project=Path(snakemake.params.project),
    )
    write_json(metadata, snakemake.output.metadata)
    log.info("%d inputs, %d outputs recorded", len(metadata["inputs"]), len(metadata["outputs"]))
