# Benchmark of the mock side by side with Prism (scripts/bench.py, scripts/bench_load.js).
# Included by the main Makefile, which defines PY, BIN, NODE_BIN, SPEC, $(VENV)/.installed and
# node_modules/.installed. Loopback only; writes reports/bench.json.
# BENCH_ARGS passes options through, e.g. `make bench BENCH_ARGS="--duration 30 --workers 1"`.

BENCH_ARGS ?=

.PHONY: bench bench-quick

bench: $(VENV)/.installed node_modules/.installed ## Benchmark the mock beside Prism (10 connections, ~2 min); reports/bench.json
	$(PY) scripts/bench.py $(BENCH_ARGS)

bench-quick: $(VENV)/.installed node_modules/.installed ## Smoke run of the benchmark (a few seconds per row)
	$(PY) scripts/bench.py --quick $(BENCH_ARGS)
