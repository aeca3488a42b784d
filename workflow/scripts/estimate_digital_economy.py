"""Annual values for every province, component, method and convention; backtest and bounds."""

import pandas as pd

from digecon.api import estimate_tables
from digecon.core.files import write_csv, write_text
from digecon.core.logs import logged_run
from digecon.core.settings import settings_from_config
from digecon.estimation.backtest import summary_markdown
from digecon.estimation.chains import check_summary, comparison_markdown
from digecon.estimation.stages import Choices, ChunkValues, gather_results, load_stage

with logged_run(snakemake.log[0]) as log:
    chains = settings_from_config({"indicators": {"chains": snakemake.params.chains}}).indicators.chains
    national = (
        pd.read_csv(snakemake.input.national_tables, dtype={"sector_code": str}),
        pd.read_csv(snakemake.input.national_ratios),
    )
    if snakemake.input.chunk_values:  # estimate.chunks > 1: the stages ran as jobs, gather them
        result = gather_results(
            [load_stage(ChunkValues, folder) for folder in snakemake.input.chunk_values],
            load_stage(Choices, snakemake.input.choices),
            chains=chains,
            component_check_factor=snakemake.params.component_check_factor,
            national_tables=national[0],
            national_ratios=national[1],
        )
    else:
        result = estimate_tables(
            pd.read_csv(snakemake.input.io_tables, dtype={"sector_code": str}),
            pd.read_csv(snakemake.input.yearbook),
            pd.read_csv(snakemake.input.ratios),
            years=snakemake.params.years,
            methods=snakemake.params.methods,
            conventions=snakemake.params.conventions,
            break_threshold=snakemake.params.break_threshold,
            table_ratios=pd.read_csv(snakemake.input.table_ratios),
            national_tables=national[0],
            national_ratios=national[1],
            chains=chains,
            price_base_changes=snakemake.params.price_base_changes,
            component_check_factor=snakemake.params.component_check_factor,
            recommended_method=snakemake.params.recommended_method,
            recommended_convention=snakemake.params.recommended_convention,
        )
    # output name -> Result attribute
    tables = {
        "values": "values",
        "totals": "totals",
        "benchmarks": "benchmarks",
        "indicators": "indicators",
        "backtest": "backtest",
        "summary": "backtest_summary",
        "by_design": "backtest_by_design",
        "by_distance": "backtest_by_distance",
        "band_coverage": "band_coverage",
        "national": "national_consistency",
        "breaks": "indicator_breaks",
        "chain_comparison": "chain_comparison",
        "component_checks": "component_checks",
    }
    for name, attribute in tables.items():
        # the result tables in the encoding chosen for their readers; the processed ones stay plain UTF-8
        results_file = str(snakemake.output[name]).startswith("results/")
        encoding = snakemake.params.csv_encoding if results_file else "utf-8"
        write_csv(getattr(result, attribute), snakemake.output[name], encoding=encoding)
    sections = [
        ("by kind and component", result.backtest_summary, ("kind", "component")),
        ("the total, by design", result.backtest_by_design.query("component == 'total'"), ("design_label",)),
        (
            "the total, by distance to the nearest benchmark used",
            result.backtest_by_distance.query("component == 'total'"),
            ("kind", "distance_years"),
        ),
    ]
    write_text(
        "".join(
            f"\n## convention: {c}, {title}\n\nmedian APE (80th percentile) over provinces\n\n"
            + summary_markdown(frame, convention=c, rows=rows)
            for c in snakemake.params.conventions
            for title, frame, rows in sections
        )
        + "".join(
            f"\n## convention: {c}, the candidate indicator chains (rows: component, candidate, kind)\n\n"
            "median APE (80th percentile) over provinces and designs; bold: the chain used "
            "(results/validation/chain_comparison.csv)\n\n"
            + comparison_markdown(result.chain_comparison, result.chain_choices, convention=c)
            for c in snakemake.params.conventions
        ),
        snakemake.output.summary_md,
    )
    for line in check_summary(result.component_checks):
        log.warning("estimate against a component-level indicator: %s", line)
    for message in result.indicator_breaks["message"]:
        log.warning("possible break in an indicator: %s", message)
    log.info(
        "%d estimates; backtest median APE of the total:\n%s",
        len(result.values),
        result.backtest_summary.query("component == 'total'").to_string(index=False),
    )
