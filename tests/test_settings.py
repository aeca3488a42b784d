"""The settings object: defaults written once; schema and config.yaml agree with it; origins; errors."""

from __future__ import annotations

import ast
import dataclasses
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from digecon.core.errors import ConfigError
from digecon.core.settings import (
    Settings,
    describe_settings,
    json_schema,
    load_settings,
    parse_override,
    schema_yaml,
    settings_from_config,
)

REPO = Path(__file__).resolve().parents[1]


def test_committed_schema_is_the_generated_one() -> None:
    committed = (REPO / "workflow/schemas/config.schema.yaml").read_text(encoding="utf-8")
    assert committed == schema_yaml(), "regenerate it: digecon config --schema > workflow/schemas/config.schema.yaml"


def test_config_yaml_holds_every_key_with_its_default() -> None:
    config = yaml.safe_load((REPO / "config/config.yaml").read_text(encoding="utf-8"))
    assert config == {**Settings().as_dict(), "scenarios": {}}  # scenarios: none by default


def test_every_key_of_config_yaml_has_a_comment_above_its_group() -> None:
    """Every key line follows a comment line, or a key line of the same group that does (first/last year)."""
    lines = (REPO / "config/config.yaml").read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines):
        if line.startswith("  ") and not line.lstrip().startswith("#"):
            above = lines[i - 1].lstrip()
            assert above.startswith("#") or lines[i - 2].lstrip().startswith("#"), line


def test_settings_are_immutable() -> None:
    settings = Settings()
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.estimate.first_year = 2010  # type: ignore[misc]


def test_partial_configuration_takes_defaults() -> None:
    settings = settings_from_config(
        {"estimate": {"first_year": 2008, "methods": ["linear"], "recommended_method": "linear"}}
    )
    assert settings.estimate.first_year == 2008
    assert settings.estimate.methods == ("linear",)
    assert settings.io_tables.va_identity_tolerance == 5.0
    assert list(settings.years) == list(range(2008, 2025))


def test_one_line_per_violation() -> None:
    with pytest.raises(ConfigError) as caught:
        settings_from_config(
            {"estimate": {"first_yer": 2008, "conventions": ["share", "both"]}, "plots": {"language": "fr"}}
        )
    problems = caught.value.problems
    assert len(problems) == 3
    assert any(p.startswith("estimate.first_yer: unknown key; allowed here: first_year") for p in problems)
    assert any(p.startswith("estimate.conventions.1 = 'both'") and "share" in p for p in problems)
    assert any(p.startswith("plots.language = 'fr'") and "['en', 'zh']" in p for p in problems)


def test_numbers_must_be_finite() -> None:
    with pytest.raises(ConfigError, match=r"io_tables\.va_identity_tolerance = nan: not a finite number"):
        settings_from_config({"io_tables": {"va_identity_tolerance": float("nan")}})


def test_keys_that_contradict_each_other() -> None:
    with pytest.raises(ConfigError, match=r"recommended_method = 'spline': not in estimate\.methods"):
        settings_from_config({"estimate": {"methods": ["linear"], "recommended_method": "spline"}})
    with pytest.raises(ConfigError, match=r"first_year \(2020\) is after estimate\.last_year \(2010\)"):
        settings_from_config({"estimate": {"first_year": 2020, "last_year": 2010}})
    with pytest.raises(ConfigError, match=r"unknown method 'denton' \(allowed: hold, linear"):
        settings_from_config({"estimate": {"methods": ["linear", "denton"]}}, known_methods=["hold", "linear"])


def test_origins_follow_the_layers(tmp_path: Path) -> None:
    extra = tmp_path / "mine.yaml"
    extra.write_text("estimate:\n  last_year: 2020\n", encoding="utf-8")
    settings, origins = load_settings(
        [REPO / "config/config.yaml", extra], ["plots.language=zh"], environ={"DIGECON_MIRROR": "/mirror"}
    )
    assert settings.estimate.last_year == 2020 and origins["estimate.last_year"] == str(extra)
    assert settings.plots.language == "zh" and origins["plots.language"] == "--config"
    assert origins["estimate.first_year"] == str(REPO / "config/config.yaml")
    assert "DIGECON_MIRROR=/mirror" in origins["retrieve.mirror"]
    assert settings.mirror({"DIGECON_MIRROR": "/mirror"}) == Path("/mirror")
    lines = describe_settings(settings, origins)
    assert any(line.startswith('plots.language = "zh"') and line.endswith("(--config)") for line in lines)


def test_defaults_origin_without_files() -> None:
    settings, origins = load_settings([], environ={})
    assert settings == Settings()
    assert set(origins.values()) == {"default"}


def test_bad_override_and_bad_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"expected section\.key=value"):
        parse_override("first_year=2008")
    bad = tmp_path / "bad.yaml"
    bad.write_text("- a list\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="expected a mapping of sections"):
        load_settings([bad])


values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-5000, 5000), st.floats(allow_nan=True), st.text(max_size=8)),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6,
)
sections = st.sampled_from(["retrieve", "io_tables", "indicators", "ratios", "estimate", "plots", "other"])
keys = st.sampled_from(
    [
        "mirror",
        "manifest",
        "user_folders",
        "allowed_units",
        "va_identity_tolerance",
        "break_threshold",
        "census_csv",
        "news_publishing_share",
        "first_year",
        "last_year",
        "methods",
        "conventions",
        "recommended_method",
        "language",
        "x",
    ]
)


@hypothesis_settings(max_examples=200, deadline=None)
@given(config=st.dictionaries(sections, st.dictionaries(keys, values, max_size=3) | values, max_size=3))
def test_any_configuration_gives_settings_or_a_config_error(config: dict) -> None:
    """Fuzzing the configuration: whatever a user writes ends in Settings or in ConfigError lines naming keys."""
    try:
        result = settings_from_config(config)
    except ConfigError as exc:
        assert exc.problems and all(isinstance(p, str) and p for p in exc.problems)
    else:
        assert isinstance(result, Settings)


def test_an_unknown_candidate_is_one_line_naming_the_key() -> None:
    with pytest.raises(ConfigError) as caught:
        settings_from_config({"indicators": {"chains": {"electronics": {"use": "c39"}}}})
    allowed = "auto, industry, c39_revenue, combination_weighted, combination_equal"
    assert caught.value.problems == [
        f"indicators.chains.electronics.use = 'c39': unknown candidate (allowed: {allowed})"
    ]
    with pytest.raises(ConfigError, match=r"indicators\.chains\.robots: unknown key; allowed here: electronics"):
        settings_from_config({"indicators": {"chains": {"robots": {"use": "auto"}}}})
    with pytest.raises(ConfigError, match=r"indicators\.chains\.media\.candidates\.auto: the name auto is reserved"):
        settings_from_config({"indicators": {"chains": {"media": {"candidates": {"auto": ["其他行业增加值"]}}}}})
    with pytest.raises(ConfigError, match=r"indicators\.chains\.media\.candidates\.mine = \[\]"):
        settings_from_config({"indicators": {"chains": {"media": {"candidates": {"mine": []}}}}})


def test_a_file_adds_a_candidate_and_keeps_the_built_in_ones(tmp_path: Path) -> None:
    extra = tmp_path / "mine.yaml"
    extra.write_text(
        "indicators:\n  chains:\n    electronics:\n      use: mine\n      candidates:\n        mine: [C39营业收入]\n",
        encoding="utf-8",
    )
    settings, origins = load_settings([REPO / "config/config.yaml", extra])
    electronics = settings.indicators.chains.electronics
    assert electronics.use == "mine" and list(electronics.candidates) == ["industry", "c39_revenue", "mine"]
    assert electronics.candidates["mine"] == ("C39营业收入",)
    assert origins["indicators.chains.electronics.candidates.mine"] == str(extra)
    assert origins["indicators.chains.electronics.candidates.industry"] == str(REPO / "config/config.yaml")
    lines = describe_settings(settings, origins)
    assert any(line.startswith('indicators.chains.electronics.use = "mine"') for line in lines)
    assert parse_override("indicators.chains.media.use=wage_bill") == {
        "indicators": {"chains": {"media": {"use": "wage_bill"}}}
    }
    assert hash(settings) == hash(load_settings([REPO / "config/config.yaml", extra])[0])  # frozen all the way down


SECTIONS = r"(?:retrieve|io_tables|indicators|ratios|estimate|plots|prices|export|scenarios|cities)"
# a configuration key as messages name it: section.key[.more] (a part formatted in at run time is *)
CONFIG_KEY = re.compile(rf"(?<![\w./-]){SECTIONS}(?:\.(?:[a-z_][a-z0-9_]*|\*))+")


def _texts(path: Path) -> list[str]:
    """Every string of a module, f-strings with their formatted parts as ``*``."""
    texts = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.JoinedStr):
            texts.append("".join(v.value if isinstance(v, ast.Constant) else "*" for v in node.values))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            texts.append(node.value)
    return texts


def _in_schema(schema: dict, parts: list[str]) -> bool:
    """Whether a dotted key (``*`` for any name) is a property path of the JSON schema."""
    if not parts:
        return True
    if schema.get("type") != "object":
        return False
    part, rest = parts[0], parts[1:]
    named = schema.get("properties", {})
    if part in named:
        return _in_schema(named[part], rest)
    if isinstance(schema.get("additionalProperties"), dict):
        return _in_schema(schema["additionalProperties"], rest)
    return part == "*" and any(_in_schema(child, rest) for child in named.values())


def test_every_configuration_key_the_code_names_exists() -> None:
    """Messages send users to configuration keys: each one named in the package or the scripts must exist."""
    schema = json_schema()
    sources = [*(REPO / "src" / "digecon").rglob("*.py"), *(REPO / "workflow" / "scripts").rglob("*.py")]
    named = {match for path in sources for text in _texts(path) for match in CONFIG_KEY.findall(text)}
    assert "estimate.last_year" in named and "indicators.chains.*.use" in named  # the scan finds them
    assert sorted(k for k in named if not _in_schema(schema, k.split("."))) == []
