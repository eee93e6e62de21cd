# Developer shortcuts. The README's two commands are the contract; these are conveniences.
VENV ?= .venv
PY = $(VENV)/bin/python

.PHONY: install test lint types check snapshot-update golden-update schemas case-format codes bench

install:
	python3 -m venv $(VENV) && $(VENV)/bin/pip install -q -e '.[test]'

test:
	$(VENV)/bin/pytest -q -p no:cacheprovider

# Formatting, lint and the import layers: what the pre-commit hooks run on each commit.
lint:
	$(VENV)/bin/ruff format --check achilles tests benchmarks
	$(VENV)/bin/ruff check achilles tests benchmarks
	$(VENV)/bin/lint-imports --no-cache

types:
	$(VENV)/bin/mypy achilles

# Everything, before a push: formatting, lint, import layers, types, the tests (which run the
# same four checks again, so the README's test command holds them too), the legal team's gate.
check: lint types test
	$(VENV)/bin/achilles rules check --strict

# Review the changed SVGs (tests/tui/__snapshots__) before committing them.
snapshot-update:
	$(VENV)/bin/pytest -q -p no:cacheprovider tests/tui/test_snapshots.py --snapshot-update

golden-update:
	$(VENV)/bin/pytest -q -p no:cacheprovider tests/test_golden.py --update-goldens

schemas:
	$(PY) -m achilles.model.schemas

case-format:
	$(PY) -m achilles.model.case_format

# The check-codes table in rules/README.md, written from achilles/rulebook/codes.py.
codes:
	$(PY) -m achilles.rulebook.codes --write rules/README.md

bench:
	$(PY) benchmarks/run.py
