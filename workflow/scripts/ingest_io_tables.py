"""Read and check every IO table; write the tidy sector table and the checks report."""

from digecon.inputs.concordance import load_concordance
from digecon.inputs.ingest import ingest_io_tables
from digecon.core.logs import logged_run
from digecon.core.files import write_csv
from digecon.inputs.yearbook import gdp_for_checks, read_first_published_gdp, read_nbs_province_csv

with logged_run(snakemake.log[0]) as log:
    gdp = gdp_for_checks(
        read_nbs_province_csv(snakemake.input.gdp_revised),
        read_first_published_gdp(snakemake.input.gdp_first_published),
    )
    io_tables, checks = ingest_io_tables(
        snakemake.input.tables,
        load_concordance(snakemake.input.concordance),
        gdp,
        allowed_units=tuple(snakemake.params.allowed_units),
        va_tolerance=snakemake.params.va_tolerance,
        ti_go_rel_tolerance=snakemake.params.ti_go_rel_tolerance,
        gdp_gap_warn=snakemake.params.gdp_gap_warn,
    )
    write_csv(checks, snakemake.output.checks)
    write_csv(io_tables, snakemake.output.io_tables)
    log.info(
        "%d tables, %d rows; checks: %s",
        io_tables.groupby(["province_code", "year"]).ngroups,
        len(io_tables),
        checks["status"].value_counts().to_dict(),
    )
