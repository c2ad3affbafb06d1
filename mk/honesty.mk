# Spec honesty (issue 13): tools that know nothing of this project hold the mock to the spec.
# Included by the main Makefile, which defines PY, BIN, SPEC, $(VENV)/.installed and
# node_modules/.installed; `make test` runs both targets.

.PHONY: contract-plain client-prism decisions-table

contract-plain: $(VENV)/.installed ## Plain `st run` of the spec vs a mock (--port 0), from an empty dir: 0 failures (reports/contract-plain.xml)
	$(PY) scripts/contract_plain.py $(PLAIN_ARGS)

client-prism: $(VENV)/.client-installed node_modules/.installed ## Client end-to-end tests through `prism proxy --errors` in front of a mock: 0 violations
	$(PY) scripts/client_e2e_prism.py -q

decisions-table: $(VENV)/.installed ## Rewrite README.md's "What is inferred" table from the spec's x-decisions
	$(PY) scripts/decisions_table.py
