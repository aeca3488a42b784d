rule prepare_yearbook:
    input:
        series=REGISTRY.paths("yearbook_series"),
        user=REGISTRY.paths("user_indicators"),
        code=package_code("inputs"),
    output:
        yearbook="data/processed/yearbook.csv",
    log:
        "logs/prepare_yearbook.log",
    conda:
        "../envs/digecon.yaml"
    params:
        readers=[reader for _, reader in REGISTRY.sources("yearbook_series")],
    message:
        "Combining the annual series (NBS yearbook sources and the user's indicators)"
    script:
        "../scripts/prepare_yearbook.py"


rule ingest_io_tables:
    input:
        tables=REGISTRY.paths("io_table"),
        yearbook=rules.prepare_yearbook.output.yearbook,
        first_published=REGISTRY.paths("first_published_gdp"),
        concordance=str(PACKAGE / "data" / "sector_concordance.csv"),
        code=package_code("inputs"),
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
        settings=section("io_tables"),
        user_files=sorted(REGISTRY.user_paths()),
    message:
        "Reading and checking {} IO tables".format(len(REGISTRY.paths("io_table")))
    script:
        "../scripts/ingest_io_tables.py"


rule compute_ratios:
    input:
        detailed=REGISTRY.paths("detailed_national_table"),
        census=REGISTRY.paths("census_ratios"),
        io_tables=rules.ingest_io_tables.output.io_tables,
        code=package_code("inputs"),
    output:
        ratios="data/processed/ratios.csv",
        table_ratios="data/processed/table_ratios.csv",
    log:
        "logs/compute_ratios.log",
    conda:
        "../envs/digecon.yaml"
    params:
        detailed_years=[i.year for i in REGISTRY.of("detailed_national_table")],
        news_publishing_share=SETTINGS.ratios.news_publishing_share,
    message:
        "Computing s_I63 and r_media for each IO year"
    script:
        "../scripts/compute_ratios.py"


rule read_national_tables:
    input:
        tables=REGISTRY.paths("national_io_table"),
        detailed=REGISTRY.paths("detailed_national_table"),
        census=REGISTRY.paths("census_ratios"),
        concordance=str(PACKAGE / "data" / "sector_concordance.csv"),
        code=package_code("inputs"),
    output:
        national_tables="data/processed/national_tables.csv",
        national_ratios="data/processed/national_ratios.csv",
    log:
        "logs/read_national_tables.log",
    conda:
        "../envs/digecon.yaml"
    params:
        years=[i.year for i in REGISTRY.of("national_io_table")],
        detailed_years=[i.year for i in REGISTRY.of("detailed_national_table")],
        news_publishing_share=SETTINGS.ratios.news_publishing_share,
        va_tolerance=SETTINGS.io_tables.va_identity_tolerance,
    message:
        "Reading {} national 42-sector tables of control years".format(
            len(REGISTRY.paths("national_io_table"))
        )
    script:
        "../scripts/read_national_tables.py"
