# Settings, runs, the input registry and the helpers the rules share. Only light modules are
# imported here (no pandas, statsmodels or matplotlib), so the DAG builds fast.
#
# A run is the main run or a scenario (`scenarios:` in the configuration). Every rule whose output
# depends on the settings carries the wildcard {run}: empty for the main run (results/tables/...),
# `scenarios/<name>/` for a scenario (results/scenarios/<name>/tables/...). A scenario reads the main
# run's intermediate tables wherever it does not change the settings they depend on.
import re
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
    SCENARIOS = scenario_settings(config, known_methods=METHODS)
    # run -> its settings and the files it reads
    RUNS = {"": SETTINGS, **{f"scenarios/{name}/": s for name, s in SCENARIOS.items()}}
    REGISTRIES = {run: build_registry(s) for run, s in RUNS.items()}
except (ConfigError, InputError) as problem:
    raise WorkflowError(problem.message()) from None
REGISTRY = REGISTRIES[""]
SCENARIO_LAYERS = {
    name: dict(layer) for name, layer in (config.get("scenarios") or {}).items()
}


wildcard_constraints:
    # a group, so that the main run's empty value is allowed (an empty constraint would be none)
    run="(?:{})".format("|".join(re.escape(run) for run in RUNS)),


PACKAGE = Path(digecon.__file__).parent  # the installed package, editable or not


def package_code(*stages):
    """Source files of the package stages a rule runs (and of core), so that code edits trigger reruns."""
    return sorted(
        str(p) for stage in ("core", *stages) for p in (PACKAGE / stage).rglob("*.py")
    )


def _subset(settings, keys):
    """The settings of ``keys`` (``section`` or ``section.key``) as a nested plain mapping."""
    plain, chosen = settings.as_dict(), {}
    for key in keys:
        section, _, name = key.partition(".")
        if name:
            chosen.setdefault(section, {})[name] = plain[section][name]
        else:
            chosen[section] = plain[section]
    return chosen


def settings_of(*keys):
    """A rule's ``params: settings=``: the run's settings of ``keys`` only, read by the script with
    ``settings_from_config``; a change of any other setting does not rerun the rule."""
    return lambda wildcards: _subset(RUNS[wildcards.run], keys)


def shared(run, keys):
    """The run whose output a stage that depends on the settings of ``keys`` uses: the main run's
    where the scenario does not change them, else the scenario's own."""
    return "" if _subset(RUNS[run], keys) == _subset(SETTINGS, keys) else run


# The settings each stage's output depends on, its own and those of the stages before it.
YEARBOOK_KEYS = ("indicators.user_csv",)
IO_TABLE_KEYS = (*YEARBOOK_KEYS, "io_tables")
RATIO_KEYS = (*IO_TABLE_KEYS, "ratios")
NATIONAL_KEYS = ("ratios", "io_tables.va_identity_tolerance")


def processed(name, keys):
    """Input function: ``data/processed/<run>name`` of the run that serves the job's run (:func:`shared`)."""
    return lambda wildcards: f"data/processed/{shared(wildcards.run, keys)}{name}"


def main_run(path):
    """A file of the main run (its {run} is empty), for the stages only the main run has (the cities)."""
    return path.format(run="")


def run_files(kind):
    """Input function: the run's files of one kind (its registry: built-in, then the user's)."""
    return lambda wildcards: REGISTRIES[wildcards.run].paths(kind)


def retrieved_sources():
    """Each retrieved dataset's repository@commit, as a mapping (the gallery footer writes it in its language)."""
    seen = {}
    for entry in REGISTRY.retrieved():
        seen.setdefault(entry.dataset, f"{entry.repository}@{entry.commit[:7]}")
    return seen


def data_sources(wildcards):
    """One line naming each retrieved dataset by repository and commit, and the run's own files, for the panel."""
    seen = retrieved_sources()
    users = REGISTRIES[wildcards.run].user_paths()
    if users:
        seen["user"] = f"{len(users)} files of the user's"
    return "; ".join(f"{dataset}: {source}" for dataset, source in seen.items())


def overview_only(path):
    """An input only the overview figures read: the other kinds need not wait for the job writing it."""
    return lambda wildcards: (
        [path.format(run=wildcards.run)] if wildcards.kind == "overview" else []
    )
