# Two commands for everything: `make run` (set up + main job) and `make test`.
# Settings for one run: make run SET="estimate.first_year=2008 plots.language=zh" (checked, then passed to
# Snakemake as a configuration file: its own --config takes no section.key). Extra Snakemake arguments:
# make run ARGS="--configfile mine.yaml" (or -n, --forceall, ...).
VENV ?= .venv
CORES ?= 2
PYTHON ?= python3
ARGS ?=
SET ?=
OVERRIDES := .snakemake/digecon-overrides.yaml
# The tests run in TEST_WORKERS processes (pytest-xdist; 0: one process, no workers). Extra pytest
# arguments: make test PYTEST_ARGS="-k panel", ...
TEST_WORKERS ?= $(CORES)
PYTEST_ARGS ?=

.PHONY: run test setup demo unlock clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/bin/python -m pip install --quiet -e ".[test]"
	touch $@

setup: $(VENV)/.installed

run: $(VENV)/.installed
	$(VENV)/bin/digecon preflight
	@mkdir -p .snakemake
	$(if $(SET),$(VENV)/bin/digecon config $(addprefix --set ,$(SET)) --write-overrides $(OVERRIDES))
	$(VENV)/bin/snakemake --cores $(CORES) $(if $(SET),--configfile $(OVERRIDES)) $(ARGS)

# Clear the lock a killed run left behind (`make run` says when).
unlock: $(VENV)/.installed
	$(VENV)/bin/snakemake --unlock $(ARGS)

test: $(VENV)/.installed
	$(VENV)/bin/python -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

# The whole pipeline on the small synthetic configuration (no data needed), into results/.
demo: $(VENV)/.installed
	$(VENV)/bin/digecon preflight
	$(VENV)/bin/python tools/make_synthetic_inputs.py data/synthetic
	$(VENV)/bin/snakemake --cores $(CORES) --configfile config/test/config.yaml $(ARGS)

# The SLURM profile on a one-node SLURM cluster started on this machine (needs root; installs slurm-wlm,
# munge and the [slurm] extra first): the synthetic run through SLURM against a local one, and a failing
# job (tests/test_slurm.py, which `make test` skips).
.PHONY: slurm-test
slurm-test: $(VENV)/.installed
	VENV=$(VENV) bash tools/slurm_test.sh

clean:
	rm -rf data/processed/*.csv results/* logs .snakemake
