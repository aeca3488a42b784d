rule export_panel:
    input:
        values=rules.estimate_digital_economy.output.values,
        totals=rules.estimate_digital_economy.output.totals,
        real_values=rules.estimate_digital_economy.output.real_values,
        deflators=rules.estimate_digital_economy.output.deflators,
        code=package_code("estimation", "outputs"),
    output:
        csv="results/{run}tables/panel.csv",
        dta="results/{run}tables/panel.dta",
        dta_zh="results/{run}tables/panel_zh.dta",
        xlsx="results/{run}tables/panel.xlsx",
        parquet="results/{run}tables/panel.parquet",
    log:
        "logs/{run}export_panel.log",
    benchmark:
        "benchmarks/{run}export_panel.tsv"
    conda:
        "../envs/digecon.yaml"
    # measured: peak 197 MB resident, 35.9 s on a busy 2-core machine; one thread
    threads: 1
    resources:
        mem_mb=600,
        runtime=5,
    params:
        # the settings the numbers depend on, written into the workbook's README sheet and the metadata
        settings=settings_of(
            "retrieve",
            "io_tables",
            "indicators",
            "ratios",
            "estimate",
            "prices",
            "export",
        ),
        sources=data_sources,
    message:
        "Writing the panel (CSV, Stata, Excel, Parquet)"
    script:
        "../scripts/export_panel.py"
