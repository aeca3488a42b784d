"""Annual values for every province, component, method and convention; backtest and bounds."""

import pandas as pd

from digecon.api import estimate_tables
from digecon.core.files import write_csv, write_text
from digecon.core.logs import logged_run
from digecon.estimation.backtest import summary_markdown

with logged_run(snakemake.log[0]) as log:
    result = estimate_tables(
        pd.read_csv(snakemake.input.io_tables, dtype={"sector_code": str}),
        pd.read_csv(snakemake.input.yearbook),
        pd.read_csv(snakemake.input.ratios),
        years=snakemake.params.years,
        methods=snakemake.params.methods,
        conventions=snakemake.params.conventions,
        break_threshold=snakemake.params.break_threshold,
        table_ratios=pd.read_csv(snakemake.input.table_ratios),
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
        "national": "national_consistency",
        "breaks": "indicator_breaks",
    }
    for name, attribute in tables.items():
        write_csv(getattr(result, attribute), snakemake.output[name])
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
        ),
        snakemake.output.summary_md,
    )
    for message in result.indicator_breaks["message"]:
        log.warning("possible break in an indicator: %s", message)
    log.info(
        "%d estimates; backtest median APE of the total:\n%s",
        len(result.values),
        result.backtest_summary.query("component == 'total'").to_string(index=False),
    )
