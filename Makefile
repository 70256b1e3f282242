# Family Hub. `make run` to serve the site, `make test` to run every test.
# Both set up everything first: a virtualenv, pinned Python packages, the
# GOV.UK Frontend assets (npm + sass), the translations and the database.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi.py

.DEFAULT_GOAL := help
.PHONY: help install assets translations catalogue db demo run test bench clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

$(BIN)/.installed: requirements.txt requirements-dev.txt constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Family Hub needs Python 3.11 or newer (set PYTHON=python3.11)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -r requirements-dev.txt -c constraints.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

ASSET_SOURCES := $(shell find assets -type f) content/settings.toml
app/static/application.css: $(ASSET_SOURCES) node_modules/.installed $(BIN)/.installed
	$(BIN)/python assets/build.py

assets: app/static/application.css ## Build the CSS and JavaScript into app/static/

MO_FILES := $(patsubst %.po,%.mo,$(wildcard translations/*/LC_MESSAGES/messages.po))
translations/%.mo: translations/%.po $(BIN)/.installed
	$(BIN)/pybabel -q compile -i $< -o $@

translations: $(MO_FILES) ## Compile the translation catalogues

catalogue: $(BIN)/.installed ## Extract strings into translations/messages.pot and update each language
	$(BIN)/pybabel extract -F babel.cfg -k lazy_gettext -k _l --no-location --sort-output --omit-header -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete

install: $(BIN)/.installed node_modules/.installed assets translations ## Install everything the site and tests need

db: install ## Create or upgrade the database (SQLite by default; DATABASE_URL for PostgreSQL)
	$(BIN)/flask db upgrade

demo: db ## Load the demonstration directory (and build the search index)
	$(BIN)/flask demo load

# The development server restarts when code or a content file changes (a new file needs a restart).
CONTENT_FILES = $(shell find content -type f -name '*.md' -o -type f -name '*.toml' -o -type f -name '*.txt' | tr '\n' ':')
run: demo ## Install, build, load the demo data and serve on http://127.0.0.1:5000
	$(BIN)/flask run --host 127.0.0.1 --port 5000 --reload --extra-files "$(CONTENT_FILES)"

test: install ## Install, then run the whole test suite
	$(BIN)/pytest

bench: install ## Measure requests per second, search speed on synthetic directories of 1k, 10k and 100k services, 50 self-referrals at once (PostgreSQL), usage counting under wrk, and what carrying a list of services costs
	$(BIN)/python bench/requests_per_second.py
	$(BIN)/python bench/search.py
	$(BIN)/python bench/referrals.py
	$(BIN)/python bench/analytics.py
	$(BIN)/python bench/shortlist.py

clean: ## Remove everything set-up made
	rm -rf $(VENV) node_modules build app/static instance search_index translations/*/LC_MESSAGES/*.mo
