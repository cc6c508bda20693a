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
	$(DEMO_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install compilemessages
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

# Removes the embedded database (all local data) so the next command starts afresh.
clean-db:
	rm -rf var/pgdata
