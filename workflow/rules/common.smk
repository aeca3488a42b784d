# Settings, the input registry and the names the rules expand over. Only light modules are
# imported here (numpy at most; no pandas, statsmodels or matplotlib), so the DAG builds fast.
import dataclasses
from pathlib import Path

import digecon
from digecon.core.errors import ConfigError, InputError
from digecon.core.settings import scenario_settings, settings_from_config
from digecon.estimation.methods import METHODS
from digecon.inputs.registry import RAW_ROOT, build_registry
from digecon.inputs.retrieve import missing_or_damaged
from digecon.outputs.names import GALLERY_KINDS, WIDE_TABLES
from snakemake.exceptions import WorkflowError

try:
    SETTINGS = settings_from_config(config, known_methods=METHODS)
    REGISTRY = build_registry(SETTINGS)
    # named variants of the run (workflow/rules/scenarios.smk); none by default
    SCENARIOS = scenario_settings(config, known_methods=METHODS)
    SCENARIO_REGISTRIES = {name: build_registry(s) for name, s in SCENARIOS.items()}
except (ConfigError, InputError) as problem:
    raise WorkflowError(problem.message()) from None
# the chunks of regions the estimate runs in (workflow/rules/chunks.smk); none: one job
CHUNKS = list(range(SETTINGS.estimate.chunks)) if SETTINGS.estimate.chunks > 1 else []
SCENARIO_LAYERS = {
    name: dict(layer) for name, layer in (config.get("scenarios") or {}).items()
}

PACKAGE = Path(digecon.__file__).parent  # the installed package, editable or not


def package_code(*stages):
    """Source files of the package stages a rule runs (and of core), so that code edits trigger reruns."""
    return sorted(
        str(p) for stage in ("core", *stages) for p in (PACKAGE / stage).rglob("*.py")
    )


def section(name):
    """One section of the settings as a plain mapping, for a rule's params."""
    return dataclasses.asdict(getattr(SETTINGS, name))


def retrieved_sources():
    """Each retrieved dataset's repository@commit, as a mapping (the gallery footer writes it in its language)."""
    seen = {}
    for entry in REGISTRY.retrieved():
        seen.setdefault(entry.dataset, f"{entry.repository}@{entry.commit[:7]}")
    return seen


def data_sources():
    """One line naming each retrieved dataset by repository and commit, and the user's files, for the panel."""
    seen = retrieved_sources()
    if REGISTRY.user_paths():
        seen["user"] = f"{len(REGISTRY.user_paths())} files of the user's"
    return "; ".join(f"{dataset}: {source}" for dataset, source in seen.items())


def overview_only(path):
    """An input only the overview figures read: the other kinds need not wait for the job writing it."""
    return lambda wildcards: [path] if wildcards.kind == "overview" else []
