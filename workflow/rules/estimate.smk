rule estimate_digital_economy:
    input:
        io_tables=rules.ingest_io_tables.output.io_tables,
        yearbook=rules.prepare_yearbook.output.yearbook,
        ratios=rules.compute_ratios.output.ratios,
        table_ratios=rules.compute_ratios.output.table_ratios,
        national_tables=rules.read_national_tables.output.national_tables,
        national_ratios=rules.read_national_tables.output.national_ratios,
        # chunked (estimate.chunks > 1): this job only gathers the chunks' values and the choices
        chunk_values=expand(rules.chunk_values.output, chunk=CHUNKS),
        choices=rules.gather_backtest.output[0] if CHUNKS else [],
        code=package_code("estimation"),
    output:
        values="results/tables/digital_economy_va.csv",
        totals="results/tables/digital_economy_total.csv",
        benchmarks="data/processed/benchmarks.csv",
        indicators="data/processed/indicators.csv",
        backtest="results/validation/backtest.csv",
        summary="results/validation/backtest_summary.csv",
        by_design="results/validation/backtest_by_design.csv",
        by_distance="results/validation/backtest_by_distance.csv",
        band_coverage="results/validation/band_coverage.csv",
        summary_md="results/validation/backtest_summary.md",
        national="results/validation/national_consistency.csv",
        # the screened breaks in the series the chosen chains use (the whole list: prepare_yearbook)
        breaks="data/processed/indicator_breaks_used.csv",
        chain_comparison="results/validation/chain_comparison.csv",
        component_checks="results/validation/component_indicator_checks.csv",
    log:
        "logs/estimate_digital_economy.log",
    benchmark:
        "benchmarks/estimate_digital_economy.tsv"
    conda:
        "../envs/digecon.yaml"
    # measured: peak 309 MB resident, 75.5 s on a busy 2-core machine; one thread
    threads: 1
    resources:
        mem_mb=1000,
        runtime=15,
    params:
        years=list(SETTINGS.years),
        methods=list(SETTINGS.estimate.methods),
        conventions=list(SETTINGS.estimate.conventions),
        break_threshold=SETTINGS.indicators.break_threshold,
        # plain mappings, so that a change of a candidate chain triggers a rerun
        chains=SETTINGS.as_dict()["indicators"]["chains"],
        price_base_changes=SETTINGS.as_dict()["indicators"]["price_base_changes"],
        component_check_factor=SETTINGS.indicators.component_check_factor,
        recommended_method=SETTINGS.estimate.recommended_method,
        recommended_convention=SETTINGS.estimate.recommended_convention,
        csv_encoding=SETTINGS.export.csv_encoding,
    message:
        "Estimating annual digital-economy value added and backtesting every method and indicator chain"
    script:
        "../scripts/estimate_digital_economy.py"


rule export_wide_tables:
    input:
        values=rules.estimate_digital_economy.output.values,
        totals=rules.estimate_digital_economy.output.totals,
        code=package_code("outputs"),
    output:
        tables=expand(
            "results/tables/wide/{name}.{ext}",
            name=list(WIDE_TABLES),
            ext=["csv", "dta"],
        ),
        workbook="results/tables/digital_economy_wide.xlsx",
    log:
        "logs/export_wide_tables.log",
    benchmark:
        "benchmarks/export_wide_tables.tsv"
    conda:
        "../envs/digecon.yaml"
    # measured: peak 192 MB resident, 7.8 s on a busy 2-core machine; one thread
    threads: 1
    resources:
        mem_mb=600,
        runtime=5,
    params:
        method=SETTINGS.estimate.recommended_method,
        convention=SETTINGS.estimate.recommended_convention,
        folder=lambda wildcards, output: Path(output.tables[0]).parent,
        csv_encoding=SETTINGS.export.csv_encoding,
    message:
        "Writing the wide tables (CSV, Excel, Stata) for {params.method} / {params.convention}"
    script:
        "../scripts/export_wide_tables.py"
