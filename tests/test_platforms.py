"""Otter-Grader and nbgrader assignments: their tests, and round trips through the real tools.

The round trips (``-m platforms``, about a minute each) generate an assignment from a chapter
of the teacher's edition with ``tools/make_otter.py`` / ``tools/make_nbgrader.py``, run it
through the real tools, and three submissions get the scores the teacher's points say:

- ``right``: the teacher's solutions — every point;
- ``stub``: the released notebook as students get it — no point;
- ``mixed``: the first exercise solved, the second wrong, the third handing back gdcore's own
  function inside a wrapper (the public checker accepts it: the hidden test must not), the
  fourth left as the stub — the first exercise's points only.

To keep the round trips short the chapter is cut to its first code cell (imports) and its
exercises. The tools come from this interpreter's environment or from ``.venv-py-platforms``
(``make otter`` / ``make nbgrader`` build it); without either, the tests are skipped.
"""

import csv
import functools
import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from paths import ROOT

import gdcore as gd

sys.path.insert(0, str(ROOT / "tools"))
import make_nbgrader  # noqa: E402
import make_otter  # noqa: E402
import make_student  # noqa: E402

CHAPTER = ROOT / "chapters" / "02_directional_derivatives.ipynb"
NAME = CHAPTER.stem
WRONG = "def zero_directions(grad, x):\n    return np.eye(2)\n"  # unit rows, but not ⟂ ∇f
CHEAT = ("def directional_derivative(f, x, u, h=1e-5):\n"
         "    return gd.numdiff.directional_derivative(f, x, u, normalize=True)\n")


def tool_env(executable: str) -> dict:
    """The environment to run a platform's tool in: its folder first on PATH (nbgrader runs
    ``alembic`` from there), or skip when it is not installed."""
    for folder in (Path(sys.executable).parent, ROOT / ".venv-py-platforms" / "bin"):
        if (folder / executable).exists():
            return {**os.environ, "PATH": f"{folder}{os.pathsep}{os.environ['PATH']}",
                    "GDCORE_QUIET": "1", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
    pytest.skip(f"{executable} is not installed (`make otter` builds .venv-py-platforms)")


def run(args, cwd, env):
    proc = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc


@pytest.fixture(scope="module")
def chapter(tmp_path_factory) -> Path:
    """The chapter cut to its imports and its exercises, in a source tree of its own."""
    root = tmp_path_factory.mktemp("source")
    nb = nbformat.read(CHAPTER, as_version=4)
    first = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code")
    start = next(i for i, c in enumerate(nb.cells) if make_student.EXERCISE.search(c.source))
    nb.cells = [nb.cells[first], *nb.cells[start:]]
    for name in ("_config.yml", "requirements.txt"):
        (root / name).write_bytes((ROOT / name).read_bytes())
    (root / "chapters").mkdir()
    nbformat.write(nb, root / "chapters" / CHAPTER.name)
    return root / "chapters" / CHAPTER.name


@pytest.fixture(scope="module")
def exercises(chapter):
    found = make_student.exercises(nbformat.read(chapter, as_version=4))
    assert [e["exercise"] for e in found[:4]] == [
        "ex-directional-steepest", "ex-directional-zero", "ex-directional-limit",
        "ex-directional-off-by"]
    return found


TEACHER = sorted((ROOT / "chapters").glob("0*.ipynb"))
ALL = [(path, e) for path in TEACHER
       for e in make_student.exercises(nbformat.read(path, as_version=4))]


def _run_silently(source: str, namespace: dict) -> str:
    """'pass', or the assertion a test raised (the checkers print their verdicts: kept quiet)."""
    import contextlib
    import io

    try:
        with contextlib.redirect_stdout(io.StringIO()):
            exec(source, namespace)  # noqa: S102 — a generated test cell, as a kernel runs it
    except AssertionError as error:
        return str(error)
    return "pass"


@pytest.mark.parametrize("path, exercise", ALL, ids=[e["exercise"] for _, e in ALL])
def test_the_tests_pass_the_teachers_solution(path, exercise):
    """Public and hidden tests, as Otter and nbgrader run them, on the teacher's own answer."""
    nb = nbformat.read(path, as_version=4)
    namespace = {"gd": gd, "np": __import__("numpy"), "__name__": "__main__"}
    exec(nb.cells[exercise["solution"]].source, namespace)  # noqa: S102
    call = make_otter.checker_call(nb.cells[exercise["check"]].source)
    names = make_otter.answer_names(nb.cells[exercise["solution"]].source)
    assert _run_silently(make_otter.public_test(call), namespace) == "pass"
    assert _run_silently(make_otter.hidden_source(exercise, call, names), namespace) == "pass"
    # A cheat: the gdcore function the exercise asks for, behind functools.partial.
    forbidden = [f for f in exercise["forbid"] if f.count(".") == 2]  # module.function
    if forbidden:
        module, name = forbidden[0].rsplit(".", 1)
        target = getattr(__import__(module, fromlist=[name]), name)
        namespace[names[0]] = functools.partial(target)
        verdict = _run_silently(make_otter.hidden_source(exercise, call, names), namespace)
        assert verdict != "pass", f"{names[0]} = partial({forbidden[0]}) passed the hidden test"


def test_the_cheat_fools_the_public_checker():
    """What makes ``mixed`` a test of the hidden tests: the checker alone accepts the cheat."""
    namespace = {"gd": gd}
    exec(CHEAT, namespace)  # noqa: S102 — the submission's cell, as a kernel would run it
    assert gd.checks.directional.check_directional_derivative(namespace["directional_derivative"])


def _fill(nb, solutions: dict[str, str]):
    """``nb`` with the answer cells defining the given names replaced by the given sources."""
    nb = nbformat.from_dict(nb)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for name, source in solutions.items():
            if f"def {name}(" in cell.source and "check_" not in cell.source:
                cell.source = source
    return nb


def _teacher_solution(chapter, name: str) -> str:
    nb = nbformat.read(chapter, as_version=4)
    return next(c.source for c in nb.cells
                if "solution" in c.metadata.get("tags", []) and f"def {name}(" in c.source)


def _submissions(released, chapter) -> dict:
    return {
        "stub": released,
        "mixed": _fill(released, {
            "steepest_descent_direction": _teacher_solution(chapter, "steepest_descent_direction"),
            "zero_directions": WRONG, "directional_derivative": CHEAT}),
    }


@pytest.mark.platforms
def test_otter_assign_then_run(chapter, exercises, tmp_path):
    env = tool_env("otter")
    masters = make_otter.make_otter(chapter.parents[1], tmp_path / "otter", [chapter])
    master = masters[0]
    run(["otter", "assign", "--no-pdfs", "--no-run-tests", master.name, "dist"],
        master.parent, env)
    dist = master.parent / "dist"
    autograder = next((dist / "autograder").glob("*.zip"))
    released = nbformat.read(dist / "student" / chapter.name, as_version=4)
    assert "BEGIN SOLUTION" not in json.dumps(released) and "_forbidden" not in json.dumps(released)
    submissions = {"right": nbformat.read(dist / "autograder" / chapter.name, as_version=4),
                   **_submissions(released, chapter)}
    scores = {}
    for who, nb in submissions.items():
        folder = tmp_path / who
        folder.mkdir()
        nbformat.write(nb, folder / chapter.name)
        run(["otter", "run", "-a", str(autograder), "-o", str(folder), chapter.name], folder, env)
        results = json.loads((folder / "results.json").read_text())
        scores[who] = {t["name"]: t["score"] for t in results["tests"] if t["name"] in
                       {make_otter.question_name(e["exercise"]) for e in exercises}}
    points = {make_otter.question_name(e["exercise"]): e["points"] for e in exercises}
    assert scores["right"] == points
    assert scores["stub"] == dict.fromkeys(points, 0)
    first = make_otter.question_name(exercises[0]["exercise"])
    assert scores["mixed"] == {q: (p if q == first else 0) for q, p in points.items()}


@pytest.mark.platforms
def test_nbgrader_generate_then_autograde(chapter, exercises, tmp_path):
    env = tool_env("nbgrader")
    course = tmp_path / "course"
    make_nbgrader.make_nbgrader(chapter.parents[1], course, [chapter])
    run(["nbgrader", "generate_assignment", NAME, "--force"], course, env)
    released = nbformat.read(course / "release" / NAME / chapter.name, as_version=4)
    assert "BEGIN SOLUTION" not in json.dumps(released) and "_forbidden" not in json.dumps(released)
    source = nbformat.read(course / "source" / NAME / chapter.name, as_version=4)
    marks = {"### BEGIN SOLUTION", "### END SOLUTION"}
    right = {c.metadata["nbgrader"]["grade_id"]: "\n".join(
        line for line in c.source.splitlines() if line.strip() not in marks)
        for c in source.cells if c.metadata.get("nbgrader", {}).get("solution")}
    submissions = {"right": nbformat.from_dict(released), **_submissions(released, chapter)}
    for cell in submissions["right"].cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in right:
            cell.source = right[grade_id]
    for who, nb in submissions.items():
        folder = course / "submitted" / who / NAME
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / chapter.name)
    run(["nbgrader", "autograde", NAME], course, env)
    run(["nbgrader", "export"], course, env)
    with open(course / "grades.csv") as f:
        scores = {row["student_id"]: (float(row["score"]), float(row["max_score"]))
                  for row in csv.DictReader(f)}
    total = sum(e["points"] for e in exercises)
    assert scores == {"right": (total, total), "stub": (0.0, total),
                      "mixed": (exercises[0]["points"], total)}


def test_marked_solution_keeps_signatures_and_docstrings():
    source = ("import numpy as np\n\n\ndef f(x):\n    '''Doc.'''\n    y = 2 * x\n    return y\n\n\n"
              "z = 3\n")
    marked = make_student.marked_solution(source, "# BEGIN SOLUTION", "# END SOLUTION")
    assert marked == ("import numpy as np\n\n\ndef f(x):\n    '''Doc.'''\n    # BEGIN SOLUTION\n"
                      "    y = 2 * x\n    return y\n    # END SOLUTION\n\n\n"
                      "# BEGIN SOLUTION\nz = 3\n# END SOLUTION\n")


@pytest.mark.parametrize("path", TEACHER, ids=lambda p: p.name)
def test_assignments_have_every_exercise_with_its_points(path):
    """Otter's master and nbgrader's source notebook: one question / test cell per exercise."""
    import yaml

    nb = nbformat.read(path, as_version=4)
    expected = {e["exercise"]: e["points"] for e in make_student.exercises(nb)}
    master = make_otter.master_notebook(nb, path.stem)
    course = make_nbgrader.source_notebook(nb)
    if not expected:
        assert master is None and course is None
        return
    raws = [c.source for c in master.cells if c.cell_type == "raw"]
    questions = {}
    for raw in raws:
        if raw.startswith("# BEGIN QUESTION"):
            config = yaml.safe_load(raw.split("\n", 1)[1])
            assert config["all_or_nothing"] is True
            questions[config["name"]] = config["points"]
    assert questions == {make_otter.question_name(k): v for k, v in expected.items()}
    blocks = [r.split("\n")[0] for r in raws[1:]]
    assert blocks == ["# BEGIN QUESTION", "# BEGIN SOLUTION", "# END SOLUTION", "# BEGIN TESTS",
                      "# END TESTS", "# END QUESTION"] * len(expected)
    assert not any(make_student.is_solution_markup(c) for c in master.cells + course.cells)
    graded = {c.metadata["nbgrader"]["grade_id"]: c.metadata["nbgrader"]["points"]
              for c in course.cells if c.metadata.get("nbgrader", {}).get("grade")}
    assert graded == expected
    answers = [c for c in course.cells if c.metadata.get("nbgrader", {}).get("solution")]
    assert len(answers) == len(expected)
    assert all("### BEGIN SOLUTION" in c.source for c in answers)
