rule retrieve_raw_data:
    input:
        manifest=config["retrieve"]["manifest"],
    output:
        [raw(e) for e in MANIFEST],
    log:
        "logs/retrieve_raw_data.log",
    conda:
        "../envs/digecon.yaml"
    params:
        mirror=resolve_mirror(config["retrieve"]["mirror"]),
        # the root below which every manifest path is placed (outputs are RAW/<mirror_path>)
        dest=lambda wildcards: str(RAW),
    message:
        "Retrieving {} raw input files (verified by sha256)".format(len(MANIFEST))
    script:
        "../scripts/retrieve_raw_data.py"
