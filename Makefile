# regiolens — two commands do everything: `make demo` and `make test`.
# Each sets up what it needs (idempotently) and then runs.

PYTHON ?= python3
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
RUN := $(VENV)/bin
SHARED ?= ../shared
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

# Debian packages WeasyPrint (PDF reports) and the PDF tests need; installed only when missing.
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig fonts-dejavu-core poppler-utils

.PHONY: demo test lint typecheck unit setup system bench clean

setup: system $(VENV)/.synced

system:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing $$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet "uv==$(UV_VERSION)"

$(VENV)/.synced: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --python $(PYTHON)
	touch $@

demo: setup
	REGIOLENS_WAREHOUSE=$${REGIOLENS_WAREHOUSE:-var/warehouse.duckdb} $(RUN)/python -m regiolens.demo --shared "$(SHARED)" --out var

lint: setup
	$(RUN)/ruff check src tests benchmarks
	$(RUN)/ruff format --check src tests benchmarks

typecheck: setup
	$(RUN)/mypy

unit: setup
	$(RUN)/pytest -n 2 --dist loadfile -q

test: lint typecheck unit

bench: setup
	$(RUN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) $(TOOLS) .pytest_cache .mypy_cache .ruff_cache
