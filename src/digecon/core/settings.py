"""The settings: one typed, immutable object built from the configuration.

Every default is written once, here. The JSON schema of ``config/config.yaml``
(``workflow/schemas/config.schema.yaml``) is generated from these classes
(:func:`json_schema`, written by ``digecon config --schema``), and a test checks that the
committed schema and ``config/config.yaml`` agree with them.

Configuration is layered as Snakemake layers it: the defaults, then ``config/config.yaml``,
then each ``--configfile``, then ``--config KEY=VALUE``; ``retrieve.mirror`` left empty falls
back to the environment variable ``DIGECON_MIRROR``. :func:`load_settings` records, for every
key, the layer its value came from (shown by ``digecon config``).

Sections may nest settings classes (``indicators.chains.<component>``) and mappings whose keys
the user names (a component's candidate chains, ``indicators.price_base_changes``): nested keys
are merged and shown with dotted paths (``indicators.chains.electronics.use``), a mapping keeps
its default entries that a layer does not give, and mappings are :class:`FrozenMap`, so the
settings stay immutable and hashable.

This module imports nothing heavy (no pandas): the Snakefile builds the settings at parse time.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import math
import os
import types
import typing
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from digecon.core.errors import ConfigError

MIRROR_ENV = "DIGECON_MIRROR"
CONVENTIONS = ("share", "benchmark")
LANGUAGES = ("en", "zh")
CSV_ENCODINGS = ("utf-8", "utf-8-sig")
BREAK_ACTIONS = ("keep", "bridge")
CRITERIA = ("component", "total")
COMBINATION_NAMES = ("combination_weighted", "combination_equal")  # digecon.estimation.selection
# Scenarios: named partial configurations, each merged over the run's own (``scenarios:``). The
# sections a scenario may not change: where the built-in files come from is one for the whole run.
SCENARIO_NAME = r"^[A-Za-z][A-Za-z0-9_-]{0,39}$"
MAIN_SCENARIO = "main"  # the run itself, as the scenario comparison names it
NOT_PER_SCENARIO = ("retrieve",)


def _setting(default: Any, description: str, **constraints: Any) -> Any:
    """Declare a settings field: its default, description and JSON-schema constraints.

    The description goes into the schema (``digecon config --schema``); the constraints (minimum,
    maximum, enum, minItems, uniqueItems, ...) go into the schema as they are, except
    ``items_enum``, the allowed values of a list's items. A list or tuple default becomes a tuple.
    """
    if isinstance(default, list | tuple):
        return field(default_factory=lambda: tuple(default), metadata={"description": description, **constraints})
    if isinstance(default, Mapping):
        return field(default_factory=lambda: _frozen(default), metadata={"description": description, **constraints})
    return field(default=default, metadata={"description": description, **constraints})


class FrozenMap(Mapping[str, Any]):
    """An immutable, hashable mapping, for settings whose keys the user names (e.g. candidate chains).

    Parameters
    ----------
    items
        The entries, in order (the order is kept: it breaks ties between candidate chains).
    """

    def __init__(self, items: Mapping[str, Any] | Iterable[tuple[str, Any]] = ()) -> None:
        self._items = dict(items)

    def __getitem__(self, key: str) -> Any:
        """Look up one entry."""
        return self._items[key]

    def __iter__(self) -> typing.Iterator[str]:
        """Iterate over the keys in order."""
        return iter(self._items)

    def __len__(self) -> int:
        """Count the entries."""
        return len(self._items)

    def __hash__(self) -> int:
        """Hash the entries (values are tuples, numbers or strings)."""
        return hash(tuple(self._items.items()))

    def __repr__(self) -> str:
        """Show the entries like a dict."""
        return f"FrozenMap({self._items!r})"


def _frozen(value: Any) -> Any:
    """Turn lists into tuples and mappings into :class:`FrozenMap`, recursively (settings are immutable)."""
    if isinstance(value, Mapping):
        return FrozenMap({k: _frozen(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return tuple(_frozen(v) for v in value)
    return value


def _plain(value: Any) -> Any:
    """Turn settings into plain data as in config.yaml: dataclasses and mappings into dicts, tuples into lists."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


@dataclass(frozen=True)
class RetrieveSettings:
    """Where the raw inputs come from."""

    mirror: str | None = _setting(
        None,
        "Folder laid out like shared/data to copy the raw inputs from instead of downloading them; "
        f"null: the environment variable {MIRROR_ENV} if set, else download from the manifest's pinned URLs.",
    )
    manifest: str | None = _setting(
        "data/raw/MANIFEST.csv",
        "Manifest of every built-in input: dataset, path below data/raw, source repository, commit, URL, "
        "sha256, size, licence (null: no built-in inputs, only the user's own).",
    )


@dataclass(frozen=True)
class IOTableSettings:
    """Reading and checking the 42-sector IO tables (which years are benchmarks comes from the tables present)."""

    include_national: bool = _setting(
        True, "Also read the national 42-sector tables (province_code 0) published with the regional ones."
    )
    user_folders: tuple[str, ...] = _setting(
        (),
        "Folders of the user's own IO tables: every .xls/.xlsx in them is read and checked like the built-in "
        "tables; a user table replaces a built-in one of the same province and year.",
        uniqueItems=True,
    )
    allowed_units: tuple[str, ...] = _setting(
        ("万元",), "Units accepted in a table's title block; values are kept in that unit.", minItems=1
    )
    va_identity_tolerance: float = _setting(
        5.0,
        "Largest accepted |VA001+VA002+VA003+VA004 - TVA| per sector, 万元 (published cells are rounded).",
        minimum=0,
    )
    ti_go_rel_tolerance: float = _setting(
        0.01,
        "Largest accepted |TI - GO| / GO per sector; every difference above 1 万元 is reported as a warning.",
        minimum=0,
    )
    gdp_gap_warn: float = _setting(
        0.02, "Relative gap between a table's total VA and published GDP above which the report warns.", minimum=0
    )


def _candidates(**candidates: tuple[str, ...]) -> typing.Callable[[], ChainSettings]:
    """Make the default factory of one component's chains: ``use: auto`` and its built-in candidates, in order."""
    return lambda: ChainSettings(candidates=FrozenMap(candidates))


OTHER_SERVICES_CHAIN = ("其他行业增加值", "第三产业增加值", "地区生产总值")
I_WAGE_BILL = "信息传输、计算机服务和软件业城镇单位就业人员工资总额"


@dataclass(frozen=True)
class ChainSettings:
    """The candidate indicator chains of one component and the one used."""

    use: str = _setting(
        "auto",
        "The candidate used: its name, a combination (combination_weighted, combination_equal: "
        "indicators.selection.combinations), or auto: the candidate the backtest scores best under "
        "indicators.selection.criterion (estimate.recommended_method and recommended_convention; a tie goes to the "
        "earlier candidate).",
    )
    candidates: Mapping[str, tuple[str, ...]] = _setting(
        {},
        "Named candidate chains: indicator names (built-in or of indicators.user_csv), preferred first; the "
        "next indicator fills the years the ones before lack, by its ratio in the nearest overlapping year. "
        "A chain led by 工业增加值, 第二产业增加值, 第三产业增加值, 其他行业增加值 or 地区生产总值 keeps c = V / A "
        "under the share convention; one led by an indicator of the component itself has c = V / X under both.",
        minProperties=1,
        additionalProperties_items={"type": "string"},
        additionalProperties_minItems=1,
        additionalProperties_uniqueItems=True,
    )


@dataclass(frozen=True)
class ComponentChains:
    """Candidate indicator chains of the four components."""

    electronics: ChainSettings = field(
        default_factory=_candidates(
            industry=("工业增加值", "第二产业增加值", "地区生产总值"),
            c39_revenue=("C39主营业务收入", "工业增加值", "第二产业增加值", "地区生产总值"),
        ),
        metadata={
            "description": "C39 electronics: the industry chain, or above-scale C39 revenue (Wind, 1999 and "
            "2005-2016; not 宁夏, 西藏) spliced on it."
        },
    )
    it_services: ChainSettings = field(
        default_factory=_candidates(
            other_services=OTHER_SERVICES_CHAIN,
            # each industry series continued directly by the aggregates: the backtest measured it better
            # than continuing it first by the industry's other series (README, "Indicator chains")
            software_revenue=("软件业务收入", *OTHER_SERVICES_CHAIN),
            it_services_revenue=("信息技术服务收入", *OTHER_SERVICES_CHAIN),
            wage_bill=(I_WAGE_BILL, *OTHER_SERVICES_CHAIN),
        ),
        metadata={
            "description": "I64-I65 internet, software and IT services: the other-services chain, software "
            "revenue (2012-2024, not 西藏), IT-services revenue (2014-2024, not 西藏) or the urban-unit wage bill "
            "of section I (2006-2019), each spliced on the other-services chain."
        },
    )
    telecom: ChainSettings = field(
        default_factory=_candidates(
            other_services=OTHER_SERVICES_CHAIN,
            telecom_volume=("电信业务总量", *OTHER_SERVICES_CHAIN),
            wage_bill=(I_WAGE_BILL, *OTHER_SERVICES_CHAIN),
        ),
        metadata={
            "description": "I63 telecom and transmission: the other-services chain, 电信业务总量 (2001-2023, growth "
            "within one price base, see price_base_changes) or the wage bill of section I, each spliced on it."
        },
    )
    media: ChainSettings = field(
        default_factory=_candidates(
            other_services=OTHER_SERVICES_CHAIN,
            wage_bill=("文化、体育和娱乐业城镇单位就业人员工资总额", *OTHER_SERVICES_CHAIN),
        ),
        metadata={
            "description": "R86-R87 media: the other-services chain, or the urban-unit wage bill of section R "
            "(2006-2019) spliced on it."
        },
    )


@dataclass(frozen=True)
class SelectionSettings:
    """How ``auto`` chooses each component's chain, and how sure the choice is."""

    criterion: str = _setting(
        "component",
        "What auto minimises: component (the median extrapolation APE of the component itself) or total (the "
        "median extrapolation APE of the digital-economy total, the other components at their chosen chains). "
        "Both rules are measured nested, choosing without each held-out table and scoring the choice on it "
        "(results/validation/selection_rules.csv).",
        enum=list(CRITERIA),
    )
    combinations: bool = _setting(
        True,
        "Score two combined candidates per component beside the chains: the mean of the candidates' estimates "
        "weighted by the inverse square of their median extrapolation APE (combination_weighted), and their "
        "plain mean (combination_equal); auto may choose one.",
    )
    resamples: int = _setting(
        200,
        "Resamples of provinces and backtest designs (drawn with replacement) on which each candidate's score "
        "is recomputed: a candidate's win_share is the share of them in which it scores best.",
        minimum=10,
        maximum=100000,
    )
    seed: int = _setting(2002, "Seed of the resampling (the same seed gives the same win shares).", minimum=0)
    toss_up_below: float = _setting(
        0.6,
        "A choice whose win share is below this is called a toss-up in the log, the summaries and the captions "
        "(a way of reading the share, not a parameter of the estimate).",
        exclusiveMinimum=0,
        maximum=1,
    )


@dataclass(frozen=True)
class IndicatorSettings:
    """Annual indicator series beyond the built-in NBS provincial series."""

    user_csv: tuple[str, ...] = _setting(
        (),
        "The user's own annual indicators: long CSV files with columns province, year, indicator, value, unit "
        "(亿元, 万元 or 元) and optionally source; a user value replaces a built-in one of the same province, "
        "year and indicator.",
        uniqueItems=True,
    )
    break_threshold: float = _setting(
        0.5,
        "Screen of every annual series against the national sum of its indicator: a value whose log growth on "
        "the year before differs from the national sum's by more than this many log points (0.5: growth 65 % "
        "above or 39 % below it) is flagged, listed in results/validation/indicator_breaks.csv with its "
        "pattern and what was done, and marked in the indicator_break column and the gallery.",
        exclusiveMinimum=0,
    )
    breaks: str = _setting(
        "keep",
        "What is done to an outlier the screen finds (a value out of line and back within two years, or a "
        "last or first value out of line): keep it as published, or bridge it (its log ratio to the other "
        "provinces' sum interpolated from the nearest sound years). A lasting change of level is kept either "
        "way; every flagged value is listed with what was done.",
        enum=list(BREAK_ACTIONS),
    )
    chains: ComponentChains = field(
        default_factory=lambda: ComponentChains(),
        metadata={
            "description": "Candidate indicator chains of each component and which one is used (METHOD.md "
            "section 3): every candidate is scored by the backtest (results/validation/chain_comparison.csv)."
        },
    )
    selection: SelectionSettings = field(
        default_factory=lambda: SelectionSettings(),
        metadata={"description": "How auto chooses each component's chain, and how sure the choice is."},
    )
    price_base_changes: Mapping[str, tuple[int, ...]] = _setting(
        {"电信业务总量": (2019,)},
        "Indicators at constant prices of a base year that changes (indicator -> years of a change known from "
        "the publisher): only growth within one base is used, each change being bridged by the growth of the "
        "next indicator of the chain. Changes are also found in the data: a year in which the indicator falls "
        "in at least 90 % of provinces (电信业务总量: 2011, 2016, 2021).",
        additionalProperties_items={"type": "integer", "minimum": 1990},
    )
    component_check_factor: float = _setting(
        2.5,
        "Check of the estimate against each component-level indicator (e.g. C39 revenue): a province-year "
        "whose ratio estimate / indicator lies beyond this factor of the national ratio (either way) is "
        "listed in results/validation/component_indicator_checks.csv and the log.",
        exclusiveMinimum=1,
    )


@dataclass(frozen=True)
class RatioSettings:
    """The split ratios s_I63 and r_media."""

    census_csv: str | None = _setting(
        None,
        "Economic-census CSV of income ratios (census_year,province,ratio,value[,source]; ratio s_I63 or r_media; "
        "province 全国 for national); each IO year uses the nearest census year. null: use the national detailed "
        "IO tables, each IO year the nearest one.",
    )
    news_publishing_share: float = _setting(
        1.0,
        "Part of 新闻和出版 (R86) counted as media, next to all of 广播、电视、电影和影视录音制作 (R87).",
        minimum=0,
        maximum=1,
    )


@dataclass(frozen=True)
class EstimateSettings:
    """Which years are written out, and which methods and conventions are computed."""

    first_year: int = _setting(
        2002, "First year written out (the backtest and bands do not depend on it).", minimum=1990
    )
    last_year: int = _setting(
        2024,
        "Last year written out; every year must be covered by the indicator chains. The default is the last "
        "year the built-in data carry for every province: each chain ends in 地区生产总值, which reaches 2024.",
        minimum=1990,
    )
    methods: tuple[str, ...] = _setting(
        ("hold", "linear", "spline", "chow_lin", "national"),
        "Methods for the coefficient path between and beyond benchmarks (names of the method registry; "
        "national needs a national 42-sector table).",
        minItems=1,
        uniqueItems=True,
    )
    conventions: tuple[str, ...] = _setting(
        CONVENTIONS,
        "Benchmark-coefficient conventions: share (c = V / A from the IO table) and benchmark (c = V / X).",
        minItems=1,
        uniqueItems=True,
        items_enum=list(CONVENTIONS),
    )
    recommended_method: str = _setting("linear", "The method laid out in the wide tables and the gallery.")
    recommended_convention: str = _setting(
        "share", "The convention laid out in the wide tables and the gallery.", enum=list(CONVENTIONS)
    )


@dataclass(frozen=True)
class PlotSettings:
    """The figures."""

    language: str = _setting("en", "Labels of the figures: en (English) or zh (Chinese).", enum=list(LANGUAGES))


@dataclass(frozen=True)
class PriceSettings:
    """Constant prices: the base year and the user's volume indices (inputs.price_indices, estimation.prices)."""

    base_year: int = _setting(
        2017,
        "Year whose prices the real values are expressed in (real = nominal in that year); each component is "
        "deflated by its sector's implicit deflator chained from the NBS volume indices (上年=100), moving with "
        "the GDP deflator in a year without the sector's index (real_flag: gdp deflator).",
        minimum=1990,
    )
    user_csv: tuple[str, ...] = _setting(
        (),
        "The user's own volume indices: long CSV files with columns province, year, index (上年=100, e.g. 106.1), "
        "series (industry, secondary, tertiary or gdp) and optionally source; a user index replaces a built-in "
        "one of the same province, year and series. A year no index reaches has no real value (real_flag: no "
        "price index).",
        uniqueItems=True,
    )


@dataclass(frozen=True)
class ExportSettings:
    """The published files (digecon.outputs.export, digecon.outputs.panel)."""

    csv_encoding: str = _setting(
        "utf-8",
        "Encoding of every result CSV: utf-8 (no BOM; R, Stata and pandas) or utf-8-sig (with the BOM that makes "
        "Excel show Chinese text when the CSV is double-clicked).",
        enum=list(CSV_ENCODINGS),
    )


CITY_KEYS = ("emp_I", "emp_R", "emp_C", "telecom_revenue", "mobile", "broadband", "gdp", "va2", "va3")
CITY_CANDIDATE = r"^(" + "|".join(CITY_KEYS) + r")(\+(" + "|".join(CITY_KEYS) + r"))*$"


@dataclass(frozen=True)
class CitySettings:
    """The city stage: the provinces' components distributed over their prefecture-level cities."""

    first_year: int = _setting(2010, "First year of the city estimates.", minimum=2009)
    last_year: int = _setting(2023, "Last year of the city estimates.", minimum=2009)
    candidates: Mapping[str, tuple[str, ...]] = _setting(
        {
            "electronics": ("emp_C", "va2", "gdp", "emp_C+va2"),
            "it_services": ("emp_I", "va3", "gdp", "emp_I+va3"),
            "telecom": ("telecom_revenue", "emp_I", "mobile", "broadband", "va3", "telecom_revenue+emp_I"),
            "media": ("emp_R", "va3", "emp_I", "gdp", "emp_R+va3"),
        },
        "Candidate distribution keys of each component: a key (emp_I, emp_R, emp_C section employment; "
        "telecom_revenue; mobile and broadband users; gdp, va2, va3 value added) or keys joined by + (the mean "
        "of their shares). Each is scored one level up (nation -> provinces against the provinces' IO tables).",
        additionalProperties_items={"type": "string", "pattern": CITY_CANDIDATE},
        additionalProperties_minItems=1,
        additionalProperties_uniqueItems=True,
    )
    use: Mapping[str, str] = _setting(
        {"electronics": "auto", "it_services": "auto", "telecom": "auto", "media": "auto"},
        "The key used per component: a candidate, or auto: the candidate with the lowest median level-up APE "
        "at distance 0 on the table years all candidates cover (a tie goes to the earlier candidate).",
    )
    movers: Mapping[str, str] = _setting(
        {"electronics": "va2", "it_services": "va3", "telecom": "va3", "media": "va3"},
        "Key that continues where the chosen key has no value (industry employment ends in 2019): the last "
        "shares are carried forward, each moved by the city's growth in this key relative to its province.",
        additionalProperties_pattern=r"^(" + "|".join(CITY_KEYS) + r")$",
    )
    outlier_factor: float = _setting(
        3.0,
        "A city's key relative to its province (key / mover, over the province's) that changes by more than this "
        "factor against both neighbouring years (or against its one neighbour at either end of a series) is "
        "flagged as an outlier and bridged; a lasting change beyond it is flagged as a break and kept.",
        exclusiveMinimum=1,
    )
    max_distance_years: int = _setting(
        4,
        "Largest distance between a key's year and the table year measured one level up (beyond it the band of "
        "the largest measured distance is used, and the output says so).",
        minimum=0,
        maximum=20,
    )
    published_csv: str | None = _setting(
        None,
        "Your published city figures to compare with the estimates: long CSV with columns city (name or "
        "6-digit code), year, component (electronics, it_services, telecom, media or total), value_100m_yuan and "
        "optionally source; compared in results/cities/published_comparison.csv.",
    )


@dataclass(frozen=True)
class Settings:
    """Every setting of a run; build it with :func:`settings_from_config` or :func:`load_settings`."""

    retrieve: RetrieveSettings = field(default_factory=RetrieveSettings)
    io_tables: IOTableSettings = field(default_factory=IOTableSettings)
    indicators: IndicatorSettings = field(default_factory=IndicatorSettings)
    ratios: RatioSettings = field(default_factory=RatioSettings)
    estimate: EstimateSettings = field(default_factory=EstimateSettings)
    plots: PlotSettings = field(default_factory=PlotSettings)
    prices: PriceSettings = field(default_factory=PriceSettings)
    export: ExportSettings = field(default_factory=ExportSettings)
    cities: CitySettings = field(default_factory=CitySettings)

    @property
    def years(self) -> range:
        """The years written out."""
        return range(self.estimate.first_year, self.estimate.last_year + 1)

    def mirror(self, environ: Mapping[str, str] = os.environ) -> Path | None:
        """Find the mirror folder: ``retrieve.mirror`` if set, else ``$DIGECON_MIRROR``, else None (download).

        Parameters
        ----------
        environ
            The environment to read ``DIGECON_MIRROR`` from.

        Returns
        -------
        Path or None
            The folder (``~`` expanded), or None when neither is set.
        """
        value = self.retrieve.mirror or environ.get(MIRROR_ENV) or None
        return Path(value).expanduser() if value else None

    def as_dict(self) -> dict[str, dict[str, Any]]:
        """Give the settings as a plain configuration mapping (lists for tuples), as in config.yaml."""
        return _plain(self)


def _sections() -> dict[str, type]:
    """Section name -> settings class."""
    hints = typing.get_type_hints(Settings)
    return {f.name: hints[f.name] for f in dataclasses.fields(Settings)}


def _type_schema(hint: Any) -> dict[str, Any]:
    """JSON-schema type of a field's annotation (a settings class is a nested object)."""
    simple = {str: "string", int: "integer", float: "number", bool: "boolean"}
    if hint in simple:
        return {"type": simple[hint]}
    if dataclasses.is_dataclass(hint):
        return _object_schema(hint)
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is tuple:
        return {"type": "array", "items": _type_schema(args[0])}
    if origin is Mapping:
        return {"type": "object", "additionalProperties": _type_schema(args[1])}
    if origin in (typing.Union, types.UnionType) and type(None) in args:
        (inner,) = [a for a in args if a is not type(None)]
        return {"type": [_type_schema(inner)["type"], "null"]}
    raise TypeError(f"no JSON-schema type for {hint!r}")


def _field_schema(f: dataclasses.Field, hint: Any) -> dict[str, Any]:
    """Give the schema of one field: description, type, constraints (``items_enum``, ``additionalProperties_*``)."""
    typed = _type_schema(hint)  # a nested class brings its docstring: the field's own description wins
    spec = {"description": f.metadata["description"], **{k: v for k, v in typed.items() if k != "description"}}
    for key, value in f.metadata.items():
        if key == "items_enum":
            spec["items"] = {**spec["items"], "enum": value}
        elif key.startswith("additionalProperties_"):
            inner = key.removeprefix("additionalProperties_")
            values = spec["additionalProperties"]
            spec["additionalProperties"] = {**values, inner: {**values[inner], **value} if inner == "items" else value}
        elif key != "description":
            spec[key] = value
    return spec


def _object_schema(cls: type) -> dict[str, Any]:
    """Give the schema of a settings class: an object of its fields, ``additionalProperties: false``."""
    hints = typing.get_type_hints(cls)
    return {
        "description": (cls.__doc__ or "").strip(),
        "type": "object",
        "additionalProperties": False,
        "properties": {f.name: _field_schema(f, hints[f.name]) for f in dataclasses.fields(cls)},
    }


def json_schema() -> dict[str, Any]:
    """Generate the JSON schema of the configuration from the settings classes.

    Returns
    -------
    dict
        A draft 2020-12 schema: one object per section (and per nested settings class),
        ``additionalProperties: false``, every key with its type, description and constraints.
    """
    properties = {name: _object_schema(cls) for name, cls in _sections().items()}
    scenario = {
        "description": "A partial configuration: any section but " + ", ".join(NOT_PER_SCENARIO) + ".",
        "type": "object",
        "additionalProperties": False,
        "properties": {k: v for k, v in properties.items() if k not in NOT_PER_SCENARIO},
    }
    properties["scenarios"] = {
        "description": (
            "Named variants of the run, each a partial configuration merged over this one and estimated into "
            f"results/scenarios/<name>/, then compared (results/scenarios/comparison.csv). Empty: one run. "
            f"The name {MAIN_SCENARIO!r} is the run itself."
        ),
        "type": "object",
        "propertyNames": {"pattern": SCENARIO_NAME, "not": {"const": MAIN_SCENARIO}},
        "additionalProperties": scenario,
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "description": "digecon configuration (generated from digecon.core.settings; do not edit by hand)",
        "type": "object",
        "additionalProperties": False,
        "properties": properties,
    }


def schema_yaml() -> str:
    """Render the schema as the YAML text of ``workflow/schemas/config.schema.yaml`` (with its header)."""
    header = "# Generated by `digecon config --schema` from src/digecon/core/settings.py: do not edit by hand.\n"
    return header + yaml.safe_dump(json_schema(), allow_unicode=True, sort_keys=False, width=100)


def _schema_problems(config: Mapping[str, Any]) -> list[str]:
    """One line per schema violation: key, value, what is allowed."""
    import jsonschema  # imported here: only needed when validating

    problems = []
    validator = jsonschema.Draft202012Validator(json_schema())
    for error in sorted(validator.iter_errors(dict(config)), key=lambda e: list(map(str, e.absolute_path))):
        key = ".".join(str(p) for p in error.absolute_path) or "(top level)"
        if error.validator == "additionalProperties":
            allowed = ", ".join(error.schema.get("properties", {}))
            extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
            for name in extra:
                where = f"{key}.{name}" if key != "(top level)" else name
                problems.append(f"{where}: unknown key; allowed here: {allowed}")
            continue
        if "propertyNames" in error.schema_path:  # a scenario's name
            problems.append(
                f"{key}.{error.instance}: not a scenario name (a letter, then up to 39 letters, digits, _ or -; "
                f"{MAIN_SCENARIO!r} is the run itself)"
            )
            continue
        allowed = error.schema.get("enum") or error.schema.get("type")
        problems.append(f"{key} = {error.instance!r}: {error.message} (allowed: {allowed})")
    return problems


def _consistency_problems(settings: Settings) -> list[str]:
    """Rules the schema cannot express: keys that contradict each other."""
    estimate = settings.estimate
    problems = [
        f"{section}.{key} = {value!r}: not a finite number"
        for section, keys in settings.as_dict().items()
        for key, value in keys.items()
        if isinstance(value, float) and not math.isfinite(value)
    ]
    if estimate.first_year > estimate.last_year:
        problems.append(
            f"estimate.first_year ({estimate.first_year}) is after estimate.last_year ({estimate.last_year})"
        )
    if estimate.recommended_method not in estimate.methods:
        problems.append(
            f"estimate.recommended_method = {estimate.recommended_method!r}: not in estimate.methods "
            f"{list(estimate.methods)}"
        )
    if estimate.recommended_convention not in estimate.conventions:
        problems.append(
            f"estimate.recommended_convention = {estimate.recommended_convention!r}: not in estimate.conventions "
            f"{list(estimate.conventions)}"
        )
    return problems + _chain_problems(settings.indicators) + _city_problems(settings.cities)


def _city_problems(cities: CitySettings) -> list[str]:
    """Check that each city component's ``use`` names one of its candidates (or auto), and the years' order."""
    problems = []
    if cities.first_year > cities.last_year:
        problems.append(f"cities.first_year ({cities.first_year}) is after cities.last_year ({cities.last_year})")
    components = ("electronics", "it_services", "telecom", "media")
    for key in ("candidates", "use", "movers"):
        mapping = getattr(cities, key)
        problems += [f"cities.{key}.{c}: missing (one for each component)" for c in components if c not in mapping]
        problems += [
            f"cities.{key}.{c}: not a component ({', '.join(components)})" for c in mapping if c not in components
        ]
    for component, use in cities.use.items():
        allowed = ["auto", *cities.candidates.get(component, ())]
        if use not in allowed:
            problems.append(f"cities.use.{component} = {use!r}: unknown candidate (allowed: {', '.join(allowed)})")
    return problems


def _chain_problems(indicators: IndicatorSettings) -> list[str]:
    """Check that each chain's ``use`` names a candidate (a combination, auto), and no candidate has a reserved name."""
    problems = []
    chains = indicators.chains
    combinations = COMBINATION_NAMES if indicators.selection.combinations else ()
    for f in dataclasses.fields(chains):
        chain, key = getattr(chains, f.name), f"indicators.chains.{f.name}"
        for reserved in ("auto", *COMBINATION_NAMES):
            if reserved in chain.candidates:
                problems.append(f"{key}.candidates.{reserved}: the name {reserved} is reserved; rename the candidate")
        allowed = ["auto", *chain.candidates, *(combinations if len(chain.candidates) > 1 else ())]
        if chain.use not in allowed:
            off = " (indicators.selection.combinations is false)" if chain.use in COMBINATION_NAMES else ""
            problems.append(f"{key}.use = {chain.use!r}: unknown candidate{off} (allowed: {', '.join(allowed)})")
    return problems


def settings_from_config(config: Mapping[str, Any], *, known_methods: Iterable[str] | None = None) -> Settings:
    """Validate a configuration mapping (as Snakemake merges it) and build the settings.

    Missing keys take their defaults; unknown keys and wrong values are refused.

    Parameters
    ----------
    config
        Nested mapping, section -> key -> value.
    known_methods
        Names of the method registry, to check ``estimate.methods`` (None: not checked here).

    Returns
    -------
    Settings

    Raises
    ------
    ConfigError
        With one line per violation (key, value, what is allowed).
    """
    problems = _schema_problems(config) + _method_problems(config, known_methods)
    if problems:
        raise ConfigError(problems)
    settings = _settings_of(config)
    problems = _consistency_problems(settings)
    for name, layer in (config.get("scenarios") or {}).items():
        merged = _scenario_config(config, layer)
        problems += [
            f"scenarios.{name}: {p}"
            for p in _method_problems(merged, known_methods) + _consistency_problems(_settings_of(merged))
        ]
    if problems:
        raise ConfigError(problems)
    return settings


def _settings_of(config: Mapping[str, Any]) -> Settings:
    """Build the settings of a configuration the schema has accepted (defaults for the keys not given)."""
    return Settings(**{name: _build(cls(), config.get(name) or {}) for name, cls in _sections().items()})


def _scenario_config(config: Mapping[str, Any], layer: Mapping[str, Any]) -> dict[str, Any]:
    """Merge a scenario's partial configuration over the run's (without its ``scenarios``)."""
    merged = copy.deepcopy({k: _plain(v) for k, v in config.items() if k != "scenarios"})
    _merge(merged, layer, "scenario", {})
    return merged


def scenario_settings(config: Mapping[str, Any], *, known_methods: Iterable[str] | None = None) -> dict[str, Settings]:
    """Give the settings of each scenario of ``scenarios:``, its partial configuration merged over the run's.

    Parameters
    ----------
    config
        The run's configuration mapping, as for :func:`settings_from_config` (which validates it,
        scenarios included).
    known_methods
        See :func:`settings_from_config`.

    Returns
    -------
    dict
        Scenario name -> settings, in the order of the configuration; empty when there are none.

    Raises
    ------
    ConfigError
        As :func:`settings_from_config`, a scenario's problems prefixed ``scenarios.<name>:``.
    """
    settings_from_config(config, known_methods=known_methods)
    return {
        # validated above, scenarios included: only built here
        name: _settings_of(_scenario_config(config, layer))
        for name, layer in (config.get("scenarios") or {}).items()
    }


def _method_problems(config: Mapping[str, Any], known_methods: Iterable[str] | None) -> list[str]:
    """Name each method of ``estimate.methods`` the registry does not know (reported with the schema's problems)."""
    estimate = config.get("estimate")
    methods = estimate.get("methods") if isinstance(estimate, Mapping) else None
    if known_methods is None or not isinstance(methods, list | tuple):
        return []
    known = list(known_methods)
    return [
        f"estimate.methods: unknown method {m!r} (allowed: {', '.join(known)})"
        for m in methods
        if isinstance(m, str) and m not in known
    ]


def _build(default: Any, given: Mapping[str, Any]) -> Any:
    """Build a settings object from ``default`` and the keys given (validated by the schema).

    Nested settings classes are built the same way; a mapping of named entries (e.g. candidate chains)
    keeps the default entries not given, so a configuration file may add one candidate.
    """
    values = {}
    for f in dataclasses.fields(default):
        if f.name not in given:
            continue
        current, value = getattr(default, f.name), given[f.name]
        if dataclasses.is_dataclass(current):
            values[f.name] = _build(current, value or {})
        elif isinstance(current, Mapping):
            values[f.name] = _frozen({**current, **(value or {})})
        else:
            values[f.name] = _frozen(value)
    return dataclasses.replace(default, **values)


def _merge(
    base: dict[str, Any], layer: Mapping[str, Any], origin: str, origins: dict[str, str], prefix: str = ""
) -> None:
    """Merge one configuration layer into ``base``, mappings recursively as Snakemake merges config files.

    Records the origin of every key set, by its dotted path (``indicators.chains.electronics.use``).
    A value that is not a mapping replaces what was there (left for the schema to refuse if wrong).
    """
    for key, value in layer.items():
        path = f"{prefix}{key}"
        if isinstance(value, Mapping) and isinstance(base.get(key, {}), dict):
            _merge(base.setdefault(key, {}), value, origin, origins, f"{path}.")
        else:
            base[key] = value
            origins[path] = origin


def _leaves(values: Mapping[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    """Dotted path and value of every leaf of a nested mapping (an empty mapping is a leaf)."""
    leaves = []
    for key, value in values.items():
        if isinstance(value, Mapping) and value:
            leaves += _leaves(value, f"{prefix}{key}.")
        else:
            leaves.append((f"{prefix}{key}", value))
    return leaves


def _read_yaml(path: Path) -> Mapping[str, Any]:
    """Read a YAML configuration file; a clear error when it cannot be read or is not a mapping."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError([f"{path}: cannot read the configuration file ({exc})"]) from exc
    if not isinstance(data, Mapping):
        raise ConfigError([f"{path}: expected a mapping of sections, found {type(data).__name__}"])
    return data


def parse_override(text: str) -> dict[str, Any]:
    """Parse ``section.key=value`` (value in YAML) into a one-key configuration layer.

    Parameters
    ----------
    text
        E.g. ``estimate.first_year=2008``, or a nested key such as
        ``indicators.chains.electronics.use=c39_revenue``.

    Returns
    -------
    dict
        ``{section: {key: value}}``, e.g. ``{"estimate": {"first_year": 2008}}``; one level per dot.

    Raises
    ------
    ConfigError
        If ``text`` has no ``=`` or its key no ``.``.
    """
    key, sep, value = text.partition("=")
    section, dot, name = key.strip().partition(".")
    if not sep or not dot:
        raise ConfigError([f"{text!r}: expected section.key=value, e.g. estimate.first_year=2008"])
    layer: Any = yaml.safe_load(value)
    for part in reversed([section, *name.split(".")]):
        layer = {part: layer}
    return layer


def overrides_config(overrides: Sequence[str]) -> dict[str, Any]:
    """Merge ``section.key=value`` overrides into one configuration layer (for ``snakemake --configfile``).

    Parameters
    ----------
    overrides
        As for :func:`load_settings`.

    Returns
    -------
    dict
        Nested mapping, later overrides winning.

    Raises
    ------
    ConfigError
        For a malformed override (:func:`parse_override`).
    """
    merged: dict[str, Any] = {}
    for text in overrides:
        _merge(merged, parse_override(text), "--config", {})
    return merged


def load_settings(
    config_files: Sequence[str | Path],
    overrides: Sequence[str] = (),
    *,
    environ: Mapping[str, str] = os.environ,
    known_methods: Iterable[str] | None = None,
) -> tuple[Settings, dict[str, str]]:
    """Build the settings from configuration files and ``section.key=value`` overrides, with each value's origin.

    Parameters
    ----------
    config_files
        YAML files, later ones winning (``config/config.yaml`` first).
    overrides
        ``section.key=value`` strings, as given to ``snakemake --config``.
    environ
        Environment, for ``DIGECON_MIRROR``.
    known_methods
        See :func:`settings_from_config`.

    Returns
    -------
    (settings, origins)
        ``origins`` maps ``section.key`` to ``default``, a file name, ``--config`` or the environment.

    Raises
    ------
    ConfigError
        For a file that cannot be read or is not a mapping, a malformed override, or settings that
        :func:`settings_from_config` refuses.
    """
    merged: dict[str, Any] = {}
    origins = {path: "default" for path, _ in _leaves(Settings().as_dict())}
    for path in config_files:
        _merge(merged, _read_yaml(Path(path)), str(path), origins)
    for text in overrides:
        _merge(merged, parse_override(text), "--config", origins)
    settings = settings_from_config(merged, known_methods=known_methods)
    if settings.retrieve.mirror is None and environ.get(MIRROR_ENV):
        origins["retrieve.mirror"] = f"environment {MIRROR_ENV}={environ[MIRROR_ENV]} (retrieve.mirror is null)"
    return settings, origins


def describe_settings(settings: Settings, origins: Mapping[str, str]) -> list[str]:
    """Describe the settings, one line per key (nested keys dotted): ``section.key = value    (origin)``.

    Like ``git config --show-origin``.

    Parameters
    ----------
    settings
        The settings to show.
    origins
        ``section.key`` -> where its value came from (:func:`load_settings`); missing keys show ``()``.

    Returns
    -------
    list of str
        Values as JSON, origins aligned in one column.
    """
    rows = [
        (path, json.dumps(value, ensure_ascii=False), origins.get(path, ""))
        for path, value in _leaves(settings.as_dict())
    ]
    width = max(len(k) + len(v) for k, v, _ in rows) + 4
    return [f"{k} = {v}".ljust(width) + f"({o})" for k, v, o in rows]
