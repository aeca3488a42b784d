"""The estimator on a toy economy whose answers are known by hand, plus its invariants."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import digecon
from digecon.core.errors import InputError
from digecon.core.settings import ComponentChains, Settings
from digecon.estimation import methods
from digecon.estimation.chains import Candidate, chain_benchmarks, chain_series
from digecon.estimation.estimate import (
    COMPONENTS,
    annual_paths,
    benchmark_coefficients,
    benchmark_components,
    io_aggregates,
)
from digecon.estimation.indicators import CHAINS, indicator_series
from digecon.estimation.methods import Method, MethodPath
from digecon.outputs.export import wide_tables
from digecon.outputs.summaries import summary_markdown

YEARS = list(range(2002, 2013))
BENCHMARKS = (2002, 2007, 2012)
# sector -> (aggregate flags); VA in 万元 per benchmark year below
SECTORS = {
    "electronics": {"industry": 1, "other_services": 0},
    "machinery": {"industry": 1, "other_services": 0},
    "information": {"industry": 0, "other_services": 1},
    "culture": {"industry": 0, "other_services": 1},
    "finance": {"industry": 0, "other_services": 0},
}


def toy_io(scale: float = 1.0) -> pd.DataFrame:
    """Build the IO tables of province 110000 in 2002, 2007 and 2012, times ``scale``.

    Electronics 100 / 200 / 300 亿元 of industry 1000 / 1600 / 2000, information 50 / 80 / 120 and
    culture 20 / 30 / 40 of other services 500 / 800 / 1000.
    """
    va = {
        2002: {"electronics": 100, "machinery": 900, "information": 50, "culture": 20, "finance": 70},
        2007: {"electronics": 200, "machinery": 1400, "information": 80, "culture": 30, "finance": 90},
        2012: {"electronics": 300, "machinery": 1700, "information": 120, "culture": 40, "finance": 100},
    }
    rows = []
    for year, sectors in va.items():
        for key, value in sectors.items():
            other = {2002: 430, 2007: 690, 2012: 840}[year] if key == "finance" else 0
            rows.append(
                {
                    "province_code": 110000,
                    "year": year,
                    "sector_key": key,
                    "value_added": value * 1e4 * scale,
                    "source_file": f"{year}/1北京.xls",
                    **SECTORS[key],
                }
            )
            if other:  # the rest of other services, so that the aggregate is 500 / 800 / 1000
                rows.append(
                    {
                        "province_code": 110000,
                        "year": year,
                        "sector_key": "rest",
                        "value_added": other * 1e4 * scale,
                        "source_file": f"{year}/1北京.xls",
                        "industry": 0,
                        "other_services": 1,
                    }
                )
    return pd.DataFrame(rows)


def toy_yearbook(scale: float = 1.0, other_until: int = 2012) -> pd.DataFrame:
    """工业 grows 10 % a year from 1100; 其他行业 from 550 (until ``other_until``), 第三产业 = 2 x 其他行业."""
    rows = []
    for i, year in enumerate(YEARS):
        industry, other = 1100 * 1.1**i * scale, 550 * 1.1**i * scale
        rows.append((110000, year, "工业增加值", industry))
        rows.append((110000, year, "第三产业增加值", 2 * other))
        rows.append((110000, year, "地区生产总值", 4 * industry))
        if year <= other_until:
            rows.append((110000, year, "其他行业增加值", other))
    frame = pd.DataFrame(rows, columns=["province_code", "year", "indicator", "value"])
    return frame.assign(unit="亿元", source="toy.csv")


def toy_ratios(s_i63: float = 0.4, r_media: float = 0.5) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"io_year": y, "province_code": 110000, "ratio": r, "value": v, "ratio_source": "toy"}
            for y in BENCHMARKS
            for r, v in (("s_I63", s_i63), ("r_media", r_media))
        ]
    )


def settings_for(
    years=YEARS, methods=("hold", "linear"), conventions=("share", "benchmark"), chains: ComponentChains | None = None
) -> Settings:
    """The default settings with these output years, methods, conventions and chains."""
    base = Settings()
    estimate = dataclasses.replace(
        base.estimate,
        first_year=min(years),
        last_year=max(years),
        methods=tuple(methods),
        conventions=tuple(conventions),
    )
    indicators = dataclasses.replace(base.indicators, chains=chains or base.indicators.chains)
    return dataclasses.replace(base, estimate=estimate, indicators=indicators)


def run(methods=("hold", "linear"), conventions=("share", "benchmark"), scale: float = 1.0, years=YEARS, **kwargs):
    inputs = digecon.Inputs(toy_io(scale), toy_yearbook(scale, **kwargs), toy_ratios())
    return digecon.estimate(inputs, settings_for(years, methods, conventions))


def value(result, year: int, component: str, method: str, convention: str) -> pd.Series:
    v = result.values
    return v[
        (v["year"] == year) & (v["component"] == component) & (v["method"] == method) & (v["convention"] == convention)
    ].iloc[0]


def test_benchmark_components_by_hand() -> None:
    b = run().benchmarks.set_index(["year", "component"])
    assert b.loc[(2007, "electronics"), "benchmark_value_100m_yuan"] == pytest.approx(200)
    assert b.loc[(2007, "telecom"), "benchmark_value_100m_yuan"] == pytest.approx(0.4 * 80)
    assert b.loc[(2007, "it_services"), "benchmark_value_100m_yuan"] == pytest.approx(0.6 * 80)
    assert b.loc[(2007, "media"), "benchmark_value_100m_yuan"] == pytest.approx(0.5 * 30)
    assert b.loc[(2007, "electronics"), "aggregate_va_100m_yuan"] == pytest.approx(1600)
    assert b.loc[(2007, "media"), "aggregate_va_100m_yuan"] == pytest.approx(800)


def test_share_convention_applies_io_share_to_the_yearbook() -> None:
    result = run()
    x_2007 = 1100 * 1.1**5
    row = value(result, 2007, "electronics", "hold", "share")
    assert row["coefficient"] == pytest.approx(200 / 1600)
    assert row["value_100m_yuan"] == pytest.approx(200 / 1600 * x_2007)
    assert row["flag"] == "benchmark" and row["lower_100m_yuan"] == row["upper_100m_yuan"] == row["value_100m_yuan"]
    # 2009 with hold: the 2007 share; with linear: 2/5 of the way to the 2012 share (300 / 2000)
    x_2009 = 1100 * 1.1**7
    assert value(result, 2009, "electronics", "hold", "share")["value_100m_yuan"] == pytest.approx(0.125 * x_2009)
    linear = 0.125 + (0.15 - 0.125) * 2 / 5
    assert value(result, 2009, "electronics", "linear", "share")["value_100m_yuan"] == pytest.approx(linear * x_2009)


def test_benchmark_convention_reproduces_the_tables() -> None:
    result = run()
    for year, expected in ((2002, 100), (2007, 200), (2012, 300)):
        assert value(result, year, "electronics", "linear", "benchmark")["value_100m_yuan"] == pytest.approx(expected)
    assert value(result, 2012, "media", "hold", "benchmark")["value_100m_yuan"] == pytest.approx(20)


def test_spliced_indicator_is_flagged_and_keeps_the_level() -> None:
    series = indicator_series(toy_yearbook(other_until=2009), YEARS)
    other = series[series["aggregate"] == "other_services"].set_index("year")
    assert not other.loc[2009, "spliced"] and other.loc[2010, "spliced"]
    # 第三产业 = 2 x 其他行业, so the splice factor is 0.5 and the level is unchanged
    assert other.loc[2011, "indicator_100m_yuan"] == pytest.approx(550 * 1.1**9)
    assert "spliced: 第三产业增加值 x 0.5000, ratio in 2009" in other.loc[2011, "indicator"]


def test_missing_indicator_years_are_an_error() -> None:
    yearbook = toy_yearbook()
    yearbook = yearbook[~((yearbook["year"] == 2005) & yearbook["indicator"].isin(["工业增加值", "地区生产总值"]))]
    yearbook = yearbook[~(yearbook["year"] == 2005)]
    with pytest.raises(
        InputError, match=r"no 工业增加值 / 第二产业增加值 / 地区生产总值 for province 110000 in \[2005\]"
    ):
        indicator_series(yearbook, YEARS)


def test_non_positive_indicator_is_an_error() -> None:
    yearbook = toy_yearbook()
    yearbook.loc[3, "value"] = 0.0
    with pytest.raises(InputError, match="not positive"):
        indicator_series(yearbook, YEARS)


def test_unknown_method_or_convention() -> None:
    with pytest.raises(ValueError, match="unknown method"):
        run(methods=("hold", "denton"))
    with pytest.raises(ValueError, match="unknown convention"):
        run(conventions=("share", "levels"))


@settings(max_examples=15, deadline=None)
@given(scale=st.floats(0.2, 100))  # below 0.1 the smallest toy benchmark drops under the 1 亿元 error threshold
def test_scaling_the_inputs_scales_the_outputs(scale: float) -> None:
    base = run(methods=("linear", "chow_lin"), conventions=("share",)).values
    scaled = run(methods=("linear", "chow_lin"), conventions=("share",), scale=scale).values
    assert scaled["value_100m_yuan"].to_numpy() == pytest.approx(base["value_100m_yuan"].to_numpy() * scale, rel=1e-6)
    assert scaled["coefficient"].to_numpy() == pytest.approx(base["coefficient"].to_numpy(), rel=1e-6)


def test_components_sum_to_the_wide_total_and_bounds_contain_values() -> None:
    result = run(methods=("linear",), conventions=("share",))
    tables = wide_tables(result.values, result.totals, method="linear", convention="share")
    total = tables["total"].set_index("province_code").loc[110000]
    parts = result.values.groupby("year")["value_100m_yuan"].sum()
    assert np.allclose([total[str(y)] for y in YEARS], parts.loc[YEARS])
    production, circulation = (tables[n].set_index("province_code").loc[110000] for n in ("production", "circulation"))
    assert all(production[str(y)] + circulation[str(y)] == pytest.approx(total[str(y)]) for y in YEARS)
    share = tables["share_of_gdp"].set_index("province_code").loc[110000]
    # published tables are rounded once, to 4 decimals (digecon.outputs.export.round_published)
    assert share["2007"] == pytest.approx(total["2007"] / (4 * 1100 * 1.1**5) * 100, abs=5e-5)
    v = result.values
    assert ((v["lower_100m_yuan"] <= v["value_100m_yuan"]) & (v["value_100m_yuan"] <= v["upper_100m_yuan"])).all()


def toy_chains() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Benchmarks and indicators of the toy economy: electronics carried by 工业, the others by 其他行业."""
    indicators = pd.concat(
        [chain_series(toy_yearbook(), Candidate(c.key, "toy", CHAINS[c.aggregate]), YEARS) for c in COMPONENTS],
        ignore_index=True,
    )
    return chain_benchmarks(
        benchmark_components(toy_io(), toy_ratios()), io_aggregates(toy_io()), indicators
    ), indicators


def toy_coefficients(convention: str = "share") -> tuple[pd.DataFrame, pd.DataFrame]:
    """Benchmark coefficients and indicators of the toy economy (:func:`toy_chains`)."""
    benchmarks, indicators = toy_chains()
    return benchmark_coefficients(benchmarks, indicators, convention), indicators


def test_annual_paths_layout_and_chow_lin_columns() -> None:
    coefficients, indicators = toy_coefficients()
    paths = annual_paths(coefficients, indicators, YEARS, "chow_lin")
    assert len(paths) == 4 * len(YEARS) and (paths["method"] == "chow_lin").all()
    assert list(paths[paths["year"] == 2002]["component"]) == [c.key for c in COMPONENTS]
    between = paths[paths["flag"] == "interpolated"]
    assert between["rho"].notna().all() and (between["se_100m_yuan"] > 0).all()
    assert paths["benchmark_years"].eq("2002,2007,2012").all()
    hold = annual_paths(coefficients, indicators, YEARS, "hold")
    assert hold["rho"].isna().all() and hold["se_100m_yuan"].isna().all()


def test_pool_is_fitted_once_per_component(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []

    def pool(series) -> dict[str, float]:
        calls.append(len(series))
        return {"level": 0.25}

    toy = Method(
        "flat",
        "the pooled level everywhere",
        lambda block, level: MethodPath(np.full((len(block.coefficients), len(block.years)), level)),
        pool,
    )
    monkeypatch.setitem(methods.METHODS, "flat", toy)
    coefficients, indicators = toy_coefficients()
    paths = annual_paths(coefficients, indicators, YEARS, "flat")
    assert calls == [1, 1, 1, 1]  # four components, one province each
    assert (paths["coefficient"] == 0.25).all()


def nearest(block, **pooled) -> MethodPath:
    """Toy method: the coefficient of the nearest benchmark (the earlier one on a tie)."""
    gaps = np.abs(block.years[:, None] - block.benchmark_years[None, :])
    return MethodPath(coefficient=block.coefficients[:, gaps.argmin(axis=1)])


def test_a_registered_toy_method_flows_through_the_estimate_and_the_backtest(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(methods.METHODS, "nearest", Method("nearest", "nearest benchmark's coefficient", nearest))
    result = run(methods=("hold", "nearest"), conventions=("share",))
    # electronics shares 0.1 / 0.125 / 0.15 of industry: 2009 is nearest 2007, 2010 nearest 2012
    assert value(result, 2009, "electronics", "nearest", "share")["coefficient"] == 0.125
    assert value(result, 2010, "electronics", "nearest", "share")["coefficient"] == 0.15
    b = result.backtest.set_index(["design_label", "component", "method"])
    # 2007 from 2002 and 2012, equally near: the tie goes to 2002, so 0.1 against 0.125, APE 0.2
    assert b.loc[("2007 left out (from 2002, 2012)", "electronics", "nearest"), "ape"] == pytest.approx(0.2)
    assert b.loc[("2012 from 2002-2007", "electronics", "nearest"), "ape"] == pytest.approx(1 / 6)
    summary = result.backtest_summary
    assert set(summary["method"]) == {"hold", "nearest"}
    assert summary_markdown(summary, convention="share").splitlines()[0] == "| kind | component | hold | nearest |"
    assert result.values.query("method == 'nearest' and flag == 'interpolated'")["upper_100m_yuan"].notna().all()


def test_the_output_years_do_not_change_the_backtest() -> None:
    full, late = run(methods=("linear", "chow_lin")), run(methods=("linear", "chow_lin"), years=range(2009, 2013))
    assert set(late.values["year"]) == set(range(2009, 2013))
    pd.testing.assert_frame_equal(full.backtest, late.backtest)
    pd.testing.assert_frame_equal(full.backtest_summary, late.backtest_summary)


def ratio_coefficients(basis: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Media carried by a wage bill smaller than its VA: c = V / X = 2, 4, 3 in 2002, 2007, 2012 (X = 10)."""
    coefficients = pd.DataFrame(
        {
            "province_code": 110000,
            "component": "media",
            "year": list(BENCHMARKS),
            "coefficient": [2.0, 4.0, 3.0],
            "coefficient_basis": basis,
        }
    )
    indicators = pd.DataFrame(
        {"component": "media", "province_code": 110000, "year": YEARS, "indicator_100m_yuan": 10.0}
    )
    return coefficients, indicators


def test_a_ratio_to_a_component_indicator_is_not_clipped_to_a_share() -> None:
    from scipy.interpolate import CubicSpline

    coefficients, indicators = ratio_coefficients("indicator")
    spline = annual_paths(coefficients, indicators, YEARS, "spline").set_index("year")
    expected = CubicSpline(list(BENCHMARKS), [2.0, 4.0, 3.0], bc_type="natural")(YEARS)  # below 2 x 4 throughout
    assert spline["coefficient"].to_numpy() == pytest.approx(expected)
    assert spline.loc[2007, "coefficient"] == 4.0 and spline.loc[2009, "value_100m_yuan"] == pytest.approx(
        10 * expected[7]
    )
    assert annual_paths(coefficients, indicators, YEARS, "hold").set_index("year").loc[2009, "coefficient"] == 4.0
    chow_lin = annual_paths(coefficients, indicators, YEARS, "chow_lin").set_index("year")
    assert chow_lin.loc[list(BENCHMARKS), "coefficient"].tolist() == [2.0, 4.0, 3.0]
    assert (chow_lin["coefficient"] > 1).all()
    # the same numbers as shares are clipped to 1 between the benchmarks
    as_shares = annual_paths(*ratio_coefficients("share"), YEARS, "spline").set_index("year")
    assert as_shares.loc[2004, "coefficient"] == 1.0 and as_shares.loc[2007, "coefficient"] == 4.0


def test_a_method_with_pooled_parameters_gets_them_through_digecon_estimate(monkeypatch: pytest.MonkeyPatch) -> None:
    """A method that gives only ``pool`` (the protocol's one optional half) is pooled in the estimate and backtest."""
    seen: list[int] = []

    def pool(blocks) -> dict[str, float]:
        seen.append(sum(len(b.coefficients) for b in blocks))
        return {"level": float(np.mean([b.coefficients.mean() for b in blocks]))}

    def path(block, level: float) -> MethodPath:
        return MethodPath(np.full(block.indicator.shape, level))

    monkeypatch.setitem(methods.METHODS, "mean", Method("mean", "the pooled mean coefficient", path, pool))
    result = run(methods=("mean",), conventions=("share",))
    # electronics' shares of industry are 0.1, 0.125 and 0.15: their mean, 0.125, in every year
    assert set(result.values.query("component == 'electronics' and method == 'mean'")["coefficient"]) == {0.125}
    assert seen and all(n == 1 for n in seen)  # one series (province) per component and design
    assert result.backtest.query("method == 'mean'")["ape"].notna().any()


def with_nation(io: pd.DataFrame) -> pd.DataFrame:
    """The toy tables plus a national table of every year: ten times the province's, electronics twenty times."""
    nation = io.assign(
        province_code=0,
        value_added=io["value_added"] * np.where(io["sector_key"] == "electronics", 20, 10),
        source_file=io["year"].astype(str) + "/0中国.xls",
    )
    return pd.concat([io, nation], ignore_index=True)


def test_the_national_method_through_digecon_estimate_by_hand() -> None:
    """The province's 2012 table left out: beyond 2007 its share of industry moves with the nation's."""
    io = with_nation(toy_io())
    io = io[(io["province_code"] == 0) | (io["year"] < 2012)]
    ratios = pd.concat([toy_ratios(), toy_ratios().assign(province_code=0)], ignore_index=True)
    inputs = digecon.Inputs(io, toy_yearbook(), ratios)
    result = digecon.estimate(inputs, settings_for(methods=("linear", "national"), conventions=("share",)))
    # electronics' share of industry: 0.1 and 0.125 in 2002 and 2007; nationally 2000 / 11000, 4000 / 18000 and
    # 6000 / 23000 in 2002, 2007 and 2012
    c_nat = {2002: 2 / 11, 2007: 2 / 9, 2012: 6 / 23}
    moved = 0.125 * (c_nat[2007] + 0.6 * (c_nat[2012] - c_nat[2007])) / c_nat[2007]  # 2010, 3/5 of the way
    row = value(result, 2010, "electronics", "national", "share")
    assert row["coefficient"] == pytest.approx(moved)
    assert row["value_100m_yuan"] == pytest.approx(moved * 1100 * 1.1**8)  # X of 2010
    assert row["national_years"] == "2007-2012"
    assert value(result, 2010, "electronics", "linear", "share")["coefficient"] == pytest.approx(0.125)  # held
    # between the province's tables the path is linear, and no national table moved it
    between = value(result, 2004, "electronics", "national", "share")
    assert between["coefficient"] == pytest.approx(0.1 + 0.4 * 0.025) and between["national_years"] == ""
    assert value(result, 2007, "electronics", "national", "share")["coefficient"] == 0.125  # the benchmark, exactly
    table = result.national_coefficients.set_index(["component", "year"])
    assert table.loc[("electronics", 2012), "national_coefficient"] == pytest.approx(c_nat[2012])
    assert table.loc[("electronics", 2007), "national_source"] == "0中国.xls"  # the file name
    assert set(result.backtest["method"].astype(str)) == {"linear", "national"}  # scored like every method
