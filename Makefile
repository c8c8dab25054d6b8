# Two commands on a fresh machine: `make run` and `make test`. Both create .venv from nothing.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
CONFIG ?= feeds.toml
DB     ?= db/monitor.db
# Sentence embeddings (all-MiniLM-L6-v2 as an int8 ONNX file on onnxruntime, no PyTorch) lift
# event clustering well above TF-IDF alone; `make run EXTRAS=` installs without them (TF-IDF only).
EXTRAS ?= embeddings

.PHONY: run test lint bench install install-test clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit("Python 3.11+ is required") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# --no-compile: Python writes bytecode on first import, for the modules used; compiled up front
# it was 90 MB of .pyc for every module of every package installed.
$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install -q --no-compile -e '.$(if $(EXTRAS),[$(EXTRAS)])'
	touch $@

$(VENV)/.installed-test: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install -q --no-compile -e '.[test]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

run: install
	@mkdir -p $(dir $(DB))
	$(BIN)/monitor --config $(CONFIG) --db $(DB)

# The house rules first (configured in pyproject.toml): lint, types, one-way layers.
lint: install-test
	$(BIN)/ruff check monitor tests benchmarks scripts
	$(BIN)/mypy
	$(BIN)/lint-imports

test: lint
	$(BIN)/python -m pytest -n 2 --dist loadfile -q

bench: install-test
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) .pytest_cache
