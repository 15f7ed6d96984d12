# The two sacred commands: `make demo` and `make test`. Both work on a fresh machine.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# The suite runs on every core (a database per worker); PYTEST_WORKERS=0 runs it in one process.
PYTEST_WORKERS ?= auto

.PHONY: demo test setup static serve clean lint bench

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "sencohub needs Python 3.11 ($(PYTHON) was not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

node_modules/.installed: package.json
	npm install --no-audit --no-fund --loglevel=error
	@touch node_modules/.installed

setup: $(STAMP) node_modules/.installed

static: setup
	DEBUG=1 $(BIN)/sencohub collectstatic --noinput --verbosity 0

demo: setup
	@mkdir -p var
	DEBUG=1 $(BIN)/sencohub migrate --noinput --verbosity 0
	DEBUG=1 $(BIN)/sencohub collectstatic --noinput --verbosity 0
	DEBUG=1 $(BIN)/sencohub demo
	@echo "Serving the demo at http://$(HOST):$(PORT) with a background worker (press Ctrl+C to stop)"
	@DEBUG=1 $(BIN)/sencohub db_worker --no-reload --no-startup-delay & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  DEBUG=1 $(BIN)/sencohub runserver $(HOST):$(PORT)

test: setup
	@mkdir -p var
	SENCOHUB_TESTING=1 $(BIN)/sencohub collectstatic --noinput --verbosity 0
	$(BIN)/ruff check --quiet src tests bench
	$(BIN)/ruff format --check --quiet src
	$(BIN)/lint-imports --no-logo
	SENCOHUB_TESTING=1 $(BIN)/python -m pytest --numprocesses=$(PYTEST_WORKERS) --dist=worksteal $(PYTEST_ARGS)

bench: setup
	SENCOHUB_TESTING=1 $(BIN)/python bench/register_and_import.py
	SENCOHUB_TESTING=1 $(BIN)/python bench/import_under_load.py
	$(BIN)/python bench/statutory_dates.py
	SENCOHUB_TESTING=1 $(BIN)/python bench/bulk_print.py
	SENCOHUB_TESTING=1 $(BIN)/python bench/provision_map.py
	SENCOHUB_TESTING=1 $(BIN)/python bench/workforce.py

lint: setup
	$(BIN)/python -m ruff check src tests bench
	$(BIN)/python -m ruff format --check src
	$(BIN)/lint-imports --no-logo

clean:
	rm -rf $(VENV) node_modules var .pytest_cache .hypothesis .import_linter_cache
