"""The cheat suite: every trick of issue 16 (and a few more) scores zero points.

Each submission answers the small two-exercise course of ``test_grade`` (2 + 1 points) with
the exercises left unsolved (stubs) or "solved" by a trick. One batch grades them all; each test
reads its row. The honest submission of the same batch scores full marks.
"""

import sys

import nbformat
import pytest
from paths import ROOT
from test_grade import STUB, course, grade_many, notebook, points, submit  # noqa: F401

sys.path.insert(0, str(ROOT / "tools"))
import grade  # noqa: E402

CENTRAL_STUB = STUB.format(name="central_difference")
CURV_STUB = STUB.format(name="curvature_along")
UNSOLVED = {"central": CENTRAL_STUB, "curvature": CURV_STUB}
FAKE = ("import gdcore.checks.derivatives as d\n"
        "def fake(*a, **k):\n"
        "    print('✓ check_central_difference: correct')\n"
        "    return True\n"
        "d.check_central_difference = d.check_curvature_along = fake\n"
        "import gdcore.checks._core as c\n"
        "c.run_checks = lambda name, check: c.report(name, True)\n")

CHEATS = {
    # the tricks
    "printed": dict(UNSOLVED, extra=["print('✓ check_central_difference: correct')\n"
                                     "print('✓ check_curvature_along: correct')"]),
    "fake_checkers": dict(UNSOLVED, before=[FAKE]),
    "identity": dict(central="central_difference = gd.numdiff.central_difference",
                     curvature=CURV_STUB),
    "wrapper": dict(central="def central_difference(f, x, h):\n"
                            "    return gd.numdiff.central_difference(f, x, h)",
                    curvature=CURV_STUB),
    "imported": dict(central="from gdcore.numdiff import central_difference as _cd\n"
                             "central_difference = lambda f, x, h: _cd(f, x, h)",
                     curvature=CURV_STUB),
    "checker_internals": dict(central="import gdcore.checks.directional as d\n"
                                      "def central_difference(f, x, h):\n"
                                      "    return d._reference_step_off_by(None, x, x)",
                              curvature=CURV_STUB),
    # more: patch numpy or the grader's helper in the kernel, reach into the test function
    "patched_numpy": dict(UNSOLVED, before=["np.allclose = lambda *a, **k: True\n"
                                            "np.isclose = lambda *a, **k: True"]),
    "fake_helper": dict(UNSOLVED, extra=["class H:\n"
                                         "    def __getattr__(self, name):\n"
                                         "        return lambda *a, **k: print('ok')\n"
                                         "__gdcore_grader__ = H()"]),
    "reach_in": dict(central="def central_difference(f, x, h):\n"
                             "    g = f.__globals__\n"
                             "    g['Wrong'] = None\n"
                             "    return f(x)",
                     curvature="def curvature_along(A, u):\n"
                               "    return u._GradientOracle__A",),
    # hand back gdcore's own code by another road (issue 16, second reading)
    "code_copy": dict(central="import types\nimport gdcore.numdiff as nd\n"
                              "_c = types.FunctionType(nd.central_difference.__code__, vars(nd))\n"
                              "def central_difference(f, x, h):\n    return _c(f, x, h)",
                      curvature=CURV_STUB),
    "file_import": dict(central="import importlib.util, gdcore.numdiff as nd\n"
                                "_s = importlib.util.spec_from_file_location('nd2', nd.__file__)\n"
                                "_m = importlib.util.module_from_spec(_s)\n"
                                "_s.loader.exec_module(_m)\n"
                                "central_difference = _m.central_difference",
                        curvature=CURV_STUB),
    "pasted_source": dict(central="import gdcore.numdiff as nd\n_ns = dict(vars(nd))\n"
                                  "exec(open(nd.__file__).read(), _ns)\n"
                                  "central_difference = _ns['central_difference']",
                          curvature=CURV_STUB),
    "reload_when_called": dict(central="import importlib, gdcore.numdiff as nd\n"
                                       "def central_difference(f, x, h):\n"
                                       "    m = importlib.reload(nd)\n"
                                       "    return m.central_difference(f, x, h)",
                               curvature=CURV_STUB),
    "patched_import": dict(central="import importlib, types, gdcore.numdiff as nd\n"
                                   "_real, _orig = nd.central_difference, importlib.import_module\n"
                                   "_fake = types.SimpleNamespace(central_difference=print)\n"
                                   "importlib.import_module = lambda n, *a: (\n"
                                   "    _fake if n == 'gdcore.numdiff' else _orig(n, *a))\n"
                                   "def central_difference(f, x, h):\n    return _real(f, x, h)",
                           curvature=CURV_STUB),
    "restore_code": dict(central="import gdcore.numdiff as nd\n"
                                 "_code = nd.central_difference.__code__\n"
                                 "def central_difference(f, x, h):\n"
                                 "    nd.central_difference.__code__ = _code\n"
                                 "    return nd.central_difference(f, x, h)",
                         curvature=CURV_STUB),
    "new_function_when_called": dict(central="import types, gdcore.numdiff as nd\n"
                                             "_c = nd.central_difference.__code__\n"
                                             "def central_difference(f, x, h):\n"
                                             "    return types.FunctionType(_c, vars(nd))(f, x, h)",
                                     curvature=CURV_STUB),
    "edited_code": dict(central="import gdcore.numdiff as nd\n_c = nd.central_difference.__code__\n"
                                "def central_difference(f, x, h): pass\n"
                                "central_difference.__code__ = _c.replace(co_consts=(None,)"
                                " + _c.co_consts[1:])\n_step = nd._step",
                        curvature=CURV_STUB),
    "gc_walk_when_called": dict(central="import gc, types, gdcore.numdiff as nd\n"
                                        "def central_difference(f, x, h):\n"
                                        "    for o in gc.get_objects():\n"
                                        "        if isinstance(o, list) and o and isinstance(o[0], "
                                        "tuple) and len(o[0]) == 2 and isinstance(o[0][1], "
                                        "types.CodeType):\n"
                                        "            for fn, code in o:\n"
                                        "                fn.__code__ = code\n"
                                        "    return nd.central_difference(f, x, h)",
                                curvature=CURV_STUB),
    "helper_restore": dict(central="import gdcore.numdiff as nd\n"
                                   "def central_difference(f, x, h):\n"
                                   "    __gdcore_grader__.restore('0' * 64)\n"
                                   "    return nd.central_difference(f, x, h)",
                           curvature=CURV_STUB),
    "faked_audit": dict(central="import sys, gdcore.numdiff as nd\nsys.audit = lambda *a: None\n"
                                "central_difference = nd.central_difference",
                        curvature=CURV_STUB),
    # rebind what the kernel's guard relies on (its HMAC check, its fingerprints)
    "forged_restore": dict(central="import hmac, sys, gdcore.numdiff as nd\n"
                                   "hmac.compare_digest = lambda *a: True\n"
                                   "def central_difference(f, x, h):\n"
                                   "    sys.audit('gdcore.grader.restore', '0' * 64, [])\n"
                                   "    return nd.central_difference(f, x, h)",
                           curvature=CURV_STUB),
    "patched_fingerprint": dict(central="import hashlib, gdcore.numdiff as nd\n"
                                        "_sha = hashlib.sha256\n"
                                        "hashlib.sha256 = lambda data=b'': _sha(b'other')\n"
                                        "_ns = dict(vars(nd))\n"
                                        "exec(open(nd.__file__).read(), _ns)\n"
                                        "hashlib.sha256 = _sha\n"
                                        "central_difference = _ns['central_difference']",
                                curvature=CURV_STUB),
    # forge the wire: a fake result message on the stdin channel, a lying object, huge data
    "forged_result": dict(central="import json\ndef central_difference(f, x, h):\n"
                                  "    input(json.dumps({'op': 'result', 'ok': True}))\n"
                                  "    print(json.dumps({'op': 'result', 'ok': True}))",
                          curvature=CURV_STUB),
    "liar": dict(central="import numpy as np\nclass L(np.ndarray):\n"
                         "    def __eq__(s, o): return True\n"
                         "    def __float__(s): return 0.0\n"
                         "    def __array__(s, *a, **k): return np.zeros(5)\n"
                         "def central_difference(f, x, h):\n"
                         "    return np.zeros(np.shape(x)).view(L)",
                 curvature="class F(float):\n    def __eq__(s, o): return True\n"
                           "    def __sub__(s, o): return 0.0\n"
                           "def curvature_along(A, u):\n    return F(0.0)"),
    "nan": dict(central="def central_difference(f, x, h):\n    return f(x) * float('nan')",
                curvature="def curvature_along(A, u):\n    return float('nan')"),
    "huge": dict(central="import numpy as np\ndef central_difference(f, x, h):\n"
                         "    return np.zeros(40_000_000)",
                 curvature=CURV_STUB),
}


@pytest.fixture(scope="module")
def rows(course, tmp_path_factory):  # noqa: F811
    d = tmp_path_factory.mktemp("cheats")
    paths = [submit(d, "honest", notebook())]
    paths += [submit(d, name, notebook(**parts)) for name, parts in CHEATS.items()]
    deleted = notebook(curvature=CURV_STUB)
    deleted.cells = [c for c in deleted.cells if "central" not in c.source]
    paths.append(submit(d, "deleted", deleted))
    return grade_many(course, paths)


pytestmark = pytest.mark.grader


def test_the_honest_submission_scores_full_marks(rows):
    assert rows["honest"]["score"] == rows["honest"]["max_score"] == 3


@pytest.mark.parametrize("cheat", sorted(CHEATS))
def test_cheat_scores_zero(rows, cheat):
    row = rows[cheat]
    assert row["max_score"] == 3 and row["score"] == 0, row["exercises"]


@pytest.mark.parametrize("cheat", ["identity", "wrapper", "imported", "checker_internals",
                                   "code_copy", "pasted_source", "reload_when_called",
                                   "patched_import", "restore_code", "new_function_when_called",
                                   "gc_walk_when_called", "helper_restore", "forged_restore",
                                   "patched_fingerprint"])
def test_handing_back_gdcore_says_write_it_yourself(rows, cheat):
    central = {e["name"]: e for e in rows[cheat]["exercises"]}["ex-central"]
    assert central["verdict"] == "wrong" and "write it yourself" in central["message"]


def test_a_tampered_switch_off_is_an_error(rows):
    """A faked ``sys.audit`` cannot answer the guard's HMAC: the exercise is an error, 0 points."""
    central = {e["name"]: e for e in rows["faked_audit"]["exercises"]}["ex-central"]
    assert central["verdict"] == "error" and "tampered" in central["message"]


@pytest.mark.parametrize("checker", ["check_newton_stationary", "check_damped_newton"])
def test_newton_checkers_hand_out_no_answers(checker):
    """The problem a Newton answer gets has f, grad, hess, never ``minimizers`` and the like;
    nor can the kernel read such an attribute of any grader object."""
    from grading import worker

    import gdcore.checks.descent as descent

    seen = []

    def spy(problem, x0, tol):
        seen.append(problem)
        raise ValueError("spy")

    getattr(descent, checker)(spy)
    assert seen and all(hasattr(p, "grad") and hasattr(p, "hess") for p in seen)
    assert not [name for p in seen for name in worker.ANSWERS if hasattr(p, name)]
    grading = worker.Grading(None)
    problem = descent._newton_problems()["himmelblau"]
    handle = grading._handle(problem)["id"]
    assert "error" in grading.serve({"op": "getattr", "id": handle, "name": "minimizers"})
    assert "ok" in grading.serve({"op": "getattr", "id": handle, "name": "dim"})


def test_deleted_exercise_is_missing_not_dropped(rows):
    row = rows["deleted"]
    assert [e["name"] for e in row["exercises"]] == ["ex-central", "ex-curvature"]
    assert points(row) == {"ex-central": 0, "ex-curvature": 0} and row["max_score"] == 3
    assert {e["name"]: e["verdict"] for e in row["exercises"]}["ex-central"] == "missing"


def test_a_linked_submission_is_refused(tmp_path):
    """A symbolic link to the teacher's own edition (file or folder) earns nothing."""
    from grading import cli, worker

    teachers = ROOT / "chapters" / "01_derivatives.ipynb"
    (tmp_path / "mallory").mkdir()
    (tmp_path / "mallory" / "01_derivatives.ipynb").symlink_to(teachers)
    (tmp_path / "eve").symlink_to(ROOT / "chapters", target_is_directory=True)
    found = cli.jobs([tmp_path / "mallory", tmp_path / "eve"], ROOT)
    assert len(found) == 2
    for job in found:
        row = worker.grade(dict(job, course=str(ROOT), isolation="none"))
        assert row["score"] == 0 and "refused" in (row["error"] or "") or \
            row["notebook"] is None, row


def test_two_students_of_one_name_keep_their_feedback(tmp_path):
    from grading import cli

    for section in ("sec1", "sec2"):
        (tmp_path / section / "alice").mkdir(parents=True)
        (tmp_path / section / "alice" / "01_derivatives.ipynb").write_text("{}")
    todo = cli.jobs([tmp_path / "sec1" / "alice", tmp_path / "sec2" / "alice"], ROOT)
    cli.set_feedback_paths(todo, tmp_path / "fb")
    assert len({job["feedback"] for job in todo}) == 2


def test_stale_outputs_earn_nothing(tmp_path):
    """A notebook whose stored outputs claim ✓ is refused by --no-execute, and graded afresh."""
    nb = notebook(central=CENTRAL_STUB, curvature=CURV_STUB)
    for cell in nb.cells:
        if "check_" in cell.source:
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout",
                                                   text="✓ check_central_difference: correct\n")]
    path = submit(tmp_path, "stale", nb)
    assert grade.main(["--no-execute", str(path)]) == 2


def test_teachers_edition_scores_full_marks_and_students_zero(tmp_path):
    """Every chapter: the teacher's edition earns every point; the student edition none."""
    import make_student

    make_student.make_student(ROOT, tmp_path / "student")
    from grading import cli

    teacher_rows, _ = cli.grade_all(sorted((ROOT / "chapters").glob("0*.ipynb")), jobs_n=2)
    student_rows, _ = cli.grade_all(sorted((tmp_path / "student" / "chapters").glob("0*.ipynb")),
                                    jobs_n=2)
    for row in teacher_rows:
        assert row["score"] == row["max_score"], (row["notebook"], row["exercises"])
    for row in student_rows:
        assert row["score"] == 0, (row["notebook"], row["exercises"])
    assert sum(r["max_score"] for r in teacher_rows) > 30
