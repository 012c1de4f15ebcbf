"""The built book as a reader meets it, in headless Chromium (Debian's, driven by playwright).

Every page of the table of contents is opened from a local HTTP server, with every non-local
request aborted (as for a reader offline), and checked: no console errors and no failed requests
(beyond the allow-list below), every image loaded with alt text,
every internal link resolving, every static slider moving, math typeset by the MathJax copy the
book serves itself. A full-page screenshot of each page goes to ``_build/screenshots/``.

Both editions are served as GitHub Pages publishes them (``make book``): the English book at the
root, the Chinese one in ``zh_CN/``. Every page of each is checked, and each page's language
button must lead to the same page of the other edition; every Chinese page's prose must be
Chinese (no paragraph left in English).

Without chromium these tests skip with the reason; ``.ci/run`` installs it and sets
``GDCORE_REQUIRE_BROWSER=1`` so that in CI they fail instead of skipping.
"""

import functools
import http.server
import re
import threading
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import browser_launch
import pytest
from paths import ROOT, toc_pages

pytestmark = pytest.mark.browser

SCREENSHOTS = ROOT / "_build" / "screenshots"

# Requests that may fail because the book is read offline here. Each entry is a host whose
# resources are optional for reading: the page works without them.
ALLOWED_FAILING_HOSTS = {
    "cdn.jsdelivr.net": "ipywidgets' HTML manager (live widgets need a kernel anyway)",
    "unpkg.com": "@jupyter-widgets and thebe (live code, optional)",
    "cdnjs.cloudflare.com": "require.js, loaded for widget output only",
}
# Console errors that only restate one of the failures above.
ALLOWED_CONSOLE = re.compile(
    r"Failed to load resource: net::ERR_|require is not defined|Error loading script"
    r"|(jsdelivr|unpkg|cdnjs)"
)

# Steps a jshtml slider through every frame, ending on the last; returns the frames that fail.
FRAMES_THAT_FAIL_TO_DECODE = """async (s) => {
  const img = s.closest('.animation').querySelector('img');
  const bad = [];
  for (let v = 0; v <= Number(s.max); v++) {
    s.value = v;
    s.dispatchEvent(new Event('input'));
    try { await img.decode(); if (!img.naturalWidth) bad.push(v); } catch (e) { bad.push(v); }
  }
  return bad;
}"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep the test output readable
        pass


ZH = "zh_CN/"  # where the Chinese edition lives in the site
PAGES = [*toc_pages(), *(ZH + page for page in toc_pages())]


@pytest.fixture(scope="module")
def site(book, book_zh):
    """(base_url, html_file) of both editions served on 127.0.0.1, the Chinese one in zh_CN/.

    ``html_file(path)`` is the file a site path (``zh_CN/chapters/x.html``) is served from."""
    assert book.returncode == 0 and book_zh.returncode == 0, "a book did not build: test_book.py"

    def html_file(path: str) -> Path:
        path = path.lstrip("/")
        if path.startswith(ZH):
            return book_zh.html / path[len(ZH):]
        return book.html / path

    class Handler(_Quiet):
        def translate_path(self, path):
            return str(html_file(unquote(urlparse(path).path)))

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", html_file
    server.shutdown()

# Text nodes outside math, code and scripts that still hold TeX: a $…$ pair, or a TeX command.
RAW_TEX_IN_TEXT = r"""() => {
  const skip = 'mjx-container, pre, code, script, style, textarea, .MathJax, .math';
  const walker = document.createTreeWalker(document.querySelector('main') || document.body,
                                           NodeFilter.SHOW_TEXT);
  const tex = /\$[^$\s][^$]*\$|\\(frac|mathbf|mathrm|sqrt|nabla|theta|eta|sum|left|right|begin)\b/;
  const bad = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (n.parentElement.closest(skip)) continue;
    const m = n.textContent.match(tex);
    if (m) bad.push(n.textContent.slice(Math.max(0, m.index - 30), m.index + 50));
  }
  return bad;
}"""

# Display equations whose typeset width exceeds the article column's width.
DISPLAY_MATH_WIDER_THAN_COLUMN = """() => {
  const column = document.querySelector('article.bd-article') || document.querySelector('main');
  const style = getComputedStyle(column);
  const limit = column.getBoundingClientRect().width - parseFloat(style.paddingLeft)
                - parseFloat(style.paddingRight);
  return [...document.querySelectorAll('mjx-container[display="true"] mjx-math')]
    .map(m => [m.getBoundingClientRect().width, m.closest('mjx-container')])
    .filter(([w]) => w > limit + 1)
    .map(([w, c]) => `${Math.round(w)} px > ${Math.round(limit)} px: `
                     + (c.getAttribute('aria-label') || c.textContent).slice(0, 80));
}"""


@pytest.fixture(scope="module")
def browser():
    browser_launch.require_browser(pytest)
    with browser_launch.browser() as b:
        yield b


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs, self.ids = [], set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])


@functools.cache
def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _host(url: str) -> str:
    return urlparse(url).hostname or ""


def _local_only(route):
    """Serve requests to the local book server; abort everything else (reading offline)."""
    if _host(route.request.url) == "127.0.0.1" or route.request.url.startswith("data:"):
        route.continue_()
    else:
        route.abort()


# Paragraphs, list items, table cells and headings of the article whose words (outside code,
# math and outputs) are English: at least six Latin words and not one Chinese character.
ENGLISH_PROSE = r"""() => {
  const skip = 'pre, code, mjx-container, .math, .MathJax, script, style, .cell_output, .output,'
             + ' .citation, .bibliography, .highlight, .headerlink, .sd-tab-set';
  const bad = [];
  for (const el of document.querySelectorAll(
         'article p, article li, article td, article th, article h1, article h2, article h3,'
         + ' article .admonition-title, article figcaption')) {
    if (el.closest(skip)) continue;
    const copy = el.cloneNode(true);
    copy.querySelectorAll(skip).forEach(n => n.remove());
    const text = copy.textContent;
    if (/[\u4e00-\u9fff]/.test(text)) continue;
    const words = text.match(/[A-Za-z]{2,}/g) || [];
    if (words.length >= 6) bad.push(text.trim().slice(0, 100));
  }
  return bad;
}"""


def _source(page: str) -> Path:
    """The notebook or markdown file a site page is built from."""
    for suffix in (".md", ".ipynb"):
        if (ROOT / f"{page}{suffix}").exists():
            return ROOT / f"{page}{suffix}"
    raise FileNotFoundError(page)


@pytest.mark.parametrize("page", PAGES)
def test_page_in_browser(site, browser, page):
    base, html_file = site
    failed, errors = [], []
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = ctx.new_page()
    tab.on("requestfailed", lambda r: failed.append(r.url))
    tab.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: errors.append(str(e)))
    # The reader is offline: abort every non-local request, so the result does not depend on
    # whether this machine happens to reach a CDN (a reached widget CDN would start rendering).
    tab.route("**/*", _local_only)
    tab.goto(urljoin(base, f"{page}.html"), wait_until="load")
    tab.wait_for_timeout(300)

    # Failed requests: only optional CDN resources may fail, and never a local one.
    bad = [u for u in failed if _host(u) not in ALLOWED_FAILING_HOSTS]
    assert not bad, f"failed requests on {page}: {bad}"
    bad = [e for e in errors if not ALLOWED_CONSOLE.search(e)]
    assert not bad, f"console errors on {page}: {bad}"

    # Every image has loaded and says what it shows.
    images = tab.eval_on_selector_all(
        "img", "els => els.map(e => [e.currentSrc || e.src, e.complete && e.naturalWidth > 0,"
               " (e.getAttribute('alt') || '').trim()])")
    for src, loaded, alt in images:
        assert loaded, f"image did not load on {page}: {src[:100]}"
        # myst-nb falls back to the file name; readers need words (cell metadata mystnb.image.alt).
        assert alt and not re.search(r"\.(png|jpe?g|svg|gif)$", alt), \
            f"image without a real alt text on {page}: {src[:100]} (alt={alt!r})"

    # Math is present and typeset by the local MathJax (it turns TeX into <mjx-container>).
    if "$" in _source(page).read_text(encoding="utf-8"):
        tab.wait_for_selector("mjx-container", state="attached", timeout=15000)

    # No TeX left raw in the text (a `$` MyST did not pair up), and no display equation wider
    # than the content column at this 1280-px viewport (it would hide its right-hand side).
    raw = tab.evaluate(RAW_TEX_IN_TEXT)
    assert not raw, f"TeX left raw on {page}: {raw}"
    wide = tab.evaluate(DISPLAY_MATH_WIDER_THAN_COLUMN)
    assert not wide, f"display equations wider than the column on {page}: {wide}"

    # Every static slider moves, and every one of its frames decodes to an image: nbval masks the
    # frames' bytes (they differ between machines), so this is where a broken frame shows.
    sliders = tab.query_selector_all(".animation input[type=range]")
    for slider in sliders:
        anim = slider.evaluate_handle("s => s.closest('.animation')")
        img = anim.query_selector("img")
        before = img.get_attribute("src")
        last = int(slider.get_attribute("max"))
        assert last > 0, f"slider with a single frame on {page}"
        bad = slider.evaluate(FRAMES_THAT_FAIL_TO_DECODE)
        assert not bad, f"slider frames {bad} of {last + 1} do not load on {page}"
        assert img.get_attribute("src") != before, f"slider does not move on {page}"

    # The Chinese edition is Chinese: no paragraph, item, cell or heading left in English.
    if page.startswith(ZH):
        english = tab.evaluate(ENGLISH_PROSE)
        assert not english, f"English prose on the Chinese page {page}: {english[:5]}"
        assert tab.evaluate("document.documentElement.lang") == "zh-CN"

    # The language button leads to this very page in the other edition, and it exists.
    other = page[len(ZH):] if page.startswith(ZH) else ZH + page
    switch = tab.query_selector("a.btn-language-switch-button")
    assert switch, f"no language button on {page}"
    target = urljoin(urljoin(base, f"{page}.html"), switch.get_attribute("href"))
    assert target == urljoin(base, f"{other}.html"), f"{page}: the button leads to {target}"
    assert html_file(f"{other}.html").exists()

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(SCREENSHOTS / f"{page.replace('/', '__')}.png"), full_page=True)
    ctx.close()


@pytest.mark.parametrize("page", PAGES)
def test_internal_links_resolve(site, page):
    """Every relative link, resolved as the browser does in the site of both editions."""
    _, html_file = site
    base = "http://site/"
    here_url = urljoin(base, f"{page}.html")
    here = html_file(f"{page}.html")
    broken = []
    for href in _parse(here).hrefs:
        url = urlparse(href)
        if url.scheme or href.startswith(("mailto:", "//")):
            continue
        path = urlparse(urljoin(here_url, href)).path
        target = html_file(unquote(path)) if url.path else here
        if target.is_dir():
            target = target / "index.html"
        if not path.startswith("/") or ".." in Path(path).parts or not target.exists():
            broken.append(href)
        elif url.fragment and target.suffix == ".html" and url.fragment not in _parse(target).ids:
            broken.append(href)
    assert not broken, f"broken internal links on {page}: {broken}"


@pytest.mark.parametrize("edition, query, hit", [
    ("", "gradient", "chapters/03_gradient_descent.html"),
    (ZH, "梯度", "chapters/03_gradient_descent.html"),
    (ZH, "导数", "chapters/01_derivatives.html"),
    # words jieba keeps apart in the index (梯度 + 下降): zh_search.js cuts the query the same way
    (ZH, "梯度下降", "chapters/03_gradient_descent.html"),
    (ZH, "学习率", "chapters/03_gradient_descent.html"),
    (ZH, "海森矩阵", "chapters/01_derivatives.html"),
])
def test_search_finds_pages_offline(site, browser, edition, query, hit):
    """The book's own search (Sphinx's; in Chinese its index is cut into words by jieba)."""
    base, _ = site
    ctx = browser.new_context()
    tab = ctx.new_page()
    tab.route("**/*", _local_only)
    tab.goto(urljoin(base, f"{edition}search.html?q={query}"), wait_until="load")
    tab.wait_for_selector("#search-results ul.search li", timeout=20000)
    links = tab.eval_on_selector_all("#search-results ul.search li a",
                                     "els => els.map(e => e.getAttribute('href'))")
    assert any(href.split("?")[0].split("#")[0] == hit for href in links), links[:10]
    ctx.close()


@pytest.mark.parametrize("edition", ["", ZH])
def test_math_renders_with_the_network_blocked(site, browser, edition):
    """Offline reading: with every non-local request aborted, math is still typeset."""
    base, _ = site
    ctx = browser.new_context()
    tab = ctx.new_page()
    tab.route("**/*", _local_only)
    tab.goto(urljoin(base, f"{edition}chapters/01_derivatives.html"), wait_until="load")
    tab.wait_for_selector("mjx-container", state="attached", timeout=15000)
    assert tab.eval_on_selector_all("mjx-container", "els => els.length") > 5
    ctx.close()
