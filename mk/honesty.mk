# Spec honesty (issue 13): tools that know nothing of this project hold the mock to the spec.
# Included by the main Makefile, which defines PY, BIN, SPEC, $(VENV)/.installed and
# node_modules/.installed; `make test` runs both targets.

.PHONY: contract-plain contract-plain-soak client-prism decisions-table

# Both specs: the documented API (openapi/tele2-ats.yaml) and the control API
# (openapi/mock-admin.yaml), each against a mock of its own (scripts/contract_plain.py says
# which checks each leaves out and why; PLAIN_SPEC=api or control runs one).
# The gate is reproducible, as `make contract` is: one fixed seed (`PLAIN_SEED=` draws a new one
# each run). contract-plain-soak draws a seed per run, with more examples: the nightly hunt.
PLAIN_SEED ?= 20261202
PLAIN_SPEC ?=
SOAK_RUNS ?= 10
SOAK_EXAMPLES ?= 500

contract-plain: $(VENV)/.installed ## Plain `st run` of both specs vs a mock (--port 0), from an empty dir: 0 failures (reports/contract-plain*.xml)
	$(PY) scripts/contract_plain.py $(if $(PLAIN_SPEC),--spec $(PLAIN_SPEC)) $(if $(PLAIN_SEED),--seed $(PLAIN_SEED)) $(PLAIN_ARGS)

contract-plain-soak: $(VENV)/.installed ## SOAK_RUNS plain runs of both specs, a new seed each, SOAK_EXAMPLES examples per operation (nightly; ~9 min a run)
	$(PY) scripts/contract_plain.py --runs $(SOAK_RUNS) $(if $(PLAIN_SPEC),--spec $(PLAIN_SPEC)) --max-examples $(SOAK_EXAMPLES) $(PLAIN_ARGS)

client-prism: $(VENV)/.client-installed node_modules/.installed ## Client end-to-end tests through `prism proxy --errors` in front of a mock: 0 violations
	$(PY) scripts/client_e2e_prism.py -q

decisions-table: $(VENV)/.installed ## Rewrite docs/decisions.md's "What is inferred" table from the spec's x-decisions
	$(PY) scripts/decisions_table.py
