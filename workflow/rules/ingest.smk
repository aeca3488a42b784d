rule prepare_yearbook:
    input:
        series=REGISTRY.paths("yearbook_series"),
        user=REGISTRY.paths("user_indicators"),
        code=package_code("inputs", "estimation"),
    output:
        yearbook="data/processed/yearbook.csv",
        checks="data/processed/yearbook_checks.csv",
        breaks="results/validation/indicator_breaks.csv",
    log:
        "logs/prepare_yearbook.log",
    benchmark:
        "benchmarks/prepare_yearbook.tsv"
    conda:
        "../envs/digecon.yaml"
    # measured: peak 207 MB resident, 10.8 s on a busy 2-core machine; one thread
    threads: 1
    resources:
        mem_mb=600,
        runtime=5,
    params:
        readers=[f.reader for f in REGISTRY.series_files()],
        datasets=[f.dataset for f in REGISTRY.series_files()],
        vintages=[f.vintage for f in REGISTRY.series_files()],
        breaks=SETTINGS.indicators.breaks,
        break_threshold=SETTINGS.indicators.break_threshold,
        # a plain mapping, so that a change triggers a rerun
        price_base_changes=SETTINGS.as_dict()["indicators"]["price_base_changes"],
        csv_encoding=SETTINGS.export.csv_encoding,
    message:
        "Combining the annual series (NBS yearbook sources linked across vintages, the user's indicators) and screening them for breaks"
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
    # measured: peak 178 MB resident, 9.1 s on a busy 2-core machine; one thread
    threads: 1
    resources:
        mem_mb=600,
        runtime=5,
    params:
        settings=section("io_tables"),
        # only the user's tables: another user file (an index, an indicator) must not rerun the ingest
        user_files=sorted(REGISTRY.user_paths() & set(REGISTRY.paths("io_table"))),
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
    benchmark:
        "benchmarks/compute_ratios.tsv"
    conda:
        "../envs/digecon.yaml"
    # measured: peak 168 MB resident, 4.3 s on a busy 2-core machine; one thread
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
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
    benchmark:
        "benchmarks/read_national_tables.tsv"
    conda:
        "../envs/digecon.yaml"
    # measured: peak 170 MB resident, 5.4 s on a busy 2-core machine; one thread
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
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
