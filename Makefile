# Vigie: `make run` starts the demo, `make test` runs every test (SQLite, then PostgreSQL if one answers).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/vigie
CHROMIUM ?= /usr/bin/chromium
PYTEST_ARGS ?=

.PHONY: run test install install-test static triage-data chromium lint test-sqlite test-postgres bench clean

run: install static
	$(BIN)/vigie demo

test: install-test static chromium lint test-sqlite test-postgres

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.base: $(BIN)/python requirements/base.txt pyproject.toml
	$(BIN)/pip install --quiet -r requirements/base.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.test: $(VENV)/.base requirements/test.txt
	$(BIN)/pip install --quiet -r requirements/test.txt
	touch $@

install: $(VENV)/.base triage-data
install-test: $(VENV)/.test triage-data

# Packages from npm: htmx is copied next to Vigie's own static files, the public bad-word lists next to
# the classifier's data; axe-core stays in node_modules for the browser tests (accessibility checks).
node_modules/.installed: package.json
	npm install --silent --no-package-lock --no-audit --no-fund
	touch $@

vigie/static/vendor/htmx.min.js: node_modules/.installed
	mkdir -p vigie/static/vendor
	cp node_modules/htmx.org/dist/htmx.min.js $@

static: vigie/static/vendor/htmx.min.js

# The classifier's third-party data (docs/triage.md): French word vectors taken once from spaCy's
# fr_core_news_md, and the French bad-word lists of LDNOOBW (naughty-words) and french-badwords-list.
TRIAGE_VENDOR := vigie/triage/data/vendor
$(TRIAGE_VENDOR)/fr_word_vectors.npz: $(VENV)/.base vigie/triage/vectors.py
	$(BIN)/python -m vigie.triage.vectors $@

$(TRIAGE_VENDOR)/bad_words.stamp: node_modules/.installed
	mkdir -p $(TRIAGE_VENDOR)
	cp node_modules/naughty-words/fr.json $(TRIAGE_VENDOR)/ldnoobw_fr.json
	cp node_modules/naughty-words/fr-CA-u-sd-caqc.json $(TRIAGE_VENDOR)/ldnoobw_fr_ca.json
	cp node_modules/naughty-words/LICENSE $(TRIAGE_VENDOR)/ldnoobw_LICENSE
	cp node_modules/french-badwords-list/list.txt $(TRIAGE_VENDOR)/french_badwords_list.txt
	cp node_modules/french-badwords-list/LICENSE $(TRIAGE_VENDOR)/french_badwords_list_LICENSE
	touch $@

triage-data: $(TRIAGE_VENDOR)/fr_word_vectors.npz $(TRIAGE_VENDOR)/bad_words.stamp

# The browser tests drive Debian's Chromium (Playwright's own browser download does not work here).
chromium:
	@test -x $(CHROMIUM) || { echo "Installation de Chromium (Debian)…"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

lint:
	$(BIN)/ruff check vigie
	$(BIN)/ruff format --check vigie

test-sqlite:
	$(BIN)/pytest -n 2 $(PYTEST_ARGS)

test-postgres:
	@if $(BIN)/python -c "import socket; socket.create_connection(('127.0.0.1', 5432), 2)" 2>/dev/null; then \
	  echo "PostgreSQL répond : la suite repasse sur PostgreSQL."; \
	  VIGIE_DATABASE_URL=$(PG_URL) $(BIN)/pytest -n 2 $(PYTEST_ARGS); \
	else echo "Pas de PostgreSQL sur 127.0.0.1:5432 : suite PostgreSQL sautée."; fi

bench: install
	$(BIN)/vigie bench all

clean:
	rm -rf $(VENV) node_modules vigie/static/vendor $(TRIAGE_VENDOR)
