"""Write Otter-Grader assignments from the teacher's edition (``make otter``).

One assignment per chapter notebook with exercises: ``otter/<chapter>/<chapter>.ipynb`` is an
Otter Assign master notebook (https://otter-grader.readthedocs.io, format of Otter 5 and later),
made from the chapter as it is:

- each exercise is a question named after its label (``ex_zoo_soft_threshold``) and worth the
  points of its checker cell's ``grading`` metadata (1 where there is none); its prompt is the
  exercise's statement, its solution the answer cell with the body between ``# BEGIN SOLUTION``
  and ``# END SOLUTION`` (students get the signature and the neutral docstring, as in the student
  edition);
- its public test is the course's checker (the verdict line goes into the assertion message, so
  a failing test says what is wrong); its hidden tests, which students do not see, check that the
  answer is the student's own function (not gdcore's, which the exercise asks them to write) and,
  when the checker takes a ``seed``, run it again on other random inputs; the points go to an
  exercise whose tests all pass (``all_or_nothing``), so a stub or a gdcore function earns none;
- the solution dropdowns are left out; a checker cell that only called the checker gives way to
  Otter's ``grader.check`` cell, one that does more (uses the answer) stays after the question.

Then ``otter assign otter/<chapter>/<chapter>.ipynb otter/<chapter>/dist`` writes the student
notebook and the autograder (``dist/autograder/autograder.zip``, for Gradescope or
``otter run``). ``make otter`` runs both steps; the tests run one chapter through ``otter assign``
and ``otter run``.

Usage: python tools/make_otter.py [--source .] [--out otter] [NOTEBOOK ...]
"""

import inspect
import json
import sys
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
import exercises  # noqa: E402
import make_student  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
HIDDEN_SEED = 20260  # other random inputs than the public test's (used when a checker has seed=)


def question_name(label: str) -> str:
    return label.replace("-", "_")


def answer_names(source: str) -> list[str]:
    """The names a solution cell defines (its functions and assigned names)."""
    import ast

    names = []
    for node in ast.parse(source).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.append(node.name)
        elif isinstance(node, ast.Assign):
            names += [t.id for t in node.targets if isinstance(t, ast.Name)]
    return names


def checker_call(checker_source: str) -> str:
    """``gd.checks.topic.check_x(answer)`` as the checker cell writes it (first call only)."""
    m = make_student.CHECKER_CALL.search(checker_source)
    start, depth = m.start(), 0
    for i in range(m.end() - 1, len(checker_source)):
        depth += {"(": 1, ")": -1}.get(checker_source[i], 0)
        if depth == 0:
            return checker_source[start:i + 1]
    raise ValueError(f"unbalanced checker call: {checker_source!r}")


def takes_seed(dotted: str) -> bool:
    """Whether the checker accepts ``seed=`` (then hidden tests use other random inputs)."""
    import importlib

    module, name = dotted.rsplit(".", 1)
    try:
        checker = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return False
    return "seed" in inspect.signature(checker).parameters


def public_test(call: str) -> str:
    """The checker as a silent test: its verdict line becomes the assertion's message."""
    return "\n".join([
        "import contextlib, io",
        "_verdict = io.StringIO()",
        "with contextlib.redirect_stdout(_verdict):",
        f"    _ok = {call}",
        "assert _ok, _verdict.getvalue().strip()",
    ])


def hidden_source(exercise: dict, call: str, names: list[str]) -> str:
    """Tests students do not see: the answer is their own, and holds on other inputs.

    The answer may not be a gdcore function, nor call one of ``exercise["forbid"]`` (the ones the
    exercise asks to write) however it reaches it — an alias, a wrapper, ``functools.partial``:
    a profile hook watches the code objects while the checker calls the answer. With a checker
    that takes ``seed``, that run uses other random inputs than the public test.
    """
    lines = []
    for name in names:
        lines += [f"assert not str(getattr({name}, '__module__', '')).startswith('gdcore'), \\",
                  f"    'write {name} yourself: handing back gdcore\\'s own earns nothing'"]
    seeded = takes_seed(exercise["checker"])
    if not (exercise["forbid"] or seeded):
        return "\n".join(lines)
    checker, argument = call.split("(", 1)
    argument = argument.rsplit(")", 1)[0].strip()
    seed = f", seed={HIDDEN_SEED}" if seeded else ""
    lines += [
        "import contextlib, functools, importlib, io, sys",
        "def _resolve(name):",
        "    parts = name.split('.')",
        "    for i in range(len(parts), 0, -1):",
        "        try:",
        "            obj = importlib.import_module('.'.join(parts[:i]))",
        "        except ImportError:",
        "            continue",
        "        for attr in parts[i:]:",
        "            obj = getattr(obj, attr)",
        "        return getattr(obj, '__code__', None)",
        f"_forbidden = {{_resolve(n): n for n in {exercise['forbid']!r}}}",
        "_used = []",
        "def _watch(frame, event, arg):",
        "    if event == 'call' and frame.f_code in _forbidden:",
        "        _used.append(_forbidden[frame.f_code])",
        "def _yours(fn):",
        "    @functools.wraps(fn)",
        "    def call(*args, **kwargs):",
        "        sys.setprofile(_watch)",
        "        try:",
        "            return fn(*args, **kwargs)",
        "        finally:",
        "            sys.setprofile(None)",
        "    return call",
        "_verdict = io.StringIO()",
        "with contextlib.redirect_stdout(_verdict):",
        f"    _ok = {checker}(_yours({argument}){seed})",
        "assert not _used, f'write it yourself: your answer calls {_used[0]}'",
        "assert _ok, _verdict.getvalue().strip()",
    ]
    return "\n".join(lines)


def _raw(text: str):
    return nbformat.v4.new_raw_cell(text)


def _test_cell(source: str, hidden: bool):
    config = f'""" # BEGIN TEST CONFIG\nhidden: {str(hidden).lower()}\n""" # END TEST CONFIG\n'
    return nbformat.v4.new_code_cell(config + source)


def master_notebook(nb, name: str):
    """The Otter Assign master notebook of one chapter, or None if it has no exercises."""
    found = make_student.exercises(nb)
    if not found:
        return None
    by_solution = {e["solution"]: e for e in found}
    checks = {e["check"] for e in found}
    config = "\n".join([
        "# ASSIGNMENT CONFIG",
        f"name: {name}",
        "requirements: requirements.txt",
        "export_cell: false",
        "check_all_cell: false",
        "generate: true",
        "tests:",
        "  files: false",
    ])
    cells = [_raw(config)]
    pending_prompt = None
    for i, cell in exercises.assignment_cells(nb):
        if cell.cell_type == "markdown" and make_student.EXERCISE.search(cell.source):
            pending_prompt = cell  # the question starts here once its answer cell is found
            continue
        if i in by_solution:
            e = by_solution[i]
            cells.append(_raw(f"# BEGIN QUESTION\nname: {question_name(e['exercise'])}\n"
                              f"points: {e['points']}\nall_or_nothing: true"))
            if pending_prompt is not None:
                cells.append(pending_prompt)
                pending_prompt = None
            cell.source = make_student.marked_solution(cell.source, "# BEGIN SOLUTION",
                                                       "# END SOLUTION")
            cells += [_raw("# BEGIN SOLUTION"), cell, _raw("# END SOLUTION")]
            call = checker_call(nb.cells[e["check"]].source)
            tests = [public_test(call), hidden_source(e, call, answer_names(nb.cells[i].source))]
            cells.append(_raw("# BEGIN TESTS"))
            cells += [_test_cell(t, hidden=k > 0) for k, t in enumerate(tests)]
            cells += [_raw("# END TESTS"), _raw("# END QUESTION")]
            continue
        if pending_prompt is not None:
            cells.append(pending_prompt)  # an exercise without an answer cell: plain prose
            pending_prompt = None
        if i in checks:
            if make_student.PLAIN_CHECK.fullmatch(cell.source.strip()):
                continue  # grader.check(...), which Otter adds, does what this cell did
            cell.source = "# Try your answer (the autograder runs the tests above)\n" + cell.source
        cells.append(cell)
    return exercises.assignment_notebook(nb, cells)


def requirements(source: Path) -> str:
    """The grading environment (Gradescope builds it): the book's pins, gdcore from the fork."""
    url = (source / "_config.yml").read_text().split("repository:", 1)[1].split("url:", 1)[1]
    url = url.split()[0]
    pins = make_student.student_requirements((source / "requirements.txt").read_text())
    book_tools = ("jupyter-book", "sphinx", "myst", "pydata-sphinx", "jupyterlab")
    pins = [p for p in pins.splitlines() if "==" in p and not p.startswith(book_tools)]
    return "\n".join([*pins, f"gdcore @ git+{url}"]) + "\n"


def make_otter(source: Path, out: Path, notebooks=None) -> list[Path]:
    """Write one master notebook per chapter with exercises; returns their paths."""
    written = exercises.write_assignments(
        source, notebooks, lambda nb, path: master_notebook(nb, path.stem),
        lambda path: out / path.stem)
    for path in written:
        (path.parent / "requirements.txt").write_text(requirements(source))
    summary = {p.stem: [e["exercise"] for e in make_student.exercises(nbformat.read(
        source / "chapters" / p.name, as_version=4))] for p in written}
    (out / "assignments.json").write_text(json.dumps(summary, indent=2) + "\n")
    return written


def main(argv=None) -> int:
    return exercises.main(argv, __doc__, make_otter, ROOT / "otter",
                          "otter: {n} master notebooks in {out}")


if __name__ == "__main__":
    sys.exit(main())
