# shoplink — `make help` lists the targets.
.DEFAULT_GOAL := help
SHELL := /bin/bash

VENV   ?= .venv
PY     := $(VENV)/bin/python
BIN    := $(VENV)/bin
DB     ?= sqlite:///./shoplink.db
HOST   ?= 127.0.0.1
PORT   ?= 8000
PLATFORM ?= tiktok_shop
STAMP  := $(VENV)/.installed

.PHONY: help install run test lint format bench bench-quick clean messages

help: ## list the targets
	@grep -E '^[a-z-]+:.*?## ' $(MAKEFILE_LIST) | awk -F':.*?## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) ## build .venv with every dependency (pinned in pyproject.toml)

.shoplink-admin-token:
	@$(PY) -c 'import secrets; print("adm_" + secrets.token_urlsafe(24))' > $@

run: install .shoplink-admin-token ## migrate an embedded SQLite file, load demo data, serve on 127.0.0.1:8000 with a worker
	$(BIN)/shoplink db upgrade --database-url $(DB)
	$(BIN)/shoplink demo --database-url $(DB) --platform $(PLATFORM)
	@echo "admin token: $$(cat .shoplink-admin-token)"
	@echo "web pages:   http://$(HOST):$(PORT)/login  (public: /@maple.outfitters)"
	@echo "API docs:    http://$(HOST):$(PORT)/docs"
	@$(BIN)/shoplink worker --database-url $(DB) & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	SHOPLINK_ADMIN_TOKEN=$$(cat .shoplink-admin-token) $(BIN)/shoplink serve \
		--host $(HOST) --port $(PORT) --database-url $(DB) --platform $(PLATFORM)

lint: install ## ruff, ruff format --check, mypy --strict, alembic check
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	@rm -f .alembic-check.db
	SHOPLINK_DATABASE_URL=sqlite:///.alembic-check.db $(BIN)/alembic upgrade head >/dev/null 2>&1
	SHOPLINK_DATABASE_URL=sqlite:///.alembic-check.db $(BIN)/alembic check
	@rm -f .alembic-check.db

test: install lint ## the whole suite: lint gates, SQLite and PostgreSQL tests, races, schemathesis
	$(BIN)/pytest $(PYTEST_ARGS)

bench: install ## B1-B6 and the outbox, each against its same-run baseline; table + chart in bench/results/
	$(BIN)/python bench/run.py --events $${BENCH_EVENTS:-2000} --import-lines $${BENCH_IMPORT_LINES:-1000000}

bench-quick: install ## every benchmark at small sizes (a smoke run: it shows they work, never judges a time)
	$(BIN)/python bench/run.py --quick

messages: install ## extract page texts into the zh-Hans catalogue (then translate the new msgids)
	$(BIN)/pybabel extract -F babel.cfg -k N_ --no-location -o .messages.pot . >/dev/null
	$(BIN)/pybabel update -i .messages.pot -d src/shoplink/translations -l zh_Hans -N --no-wrap
	@rm -f .messages.pot

format: install ## apply ruff's fixes and formatting
	$(BIN)/ruff check --fix src tests
	$(BIN)/ruff format src tests

clean: ## remove the virtualenv, caches and the demo database
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache shoplink.db* .shoplink-admin-token
