"""Shared fixtures: one clean book build per test run, shared by the xdist workers."""

import fcntl
import json
import os
import shutil
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from paths import ROOT, unexecuted_config

BOOK_OUT = ROOT / "_build" / "test-book"
# One id for the whole run, shared by the xdist workers, so that the book is built once per run.
RUN_ID = os.environ.get("PYTEST_XDIST_TESTRUNUID") or uuid.uuid4().hex


@dataclass
class BookBuild:
    returncode: int
    log: str
    html: Path


def _build_book() -> BookBuild:
    """Build the book from clean into ``_build/test-book`` with warnings as errors.

    The notebooks are rendered from their committed outputs rather than executed a third time:
    nbval (in the same run) executes every notebook and fails if any output differs from the
    committed one or any cell raises, so the pages are exactly what ``make book`` renders.
    """
    html = BOOK_OUT / "_build" / "html"
    shutil.rmtree(BOOK_OUT, ignore_errors=True)
    BOOK_OUT.mkdir(parents=True)
    config = unexecuted_config(ROOT, BOOK_OUT)
    jb = Path(sys.executable).with_name("jupyter-book")
    proc = subprocess.run(
        [str(jb), "build", "-W", "-n", "--keep-going", "--path-output", str(BOOK_OUT),
         "--config", str(config), str(ROOT)],
        capture_output=True, text=True, cwd=ROOT,
    )
    return BookBuild(proc.returncode, proc.stdout + proc.stderr, html)


@pytest.fixture(scope="session")
def book() -> BookBuild:
    """The book built from clean once per test run, shared between xdist workers via a lock."""
    BOOK_OUT.parent.mkdir(exist_ok=True)
    stamp = BOOK_OUT.parent / "test-book.json"
    with open(BOOK_OUT.parent / "test-book.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if stamp.exists():
            done = json.loads(stamp.read_text())
            if done["run_id"] == RUN_ID:
                return BookBuild(done["returncode"], done["log"], Path(done["html"]))
        build = _build_book()
        stamp.write_text(json.dumps({"run_id": RUN_ID, "returncode": build.returncode,
                                     "log": build.log, "html": str(build.html)}))
        return build
