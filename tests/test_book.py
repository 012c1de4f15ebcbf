"""The book builds from clean with no warning, and every page is there, error-free and light."""

import re
from pathlib import Path

import pytest
from paths import ROOT, toc_pages

pytestmark = pytest.mark.book

# One harmless line per notebook from the kernel (documented in the README), not a Sphinx warning.
HARMLESS = re.compile(r"\[IPKernelApp\] WARNING \| Kernel is running over TCP")
PAGE_LIMIT = 3 * 1024 * 1024  # bytes: a page plus the images it embeds


def test_book_builds_without_warnings(book):
    problems = [
        line for line in book.log.splitlines()
        if re.search(r"\b(WARNING|ERROR|CRITICAL)\b", line) and not HARMLESS.search(line)
    ]
    assert book.returncode == 0 and not problems, "\n".join(problems[-40:]) or book.log[-4000:]


@pytest.mark.parametrize("page", toc_pages())
def test_page_exists_without_error_output(book, page):
    html_file = book.html / f"{page}.html"
    assert html_file.exists(), f"{page} was not built"
    text = html_file.read_text(encoding="utf-8")
    assert "Traceback" not in text
    # myst-nb marks error outputs and stderr streams with these classes.
    assert 'class="output traceback' not in text
    assert "output stderr" not in text, f"{page} shows stderr output (a warning?)"


def _page_weight(html_file: Path) -> int:
    """Bytes of the page plus every local image it references (inline data URIs are in the page)."""
    text = html_file.read_text(encoding="utf-8")
    total = len(text.encode())
    for src in set(re.findall(r'<img[^>]+src="([^"]+)"', text)):
        if src.startswith(("data:", "http:", "https:")):
            continue
        image = (html_file.parent / src.split("#")[0]).resolve()
        if image.exists():
            total += image.stat().st_size
    return total


def test_every_page_is_at_most_3_mb(book):
    pages = sorted(book.html.rglob("*.html"))
    assert pages
    heavy = {str(p.relative_to(book.html)): _page_weight(p) for p in pages}
    heavy = {p: w for p, w in heavy.items() if w > PAGE_LIMIT}
    assert not heavy, f"pages over 3 MB: {heavy}"


def test_math_is_served_locally(book):
    # The stretch goal of offline reading: MathJax comes from the book, not a CDN.
    index = (book.html / "intro.html").read_text(encoding="utf-8")
    assert "_static/mathjax/tex-chtml.js" in index
    assert (book.html / "_static" / "mathjax" / "tex-chtml.js").exists()
    assert "cdn.jsdelivr.net/npm/mathjax" not in index


def test_toc_and_chapters_agree():
    """Every chapter notebook is in the table of contents (only_build_toc_files hides the rest)."""
    in_toc = set(toc_pages())
    on_disk = {f"chapters/{p.stem}" for p in (ROOT / "chapters").glob("*.ipynb")}
    on_disk |= {f"chapters/{p.stem}" for p in (ROOT / "chapters").glob("*.md")}
    assert on_disk <= in_toc, f"not in _toc.yml: {sorted(on_disk - in_toc)}"
