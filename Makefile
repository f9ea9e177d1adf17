# The two commands: `make run` and `make test`. Everything they need is installed from here.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
export PYTHONPATH := $(CURDIR)

.PHONY: run test lint setup python spa chromium bench clean openapi client-check bundle-check \
	fuzz load tools

run: setup spa
	$(PY) -m deploy.local.run

test: setup spa chromium
	$(MAKE) --no-print-directory lint
ifneq ($(wildcard frontend/package.json),)
	cd frontend && npm test --silent
endif
	$(PY) -m pytest -p no:cacheprovider

lint: python
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy services gateway registry_service treatment_service aftercare_service reporting_service deploy
	$(VENV)/bin/lint-imports
ifneq ($(wildcard frontend/package.json),)
	$(PY) -m deploy.openapi --check
	$(MAKE) --no-print-directory client-check
	$(MAKE) --no-print-directory bundle-check
endif

# The SPA's first load (entry + what it imports statically) stays under 300 kB of gzipped JS.
bundle-check: spa
	node frontend/scripts/check-bundle.mjs frontend/dist 300

# The SPA's typed client must be what the committed spec generates.
client-check: frontend/node_modules/.installed
	cd frontend && npm run gen:api --silent >/dev/null
	@git diff --quiet -- frontend/src/client || { \
	  echo "frontend/src/client is stale: run 'make openapi' and commit"; exit 1; }

setup: python

# Reinstall only when the lock file changes.
python: $(VENV)/.installed

$(VENV)/.installed: requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $@

ifneq ($(wildcard frontend/package.json),)
spa: frontend/dist/index.html
else
spa:
	@echo "frontend/ not present: the gateway serves a placeholder page"
endif

frontend/node_modules/.installed: frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund --loglevel=error
	touch $@

frontend/dist/index.html: frontend/node_modules/.installed $(shell find frontend/src frontend/index.html frontend/openapi.json -type f 2>/dev/null)
	cd frontend && npm run build --silent

# Browser tests drive Debian's Chromium; never a downloaded browser.
chromium:
	@command -v chromium >/dev/null || { \
	  echo "Installing Debian chromium for the browser tests"; \
	  $(if $(shell [ $$(id -u) = 0 ] && echo root),,sudo) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(if $(shell [ $$(id -u) = 0 ] && echo root),,sudo) apt-get install -y -qq chromium >/dev/null; }

# Regenerate the committed OpenAPI spec and the SPA's typed client from the code.
openapi: python
	$(PY) -m deploy.openapi --write
	cd frontend && npm run gen:api

# Benchmarks print ratios measured in one run; not part of `make test`.
BENCH_PERSONS ?= 1000000
bench: setup
	$(PY) -m tests.perf.bench_search --persons $(BENCH_PERSONS)
	$(PY) -m tests.perf.bench_import --rows 100000
	$(PY) -m tests.perf.bench_audit --clients 20 --seconds 10
	$(PY) -m tests.perf.bench_feed_lag --rows 100000

clean:
	rm -rf .data/test frontend/dist

# Fuzzing and load tools live in their own venv: schemathesis registers a pytest plugin and
# locust pulls gevent, neither of which may reach the test suite's environment.
TOOLS := .venv-tools
tools: $(TOOLS)/.installed

$(TOOLS)/.installed: requirements-tools.lock
	test -x $(TOOLS)/bin/python || $(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-tools.lock
	touch $@

# Schemathesis over the gateway's merged spec with an officer's token and every check.
FUZZ_EXAMPLES ?= 10
FUZZ_MAX_TIME ?= 240
fuzz: setup tools
	$(PY) -m tests.fuzz.run --examples $(FUZZ_EXAMPLES) --max-time $(FUZZ_MAX_TIME)

# Locust: LOAD_USERS officers through the gateway, then the same reads straight to the registry.
LOAD_USERS ?= 200
LOAD_RATE ?= 20
LOAD_TIME ?= 5m
load: setup tools
	$(PY) -m tests.perf.load --users $(LOAD_USERS) --rate $(LOAD_RATE) --time $(LOAD_TIME)
