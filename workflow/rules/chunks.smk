# The estimate and backtest in chunks of regions (estimate.chunks > 1), the stages of
# digecon.estimation.stages as jobs: a plan over every region, then per chunk the pooling statistics,
# the backtest and the values, each followed by a gather that makes the decisions pooling every region
# (Chow-Lin's rho, the chain choices, the band rule). estimate_digital_economy is the final gather; the
# results are those of one chunk, table for table. With estimate.chunks = 1 none of these jobs runs.

CHUNK = "data/processed/chunks"
STAGE_INPUTS = {
    "io_tables": rules.ingest_io_tables.output.io_tables,
    "yearbook": rules.prepare_yearbook.output.yearbook,
    "ratios": rules.compute_ratios.output.ratios,
    "plan": f"{CHUNK}/plan",
    "code": package_code("estimation"),
}


rule plan_chunks:
    input:
        io_tables=rules.ingest_io_tables.output.io_tables,
        yearbook=rules.prepare_yearbook.output.yearbook,
        code=package_code("estimation"),
    output:
        plan=directory(f"{CHUNK}/plan"),
        assignment=f"{CHUNK}/assignment.csv",
    log:
        "logs/chunks/plan.log",
    benchmark:
        "benchmarks/plan_chunks.tsv"
    conda:
        "../envs/digecon.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=15,
    params:
        settings=SETTINGS.as_dict(),
    message:
        "Planning the estimate in {} chunks of regions".format(SETTINGS.estimate.chunks)
    script:
        "../scripts/chunks/plan.py"


rule chunk_statistics:
    input:
        **STAGE_INPUTS,
        assignment=rules.plan_chunks.output.assignment,
    output:
        f"{CHUNK}/{{chunk}}/statistics.parquet",
    log:
        "logs/chunks/statistics_{chunk}.log",
    benchmark:
        "benchmarks/chunk_statistics_{chunk}.tsv"
    conda:
        "../envs/digecon.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=15,
    params:
        settings=SETTINGS.as_dict(),
    message:
        "Pooling statistics of chunk {wildcards.chunk}"
    script:
        "../scripts/chunks/statistics.py"


rule gather_pooled:
    input:
        expand(rules.chunk_statistics.output, chunk=CHUNKS),
    output:
        f"{CHUNK}/pooled.parquet",
    log:
        "logs/chunks/pooled.log",
    conda:
        "../envs/digecon.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=15,
    message:
        "Choosing the pooled parameters from {} chunks".format(len(CHUNKS))
    script:
        "../scripts/chunks/pooled.py"


rule chunk_backtest:
    input:
        **STAGE_INPUTS,
        assignment=rules.plan_chunks.output.assignment,
        pooled=rules.gather_pooled.output[0],
    output:
        directory(f"{CHUNK}/{{chunk}}/backtest"),
    log:
        "logs/chunks/backtest_{chunk}.log",
    benchmark:
        "benchmarks/chunk_backtest_{chunk}.tsv"
    conda:
        "../envs/digecon.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=15,
    params:
        settings=SETTINGS.as_dict(),
    message:
        "Backtesting every candidate chain in chunk {wildcards.chunk}"
    script:
        "../scripts/chunks/backtest.py"


rule gather_backtest:
    input:
        backtests=expand(rules.chunk_backtest.output, chunk=CHUNKS),
        plan=rules.plan_chunks.output.plan,
    output:
        directory(f"{CHUNK}/choices"),
    log:
        "logs/chunks/choices.log",
    benchmark:
        "benchmarks/gather_backtest.tsv"
    conda:
        "../envs/digecon.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=15,
    params:
        settings=SETTINGS.as_dict(),
    message:
        "Choosing the indicator chains and the band rule from {} chunks".format(
            len(CHUNKS)
        )
    script:
        "../scripts/chunks/choices.py"


rule chunk_values:
    input:
        **STAGE_INPUTS,
        assignment=rules.plan_chunks.output.assignment,
        pooled=rules.gather_pooled.output[0],
        choices=rules.gather_backtest.output[0],
        table_ratios=rules.compute_ratios.output.table_ratios,
    output:
        directory(f"{CHUNK}/{{chunk}}/values"),
    log:
        "logs/chunks/values_{chunk}.log",
    benchmark:
        "benchmarks/chunk_values_{chunk}.tsv"
    conda:
        "../envs/digecon.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=15,
    params:
        settings=SETTINGS.as_dict(),
    message:
        "Estimating the values of chunk {wildcards.chunk}"
    script:
        "../scripts/chunks/values.py"
