# Two commands for a newcomer: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP_INSTALL := $(BIN)/pip install --quiet --disable-pip-version-check --build-constraint build-constraints.txt

.PHONY: install install-dev run test lint typecheck migrate makemigrations check worker beat clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check "pip==26.3"

install: $(BIN)/python
	$(PIP_INSTALL) -e .
	mkdir -p var

install-dev: install
	$(PIP_INSTALL) -e ".[dev]"

run: install
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py seed_demo
	DEBUG=1 $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:8000

# `make test DB=sqlite` is the only way to test on SQLite; COVERAGE=1 measures it.
test: install-dev
	@DB=$(DB) COVERAGE=$(COVERAGE) bash scripts/test.sh $(ARGS)

# The pre-commit hooks: ruff, django-upgrade, djLint and mypy, on every file.
lint: install-dev
	$(BIN)/pre-commit run --all-files

typecheck: install-dev
	ARP_TESTING=1 $(BIN)/mypy

migrate: install
	DEBUG=1 $(BIN)/python manage.py migrate

makemigrations: install
	DEBUG=1 $(BIN)/python manage.py makemigrations

check: install
	DEBUG=1 $(BIN)/python manage.py check
	ARP_TESTING=1 $(BIN)/python manage.py makemigrations --check --dry-run

worker:
	$(BIN)/celery -A arp worker -l info

beat:
	$(BIN)/celery -A arp beat -l info

clean:
	rm -rf $(VENV) var/staticfiles
