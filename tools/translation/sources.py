"""The book's pages (``_toc.yml``) and the messages each one has."""

import json
from pathlib import Path

import yaml

from . import paths
from .markdown import messages

BOOK = "book"  # the catalogue of _config.yml's title and _toc.yml's captions

ALT = ("mystnb", "image", "alt")


def toc_pages() -> list[str]:
    toc = yaml.safe_load((paths.ROOT / "_toc.yml").read_text())
    pages = [toc["root"]]

    def walk(entries):
        for entry in entries:
            pages.append(entry["file"])
            walk(entry.get("sections", []))

    for part in toc["parts"]:
        walk(part["chapters"])
    return pages


def source_of(page: str) -> Path:
    for suffix in (".ipynb", ".md"):
        if (paths.ROOT / f"{page}{suffix}").exists():
            return paths.ROOT / f"{page}{suffix}"
    raise FileNotFoundError(page)


def _alt(cell):
    node = cell.get("metadata", {})
    for key in ALT:
        node = node.get(key) if isinstance(node, dict) else None
    return node if isinstance(node, str) else None


def extract(page: str) -> list[tuple[str, str]]:
    """(message, location) of every message of ``page`` (or of the book's own strings)."""
    if page == BOOK:
        found = [(_config_title(), "_config.yml:title")]
        toc = yaml.safe_load((paths.ROOT / "_toc.yml").read_text())
        found += [(part["caption"], "_toc.yml:caption") for part in toc["parts"]]
        return found
    path = source_of(page)
    if path.suffix == ".md":
        return [(m, path.name) for m in messages(path.read_text(encoding="utf-8"))]
    nb = json.loads(path.read_text(encoding="utf-8"))
    found = []
    for number, cell in enumerate(nb["cells"], 1):  # cell 1 is the first (po locations: N > 0)
        where = f"{path.name}:cell{number}"
        if cell["cell_type"] == "markdown":
            found += [(m, where) for m in messages("".join(cell["source"]))]
        elif (alt := _alt(cell)) is not None:
            found.append((alt, f"{where}:alt"))
    return found


def _config_title() -> str:
    return yaml.safe_load((paths.ROOT / "_config.yml").read_text())["title"]


def all_pages() -> list[str]:
    return [BOOK, *toc_pages()]
