rule write_metadata:
    input:
        raw=[raw(e) for e in MANIFEST],
        results=RESULT_FILES,
        code=package_modules("outputs.provenance"),
    output:
        metadata="results/metadata.json",
    log:
        "logs/write_metadata.log",
    conda:
        "../envs/digecon.yaml"
    params:
        config=config,
        manifest=config["retrieve"]["manifest"],
        # the folder of the Snakefile, whose git commit is recorded
        project=lambda wildcards: workflow.basedir,
    message:
        "Recording versions, configuration and checksums in results/metadata.json"
    script:
        "../scripts/write_metadata.py"
