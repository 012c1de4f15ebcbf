"""Grade submitted notebooks with the course's own checkers (the autograder for teachers).

Usage:
    python tools/grade.py submission.ipynb [more.ipynb ...] [--no-execute] [--json]

Each notebook is executed top to bottom in a fresh kernel (a failing cell does not stop the run),
then every checker cell's one-line verdict is read:

    ✓ check_name: correct          → the exercise scores
    ✗ check_name: <what is wrong>  → it does not
    … check_name: not yet solved   → it does not

The score of a notebook is the share of its checkers that printed ✓. Exercises whose checker
never printed (e.g. the cell was deleted) count as missing.
"""

import argparse
import json
import os
import re
import sys
import tempfile
from pathlib import Path

import nbformat

VERDICT = re.compile(r"^(✓|✗|…) (check_\w+): ?(.*)$", re.MULTILINE)
CALL = re.compile(r"\b(check_\w+)\s*\(")


def expected_checks(nb) -> list[str]:
    """Checker names called in the notebook's (non-solution) code cells, in order."""
    names = []
    for cell in nb.cells:
        if cell.cell_type == "code" and "solution" not in cell.metadata.get("tags", []):
            names += [n for n in CALL.findall(cell.source) if n not in names]
    return names


def verdicts(nb) -> dict[str, tuple[str, str]]:
    """{checker: (mark, message)} read from the outputs of an executed notebook."""
    found = {}
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            text = out.get("text", "") if out.get("output_type") == "stream" else ""
            for mark, name, message in VERDICT.findall(text):
                found[name] = (mark, message)
    return found


def execute(nb, path: Path, timeout: int = 120):
    """Run ``nb`` from its folder in a fresh kernel; errors are recorded, not raised."""
    from nbclient import NotebookClient
    from traitlets.config import Config

    os.environ.setdefault("GDCORE_QUIET", "1")
    with tempfile.TemporaryDirectory(prefix="grade-") as sockets:
        config = Config()
        if os.name == "posix":
            # Unix sockets instead of TCP ports: kernels started at the same moment by parallel
            # graders (or test workers) cannot race for the same free port.
            config.KernelManager.transport = "ipc"
            config.KernelManager.ip = os.path.join(sockets, "kernel")
        client = NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=True,
                                resources={"metadata": {"path": str(path.parent)}},
                                config=config)
        client.execute()
    return nb


def grade(path: Path, run: bool = True) -> dict:
    """Score one notebook: score, passed, exercises {name: {mark, message}} and cell errors."""
    nb = nbformat.read(path, as_version=4)
    if run:
        execute(nb, path)
    found = verdicts(nb)
    names = expected_checks(nb) or sorted(found)
    missing = ("?", "missing: no verdict")
    exercises = {n: dict(zip(("mark", "message"), found.get(n, missing), strict=True))
                 for n in names}
    passed = sum(e["mark"] == "✓" for e in exercises.values())
    score = passed / len(exercises) if exercises else 0.0
    errors = [f"{o['ename']}: {o['evalue']}" for c in nb.cells for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    return {"notebook": str(path), "score": score, "passed": passed, "exercises": exercises,
            "errors": errors}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Grade notebooks with the course's checkers.")
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--no-execute", action="store_true",
                        help="read the outputs already in the notebook instead of running it")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)
    results = [grade(p, run=not args.no_execute) for p in args.notebooks]
    if args.json:
        print(json.dumps(results, indent=2, ensure_ascii=False))
        return 0
    for r in results:
        print(f"{r['notebook']}: {r['passed']}/{len(r['exercises'])} = {100 * r['score']:.0f}%")
        for name, e in r["exercises"].items():
            print(f"  {e['mark']} {name}: {e['message'] or 'correct'}")
        for error in r["errors"]:
            print(f"  cell error: {error}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
