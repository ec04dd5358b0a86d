# Two commands for a fresh machine: `make app` opens the app, `make test` runs the tests.
# Both create a project-local virtual environment in .venv and install the pinned packages.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: app test test-all lint clean translations

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(STAMP)

app: $(STAMP)
	$(PY) main.py

test: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy
	$(VENV)/bin/lint-imports
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest

# Everything `test` runs, plus the slow checks (a lesson of several minutes, the bundle).
test-all: $(STAMP)
	BSL_SLOW=1 $(MAKE) test

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy
	$(VENV)/bin/lint-imports

translations: $(STAMP)
	$(VENV)/bin/pyside6-lupdate $$(find gui -name "*.py") -ts resources/translations/batchsizelab_zh_CN.ts
	$(VENV)/bin/pyside6-lrelease resources/translations/batchsizelab_zh_CN.ts -qm resources/translations/batchsizelab_zh_CN.qm

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
