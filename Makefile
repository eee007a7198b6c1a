# Two commands a new user needs: `make run` and `make test`. Everything else is for developers.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000

.PHONY: run test install assets migrate demo lint bench clean lock

# uv installs the locked dependencies several times faster than pip (a first `make run` spent
# most of its time in pip); where uv cannot (an index only pip is configured for), pip does.
UV_VERSION := 0.13.9
$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip uv==$(UV_VERSION)
	$(BIN)/uv pip install --quiet --python $(BIN)/python -c requirements.lock -e '.[dev,production]' \
		|| $(BIN)/pip install --quiet -c requirements.lock -e '.[dev,production]'
	touch $(STAMP)

## Pin every Python dependency again, in a fresh virtual environment, after editing pyproject.toml.
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet -e '.[dev,production]'
	{ echo "# The Python dependencies, pinned: what 'make install' installs (as constraints on"; \
	  echo "# pyproject.toml's ranges). Regenerate after changing pyproject.toml: make lock."; \
	  .lock-venv/bin/pip freeze --exclude-editable | grep -v '^-e\|^concerns-resolution'; } > requirements.lock
	rm -rf .lock-venv

install: $(STAMP)

# Front-end assets: GOV.UK Frontend compiled with Sass into build/static (never committed).
NODE_STAMP := node_modules/.package-lock.json
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel error
	touch $(NODE_STAMP)

build/static/css/app.css: $(NODE_STAMP) $(wildcard assets/scss/*.scss assets/js/*.mjs) assets/build.mjs
	npm run --silent build

assets: build/static/css/app.css

migrate: install
	$(BIN)/python manage.py create_database
	$(BIN)/python manage.py migrate --noinput -v0

demo: migrate
	$(BIN)/python manage.py seed_demo

## Set up and run: web, Celery worker and beat, on SQLite and the filesystem broker by default.
run: assets demo
	@$(BIN)/python manage.py run_local --port $(PORT)

## The whole test suite (PostgreSQL when DATABASE_URL is set, else SQLite).
test: install assets
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	@# Production settings pass Django's deployment checks (HTTPS, HSTS, secure cookies, no DEBUG).
	DJANGO_SETTINGS_MODULE=config.settings.production SECRET_KEY="$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
		ALLOWED_HOSTS=concerns.example.org DATABASE_URL=sqlite:///:memory: SITE_URL=https://concerns.example.org \
		AUDIT_KEYS="lint:$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(40))')" \
		$(BIN)/python manage.py check --deploy --fail-level WARNING

## Timings and query counts on a generated dataset in a separate database.
bench: install
	$(BIN)/python manage.py bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var build node_modules
