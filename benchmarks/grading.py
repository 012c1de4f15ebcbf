"""Grading time per notebook, and the speed-up of ``--jobs 2`` over ``--jobs 1``.

24 submissions: the teacher's edition (every exercise solved) and the student edition (stubs) of
the first 12 chapter notebooks, each in a student's folder, graded twice by ``tools/grade.py``'s
own ``grade_all`` — one at a time, then two at a time. Takes a few minutes.

    .venv/bin/python benchmarks/grading.py
"""

import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import make_student  # noqa: E402
from grading import cli, sandbox  # noqa: E402


def submissions(folder: Path) -> list[Path]:
    make_student.make_student(ROOT, folder / "edition")
    chapters = sorted((ROOT / "chapters").glob("0*.ipynb"))[:12]
    for who, source in (("teacher", ROOT / "chapters"), ("student", folder / "edition" /
                                                         "chapters")):
        (folder / who).mkdir()
        for path in chapters:
            shutil.copy(source / path.name, folder / who / path.name)
    return [folder / "teacher", folder / "student"]


def main():
    print(f"isolation: {sandbox.DESCRIPTION[sandbox.isolation()]}")
    with tempfile.TemporaryDirectory(prefix="grading-bench-") as tmp:
        paths = submissions(Path(tmp))
        walls, per_notebook = {}, {}
        for jobs in (1, 2):
            t0 = time.perf_counter()
            rows, _ = cli.grade_all(paths, jobs_n=jobs)
            walls[jobs] = time.perf_counter() - t0
            assert len(rows) == 24 and not any(r.get("error") for r in rows), rows
            for r in rows:
                per_notebook.setdefault((r["notebook"], r["student"]), []).append(r["seconds"])
            print(f"--jobs {jobs}: {len(rows)} submissions in {walls[jobs]:.1f} s")
    print("\nseconds per notebook, teacher / student edition, --jobs 1 | --jobs 2:")
    for name in sorted({n for n, _ in per_notebook}):
        t, s = per_notebook[(name, "teacher")], per_notebook[(name, "student")]
        print(f"  {name:36s} {t[0]:6.1f} {s[0]:6.1f} | {t[1]:6.1f} {s[1]:6.1f}")
    all_one = [v[0] for v in per_notebook.values()]
    print(f"median {statistics.median(all_one):.1f} s, max {max(all_one):.1f} s per notebook")
    print(f"slowest notebook at --jobs 2: {max(v[1] for v in per_notebook.values()):.1f} s "
          "(a stalled kernel would show as ≥ 120 s)")
    print(f"speed-up of --jobs 2 over --jobs 1: {walls[1] / walls[2]:.2f}x")


if __name__ == "__main__":
    main()
