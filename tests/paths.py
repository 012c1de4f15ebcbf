"""Where things are, for the tests (imported as a plain module: tests/ is on sys.path)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def toc_pages() -> list[str]:
    """Every page of the table of contents, as a path without suffix (e.g. chapters/errata)."""
    pages = []
    for line in (ROOT / "_toc.yml").read_text().splitlines():
        line = line.strip()
        for key in ("root:", "- file:", "file:"):
            if line.startswith(key):
                pages.append(line.split(":", 1)[1].strip())
                break
    return pages
