rule plot_gallery:
    input:
        values="results/tables/digital_economy_va.csv",
        totals="results/tables/digital_economy_total.csv",
        backtest="results/validation/backtest.csv",
        share="results/tables/wide/share_of_gdp.csv",
        code=package_modules("outputs.plots", "outputs.gallery"),
        style=str(PACKAGE / "data" / "digecon.mplstyle"),
    output:
        figures=report(
            directory("results/gallery/{kind}/figures"),
            patterns=["{name}.png"],
            caption="../report/gallery.rst",
            category="Gallery",
            subcategory="{kind}",
        ),
        data=directory("results/gallery/{kind}/data"),
        thumbs=directory("results/gallery/{kind}/thumbs"),
        figure_list="results/gallery/{kind}/items.json",
    log:
        "logs/plot_gallery_{kind}.log",
    benchmark:
        "benchmarks/plot_gallery_{kind}.tsv"
    wildcard_constraints:
        kind="|".join(GALLERY_KINDS),
    conda:
        "../envs/digecon.yaml"
    params:
        method=config["estimate"]["recommended_method"],
        convention=config["estimate"]["recommended_convention"],
        language=config["plots"]["language"],
        vintage=caption_vintage(),
        root=lambda wildcards, output: Path(output.figure_list).parent.parent,
    message:
        "Drawing the {wildcards.kind} figures of the gallery"
    script:
        "../scripts/plot_gallery.py"


rule build_gallery:
    input:
        figure_lists=expand("results/gallery/{kind}/items.json", kind=GALLERY_KINDS),
        code=package_modules("outputs.gallery"),
    output:
        page="results/gallery/index.html",
    log:
        "logs/build_gallery.log",
    conda:
        "../envs/digecon.yaml"
    params:
        method=config["estimate"]["recommended_method"],
        convention=config["estimate"]["recommended_convention"],
        sources=data_sources(),
    message:
        "Writing the offline gallery page"
    script:
        "../scripts/build_gallery.py"
