"""The estimate in chunks of regions gives the unchunked result, table for table (digecon.estimation.stages).

The synthetic regions are those of benchmarks/scale_benchmark.py, made uneven where a pooled
decision could notice: one region has only the last two rounds (its own design labels), one
lacks the C39 revenue that leads a candidate chain, and the chunks are run through parquet files
as the workflow passes them.
"""

from __future__ import annotations

import dataclasses
import importlib.util
from pathlib import Path

import pandas as pd
import pytest

from digecon import api
from digecon.core.settings import EstimateSettings, IndicatorSettings
from digecon.estimation import stages

BENCHMARK = Path(__file__).resolve().parents[1] / "benchmarks" / "scale_benchmark.py"
OPTIONS = {
    "years": range(2000, 2025),
    "methods": ["hold", "linear", "spline", "chow_lin"],
    "conventions": ["share", "benchmark"],
    "break_threshold": 0.5,
}


def generator():
    """The benchmark's module (benchmarks/ is not a package)."""
    spec = importlib.util.spec_from_file_location("scale_benchmark", BENCHMARK)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def inputs() -> dict[str, pd.DataFrame]:
    made = generator().synthetic_inputs(9, seed=5)
    short, no_revenue = 900005, 900002  # in the middle chunk of three
    io = made["io_tables"]
    made["io_tables"] = io[~((io["province_code"] == short) & (io["year"] < 2017))].reset_index(drop=True)
    yearbook = made["yearbook"]
    lacking = (yearbook["province_code"] == no_revenue) & (yearbook["indicator"] == "C39主营业务收入")
    made["yearbook"] = yearbook[~lacking].reset_index(drop=True)
    return made


@pytest.fixture(scope="module")
def unchunked(inputs: dict[str, pd.DataFrame]) -> api.Result:
    return api.estimate_tables(**inputs, **OPTIONS)


def assert_same(left: api.Result, right: api.Result) -> None:
    for field in dataclasses.fields(api.Result):
        a, b = getattr(left, field.name), getattr(right, field.name)
        if isinstance(a, pd.DataFrame):
            pd.testing.assert_frame_equal(a, b, check_exact=True, obj=field.name)
        else:
            assert a == b, field.name


@pytest.mark.parametrize("chunks", [2, 3])
def test_chunks_give_the_unchunked_result(inputs: dict[str, pd.DataFrame], unchunked, chunks: int) -> None:
    assert_same(unchunked, api.estimate_tables_chunked(**inputs, **OPTIONS, chunks=chunks))


def test_the_uneven_regions_reach_the_pooled_tables(unchunked: api.Result) -> None:
    assert "2022 from 2017" in set(unchunked.backtest["design_label"])
    notes = unchunked.chain_comparison["note"].fillna("")
    assert notes.str.contains("900002").any()  # led there by the next indicator
    assert len(unchunked.totals) == 9 * 25 * 4 * 2  # regions that are not provinces keep their totals


def test_stages_through_parquet_files_give_the_same_result(
    inputs: dict[str, pd.DataFrame], unchunked: api.Result, tmp_path: Path
) -> None:
    chains = IndicatorSettings().chains
    common = {
        "chains": chains,
        "methods": OPTIONS["methods"],
        "conventions": OPTIONS["conventions"],
        "recommended_method": EstimateSettings().recommended_method,
        "recommended_convention": EstimateSettings().recommended_convention,
    }
    bases = IndicatorSettings().price_base_changes
    stages.save_stage(
        stages.plan_estimate(
            inputs["io_tables"], inputs["yearbook"], years=OPTIONS["years"], chains=chains, price_base_changes=bases
        ),
        tmp_path / "plan",
    )
    plan = stages.load_stage(stages.Plan, tmp_path / "plan")
    assignment = stages.region_chunks(inputs["io_tables"], inputs["yearbook"], 3)
    parts = {
        n: [stages.chunk_rows(inputs[k], assignment, n) for k in ("io_tables", "yearbook", "ratios")]
        for n in sorted(assignment["chunk"].unique())
    }
    for n, part in parts.items():
        stages.chunk_pool_statistics(*part, plan, **common).to_parquet(tmp_path / f"statistics_{n}.parquet")
    statistics = [pd.read_parquet(tmp_path / f"statistics_{n}.parquet") for n in parts]
    stages.gather_pooled(statistics).to_parquet(tmp_path / "pooled.parquet")
    pooled = pd.read_parquet(tmp_path / "pooled.parquet")
    for n, part in parts.items():
        stages.save_stage(stages.chunk_backtest(*part, plan, pooled, **common), tmp_path / f"backtest_{n}")
    backtests = [stages.load_stage(stages.ChunkBacktest, tmp_path / f"backtest_{n}") for n in reversed(parts)]
    stages.save_stage(stages.gather_backtest(backtests, plan, **common), tmp_path / "choices")
    decided = stages.load_stage(stages.Choices, tmp_path / "choices")
    for n, part in parts.items():
        chunk = stages.chunk_values(
            *part,
            plan,
            pooled,
            decided.choices,
            decided.band_rule,
            years=OPTIONS["years"],
            break_threshold=OPTIONS["break_threshold"],
            table_ratios=inputs["table_ratios"],
            **common,
        )
        stages.save_stage(chunk, tmp_path / f"values_{n}")
    values = [stages.load_stage(stages.ChunkValues, tmp_path / f"values_{n}") for n in parts]
    result = stages.gather_results(
        values,
        decided,
        chains=chains,
        component_check_factor=IndicatorSettings().component_check_factor,
        national_tables=inputs["national_tables"],
        national_ratios=inputs["national_ratios"],
    )
    assert_same(unchunked, result)


def test_region_chunks_are_consecutive_codes_with_the_nation_in_the_first(inputs: dict[str, pd.DataFrame]) -> None:
    assignment = stages.region_chunks(inputs["io_tables"], inputs["yearbook"], 4)
    assert assignment.iloc[0].tolist() == [0, 0]
    regional = assignment[assignment["province_code"] != 0]
    assert regional["chunk"].is_monotonic_increasing and regional["province_code"].is_monotonic_increasing
    assert sorted(regional["chunk"].unique()) == [0, 1, 2, 3]
