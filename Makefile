# The README's quick start: `make run` and `make test`, on a fresh machine with Python 3.11+.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml requirements-dev.lock | cksum | cut -d' ' -f1)
# The lockfiles: resolved for every platform (--universal) from Python 3.11 on, with hashes.
LOCK   := $(BIN)/uv pip compile --quiet --universal --python-version 3.11 --generate-hashes \
          --custom-compile-command "make lock"

.PHONY: run test lint typecheck bench lock clean

$(STAMP): pyproject.toml requirements-dev.lock
	sh .ci/install.sh "$(VENV)" dev
	rm -f $(VENV)/.installed-* && touch $@

# With DISCORD_TOKEN set: the bot on Discord. Without: the playground on a local emulator.
run: $(STAMP)
	$(BIN)/paperbot run

test: lint typecheck
	$(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python -m bench.run

# Re-resolve both lockfiles (newest versions allowed by pyproject.toml); commit the result.
# setuptools is locked too: paperbot is built with it, without fetching an unlocked one.
lock: $(STAMP)
	echo "setuptools>=77" | $(LOCK) pyproject.toml - -o requirements.lock
	echo "setuptools>=77" | $(LOCK) pyproject.toml - --extra dev -o requirements-dev.lock

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache
