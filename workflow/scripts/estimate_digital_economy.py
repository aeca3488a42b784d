"""Annual values for every province, component, method and convention; backtest, bounds, real values."""

import pandas as pd

import digecon
from digecon.core.files import write_csv, write_text
from digecon.core.logs import logged_run
from digecon.core.settings import settings_from_config
from digecon.estimation.chains import check_summary
from digecon.inputs.price_indices import read_price_indices
from digecon.outputs.summaries import backtest_report

TABLES = ("io_tables", "yearbook", "ratios", "table_ratios", "national_tables", "national_ratios")

with logged_run(snakemake.log[0]) as log:
    settings = settings_from_config(snakemake.params.settings)
    tables = {name: pd.read_csv(snakemake.input[name], dtype={"sector_code": str}) for name in TABLES}
    indices = tuple(read_price_indices(p) for p in snakemake.input.price_indices)
    result = digecon.estimate(digecon.Inputs(**tables, price_indices=indices), settings)
    for name, path in snakemake.output.items():
        if name != "summary_md":
            # the result tables in the encoding chosen for their readers; the processed ones stay plain UTF-8
            encoding = settings.export.csv_encoding if path.startswith("results/") else "utf-8"
            write_csv(getattr(result, name), path, encoding=encoding)
    report = backtest_report(
        result.backtest_summary,
        result.backtest_by_design,
        result.backtest_by_distance,
        result.chain_comparison,
        result.chain_choices,
        result.selection_rules,
        settings.estimate.conventions,
        by_carrier=result.backtest_by_carrier,
    )
    write_text(report, snakemake.output.summary_md)
    for line in check_summary(result.component_checks):
        log.warning("estimate against a component-level indicator: %s", line)
    breaks = result.indicator_breaks
    log.info("the screen of the annual series: %s", breaks.groupby(["kind", "action"]).size().to_dict())
    resting = result.values[result.values["indicator_break"]].drop_duplicates(["component", "province_code", "year"])
    for row in resting.itertuples():
        log.warning(
            "possible break in an indicator: province %s, %s %s: %s",
            row.province_code,
            row.component,
            row.year,
            row.indicator,
        )
    total = result.backtest_summary.query("component == 'total'")
    log.info("%d estimates; backtest median APE of the total:\n%s", len(result.values), total.to_string(index=False))
