# The two commands of the README live here, so a fresh clone needs nothing else:
#   make run    set up .venv, ingest the bundled samples, open the bot (or the console chat)
#   make test   set up .venv with the test tools, the e2e emulator and Debian's postgresql
#               (its binaries: the PostgreSQL tests start their own server), run the whole suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test install install-dev lint bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

install: $(BIN)/python
	$(BIN)/python -m pip install -q -e .

install-dev: $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[dev]'
	@bash tests/install_postgres.sh
	@if [ -f tests/e2e/install.sh ]; then bash tests/e2e/install.sh; fi

run: install
	$(BIN)/briefbot ingest --quiet briefs/samples
	$(BIN)/briefbot run

test: install-dev
	$(BIN)/python -m pytest -q

lint: install-dev
	$(BIN)/ruff check briefs bot tests bench
	$(BIN)/mypy briefs bot

bench: install-dev
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/brief.py
	$(BIN)/python bench/search.py --quick
	$(BIN)/python bench/bot.py
	$(BIN)/python bench/digest.py
