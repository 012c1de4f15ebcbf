"""Time the compute part of the chapter-3 explorer's callback (goal: ≤ 30 ms per call).

Usage: .venv/bin/python benchmarks/widget_callback.py

The callback of ``gd.widgets.descent.descent_explorer`` runs ``explore`` (problem → SGD →
``descend``) and then moves artists; this measures ``explore`` alone, for each function at the
widget's default (50) and maximum (300) step counts, and separately the artist update of the panel
and the PNG the widget sends to the browser (``benchmarks/widget_latency.py`` measures the whole
round trip in a real JupyterLab).
"""

import time

import numpy as np

from gdcore.widgets.descent import FUNCTIONS, explore

GOAL_MS = 30.0


def best_of(fn, repeat=7):
    """Minimum wall time of ``fn()`` over ``repeat`` calls, in milliseconds (after a warm-up)."""
    fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return 1e3 * min(times)


def main():
    worst = 0.0
    print(f"{'function':16s} {'steps':>6s} {'explore (ms)':>13s}")
    for function in FUNCTIONS:
        for steps in (50, 300):
            ms = best_of(lambda f=function, s=steps: explore(f, None, s))
            worst = max(worst, ms)
            print(f"{function:16s} {steps:6d} {ms:13.2f}")
    try:
        import matplotlib

        matplotlib.use("Agg")
        from gdcore.plotting.descent import DescentPanel

        run = explore("rosenbrock", -3.0, 300)
        panel = DescentPanel(run.problem)
        ms = best_of(lambda: panel.update(run.xs, run.losses, run.diverged_at, run.title))
        print(f"{'panel.update':16s} {300:6d} {ms:13.2f}   (moving artists, no redraw)")
        from gdcore.widgets._live import _png_bundle

        ms = best_of(lambda: _png_bundle(panel.fig, ""))
        print(f"{'PNG of figure':16s} {300:6d} {ms:13.2f}   (what the widget sends the browser)")
    except ImportError:
        pass
    verdict = "within" if worst <= GOAL_MS else "ABOVE"
    print(f"worst explore call: {worst:.2f} ms — {verdict} the {GOAL_MS:.0f} ms goal")
    return 0 if worst <= GOAL_MS else 1


if __name__ == "__main__":
    np.seterr(all="ignore")
    raise SystemExit(main())
