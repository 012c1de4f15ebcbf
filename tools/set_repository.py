"""Point a fork of the course at its own repository, and the student edition at the students'.

Usage:
    python tools/set_repository.py URL                  # the teacher's fork
    python tools/set_repository.py --student URL        # the student repository
    python tools/set_repository.py URL --student URL    # both

The repository URL lives in ``_config.yml`` (``repository.url``: launch buttons, repository and
issue buttons). Colab cannot see that file, so each chapter's first cell installs gdcore from the
same URL; this script rewrites both, so that the URL is set from one place: this command.

The student repository (the one ``make student`` writes, pushed for a class) has a URL of its
own, kept in ``tools/student_repo/repository.yml``: ``tools/make_student.py`` writes it into the
student edition's ``_config.yml`` and Colab lines, so that the student book's buttons never open
the teacher's fork, where the solutions are.
"""

import argparse
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
STUDENT_CONFIG = Path("tools") / "student_repo" / "repository.yml"  # read by make_student.py
URL = re.compile(r"https://[\w.-]+/[\w.-]+/[\w.-]+")
CONFIG_URL = re.compile(r"^(  url: ).*$", re.MULTILINE)
INSTALL_URL = re.compile(r"git\+https://[^\"'\s]+")


def current_url(root: Path = ROOT) -> str:
    """The repository URL in ``_config.yml``."""
    line = CONFIG_URL.search((root / "_config.yml").read_text()).group(0)
    return line.split("url:", 1)[1].strip()


def first_code_cell(nb):
    """The cell holding a chapter's Colab install guard (its first code cell), or None."""
    return next((c for c in nb.cells if c.cell_type == "code"), None)


def _check(url: str) -> None:
    if not URL.fullmatch(url):
        raise ValueError(f"Invalid repository url: {url!r} (expected https://host/owner/name)")


def set_student_repository(url: str, root: Path = ROOT) -> Path:
    """Record the student repository's URL, where ``make_student.py`` reads it."""
    _check(url)
    path = root / STUDENT_CONFIG
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("# The student repository (tools/set_repository.py --student URL): the launch\n"
                    "# buttons and Colab lines of the student edition point here.\n"
                    f"url: {url}\n")
    return path


def set_repository(url: str, root: Path = ROOT) -> int:
    """Rewrite the URL in _config.yml and every chapter's install cell; returns files changed."""
    _check(url)
    config = root / "_config.yml"
    config.write_text(CONFIG_URL.sub(lambda m: m.group(1) + url, config.read_text(), count=1))
    changed = 1
    for path in sorted((root / "chapters").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        cell = first_code_cell(nb)
        if cell is not None and INSTALL_URL.search(cell.source):
            new = INSTALL_URL.sub(f"git+{url}", cell.source)
            if new != cell.source:
                cell.source = new
                nbformat.write(nb, path)
                changed += 1
    return changed


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", nargs="?", help="the teacher's fork, https://host/owner/name")
    parser.add_argument("--student", metavar="URL", help="the student repository")
    args = parser.parse_args(argv)
    if not (args.url or args.student):
        parser.error("give the fork's URL, --student URL, or both")
    try:
        for url in filter(None, (args.url, args.student)):
            _check(url)
        if args.url:
            print(f"{set_repository(args.url)} files now point at {args.url}")
        if args.student:
            path = set_student_repository(args.student)
            print(f"the student edition points at {args.student} ({path.relative_to(ROOT)}); "
                  "run make student")
    except ValueError as error:
        parser.error(str(error))
    return 0


if __name__ == "__main__":
    sys.exit(main())
