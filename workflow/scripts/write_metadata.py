"""Write results/metadata.json: package and library versions, git commit, settings, input and output sha256."""

from pathlib import Path

from digecon.core.files import write_json
from digecon.core.logs import logged_run
from digecon.core.settings import settings_from_config
from digecon.inputs.retrieve import read_manifest
from digecon.outputs.provenance import build_metadata

with logged_run(snakemake.log[0]) as log:
    settings = settings_from_config(snakemake.params.settings)
    manifest = settings.retrieve.manifest
    entries = {e.mirror_path: e for e in read_manifest(manifest)} if manifest else {}
    metadata = build_metadata(
        config=settings.as_dict(),
        inputs=[
            (
                Path(p),
                kind,
                entries.get(Path(p).relative_to("data/raw").as_posix()) if p.startswith("data/raw/") else None,
            )
            for p, kind in zip(snakemake.input.inputs, snakemake.params.kinds, strict=True)
        ],
        outputs=[Path(p) for p in (*snakemake.input.results, *snakemake.input.cities)],
        project=Path(snakemake.params.project),
    )
    write_json(metadata, snakemake.output.metadata)
    log.info("%d inputs, %d outputs recorded", len(metadata["inputs"]), len(metadata["outputs"]))
