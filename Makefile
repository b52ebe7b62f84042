# Two commands: `make run` and `make test`. Everything else is set up on the way.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
export FLASK_APP := wsgi.py
STAMP := .make

.PHONY: run test setup lint translations assets db content demo worker clean

run: setup db content demo
	$(BIN)/flask run --host $(HOST) --port $(PORT)

# `make test` runs the suite on every core (WORKERS=1 for one process), then the browser
# tests in one process, in order (BROWSER=no leaves them out).
WORKERS ?= auto
BROWSER ?= yes

test: setup
	$(BIN)/python -m pytest -n $(WORKERS) --ignore=tests/e2e $(PYTEST_ARGS)
ifeq ($(BROWSER),yes)
	@command -v chromium >/dev/null 2>&1 || command -v "$${CHROMIUM_PATH:-chromium}" >/dev/null 2>&1 \
	  || echo "NOTE: chromium is not installed, so the browser tests (tests/e2e) will be SKIPPED. Install it with: apt-get install chromium"
	$(BIN)/python -m pytest tests/e2e $(PYTEST_ARGS)
endif

setup: $(STAMP)/python $(STAMP)/assets translations-compile

$(STAMP)/python: pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@mkdir -p $(STAMP) && touch $@

$(STAMP)/assets: package.json package-lock.json lms/static/scss/nhsuk.scss
	npm ci --no-audit --no-fund --loglevel=error
	rm -rf lms/static/nhsuk lms/static/vendor
	mkdir -p lms/static/nhsuk lms/static/vendor
	cp -R node_modules/nhsuk-frontend/dist/nhsuk/assets lms/static/nhsuk/assets
	cp node_modules/nhsuk-frontend/dist/nhsuk/nhsuk-frontend.min.js lms/static/nhsuk/
	npx --no-install sass --no-source-map --style=compressed --quiet-deps --load-path=node_modules \
	   lms/static/scss/nhsuk.scss lms/static/nhsuk/nhsuk-frontend.min.css
	cp node_modules/axe-core/axe.min.js lms/static/vendor/
	@mkdir -p $(STAMP) && touch $@

# Extract every message, merge it into the catalogues, and compile them.
translations: $(STAMP)/python
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o lms/translations/messages.pot --no-location --sort-output --project "ALS Facilitator Programme" .
	$(BIN)/pybabel update -i lms/translations/messages.pot -d lms/translations --no-fuzzy-matching --ignore-obsolete
	$(BIN)/pybabel compile -d lms/translations --statistics

translations-compile: $(STAMP)/python
	$(BIN)/pybabel compile -d lms/translations 2>&1 | grep -v "^compiling" || true

db: setup
	@mkdir -p instance
	$(BIN)/flask db upgrade

# Load the training modules in content/modules (all or nothing; unchanged files are left alone).
content: db
	$(BIN)/flask content sync

demo: content
	$(BIN)/flask seed demo

worker: setup
	$(BIN)/flask worker

lint: $(STAMP)/python
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/bandit --quiet --recursive --severity-level medium lms scripts config.py wsgi.py

clean:
	rm -rf $(VENV) $(STAMP) node_modules lms/static/nhsuk lms/static/vendor
