"""s_I63 and r_media for every IO year and province, with the source of each."""

import pandas as pd

from digecon.api import national_ratios
from digecon.core.logs import logged_run
from digecon.core.files import write_csv

with logged_run(snakemake.log[0]) as log:
    io_tables = pd.read_csv(snakemake.input.io_tables, usecols=["province_code", "year"])
    files = {int(key[1:]): path for key, path in snakemake.input.items() if key.startswith("t")}
    ratios = national_ratios(
        io_tables["year"].unique(),
        io_tables["province_code"].unique(),
        files,
        detailed_table_of={int(k): int(v) for k, v in snakemake.params.detailed_table_of.items()},
        news_publishing_share=snakemake.params.news_publishing_share,
        census_csv=snakemake.input.census[0] if snakemake.input.census else None,
        census_year_of={int(k): int(v) for k, v in snakemake.params.census_year_of.items()},
    )
    write_csv(ratios, snakemake.output.ratios)
    log.info("ratios:\n%s", ratios.drop_duplicates(["io_year", "ratio", "value"]).to_string(index=False))
