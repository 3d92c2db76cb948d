# The two commands of the README.  Both work on a fresh machine with Python 3.11.
PY ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test setup setup-dev bench lock clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# Core install from the lock file, then belie itself without touching the pins.
setup: $(BIN)/python
	$(BIN)/pip install -q -r requirements.lock
	$(BIN)/pip install -q --no-deps -e .

# Tests need everything: the core, the test and benchmark extras, and the spaCy
# pipeline of the `nlp` extra (pinned by hash in requirements-nlp.lock).
setup-dev: $(BIN)/python
	$(BIN)/pip install -q -r requirements-dev.lock
	$(BIN)/pip install -q -r requirements-nlp.lock
	$(BIN)/pip install -q --no-deps -e .

# The main job on the bundled example cases (a historical one in days, a modern one in
# minutes across two time zones): for each, the verdict and findings first, then the
# case's summary, then the HTML report.
demo: setup
	$(BIN)/belie check examples/moscow-1936
	$(BIN)/belie show examples/moscow-1936
	$(BIN)/belie report examples/moscow-1936 -o report.html
	$(BIN)/belie check examples/karvonen-2022
	$(BIN)/belie show examples/karvonen-2022
	$(BIN)/belie report examples/karvonen-2022 -o report-karvonen.html
	@echo "reports written to report.html and report-karvonen.html"

test: setup-dev
	$(BIN)/python -m pytest -q -p no:cacheprovider

bench: setup-dev
	$(BIN)/python benchmarks/run_all.py

# Regenerate the lock files from pyproject.toml (needs uv: pip install uv).
lock:
	uv pip compile pyproject.toml --python-version 3.11 -q -o requirements.lock
	uv pip compile pyproject.toml --python-version 3.11 -q --extra test --extra bench --extra dask -o requirements-dev.lock

clean:
	rm -rf $(VENV) report.html report-karvonen.html
