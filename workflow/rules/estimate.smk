rule estimate_digital_economy:
    input:
        io_tables=processed("io_tables.csv", IO_TABLE_KEYS),
        yearbook=processed("yearbook.csv", YEARBOOK_KEYS),
        ratios=processed("ratios.csv", RATIO_KEYS),
        table_ratios=processed("table_ratios.csv", RATIO_KEYS),
        national_tables=processed("national_tables.csv", NATIONAL_KEYS),
        national_ratios=processed("national_ratios.csv", NATIONAL_KEYS),
        price_indices=run_files("price_indices"),
        code=package_code("inputs", "estimation", "outputs"),
    output:
        # named after the tables of digecon.Result they hold
        values="results/{run}tables/digital_economy_va.csv",
        totals="results/{run}tables/digital_economy_total.csv",
        real_values="data/processed/{run}real_values.csv",
        deflators="data/processed/{run}deflators.csv",
        benchmarks="data/processed/{run}benchmarks.csv",
        indicators="data/processed/{run}indicators.csv",
        national_coefficients="data/processed/{run}national_coefficients.csv",
        backtest="results/{run}validation/backtest.csv",
        backtest_summary="results/{run}validation/backtest_summary.csv",
        backtest_by_design="results/{run}validation/backtest_by_design.csv",
        backtest_by_distance="results/{run}validation/backtest_by_distance.csv",
        backtest_by_carrier="results/{run}validation/backtest_by_carrier.csv",
        band_coverage="results/{run}validation/band_coverage.csv",
        national_consistency="results/{run}validation/national_consistency.csv",
        indicator_breaks="results/{run}validation/indicator_breaks.csv",
        chain_comparison="results/{run}validation/chain_comparison.csv",
        selection_rules="results/{run}validation/selection_rules.csv",
        combination_weights="results/{run}validation/combination_weights.csv",
        combination_parts="results/{run}validation/combination_parts.csv",
        component_checks="results/{run}validation/component_indicator_checks.csv",
        zero_benchmarks="results/{run}validation/zero_benchmarks.csv",
        summary_md="results/{run}validation/backtest_summary.md",
    log:
        "logs/{run}estimate_digital_economy.log",
    benchmark:
        "benchmarks/{run}estimate_digital_economy.tsv"
    conda:
        "../envs/digecon.yaml"
    # measured: peak 309 MB resident, 75.5 s on a busy 2-core machine; one thread
    threads: 1
    resources:
        mem_mb=1000,
        runtime=15,
    params:
        settings=settings_of(
            "estimate",
            "indicators.break_threshold",
            "indicators.breaks",
            "indicators.chains",
            "indicators.selection",
            "indicators.price_base_changes",
            "indicators.component_check_factor",
            "prices.base_year",
            "export.csv_encoding",
        ),
    message:
        "Estimating annual digital-economy value added and backtesting every method and indicator chain"
    script:
        "../scripts/estimate_digital_economy.py"


rule export_wide_tables:
    input:
        values=rules.estimate_digital_economy.output.values,
        totals=rules.estimate_digital_economy.output.totals,
        code=package_code("estimation", "outputs"),
    output:
        tables=expand(
            "results/{{run}}tables/wide/{name}.{ext}",
            name=list(WIDE_TABLES),
            ext=["csv", "dta"],
        ),
        workbook="results/{run}tables/digital_economy_wide.xlsx",
    log:
        "logs/{run}export_wide_tables.log",
    benchmark:
        "benchmarks/{run}export_wide_tables.tsv"
    conda:
        "../envs/digecon.yaml"
    # measured: peak 192 MB resident, 7.8 s on a busy 2-core machine; one thread
    threads: 1
    resources:
        mem_mb=600,
        runtime=5,
    params:
        settings=settings_of(
            "estimate.recommended_method",
            "estimate.recommended_convention",
            "export.csv_encoding",
        ),
        folder=lambda wildcards, output: Path(output.tables[0]).parent,
    message:
        "Writing the wide tables (CSV, Excel, Stata) of the recommended estimate"
    script:
        "../scripts/export_wide_tables.py"
