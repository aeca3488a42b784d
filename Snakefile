from snakemake.utils import min_version, validate

min_version("9.0")


configfile: "config/config.yaml"


validate(config, "workflow/schemas/config.schema.yaml")


report: "workflow/report/workflow.rst"


include: "workflow/rules/common.smk"
include: "workflow/rules/retrieve.smk"
include: "workflow/rules/ingest.smk"
include: "workflow/rules/estimate.smk"
include: "workflow/rules/plots.smk"
include: "workflow/rules/metadata.smk"


rule all:
    default_target: True
    input:
        "data/processed/io_tables.csv",
        "data/processed/io_table_checks.csv",
        "results/tables/digital_economy_va.csv",
        "results/validation/backtest.csv",
        "results/tables/digital_economy_wide.xlsx",
        "results/gallery/index.html",
        "results/metadata.json",
