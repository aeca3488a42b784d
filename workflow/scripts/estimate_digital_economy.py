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
    )
    tables = {"national": "national_consistency", "breaks": "indicator_breaks"}
    for name in ("totals", "benchmarks", "indicators", "backtest", "national", "breaks"):
        write_csv(getattr(result, tables.get(name, name)), snakemake.output[name])
    write_csv(result.backtest_summary, snakemake.output.summary)
    write_text(
        "".join(
            f"\n## convention: {c}\n\nmedian APE (80th percentile) over provinces\n\n"
            + summary_markdown(result.backtest_summary, convention=c)
            for c in snakemake.params.conventions
        ),
        snakemake.output.summary_md,
    )
    write_csv(result.values, snakemake.output.values)
    for message in result.indicator_breaks["message"]:
        log.warning("possible break in an indicator: %s", message)
    log.info(
        "%d estimates; backtest median APE of the total:\n%s",
        len(result.values),
        result.backtest_summary.query("component == 'total'").to_string(index=False),
    )
