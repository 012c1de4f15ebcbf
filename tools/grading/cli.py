"""The command line: grade many submissions in parallel, one JSON line each as it finishes."""

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from gdcore import i18n
from gdcore.i18n import N_

from . import sandbox, teacher
from .worker import VERDICT_WORDS

COURSE = Path(__file__).resolve().parents[2]
TOOLS = Path(__file__).resolve().parents[1]


def jobs(paths, course: Path):
    """(student, submission path) pairs: a folder is one student, every notebook in it."""
    out = []
    teachers = teacher.teacher_notebooks(course)
    for path in paths:
        if path.is_dir() and not path.is_symlink():  # a linked folder is refused as a link
            for nb in sorted(path.glob("*.ipynb")):
                out.append({"student": path.name, "submission": str(nb)})
            continue
        name = teacher.match(path, teachers)
        stem = path.stem.replace(Path(name).stem, "").strip(" -_.") if name else ""
        out.append({"student": stem or path.parent.name, "submission": str(path)})
    return out


def run_worker(job, on_event, timeout):
    """Grade ``job`` in a worker process; the row, even when the worker hangs or crashes."""
    code = (f"import sys; sys.path.insert(0, {str(TOOLS)!r}); "
            "from grading.worker import main; main()")
    env = dict(os.environ, GDCORE_QUIET="1", OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    # stderr to a file: a pipe nobody reads while the worker runs could fill up and block it
    log = tempfile.TemporaryFile(mode="w+")
    proc = subprocess.Popen([sys.executable, "-c", code, json.dumps(job)], stdout=subprocess.PIPE,
                            stderr=log, text=True, env=env, start_new_session=True)
    seen, row = [], None
    killer = threading.Timer(timeout, lambda: proc.kill())
    killer.start()
    try:
        for line in proc.stdout:
            try:
                event = json.loads(line)
            except ValueError:
                continue
            if event.get("event") == "exercise":
                seen.append(event)
                on_event(event)
            elif event.get("event") == "row":
                row = event["row"]
        proc.wait()
        log.seek(0)
        stderr = log.read()
    finally:
        killer.cancel()
        log.close()
    if row is None:  # the worker was killed (time limit) or crashed: what it did report counts
        why = (f"timeout: the submission took more than {timeout:g} s" if proc.returncode == -9
               else f"the grader's worker failed (exit {proc.returncode}): {stderr[-300:]}")
        row = {"submission": job["submission"], "student": job.get("student", ""),
               "notebook": job.get("notebook"), "isolation": job.get("isolation"),
               "exercises": [{k: v for k, v in e.items() if k not in ("event", "submission")}
                             for e in seen], "errors": [], "error": why}
        row["score"] = sum(e["points"] for e in row["exercises"])
        course = Path(job["course"])
        name = teacher.match(Path(job["submission"]), teacher.teacher_notebooks(course))
        row["notebook"] = name
        expected = teacher.read_exercises(course / "chapters" / name) if name else []
        graded = {e["checker"] for e in row["exercises"]}
        row["exercises"] += [{"name": ex.label, "checker": ex.checker, "points": 0,
                              "max_points": ex.points, "verdict": "error", "message": why}
                             for ex in expected if ex.checker not in graded]
        row["max_score"] = sum(e["max_points"] for e in row["exercises"])
    return row


GRADER_FAILURES = ("the kernel did not start", "the grader's guard did not load",
                   "the grader's worker failed")


def set_feedback_paths(todo, feedback: Path):
    """``feedback/<student>/<notebook>``; two students of one name (sec1/alice, sec2/alice)
    keep a file each (``alice``, ``alice-2``)."""
    used = set()
    for job in todo:
        base = job["student"] or "submission"
        target, n = feedback / base / Path(job["submission"]).name, 1
        while target in used:
            n += 1
            target = feedback / f"{base}-{n}" / Path(job["submission"]).name
        used.add(target)
        job["feedback"] = str(target)


def grade_all(paths, *, course=COURSE, jobs_n=1, timeout=120, submission_timeout=900,
              memory_mb=4096, feedback=None, lang="auto", on_row=lambda row: None,
              on_event=lambda e: None):
    """Grade every submission; ``on_row`` is called (in the caller's thread) as each finishes.

    ``lang``: the language of the verdicts, "auto" (each submission's own: Chinese for a
    notebook of the Chinese edition, English otherwise), "en" or "zh_CN"."""
    level = sandbox.isolation()
    todo = jobs([Path(p) for p in paths], Path(course))
    for job in todo:
        job.update(course=str(course), isolation=level, timeout=timeout,
                   submission_timeout=submission_timeout, memory_mb=memory_mb, lang=lang)
    if feedback:
        set_feedback_paths(todo, Path(feedback))
    rows = []
    with ThreadPoolExecutor(max_workers=max(1, jobs_n)) as pool:
        futures = [pool.submit(run_worker, job, on_event, submission_timeout + 60)
                   for job in todo]
        for future in as_completed(futures):
            row = future.result()
            rows.append(row)
            on_row(row)
    return rows, level


def _text(row):
    """One submission's report, in its language (its messages already are)."""
    def say(message):
        return i18n.translate(message, row.get("language", "en"))

    lines = [f"{row['student'] or '-'} {row['submission']}: {row['score']}/{row['max_score']} "
             + say(N_("points"))]
    for e in row["exercises"]:
        mark = {"correct": "✓", "wrong": "✗", "not solved": "…"}.get(e["verdict"], "?")
        verdict = say(VERDICT_WORDS.get(e["verdict"], e["verdict"]))
        lines.append(f"  {mark} {e['name']} ({e['checker']}): {e['points']}/{e['max_points']}"
                     + (f" — {verdict}: {e['message']}" if e["verdict"] != "correct" else ""))
    for error in row.get("errors", []):
        lines.append(f"  {say(N_('cell error'))}: {error}")
    if row.get("error"):
        lines.append(f"  {say(N_('error'))}: {row['error']}")
    return "\n".join(lines)


def percent(row):
    return 100.0 * row["score"] / row["max_score"] if row["max_score"] else 0.0


def write_csv(rows, path):
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["student", "notebook", "submission", "score", "max_score", "percent",
                    "exercises", "error", "messages"])
        for r in sorted(rows, key=lambda r: (r["student"], r["notebook"] or "")):
            w.writerow([r["student"], r["notebook"], r["submission"], r["score"], r["max_score"],
                        f"{percent(r):.1f}",
                        "; ".join(f"{e['name']}={e['points']}/{e['max_points']}"
                                  for e in r["exercises"]), r.get("error") or "",
                        # what each exercise's checker said, in the submission's language
                        "; ".join(f"{e['name']}: {e['message']}" for e in r["exercises"]
                                  if e.get("message"))])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="grade.py", description="Grade submitted notebooks with the course's checkers.")
    parser.add_argument("submissions", nargs="+", type=Path,
                        help="notebooks, or folders (one per student) of notebooks")
    parser.add_argument("--jobs", "-j", type=int, default=1, help="submissions graded at once")
    parser.add_argument("--timeout", type=float, default=120, help="seconds per cell (and per "
                        "checker call)")
    parser.add_argument("--submission-timeout", type=float, default=900,
                        help="seconds per submission")
    parser.add_argument("--memory", type=int, default=4096, help="MB of address space per kernel")
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    parser.add_argument("--csv", type=Path, help="also write the results to this CSV file")
    parser.add_argument("--feedback", type=Path,
                        help="save each executed notebook with its verdicts under this folder")
    parser.add_argument("--min-score", type=float,
                        help="exit 1 when a submission scores below this percentage")
    parser.add_argument("--course", type=Path, default=COURSE,
                        help="the teacher's edition (its chapters/ define exercises and points)")
    parser.add_argument("--lang", choices=("auto", "en", "zh_CN"), default="auto",
                        help="language of the verdicts: auto (the submission's: Chinese for the "
                        "Chinese edition's notebooks), en or zh_CN")
    parser.add_argument("--no-execute", action="store_true",
                        help="refused: stale outputs earn nothing; submissions are always run")
    args = parser.parse_args(argv)
    if args.no_execute:
        print("--no-execute: outputs stored in a notebook are not evidence; every submission is "
              "executed in a sandbox and graded by the grader's own checkers", file=sys.stderr)
        return 2
    level = sandbox.isolation()
    print(f"isolation: {sandbox.DESCRIPTION[level]}", file=sys.stderr)
    lock = threading.Lock()

    def on_row(row):
        with lock:
            print(json.dumps(row, ensure_ascii=False) if args.json else _text(row), flush=True)

    t0 = time.monotonic()
    rows, _ = grade_all(args.submissions, course=args.course, jobs_n=args.jobs,
                        timeout=args.timeout, submission_timeout=args.submission_timeout,
                        memory_mb=args.memory, feedback=args.feedback, lang=args.lang,
                        on_row=on_row)
    if args.csv:
        write_csv(rows, args.csv)
    print(f"graded {len(rows)} submissions in {time.monotonic() - t0:.1f} s", file=sys.stderr)
    # The kernel starts before any student code: when it cannot, the grader is broken here (a
    # sandbox that cannot read the venv, say), and the zeros it reports are not grades.
    broken = [r["submission"] for r in rows if any(
        why in str(r.get("error") or "") for why in GRADER_FAILURES)]
    if broken:
        print(f"grading did not work for {len(broken)} submission(s) (the kernel did not start): "
              f"{', '.join(broken[:3])}{' …' if len(broken) > 3 else ''}", file=sys.stderr)
        return 3
    if args.min_score is not None and any(percent(r) < args.min_score for r in rows):
        return 1
    return 0
