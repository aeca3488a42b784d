# Only files that are missing or fail their sha256 are outputs of the retrieve job: files present
# and verified are never deleted by a rerun, whatever changed (mirror, environment, code).
TO_RETRIEVE = missing_or_damaged(REGISTRY.retrieved(), RAW_ROOT)

if TO_RETRIEVE:

    rule retrieve_raw_data:
        input:
            manifest=SETTINGS.retrieve.manifest,
        output:
            [protected(str(RAW_ROOT / e.mirror_path)) for e in TO_RETRIEVE],
        log:
            "logs/retrieve_raw_data.log",
        benchmark:
            "benchmarks/retrieve_raw_data.tsv"
        conda:
            "../envs/digecon.yaml"
        # measured: peak 28 MB resident, 0.6 s on a busy 2-core machine; one thread
        threads: 1
        resources:
            mem_mb=200,
            runtime=10,
        params:
            mirror=SETTINGS.mirror(),
            # the root below which every manifest path is placed (outputs are RAW_ROOT/<mirror_path>)
            dest=lambda wildcards: str(RAW_ROOT),
        message:
            "Retrieving {} raw input files (verified by sha256)".format(
                len(TO_RETRIEVE)
            )
        script:
            "../scripts/retrieve_raw_data.py"
