"""The live widgets as a student meets them: a real JupyterLab (from the venv, on a free localhost
port, throw-away configuration, a copy of the chapters) in headless Chromium.

For every chapter with a live widget: open it, run the cells the widget needs and the widget
cells, then move every slider and change every menu, and check after each input that
- the kernel drew exactly once and the figure in the page changed exactly once (nothing drawn
  twice: the browser's echo of a value it only snapped to the slider grid, or of an old value
  it clamped to new bounds, would be a second draw);
- a menu resets the controls that depend on it to the new choice's defaults, in the browser
  (the readouts) and in the kernel (the values of the last draw);
- the controls shown are exactly those that act on the current choice, with no empty rows and
  no label cut short;
- every log axis covers the curve it shows, and a title's number is the number drawn;
and, at the end, that no error or traceback is in the output area, the browser console or
JupyterLab's log console. ``tools``: ``tests/lab_session.py`` (shared with
``benchmarks/widget_latency.py``). Skipped without chromium/playwright, failed then under
``GDCORE_REQUIRE_BROWSER=1``.
"""

import math
import re
from pathlib import Path

import nbformat
import pytest
from lab_session import ROOT, SETUP, LiveWidget, Notebook, lab_server, require_browser, widget_cells

from gdcore.widgets import descent as wdescent
from gdcore.widgets import zoo as wzoo

# Console messages of JupyterLab itself that say nothing about the widgets.
HARMLESS_CONSOLE = re.compile(r"Disabling terminals plugin|Failed to fetch ipywidgets through "
                              r"the \"jupyter.widget.control\" comm channel")

DESCENT_LABELS = {"function": "f", "kappa": "κ", "log10_lr": "log₁₀ η", "steps": "steps",
                  "x": "x₀", "y": "y₀"}
ZOO_LABELS = {"name": "optimizer", "surface": "surface", "lr": "lr", "momentum": "momentum",
              "beta1": "beta1", "beta2": "beta2", "x": "x0[0]", "y": "x0[1]"}


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    require_browser(pytest)
    from lab_session import browser

    with lab_server(tmp_path_factory.mktemp("lab")) as (base, root), browser() as b:
        yield base, root, b


@pytest.fixture
def chapter(lab, request):
    """(notebook, [LiveWidget], messages) for one chapter, its widget cells run."""
    base, root, b = lab
    name = request.param
    ctx = b.new_context(viewport={"width": 1400, "height": 1000})
    page = ctx.new_page()
    page.set_default_timeout(60_000)
    messages = []
    page.on("console", lambda m: messages.append(f"{m.type}: {m.text}")
            if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: messages.append(f"pageerror: {e}"))
    nb = Notebook(page, base, name)
    setup, cells = widget_cells(root / name)
    errors = [e for i in setup + cells for e in nb.run(i)]
    assert not errors, f"{name}: errors while running the widget cells: {errors}"
    widgets = [LiveWidget(nb, i) for i in cells]
    yield nb, widgets, messages
    nb.shutdown()
    ctx.close()


def _close(a, b):
    return math.isclose(float(a), float(b), rel_tol=1e-2, abs_tol=6e-3)


def check_draw(w, do, what):
    """One input: exactly one kernel draw, exactly one figure change; axes cover the data."""
    state, draws, changes, _ = w.act(do)
    assert draws == 1, f"{what}: the kernel drew {draws} times"
    assert changes == 1, f"{what}: the figure in the page changed {changes} times"
    for axes in state["figure"]["log_axes"]:
        (lo, hi), (dmin, dmax) = axes["ylim"], axes["range"]
        assert lo <= dmin and dmax <= hi, f"{what}: data {dmin:.2g}…{dmax:.2g} outside the " \
                                          f"y-axis {lo:.2g}…{hi:.2g}"
    assert w.empty_rows() == 0, f"{what}: an empty row of controls"
    assert not w.truncated_labels(), f"{what}: labels cut short: {w.truncated_labels()}"
    return state


def check_shown_and_values(w, state, labels, acting, expected, what):
    """The visible controls are ``acting``; the browser and the kernel hold ``expected``."""
    assert sorted(w.visible_controls()) == sorted(labels[n] for n in acting), what
    for name, value in expected.items():
        assert _close(w.readout(labels[name]), value), \
            f"{what}: the browser shows {labels[name]} = {w.readout(labels[name])}, not {value}"
        assert _close(state["values"][name], value), \
            f"{what}: the kernel drew with {name} = {state['values'][name]}, not {value}"


def move_every_slider(w, what):
    for label in [lab for lab in w.visible_controls() if w.is_slider(lab)]:
        check_draw(w, lambda lab=label: w.step(lab), f"{what}: {label} one step")


def check_title_agrees(state, what):
    """The descent explorer's title: f − f* as the last point of the loss curve shows it."""
    title = state["figure"]["titles"][0]
    curve = state["figure"]["log_axes"][0]
    if "diverged" in title:
        return
    m = re.search(r"f − f\* (=|<) ([-+.\de]+)", title)
    assert m, f"{what}: no f − f* in the title {title!r}"
    if m.group(1) == "<":
        assert curve["last"] == float(m.group(2)), f"{what}: {title!r}, curve ends at " \
                                                    f"{curve['last']:.3g}"
    else:
        assert math.isclose(curve["last"], float(m.group(2)), rel_tol=6e-3), \
            f"{what}: {title!r} but the curve ends at {curve['last']:.3g}"


def no_errors(nb, widgets, messages):
    bad = [m for m in messages if not HARMLESS_CONSOLE.search(m)]
    assert not bad, f"browser console: {bad}"
    for w in widgets:
        text = w.area.inner_text()
        assert "Traceback" not in text and "Error" not in text, text[:500]
    assert nb.log_console_count() == 0, "messages in JupyterLab's log console"


def descent_case(w, what):
    state = w.state()
    assert state["draws"] == 1, f"{what}: {state['draws']} draws to build the widget"
    # every f, in an order where each switch comes from another f's (moved) state
    for function in [*wdescent.FUNCTIONS[::-1], wdescent.FUNCTIONS[1]]:
        if w.readout("f") == function:
            continue
        # move the start point off the default first: the reset must be visible
        check_draw(w, lambda: w.step("x₀"), f"{what}: x₀ before f → {function}")
        state = check_draw(w, lambda f=function: w.choose("f", f), f"{what}: f → {function}")
        problem = wdescent.problem_for(function, state["values"]["kappa"])
        x0, y0 = (wdescent.DEFAULTS[function]["start"] * 2)[:2]
        expected = {"log10_lr": wdescent.DEFAULTS[function]["log10_lr"], "x": x0}
        acting = {"function", "log10_lr", "steps", "x"}
        if problem.dim == 2:
            expected["y"] = y0
            acting.add("y")
        if function == "quadratic 2-D":
            acting.add("kappa")
        check_shown_and_values(w, state, DESCENT_LABELS, acting, expected, f"{what}: {function}")
        check_title_agrees(state, f"{what}: {function}")
        move_every_slider(w, f"{what}: {function}")
        check_title_agrees(w.state(), f"{what}: {function}, moved")


def zoo_case(w, what):
    assert w.state()["draws"] == 1
    for surface in [*list(wzoo.SURFACES)[1:], "rosenbrock"]:
        check_draw(w, lambda: w.step("x0[0]"), f"{what}: x0[0] before → {surface}")
        state = check_draw(w, lambda s=surface: w.choose("surface", s), f"{what}: → {surface}")
        x0, y0 = wzoo.SURFACES[surface][1]
        check_shown_and_values(w, state, ZOO_LABELS, wzoo.acting_controls(state["values"]["name"]),
                               {"x": x0, "y": y0}, f"{what}: {surface}")
    # straight from Rosenbrock's box to Himmelblau's start (−4.5 below Rosenbrock's y range)
    for surface in ["himmelblau", "rosenbrock", "himmelblau", "rosenbrock"]:
        state = check_draw(w, lambda s=surface: w.choose("surface", s), f"{what}: ⇒ {surface}")
        check_shown_and_values(w, state, ZOO_LABELS, wzoo.acting_controls(state["values"]["name"]),
                               dict(zip("xy", wzoo.SURFACES[surface][1], strict=True)),
                               f"{what}: {surface}")
    for name in ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adadelta", "adamw",
                 "amsgrad", "nadam", "adam"]:
        check_draw(w, lambda: w.step("lr"), f"{what}: lr before → {name}")
        state = check_draw(w, lambda n=name: w.choose("optimizer", n), f"{what}: → {name}")
        check_shown_and_values(w, state, ZOO_LABELS, wzoo.acting_controls(name),
                               wzoo.DEFAULTS[name], f"{what}: {name}")
        if name in ("momentum", "adam", "rmsprop"):
            move_every_slider(w, f"{what}: {name}")


def gradient_flow_case(w, what):
    assert w.state()["draws"] == 1
    move_every_slider(w, what)
    for activation in ["relu", "tanh", "sigmoid"]:
        check_draw(w, lambda a=activation: w.choose("activation", a), f"{what}: {activation}")
    for init in ["he_normal", "standard", "xavier_normal"]:
        check_draw(w, lambda i=init: w.choose("init", i), f"{what}: {init}")
    check_draw(w, lambda: w.toggle("residual"), f"{what}: residual")
    # the case: relu + He + residual at depth 30, gradients far above 1e4
    check_draw(w, lambda: w.choose("activation", "relu"), f"{what}: relu")
    check_draw(w, lambda: w.choose("init", "he_normal"), f"{what}: he_normal")
    check_draw(w, lambda: w.type_value("depth", 30), f"{what}: depth 30")
    state = w.state()
    assert state["values"] == {"depth": 30, "activation": "relu", "init": "he_normal",
                               "residual": True}
    ratio = float(re.search(r"= ([-+.\de]+)$", state["figure"]["titles"][0]).group(1))
    assert math.isclose(ratio, state["figure"]["log_axes"][0]["first"], rel_tol=0.06)


def sliders_case(w, what):
    assert w.state()["draws"] == 1
    move_every_slider(w, what)
    move_every_slider(w, what)


CASES = {
    "01_derivatives.ipynb": [sliders_case],
    "02_directional_derivatives.ipynb": [sliders_case],
    "03_gradient_descent.ipynb": [descent_case],
    "03c_nonconvex_newton.ipynb": [descent_case],
    "04b_vanishing_exploding.ipynb": [gradient_flow_case],
    "05b_adam_schedules.ipynb": [zoo_case],
}
assert set(CASES) == set(SETUP)


@pytest.mark.lab
@pytest.mark.parametrize("chapter", list(CASES), indirect=True)
def test_live_widgets_in_jupyterlab(chapter, request):
    nb, widgets, messages = chapter
    name = request.node.callspec.params["chapter"]
    assert len(widgets) == len(CASES[name]), f"{name}: {len(widgets)} live widgets"
    for w, case in zip(widgets, CASES[name], strict=True):
        case(w, name)
    no_errors(nb, widgets, messages)


@pytest.mark.parametrize("name", list(CASES))
def test_committed_widget_output_says_what_it_is(name):
    """Without a kernel (GitHub, nbviewer, a lab before running), a widget cell's committed
    output is one line saying what the widget does and that running the cell makes it live."""
    nb = nbformat.read(ROOT / "chapters" / name, as_version=4)
    _, cells = widget_cells(ROOT / "chapters" / name)
    assert cells
    for i in cells:
        texts = [o["data"].get("text/plain", "") for o in nb.cells[i].outputs
                 if o.get("output_type") == "execute_result"]
        assert len(texts) == 1, f"{name} cell {i}: {len(texts)} results"
        text = texts[0]
        assert "\n" not in text.strip() and "VBox(" not in text and "HBox(" not in text, \
            f"{name} cell {i}: {text[:80]!r}"
        assert text.startswith("Live explorer of ") and "run this cell to use it" in text, text


def test_setup_patterns_find_their_cells():
    for name in SETUP:
        setup, cells = widget_cells(Path(ROOT / "chapters" / name))
        assert setup and cells, name
