"""The national 42-sector tables of years without regional tables, and the split ratios of each year."""

from digecon.core.files import write_csv
from digecon.core.logs import logged_run
from digecon.core.settings import settings_from_config
from digecon.inputs.sources import read_national_tables

with logged_run(snakemake.log[0]) as log:
    settings = settings_from_config(snakemake.params.settings)
    national_tables, national_ratios = read_national_tables(
        dict(zip(snakemake.params.years, snakemake.input.tables, strict=True)),
        dict(zip(snakemake.params.detailed_years, snakemake.input.detailed, strict=True)),
        snakemake.input.census[0] if snakemake.input.census else None,
        news_publishing_share=settings.ratios.news_publishing_share,
        va_tolerance=settings.io_tables.va_identity_tolerance,
        concordance=snakemake.input.concordance,
    )
    write_csv(national_tables, snakemake.output.national_tables)
    write_csv(national_ratios, snakemake.output.national_ratios)
    log.info("national tables (万元):\n%s", national_tables.to_string(index=False))
