rule plot_gallery:
    input:
        values=rules.estimate_digital_economy.output.values,
        totals=rules.estimate_digital_economy.output.totals,
        backtest=rules.estimate_digital_economy.output.backtest,
        national=rules.estimate_digital_economy.output.national,
        code=package_code("outputs"),
        style=str(PACKAGE / "data" / "digecon.mplstyle"),
    output:
        figures=report(
            directory("results/gallery_parts/{kind}/figures"),
            patterns=["{name}.png"],
            caption="../report/gallery.rst",
            category="Gallery",
            subcategory="{kind}",
        ),
        data=directory("results/gallery_parts/{kind}/data"),
        thumbs=directory("results/gallery_parts/{kind}/thumbs"),
        figure_list="results/gallery_parts/{kind}/items.json",
    log:
        "logs/plot_gallery_{kind}.log",
    benchmark:
        "benchmarks/plot_gallery_{kind}.tsv"
    wildcard_constraints:
        kind="|".join(GALLERY_KINDS),
    conda:
        "../envs/digecon.yaml"
    params:
        method=SETTINGS.estimate.recommended_method,
        convention=SETTINGS.estimate.recommended_convention,
        language=SETTINGS.plots.language,
        root=lambda wildcards, output: Path(output.figure_list).parent.parent,
    message:
        "Drawing the {wildcards.kind} figures of the gallery"
    script:
        "../scripts/plot_gallery.py"


rule build_gallery:
    input:
        figure_lists=expand(
            rules.plot_gallery.output.figure_list, kind=list(GALLERY_KINDS)
        ),
        code=package_code("outputs"),
    output:
        # The gallery folder itself is not a job output (Snakemake would delete it before the job):
        # the job builds it anew beside the old one and swaps it in whole; this list records it.
        published="results/gallery.json",
    log:
        "logs/build_gallery.log",
    conda:
        "../envs/digecon.yaml"
    params:
        method=SETTINGS.estimate.recommended_method,
        convention=SETTINGS.estimate.recommended_convention,
        sources=data_sources(),
        gallery=lambda wildcards, output: Path(output.published).with_suffix(""),
    message:
        "Writing the offline gallery page"
    script:
        "../scripts/build_gallery.py"
