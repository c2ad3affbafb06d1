# The mock as a distribution: sdist and wheel (the wheel carries openapi/ as package data),
# and a check that the wheel works from a fresh venv outside the repository.
# Included by the main Makefile, which defines PY, BIN and $(VENV)/.installed.

.PHONY: dist dist-check

dist: $(VENV)/.installed ## Build the mock's sdist and wheel, and the client's wheel, into dist/
	rm -rf dist
	$(PY) -m build --outdir dist .
	$(PY) -m build --wheel --outdir dist generated_client

dist-check: dist ## Install the wheels in a fresh venv outside the repo, run the mock and the pytest plugin from there
	$(PY) scripts/dist_check.py --dist dist

.PHONY: release-check
release-check: $(VENV)/.installed ## Build both wheels; fail unless they, CHANGELOG.md and the spec say one version, and a breaking spec change has a major one
	$(PY) scripts/release_check.py
