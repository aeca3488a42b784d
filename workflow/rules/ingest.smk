rule prepare_yearbook:
    input:
        series=REGISTRY.paths("yearbook_series"),
        user=run_files("user_indicators"),
        code=package_code("inputs"),
    output:
        yearbook="data/processed/{run}yearbook.csv",
        checks="data/processed/{run}yearbook_checks.csv",
    log:
        "logs/{run}prepare_yearbook.log",
    benchmark:
        "benchmarks/{run}prepare_yearbook.tsv"
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
    message:
        "Combining the annual series (NBS sources linked across vintages, the user's indicators)"
    script:
        "../scripts/prepare_yearbook.py"


rule ingest_io_tables:
    input:
        tables=run_files("io_table"),
        yearbook=processed("yearbook.csv", YEARBOOK_KEYS),
        first_published=REGISTRY.paths("first_published_gdp"),
        concordance=str(PACKAGE / "data" / "sector_concordance.csv"),
        code=package_code("inputs"),
    output:
        io_tables="data/processed/{run}io_tables.csv",
        checks="data/processed/{run}io_table_checks.csv",
    log:
        "logs/{run}ingest_io_tables.log",
    benchmark:
        "benchmarks/{run}ingest_io_tables.tsv"
    conda:
        "../envs/digecon.yaml"
    # measured: peak 178 MB resident, 9.1 s on a busy 2-core machine; one thread
    threads: 1
    resources:
        mem_mb=600,
        runtime=5,
    params:
        settings=settings_of("io_tables"),
        # only the user's tables: another user file (an index, an indicator) must not rerun the ingest
        user_files=lambda wildcards: sorted(
            REGISTRIES[wildcards.run].user_paths()
            & set(REGISTRIES[wildcards.run].paths("io_table"))
        ),
    message:
        "Reading and checking the IO tables"
    script:
        "../scripts/ingest_io_tables.py"


rule compute_ratios:
    input:
        detailed=REGISTRY.paths("detailed_national_table"),
        census=run_files("census_ratios"),
        io_tables=processed("io_tables.csv", IO_TABLE_KEYS),
        code=package_code("inputs"),
    output:
        ratios="data/processed/{run}ratios.csv",
        table_ratios="data/processed/{run}table_ratios.csv",
    log:
        "logs/{run}compute_ratios.log",
    benchmark:
        "benchmarks/{run}compute_ratios.tsv"
    conda:
        "../envs/digecon.yaml"
    # measured: peak 168 MB resident, 4.3 s on a busy 2-core machine; one thread
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        settings=settings_of("ratios.news_publishing_share"),
        detailed_years=[i.year for i in REGISTRY.of("detailed_national_table")],
    message:
        "Computing s_I63 and r_media for each IO year"
    script:
        "../scripts/compute_ratios.py"


rule read_national_tables:
    input:
        tables=REGISTRY.paths("national_io_table"),
        detailed=REGISTRY.paths("detailed_national_table"),
        census=run_files("census_ratios"),
        concordance=str(PACKAGE / "data" / "sector_concordance.csv"),
        code=package_code("inputs"),
    output:
        national_tables="data/processed/{run}national_tables.csv",
        national_ratios="data/processed/{run}national_ratios.csv",
    log:
        "logs/{run}read_national_tables.log",
    benchmark:
        "benchmarks/{run}read_national_tables.tsv"
    conda:
        "../envs/digecon.yaml"
    # measured: peak 170 MB resident, 5.4 s on a busy 2-core machine; one thread
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        settings=settings_of(
            "ratios.news_publishing_share", "io_tables.va_identity_tolerance"
        ),
        years=[i.year for i in REGISTRY.of("national_io_table")],
        detailed_years=[i.year for i in REGISTRY.of("detailed_national_table")],
    message:
        "Reading the national 42-sector tables of control years"
    script:
        "../scripts/read_national_tables.py"
