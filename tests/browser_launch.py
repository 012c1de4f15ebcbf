"""Debian's chromium, headless, through playwright: for the book's pages (``tests/test_browser.py``)
and a live JupyterLab (``tests/lab_session.py``, so also ``tests/test_lab.py`` and
``benchmarks/widget_latency.py``). A plain module: tests/ is on ``sys.path``.
"""

import contextlib
import os
import shutil

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Flags that keep Debian's chromium from phoning home on a closed network (see README).
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]


def require_browser(pytest):
    """Skip (or, with GDCORE_REQUIRE_BROWSER=1, fail) when chromium or playwright is missing.

    ``pytest`` is passed in, so that importing this module does not need pytest (the benchmark).
    """
    if os.path.exists(CHROMIUM):
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            reason = "playwright is not installed: pip install -r requirements-dev.txt"
        else:
            return
    else:
        reason = "chromium not found: sudo apt-get install chromium (Debian/Ubuntu) to enable"
    if os.environ.get("GDCORE_REQUIRE_BROWSER"):
        pytest.fail(reason)
    pytest.skip(reason)


@contextlib.contextmanager
def browser():
    """A headless chromium (a playwright ``Browser``), closed on leaving the block."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()
