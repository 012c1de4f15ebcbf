"""One GitHub Classroom test: did the submitted notebook earn the points of one exercise?

Usage: python tools/classroom.py NOTEBOOK EXERCISE [--grader DIR]

The first test of a notebook grades it (``DIR/tools/grade.py --json``) and keeps the result in
``grades/``, so that the other tests of the same notebook read it instead of running it again.
Which exercises a notebook has, and what they are worth, is read from
``DIR/.github/classroom/exercises.json`` — the course's copy (the workflow clones it), never the
submission's. Exit status 0 when the exercise earned all its points, 1 otherwise.
"""

import argparse
import json
import subprocess
import sys
from pathlib import Path


def load_results(text: str) -> list[dict]:
    """The grader's JSON: one object per submission, one per line (or a list of them)."""
    try:
        data = json.loads(text)
        return data if isinstance(data, list) else [data]
    except json.JSONDecodeError:
        return [json.loads(line) for line in text.splitlines() if line.strip().startswith("{")]


def exercise_rows(result: dict) -> list[dict]:
    """The per-exercise rows of one result, as a list of dicts with a ``name``."""
    rows = result.get("exercises", [])
    if isinstance(rows, dict):
        rows = [{"name": name, **row} for name, row in rows.items()]
    return rows


def earned(row: dict) -> bool:
    if "points" in row and "max_points" in row:
        return row["points"] >= row["max_points"] > 0
    return row.get("mark", row.get("verdict")) in ("✓", "correct")


def grade_once(notebook: Path, grader: Path) -> list[dict]:
    cache = Path("grades") / f"{notebook.stem}.json"
    if not cache.exists():
        cache.parent.mkdir(exist_ok=True)
        proc = subprocess.run([sys.executable, str(grader / "tools" / "grade.py"), "--json",
                               "--course", str(grader), str(notebook)],
                              capture_output=True, text=True)
        cache.write_text(proc.stdout)
        if proc.returncode:
            print(proc.stderr[-2000:], file=sys.stderr)
    return load_results(cache.read_text())


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebook", type=Path)
    parser.add_argument("exercise")
    parser.add_argument("--grader", type=Path, default=Path("."),
                        help="the course's copy of this repository (default: this one)")
    args = parser.parse_args(argv)
    manifest = json.loads((args.grader / ".github/classroom/exercises.json").read_text())
    expected = {e["exercise"]: e for e in manifest["notebooks"].get(args.notebook.name, [])}
    if args.exercise not in expected:
        print(f"{args.exercise} is not an exercise of {args.notebook.name}")
        return 1
    entry = expected[args.exercise]
    names = {entry["exercise"], entry["checker"], entry["checker"].rsplit(".", 1)[-1]}
    for result in grade_once(args.notebook, args.grader):
        for row in exercise_rows(result):
            if row.get("name") in names:
                print(f"{args.exercise}: {row.get('message') or row.get('verdict', '')}")
                return 0 if earned(row) else 1
    print(f"{args.exercise}: no verdict (did the notebook run to the end?)")
    return 1


if __name__ == "__main__":
    sys.exit(main())
