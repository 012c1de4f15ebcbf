"""The student edition: stubs instead of solutions, deterministic, runnable, and graded 0%."""

import ast
import filecmp
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from paths import ROOT, unexecuted_config

sys.path.insert(0, str(ROOT / "tools"))  # the tools are scripts, not part of gdcore
import grade  # noqa: E402
import make_student  # noqa: E402

TEACHER = sorted((ROOT / "chapters").glob("0*.ipynb"))  # the numbered chapters


@pytest.fixture(scope="module")
def student(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("student")
    make_student.make_student(ROOT, out)
    return out


def _solution_cells(nb):
    return [c for c in nb.cells if "solution" in c.metadata.get("tags", [])]


def _distinctive_lines(source: str) -> list[str]:
    """Lines of a solution's bodies that a stub must not contain (not signatures, docstrings)."""
    tree = ast.parse(source)
    keep = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)):
            keep |= set(range(node.lineno, node.body[0].lineno))
            doc = node.body[0]
            if isinstance(doc, ast.Expr) and isinstance(doc.value, ast.Constant):
                keep |= set(range(doc.lineno, doc.end_lineno + 1))
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            keep |= set(range(node.lineno, node.end_lineno + 1))
    lines = source.splitlines()
    return [ln.strip() for i, ln in enumerate(lines, 1)
            if i not in keep and len(ln.strip()) > 12 and not ln.strip().startswith("#")]


def test_every_chapter_has_exercises_with_checkers():
    """Each chapter (01, 02, …; a chapter may span several notebooks) has checked exercises."""
    by_chapter = {}
    for path in TEACHER:
        nb = nbformat.read(path, as_version=4)
        solutions, checks = by_chapter.setdefault(path.name[:2], ([], []))
        solutions += _solution_cells(nb)
        checks += grade.expected_checks(nb)
    for chapter, (solutions, checks) in by_chapter.items():
        assert len(solutions) >= 3 and len(checks) >= 3, f"chapter {chapter}: too few exercises"


@pytest.mark.parametrize("path", TEACHER, ids=lambda p: p.name)
def test_solutions_pass_their_checkers(path):
    """The teacher's edition scores 100% (its outputs are proven current by nbval)."""
    result = grade.grade(path, run=False)
    if not result["exercises"]:
        pytest.skip("no exercises in this part of the chapter")
    failing = {n: e for n, e in result["exercises"].items() if e["mark"] != "✓"}
    assert result["score"] == 1.0, f"{path.name}: {failing}"


def test_student_edition_is_deterministic_and_idempotent(student, tmp_path):
    again = tmp_path / "again"
    make_student.make_student(ROOT, again)
    twice = tmp_path / "twice"
    make_student.make_student(student, twice)
    for path in sorted((student / "chapters").glob("*.ipynb")):
        assert filecmp.cmp(path, again / "chapters" / path.name, shallow=False), path.name
        assert filecmp.cmp(path, twice / "chapters" / path.name, shallow=False), path.name


@pytest.mark.parametrize("path", TEACHER, ids=lambda p: p.name)
def test_student_notebook_has_no_solutions(student, path):
    teacher = nbformat.read(path, as_version=4)
    stud = nbformat.read(student / "chapters" / path.name, as_version=4)
    text = "\n".join(c.source for c in stud.cells)
    for marker in make_student.SOLUTION_MARKERS:
        assert marker not in text
    # Lines the exercise itself shows (e.g. the broken code to fix) may stay; the rest may not.
    hidden = _solution_cells(teacher)
    public = "\n".join(c.source for c in teacher.cells
                       if c not in hidden and not make_student.is_solution_markup(c))
    for cell in _solution_cells(teacher):
        for line in _distinctive_lines(cell.source):
            if line not in public:
                assert line not in text, f"solution line left in {path.name}: {line!r}"
    assert all(not c.get("outputs") for c in stud.cells if c.cell_type == "code")
    assert len(_solution_cells(stud)) == len(_solution_cells(teacher))


def _runs_and_scores_zero(student, path):
    """Top to bottom without aborting: each stub makes its checker say "not yet solved"."""
    result = grade.grade(student / "chapters" / path.name, run=True)
    assert not result["errors"]
    if not result["exercises"]:
        return  # a part of a chapter without exercises: running cleanly is all there is to check
    assert result["score"] == 0.0
    marks = {e["mark"] for e in result["exercises"].values()}
    assert marks == {"…"}, result["exercises"]


# Three classes, so that xdist's --dist loadscope (the Makefile's) spreads these twelve notebook
# runs over the workers: its scope is the class, where a plain function's would be the module.
class TestStudentRunsA:
    @pytest.mark.parametrize("path", TEACHER[0::3], ids=lambda p: p.name)
    def test_student_notebook_runs_and_scores_zero(self, student, path):
        _runs_and_scores_zero(student, path)


class TestStudentRunsB:
    @pytest.mark.parametrize("path", TEACHER[1::3], ids=lambda p: p.name)
    def test_student_notebook_runs_and_scores_zero(self, student, path):
        _runs_and_scores_zero(student, path)


class TestStudentRunsC:
    @pytest.mark.parametrize("path", TEACHER[2::3], ids=lambda p: p.name)
    def test_student_notebook_runs_and_scores_zero(self, student, path):
        _runs_and_scores_zero(student, path)


@pytest.mark.parametrize("source, expected", [
    ("import numpy as np\ndef f(x, h=1e-5):\n    '''Doc.'''\n    return (x + h) / h\n",
     "import numpy as np\ndef f(x, h=1e-05):\n    \"\"\"Doc.\"\"\"\n"
     "    raise NotImplementedError('TODO: write this function')"),
    ("eta_star = 2 / (L + mu)\n", "eta_star = ...  # TODO"),
    ("a, b = 1, 2\nprint(a)\n", "(a, b) = ...  # TODO"),
])
def test_stub_source(source, expected):
    stub = make_student.stub_source(source)
    assert stub == f"{make_student.STUB_HEADER}\n{expected}\n"
    assert make_student.stub_source(stub) == stub  # idempotent


def test_student_edition_builds_as_a_book(student):
    """A teacher can publish the student edition: it builds with warnings as errors.

    Rendered without executing: the notebooks were run top to bottom by the test above.
    """
    jb = Path(sys.executable).with_name("jupyter-book")
    config = unexecuted_config(student, student.parent)
    proc = subprocess.run([str(jb), "build", "-W", "-n", "--keep-going", "--config", str(config),
                           str(student)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    page = (student / "_build" / "html" / "chapters" / "01_derivatives.html").read_text()
    assert "solution-start" not in page and "NotImplementedError" in page
