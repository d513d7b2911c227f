# Two commands: `make run` serves the console at http://localhost:3000, `make test` runs every test.
# Both install what they need on a fresh machine: the virtualenv, bun (from the npm registry) and,
# for tests, Chromium from the distribution's packages.
# Scale-out mode: `make run-scaled WORKERS=2` (PostgreSQL + Redis, several workers) and
# `make test-postgres` (the whole suite on PostgreSQL); .ci/postgres.sh and .ci/redis.sh install
# those servers from the distribution's packages when missing and start them on loopback.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
BUN_VERSION := 1.4.4
PORT ?= 3000
WORKERS ?= 2
PG_TESTS ?= tests/unit tests/journeys
export REFLEX_TELEMETRY_ENABLED := false

.PHONY: run test unit journeys setup bun chromium seed bench export clean \
	setup-postgres postgres redis test-postgres run-scaled test-scaled bench-scaled

run: setup bun
	$(PY) -m maas_ui.manage prepare
	$(VENV)/bin/reflex run --env prod --frontend-port $(PORT) --backend-port $(PORT)

test: setup bun chromium
	$(PY) -m pytest tests/unit tests/journeys -q

unit: setup
	$(PY) -m pytest tests/unit -q

journeys: setup bun chromium
	$(PY) -m pytest tests/journeys -q

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $@

setup-postgres: $(VENV)/.installed-postgres

$(VENV)/.installed-postgres: $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[test,postgres]'
	@touch $@

# Start (or reuse) the loopback servers; prints the export lines (eval "$$(make -s postgres)").
postgres:
	@.ci/postgres.sh

redis:
	@.ci/redis.sh

# The whole suite on PostgreSQL: in the server MAAS_TEST_DB_URL names, else in the project's own
# (each test database is created fresh and dropped afterwards). PG_TESTS narrows it.
test-postgres: setup-postgres bun chromium
	@if [ -z "$$MAAS_TEST_DB_URL" ]; then exports=$$(MAAS_PG_FAST=1 .ci/postgres.sh) || exit 1; eval "$$exports"; fi; \
	$(PY) -m pytest $(PG_TESTS) -q

# The gateway in scale-out mode (2 workers, Redis, PostgreSQL, all its own, on free loopback ports):
# exact limits across workers, and Redis/PostgreSQL stopped and started during traffic. Its own
# pytest run: no other console may run from this checkout meanwhile.
test-scaled: setup-postgres bun
	@.ci/redis.sh install && .ci/postgres.sh install && $(PY) -m pytest tests/scaled -q -s

# The console on PostgreSQL with Redis-shared state and $(WORKERS) backend workers, at
# http://localhost:$(PORT). MAAS_DB_URL / MAAS_REDIS_URL when set, else the project's own servers.
run-scaled: setup-postgres bun
	@if [ -z "$$MAAS_DB_URL" ]; then exports=$$(.ci/postgres.sh) || exit 1; eval "$$exports"; export MAAS_DB_URL="$$MAAS_PG_URL"; fi; \
	if [ -z "$$MAAS_REDIS_URL" ]; then exports=$$(.ci/redis.sh) || exit 1; eval "$$exports"; fi; \
	export MAAS_WORKERS=$(WORKERS) MAAS_RATE_LIMIT_STORAGE="$${MAAS_RATE_LIMIT_STORAGE:-$$MAAS_REDIS_URL}"; \
	$(PY) -m maas_ui.manage prepare && \
	exec $(VENV)/bin/reflex run --env prod --frontend-port $(PORT) --backend-port $(PORT)

# Reflex would download bun from the internet; take it from the npm registry instead, unless a bun exists.
bun:
	@if command -v bun >/dev/null 2>&1 || [ -x .tools/node_modules/.bin/bun ]; then :; \
	else echo "Installing bun $(BUN_VERSION) from the npm registry into .tools/"; \
	  npm install --prefix .tools --no-audit --no-fund --loglevel=error bun@$(BUN_VERSION); fi

# Playwright cannot download browsers here: use the distribution's Chromium (root), else Playwright's own.
chromium:
	@if [ -x /usr/bin/chromium ] || [ -n "$$MAAS_CHROMIUM" ]; then :; \
	elif command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	  echo "Installing Chromium from the distribution's packages"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else $(VENV)/bin/playwright install chromium; fi

seed: setup
	$(PY) -m seed --reset

bench: setup
	$(PY) -m benchmarks

# Scale-out figures (own PostgreSQL and Redis): gateway requests per second with 1 and 2 workers.
bench-scaled: setup-postgres bun
	@.ci/redis.sh install && .ci/postgres.sh install && $(PY) -m benchmarks.scaled

export: setup
	$(PY) -m maas_ui.export --out exports

clean:
	rm -rf .web .states tests/screenshots
