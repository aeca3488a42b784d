# Scenarios (``scenarios:`` in the configuration) run through the same rules as the main run, with
# {run} = scenarios/<name>/ (common.smk); this rule puts their recommended totals beside the run's.


rule compare_scenarios:
    input:
        totals=expand(rules.estimate_digital_economy.output.totals, run=list(RUNS)),
        code=package_code("outputs"),
    output:
        comparison="results/scenarios/comparison.csv",
        page="results/scenarios/index.html",
        figure="results/scenarios/figures/scenario_comparison.svg",
        settings=expand("results/scenarios/{name}/settings.yaml", name=list(SCENARIOS)),
    log:
        "logs/compare_scenarios.log",
    benchmark:
        "benchmarks/compare_scenarios.tsv"
    conda:
        "../envs/digecon.yaml"
    # measured: peak 201 MB resident, 12.1 s on a busy 2-core machine; one thread
    threads: 1
    resources:
        mem_mb=600,
        runtime=5,
    params:
        layers=SCENARIO_LAYERS,
        # every scenario's whole effective configuration, written beside its results
        scenarios={name: s.as_dict() for name, s in SCENARIOS.items()},
        settings=_subset(
            SETTINGS, ["estimate", "plots.language", "export.csv_encoding"]
        ),
    message:
        "Comparing {} scenarios with the run".format(len(SCENARIOS))
    script:
        "../scripts/compare_scenarios.py"
