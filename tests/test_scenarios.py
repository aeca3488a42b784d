"""Scenarios: named partial configurations merged over the run's, estimated on their own and compared."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest

from digecon.core.errors import ConfigError
from digecon.core.settings import scenario_settings
from digecon.estimation.methods import METHODS
from digecon.outputs import plots
from digecon.outputs.scenarios import compare_scenarios, recommended_totals, write_comparison
from tests.synthetic import copy_project, snakemake

REPO = Path(__file__).resolve().parents[1]


def test_a_scenario_changes_only_its_keys() -> None:
    config = {
        "estimate": {"first_year": 2005},
        "scenarios": {"media": {"ratios": {"news_publishing_share": 0.5}}},
    }
    (media,) = scenario_settings(config, known_methods=METHODS).values()
    assert media.ratios.news_publishing_share == 0.5
    assert media.estimate.first_year == 2005  # the run's own key, kept
    assert scenario_settings({}) == {}


@pytest.mark.parametrize(
    ("scenarios", "expected"),
    [
        ({"main": {}}, "scenarios.main: not a scenario name"),
        ({"x": {"retrieve": {"mirror": "/data"}}}, "scenarios.x.retrieve: unknown key"),
        ({"x": {"estimate": {"recommended_method": "hold", "methods": ["linear"]}}}, "scenarios.x: estimate."),
        ({"x": {"estimate": {"methods": ["linear", "loess"]}}}, "scenarios.x: estimate.methods: unknown method"),
    ],
)
def test_a_wrong_scenario_is_named(scenarios: dict, expected: str) -> None:
    with pytest.raises(ConfigError) as raised:
        scenario_settings({"scenarios": scenarios}, known_methods=METHODS)
    assert expected in raised.value.message()


def _totals(values: dict[tuple[int, int], float], method: str = "linear") -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "province_code": code,
                "province": str(code),
                "province_en": str(code),
                "year": year,
                "method": method,
                "convention": "share",
                "value_100m_yuan": value,
            }
            for (code, year), value in values.items()
        ]
    )


def test_the_comparison_sums_the_provinces_and_measures_the_spread() -> None:
    main = recommended_totals(
        _totals({(110000, 2020): 10.0, (120000, 2020): 30.0}), method="linear", convention="share"
    )
    other = recommended_totals(
        _totals({(110000, 2020): 12.0, (120000, 2020): 27.0}, method="hold"), method="hold", convention="share"
    )
    comparison = compare_scenarios({"main": main, "other": other}).set_index("province_code")
    assert comparison.loc[0, "main"] == 40.0 and comparison.loc[0, "other"] == 39.0
    assert comparison.loc[110000, "spread_100m_yuan"] == pytest.approx(2.0)
    assert comparison.loc[110000, "spread_percent_of_main"] == pytest.approx(20.0)
    assert comparison.loc[120000, "lowest_100m_yuan"] == 27.0


@pytest.mark.parametrize("font", ["packaged", "none"])
def test_the_chinese_comparison_figure_draws_no_empty_boxes(
    font: str, no_system_cjk_font: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # on a machine without a system CJK font: Chinese with the packaged font, else English throughout
    if font == "none":
        monkeypatch.setattr(plots, "PACKAGED_CJK", ("digecon_no_such_font", "none.ttc", "Noto Sans CJK SC"))
    main = recommended_totals(
        _totals({(110000, 2020): 10.0, (120000, 2020): 30.0}), method="linear", convention="share"
    )
    other = recommended_totals(
        _totals({(110000, 2020): 12.0, (120000, 2020): 27.0}, method="hold"), method="hold", convention="share"
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        written = write_comparison(
            compare_scenarios({"main": main, "other": other}),
            tmp_path,
            scenarios={"main": {}, "other": {"estimate": {"recommended_method": "hold"}}},
            recommended={"main": "linear / share", "other": "hold / share"},
            language="zh",
            run_date="2026-01-01",
        )
    assert [str(w.message) for w in caught if "missing from font" in str(w.message)] == []
    assert (tmp_path / "figures" / "scenario_comparison.png") in written


def test_a_scenario_without_a_year_of_the_run_is_refused() -> None:
    main = recommended_totals(
        _totals({(110000, 2020): 10.0, (110000, 2021): 11.0}), method="linear", convention="share"
    )
    short = recommended_totals(_totals({(110000, 2020): 10.0}), method="linear", convention="share")
    with pytest.raises(ValueError, match=r"\['short'\] lack provinces or years"):
        compare_scenarios({"main": main, "short": short})


@pytest.fixture(scope="module")
def compared(synthetic_run: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The synthetic run, then its example scenarios added (config/test/scenarios.yaml)."""
    folder = copy_project(synthetic_run, tmp_path_factory.mktemp("scenarios") / "project")
    result = snakemake(folder, "--cores", "2", configfiles=("config/test/scenarios.yaml",))
    assert result.returncode == 0, result.stderr[-4000:]
    return folder


def test_a_scenario_reuses_the_runs_tables_and_costs_one_estimate_job(compared: Path) -> None:
    """Each example scenario costs one estimate job.

    They change only which estimate is recommended: every table the estimate reads is the run's own.
    """
    ran = sorted(p.parent.name for p in (compared / "logs/scenarios").glob("*/*.log"))
    assert ran == ["benchmark_convention", "chow_lin"]
    assert {p.name for p in (compared / "logs/scenarios").glob("*/*.log")} == {"estimate_digital_economy.log"}
    ingested = ("yearbook.csv", "io_tables.csv", "ratios.csv", "national_tables.csv")
    assert not [p for name in ingested for p in (compared / "data/processed/scenarios").glob(f"*/{name}")]


def test_the_example_scenarios_reproduce_the_runs_own_rows(compared: Path) -> None:
    # Each example scenario changes only which estimate is recommended, so its totals must be the
    # run's own rows of that method and convention, province by province and year by year.
    comparison = pd.read_csv(compared / "results/scenarios/comparison.csv")
    totals = pd.read_csv(compared / "results/tables/digital_economy_total.csv")
    for scenario, method, convention in [
        ("chow_lin", "chow_lin", "share"),
        ("benchmark_convention", "linear", "benchmark"),
    ]:
        own = totals[(totals["method"] == method) & (totals["convention"] == convention)]
        merged = comparison.merge(own, on=["province_code", "year"])
        assert len(merged) == len(own) > 0
        assert (merged[scenario] - merged["value_100m_yuan"]).abs().max() < 1e-4  # rounded to 1 万元
    assert (comparison["lowest_100m_yuan"] <= comparison["main"]).all()
    assert (comparison["main"] <= comparison["highest_100m_yuan"]).all()


def test_each_scenario_records_its_settings_and_the_page_links_the_table(compared: Path) -> None:
    scenarios = compared / "results/scenarios"
    assert "recommended_method: chow_lin" in (scenarios / "chow_lin/settings.yaml").read_text(encoding="utf-8")
    page = (scenarios / "index.html").read_text(encoding="utf-8")
    assert 'href="comparison.csv"' in page and "benchmark_convention" in page
    assert (scenarios / "figures/scenario_comparison.svg").stat().st_size > 0
    # the scenario went through the run's own rules, with its own folder
    assert (compared / "logs/scenarios/chow_lin/estimate_digital_economy.log").exists()
    assert (scenarios / "chow_lin/tables/digital_economy_va.csv").exists()
