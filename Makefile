# The two commands a newcomer needs: `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PG_URI ?= postgresql://root@127.0.0.1:5432/
BENCH_ARGS ?= --postgresql
export PYTHONDONTWRITEBYTECODE := 1
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: demo demo-rebuild install fonts test test-sqlite test-postgresql \
	test-sqlite-modules test-sqlite-platform test-postgresql-modules \
	test-postgresql-platform chromium java poppler bench audit i18n clean

demo: install  ## Build the demo database if missing and serve everything
	$(PY) scripts/build_demo.py
	$(PY) scripts/serve.py --mail var/mail --cron --carddav 5232

demo-rebuild: install  ## Build the demo database anew, then serve
	$(PY) scripts/build_demo.py --rebuild
	$(PY) scripts/serve.py --mail var/mail --cron --carddav 5232

install: $(VENV)/.installed node_modules/.installed fonts

fonts:  ## Unicode fonts of the PDFs (Persian included)
	test -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf || { apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-dejavu-core; }

$(VENV)/.installed: requirements.lock pyproject.toml setup.py
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.lock
	$(PY) -m pip install -q --no-deps -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --legacy-peer-deps
	cd node_modules/tryton-sao && npm install --omit=dev --legacy-peer-deps --no-audit --no-fund
	touch $@

chromium:  ## Debian's Chromium for the browser tests
	command -v chromium >/dev/null || { apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core; }

java:  ## A Java runtime for the Nu HTML checker
	command -v java >/dev/null || { apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless; }

poppler:  ## poppler's pdfsig: the tests check the seals as any reader does
	command -v pdfsig >/dev/null || { apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils; }

test: install chromium java poppler  ## Every test: the module tests on PostgreSQL beside the scenarios and the end-to-end tests on SQLite (all on SQLite when PostgreSQL does not answer)
	@if $(PY) scripts/pg_ready.py "$(PG_URI)"; then \
		mkdir -p var; \
		$(MAKE) --no-print-directory test-postgresql-modules > var/test-postgresql-modules.log 2>&1 & \
		modules=$$!; \
		$(MAKE) --no-print-directory test-sqlite-scenarios; scenarios=$$?; \
		$(MAKE) --no-print-directory test-sqlite-platform; platform=$$?; \
		wait $$modules; modules=$$?; \
		echo "==== PostgreSQL ($(PG_URI)): module tests ===="; \
		cat var/test-postgresql-modules.log; \
		exit $$(( modules || scenarios || platform )); \
	else \
		echo "PostgreSQL does not answer on $(PG_URI): only the SQLite run."; \
		$(MAKE) --no-print-directory test-sqlite; \
	fi

test-sqlite:  ## Every test on SQLite
	DB_NAME=':memory:' DB_CACHE=$$($(PY) scripts/test_cache.py sqlite) \
		$(PY) -m pytest addons tests

test-sqlite-modules:  ## The module tests and scenarios on SQLite
	DB_NAME=':memory:' DB_CACHE=$$($(PY) scripts/test_cache.py sqlite) \
		$(PY) -m pytest addons

test-sqlite-scenarios:  ## The scenarios (user stories) on SQLite
	DB_NAME=':memory:' DB_CACHE=$$($(PY) scripts/test_cache.py sqlite) \
		$(PY) -m pytest addons/*/tests/test_scenario.py

test-sqlite-platform:  ## The end-to-end tests on SQLite
	env -u TRYTOND_DATABASE__URI $(PY) -m pytest --durations=20 tests

test-postgresql: test-postgresql-modules test-postgresql-platform  ## Every test on PostgreSQL

test-postgresql-%: export TRYTOND_DATABASE__URI = $(PG_URI)
test-postgresql-%: export PGOPTIONS = -c synchronous_commit=off

test-postgresql-modules:
	DB_NAME=test_platform DB_CACHE=$$($(PY) scripts/test_cache.py postgresql) \
		$(PY) -m pytest --durations=20 addons

test-postgresql-platform:
	$(PY) -m pytest tests

bench: install  ## Load benchmarks (not a test): prints a table
	command -v wrk >/dev/null || { apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }
	$(PY) bench/run.py $(BENCH_ARGS)

audit: install chromium  ## Lighthouse scores of the portal (not a test): var/audit/report.md
	CHROME_PATH=/usr/bin/chromium $(PY) scripts/audit.py

i18n:  ## Bring the portal and back-office catalogs up to date with the sources
	$(PY) scripts/i18n.py
	$(PY) scripts/catalogs.py

clean:
	rm -rf var/cache var/test
