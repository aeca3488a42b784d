"""Read the city keys (city yearbook, city GDP), matched to the codes of their year, with their cells."""

from digecon.core.files import write_csv
from digecon.core.logs import logged_run
from digecon.inputs.cities import city_keys_table, unpacked_tables

with logged_run(snakemake.log[0]) as log:
    archives = list(zip(snakemake.input.archives, snakemake.params.editions, strict=True))
    code_lists = dict(zip(snakemake.params.code_years, snakemake.input.code_lists, strict=True))
    tables = unpacked_tables(snakemake.input.tables, archives)
    keys, register, totals = city_keys_table(tables, snakemake.input.city_gdp[0], code_lists)
    matched = keys["matched_by"].value_counts().to_dict()
    log.info("%d tables, %d key values; names matched: %s", len(tables), len(keys), matched)
    write_csv(keys, snakemake.output.city_keys)
    write_csv(register, snakemake.output.register)
    write_csv(totals, snakemake.output.printed_totals)
