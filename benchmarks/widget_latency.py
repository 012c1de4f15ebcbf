"""Latency of the live widgets as a student feels it: from an input event in the browser to the
redrawn figure in the page, in a real JupyterLab (goal: ≤ 150 ms per slider step, ≤ 300 ms per
menu change, median of ≥ 10 inputs per widget and control, on this 2-core machine).

Usage: .venv/bin/python benchmarks/widget_latency.py [--repeat 10] [chapter.ipynb ...]

The server, browser and widget driver are those of ``tests/test_lab.py`` (``tests/lab_session.py``):
JupyterLab from the venv on a free localhost port with a throw-away configuration and a copy of
the chapters, headless Debian chromium. The time of an input is taken by a capturing listener in
the page, the time of the redraw by a MutationObserver on the widget's output (the image's src
changes); the kernel's compute, the PNG, the comm messages and the browser's rendering are all in.
Not a timed test: it prints a table and exits 1 when a median misses its goal.
"""

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from lab_session import SETUP, LiveWidget, Notebook, browser, lab_server, widget_cells  # noqa: E402

GOAL_MS = {"slider": 150.0, "menu": 300.0}

#: per chapter: (setting up, [(control, kind, inputs)]); a menu alternates between its options
PLAN = {
    "01_derivatives.ipynb": [("log₁₀ h", "slider", None)],
    "02_directional_derivatives.ipynb": [("x₁", "slider", None), ("x₂", "slider", None),
                                         ("angle of u (°)", "slider", None)],
    "03_gradient_descent.ipynb": [
        ("f", "menu", ["rosenbrock", "quadratic 2-D"]), ("κ", "slider", None),
        ("log₁₀ η", "slider", None), ("steps", "slider", None), ("x₀", "slider", None),
        ("y₀", "slider", None)],
    "03c_nonconvex_newton.ipynb": [
        ("f", "menu", ["himmelblau", "rosenbrock"]), ("log₁₀ η", "slider", None),
        ("steps", "slider", None), ("x₀", "slider", None), ("y₀", "slider", None)],
    "04b_vanishing_exploding.ipynb": [
        ("depth", "slider", None), ("activation", "menu", ["relu", "sigmoid"]),
        ("init", "menu", ["he_normal", "xavier_normal"]), ("residual", "checkbox", None)],
    "05b_adam_schedules.ipynb": [
        ("surface", "menu", ["himmelblau", "rosenbrock"]), ("lr", "slider", None),
        ("beta1", "slider", None), ("beta2", "slider", None), ("x0[0]", "slider", None),
        ("x0[1]", "slider", None), ("optimizer", "menu", ["momentum", "adam"]),
        ("optimizer=momentum", "setup", None), ("momentum", "slider", None)],
}


def measure(widget, control, kind, options, repeat):
    """Latencies (ms) of ``repeat`` inputs to one control, each waited out before the next."""
    times = []
    for k in range(repeat):
        if kind == "slider":
            def do():
                widget.step(control)
        elif kind == "checkbox":
            def do():
                widget.toggle(control)
        else:
            option = options[k % len(options)]

            def do(option=option):
                widget.choose(control, option)
        _, draws, changes, ms = widget.act(do)
        if draws != 1 or changes != 1:
            raise AssertionError(f"{control}: {draws} kernel draws, {changes} figure changes")
        times.append(ms)
    return times


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("chapters", nargs="*", default=list(PLAN))
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory(prefix="widget-latency-") as tmp, \
            lab_server(tmp, chapters=tuple(SETUP)) as (base, root), browser() as b:
        for name in args.chapters:
            page = b.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(60_000)
            nb = Notebook(page, base, name)
            setup, cells = widget_cells(root / name)
            for i in setup + cells:
                nb.run(i)
            widget = LiveWidget(nb, cells[0])
            for control, kind, options in PLAN[name]:
                if kind == "setup":
                    menu, value = control.split("=")
                    widget.act(lambda w=widget, m=menu, v=value: w.choose(m, v))
                    continue
                times = measure(widget, control, kind, options, args.repeat)
                goal = GOAL_MS["slider" if kind == "slider" else "menu"]
                rows.append((name.removesuffix(".ipynb"), control, kind,
                             statistics.median(times), max(times), goal))
            nb.shutdown()
            page.close()
    print(f"{'chapter':28s} {'control':16s} {'kind':9s} {'median ms':>9s} {'max ms':>7s}"
          f" {'goal':>5s}")
    for chapter, control, kind, med, top, goal in rows:
        flag = "" if med <= goal else "  ABOVE GOAL"
        print(f"{chapter:28s} {control:16s} {kind:9s} {med:9.0f} {top:7.0f} {goal:5.0f}{flag}")
    missed = [r for r in rows if r[3] > r[5]]
    print(f"{len(rows) - len(missed)} of {len(rows)} controls within their goal "
          f"(median of {args.repeat} inputs each)")
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
