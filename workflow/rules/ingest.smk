rule ingest_io_tables:
    input:
        tables=io_table_files(),
        gdp_revised=raw_file("nbs_province_annual", "地区生产总值.csv"),
        gdp_first_published=raw_file("gdp_first_published", "分省年度数据_整合.csv"),
        code=package_modules("inputs.iotable", "inputs.concordance", "inputs.checks", "inputs.ingest", "inputs.yearbook"),
        concordance=str(PACKAGE / "data" / "sector_concordance.csv"),
    output:
        io_tables="data/processed/io_tables.csv",
        checks="data/processed/io_table_checks.csv",
    log:
        "logs/ingest_io_tables.log",
    benchmark:
        "benchmarks/ingest_io_tables.tsv"
    conda:
        "../envs/digecon.yaml"
    params:
        allowed_units=config["io_tables"]["allowed_units"],
        va_tolerance=config["io_tables"]["va_identity_tolerance"],
        ti_go_rel_tolerance=config["io_tables"]["ti_go_rel_tolerance"],
        gdp_gap_warn=config["io_tables"]["gdp_gap_warn"],
    message:
        "Reading and checking the IO tables of {}".format(config["io_tables"]["years"])
    script:
        "../scripts/ingest_io_tables.py"
