rule prepare_yearbook:
    input:
        scrape=raw_file("nbs_province_annual", "地区生产总值.csv"),
        api=raw_files("nbs_province_api"),
        database=raw_file("nbs_gdp_export", "AnnualbyProvince.xls"),
        code=package_modules("inputs.yearbook"),
    output:
        yearbook="data/processed/yearbook.csv",
    log:
        "logs/prepare_yearbook.log",
    conda:
        "../envs/digecon.yaml"
    message:
        "Combining the NBS provincial series (分省年度数据 CSV, API JSON, database export)"
    script:
        "../scripts/prepare_yearbook.py"


rule compute_ratios:
    input:
        unpack(detailed_tables),
        io_tables="data/processed/io_tables.csv",
        census=census_input(),
        code=package_modules("inputs.ratios", "api"),
    output:
        ratios="data/processed/ratios.csv",
    log:
        "logs/compute_ratios.log",
    conda:
        "../envs/digecon.yaml"
    params:
        detailed_years=sorted(DETAILED_TABLE_YEARS),
        detailed_table_of=config["ratios"]["detailed_table_of_io_year"],
        census_year_of=config["ratios"]["census_year_of_io_year"],
        news_publishing_share=config["ratios"]["news_publishing_share"],
    message:
        "Computing s_I63 and r_media for each IO year"
    script:
        "../scripts/compute_ratios.py"


rule estimate_digital_economy:
    input:
        io_tables="data/processed/io_tables.csv",
        yearbook="data/processed/yearbook.csv",
        ratios="data/processed/ratios.csv",
        code=package_modules(
            "api", "estimation.estimate", "estimation.methods", "estimation.chowlin", "estimation.backtest", "estimation.indicators"
        ),
    output:
        values="results/tables/digital_economy_va.csv",
        totals="results/tables/digital_economy_total.csv",
        benchmarks="data/processed/benchmarks.csv",
        indicators="data/processed/indicators.csv",
        backtest="results/validation/backtest.csv",
        summary="results/validation/backtest_summary.csv",
        summary_md="results/validation/backtest_summary.md",
        national="results/validation/national_consistency.csv",
    log:
        "logs/estimate_digital_economy.log",
    benchmark:
        "benchmarks/estimate_digital_economy.tsv"
    conda:
        "../envs/digecon.yaml"
    params:
        first_year=config["estimate"]["first_year"],
        last_year=config["estimate"]["last_year"],
        methods=config["estimate"]["methods"],
        conventions=config["estimate"]["conventions"],
    message:
        "Estimating annual digital-economy value added and backtesting every method"
    script:
        "../scripts/estimate_digital_economy.py"


rule export_wide_tables:
    input:
        values="results/tables/digital_economy_va.csv",
        totals="results/tables/digital_economy_total.csv",
        yearbook="data/processed/yearbook.csv",
        code=package_modules("outputs.export"),
    output:
        tables=expand(
            "results/tables/wide/{name}.{ext}",
            name=WIDE_TABLE_NAMES,
            ext=["csv", "dta"],
        ),
        workbook="results/tables/digital_economy_wide.xlsx",
    log:
        "logs/export_wide_tables.log",
    conda:
        "../envs/digecon.yaml"
    params:
        method=config["estimate"]["recommended_method"],
        convention=config["estimate"]["recommended_convention"],
        folder=lambda wildcards, output: Path(output.tables[0]).parent,
    message:
        "Writing the wide tables (CSV, Excel, Stata) for {params.method} / {params.convention}"
    script:
        "../scripts/export_wide_tables.py"
