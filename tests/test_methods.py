"""The method registry and the hold / linear / spline paths, on series whose answers are known by hand."""

from __future__ import annotations

import inspect

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digecon.estimation import methods
from digecon.estimation.methods import (
    METHODS,
    MethodPath,
    SeriesBlock,
    flags,
    hold,
    linear,
    method,
    national,
    pin_benchmarks,
    spline,
)

YEARS = np.array([2002, 2007, 2012])
COEFFICIENTS = np.array([0.1, 0.2, 0.1])
GRID = np.arange(2000, 2016)


def one(benchmark_years, coefficients, years=GRID, national=None) -> SeriesBlock:
    """A block of one series (the indicator, which these methods do not use, is 100); ``national`` c_nat by year."""
    return SeriesBlock(
        np.asarray(benchmark_years),
        np.asarray(coefficients, dtype=float)[None, :],
        np.full((1, len(years)), 100.0),
        years,
        None if national is None else np.asarray(national, dtype=float)[None, :],
    )


def path_of(module, years: np.ndarray = GRID) -> dict[int, float]:
    """Year -> coefficient of a method module's path through the three benchmarks above."""
    result = module.path(one(YEARS, COEFFICIENTS, years))
    return dict(zip(years.tolist(), result.coefficient[0].tolist(), strict=True))


def test_registry_lists_the_methods_in_order() -> None:
    assert list(METHODS) == ["hold", "linear", "spline", "chow_lin", "national"]
    assert all(m.name == key for key, m in METHODS.items())
    assert all(m.description and "\n" not in m.description for m in METHODS.values())
    assert [k for k, m in METHODS.items() if m.pool is not None] == ["chow_lin"]


def test_every_path_function_has_the_one_signature() -> None:
    for m in METHODS.values():
        parameters = inspect.signature(m.path).parameters
        assert list(parameters) == ["block", "pooled"], m.name
        assert parameters["pooled"].kind is inspect.Parameter.VAR_KEYWORD


def test_unknown_method_is_refused_with_the_known_names() -> None:
    assert method("linear") is METHODS["linear"]
    with pytest.raises(
        ValueError, match=r"unknown method 'denton'; expected one of hold, linear, spline, chow_lin, national"
    ):
        method("denton")


def test_a_new_method_is_one_registry_entry(monkeypatch: pytest.MonkeyPatch) -> None:
    toy = methods.Method("zero", "always zero", lambda block, **_: MethodPath(np.zeros(block.indicator.shape)))
    monkeypatch.setitem(METHODS, "zero", toy)
    assert method("zero").path(one(YEARS, COEFFICIENTS)).coefficient.sum() == 0
    with pytest.raises(ValueError, match="national, zero"):
        method("denton")


def test_hold_uses_latest_benchmark_at_or_before() -> None:
    path = path_of(hold)
    assert (path[2000], path[2002], path[2006], path[2007], path[2011], path[2015]) == (0.1, 0.1, 0.1, 0.2, 0.2, 0.1)
    result = hold.path(one(YEARS, COEFFICIENTS))
    assert result.se_100m_yuan is None and result.parameters == {}


def test_linear_interpolates_and_holds_beyond() -> None:
    path = path_of(linear)
    assert path[2004] == pytest.approx(0.1 + 0.1 * 2 / 5)  # 0.14
    assert path[2010] == pytest.approx(0.2 - 0.1 * 3 / 5)  # 0.14
    assert path[2000] == 0.1 and path[2015] == 0.1


def test_natural_spline_by_hand() -> None:
    # three equally spaced knots (h = 5), natural ends: M1 = 6 (y0 - 2 y1 + y2) / (4 h^2) = -0.012;
    # at the midpoint of an interval S = (y0 + y1) / 2 - h^2 / 16 (M0 + M1) = 0.15 + 0.01875 = 0.16875
    assert path_of(spline, np.array([2004.5]))[2004.5] == pytest.approx(0.16875)
    path = path_of(spline, np.array([1999, 2020]))
    assert (path[1999], path[2020]) == pytest.approx((0.1, 0.1))


def test_spline_with_two_benchmarks_is_linear_and_is_clipped_to_shares() -> None:
    two = spline.path(one([2002, 2012], [0.1, 0.3])).coefficient[0]
    assert two[GRID == 2007] == pytest.approx(0.2)
    # 0, 1, 0 overshoots below zero between the benchmarks 0 and 1 of a natural spline
    wild = spline.path(one([2000, 2001, 2002, 2010], [0.0, 1.0, 0.0, 0.0])).coefficient
    assert wild.min() == 0.0 and wild.max() == 1.0


# c_nat by year, 2010-2020: 0.05 up to 2012, linear to 0.08 in 2017 and to 0.10 in 2020 (as national_matrix lays it)
NATIONAL_YEARS = np.arange(2010, 2021)
C_NAT = np.interp(NATIONAL_YEARS, [2012, 2017, 2020], [0.05, 0.08, 0.10])


def test_national_path_by_hand() -> None:
    # benchmarks 0.1 (2012) and 0.2 (2017): ratios to c_nat 2.0 and 2.5
    block = one([2012, 2017], [0.1, 0.2], NATIONAL_YEARS, C_NAT)
    path = dict(zip(NATIONAL_YEARS.tolist(), national.path(block).coefficient[0].tolist(), strict=True))
    assert (path[2012], path[2017]) == (0.1, 0.2)  # exact at the benchmarks
    assert path[2010] == pytest.approx(0.05 * 2.0)  # before the first table: 0.1 x c_nat(2010) / c_nat(2012)
    assert path[2014] == pytest.approx(0.1 + 0.4 * 0.1)  # between the tables: linear
    # beyond the last table: c[2017] x c_nat(t) / c_nat(2017)
    assert path[2019] == pytest.approx(0.2 * (0.08 + 2 / 3 * 0.02) / 0.08)
    assert path[2020] == pytest.approx(0.2 * 0.10 / 0.08)  # 0.25


def test_national_path_with_a_flat_national_coefficient_is_linear() -> None:
    block = one(YEARS, COEFFICIENTS, GRID, np.full(len(GRID), 0.3))
    assert national.path(block).coefficient == pytest.approx(linear.path(block).coefficient)


def test_national_path_is_clipped_to_shares() -> None:
    # c_nat quadruples after the only benchmark: 0.4 x 4 would be 1.6
    block = one([2012], [0.4], NATIONAL_YEARS, np.where(NATIONAL_YEARS > 2012, 0.2, 0.05))
    assert national.path(block).coefficient.max() == 1.0


def test_national_path_without_national_coefficients_names_the_setting() -> None:
    with pytest.raises(
        ValueError, match=r"method 'national' needs .* the run has none; remove 'national' from estimate"
    ):
        national.path(one(YEARS, COEFFICIENTS))
    missing = np.where(GRID == 2005, np.nan, 0.1)
    with pytest.raises(ValueError, match=r"1 series lack a positive one in some year"):
        national.path(one(YEARS, COEFFICIENTS, GRID, missing))


def test_flags_and_distance() -> None:
    flag, distance, nearest = flags(YEARS, np.array([2001, 2002, 2005, 2012, 2016]))
    assert flag.tolist() == ["extrapolated", "benchmark", "interpolated", "benchmark", "extrapolated"]
    assert distance.tolist() == [1, 0, 2, 0, 4]
    assert nearest.tolist() == [2002, 2002, 2007, 2012, 2012]


def test_pin_benchmarks_sets_only_benchmark_years() -> None:
    pinned = pin_benchmarks(np.full((1, 4), 0.5), one(YEARS, COEFFICIENTS, np.array([2002, 2003, 2012, 2013])))
    assert pinned.tolist() == [[0.1, 0.5, 0.1, 0.5]]


benchmark_sets = st.lists(st.integers(2000, 2020), min_size=1, max_size=5, unique=True).map(sorted)


@settings(max_examples=60, deadline=None)
@given(years=benchmark_sets, data=st.data(), name=st.sampled_from(["hold", "linear", "spline", "national"]))
def test_paths_reproduce_benchmarks_and_stay_shares(years: list[int], data: st.DataObject, name: str) -> None:
    coefficients = np.array(data.draw(st.lists(st.floats(0, 1), min_size=len(years), max_size=len(years))))
    grid = np.arange(1998, 2024)
    c_nat = data.draw(st.lists(st.floats(1e-3, 1), min_size=len(grid), max_size=len(grid)))  # the others ignore it
    path = method(name).path(one(years, coefficients, grid, c_nat)).coefficient[0]
    assert path[np.searchsorted(grid, years)].tolist() == coefficients.tolist()  # exactly, not approximately
    assert ((path >= 0) & (path <= 1)).all()


@pytest.mark.parametrize("pattern", [[2002, 2007, 2012], [2002, 2007, 2012, 2017, 2022], [2003, 2004, 2011, 2019]])
def test_a_block_of_splines_is_the_spline_of_each_row(pattern: list[int]) -> None:
    """The spline runs on a whole block at once (scipy's CubicSpline along an axis): row by row, the same bits."""
    from scipy.interpolate import CubicSpline

    rng = np.random.default_rng(1)
    years, benchmarks = np.arange(2000, 2025), np.array(pattern)
    coefficients = rng.uniform(0, 1, (50, len(pattern))) * rng.choice([1e-3, 0.5, 1.0], (50, 1))
    together = spline.path(SeriesBlock(benchmarks, coefficients, np.full((50, len(years)), 10.0), years)).coefficient
    for c, row in zip(coefficients, together, strict=True):
        inside = np.clip(years, benchmarks[0], benchmarks[-1])
        curve = np.clip(CubicSpline(benchmarks, c, bc_type="natural")(inside), 0.0, 1.0)
        assert np.array_equal(row, pin_benchmarks(curve[None, :], one(benchmarks, c, years))[0])
