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
# The Chinese edition (zh_CN/, written by tools/i18n.py), built the same way.
BOOK_ZH_OUT = ROOT / "_build" / "test-book-zh"
# One id for the whole run, shared by the xdist workers, so that the book is built once per run.
RUN_ID = os.environ.get("PYTEST_XDIST_TESTRUNUID") or uuid.uuid4().hex


@dataclass
class BookBuild:
    returncode: int
    log: str
    html: Path


def _build_book(source: Path = ROOT, out: Path = BOOK_OUT) -> BookBuild:
    """Build the book at ``source`` from clean into ``out`` with warnings as errors.

    The notebooks are rendered from their committed outputs rather than executed a third time:
    nbval (in the same run) executes every notebook and fails if any output differs from the
    committed one or any cell raises, so the pages are exactly what ``make book`` renders.
    """
    html = out / "_build" / "html"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    config = unexecuted_config(source, out)
    jb = Path(sys.executable).with_name("jupyter-book")
    proc = subprocess.run(
        [str(jb), "build", "-W", "-n", "--keep-going", "--path-output", str(out),
         "--config", str(config), str(source)],
        capture_output=True, text=True, cwd=ROOT,
    )
    return BookBuild(proc.returncode, proc.stdout + proc.stderr, html)


def _shared_build(source: Path, out: Path) -> BookBuild:
    """One build of ``source`` per test run, shared between the xdist workers via a lock."""
    out.parent.mkdir(exist_ok=True)
    stamp = out.parent / f"{out.name}.json"
    with open(out.parent / f"{out.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if stamp.exists():
            done = json.loads(stamp.read_text())
            if done["run_id"] == RUN_ID:
                return BookBuild(done["returncode"], done["log"], Path(done["html"]))
        build = _build_book(source, out)
        stamp.write_text(json.dumps({"run_id": RUN_ID, "returncode": build.returncode,
                                     "log": build.log, "html": str(build.html)}))
        return build


@pytest.fixture(scope="session")
def book() -> BookBuild:
    """The English book, built from clean once per test run."""
    return _shared_build(ROOT, BOOK_OUT)


@pytest.fixture(scope="session")
def book_zh() -> BookBuild:
    """The Chinese edition (``zh_CN/``), built from clean once per test run."""
    return _shared_build(ROOT / "zh_CN", BOOK_ZH_OUT)
