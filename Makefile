# Two commands set everything up on a fresh machine: `make repro` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(abspath $(VENV))/bin
export PATH := $(BIN):$(PATH)
export PYTHONHASHSEED := 0

.PHONY: install repro test lint corpus stats mlflow-ui clean

install: $(VENV)/.installed  ## Create .venv with the pinned dependencies and the package

$(VENV)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements.lock
	$(BIN)/pip install -q --no-deps -e .
	touch $@

repro: install  ## Run the whole DVC pipeline on the shipped corpus
	dvc repro
	dvc metrics show

test: install  ## Unit, stage, data and end-to-end tests
	pytest -q

lint: install
	ruff check src tests
	ruff format --check src tests

corpus: install  ## Rebuild corpus/ and annotations/gold.jsonl from annotations/markup
	thaievents corpus build

stats: install
	thaievents corpus stats

mlflow-ui: install  ## Browse runs in the default local store
	mlflow ui --backend-store-uri sqlite:///mlflow.db

clean:
	rm -rf training/corpus training/model training/baseline.joblib evaluate/plots
