# The two commands a newcomer runs: `make book` and `make test` (see README.md).
# Python 3.11, 3.12 or 3.13: with PYTHON unset, make uses python3 if it is one of those, else the
# newest python3.1x on the PATH; PYTHON=... is checked, and a wrong one stops before pip runs.
PYTHON ?=
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Progress bars off: outputs must not depend on who runs the notebooks. One BLAS thread: the
# matrices here are small, and on a busy 2-core machine threads make them several times slower.
export GDCORE_QUIET := 1
export OPENBLAS_NUM_THREADS := 1
export OMP_NUM_THREADS := 1

.PHONY: book book-zh test test-quick test-portable test-lab test-grader test-platforms lab \
        student student-zh execute \
        clean venv python-ok

venv: $(STAMP)

# Checked on every run, before anything is installed: an explicit PYTHON=..., and the interpreter
# an existing .venv was made with.
python-ok:
	@[ -z "$(PYTHON)" ] || sh tools/pick_python.sh $(PYTHON) >/dev/null
	@[ ! -x $(BIN)/python ] || sh tools/pick_python.sh $(BIN)/python >/dev/null || { \
	  echo "  $(VENV) was made with that interpreter: rm -rf $(VENV), then run make again." >&2; \
	  exit 1; }

# Reinstall only when a requirements file or pyproject.toml changed (the stamp is newer otherwise).
$(STAMP): requirements.txt requirements-dev.txt pyproject.toml | python-ok
	@[ -x $(BIN)/python ] && exit 0; \
	py=$$(sh tools/pick_python.sh $(PYTHON)) || exit 1; \
	$$py -c "import venv, ensurepip" 2>/dev/null || { \
	  echo "error: '$$py -m venv' is not available."; \
	  echo "  Debian/Ubuntu: sudo apt-get install python3-venv   (then run make again)"; \
	  echo "  or point make at another interpreter: make book PYTHON=/path/to/python3.12"; \
	  exit 1; }; \
	echo "$$py -m venv $(VENV)   # Python $$($$py -c 'import sys; print(sys.version.split()[0])')"; \
	$$py -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

# Both editions, as GitHub Pages publishes them: the English book in _build/html/ and the
# Chinese one in _build/html/zh_CN/, each page's language button leading to the same page in
# the other. The Chinese book zh_CN/ is written by tools/i18n.py from the English sources and
# the catalogues in locales/zh_CN/ (commit what it writes), then built like the English one.
book: $(STAMP)
	rm -rf _build zh_CN/_build
	$(BIN)/jupyter-book build -W -n --keep-going .
	$(BIN)/python tools/i18n.py build
	$(BIN)/jupyter-book build -W -n --keep-going zh_CN
	cp -r zh_CN/_build/html _build/html/zh_CN
	@echo "The book is at file://$(CURDIR)/_build/html/index.html (中文版: zh_CN/index.html)"

# The Chinese edition alone, into zh_CN/_build/html/ (a translator's loop).
book-zh: $(STAMP)
	$(BIN)/python tools/i18n.py build
	rm -rf zh_CN/_build
	$(BIN)/jupyter-book build -W -n --keep-going zh_CN
	@echo "The Chinese book is at file://$(CURDIR)/zh_CN/_build/html/index.html"

# gdcore unit tests, nbval (strict) on every chapter, the clean book build and the browser tests
# of the built HTML. The slower suites have targets of their own, which .ci/run also calls:
# test-lab (live widgets in JupyterLab), test-grader (sandboxed grading, the cheat suite) and
# test-platforms (round trips through the real Otter-Grader and nbgrader).
SLOW := not lab and not grader and not platforms
test: $(STAMP)
	$(BIN)/python -m pytest -n 2 --dist loadscope -m "$(SLOW)"

# The live widgets in a real JupyterLab, in headless Chromium (a few minutes).
test-lab: $(STAMP)
	$(BIN)/python -m pytest tests/test_lab.py -m lab

# The grader: submissions graded in sandboxed kernels, every cheat scoring zero.
test-grader: $(STAMP)
	$(BIN)/python -m pytest -n 2 --dist loadscope -m grader tests/

# The committed outputs hold on other machines: nbval over every chapter and the student
# edition's run under two other numeric environments (older CPU kernel and SIMD; another kernel
# family with two BLAS threads). tools/portable.py picks settings this CPU supports.
test-portable: $(STAMP)
	$(BIN)/python tools/portable.py

# A developer's quick loop: no book build, no browser.
test-quick: $(STAMP)
	$(BIN)/python -m pytest -n 2 --dist loadscope -m "not book and not browser and $(SLOW)"

lab: $(STAMP)
	$(BIN)/jupyter lab chapters/

# The student edition, a repository of its own (tools/make_student.py says what is in it).
student: $(STAMP)
	$(BIN)/python tools/make_student.py

# The Chinese student edition, student-zh/, from the Chinese book (make book-zh writes zh_CN/).
student-zh: $(STAMP)
	$(BIN)/python tools/i18n.py build --check
	$(BIN)/python tools/make_student.py --edition zh_CN

# Otter-Grader and nbgrader live in a venv of their own: their Jupyter server and lab extensions
# would change the JupyterLab of .venv (make lab, the lab tests); the pins are the book's. The
# name matches .venv-py*, which git, ruff and the book already leave out.
PLATFORMS := .venv-py-platforms
PLATFORMS_STAMP := $(PLATFORMS)/.installed
.PHONY: otter nbgrader
$(PLATFORMS_STAMP): requirements.txt requirements-platforms.txt pyproject.toml | python-ok
	@[ -x $(PLATFORMS)/bin/python ] || { py=$$(sh tools/pick_python.sh $(PYTHON)) || exit 1; \
	  echo "$$py -m venv $(PLATFORMS)"; $$py -m venv $(PLATFORMS); }
	$(PLATFORMS)/bin/python -m pip install --quiet --upgrade pip
	$(PLATFORMS)/bin/python -m pip install --quiet -r requirements-platforms.txt
	touch $(PLATFORMS_STAMP)

# Otter-Grader and nbgrader round trips, with the tools from their own venv (defined
# after PLATFORMS_STAMP: make expands prerequisites as it reads them).
test-platforms: $(STAMP) $(PLATFORMS_STAMP)
	$(BIN)/python -m pytest tests/test_platforms.py -m platforms

# otter/<chapter>/: an Otter Assign master notebook per chapter, and `otter assign`'s dist/
# (student notebook, autograder.zip for Gradescope or `otter run`; the solutions are tested).
otter: $(STAMP) $(PLATFORMS_STAMP)
	rm -rf otter
	$(BIN)/python tools/make_otter.py
	for master in otter/*/*.ipynb; do \
	  (cd $$(dirname $$master) && PATH="$(CURDIR)/$(PLATFORMS)/bin:$$PATH" \
	    otter assign --no-pdfs $$(basename $$master) dist) || exit 1; done

# nbgrader/: an nbgrader course (source/<chapter>/), and each assignment's release/ version.
nbgrader: $(STAMP) $(PLATFORMS_STAMP)
	rm -rf nbgrader/source  # not the rest: nbgrader/ holds the gradebook and submissions
	$(BIN)/python tools/make_nbgrader.py
	cd nbgrader && for a in source/*/; do \
	  PATH="$(CURDIR)/$(PLATFORMS)/bin:$$PATH" nbgrader generate_assignment $$(basename $$a) \
	    --force || exit 1; done

# Re-execute notebooks in place (outputs are committed): make execute NB=chapters/x.ipynb
NB ?= chapters/*.ipynb
execute: $(STAMP)
	$(BIN)/python tools/execute_notebooks.py $(NB)

clean:
	rm -rf _build zh_CN/_build student student-zh otter .pytest_cache
