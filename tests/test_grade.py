"""tools/grade.py: a bad submission never stops the batch, results stream, points add up.

The graded notebooks here belong to a small course in a temporary folder (two exercises of
chapter 1, the real checkers), so that each kernel runs a few cells, not a chapter.
"""

import json
import subprocess
import sys

import nbformat
import pytest
from paths import ROOT

sys.path.insert(0, str(ROOT / "tools"))
import grade  # noqa: E402
from grading import cli, teacher, wire  # noqa: E402

IMPORTS = "import numpy as np\nimport gdcore as gd"
CENTRAL = ("def central_difference(f, x, h):\n"
           "    return (f(x + h) - f(x - h)) / (2 * h)")
CURVATURE = ("def curvature_along(A, u):\n"
             "    u = u / np.linalg.norm(u)\n"
             "    return u @ A @ u")
STUB = "def {name}(*args):\n    raise NotImplementedError('TODO: write this function')"


def _exercise(label, text):
    return nbformat.v4.new_markdown_cell(f"````{{exercise}}\n:label: {label}\n{text}\n````")


def _checker(call, label, points):
    cell = nbformat.v4.new_code_cell(f"_ = gd.checks.derivatives.{call}")
    cell.metadata["grading"] = {"exercise": label, "points": points}
    return cell


def notebook(central=CENTRAL, curvature=CURVATURE, extra=(), before=()):
    """A chapter-1-like notebook: two exercises (2 + 1 points) with their checker cells."""
    sol = [nbformat.v4.new_code_cell(s) for s in (central, curvature)]
    for cell in sol:
        cell.metadata["tags"] = ["solution"]
    cells = [nbformat.v4.new_code_cell(IMPORTS), *[nbformat.v4.new_code_cell(s) for s in before],
             _exercise("ex-central", "Write `central_difference(f, x, h)`."), sol[0],
             _checker("check_central_difference(central_difference)", "ex-central", 2),
             _exercise("ex-curvature", "Write `curvature_along(A, u)`."), sol[1],
             _checker("check_curvature_along(curvature_along)", "ex-curvature", 1),
             *[nbformat.v4.new_code_cell(s) for s in extra]]
    return nbformat.v4.new_notebook(cells=cells)


@pytest.fixture(scope="session")
def course(tmp_path_factory):
    root = tmp_path_factory.mktemp("course")
    (root / "chapters").mkdir()
    nbformat.write(notebook(), root / "chapters" / "01_derivatives.ipynb")
    return root


def submit(folder, name, nb):
    """Write ``nb`` as ``folder/name/01_derivatives.ipynb`` (student ``name``)."""
    path = folder / name / "01_derivatives.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(nb, str):
        path.write_text(nb)
    else:
        nbformat.write(nb, path)
    return path


def grade_many(course, paths, **options):
    options.setdefault("jobs_n", 2)
    options.setdefault("timeout", 20)
    rows, _ = cli.grade_all(paths, course=course, **options)
    return {r["student"]: r for r in rows}


def points(row):
    return {e["name"]: e["points"] for e in row["exercises"]}


# --- no kernel: the teacher's metadata, the layout, the wire format -------------------------

def test_exercises_come_from_the_teachers_checker_cells(course):
    found = teacher.read_exercises(course / "chapters" / "01_derivatives.ipynb")
    assert [(e.label, e.checker, e.args, e.points) for e in found] == [
        ("ex-central", "check_central_difference", ["central_difference"], 2),
        ("ex-curvature", "check_curvature_along", ["curvature_along"], 1)]
    # without a declared "forbid", the gdcore function of the same name is switched off
    assert found[0].forbid == ["gdcore.numdiff.central_difference"] and found[1].forbid == []


def test_every_checker_cell_of_the_teachers_edition_declares_its_points():
    for path in sorted((ROOT / "chapters").glob("0*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        for ex in teacher.exercises(nb):
            meta = nb.cells[ex.cell].metadata.get("grading")
            assert meta and meta["exercise"] == ex.label and meta["points"] >= 1, \
                f"{path.name}: {ex.checker}"


def test_submission_layout(tmp_path, course):
    (tmp_path / "alice").mkdir()
    for name in ("01_derivatives.ipynb", "02_directional_derivatives.ipynb"):
        (tmp_path / "alice" / name).write_text("{}")
    bob = tmp_path / "bob-01_derivatives.ipynb"
    found = cli.jobs([tmp_path / "alice", bob], ROOT)
    assert [(j["student"], j["submission"].split("/")[-1]) for j in found] == [
        ("alice", "01_derivatives.ipynb"), ("alice", "02_directional_derivatives.ipynb"),
        ("bob", "bob-01_derivatives.ipynb")]


@pytest.mark.parametrize("value", [1.5, np := None, "s", (1, [2.0, None]), {"a": (1,)},
                                   float("nan"), Ellipsis, 3 + 4j])
def test_wire_round_trip(value):
    back = wire.decode(wire.loads(wire.dumps(wire.encode(value))))
    assert repr(back) == repr(value)


def test_wire_arrays_and_refusals():
    import numpy as np

    arr = np.arange(6.0).reshape(2, 3)
    back = wire.decode(wire.loads(wire.dumps(wire.encode(arr))))
    assert back.dtype == arr.dtype and np.array_equal(back, arr) and back.flags.writeable
    evil = wire.encode(np.zeros(2))
    evil["dtype"] = "|O"  # object arrays would unpickle: refused
    with pytest.raises(ValueError, match="refused dtype"):
        wire.decode(evil)
    evil = wire.encode(np.zeros(2))
    evil["shape"] = [10**6]
    with pytest.raises(ValueError, match="do not match"):
        wire.decode(evil)
    assert type(wire.decode({"$": "opaque", "type": "Foo"})).__name__ == "Foo"


def test_no_execute_is_refused():
    assert grade.main(["--no-execute", "x.ipynb"]) == 2


# --- with kernels ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def batch(course, tmp_path_factory):
    """One batch: honest, half-done, a hang, a dead kernel, a truncated file, a missing file."""
    d = tmp_path_factory.mktemp("subs")
    paths = [
        submit(d, "honest", notebook()),
        submit(d, "half", notebook(curvature=STUB.format(name="curvature_along"))),
        submit(d, "hang", notebook(extra=["while True:\n    pass"])),
        submit(d, "dead", notebook(curvature="import os\nos._exit(1)")),
        submit(d, "stubborn", notebook(extra=["import time\nwhile True:\n    try:\n"
                                              "        time.sleep(0.1)\n"
                                              "    except KeyboardInterrupt:\n        pass"])),
        submit(d, "killer", notebook(central="def central_difference(f, x, h):\n"
                                             "    import os\n    os._exit(1)")),
        submit(d, "asks", notebook(before=["name = input('your name? ')"])),
        submit(d, "truncated", nbformat.writes(notebook())[:200]),
        d / "missing" / "01_derivatives.ipynb",
    ]
    return grade_many(course, paths, timeout=5, feedback=d / "feedback"), d


@pytest.mark.grader
def test_honest_and_half_done(batch):
    rows, _ = batch
    assert points(rows["honest"]) == {"ex-central": 2, "ex-curvature": 1}
    assert (rows["honest"]["score"], rows["honest"]["max_score"]) == (3, 3)
    half = {e["name"]: e for e in rows["half"]["exercises"]}
    assert half["ex-central"]["points"] == 2 and half["ex-curvature"]["verdict"] == "not solved"
    assert rows["honest"]["isolation"] in ("bwrap", "setpriv", "none")


@pytest.mark.grader
def test_a_hang_is_stopped_and_the_rest_still_counts(batch):
    row = batch[0]["hang"]
    assert row["score"] == 3 and any("timeout" in e for e in row["errors"])


@pytest.mark.grader
def test_a_cell_that_ignores_the_interrupt_is_killed_and_the_rest_still_counts(batch):
    row = batch[0]["stubborn"]
    assert row["score"] == 3 and any("killed" in e for e in row["errors"]), row["errors"]


@pytest.mark.grader
def test_a_function_that_kills_the_kernel_loses_only_its_exercise(batch):
    row = batch[0]["killer"]
    assert points(row) == {"ex-central": 0, "ex-curvature": 1}
    central = {e["name"]: e for e in row["exercises"]}["ex-central"]
    assert central["verdict"] == "wrong" and "stopped the kernel" in central["message"]


@pytest.mark.grader
def test_input_does_not_wait_for_a_reader(batch):
    row = batch[0]["asks"]
    assert row["score"] == 3 and any("StdinNotImplementedError" in e for e in row["errors"])


@pytest.mark.grader
def test_a_dead_kernel_skips_that_cell_and_grades_the_rest(batch):
    row = batch[0]["dead"]
    assert points(row) == {"ex-central": 2, "ex-curvature": 0}
    assert any("died" in e for e in row["errors"])
    assert {e["name"]: e["verdict"] for e in row["exercises"]}["ex-curvature"] == "missing"


@pytest.mark.grader
@pytest.mark.parametrize("who, error", [("truncated", "malformed notebook"),
                                        ("missing", "missing")])
def test_bad_files_give_a_row(batch, who, error):
    row = batch[0][who]
    assert row["error"].startswith(error) and row["score"] == 0 and row["max_score"] == 3
    assert {e["verdict"] for e in row["exercises"]} == {"missing"}


@pytest.mark.grader
def test_feedback_notebook_has_the_verdicts(batch):
    _, d = batch
    nb = nbformat.read(d / "feedback" / "half" / "01_derivatives.ipynb", as_version=4)
    assert nb.cells[0].source.startswith("**Grader**: 2/3 points")
    notes = [c.source for c in nb.cells if c.source.startswith("**Grader**, ")]
    assert len(notes) == 2 and "not solved" in notes[1]
    assert any(c.get("outputs") for c in nb.cells if c.cell_type == "code")


@pytest.mark.grader
def test_cli_streams_json_lines_csv_and_exit_status(course, tmp_path):
    good = submit(tmp_path, "good", notebook())
    stub = submit(tmp_path, "stub", notebook(central=STUB.format(name="central_difference")))
    cmd = [sys.executable, str(ROOT / "tools" / "grade.py"), "--json", "--jobs", "2",
           "--course", str(course), "--csv", str(tmp_path / "out.csv"), str(good), str(stub)]
    proc = subprocess.run(cmd + ["--min-score", "50"], capture_output=True, text=True,
                          timeout=300)
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert proc.returncode == 1, proc.stderr  # stub: 1/3 < 50 %
    assert sorted((r["student"], r["score"], r["max_score"]) for r in rows) == [
        ("good", 3, 3), ("stub", 1, 3)]
    for r in rows:
        assert {"submission", "notebook", "exercises", "score", "max_score"} <= set(r)
        assert all({"name", "points", "max_points", "verdict", "message"} <= set(e)
                   for e in r["exercises"])
    assert "isolation:" in proc.stderr
    csv = (tmp_path / "out.csv").read_text().splitlines()
    assert csv[0].startswith("student,notebook") and len(csv) == 3
    proc = subprocess.run(cmd[:-1] + ["--min-score", "50"], capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr


@pytest.mark.grader
def test_grade_api_keeps_its_shape(course, tmp_path):
    """``grade.grade(path)`` (tests/test_student.py): marks per checker and a score fraction."""
    result = grade.grade(submit(tmp_path, "x", notebook(
        curvature=STUB.format(name="curvature_along"))), course=course)
    assert result["exercises"]["check_central_difference"]["mark"] == "✓"
    assert result["exercises"]["check_curvature_along"]["mark"] == "…"
    assert result["score"] == pytest.approx(2 / 3) and result["points"] == 2
