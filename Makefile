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
# Debian packages only the tests need: Debian's Chromium for the browser tests (Playwright drives it; it never
# downloads a browser of its own).
TEST_SYSTEM_PACKAGES := chromium

.PHONY: demo test lint typecheck unit setup system test-system bench clean vendor serve

# Browser assets of the web app: from the npm registry at build time (package-lock.json pins them),
# copied into static/vendor (git-ignored). Debian's npm is installed when there is none.
WEB := src/regiolens/web
FRONTEND := $(WEB)/frontend
VENDOR := $(WEB)/static/vendor
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_SERVE ?= 1

setup: system $(VENV)/.synced

define install-missing
	@missing=$$(for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing $$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi
endef

system:
	$(call install-missing,$(SYSTEM_PACKAGES))

# The engine-equality test runs the microdata pipeline on PySpark 4, which needs a Java 17 runtime: Debian's
# headless JRE is installed only when no java is on PATH.
test-system:
	$(call install-missing,$(TEST_SYSTEM_PACKAGES))
	@command -v java >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless; }

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet "uv==$(UV_VERSION)"

$(VENV)/.synced: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --extra spark --python $(PYTHON)
	touch $@

vendor: $(VENDOR)/.built

$(VENDOR)/.built: $(FRONTEND)/package.json $(FRONTEND)/package-lock.json
	@command -v npm >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm; }
	cd $(FRONTEND) && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	rm -rf $(VENDOR) && mkdir -p $(VENDOR)/swagger-ui
	cp $(FRONTEND)/node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/
	cp $(FRONTEND)/node_modules/swagger-ui-dist/swagger-ui-bundle.js $(FRONTEND)/node_modules/swagger-ui-dist/swagger-ui.css \
		$(VENDOR)/swagger-ui/
	touch $@

# The demo's web app keeps its app database and secret in var/ (override with REGIOLENS_DATABASE_URL).
DEMO_ENV := REGIOLENS_WAREHOUSE=$${REGIOLENS_WAREHOUSE:-var/warehouse.duckdb} \
	REGIOLENS_DATABASE_URL=$${REGIOLENS_DATABASE_URL:-sqlite:///var/regiolens.db} REGIOLENS_DATA_DIR=$${REGIOLENS_DATA_DIR:-var}

demo: setup vendor
	$(DEMO_ENV) $(RUN)/python -m regiolens.demo --shared "$(SHARED)" --out var
	@if [ "$(DEMO_SERVE)" = "1" ]; then $(MAKE) --no-print-directory serve; fi

serve: setup vendor
	$(DEMO_ENV) $(RUN)/regiolens serve --host $(HOST) --port $(PORT) --demo-user

lint: setup
	$(RUN)/ruff check src tests benchmarks
	$(RUN)/ruff format --check src tests benchmarks

typecheck: setup
	$(RUN)/mypy

# The app-database tests run on SQLite and on PostgreSQL: .ci/postgres installs, starts and sets up the Debian
# package's cluster (idempotently) and prints the test database's URL; on CI the cluster is stopped afterwards.
unit: setup test-system vendor
	url=$$(bash .ci/postgres) && REGIOLENS_TEST_POSTGRES_URL=$$url $(RUN)/pytest -n 2 --dist loadfile -q; \
	status=$$?; if [ "$${CI:-}" = true ]; then bash .ci/postgres stop; fi; exit $$status

test: vendor lint typecheck unit

bench: setup
	$(RUN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) $(TOOLS) .pytest_cache .mypy_cache .ruff_cache
