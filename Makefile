# Two commands for everything: `make run` (set up + main job) and `make test`.
VENV ?= .venv
CORES ?= 2
PYTHON ?= python3

.PHONY: run test setup clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/bin/python -m pip install --quiet -e ".[test]"
	touch $@

setup: $(VENV)/.installed

run: $(VENV)/.installed
	$(VENV)/bin/snakemake --cores $(CORES)

test: $(VENV)/.installed
	$(VENV)/bin/python -m pytest

clean:
	rm -rf data/processed/*.csv results/* logs .snakemake
