# Entry points for people and CI. Everything runs in ./.venv, created on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: help setup demo test test-fast lint build baseline bench screenshots class clean

help:
	@echo "make demo   build the Otter zip and grade the examples through it as Gradescope would"
	@echo "make test   run the test suite (SymPy proofs, rubrics, red team, Gradescope layout)"
	@echo "make build  write dist/autograder.zip and dist/a2-student.zip"
	@echo "make lint   ruff"
	@echo "make bench  measure against plain Otter; writes bench/RESULTS.md and README's table"
	@echo "make baseline  rerun the red team against plain Otter and rewrite docs/baseline-results.md"
	@echo "make class  write dist/class/assignment_4242_export.zip, a generated Gradescope export to try a2 grade on"
	@echo "make screenshots  photograph report.html and the review page into docs/img/"
	@echo "make clean  remove .venv, dist and caches"

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; v = sys.version_info[:2]; \
	  sys.exit(0 if (3, 11) <= v <= (3, 13) else "a2 needs Python 3.11 to 3.13, found %d.%d; run make PYTHON=python3.12 ..." % v)'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip setuptools wheel
	$(BIN)/python -m pip install -q -e ".[dev]"
	@touch $(STAMP)

setup: $(STAMP)

demo: $(STAMP)
	$(BIN)/a2 demo

# Two workers (this project's CI machine has two cores); tests sharing a costly session fixture
# run on one worker (tests/conftest.py puts them in one xdist group).
TEST_WORKERS ?= 2

test: $(STAMP)
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist loadgroup

test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist loadgroup -m "not slow"

build: $(STAMP)
	$(BIN)/a2 build

bench: $(STAMP)
	$(BIN)/python -m bench.run

baseline: $(STAMP)
	A2_WRITE_BASELINE=1 $(BIN)/python -m pytest -q -m baseline tests/test_baseline.py

class: $(STAMP)
	$(BIN)/python tests/gradescope_export.py dist/class

screenshots: $(STAMP)
	$(BIN)/python tests/screenshots.py

lint: $(STAMP)
	$(BIN)/ruff check autograder tests solutions bench

clean:
	rm -rf $(VENV) dist build .a2cache .pytest_cache .ruff_cache grades *.egg-info
