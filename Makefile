# The two commands a newcomer runs: `make book` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Progress bars off: outputs must not depend on who runs the notebooks. One BLAS thread: the
# matrices here are small, and on a busy 2-core machine threads make them several times slower.
export GDCORE_QUIET := 1
export OPENBLAS_NUM_THREADS := 1
export OMP_NUM_THREADS := 1

.PHONY: book test test-quick lab student execute clean venv

venv: $(STAMP)

# Reinstall only when a requirements file or pyproject.toml changed (the stamp is newer otherwise).
$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	@$(PYTHON) -c "import venv, ensurepip" 2>/dev/null || { \
	  echo "error: '$(PYTHON) -m venv' is not available."; \
	  echo "  Debian/Ubuntu: sudo apt-get install python3-venv   (then run make again)"; \
	  echo "  or point make at another interpreter: make book PYTHON=/path/to/python3.11"; \
	  exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

book: $(STAMP)
	rm -rf _build
	$(BIN)/jupyter-book build -W -n --keep-going .
	@echo "The book is at file://$(CURDIR)/_build/html/index.html"

# Everything: gdcore unit tests, nbval (strict) on every chapter, the clean book build and the
# browser tests of the built HTML.
test: $(STAMP)
	$(BIN)/python -m pytest -n 2 --dist loadfile

# A developer's quick loop: no book build, no browser.
test-quick: $(STAMP)
	$(BIN)/python -m pytest -n 2 --dist loadfile -m "not book and not browser"

lab: $(STAMP)
	$(BIN)/jupyter lab chapters/

student: $(STAMP)
	$(BIN)/python tools/make_student.py

# Re-execute notebooks in place (outputs are committed): make execute NB=chapters/x.ipynb
NB ?= chapters/*.ipynb
execute: $(STAMP)
	$(BIN)/python tools/execute_notebooks.py $(NB)

clean:
	rm -rf _build student .pytest_cache
