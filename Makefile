# The two commands of the README's Quick start: `make regression` and `make test`.
# Each sets up what it needs on a fresh machine (virtualenv, pinned packages, a browser).
# pytest's own environment (PYTEST_ADDOPTS, e.g. '-m W5' or '-n 0') passes straight through.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
REPORTS := reports
# Where Playwright puts screenshots and traces of failed scenarios.
ARTIFACTS := test-results
# Recording a trace costs about a third of the suite's time, so traces are kept for failures
# in CI (where nobody can rerun by hand) and are off locally: `make regression TRACING=retain-on-failure`.
TRACING ?= $(if $(CI),retain-on-failure,off)
PYTEST_REPORTS := --cucumberjson=$(REPORTS)/cucumber.json --junitxml=$(REPORTS)/junit.xml \
	--screenshot=only-on-failure --tracing=$(TRACING) --output=$(ARTIFACTS)
# How many xdist workers run the suite: one per core, measured with make bench on the 2-core machine (with
# Chromium's headless shell -n 2 takes 74 s where one worker takes 107 s); one core gets no xdist at all,
# which would only add a controller. WORKERS=0 runs in this process; a -n in PYTEST_ADDOPTS wins.
CORES := $(shell nproc 2>/dev/null || echo 1)
WORKERS ?= $(if $(filter 1,$(CORES)),0,$(CORES))
XDIST := $(if $(findstring -n,$(PYTEST_ADDOPTS)),,-n $(WORKERS))
# The Allure results of a regression run, from which scripts/html_report.sh makes the HTML report.
ALLURE_RESULTS := $(REPORTS)/allure-results
# RERUNS=n reruns a failed scenario up to n times (pytest-rerunfailures); one that passes on a rerun is
# reported as flaky (不稳定) in the HTML report with its failed attempts, never as a plain pass. Off by default.
RERUNS ?= 0
RERUN := $(if $(filter-out 0,$(RERUNS)),--reruns $(RERUNS))
# A pytest marker expression over the features' tags: make regression TAGS='app and not iphone'.
TAGS ?=
SELECT := $(if $(strip $(TAGS)),-m "$(TAGS)")
# SHARD=i/n runs the i-th of n parts of the suite (CI machines side by side), balanced by the durations
# recorded in .test_durations (refresh: make durations).
SHARD ?=
DURATIONS := .test_durations
SHARD_WORDS := $(subst /, ,$(SHARD))
$(if $(strip $(SHARD)),$(if $(filter-out 2,$(words $(SHARD_WORDS))),$(error SHARD must be i/n, e.g. SHARD=2/4; got '$(SHARD)')))
SPLIT := $(if $(strip $(SHARD)),--splits $(word 2,$(SHARD_WORDS)) --group $(word 1,$(SHARD_WORDS)) \
	--splitting-algorithm least_duration --durations-path $(DURATIONS) -p no:randomly)

.PHONY: help setup browser report-tools regression smoke walkthrough durations soak test a11y check lint typecheck mocks bench microbench clean

help:
	@echo "make regression  run the whole regression suite against the bundled mocks (reports in $(REPORTS)/,"
	@echo "                 the HTML report in $(REPORTS)/html/index.html); RERUNS=n reruns failures, shown as flaky"
	@echo "                 TAGS='<marker expression>' selects by the features' tags, e.g. TAGS='app and android'"
	@echo "                 SHARD=i/n runs the i-th of n parts (CI machines side by side)"
	@echo "                 WORKERS=n runs n xdist workers (default: one per core, $(CORES) here; 0: none)"
	@echo "make smoke       the main journeys, one scenario each, with the HTML report (about 15 s)"
	@echo "make walkthrough the user guide illustrated with screenshots of a run ($(REPORTS)/walkthrough/index.html)"
	@echo "make durations   record how long each test takes, for SHARD's balancing (commit .test_durations)"
	@echo "make test        the harness's own checks (ruff, mypy, tests/) plus the whole suite"
	@echo "make a11y        only the accessibility check: axe-core on every page of the journeys (tests/a11y/)"
	@echo "make mocks       start both mock servers for exploratory testing"
	@echo "make soak        the flake soak: the suite repeated serially, on 2 workers and under CPU load (reports/soak.json)"
	@echo "make bench       where the suite's time goes: floor scenario, each scenario, 1 worker vs -n auto (reports/bench.json);"
	@echo "                 BENCH_ARGS=--quick leaves out the -n auto run"
	@echo "make microbench  micro-benchmarks of the parts: renders, resets, the SSO hop (reports/benchmark.json)"
	@echo "make check       ruff and mypy only"
	@echo "make clean       remove the reports, test results and tool caches"
	@echo "make setup       only create $(VENV) with the pinned packages"
	@echo "make browser     only make sure a Chromium (and CJK fonts) is installed"

$(VENV)/.installed: requirements.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	@touch $@

setup: $(VENV)/.installed

browser: setup
	@if [ -n "$$E2E_BROWSER_SERVER" ]; then echo "browser: the Playwright browser server at $$E2E_BROWSER_SERVER"; \
	else scripts/ensure_browser.sh $(PY); fi

# The HTML report is made whatever the outcome (a failed run is when it is read) and its path printed;
# make still fails with pytest's exit status. A shard (SHARD=i/n) leaves only its Allure results: the CI
# report job merges every shard's into one report (scripts/html_report.sh dir1 dir2 ...).
regression: setup browser $(if $(strip $(SHARD)),,report-tools)
	@mkdir -p $(REPORTS)
	@# An HTML report left by an earlier run must not pass for this one's (a shard writes none).
	@rm -rf $(REPORTS)/html
	@status=0; $(PY) -m pytest steps $(XDIST) $(SELECT) $(SPLIT) $(RERUN) $(PYTEST_REPORTS) \
		--alluredir=$(ALLURE_RESULTS) --clean-alluredir || status=$$?; \
	if [ $$status -eq 4 ] || [ $$status -eq 5 ]; then \
		echo "no scenario ran (pytest exit $$status: a usage error or a selection with no scenarios, see above): no report"; \
		exit $$status; \
	fi; \
	if [ -z "$(strip $(SHARD))" ]; then \
		report=$$(scripts/html_report.sh $(ALLURE_RESULTS)) || exit 1; echo "HTML report: $$report"; \
	fi; \
	echo "reports: $(REPORTS)/junit.xml $(REPORTS)/cucumber.json $(ALLURE_RESULTS)/"; exit $$status

# Node.js (20.19+) and the pinned Allure 3 report generator (package-lock.json) in node_modules/.
report-tools:
	scripts/ensure_node.sh

# The regression run of the @smoke scenarios, reports and all.
smoke:
	@$(MAKE) --no-print-directory regression TAGS=smoke

# How long each scenario and check takes, for SHARD's balancing: run on a quiet machine, commit the file.
durations: setup browser report-tools
	$(PY) -m pytest steps tests -p no:randomly --store-durations --clean-durations --durations-path $(DURATIONS)

# Only the scenarios fixtures/walkthrough_plan.py assigns to the guide's sections; no regression
# reports (they would be overwritten by this partial run).
walkthrough: setup browser
	$(PY) -m pytest steps -p no:randomly --walkthrough $(REPORTS)/walkthrough
	@echo "illustrated guide: $(REPORTS)/walkthrough/index.html"

check: lint typecheck

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: setup
	$(VENV)/bin/mypy .

test: check browser report-tools
	@mkdir -p $(REPORTS)
	$(PY) -m pytest tests steps $(XDIST) $(PYTEST_REPORTS)

# axe-core on every page of the journeys, website and app; it is part of `make test` too.
a11y: setup browser report-tools
	$(PY) -m pytest tests/a11y

mocks: setup
	$(PY) -m mock_servers

# The flake soak: the whole scenario suite again and again, serially, with two workers, and with every
# core kept busy; at least SOAK_RUNS scenario runs per mode (300: two passes of the 168 scenario runs each).
SOAK_RUNS ?= 300
SOAK_MODES ?= serial,parallel,loaded
soak: setup browser
	$(PY) scripts/soak.py --runs $(SOAK_RUNS) --modes $(SOAK_MODES)

# Where the suite's time goes, side by side in one run (scripts/bench.py): the mocks' start-up, the floor
# scenario, every scenario's cost, the suite on one worker and on one per core, machine-wide CPU.
# BENCH_ARGS=--quick leaves out the run on one worker per core.
BENCH_ARGS ?=
bench: setup browser
	@mkdir -p $(REPORTS)
	$(PY) scripts/bench.py --output $(REPORTS)/bench.json $(BENCH_ARGS)

# Micro-benchmarks of the parts (pytest-benchmark): a page render, a mock reset, the SSO hop over HTTP.
microbench: setup browser
	@mkdir -p $(REPORTS)
	$(PY) -m pytest benchmarks --benchmark-only --benchmark-json=$(REPORTS)/benchmark.json \
		--benchmark-columns=min,median,mean,max,rounds --benchmark-sort=name

clean:
	rm -rf $(REPORTS) $(ARTIFACTS) .pytest_cache .mypy_cache .ruff_cache
