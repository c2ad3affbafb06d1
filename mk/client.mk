# The generated typed client (generated_client/, import package tele2_ats_client).
# Included by the main Makefile, which defines VENV, PY, BIN, SPEC and $(VENV)/.installed.
# Nothing in generated_client/ is edited by hand: its inputs are $(SPEC) and client_gen/.

CLIENT_DIR    := generated_client
CLIENT_GEN    := client_gen
# Left in the tree by tools, never by the generator.
CLIENT_DIFF_IGNORE := -x __pycache__ -x .mypy_cache -x .pytest_cache -x '*.egg-info' -x build -x dist

.PHONY: client client-check client-install

client: $(VENV)/.installed ## Regenerate generated_client/ from the spec and client_gen/
	$(PY) $(CLIENT_GEN)/generate.py --output $(CLIENT_DIR)

client-check: $(VENV)/.installed ## Fail if generated_client/ drifted from its inputs; mypy --strict it
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	$(PY) $(CLIENT_GEN)/generate.py --output "$$tmp/$(CLIENT_DIR)" && \
	if diff -r -u $(CLIENT_DIFF_IGNORE) "$$tmp/$(CLIENT_DIR)" $(CLIENT_DIR) > "$$tmp/drift.diff"; then \
		echo "client-check: $(CLIENT_DIR)/ is exactly what $(CLIENT_GEN)/generate.py produces"; \
	else \
		head -n 200 "$$tmp/drift.diff"; \
		echo; \
		echo "client-check: FAILED: $(CLIENT_DIR)/ differs from a fresh generation (diff above: fresh vs committed)."; \
		echo "client-check: never edit $(CLIENT_DIR)/ by hand; change $(SPEC) or $(CLIENT_GEN)/, run 'make client' and commit."; \
		exit 1; \
	fi
	$(BIN)/mypy --config-file $(CLIENT_GEN)/mypy.ini $(CLIENT_DIR)/tele2_ats_client $(CLIENT_GEN)/readme_example.py

# tests/client and mypy's check of tests/ import tele2_ats_client: install it into .venv,
# editable (hatchling's editable install writes nothing into generated_client/).
$(VENV)/.client-installed: $(VENV)/.installed $(CLIENT_DIR)/pyproject.toml
	$(PY) -m pip install --quiet --no-deps -e ./$(CLIENT_DIR)
	touch $@

client-install: $(VENV)/.client-installed ## Install generated_client/ into .venv (editable)

# `make lint` and `make test` need the client importable.
lint test: $(VENV)/.client-installed
