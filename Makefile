# Two commands do all set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: setup setup-semantic demo test docs lint format clean

setup: $(VENV)/.installed $(VENV)/.browser $(VENV)/.services

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

$(VENV)/.browser: $(VENV)/.installed scripts/install-browser.sh scripts/apt-install.sh
	bash scripts/install-browser.sh $(BIN)/python
	touch $@

$(VENV)/.services: scripts/install-services.sh scripts/apt-install.sh
	bash scripts/install-services.sh
	touch $@

# Optional: the embedding scent model (PyTorch, about 1.5 GB in the venv).
setup-semantic: setup
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[dev,semantic]'

demo: setup
	$(BIN)/toptasks demo --out results/demo

# The suite in parallel: one process per test module (--dist loadscope keeps a module's
# shared site, audit, Redis or server on one worker), more workers than cores since most tests
# wait on a browser or a server more than they compute (docs/benchmarks.md, bench/test_speed.py).
TEST_WORKERS ?= 3
test: setup docs
	$(BIN)/pytest -q -n $(TEST_WORKERS) --dist loadscope --durations=20

# The docs site, strictly: a broken link or anchor, a page missing from the navigation or an
# unknown reference marker fails. The reference pages are generated from the code as it builds.
docs: $(VENV)/.installed
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --site-dir site

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) results/demo site
