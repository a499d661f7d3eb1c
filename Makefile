# Two commands set everything up on a fresh machine: `make repro` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(abspath $(VENV))/bin
export PATH := $(BIN):$(PATH)
export PYTHONHASHSEED := 0

.PHONY: install repro test lint check browser-install java-check corpus stats mlflow-ui clean doccano doccano-stop doccano-install bench

install: $(VENV)/.installed  ## Create .venv with the pinned dependencies and the package

$(VENV)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements.lock
	$(BIN)/pip install -q --no-deps -e .
	touch $@

repro: install  ## Run the whole DVC pipeline on the shipped corpus
	dvc repro

test: install doccano-install browser-install java-check  ## Unit, stage, data, serving, doccano, report and end-to-end tests
	pytest -q

java-check:  ## Spark (extract --engine spark) needs Java 17 or newer, the one system requirement
	@java -version 2>&1 | grep -Eq 'version "(1[7-9]|[2-9][0-9])' || \
	  { echo "Java 17+ not found: install it, e.g. apt-get install -y openjdk-17-jre-headless (Debian/Ubuntu) or brew install openjdk@17 (macOS)"; exit 1; }

browser-install:  ## Headless Chromium and Thai fonts for the report test (Debian packages; root, as on CI)
	@{ command -v chromium > /dev/null && fc-list :lang=th | grep -q .; } || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-thai-tlwg; }

doccano-install:  ## doccano 1.8.4 in its own virtualenv (.doccano/venv)
	tools/doccano.sh install

doccano: doccano-install  ## Start doccano on 127.0.0.1:$${DOCCANO_PORT:-8000} (needs DOCCANO_ADMIN_USERNAME/PASSWORD)
	tools/doccano.sh start

doccano-stop:  ## Stop exactly the doccano processes that `make doccano` started
	tools/doccano.sh stop

# The second spaCy NER of the vote: affix features only, no lists, no averaging (bench/TRIES.md, try 6).
AFFIX_NER := --work bench/work/thainer-affixes --output evaluate/thainer-affixes.json \
	--override 'components.tok2vec.model.embed.features=["NORM","PREFIX2","PREFIX3","SUFFIX2","SUFFIX3","SHAPE"]' \
	--override 'components.tok2vec.model.embed.rows=[20000,2000,4000,2000,4000,500]' \
	--override training.optimizer.use_averages=false --override training.dropout=0.2

bench: install java-check  ## ThaiNER vs a CRF peer, their vote; speed, served load, scaling. Writes evaluate/thainer*.json, bench/results.json
	thaievents bench thainer
	thaievents bench thainer $(AFFIX_NER)
	thaievents bench vote
	thaievents bench speed
	thaievents bench serve
	thaievents bench scaling
	thaievents bench active

lint: install  ## ruff (lint and format) and mypy on src/
	ruff check src tests
	ruff format --check src tests
	mypy

check: lint test  ## What CI runs: lint, types, then the tests

corpus: install  ## Rebuild corpus/ and annotations/gold.jsonl from annotations/markup
	thaievents corpus build

stats: install
	thaievents corpus stats

mlflow-ui: install  ## Browse runs in the default local store
	mlflow ui --backend-store-uri sqlite:///mlflow.db

clean:
	rm -rf training/corpus training/model training/events_selection.json evaluate/plots
