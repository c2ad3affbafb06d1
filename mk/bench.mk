# Benchmark of the mock side by side with Prism (scripts/bench.py, scripts/bench_load.js), of
# the call journal at a million records (scripts/bench_journal.py), of loading a tenant file
# of 100,000 records (scripts/bench_tenant.py), of a tenant per test (scripts/bench_tenants.py)
# and of the pytest plugin in a vendor's suite (scripts/bench_plugin.py).
# Included by the main Makefile, which defines PY, BIN, NODE_BIN, SPEC, $(VENV)/.installed and
# node_modules/.installed. Loopback only; writes reports/bench.json, reports/bench_journal.json,
# reports/bench_tenant.json, reports/tenants.json, reports/plugin.json.
# BENCH_ARGS passes options through, e.g. `make bench BENCH_ARGS="--rounds 3"` (the README's run)
# or `make bench BENCH_ARGS="--only call_records,statistics_common"`.

BENCH_ARGS ?=
BENCH_JOURNAL_ARGS ?=
BOUNDS_ARGS ?=
BENCH_TENANT_ARGS ?=
TENANTS_ARGS ?=
PLUGIN_ARGS ?=

.PHONY: bench bench-quick bench-journal bench-bounds bench-tenant bench-tenants bench-plugin

bench: $(VENV)/.installed node_modules/.installed ## Every read of the API beside Prism, and the write mix (~4 min a round); reports/bench.json
	$(PY) scripts/bench.py $(BENCH_ARGS)

bench-quick: $(VENV)/.installed node_modules/.installed ## Smoke run of the benchmark (a few seconds per row)
	$(PY) scripts/bench.py --quick $(BENCH_ARGS)

bench-journal: $(VENV)/.installed ## The journal and statistics at a million records, against their targets; reports/bench_journal.json
	$(PY) scripts/bench_journal.py $(BENCH_JOURNAL_ARGS)

bench-bounds: $(VENV)/.installed ## The worst case of each bound on caller input (globs, rules, history, journal, cache, downloads); reports/bounds.json
	$(PY) scripts/measure_bounds.py $(BOUNDS_ARGS)

bench-tenant: $(VENV)/.installed ## A 100,000-record tenant file loaded (time, peak RSS) against its targets; reports/bench_tenant.json
	$(PY) scripts/bench_tenant.py $(BENCH_TENANT_ARGS)

bench-tenants: $(VENV)/.installed ## POST /mock/companies over 1,000 create/delete cycles, and the state's growth, against their targets; reports/tenants.json
	$(PY) scripts/bench_tenants.py $(TENANTS_ARGS)

bench-plugin: $(VENV)/.installed ## A vendor file of 200 tele2_ats tests under -n 2, with and without the plugin's fixtures; reports/plugin.json
	$(PY) scripts/bench_plugin.py $(PLUGIN_ARGS)
