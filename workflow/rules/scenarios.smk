# Scenarios (``scenarios:`` in the configuration): each is estimated on its own, in one job that reads
# its inputs (its own user tables, indicators or census file, if it names any) and runs the same
# estimate as the run, into results/scenarios/<name>/; then one job compares them with the run itself.


rule estimate_scenario:
    input:
        inputs=lambda wildcards: [
            i.path for i in SCENARIO_REGISTRIES[wildcards.scenario].inputs
        ],
        code=package_code("inputs", "estimation"),
    output:
        values="results/scenarios/{scenario}/digital_economy_va.csv",
        totals="results/scenarios/{scenario}/digital_economy_total.csv",
        summary="results/scenarios/{scenario}/backtest_summary.csv",
        settings="results/scenarios/{scenario}/settings.yaml",
    log:
        "logs/estimate_scenario_{scenario}.log",
    benchmark:
        "benchmarks/estimate_scenario_{scenario}.tsv"
    wildcard_constraints:
        scenario="|".join(SCENARIOS) or "no-scenario",
    conda:
        "../envs/digecon.yaml"
    # measured: peak 322 MB resident, 129.1 s on a busy 2-core machine; one thread
    threads: 1
    resources:
        mem_mb=1000,
        runtime=15,
    params:
        # a plain mapping, so that a change of any of its keys triggers a rerun
        config=lambda wildcards: SCENARIOS[wildcards.scenario].as_dict(),
        raw_root=str(RAW_ROOT),
    message:
        "Estimating scenario {wildcards.scenario}"
    script:
        "../scripts/estimate_scenario.py"


rule compare_scenarios:
    input:
        main=rules.estimate_digital_economy.output.totals,
        scenarios=expand(
            rules.estimate_scenario.output.totals, scenario=list(SCENARIOS)
        ),
        code=package_code("outputs"),
    output:
        comparison="results/scenarios/comparison.csv",
        page="results/scenarios/index.html",
        figure="results/scenarios/figures/scenario_comparison.svg",
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
        names=list(SCENARIOS),
        layers=SCENARIO_LAYERS,
        recommended={
            name: [s.estimate.recommended_method, s.estimate.recommended_convention]
            for name, s in {"main": SETTINGS, **SCENARIOS}.items()
        },
        language=SETTINGS.plots.language,
        csv_encoding=SETTINGS.export.csv_encoding,
    message:
        "Comparing {} scenarios with the run".format(len(SCENARIOS))
    script:
        "../scripts/compare_scenarios.py"
