rule write_metadata:
    input:
        inputs=lambda wildcards: [i.path for i in REGISTRIES[wildcards.run].inputs],
        results=[
            *rules.ingest_io_tables.output,
            *rules.compute_ratios.output,
            *rules.prepare_yearbook.output,
            *rules.estimate_digital_economy.output,
            rules.export_wide_tables.output.workbook,
            rules.build_gallery.output.published,
        ],
        # the city stage's results (the main run only, with the city inputs; its rules come later)
        cities=lambda wildcards: (
            [
                *rules.read_city_keys.output,
                *rules.estimate_cities.output,
                *rules.export_city_panel.output,
            ]
            if CITIES and not wildcards.run
            else []
        ),
        code=package_code("outputs"),
    output:
        metadata="results/{run}metadata.json",
    log:
        "logs/{run}write_metadata.log",
    benchmark:
        "benchmarks/{run}write_metadata.tsv"
    conda:
        "../envs/digecon.yaml"
    # measured: peak 135 MB resident, 1.5 s on a busy 2-core machine; one thread
    threads: 1
    resources:
        mem_mb=400,
        runtime=5,
    params:
        # the whole configuration of the run is recorded (as are the checksums of the gallery's files)
        settings=lambda wildcards: RUNS[wildcards.run].as_dict(),
        kinds=lambda wildcards: [i.kind for i in REGISTRIES[wildcards.run].inputs],
        # the folder of the Snakefile, whose git commit is recorded
        project=lambda wildcards: workflow.basedir,
    message:
        "Recording versions, configuration and checksums in results/{wildcards.run}metadata.json"
    script:
        "../scripts/write_metadata.py"
