# The seeded-data and API invariants at several pinned instants (tests/pinned.py): a weekend,
# the last day of a month, the turn of a year (31 December in UTC, 1 January in Moscow) and
# 29 February, so that a date bug shows the day it is written, not months later.
# Included by the main Makefile, which defines BIN and $(VENV)/.installed. Called by .ci/run.

TEST_DATES ?= 2026-03-08T13:00:00+03:00 2026-04-30T23:30:00+03:00 2026-12-31T23:30:00Z 2028-02-29T12:00:00+03:00
DATE_TESTS := tests/domain tests/api tests/robustness/test_bodies_and_clock.py tests/client/test_end_to_end.py

.PHONY: test-dates

test-dates: $(VENV)/.installed $(VENV)/.client-installed ## The invariants at several pinned instants (weekend, month end, new year, 29 Feb)
	@for instant in $(TEST_DATES); do \
		echo "== pinned at $$instant"; \
		TELE2_ATS_TEST_NOW=$$instant $(BIN)/pytest $(DATE_TESTS) -q -m "not slow" || exit 1; \
	done
