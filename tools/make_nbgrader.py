"""Write an nbgrader source course from the teacher's edition (``make nbgrader``).

``nbgrader/`` is an nbgrader course directory (https://nbgrader.readthedocs.io, nbgrader 0.9):
``nbgrader_config.py`` and one assignment per chapter notebook with exercises,
``source/<chapter>/<chapter>.ipynb``, made from the chapter as it is:

- each answer cell is an nbgrader solution cell; its body lies between ``### BEGIN SOLUTION`` and
  ``### END SOLUTION``, so the released notebook keeps the signature and the neutral docstring (as
  the student edition does) and raises ``NotImplementedError``;
- each exercise gets a locked autograder-test cell worth the points of its checker cell's
  ``grading`` metadata (1 where there is none): the course's checker (it prints what is wrong),
  then, between ``### BEGIN HIDDEN TESTS`` and ``### END HIDDEN TESTS``, tests students do not
  see: the answer must be the student's own function (not gdcore's, which the exercise asks them
  to write) and, when the checker takes a ``seed``, pass on other random inputs. nbgrader gives a
  test cell's points only when the whole cell runs, and ``autograde`` restores the locked cells,
  so a student cannot edit the tests;
- a checker cell that only called the checker is replaced by the test cell; one that does more
  (uses the answer afterwards) stays after it; the solution dropdowns are left out; the exercise
  statements are locked.

Then, in ``nbgrader/``: ``nbgrader generate_assignment <chapter>`` writes the student version
into ``release/``; submissions go to ``submitted/<student>/<chapter>/`` and ``nbgrader autograde
<chapter>`` grades them (``nbgrader export`` writes the grades as CSV).

Usage: python tools/make_nbgrader.py [--source .] [--out nbgrader] [NOTEBOOK ...]
"""

import sys
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
import exercises  # noqa: E402
import make_otter  # noqa: E402
import make_student  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
COURSE_ID = "gradient-descent"
CONFIG = f'''"""nbgrader configuration of the course (written by tools/make_nbgrader.py)."""

c = get_config()  # noqa: F821 — nbgrader provides it
c.CourseDirectory.course_id = "{COURSE_ID}"
c.Execute.timeout = 120  # per cell, in seconds, as the book's build
c.Execute.interrupt_on_timeout = True
c.ClearSolutions.code_stub = {{"python": 'raise NotImplementedError("TODO: write this")'}}
'''


def _meta(grade_id: str, *, solution=False, grade=False, locked=False, points=None) -> dict:
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3,
            "solution": solution, "task": False}
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


def test_source(exercise: dict, call: str, names: list[str]) -> str:
    """The checker (students see its verdict), then the hidden tests of make_otter."""
    return "\n".join([f"assert {call}  # prints ✓, or what is wrong", "### BEGIN HIDDEN TESTS",
                      make_otter.hidden_source(exercise, call, names), "### END HIDDEN TESTS"])


def source_notebook(nb):
    """The nbgrader source notebook of one chapter, or None if it has no exercises."""
    found = make_student.exercises(nb)
    if not found:
        return None
    by_solution = {e["solution"]: e for e in found}
    by_check = {e["check"]: e for e in found}
    cells = []
    for i, cell in exercises.assignment_cells(nb):
        if cell.cell_type == "markdown" and (m := make_student.EXERCISE.search(cell.source)):
            cell.metadata.update(_meta(f"{m.group(2)}-statement", locked=True))
        if i in by_solution:
            e = by_solution[i]
            cell.source = make_student.marked_solution(cell.source, "### BEGIN SOLUTION",
                                                       "### END SOLUTION")
            cell.metadata.update(_meta(f"{e['exercise']}-answer", solution=True))
        if i in by_check:
            e = by_check[i]
            call = make_otter.checker_call(cell.source)
            names = make_otter.answer_names(nb.cells[e["solution"]].source)
            test = nbformat.v4.new_code_cell(
                test_source(e, call, names),
                metadata=_meta(e["exercise"], grade=True, locked=True, points=e["points"]))
            cells.append(test)
            if make_student.PLAIN_CHECK.fullmatch(cell.source.strip()):
                continue  # the test cell does what this cell did
        cells.append(cell)
    return exercises.assignment_notebook(nb, cells)


def make_nbgrader(source: Path, out: Path, notebooks=None) -> list[Path]:
    """Write the course directory; returns the source notebooks written."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "nbgrader_config.py").write_text(CONFIG)
    return exercises.write_assignments(source, notebooks, lambda nb, path: source_notebook(nb),
                                       lambda path: out / "source" / path.stem)


def main(argv=None) -> int:
    return exercises.main(argv, __doc__, make_nbgrader, ROOT / "nbgrader",
                          "nbgrader: {n} assignments in {out}/source")


if __name__ == "__main__":
    sys.exit(main())
