# Two commands for everything: `make run` and `make test`. Both set themselves up.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
STAMP := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help setup run test lint format messages bench clean screenshots

help:
	@echo "make run    set up, migrate, load demo content, serve on http://127.0.0.1:$(PORT) with a worker"
	@echo "make test   set up, lint, check the layer contract and migrations, run every test"
	@echo "make screenshots  the main pages at 1280 and 390 px, light and dark, into var/screenshots/"

# The virtual environment is rebuilt only when a requirements file changes.
$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $(STAMP)

setup: $(STAMP)
	@mkdir -p var/media var/static

run: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo ""
	@echo "  Open http://127.0.0.1:$(PORT)/  (demo accounts listed above; Ctrl-C stops)"
	@echo "  A background worker runs beside the server; e-mails are printed here, framed."
	@echo ""
	$(PY) manage.py serve --port $(PORT) --with-worker

test: setup
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports
	$(PY) manage.py check --fail-level WARNING
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest

lint: setup
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

# Re-extract and compile the translation catalogues (needs GNU gettext).
messages: setup
	$(PY) manage.py makemessages -l kk -l ru --no-obsolete --ignore=.venv --ignore=var --ignore=bench --ignore=tests --ignore=locale
	$(PY) manage.py makemessages -d djangojs -l kk -l ru --no-obsolete --ignore=.venv --ignore=var --ignore=static/vendor --ignore=tests
	$(PY) manage.py compilemessages --ignore=.venv

# PNGs of the main pages (desktop and phone, light and dark) for reviewing a change to the look.
screenshots: setup
	SCREENSHOTS_DIR=$(or $(SCREENSHOTS_DIR),var/screenshots) REQUIRE_BROWSER=1 $(PY) -m pytest tests/browser/test_screenshots.py -q -p no:cacheprovider
	@echo "Screenshots written to $(or $(SCREENSHOTS_DIR),var/screenshots)/"

clean:
	rm -rf var/db.sqlite3 var/test*.sqlite3
