"""How the whole estimate (:func:`digecon.estimate`) scales with the number of regions.

Usage: python benchmarks/scale_benchmark.py [--sizes 300 1000 3000 10000] [--repeat R]

Synthetic regions (codes 900001, 900002, ..., not provinces) get a 42-sector IO table every five
years (2002, 2007, ..., 2022), a national table (code 0) of the same years, annual indicators
2000-2024 for every candidate chain of the default settings (工业增加值 ... 地区生产总值, C39 revenue,
software revenue, 电信业务总量 with price-base changes, the wage bills of sections I and R), the
split ratios, the national detailed tables' ratios and national control tables (2005, 2015, 2020):
the tables of :class:`digecon.Inputs`. The run is the default one: 25 years,
4 components, every method and convention, the backtest of every candidate chain, the bands and
their coverage.

Each size runs in a fresh subprocess, which prints its wall time, its CPU time split into user and
system time (the estimate only, not building the inputs; on a shared machine the CPU time is the
steadier figure, and the system time is mostly page faults, which a virtual machine can make
costly) and its peak memory, read from ``resource.getrusage(RUSAGE_SELF).ru_maxrss`` at the end
(the whole process: Python, the imports, the inputs and the estimate). The growth exponents are
the log-log slopes of wall time and of user time against regions between consecutive sizes
(1 = linear).
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import subprocess
import sys
import time

import numpy as np
import pandas as pd

from digecon.core.settings import I_WAGE_BILL
from digecon.inputs.concordance import load_concordance

YEARS = list(range(2000, 2025))  # 25 years
BENCHMARK_YEARS = [2002, 2007, 2012, 2017, 2022]
CONTROL_YEARS = [2005, 2015, 2020]  # national tables without regional ones
FIRST_CODE = 900001
FLAGS = ["mining", "manufacturing", "utilities", "industry", "construction", "tertiary", "other_services"]
DIGITAL = {"electronics": 0.05, "information": 0.07, "culture": 0.03}  # extra yearly growth of the sector
SPLIT = {"s_I63": (0.85, -0.025), "r_media": (0.50, -0.008)}  # national split ratio in 2002 and its yearly change
R_WAGE_BILL = "文化、体育和娱乐业城镇单位就业人员工资总额"


def _sectors(year: int) -> pd.DataFrame:
    """List the 42 sectors of the concordance vintage of ``year`` (the latest not after it)."""
    table = load_concordance()
    vintage = max(v for v in table["vintage"].unique() if int(v) <= year)
    return table[table["vintage"] == vintage].drop_duplicates("sector_code").reset_index(drop=True)


def _split(ratio: str, year: int) -> float:
    """Give the national split ratio of a year (a straight line, as the detailed tables roughly move)."""
    level, change = SPLIT[ratio]
    return level + change * (year - 2002)


def synthetic_inputs(n_regions: int, seed: int = 13) -> dict[str, pd.DataFrame]:
    """Make the tidy inputs of :class:`digecon.Inputs` for ``n_regions`` synthetic regions.

    Parameters
    ----------
    n_regions
        How many regions (codes ``FIRST_CODE``, ``FIRST_CODE + 1``, ...).
    seed
        Seed of the noise; the same seed gives the same numbers.

    Returns
    -------
    dict
        ``io_tables`` (万元), ``yearbook`` (亿元), ``ratios``, ``table_ratios``, ``national_tables`` and
        ``national_ratios``, keyed by the field names of :class:`digecon.Inputs`.
    """
    rng = np.random.default_rng(seed)
    codes = np.arange(FIRST_CODE, FIRST_CODE + n_regions)
    size = rng.lognormal(0.0, 1.0, n_regions)
    digital_growth = {k: g + rng.normal(0.0, 0.03, n_regions) for k, g in DIGITAL.items()}
    tables = []
    for year in BENCHMARK_YEARS:
        sectors = _sectors(year)
        n = len(sectors)
        growth = np.full((n_regions, n), 1.08) + rng.normal(0.0, 0.01, (n_regions, n))
        for key, extra in digital_growth.items():
            growth[:, (sectors["sector_key"] == key).to_numpy()] += extra[:, None]
        noise = rng.lognormal(0.0, 0.15, (n_regions, n))
        va = np.round(13000.0 * np.arange(1, n + 1) * size[:, None] * noise * growth ** (year - 2002), 0)
        frame = pd.DataFrame(
            {
                "province_code": np.repeat(codes, n),
                "year": year,
                "sector_key": np.tile(sectors["sector_key"].to_numpy(), n_regions),
                "value_added": va.ravel(),
                **{f: np.tile(sectors[f].to_numpy(), n_regions) for f in FLAGS},
            }
        )
        national = frame.groupby("sector_key", sort=False)["value_added"].sum().round(0) * 1.05
        nation = pd.DataFrame({"province_code": 0, "year": year, "sector_key": national.index})
        nation = nation.assign(value_added=national.to_numpy(), **{f: sectors[f].to_numpy() for f in FLAGS})
        tables += [nation, frame]
    io_tables = pd.concat(tables, ignore_index=True)
    io_tables = io_tables.assign(
        source_file=[f"synthetic/{c}_{y}.xlsx" for c, y in zip(*_pairs(io_tables), strict=True)]
    )
    return {
        "io_tables": io_tables,
        "yearbook": _yearbook(io_tables, codes, rng),
        "ratios": _ratios(codes, rng),
        **_national(io_tables),
    }


def _pairs(io_tables: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Region code and year of every row (for the file names)."""
    return io_tables["province_code"].to_numpy(), io_tables["year"].to_numpy()


def _interpolated(wide: pd.DataFrame) -> np.ndarray:
    """Fill a (region x year) table over ``YEARS`` from benchmark-year columns: log-linear, extended by trend."""
    logs = np.log(wide.to_numpy())
    known = np.asarray(wide.columns, dtype=float)
    out = np.empty((len(wide), len(YEARS)))
    for i, year in enumerate(YEARS):
        j = int(np.clip(np.searchsorted(known, year) - 1, 0, len(known) - 2))
        weight = (year - known[j]) / (known[j + 1] - known[j])
        out[:, i] = np.exp(logs[:, j] * (1 - weight) + logs[:, j + 1] * weight)
    return out


def _yearbook(io_tables: pd.DataFrame, codes: np.ndarray, rng: np.random.Generator) -> pd.DataFrame:
    """Annual indicators: each follows its IO aggregate (or sector) between the tables, with noise."""
    regional = io_tables[io_tables["province_code"] != 0]

    def annual(mask: pd.Series, noise: float) -> np.ndarray:
        wide = regional[mask].groupby(["province_code", "year"])["value_added"].sum().unstack("year") / 1e4
        return _interpolated(wide.reindex(codes)) * rng.lognormal(0.0, noise, (len(codes), len(YEARS)))

    vintage = rng.uniform(0.9, 1.2, len(codes))[:, None]  # the yearbook's (revised) vintage against the tables
    industry = annual(regional["industry"] == 1, 0.03) * vintage
    tertiary = annual(regional["tertiary"] == 1, 0.03) * vintage
    other = annual(regional["other_services"] == 1, 0.03) * vintage
    construction = annual(regional["construction"] == 1, 0.03) * vintage
    gdp = annual(regional["value_added"] > -np.inf, 0.02) * vintage
    electronics = annual(regional["sector_key"] == "electronics", 0.10)
    information = annual(regional["sector_key"] == "information", 0.10)
    culture = annual(regional["sector_key"] == "culture", 0.10)
    years = np.asarray(YEARS)
    # 电信业务总量 at constant prices: new, lower bases in 2011 and 2016 (as the real series)
    base = np.where(years < 2011, 2.5, np.where(years < 2016, 1.2, 1.0))
    series = {
        "地区生产总值": (gdp, None),
        "工业增加值": (industry, None),
        "第二产业增加值": (industry + construction, None),
        "第三产业增加值": (tertiary, None),
        "其他行业增加值": (other, years <= 2019),
        "C39主营业务收入": (electronics * 4.0, (years >= 2005) & (years <= 2016)),
        "软件业务收入": (information * 1.5, (years >= 2012) & (years <= 2019)),
        "电信业务总量": (information * base * 1.1 ** (years - 2000) / 3, None),
        I_WAGE_BILL: (information * 0.3, (years >= 2006) & (years <= 2019)),
        R_WAGE_BILL: (culture * 0.4, (years >= 2006) & (years <= 2019)),
    }
    frames = []
    for name, (values, kept) in series.items():
        keep = np.ones(len(YEARS), dtype=bool) if kept is None else kept
        frames.append(
            pd.DataFrame(
                {
                    "province_code": np.repeat(codes, keep.sum()),
                    "year": np.tile(years[keep], len(codes)),
                    "indicator": name,
                    "unit": "亿元",
                    "value": np.round(values[:, keep], 2).ravel(),
                    "source": "synthetic",
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def _ratios(codes: np.ndarray, rng: np.random.Generator) -> pd.DataFrame:
    """``s_I63`` and ``r_media`` of every table: the national ratio, region by region a little apart."""
    frames = []
    for year in BENCHMARK_YEARS:
        for ratio in SPLIT:
            national = _split(ratio, year)
            regional = np.clip(national * rng.lognormal(0.0, 0.1, len(codes)), 0.01, 0.99)
            frames.append(
                pd.DataFrame(
                    {
                        "io_year": year,
                        "province_code": np.r_[0, codes],
                        "ratio": ratio,
                        "value": np.r_[national, regional],
                        "ratio_source": f"synthetic census {year}",
                    }
                )
            )
    return pd.concat(frames, ignore_index=True)


def _national(io_tables: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Make the national detailed tables' ratios and the national tables of the control years."""
    table_years = [2007, 2012, 2017, 2018, 2020]
    table_ratios = pd.DataFrame(
        [(y, r, _split(r, y), f"synthetic_{y}.rda") for y in table_years for r in SPLIT],
        columns=["table_year", "ratio", "value", "source"],
    )
    nation = io_tables[(io_tables["province_code"] == 0) & io_tables["sector_key"].isin(list(DIGITAL))]
    last = nation[nation["year"] == max(BENCHMARK_YEARS)].set_index("sector_key")["value_added"]
    rows = [
        (year, key, str(i + 19), key, float(last[key]) * 1.08 ** (year - max(BENCHMARK_YEARS)), f"china_{year}.rda")
        for year in CONTROL_YEARS
        for i, key in enumerate(DIGITAL)
    ]
    national_tables = pd.DataFrame(
        rows, columns=["year", "sector_key", "sector_code", "sector_name", "value_added_10k_yuan", "source_file"]
    )
    national_ratios = pd.DataFrame(
        [(y, 0, r, _split(r, y), f"synthetic {y}") for y in CONTROL_YEARS for r in SPLIT],
        columns=["io_year", "province_code", "ratio", "value", "ratio_source"],
    )
    return {"table_ratios": table_ratios, "national_tables": national_tables, "national_ratios": national_ratios}


SETTINGS = {"estimate": {"first_year": YEARS[0], "last_year": YEARS[-1]}, "indicators": {"break_threshold": 0.5}}


def run_once(n_regions: int, repeat: int) -> dict[str, float]:
    """Build the inputs of one size and time the estimate (in this process); peak memory at the end."""
    import digecon
    from digecon.core.settings import settings_from_config

    inputs, settings = digecon.Inputs(**synthetic_inputs(n_regions)), settings_from_config(SETTINGS)
    runs = []
    for _ in range(repeat):
        start, before = time.perf_counter(), resource.getrusage(resource.RUSAGE_SELF)
        digecon.estimate(inputs, settings)
        after = resource.getrusage(resource.RUSAGE_SELF)
        user, system = after.ru_utime - before.ru_utime, after.ru_stime - before.ru_stime
        runs.append({"seconds": time.perf_counter() - start, "user_seconds": user, "system_seconds": system})
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    fastest = min(runs, key=lambda r: r["seconds"])
    return {"regions": n_regions, **fastest, "peak_mib": peak_kib / 1024}


def main(sizes: list[int], repeat: int) -> None:
    """Run every size in a fresh subprocess and print the table."""
    rows = []
    for n in sizes:
        command = [sys.executable, __file__, "--one", str(n), "--repeat", str(repeat)]
        done = subprocess.run(command, check=True, capture_output=True, text=True)
        rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
        print(f"{n} regions done: {rows[-1]['seconds']:.1f} s", file=sys.stderr, flush=True)
    print(
        "| regions | time (s) | user CPU (s) | system (s) | peak memory (MiB, ru_maxrss) "
        "| growth exponent (time) | growth exponent (user CPU) |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for i, row in enumerate(rows):
        exponents = ["", ""]
        if i:
            before = rows[i - 1]
            step = math.log(row["regions"] / before["regions"])
            exponents = [f"{math.log(row[k] / before[k]) / step:.2f}" for k in ("seconds", "user_seconds")]
        cells = (
            f"{row['seconds']:.1f} | {row['user_seconds']:.1f} | {row['system_seconds']:.1f} | {row['peak_mib']:.0f}"
        )
        print(f"| {row['regions']} | {cells} | {' | '.join(exponents)} |")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", type=int, default=[300, 1000, 3000, 10000])
    parser.add_argument("--repeat", type=int, default=1, help="time the estimate this often, keep the fastest")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # the subprocess of one size
    arguments = parser.parse_args()
    if arguments.one:
        print(json.dumps(run_once(arguments.one, arguments.repeat)))
    else:
        main(arguments.sizes, arguments.repeat)
