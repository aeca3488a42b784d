rule retrieve_raw_data:
    message:
        "Retrieving {} raw input files (verified by sha256)".format(len(MANIFEST))
    input:
        manifest=config["retrieve"]["manifest"],
    output:
        [raw(e) for e in MANIFEST],
    params:
        mirror=resolve_mirror(config["retrieve"]["mirror"]),
        dest=str(RAW),
    log:
        "logs/retrieve_raw_data.log",
    script:
        "../scripts/retrieve_raw_data.py"
