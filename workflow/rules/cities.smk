# The city stage: each province's components distributed over its prefecture-level cities, with keys
# chosen and bands measured one level up (digecon.estimation.cities). Runs when the manifest lists the
# city yearbook, city GDP and code lists (the built-in data); a run without them has no city stage.
# The main run only: a scenario's provinces are compared with the main run's, not split into cities.
CITY_ARCHIVES = REGISTRY.of("city_yearbook")
CODE_LISTS = REGISTRY.of("area_codes")
CITY_GDP = REGISTRY.paths("city_gdp")
CITIES = bool(CITY_ARCHIVES and CODE_LISTS and CITY_GDP)
CITY_PANEL = {
    kind: f"results/tables/city_panel.{kind}"
    for kind in ("csv", "dta", "parquet", "xlsx")
}

if CITIES:

    rule unpack_city_yearbook:
        input:
            archives=[i.path for i in CITY_ARCHIVES],
            code=package_code("inputs"),
        output:
            # written only here, never beside the archives
            tables=directory("data/processed/city_yearbook"),
        log:
            "logs/unpack_city_yearbook.log",
        benchmark:
            "benchmarks/unpack_city_yearbook.tsv"
        conda:
            "../envs/digecon.yaml"
        threads: 1
        resources:
            mem_mb=300,
            runtime=5,
        message:
            "Unpacking the city yearbook tables of {} editions".format(
                len(CITY_ARCHIVES)
            )
        script:
            "../scripts/unpack_city_yearbook.py"

    rule read_city_keys:
        input:
            tables=rules.unpack_city_yearbook.output.tables,
            archives=[i.path for i in CITY_ARCHIVES],
            city_gdp=CITY_GDP,
            code_lists=[i.path for i in CODE_LISTS],
            variants=str(PACKAGE / "data" / "city_name_variants.csv"),
            boundaries=str(PACKAGE / "data" / "city_boundary_changes.csv"),
            code=package_code("inputs"),
        output:
            city_keys="data/processed/city_keys.csv",
            register="data/processed/city_register.csv",
            printed_totals="data/processed/city_printed_totals.csv",
        log:
            "logs/read_city_keys.log",
        benchmark:
            "benchmarks/read_city_keys.tsv"
        conda:
            "../envs/digecon.yaml"
        threads: 1
        resources:
            mem_mb=600,
            runtime=5,
        params:
            editions=[i.year for i in CITY_ARCHIVES],
            code_years=[i.year for i in CODE_LISTS],
        message:
            "Reading the city keys and matching city names to their codes"
        script:
            "../scripts/read_city_keys.py"

    rule estimate_cities:
        input:
            values=main_run(rules.estimate_digital_economy.output.values),
            totals=main_run(rules.estimate_digital_economy.output.totals),
            benchmarks=main_run(rules.estimate_digital_economy.output.benchmarks),
            yearbook=main_run(rules.prepare_yearbook.output.yearbook),
            city_keys=rules.read_city_keys.output.city_keys,
            register=rules.read_city_keys.output.register,
            published=REGISTRY.paths("published_cities"),
            code=package_code("inputs", "estimation", "outputs"),
        output:
            cities="results/tables/city_digital_economy_va.csv",
            level_up="results/cities/level_up_errors.csv",
            summary="results/cities/level_up_summary.csv",
            ranking="results/cities/key_ranking.csv",
            screening="results/cities/key_screening.csv",
            published="results/cities/published_comparison.csv",
        log:
            "logs/estimate_cities.log",
        benchmark:
            "benchmarks/estimate_cities.tsv"
        conda:
            "../envs/digecon.yaml"
        threads: 1
        resources:
            mem_mb=1000,
            runtime=10,
        params:
            settings=_subset(
                SETTINGS,
                (
                    "cities",
                    "estimate.recommended_method",
                    "estimate.recommended_convention",
                    "export",
                ),
            ),
        message:
            "Distributing the provinces' components over their cities"
        script:
            "../scripts/estimate_cities.py"

    rule export_city_panel:
        input:
            cities=rules.estimate_cities.output.cities,
            code=package_code("outputs"),
        output:
            **CITY_PANEL,
        log:
            "logs/export_city_panel.log",
        benchmark:
            "benchmarks/export_city_panel.tsv"
        conda:
            "../envs/digecon.yaml"
        threads: 1
        resources:
            mem_mb=600,
            runtime=5,
        params:
            settings=_subset(SETTINGS, ("export",)),
        message:
            "Writing the city panel (CSV, Stata, Parquet, Excel)"
        script:
            "../scripts/export_city_panel.py"

    rule plot_cities:
        input:
            cities=rules.estimate_cities.output.cities,
            summary=rules.estimate_cities.output.summary,
            ranking=rules.estimate_cities.output.ranking,
            benchmarks=main_run(rules.estimate_digital_economy.output.benchmarks),
            code=package_code("outputs"),
            style=str(PACKAGE / "data" / "digecon.mplstyle"),
        output:
            page="results/cities/index.html",
        log:
            "logs/plot_cities.log",
        benchmark:
            "benchmarks/plot_cities.tsv"
        conda:
            "../envs/digecon.yaml"
        threads: 1
        resources:
            mem_mb=800,
            runtime=5,
        params:
            settings=_subset(
                SETTINGS,
                (
                    "plots",
                    "estimate.recommended_method",
                    "estimate.recommended_convention",
                ),
            ),
        message:
            "Drawing the city page of the gallery"
        script:
            "../scripts/plot_cities.py"
