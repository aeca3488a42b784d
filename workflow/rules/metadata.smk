rule write_metadata:
    input:
        inputs=[i.path for i in REGISTRY.inputs],
        results=[
            *rules.ingest_io_tables.output,
            *rules.compute_ratios.output,
            *rules.prepare_yearbook.output,
            *rules.estimate_digital_economy.output,
            rules.export_wide_tables.output.workbook,
            rules.build_gallery.output.published,
        ],
        code=package_code("outputs"),
    output:
        metadata="results/metadata.json",
    log:
        "logs/write_metadata.log",
    benchmark:
        "benchmarks/write_metadata.tsv"
    conda:
        "../envs/digecon.yaml"
    # measured: peak 135 MB resident, 1.5 s on a busy 2-core machine; one thread
    threads: 1
    resources:
        mem_mb=400,
        runtime=5,
    params:
        config=SETTINGS.as_dict(),
        kinds=[i.kind for i in REGISTRY.inputs],
        manifest=SETTINGS.retrieve.manifest,
        # the folder of the Snakefile, whose git commit is recorded
        project=lambda wildcards: workflow.basedir,
    message:
        "Recording versions, configuration and checksums in results/metadata.json"
    script:
        "../scripts/write_metadata.py"
