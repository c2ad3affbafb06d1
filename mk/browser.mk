# Browser tests of the web console (tests/browser/): Debian's chromium driven by Playwright.
# Included by the main Makefile, which defines VENV, BIN and $(VENV)/.installed.
# Playwright cannot download its browsers here; it launches the system's chromium, which
# this target installs with apt-get (root, as in CI) when it is missing.

BROWSER_TESTS := tests/browser
CHROMIUM      ?= /usr/bin/chromium
# Where the tests save their screenshots (default: reports/screenshots).
CONSOLE_SCREENSHOTS ?=

.PHONY: test-browser console-screenshots chromium

# `make test` (and a bare `pytest`) leave the browser tests out (pyproject's norecursedirs):
# they run without root and skip nothing. This target names the folder, which collects it.

chromium: ## Install Debian's chromium for the browser tests (apt-get, needs root)
	@if [ -x "$(CHROMIUM)" ]; then \
		echo "chromium: $$($(CHROMIUM) --version 2>/dev/null)"; \
	elif [ "$$(id -u)" != 0 ]; then \
		echo "chromium is missing at $(CHROMIUM): run 'make chromium' as root (apt-get install chromium)"; \
		exit 1; \
	else \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium; \
	fi

test-browser: $(VENV)/.installed chromium ## The console in headless chromium (installs chromium with apt-get; screenshots in reports/screenshots)
	CHROMIUM=$(CHROMIUM) CONSOLE_SCREENSHOTS=$(CONSOLE_SCREENSHOTS) \
		$(BIN)/pytest $(BROWSER_TESTS) -n 0 \
		--junitxml=reports/browser.xml -o junit_suite_name=browser

console-screenshots: ## Remake the README's screenshots of the console (docs/console-*.png)
	$(MAKE) --no-print-directory test-browser CONSOLE_SCREENSHOTS=$(CURDIR)/docs
