"""Distribute the provinces' components over their cities, with keys chosen and errors measured one level up."""

import pandas as pd

from digecon.core.files import write_csv
from digecon.core.logs import logged_run
from digecon.core.settings import settings_from_config
from digecon.estimation.cities import estimate_cities
from digecon.inputs.cities import read_published_cities
from digecon.outputs.cities import city_table, published_comparison

with logged_run(snakemake.log[0]) as log:
    settings = settings_from_config(snakemake.params.settings)
    s, encoding = settings.cities, settings.export.csv_encoding
    method, convention = settings.estimate.recommended_method, settings.estimate.recommended_convention
    values = pd.read_csv(snakemake.input.values)
    values = values[(values["method"] == method) & (values["convention"] == convention)]
    totals = pd.read_csv(snakemake.input.totals)
    totals = totals[(totals["method"] == method) & (totals["convention"] == convention)]
    keys, register = pd.read_csv(snakemake.input.city_keys), pd.read_csv(snakemake.input.register)
    result = estimate_cities(
        values,
        pd.read_csv(snakemake.input.benchmarks),
        pd.read_csv(snakemake.input.yearbook),
        keys,
        register,
        candidates={c: tuple(v) for c, v in s.candidates.items()},
        use=dict(s.use),
        movers=dict(s.movers),
        years=range(s.first_year, s.last_year + 1),
        factor=s.outlier_factor,
        max_distance=s.max_distance_years,
    )
    table = city_table(
        result["estimates"], register, keys, province_totals=totals, method=method, convention=convention
    )
    published = [read_published_cities(path, register) for path in snakemake.input.published]
    comparison = published_comparison(table, published[0]) if published else pd.DataFrame()
    log.info("keys: %s", result["ranking"][result["ranking"]["chosen"]].to_dict("records"))
    out = snakemake.output
    write_csv(table, out.cities, encoding=encoding)
    for name in ("level_up", "summary", "ranking", "screening"):
        write_csv(result[name], out[name], encoding=encoding)
    write_csv(comparison, out.published, encoding=encoding)
