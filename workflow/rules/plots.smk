rule plot_gallery:
    input:
        values=rules.estimate_digital_economy.output.values,
        totals=rules.estimate_digital_economy.output.totals,
        backtest=rules.estimate_digital_economy.output.backtest,
        national=rules.estimate_digital_economy.output.national_consistency,
        panel=overview_only(rules.export_panel.output.csv),
        code=package_code("outputs"),
        style=str(PACKAGE / "data" / "digecon.mplstyle"),
    output:
        figures=report(
            directory("results/{run}gallery_parts/{kind}/figures"),
            patterns=["{name}.png"],
            caption="../report/gallery.rst",
            category="Gallery",
            subcategory="{kind}",
        ),
        data=directory("results/{run}gallery_parts/{kind}/data"),
        thumbs=directory("results/{run}gallery_parts/{kind}/thumbs"),
        figure_list="results/{run}gallery_parts/{kind}/items.json",
    log:
        "logs/{run}plot_gallery_{kind}.log",
    benchmark:
        "benchmarks/{run}plot_gallery_{kind}.tsv"
    wildcard_constraints:
        kind="|".join(GALLERY_KINDS),
    conda:
        "../envs/digecon.yaml"
    # measured: peak 421 MB resident (overview), 17 s on a quiet 2-core machine; one thread
    threads: 1
    resources:
        mem_mb=1200,
        runtime=15,
    params:
        settings=settings_of(
            "estimate.recommended_method", "estimate.recommended_convention", "plots"
        ),
        root=lambda wildcards, output: Path(output.figure_list).parent.parent,
    message:
        "Drawing the {wildcards.kind} figures of the gallery"
    script:
        "../scripts/plot_gallery.py"


rule build_gallery:
    input:
        figure_lists=expand(
            rules.plot_gallery.output.figure_list,
            kind=list(GALLERY_KINDS),
            allow_missing=True,
        ),
        chain_comparison=rules.estimate_digital_economy.output.chain_comparison,
        # the scenario page the main run's gallery links to (a function: that rule is defined later)
        scenarios_page=lambda wildcards: (
            rules.compare_scenarios.output.page
            if SCENARIOS and not wildcards.run
            else []
        ),
        # the city page, likewise (the main run only, with the city inputs)
        cities_page=lambda wildcards: (
            rules.plot_cities.output.page if CITIES and not wildcards.run else []
        ),
        code=package_code("outputs"),
    output:
        # The gallery folder itself is not a job output (Snakemake would delete it before the job):
        # the job builds it anew beside the old one and swaps it in whole; this list records it.
        published="results/{run}gallery.json",
    log:
        "logs/{run}build_gallery.log",
    benchmark:
        "benchmarks/{run}build_gallery.tsv"
    conda:
        "../envs/digecon.yaml"
    # measured: peak 187 MB resident, 1.0 s on a quiet 2-core machine; one thread
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        # everything the page's footer says about the run
        settings=settings_of(
            "estimate.recommended_method",
            "estimate.recommended_convention",
            "estimate.first_year",
            "estimate.last_year",
            "prices.base_year",
            "indicators.chains",
            "plots",
        ),
        version=digecon.__version__,
        sources=retrieved_sources(),
        user_files=lambda wildcards: len(REGISTRIES[wildcards.run].user_paths()),
        scenarios=lambda wildcards: [] if wildcards.run else list(SCENARIOS),
        gallery=lambda wildcards, output: Path(output.published).with_suffix(""),
    message:
        "Writing the offline gallery page"
    script:
        "../scripts/build_gallery.py"
