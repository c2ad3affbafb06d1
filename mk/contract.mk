# Contract tests (contract_tests/): Schemathesis holds the mock and the real service to $(SPEC).
# Included by the main Makefile, which defines VENV, PY, BIN, SPEC and $(VENV)/.installed.
# The paths are given explicitly: pyproject's `testpaths` names only tests/.

CONTRACT_DIR     := contract_tests
CONTRACT_REPORTS := reports

.PHONY: contract contract-deep contract-real

contract: $(VENV)/.installed ## Contract tests against the mock, in-process and over HTTP (JUnit: reports/contract.xml)
	@mkdir -p $(CONTRACT_REPORTS)
	CONTRACT_PROFILE=default $(BIN)/pytest $(CONTRACT_DIR)/mock -n 2 \
		--junitxml=$(CONTRACT_REPORTS)/contract.xml -o junit_suite_name=contract

contract-deep: $(VENV)/.installed ## Nightly: the contract tests with many more examples (JUnit: reports/contract-deep.xml)
	@mkdir -p $(CONTRACT_REPORTS)
	CONTRACT_PROFILE=deep $(BIN)/pytest $(CONTRACT_DIR)/mock -n 2 \
		--junitxml=$(CONTRACT_REPORTS)/contract-deep.xml -o junit_suite_name=contract-deep

# Configured by the environment only (mock_server/real/config.py): TELE2_ATS_BASE_URL,
# TELE2_ATS_ACCESS_TOKEN, TELE2_ATS_REFRESH_TOKEN, TELE2_ATS_TOKEN_FILE, TELE2_ATS_ALLOW_WRITES,
# TELE2_ATS_ALLOW_CALLS (+ _CALL_SOURCE, _CALL_DESTINATION), TELE2_ATS_ALLOW_BLACKLIST_CLEAR,
# TELE2_ATS_MAX_REQUESTS, TELE2_ATS_RATE, TELE2_ATS_EXAMPLES. One process: a real account is
# tested one request at a time.
contract-real: $(VENV)/.installed ## Contract tests against the real service: read-only unless opted in (reports/drift-report.md)
	@mkdir -p $(CONTRACT_REPORTS)
	$(BIN)/pytest $(CONTRACT_DIR)/real -n 0 -rs \
		--junitxml=$(CONTRACT_REPORTS)/contract-real.xml -o junit_suite_name=contract-real

.PHONY: calibrate
calibrate: $(VENV)/.installed ## Probe each decision on the real service and on a mock: reports/calibration-report.{md,json} (docs/calibrate.md)
	$(BIN)/tele2-ats-mock calibrate $(CALIBRATE_ARGS)
