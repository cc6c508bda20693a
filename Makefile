# Casework task runner. `make demo` starts the app with demo data; `make test` runs the suite.

# Python 3.12+: python3.12 where it exists, else python3 (pyenv picks 3.12 from .python-version).
PYTHON ?= $(shell command -v python3.12 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Development switch for the demo only; production settings are the default.
DEMO_ENV := DEBUG=1
# The test run needs a key; tests never see production secrets.
TEST_ENV := SECRET_KEY=$${SECRET_KEY:-insecure-test-only-key}

.PHONY: install demo test lint fmt messages compilemessages clean-db

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else "Casework needs Python 3.12 or newer; set PYTHON=/path/to/python3.12")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@touch $@

install: $(VENV)/.installed

# Compiled catalogs are committed; recompile when gettext is there so edits take effect.
compilemessages: install
	@if command -v msgfmt >/dev/null 2>&1; then \
		$(DEMO_ENV) $(BIN)/python manage.py compilemessages --ignore=.venv --verbosity=0; \
	else \
		echo "gettext is not installed: using the committed translation catalogs."; \
	fi

demo: install compilemessages
	$(DEMO_ENV) $(BIN)/python manage.py migrate --no-input
	$(DEMO_ENV) SITE_URL=http://$(HOST):$(PORT) $(BIN)/python manage.py seed_demo
	@# The report worker runs next to the server and stops with it (Ctrl-C).
	@$(DEMO_ENV) $(BIN)/python manage.py db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(DEMO_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

# axe-core for the accessibility checks of the browser tests, from the npm registry.
AXE := tests/browser/node_modules/axe-core/axe.min.js
$(AXE): tests/browser/package.json tests/browser/package-lock.json
	npm ci --prefix tests/browser --no-audit --no-fund --silent
	@touch $@

test: install compilemessages $(AXE)
	$(BIN)/ruff check .
	$(TEST_ENV) $(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: install
	$(DEMO_ENV) $(BIN)/python manage.py makemessages --locale=cs --locale=en --ignore=.venv --ignore=var --no-obsolete

# Django's deployment checklist against the production settings in the environment
# (SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL, ...): any warning fails.
.PHONY: deploy-check
deploy-check: install
	DEBUG=0 $(BIN)/python manage.py check --deploy --fail-level WARNING

# Benchmarks (not part of `make test`): seeds seed_demo --scale 10 and --scale 1 into the
# databases casework_bench_full and casework_bench_small on the PostgreSQL server of
# BENCH_DATABASE_URL (a base URL without the suffix), else of DATABASE_URL, else
# postgres://postgres@127.0.0.1:5432; the application's own database is never touched.
# Needs wrk (apt-get install wrk) and pdfinfo (poppler-utils). BENCH_ARGS passes options
# (scripts/bench.py --help); exits 1 when a figure misses its goal.
.PHONY: bench
bench: install
	@command -v wrk >/dev/null 2>&1 || { echo "make bench needs wrk: sudo apt-get install wrk"; exit 2; }
	@command -v pdfinfo >/dev/null 2>&1 || { echo "make bench needs pdfinfo: sudo apt-get install poppler-utils"; exit 2; }
	$(BIN)/python scripts/bench.py $(BENCH_ARGS)

# Removes the embedded database (all local data) so the next command starts afresh.
clean-db:
	rm -rf var/pgdata
