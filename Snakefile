from snakemake.utils import min_version

min_version("9.0")


configfile: "config/config.yaml"


# The configuration is validated by digecon's settings object (common.smk), against the schema
# generated from it (workflow/schemas/config.schema.yaml), with one line per violation.


report: "workflow/report/workflow.rst"


include: "workflow/rules/common.smk"
include: "workflow/rules/retrieve.smk"
include: "workflow/rules/ingest.smk"
include: "workflow/rules/estimate.smk"
include: "workflow/rules/export.smk"
include: "workflow/rules/plots.smk"
include: "workflow/rules/metadata.smk"
include: "workflow/rules/scenarios.smk"
include: "workflow/rules/cities.smk"


rule all:
    default_target: True
    input:
        # the main run ({run} empty): tables, exports, gallery, metadata
        expand(rules.ingest_io_tables.output, run=""),
        expand(rules.estimate_digital_economy.output, run=""),
        expand(rules.export_wide_tables.output.workbook, run=""),
        expand(rules.export_panel.output, run=""),
        expand(rules.build_gallery.output.published, run=""),
        expand(rules.write_metadata.output, run=""),
        # every scenario's estimate, compared with the run
        rules.compare_scenarios.output if SCENARIOS else [],
        rules.estimate_cities.output if CITIES else [],
        rules.export_city_panel.output if CITIES else [],
        rules.plot_cities.output if CITIES else [],
