"""A real JupyterLab in headless Chromium, for the live-widget tests and their latency benchmark.

``lab_server(tmp)`` starts ``.venv/bin/jupyter-lab`` on a free localhost port with a throw-away
configuration (no token, no browser, no news or update prompts) whose root is a *copy* of the
chapters (JupyterLab autosaves what it opens, so it must never see the repository's notebooks),
and stops it by its process group. ``browser()`` launches Debian's chromium through playwright
(``tests/browser_launch.py``, shared with ``tests/test_browser.py``).
``Notebook`` opens a chapter, runs chosen cells, and ``LiveWidget`` drives one widget of
``gdcore.widgets._live.live_figure`` and watches its redraws in the page.

Imported by ``tests/test_lab.py`` and ``benchmarks/widget_latency.py`` (both put ``tests/`` on
``sys.path``).
"""

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from browser_launch import browser, require_browser  # noqa: F401  (importable from here)

ROOT = Path(__file__).resolve().parents[1]

#: chapter → the cells a live widget needs (first code cells by content), and how to find the
#: widget cells: the cells tagged nbval-ignore-output whose code builds a live widget
SETUP = {
    "01_derivatives.ipynb": [r"import gdcore as gd", r"^f, fprime = "],
    "02_directional_derivatives.ipynb": [r"import gdcore", r"^problem = gd\.functions"],
    "03_gradient_descent.ipynb": [r"import gdcore as gd"],
    "03c_nonconvex_newton.ipynb": [r"import gdcore as gd"],
    "04b_vanishing_exploding.ipynb": [r"import gdcore as gd"],
    "05b_adam_schedules.ipynb": [r"import gdcore as gd"],
}
WIDGET_CALL = re.compile(r"(gd\.widgets\.\w+\.\w+|dwidget\.\w+_widget)\(")

# Settings of the throw-away user settings directory: every cell in the DOM (no windowing),
# no news or update notifications, no autosave of the copies.
_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
}


def widget_cells(nb_path):
    """(setup cell indices, widget cell indices) of a chapter, found by their code."""
    import nbformat

    nb = nbformat.read(nb_path, as_version=4)
    setup, widgets = [], []
    for pattern in SETUP[Path(nb_path).name]:
        found = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"
                 and re.search(pattern, c.source, re.M)]
        if not found:
            raise LookupError(f"{Path(nb_path).name}: no cell matches {pattern!r}")
        setup.append(found[0])
    for i, cell in enumerate(nb.cells):
        if (cell.cell_type == "code" and "nbval-ignore-output" in cell.metadata.get("tags", [])
                and WIDGET_CALL.search(cell.source)):
            widgets.append(i)
    return sorted(set(setup)), widgets


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def lab_server(tmp, chapters=tuple(SETUP)):
    """Yield (base_url, root) of a JupyterLab serving a copy of ``chapters`` under ``tmp``."""
    tmp = Path(tmp)
    root = tmp / "chapters"
    root.mkdir(parents=True)
    for name in chapters:
        shutil.copy2(ROOT / "chapters" / name, root / name)
    settings = tmp / "lab-settings"
    for rel, value in _SETTINGS.items():
        (settings / rel).parent.mkdir(parents=True, exist_ok=True)
        (settings / rel).write_text(json.dumps(value))
    venv_bin = Path(sys.executable).parent
    env = {**os.environ,
           "PATH": f"{venv_bin}{os.pathsep}{os.environ.get('PATH', '')}",  # the kernel's python
           "JUPYTER_CONFIG_DIR": str(tmp / "config"), "JUPYTER_RUNTIME_DIR": str(tmp / "runtime"),
           "JUPYTER_DATA_DIR": str(tmp / "data"), "JUPYTERLAB_SETTINGS_DIR": str(settings),
           "JUPYTERLAB_WORKSPACES_DIR": str(tmp / "workspaces"), "IPYTHONDIR": str(tmp / "ipython"),
           "GDCORE_QUIET": "1", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
           "MPLBACKEND": "module://matplotlib_inline.backend_inline"}
    port = _free_port()
    log = open(tmp / "jupyter-lab.log", "w")  # noqa: SIM115 - closed in the finally below
    proc = subprocess.Popen(
        [str(venv_bin / "jupyter-lab"), "--no-browser", f"--port={port}", "--ip=127.0.0.1",
         "--ServerApp.port_retries=0", "--IdentityProvider.token=", "--ServerApp.password=",
         f"--ServerApp.root_dir={root}", "--ServerApp.open_browser=False",
         "--LabApp.news_url=", "--LabApp.extension_manager=readonly",  # no PyPI queries
         "--ServerApp.terminals_enabled=False",
         *(["--allow-root"] if os.geteuid() == 0 else [])],
        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, cwd=tmp)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"jupyter-lab exited: {(tmp / 'jupyter-lab.log').read_text()}")
            try:
                with urllib.request.urlopen(f"{base}/api/status", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("jupyter-lab did not answer within 90 s")
            time.sleep(0.2)
        yield base, root
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()


# Installed in the page: the time of the last input event (captured before any widget sees it)
# and, per watched output area, every change of the figure it shows.
WATCH_JS = """() => {
  if (window.__gd) return;
  window.__gd = {input: 0, draws: {}};
  for (const type of ['keydown', 'change', 'input', 'click'])
    document.addEventListener(type, () => { window.__gd.input = performance.now(); }, true);
}"""

OBSERVE_JS = """([el, key]) => {
  const seen = window.__gd.draws[key] = [];
  let last = null;
  const check = () => {
    const img = el.querySelector('.widget-output img');
    const src = img ? img.getAttribute('src') : null;
    if (src && src !== last) { last = src; seen.push({t: performance.now(), n: src.length}); }
  };
  check();
  new MutationObserver(check).observe(el, {subtree: true, childList: true, attributes: true,
                                           attributeFilter: ['src']});
}"""


_PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"  # the notebook on show


class Notebook:
    """One chapter open in JupyterLab; ``run(i)`` runs cell i and waits until it has finished."""

    def __init__(self, page, base, name, timeout=120_000):
        self.page, self.name, self.timeout = page, name, timeout
        self.base = base
        # ?reset: a fresh workspace, not the one that reopens the chapters opened before
        page.goto(f"{base}/lab/tree/{name}?reset", wait_until="domcontentloaded")
        page.wait_for_selector(f"{_PANEL} .jp-Notebook .jp-Cell", state="attached",
                               timeout=timeout)
        self.wait_idle()
        page.evaluate(WATCH_JS)

    def cell(self, i):
        return self.page.locator(f"{_PANEL} .jp-Notebook .jp-Cell").nth(i)

    def wait_idle(self):
        self.page.wait_for_selector(
            f"{_PANEL} .jp-Notebook-ExecutionIndicator[data-status='idle']",
            state="attached", timeout=self.timeout)

    def shutdown(self):
        """Stop the kernels of the server (REST API), so that chapters do not pile them up."""
        with urllib.request.urlopen(f"{self.base}/api/sessions", timeout=10) as r:
            sessions = json.load(r)
        for session in sessions:
            request = urllib.request.Request(f"{self.base}/api/sessions/{session['id']}",
                                             method="DELETE")
            with contextlib.suppress(OSError):
                urllib.request.urlopen(request, timeout=10).close()

    def run(self, i):
        cell = self.cell(i)
        prompt = cell.locator(".jp-InputPrompt").first
        for attempt in range(3):
            cell.scroll_into_view_if_needed()
            prompt.click()                                # selects the cell, command mode
            self.page.keyboard.press("Control+Enter")     # run it, stay on it
            try:  # queued ([*]) or done ([n]); a key press lost on a busy machine is retried
                self.page.wait_for_function(
                    "p => /\\[(\\*|\\d+)\\]/.test(p.textContent)", arg=prompt.element_handle(),
                    timeout=10_000)
                break
            except Exception:  # noqa: BLE001 - playwright's TimeoutError
                if attempt == 2:
                    raise
        self.page.wait_for_function(
            "p => /\\[\\d+\\]/.test(p.textContent)", arg=prompt.element_handle(),
            timeout=self.timeout)
        self.wait_idle()
        errors = cell.locator(".jp-OutputArea-output[data-mime-type="
                              "'application/vnd.jupyter.stderr'], .jp-RenderedText"
                              "[data-mime-type='application/vnd.jupyter.error']")
        return [errors.nth(k).inner_text() for k in range(errors.count())]

    def log_console_count(self):
        """The number JupyterLab's status bar shows for new log-console messages (0: hidden)."""
        item = self.page.locator(".jp-LogConsoleStatusItem")
        if not item.count() or not item.first.is_visible():
            return 0
        text = item.first.inner_text().strip()
        return int(text) if text.isdigit() else 1


class LiveWidget:
    """One live widget (the output of a cell): its controls by description, its state label,
    and the figure changes the page has seen."""

    def __init__(self, notebook, i):
        self.nb, self.page, self.key = notebook, notebook.page, f"cell{i}"
        self.area = notebook.cell(i).locator(".jp-OutputArea").first
        self.area.locator(".gd-live-state").first.wait_for(state="attached",
                                                           timeout=notebook.timeout)
        self.page.wait_for_function(
            "el => el.querySelector('.widget-output img')", arg=self.area.element_handle(),
            timeout=notebook.timeout)
        self.page.evaluate(OBSERVE_JS, [self.area.element_handle(), self.key])

    # -- what the kernel drew -------------------------------------------------------------
    def state(self):
        return json.loads(self.area.locator(".gd-live-state").first.text_content() or "{}")

    def browser_draws(self):
        return self.page.evaluate(f"() => window.__gd.draws[{json.dumps(self.key)}]")

    # -- controls ---------------------------------------------------------------------------
    def control(self, description):
        # a checkbox's description is in the label around its box, not in .widget-label
        label = self.page.locator(".widget-label, .widget-label-basic", has_text=re.compile(
            rf"^{re.escape(description)}$"))
        return self.area.locator(".widget-inline-hbox", has=label).first

    def visible_controls(self):
        return self.page.evaluate(
            """el => [...el.querySelectorAll('.widget-inline-hbox')]
                 .filter(c => c.offsetParent !== null)
                 .map(c => [...c.querySelectorAll('.widget-label, .widget-label-basic')]
                             .map(l => l.textContent.trim()).find(Boolean))
                 .filter(Boolean)""", self.area.element_handle())

    def readout(self, description):
        """The value the browser shows for a slider (its readout), a dropdown or a checkbox."""
        box = self.control(description)
        select = box.locator("select")
        if select.count():
            return select.first.input_value()
        check = box.locator("input[type=checkbox]")
        if check.count():
            return check.first.is_checked()
        text = box.locator(".widget-readout").first.text_content().strip()
        return float(text.replace("\u2212", "-"))  # the readout writes − for minus

    def empty_rows(self):
        """Rows of controls that are shown but hold no visible control (they still take space)."""
        return self.page.evaluate(
            """el => [...el.querySelectorAll('.widget-vbox > .widget-hbox')]
                 .filter(r => r.offsetParent !== null)
                 .filter(r => ![...r.children].some(c => c.offsetParent !== null)).length""",
            self.area.element_handle())

    # -- inputs -----------------------------------------------------------------------------
    def is_slider(self, description):
        return self.control(description).locator(".noUi-handle").count() > 0

    def truncated_labels(self):
        """Visible labels whose text does not fit (shown as "moment…")."""
        return self.page.evaluate(
            """el => [...el.querySelectorAll('.widget-label')]
                 .filter(l => l.offsetParent !== null && l.scrollWidth > l.clientWidth + 1)
                 .map(l => l.textContent)""", self.area.element_handle())

    def step(self, description, key="ArrowRight"):
        """One keyboard step of a slider (ArrowLeft instead when it is at its end)."""
        handle = self.control(description).locator(".noUi-handle").first
        now, top = (float(handle.get_attribute(a)) for a in ("aria-valuenow", "aria-valuemax"))
        if key == "ArrowRight" and now >= top:
            key = "ArrowLeft"
        handle.focus()
        handle.press(key)

    def type_value(self, description, value):
        """Type ``value`` into a slider's readout and press Enter, as a student can."""
        readout = self.control(description).locator(".widget-readout").first
        readout.click()
        self.page.keyboard.press("Control+A")
        self.page.keyboard.type(str(value))
        self.page.keyboard.press("Enter")

    def choose(self, description, value):
        self.control(description).locator("select").first.select_option(str(value))

    def toggle(self, description):
        self.control(description).locator("input[type=checkbox]").first.click()

    # -- waiting ----------------------------------------------------------------------------
    def settle(self, draws_before, quiet_ms=400, timeout=60.0):
        """Wait until the kernel has drawn after ``draws_before`` and then nothing changes
        (no new draw, kernel idle) for ``quiet_ms``; return the new state."""
        deadline = time.monotonic() + timeout
        while self.state().get("draws", 0) <= draws_before:
            if time.monotonic() > deadline:
                raise TimeoutError(f"no redraw within {timeout} s")
            self.page.wait_for_timeout(20)
        last, since = self.state().get("draws"), time.monotonic()
        while time.monotonic() - since < quiet_ms / 1000:
            self.nb.wait_idle()
            now = self.state().get("draws")
            if now != last:
                last, since = now, time.monotonic()
            self.page.wait_for_timeout(25)
        return self.state()

    def act(self, do):
        """Do one input, wait until it has settled; return (state, kernel draws, browser
        figure changes, ms from the input event to the first figure change)."""
        before = self.state().get("draws", 0)
        seen = len(self.browser_draws())
        do()
        state = self.settle(before)
        changes = self.browser_draws()[seen:]
        t_input = self.page.evaluate("() => window.__gd.input")
        latency = changes[0]["t"] - t_input if changes else float("nan")
        return state, state["draws"] - before, len(changes), latency
