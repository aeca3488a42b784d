"""s_I63 and r_media for every IO year and province, with the source of each."""

import pandas as pd

from digecon.core.files import write_csv
from digecon.core.logs import logged_run
from digecon.core.settings import settings_from_config
from digecon.inputs.sources import read_ratios, read_table_ratios

with logged_run(snakemake.log[0]) as log:
    share = settings_from_config(snakemake.params.settings).ratios.news_publishing_share
    detailed = dict(zip(snakemake.params.detailed_years, snakemake.input.detailed, strict=True))
    ratios = read_ratios(
        pd.read_csv(snakemake.input.io_tables, usecols=["province_code", "year"]),
        detailed,
        snakemake.input.census[0] if snakemake.input.census else None,
        news_publishing_share=share,
    )
    write_csv(ratios, snakemake.output.ratios)
    write_csv(read_table_ratios(detailed, news_publishing_share=share), snakemake.output.table_ratios)
    log.info("ratios:\n%s", ratios.drop_duplicates(["io_year", "ratio", "value"]).to_string(index=False))
