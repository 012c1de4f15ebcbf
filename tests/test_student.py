"""The student edition: stubs instead of solutions, deterministic, runnable, and graded 0%."""

import ast
import filecmp
import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import nbformat
import pytest
from paths import ROOT, build_unexecuted, tree

sys.path.insert(0, str(ROOT / "tools"))  # the tools are scripts, not part of gdcore
import grade  # noqa: E402
import make_student  # noqa: E402
import set_repository  # noqa: E402

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
    """Every file of the student repository, not only the notebooks."""
    again = tmp_path / "again"
    make_student.make_student(ROOT, again)
    twice = tmp_path / "twice"
    make_student.make_student(student, twice)
    first = tree(student)
    assert first == tree(again)
    assert first == tree(twice)
    for path in sorted((student / "chapters").glob("*.ipynb")):
        assert filecmp.cmp(path, again / "chapters" / path.name, shallow=False), path.name


STUDENT_URL = "https://github.com/a-class/gd-homework"


@pytest.fixture(scope="module")
def student_repo(tmp_path_factory) -> Path:
    """The student edition made for a student repository of its own."""
    out = tmp_path_factory.mktemp("student-repo")
    make_student.make_student(ROOT, out, url=STUDENT_URL)
    return out


def test_student_repository_stands_alone(student_repo):
    """Requirements, gdcore, Binder's runtime, a README: what a repository needs to run alone."""
    pins = dict(line.split("==") for line in (ROOT / "requirements.txt").read_text().splitlines()
                if "==" in line)
    theirs = (student_repo / "requirements.txt").read_text().splitlines()
    own = dict(line.split("==") for line in theirs if "==" in line)
    assert own and all(pins[name] == version for name, version in own.items())  # same pins
    assert {"numpy", "matplotlib", "ipywidgets", "ipykernel", "nbclient", "jupyterlab"} <= set(own)
    assert not {"pytest", "nbval", "pytest-xdist", "ruff", "playwright"} & set(own)
    assert "-e ." in theirs  # Binder installs the repository's own gdcore
    project = tomllib.loads((student_repo / "pyproject.toml").read_text())
    assert project["project"]["name"] == "gdcore"
    assert set(project.get("tool", {})) <= {"setuptools"}  # no pytest or ruff configuration
    assert (student_repo / "README.md").exists() and (student_repo / "LICENSE").exists()
    assert (student_repo / "runtime.txt").read_text() == (ROOT / "runtime.txt").read_text()
    for path in (ROOT / "gdcore").rglob("*.py"):
        copy = student_repo / path.relative_to(ROOT)
        assert filecmp.cmp(path, copy, shallow=False), copy
    # Python finds the repository's own gdcore (not the teacher's editable install).
    env = {**os.environ, "PYTHONPATH": str(student_repo)}
    proc = subprocess.run([sys.executable, "-c", "import gdcore; print(gdcore.__file__)"],
                          capture_output=True, text=True, env=env, cwd=student_repo, check=True)
    assert Path(proc.stdout.strip()).is_relative_to(student_repo)


def test_student_repository_points_at_itself(student_repo, student):
    """Launch buttons and Colab lines open the student repository, never the teacher's fork."""
    teacher_url = set_repository.current_url()
    assert set_repository.current_url(student_repo) == STUDENT_URL
    for path in sorted((student_repo / "chapters").glob("*.ipynb")):
        first = set_repository.first_code_cell(nbformat.read(path, as_version=4)).source
        assert f"git+{STUDENT_URL}" in first and teacher_url not in first, path.name
    readme = (student_repo / "README.md").read_text()
    assert "mybinder.org/v2/gh/a-class/gd-homework" in readme and teacher_url not in readme
    # Without a student repository, the student book has no buttons to the teacher's repository.
    config = (student / "_config.yml").read_text()
    for key in ("binderhub_url", "colab_url"):
        assert f'{key}: ""' in config
    for key in ("use_repository_button", "use_issues_button"):
        assert f"{key}: false" in config


def test_set_repository_records_the_student_repository(tmp_path):
    path = set_repository.set_student_repository(STUDENT_URL, tmp_path)
    assert make_student.student_url(path) == STUDENT_URL
    with pytest.raises(ValueError, match="Invalid repository url"):
        set_repository.set_student_repository("github.com/x", tmp_path)


def test_classroom_tests_one_per_exercise_with_the_teachers_points(student_repo):
    """The Classroom workflow has one test per exercise, worth the teacher's points."""
    import yaml

    expected = {}
    for path in TEACHER:
        for e in make_student.exercises(nbformat.read(path, as_version=4)):
            expected[(path.name, e["exercise"])] = e["points"]
    assert len(expected) >= 20 and None not in {label for _, label in expected}
    manifest = json.loads((student_repo / ".github/classroom/exercises.json").read_text())
    listed = {(nb, e["exercise"]): e["points"] for nb, es in manifest["notebooks"].items()
              for e in es}
    assert listed == expected
    workflow = yaml.safe_load((student_repo / ".github/workflows/classroom.yml").read_text())
    steps = workflow["jobs"]["run-autograding-tests"]["steps"]
    tests = [s for s in steps if "autograding-command-grader" in s.get("uses", "")]
    graded = {tuple(s["with"]["command"].split()[2:4]): s["with"]["max-score"] for s in tests}
    assert graded == {(f"chapters/{nb}", label): p for (nb, label), p in expected.items()}
    reporter = steps[-1]
    assert reporter["with"]["runners"].split(",") == [s["id"] for s in tests]
    assert set(reporter["env"]) == {f"{s['id'].upper()}_RESULTS" for s in tests}
    assert f"git clone --depth 1 {STUDENT_URL} _course" in steps[2]["run"]
    legacy = json.loads((student_repo / ".github/classroom/autograding.json").read_text())
    assert [t["points"] for t in legacy["tests"]] == list(expected.values())


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
    assert all(make_student.is_glue_record(o) for c in stud.cells if c.cell_type == "code"
               for o in c.get("outputs", []))
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
    proc = build_unexecuted(student)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    page = (student / "_build" / "html" / "chapters" / "01_derivatives.html").read_text()
    assert "solution-start" not in page and "NotImplementedError" in page


def test_classroom_script_passes_only_full_points(tmp_path):
    """tools/classroom.py: exit 0 iff the exercise earned its points; the list is the course's."""
    course = tmp_path / "course"
    (course / ".github/classroom").mkdir(parents=True)
    (course / "tools").mkdir()
    entries = [{"exercise": f"ex-{n}", "title": n, "checker": f"gdcore.checks.t.check_{n}",
                "points": 2} for n in ("a", "b", "c")]
    (course / ".github/classroom/exercises.json").write_text(
        json.dumps({"notebooks": {"hw.ipynb": entries}}))
    row = {"submission": "hw.ipynb", "notebook": "hw.ipynb", "score": 2, "max_score": 6,
           "exercises": [{"name": "ex-a", "points": 2, "max_points": 2, "verdict": "correct",
                          "message": ""},
                         {"name": "ex-b", "points": 0, "max_points": 2, "verdict": "wrong",
                          "message": "wrong sign"}]}
    (course / "tools/grade.py").write_text(
        f"import sys\nopen('calls', 'a').write('x')\nprint({json.dumps(json.dumps(row))})\n")
    script = ROOT / "tools" / "student_repo" / "classroom.py"

    def run(exercise):
        return subprocess.run([sys.executable, str(script), "hw.ipynb", exercise, "--grader",
                               str(course)], cwd=tmp_path, capture_output=True, text=True)

    assert run("ex-a").returncode == 0
    assert run("ex-b").returncode == 1 and "wrong sign" in run("ex-b").stdout
    assert run("ex-c").returncode == 1  # no verdict: the checker cell was deleted, say
    assert run("ex-z").returncode == 1  # not an exercise of the course
    assert (tmp_path / "calls").read_text() == "x"  # graded once, then read from grades/


def test_pages_workflow_publishes_the_chosen_edition():
    """BOOK_EDITION picks the edition; unset, a fork publishes the student edition."""
    import yaml

    workflow = yaml.safe_load((ROOT / ".github/workflows/book.yml").read_text())
    book = workflow["jobs"]["book"]
    assert book["env"]["EDITION"] == ("${{ vars.BOOK_EDITION || (github.event.repository.fork "
                                      "&& 'student' || 'teacher') }}")
    assert book["env"]["LANGUAGE"] == "${{ vars.BOOK_LANGUAGE || 'en' }}"
    steps = {s.get("name"): s for s in book["steps"]}
    teacher = steps["The teacher edition, English and Chinese"]
    assert teacher["if"] == "env.EDITION == 'teacher'"
    # Both languages side by side, and zh_CN/ current with the catalogues.
    assert "make book" in teacher["run"] and "SITE=_build/html" in teacher["run"]
    assert "git diff --exit-code -- zh_CN" in teacher["run"]
    student = steps["The student edition"]
    assert student["if"] == "env.EDITION == 'student'"
    assert "make student;" in student["run"] and "make student-zh;" in student["run"]
    assert "jupyter-book build -W" in student["run"] and "SITE=$out/_build/html" in student["run"]
    upload = next(s for s in book["steps"] if "upload-pages-artifact" in s.get("uses", ""))
    assert upload["with"]["path"] == "${{ env.SITE }}"


def test_readme_teacher_steps_use_what_exists():
    """Every command of README's "For teachers" names a make target, tool or option that exists."""
    import re

    readme = (ROOT / "README.md").read_text()
    section = readme.split("## For teachers", 1)[1].split("\n## ", 1)[0]
    commands = [line.strip() for block in re.findall(r"```bash\n(.*?)```", section, re.DOTALL)
                for line in block.splitlines()]
    assert commands[0] == "make venv"  # before anything calls .venv/bin/python
    makefile = (ROOT / "Makefile").read_text()
    targets = re.findall(r"`make (\w[\w-]*)`", section)
    targets += [c.split()[1] for c in commands if c.startswith("make ")]
    assert {"venv", "student", "otter", "nbgrader"} <= set(targets)
    for target in targets:
        assert re.search(rf"^{target}:", makefile, re.MULTILINE), target
    for command in commands:
        for tool in re.findall(r"tools/(\w+\.py)", command):
            assert (ROOT / "tools" / tool).exists(), tool
        if "tools/grade.py" in command:  # its options, as the argument parser declares them
            parser = "".join(p.read_text() for p in [ROOT / "tools/grade.py",
                                                     *(ROOT / "tools/grading").glob("*.py")])
            for option in re.findall(r"(--[\w-]+)", command):
                assert f'"{option}"' in parser, option
    usage = subprocess.run([sys.executable, str(ROOT / "tools/set_repository.py"), "--help"],
                           capture_output=True, text=True).stdout
    assert "--student" in usage
