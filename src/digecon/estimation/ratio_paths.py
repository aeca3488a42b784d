"""Split ratios after a province's last benchmark: follow the national detailed tables.

In benchmark years the telecom / IT-services split of the information sector (``s_I63``) and the
media share of culture (``r_media``) are those of the benchmark's ratio source; between benchmarks
each component's coefficient path carries the split along. Beyond the last benchmark a path holds
(or extends) the last table's split, although the national detailed IO tables published since
(2018, 2020) show it moving: ``s_I63`` 0.327 (2017), 0.313 (2018), 0.262 (2020). So after the last
benchmark the split follows the national tables' ratio:

    s(t) = s_b x S(t) / S(b),   r(t) = r_b x R(t) / R(b),

with s_b, r_b the province's ratio at its last benchmark b and S, R the national detailed-table
ratios, interpolated linearly between table years and held beyond the last one (so a year after
the last table, or a benchmark after it, keeps the split). Each component's share of its
sector moves so: telecom's coefficient is scaled by s(t) / s_b, IT services' by (1 - s(t)) / (1 - s_b)
(so the information sector keeps its size where the path held the last table's split), media's by
r(t) / r_b. Values, coefficients, standard errors and bounds of a component scale together. The
backtest applies the same factors to its extrapolated estimates (:func:`split_factors`), so the
errors and bands measure the values as they are made.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

SPLIT_COMPONENTS = ("telecom", "it_services", "media")
KEY = ["province_code", "year", "method", "convention"]
SCALED = ["value_100m_yuan", "coefficient", "se_100m_yuan", "lower_100m_yuan", "upper_100m_yuan"]


def ratio_by_year(table_ratios: pd.DataFrame, years: Iterable[int]) -> pd.DataFrame:
    """National ratio of every year from the detailed tables' ratios.

    Parameters
    ----------
    table_ratios
        ``table_year``, ``ratio`` (``s_I63``, ``r_media``), ``value``, ``source`` (file), one row per
        detailed table and ratio.
    years
        The years wanted.

    Returns
    -------
    DataFrame
        ``year``, ``ratio``, ``value`` (at a table year its value, between two table years linearly
        interpolated, beyond the first and last held), ``note`` (which tables it comes from).
    """
    years = np.asarray(sorted(int(y) for y in years))
    frames = []
    for ratio, rows in table_ratios.sort_values("table_year").groupby("ratio"):
        known = rows["table_year"].to_numpy()
        values = np.interp(years, known, rows["value"].to_numpy())
        notes = [_note(int(y), known, rows["source"].tolist()) for y in years]
        frames.append(pd.DataFrame({"year": years, "ratio": ratio, "value": values, "note": notes}))
    return pd.concat(frames, ignore_index=True)


def _note(year: int, known: np.ndarray, sources: list[str]) -> str:
    """Which detailed table(s) a year's national ratio comes from."""
    if year in known:
        return f"national detailed IO table {year} ({sources[list(known).index(year)]})"
    before, after = known[known < year], known[known > year]
    if len(before) and len(after):
        return f"interpolated between the national detailed IO tables {before[-1]} and {after[0]}"
    nearest = before[-1] if len(before) else after[0]
    return f"national detailed IO table {nearest}, held"


def last_benchmark(benchmark_years: pd.Series) -> np.ndarray:
    """Give the last year of each row's comma-joined benchmark years (``2002,2007,2012`` -> 2012)."""
    lists, listed = pd.factorize(benchmark_years.astype(str))
    return np.array([max(int(y) for y in text.split(",")) for text in listed], dtype=np.int64)[lists]


def follow_national_split(
    values: pd.DataFrame, national: pd.DataFrame, skip_methods: Iterable[str] = ()
) -> pd.DataFrame:
    """Re-split the service components after each province's last benchmark (rule in the module doc).

    Parameters
    ----------
    values
        The described estimates (:func:`digecon.estimation.estimate.describe`, with bounds):
        ``province_code``, ``year``, ``component``, ``method``, ``convention``, ``flag``,
        ``benchmark_years``, ``value_100m_yuan``, ``ratio_value`` (the benchmark's ratio, ``1 - s``
        for IT services), ``ratio_source`` and the columns of ``SCALED``.
    national
        From :func:`ratio_by_year`, covering every year of ``values``.
    skip_methods
        Methods whose rows are left as they are: their coefficient path already moves with the
        national tables, split ratios included (``national``); splitting them again would count
        the change of the national split twice.

    Returns
    -------
    DataFrame
        ``values`` with telecom, IT services and media rescaled after the last benchmark, and
        ``ratio_value`` / ``ratio_source`` giving the year's ratio and where it comes from.
    """
    last = last_benchmark(values["benchmark_years"])
    after = (values["year"].to_numpy() > last) & values["component"].isin(SPLIT_COMPONENTS).to_numpy()
    after &= ~values["method"].isin(list(skip_methods)).to_numpy()
    if not after.any():
        return values
    needed = list(dict.fromkeys([*KEY, "component", "ratio_value", "ratio_source", *SCALED]))
    rows = values.loc[after, needed].assign(last_benchmark=last[after])
    factor, ratio, note = _factors(rows, national.set_index(["ratio", "year"]))
    changed = {}
    for column in [*SCALED, "ratio_value"]:
        changed[column] = values[column].to_numpy(dtype=float, copy=True)
        changed[column][after] = ratio if column == "ratio_value" else rows[column].to_numpy() * factor
    return values.assign(**changed, ratio_source=_noted(values["ratio_source"], after, rows, note))


def _noted(sources: pd.Series, after: np.ndarray, rows: pd.DataFrame, note: list[str]) -> pd.Series:
    """``ratio_source`` with the note of the national change on the rows ``after``, as a categorical."""
    sources = sources.astype("category")
    noted = [f"{s}; from {b + 1}: x {n}" for s, b, n in zip(sources[after], rows["last_benchmark"], note, strict=True)]
    texts = sorted(set(sources.cat.categories) | set(noted))
    return sources.cat.set_categories(texts).where(~after, pd.Series(noted, index=sources.index[after]))


def split_factors(
    component: np.ndarray, ratio_b: np.ndarray, years: np.ndarray, benchmarks: np.ndarray, national: pd.DataFrame
) -> tuple[np.ndarray, np.ndarray]:
    """Scale factor of each row's coefficient after its last benchmark, and its ratio in that year.

    Parameters
    ----------
    component
        ``telecom``, ``it_services`` or ``media`` per row.
    ratio_b
        The row's own ratio at its last benchmark: s_b for telecom, 1 - s_b for IT services, r_b for media.
    years, benchmarks
        The row's year and its last benchmark year.
    national
        :func:`ratio_by_year`, indexed by ``ratio`` and ``year``.

    Returns
    -------
    (factor, ratio)
        The factor s(t) / s_b, (1 - s(t)) / (1 - s_b) or r(t) / r_b (1 where the share at the benchmark is
        0), and the year's ratio s(t) (telecom), 1 - s(t) (IT services) or r(t) (media).
    """
    telecom, it = component == "telecom", component == "it_services"
    name = np.where(telecom | it, "s_I63", "r_media")
    change = np.where(
        name == "s_I63",
        _national(national, "s_I63", years) / _national(national, "s_I63", benchmarks),
        _national(national, "r_media", years) / _national(national, "r_media", benchmarks),
    )
    own = np.where(it, 1 - ratio_b, ratio_b)  # s_b for both parts of the information sector, r_b for media
    moved = np.clip(own * change, 0.0, 1.0)
    ratio = np.where(it, 1 - moved, moved)
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(ratio_b > 0, ratio / ratio_b, 1.0)
    return factor, ratio


def _factors(rows: pd.DataFrame, national: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Scale factor of each row's value, its new ratio and the note on the national ratio used."""
    component = rows["component"].astype(str).to_numpy()
    years, benchmarks = rows["year"].to_numpy(), rows["last_benchmark"].to_numpy()
    factor, ratio = split_factors(component, rows["ratio_value"].to_numpy(float), years, benchmarks, national)
    names = np.where(component == "media", "r_media", "s_I63")
    cells = list(zip(names, benchmarks, years, strict=True))
    text = {
        (name, b, y): f"national {name} change since {b} ({national.at[(name, y), 'note']})"
        for name, b, y in set(cells)
    }
    notes = [text[cell] for cell in cells]
    return factor, ratio, notes


def _national(national: pd.DataFrame, ratio: str, years: np.ndarray) -> np.ndarray:
    """Look up the national ratio in each of ``years``."""
    return national.loc[ratio]["value"].reindex(years).to_numpy()
