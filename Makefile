# Family Hub. `make run` to serve the site, `make test` to run every test.
# Both set up everything first: a virtualenv, pinned Python packages, the
# GOV.UK Frontend assets (npm + sass), the translations and the database.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi.py
# Without it the site takes its production settings and will not start without
# real secrets; `make run` and the other targets here run it on this machine.
export FAMILYHUB_ENV ?= development

.DEFAULT_GOAL := help
.PHONY: help install assets translations catalogue db demo run lint test test-dates screenshots bench bench-check clean

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
# honcho runs the web server and the worker (mail and timed jobs) from the Procfile; Ctrl+C stops both.
run: demo ## Install, build, load the demo data and serve on http://127.0.0.1:5000 (with the worker beside it)
	CONTENT_FILES="$(CONTENT_FILES)" $(BIN)/honcho start -f Procfile

lint: $(BIN)/.installed ## Check the Python code with ruff (rules in pyproject.toml)
	$(BIN)/ruff check app tests bench

# The suite runs in parallel workers (pytest-xdist), each with its own PostgreSQL
# database and search index folders; TEST_WORKERS=1 runs it in one process.
# Line coverage of app/ is printed, and the run fails below COVERAGE_MINIMUM
# (one point under the 95.7% reached).
TEST_WORKERS ?= auto
COVERAGE_MINIMUM := 94.7
test: install lint ## Install, lint, then run the whole test suite (coverage and the 15 slowest tests printed)
	$(BIN)/pytest -n $(TEST_WORKERS) --durations=15 --cov=app --cov-report=term:skip-covered --cov-fail-under=$(COVERAGE_MINIMUM)

# Tests that read the calendar, with the test clock moved to a leap day and to the last day of 2035.
test-dates: install ## Run the calendar's tests with the test clock on 29 February 2028 and on 31 December 2035
	FAMILYHUB_TEST_TODAY=2028-02-29 $(BIN)/pytest -n $(TEST_WORKERS) -m dates -q
	FAMILYHUB_TEST_TODAY=2035-12-31 $(BIN)/pytest -n $(TEST_WORKERS) -m dates -q

# The layout check's walk (tests/browser/test_layout_in_a_browser.py), saving a PNG of every page it looks at.
screenshots: install ## Save a screenshot of each page and state at 390 px and 1280 px wide into screenshots/ (needs Chromium)
	rm -rf screenshots
	FAMILYHUB_SCREENSHOTS=screenshots $(BIN)/pytest -q -p no:cacheprovider tests/browser/test_layout_in_a_browser.py
	@echo "Screenshots in screenshots/: $$(ls screenshots | wc -l) pages"

# Every benchmark prints its figures beside a baseline measured in the same run (the goals are in
# each one's output). wrk, Chromium and PostgreSQL come from Debian's packages (see .ci/run).
bench: install ## Measure everything: requests per second (wrk), search at 1k/10k/100k services, the ORUK API, first-visit bytes, worker memory, Lighthouse, 50 self-referrals (PostgreSQL), usage counting, the list, nginx with one and two app servers, a soak, an editor's change reaching search
	$(BIN)/python bench/requests_per_second.py
	$(BIN)/python bench/search.py
	$(BIN)/python bench/api.py
	$(BIN)/python bench/first_visit.py
	$(BIN)/python bench/memory.py
	$(BIN)/python bench/lighthouse.py
	$(BIN)/python bench/referrals.py
	$(BIN)/python bench/shortlist.py
	$(BIN)/python bench/several_servers.py
	$(BIN)/python bench/soak.py
	$(BIN)/python bench/analytics.py
	$(BIN)/python bench/editing.py

# One short round of each benchmark (about two minutes), so that none of them can stop working
# unnoticed: CI runs it. The figures are too short to quote.
bench-check: install ## One short round of every benchmark (CI runs it)
	$(BIN)/python bench/requests_per_second.py --seconds 1 --rounds 1
	$(BIN)/python bench/search.py --sizes 1000 --rounds 1
	$(BIN)/python bench/api.py --size 1000 --rounds 1
	$(BIN)/python bench/first_visit.py
	$(BIN)/python bench/memory.py --requests 500
	$(BIN)/python bench/lighthouse.py --pages /services
	$(BIN)/python bench/referrals.py --families 10
	$(BIN)/python bench/analytics.py --slices 1 --seconds 1 --no-threshold
	$(BIN)/python bench/shortlist.py --rounds 5
	$(BIN)/python bench/several_servers.py --seconds 1 --rounds 1
	$(BIN)/python bench/soak.py --seconds 30
	$(BIN)/python bench/editing.py --rounds 2

clean: ## Remove everything set-up made
	rm -rf $(VENV) node_modules build app/static instance search_index translations/*/LC_MESSAGES/*.mo
