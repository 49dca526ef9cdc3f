# Two commands on a fresh machine (see README.md):
#   make run    set up .venv, ingest the bundled samples, start the web UI
#   make test   set up .venv, the Debian packages the tests need (scripts/install-system-deps.sh)
#               and the local 0.5B model server for the LLM contract tests, run ruff and the suite
# Both install what they need themselves; nothing has to be installed by hand first.
# TEACHBACK_SKIP_LOCAL_LLM=1 make test skips the llama.cpp build (its contract tests then skip);
# CI never sets it. TEACHBACK_STRICT=1 makes a test whose system part is missing fail, not skip.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8501

.PHONY: run test lint bench contracts clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"

$(VENV)/.installed: $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test]'
	touch $@

run: $(VENV)/.installed
	$(BIN)/teachback quickstart --port $(PORT)

test: $(VENV)/.installed
	bash scripts/install-system-deps.sh
	bash scripts/install-local-llm.sh 0.5b
	$(BIN)/ruff check .
	TEACHBACK_STRICT=1 $(BIN)/python -m pytest

lint: $(VENV)/.installed
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

bench: $(VENV)/.installed
	bash scripts/run-benchmarks.sh

contracts: $(VENV)/.installed
	PATH="$(CURDIR)/$(BIN):$$PATH" ../shared/bin/check-contracts

clean:
	rm -rf $(VENV) data/teachback.db* tests/artifacts
