# Two entry points for a fresh machine: `make run` and `make test`.
# Everything else here is a helper they call.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
UV_VERSION := 0.13.9
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(abspath $(VENV))

.PHONY: run test fast lint types contracts unit install migrate bench system-deps

$(UV):
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

$(VENV)/.installed: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --extra video --python $(PY)
	touch $@

install: $(VENV)/.installed

migrate: install
	$(VENV)/bin/kneecoach db upgrade

run: migrate
	$(VENV)/bin/kneecoach serve

lint: install
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/ruff format --check src tests benchmarks

types: install
	$(VENV)/bin/mypy

contracts: install
	$(VENV)/bin/lint-imports

# Debian packages the tests use: a real PostgreSQL server and Chromium for the browser tests;
# WeasyPrint's libraries (Pango, fonts) for the PDF report, and poppler-utils (`pdftoppm`) to
# turn its pages into images. Only the packages not yet installed are fetched.
SYSTEM_PACKAGES := postgresql chromium libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core poppler-utils
system-deps:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing:" $$missing; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

unit: install system-deps
	$(VENV)/bin/pytest -q

test: lint types contracts unit

# A quick check while working: the gates, then the tests that need neither the PostgreSQL
# server nor Chromium nor a real server process (the crash test), stopping at the first
# failure; the generated-input tests run in-process and stay in. The real-clip video tests
# (the pose model over real frames) are left out too. `make test` is the full run.
fast: lint types contracts
	$(VENV)/bin/pytest -m "not browser and not postgres and not server and not video" -x -q

bench: install system-deps
	$(PY) benchmarks/run.py
