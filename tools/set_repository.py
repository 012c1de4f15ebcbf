"""Point a fork of the course at its own repository: ``python tools/set_repository.py URL``.

The repository URL lives in ``_config.yml`` (``repository.url``: launch buttons, repository and
issue buttons). Colab cannot see that file, so each chapter's first cell installs gdcore from the
same URL; this script rewrites both, so that the URL is set from one place: this command.
"""

import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
CONFIG_URL = re.compile(r"^(  url: ).*$", re.MULTILINE)
INSTALL_URL = re.compile(r"git\+https://[^\"'\s]+")


def current_url(root: Path = ROOT) -> str:
    """The repository URL in ``_config.yml``."""
    line = CONFIG_URL.search((root / "_config.yml").read_text()).group(0)
    return line.split("url:", 1)[1].strip()


def first_code_cell(nb):
    """The cell holding a chapter's Colab install guard (its first code cell), or None."""
    return next((c for c in nb.cells if c.cell_type == "code"), None)


def set_repository(url: str, root: Path = ROOT) -> int:
    """Rewrite the URL in _config.yml and every chapter's install cell; returns files changed."""
    if not re.fullmatch(r"https://[\w.-]+/[\w.-]+/[\w.-]+", url):
        raise ValueError(f"Invalid repository url: {url!r} (expected https://host/owner/name)")
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


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    print(f"{set_repository(sys.argv[1])} files now point at {sys.argv[1]}")
