"""Grade submitted notebooks with the course's own checkers (the autograder for teachers).

Usage:
    python tools/grade.py [--jobs N] [--timeout S] [--submission-timeout S] [--json]
                          [--csv FILE] [--feedback DIR] [--min-score P] [--course DIR]
                          [--lang {auto,en,zh_CN}] SUBMISSION...

A SUBMISSION is a notebook file or a folder per student:

    submissions/alice/01_derivatives.ipynb      student "alice" (the folder's name)
    submissions/alice/02_directional_derivatives.ipynb
    submissions/bob-01_derivatives.ipynb        student "bob" (the file name minus the chapter)

A notebook is matched to the teacher's notebook of the same file name in the course's
``chapters/`` (or whose name it contains). The exercises, their checkers, the arguments they are
called with and their points come from that teacher's notebook (``grading`` metadata of each
checker cell, see ``grading/teacher.py``), never from the submission.

Each submission runs in its own worker process and its own sandboxed kernel (bubblewrap, uid
65534, no network, a private temporary folder, CPU and memory limits; see
``grading/sandbox.py``, the first line on stderr says which isolation ran). Its cells run top to
bottom (a cell past ``--timeout`` is interrupted; one that kills the kernel is skipped and the
kernel restarted), then the grader's process calls each checker on proxies of the student's
functions: the student's code runs in the kernel on the checker's inputs, the results come back
as data, and the verdict is computed by the grader. What the notebook prints or stores is never
read, and the gdcore functions an exercise asks the student to write are switched off meanwhile.

Output: one result per submission as soon as it is graded; with ``--json`` one JSON object per
line: ``submission``, ``student``, ``notebook``, ``isolation``, ``exercises`` (each ``name``,
``checker``, ``points``, ``max_points``, ``verdict`` — correct, wrong, not solved, missing or
error — and ``message``), ``score``, ``max_score``, ``errors`` (cell errors), ``error`` (why
grading stopped: timeout, malformed file, missing notebook, …), ``language`` and ``seconds``.
A bad submission never stops the batch. ``--csv`` writes one row per submission, ``--feedback
DIR`` saves each executed notebook with the verdicts as ``DIR/<student>/<notebook>``.

The verdicts' messages (report, JSON, the CSV's ``messages`` column, feedback notebooks) are in
the submission's language: Chinese for a notebook of the Chinese edition (top-level metadata
``"language": "zh_CN"``), English otherwise; ``--lang en`` or ``--lang zh_CN`` imposes one. A
verdict is read from the mark of the checker's line (✓ ✗ …), never from its words.

Exit status 0 when grading ran; 1 with ``--min-score P`` when a submission scored below P
percent; 2 for usage errors.
"""

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import nbformat  # noqa: E402
from grading import cli, teacher  # noqa: E402

VERDICT = re.compile(r"^(✓|✗|…) (check_\w+): ?(.*)$", re.MULTILINE)
MARKS = {"correct": "✓", "wrong": "✗", "not solved": "…"}


def expected_checks(nb) -> list[str]:
    """Checker names of the exercises of a (teacher's) notebook, in order."""
    names = []
    for ex in teacher.exercises(nb):
        if ex.checker not in names:
            names.append(ex.checker)
    return names


def _stored_verdicts(path: Path) -> dict:
    """The verdict lines stored in a notebook's outputs: a check of the teacher's own edition
    (its outputs are proven current by nbval), never a grade."""
    nb = nbformat.read(path, as_version=4)
    found = {}
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            text = out.get("text", "") if out.get("output_type") == "stream" else ""
            for mark, name, message in VERDICT.findall(text):
                found[name] = {"mark": mark, "message": message}
    names = expected_checks(nb)
    exercises = {n: found.get(n, {"mark": "?", "message": "missing: no verdict"}) for n in names}
    passed = sum(e["mark"] == "✓" for e in exercises.values())
    return {"notebook": str(path), "score": passed / len(exercises) if exercises else 0.0,
            "passed": passed, "exercises": exercises, "errors": [], "graded": False}


def grade(path: Path, run: bool = True, **options) -> dict:
    """Grade one notebook (sandboxed); ``run=False`` only reads its stored verdict lines.

    Returns the row of ``--json`` plus, for existing callers, ``exercises`` keyed by checker
    name (each with ``mark`` ✓/✗/…/?), ``score`` as a fraction, ``points``/``max_points``.
    """
    path = Path(path)
    if not run:
        return _stored_verdicts(path)
    rows, level = cli.grade_all([path], **options)
    row = rows[0]
    exercises = {e["checker"]: dict(e, mark=MARKS.get(e["verdict"], "?"))
                 for e in row["exercises"]}
    return dict(row, exercises=exercises, exercise_list=row["exercises"], points=row["score"],
                max_points=row["max_score"], passed=sum(e["verdict"] == "correct"
                                                        for e in row["exercises"]),
                score=row["score"] / row["max_score"] if row["max_score"] else 0.0,
                graded=True)


def main(argv=None) -> int:
    return cli.main(argv)


if __name__ == "__main__":
    sys.exit(main())
