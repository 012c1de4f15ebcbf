"""Where things are, for the tests (imported as a plain module: tests/ is on sys.path)."""

import subprocess
import sys
from pathlib import Path

import yaml

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


def unexecuted_config(source: Path, dest: Path) -> Path:
    """A copy of ``source``'s _config.yml in ``dest`` that renders notebooks without executing.

    For test builds whose notebooks are executed elsewhere in the same run (nbval, the grader).
    """
    config = yaml.safe_load((source / "_config.yml").read_text())
    config["execute"]["execute_notebooks"] = "off"
    # Local extensions are found relative to the configuration file, which now lives elsewhere.
    extensions = config["sphinx"]["local_extensions"]
    config["sphinx"]["local_extensions"] = {k: str(source / v) for k, v in extensions.items()}
    path = dest / "_config.unexecuted.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True))
    return path


def build_unexecuted(book: Path) -> subprocess.CompletedProcess:
    """``jupyter-book build -W -n --keep-going`` of ``book`` from its committed outputs (the
    configuration is written next to ``book``); the HTML lands in ``book/_build/html``."""
    jb = Path(sys.executable).with_name("jupyter-book")
    config = unexecuted_config(book, book.parent)
    return subprocess.run([str(jb), "build", "-W", "-n", "--keep-going", "--config", str(config),
                           str(book)], capture_output=True, text=True)


def tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (not caches or builds), relative path → bytes."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and "__pycache__" not in p.parts and "_build" not in p.parts}
