"""Both editions build from clean with no warning, and every page is there, error-free and light.

The Chinese edition (``zh_CN/``) has the English one's pages under the same names; it is built
with ``language: zh_CN``: the theme's own strings in Chinese, and a search index whose Chinese
words are segmented (Sphinx's zh search, with jieba).
"""

import json
import re
from pathlib import Path

import pytest
from paths import ROOT, toc_pages

pytestmark = pytest.mark.book

# One harmless line per notebook from the kernel (documented in the README), not a Sphinx warning.
HARMLESS = re.compile(r"\[IPKernelApp\] WARNING \| Kernel is running over TCP")
PAGE_LIMIT = 3 * 1024 * 1024  # bytes: a page plus the images it embeds
EDITIONS = {"en": "book", "zh_CN": "book_zh"}  # edition → its build fixture (conftest.py)


@pytest.fixture(params=list(EDITIONS))
def built(request):
    """The English and the Chinese book, one after the other."""
    return request.getfixturevalue(EDITIONS[request.param])


def test_book_builds_without_warnings(built):
    problems = [
        line for line in built.log.splitlines()
        if re.search(r"\b(WARNING|ERROR|CRITICAL)\b", line) and not HARMLESS.search(line)
    ]
    assert built.returncode == 0 and not problems, "\n".join(problems[-40:]) or built.log[-4000:]


@pytest.mark.parametrize("page", toc_pages())
def test_page_exists_without_error_output(built, page):
    html_file = built.html / f"{page}.html"
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


def test_every_page_is_at_most_3_mb(built):
    pages = sorted(built.html.rglob("*.html"))
    assert pages
    heavy = {str(p.relative_to(built.html)): _page_weight(p) for p in pages}
    heavy = {p: w for p, w in heavy.items() if w > PAGE_LIMIT}
    assert not heavy, f"pages over 3 MB: {heavy}"


def test_math_is_served_locally(built):
    # The stretch goal of offline reading: MathJax comes from the book, not a CDN.
    index = (built.html / "intro.html").read_text(encoding="utf-8")
    assert "_static/mathjax/tex-chtml.js" in index
    assert (built.html / "_static" / "mathjax" / "tex-chtml.js").exists()
    assert "cdn.jsdelivr.net/npm/mathjax" not in index


def test_chinese_edition_speaks_chinese(book_zh):
    """language zh_CN: the page's lang, the theme's strings, and a segmenting search index."""
    page = (book_zh.html / "chapters" / "01_derivatives.html").read_text(encoding="utf-8")
    assert '<html lang="zh-CN"' in page
    assert 'aria-label="搜索"' in page          # the theme's own string, translated
    assert "本页的中文版" not in page and "This page in English" in page  # the switch goes back
    index = (book_zh.html / "searchindex.js").read_text(encoding="utf-8")
    words = set(json.loads(index[index.index("(") + 1:index.rindex(")")])["terms"])
    # jieba cuts 方向导数 into words, so a search for 导数 finds the pages about derivatives.
    assert {"梯度", "导数", "方向", "学习", "下降", "动量"} <= words
    assert not any(len(w) > 12 and re.fullmatch(r"[\u4e00-\u9fff]+", w) for w in words), \
        "whole Chinese sentences in the index: the words were not segmented"


def test_toc_and_chapters_agree():
    """Every chapter notebook is in the table of contents (only_build_toc_files hides the rest)."""
    in_toc = set(toc_pages())
    on_disk = {f"chapters/{p.stem}" for p in (ROOT / "chapters").glob("*.ipynb")}
    on_disk |= {f"chapters/{p.stem}" for p in (ROOT / "chapters").glob("*.md")}
    assert on_disk <= in_toc, f"not in _toc.yml: {sorted(on_disk - in_toc)}"
