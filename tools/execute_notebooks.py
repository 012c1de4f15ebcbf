"""Execute notebooks in place so that their committed outputs are current.

Usage: python tools/execute_notebooks.py chapters/01_derivatives.ipynb [...]

Runs each notebook from its own folder (as jupyter-book and nbval do) with progress bars off
(GDCORE_QUIET=1), and reports the time each took: a chapter should execute in 20 s or less.
"""

import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

os.environ.setdefault("GDCORE_QUIET", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # see the Makefile


def execute(path: Path, timeout: int = 60) -> float:
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    resources = {"metadata": {"path": str(path.parent)}}
    NotebookClient(nb, timeout=timeout, kernel_name="python3", resources=resources).execute()
    elapsed = time.perf_counter() - start
    nbformat.write(nb, path)
    return elapsed


def main(paths: list[str]) -> int:
    for p in paths:
        elapsed = execute(Path(p))
        print(f"{p}: {elapsed:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
