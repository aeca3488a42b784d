"""The settings: one typed, immutable object built from the configuration.

Every default is written once, here. The JSON schema of ``config/config.yaml``
(``workflow/schemas/config.schema.yaml``) is generated from these classes
(:func:`json_schema`, written by ``digecon config --schema``), and a test checks that the
committed schema and ``config/config.yaml`` agree with them.

Configuration is layered as Snakemake layers it: the defaults, then ``config/config.yaml``,
then each ``--configfile``, then ``--config KEY=VALUE``; ``retrieve.mirror`` left empty falls
back to the environment variable ``DIGECON_MIRROR``. :func:`load_settings` records, for every
key, the layer its value came from (shown by ``digecon config``).

This module imports nothing heavy (no pandas): the Snakefile builds the settings at parse time.
"""

from __future__ import annotations

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


def _setting(default: Any, description: str, **constraints: Any) -> Any:
    """Declare a settings field: its default, description and JSON-schema constraints.

    The description goes into the schema (``digecon config --schema``); the constraints (minimum,
    maximum, enum, minItems, uniqueItems, ...) go into the schema as they are, except
    ``items_enum``, the allowed values of a list's items. A list or tuple default becomes a tuple.
    """
    if isinstance(default, list | tuple):
        return field(default_factory=lambda: tuple(default), metadata={"description": description, **constraints})
    return field(default=default, metadata={"description": description, **constraints})


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
        "Year-on-year change of an indicator (relative, e.g. 0.5 = ±50 %) beyond which it is flagged as a "
        "possible break: in results/validation/indicator_breaks.csv, the indicator_break column and the gallery.",
        exclusiveMinimum=0,
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
        2023, "Last year written out; every year must be covered by the indicator chains.", minimum=1990
    )
    methods: tuple[str, ...] = _setting(
        ("hold", "linear", "spline", "chow_lin"),
        "Methods for the coefficient path between and beyond benchmarks (names of the method registry).",
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

    language: str = _setting(
        "en", "Labels of the figures: en (English) or zh (Chinese; needs a CJK font).", enum=list(LANGUAGES)
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
        return {
            section.name: {k: list(v) if isinstance(v, tuple) else v for k, v in dataclasses.asdict(value).items()}
            for section in dataclasses.fields(self)
            for value in [getattr(self, section.name)]
        }


def _sections() -> dict[str, type]:
    """Section name -> settings class."""
    hints = typing.get_type_hints(Settings)
    return {f.name: hints[f.name] for f in dataclasses.fields(Settings)}


def _type_schema(hint: Any) -> dict[str, Any]:
    """JSON-schema type of a field's annotation."""
    simple = {str: "string", int: "integer", float: "number", bool: "boolean"}
    if hint in simple:
        return {"type": simple[hint]}
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is tuple:
        return {"type": "array", "items": _type_schema(args[0])}
    if origin in (typing.Union, types.UnionType) and type(None) in args:
        (inner,) = [a for a in args if a is not type(None)]
        return {"type": [_type_schema(inner)["type"], "null"]}
    raise TypeError(f"no JSON-schema type for {hint!r}")


def json_schema() -> dict[str, Any]:
    """Generate the JSON schema of the configuration from the settings classes.

    Returns
    -------
    dict
        A draft 2020-12 schema: one object per section, ``additionalProperties: false``, every key
        with its type, description and constraints.
    """
    properties = {}
    for name, cls in _sections().items():
        hints = typing.get_type_hints(cls)
        keys = {}
        for f in dataclasses.fields(cls):
            spec = {"description": f.metadata["description"], **_type_schema(hints[f.name])}
            for key, value in f.metadata.items():
                if key == "items_enum":
                    spec["items"] = {**spec["items"], "enum": value}
                elif key != "description":
                    spec[key] = value
            keys[f.name] = spec
        properties[name] = {
            "description": (cls.__doc__ or "").strip(),
            "type": "object",
            "additionalProperties": False,
            "properties": keys,
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
    problems = _schema_problems(config)
    if problems:
        raise ConfigError(problems)
    sections = {}
    for name, cls in _sections().items():
        given = dict(config.get(name) or {})
        sections[name] = cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in given.items()})
    settings = Settings(**sections)
    problems = _consistency_problems(settings)
    if known_methods is not None:
        known = list(known_methods)
        problems += [
            f"estimate.methods: unknown method {m!r} (allowed: {', '.join(known)})"
            for m in settings.estimate.methods
            if m not in known
        ]
    if problems:
        raise ConfigError(problems)
    return settings


def _merge(base: dict[str, Any], layer: Mapping[str, Any], origin: str, origins: dict[str, str]) -> None:
    """Merge one configuration layer into ``base`` (two levels), recording each key's origin."""
    for section, values in layer.items():
        if not isinstance(values, Mapping):
            base[section] = values  # left for the schema to refuse
            origins[section] = origin
            continue
        for key, value in values.items():
            base.setdefault(section, {})[key] = value
            origins[f"{section}.{key}"] = origin


def _read_yaml(path: Path) -> Mapping[str, Any]:
    """Read a YAML configuration file; a clear error when it cannot be read or is not a mapping."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError([f"{path}: cannot read the configuration file ({exc})"]) from exc
    if not isinstance(data, Mapping):
        raise ConfigError([f"{path}: expected a mapping of sections, found {type(data).__name__}"])
    return data


def parse_override(text: str) -> dict[str, dict[str, Any]]:
    """Parse ``section.key=value`` (value in YAML) into a one-key configuration layer.

    Parameters
    ----------
    text
        E.g. ``estimate.first_year=2008``.

    Returns
    -------
    dict
        ``{section: {key: value}}``, e.g. ``{"estimate": {"first_year": 2008}}``.

    Raises
    ------
    ConfigError
        If ``text`` has no ``=`` or its key no ``.``.
    """
    key, sep, value = text.partition("=")
    section, dot, name = key.strip().partition(".")
    if not sep or not dot:
        raise ConfigError([f"{text!r}: expected section.key=value, e.g. estimate.first_year=2008"])
    return {section: {name: yaml.safe_load(value)}}


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
    origins = {
        f"{section}.{f.name}": "default" for section, cls in _sections().items() for f in dataclasses.fields(cls)
    }
    for path in config_files:
        _merge(merged, _read_yaml(Path(path)), str(path), origins)
    for text in overrides:
        _merge(merged, parse_override(text), "--config", origins)
    settings = settings_from_config(merged, known_methods=known_methods)
    if settings.retrieve.mirror is None and environ.get(MIRROR_ENV):
        origins["retrieve.mirror"] = f"environment {MIRROR_ENV}={environ[MIRROR_ENV]} (retrieve.mirror is null)"
    return settings, origins


def describe_settings(settings: Settings, origins: Mapping[str, str]) -> list[str]:
    """Describe the settings, one line per key: ``section.key = value    (origin)``.

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
        (f"{section}.{key}", json.dumps(value, ensure_ascii=False), origins.get(f"{section}.{key}", ""))
        for section, values in settings.as_dict().items()
        for key, value in values.items()
    ]
    width = max(len(k) + len(v) for k, v, _ in rows) + 4
    return [f"{k} = {v}".ljust(width) + f"({o})" for k, v, o in rows]
