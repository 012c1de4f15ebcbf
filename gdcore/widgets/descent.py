"""Live explorer of chapter 3: gradient descent on a chosen function with a chosen step size.

The computation is :func:`explore`, a plain function (problem → SGD → ``descend`` → Trace) that
the tests and ``benchmarks/widget_callback.py`` call directly; :func:`descent_explorer` only wires
sliders to it and moves the artists of a :class:`gdcore.plotting.descent.DescentPanel`.
ipywidgets is imported inside the function that builds the widget.
"""

from functools import lru_cache
from typing import NamedTuple

import numpy as np

from .. import descent, functions, optimizers

__all__ = ["FUNCTIONS", "DEFAULTS", "Exploration", "problem_for", "explore", "descent_explorer"]

FUNCTIONS = ("quadratic 1-D", "quadratic 2-D", "rosenbrock", "himmelblau")

# Per function: a start point and a log10 learning rate that show something instructive.
DEFAULTS = {
    "quadratic 1-D": {"start": (1.8,), "log10_lr": -0.1},
    "quadratic 2-D": {"start": (-1.6, 1.2), "log10_lr": 0.0},
    "rosenbrock": {"start": (-1.2, 1.0), "log10_lr": -3.0},
    "himmelblau": {"start": (0.0, 0.0), "log10_lr": -2.0},
}


@lru_cache(maxsize=32)
def problem_for(function, kappa=10.0):
    """The problem behind a menu entry. The 2-D quadratic has eigenvalues μ = 1/κ and L = 1 along
    axes rotated by 30°, so that 2/L = 2 stays put while κ changes how slowly GD creeps."""
    if function == "quadratic 1-D":
        return functions.quadratic([[1.0]])
    if function == "quadratic 2-D":
        if not kappa >= 1:
            raise ValueError(f"kappa must be ≥ 1, got {kappa}")
        c, s = np.cos(np.pi / 6), np.sin(np.pi / 6)
        R = np.array([[c, -s], [s, c]])
        A = R @ np.diag([1.0 / kappa, 1.0]) @ R.T
        return functions.quadratic((A + A.T) / 2)
    if function == "rosenbrock":
        return functions.rosenbrock()
    if function == "himmelblau":
        return functions.himmelblau()
    raise ValueError(f"function must be one of {FUNCTIONS}, got {function!r}")


class Exploration(NamedTuple):
    """One run of the explorer: the trajectory (NaN after divergence), losses, and the step at
    which the run diverged (None if it did not)."""

    problem: functions.Problem
    lr: float
    xs: np.ndarray
    losses: np.ndarray
    diverged_at: int | None

    @property
    def title(self):
        verdict = (f"diverged at step {self.diverged_at}" if self.diverged_at is not None
                   else f"f − f* = {self.losses[-1] - (self.problem.f_min or 0.0):.2e}")
        return f"{self.problem.name}, η = {self.lr:.3g}: {verdict}"


def explore(function="quadratic 2-D", log10_lr=None, steps=50, start=None, kappa=10.0):
    """Run plain gradient descent x_{k+1} = x_k − η ∇f(x_k), η = 10^log10_lr, from ``start``.

    Divergence (non-finite values or f beyond 10⁶ × its start) stops the run; it is returned
    as ``diverged_at`` instead of producing overflow warnings.
    """
    problem = problem_for(function, float(kappa))
    default = DEFAULTS[function]
    log10_lr = default["log10_lr"] if log10_lr is None else float(log10_lr)
    start = default["start"] if start is None else start
    x0 = np.asarray(start, dtype=float)[: problem.dim]
    lr = 10.0 ** log10_lr
    trace = descent.descend(problem, x0, optimizers.SGD(lr=lr), int(steps))
    diverged_at = int(trace.steps_taken) if bool(trace.diverged) else None
    return Exploration(problem, lr, trace.xs, trace.losses, diverged_at)


def descent_explorer(function="quadratic 2-D", *, steps=50, kappa=10.0):
    """The live widget: function menu, κ, log-learning-rate, steps and start point sliders."""
    import ipywidgets as w
    from IPython.display import display

    from ..plotting.descent import DescentPanel

    menu = w.Dropdown(options=FUNCTIONS, value=function, description="f")
    kappa_s = w.FloatLogSlider(value=kappa, base=10, min=0, max=3, step=0.05, description="κ")
    lr_s = w.FloatSlider(value=DEFAULTS[function]["log10_lr"], min=-4.0, max=0.6, step=0.02,
                         description="log₁₀ η", readout_format=".2f")
    steps_s = w.IntSlider(value=steps, min=1, max=300, description="steps")
    x_s = w.FloatSlider(description="x₀", min=-2, max=2, step=0.05)
    y_s = w.FloatSlider(description="y₀", min=-2, max=2, step=0.05)
    out = w.Output()
    current = {"key": None, "panel": None, "busy": False}

    def set_start_sliders(name):
        problem = problem_for(name, kappa_s.value)
        for s, (lo, hi), v in zip((x_s, y_s), problem.bounds * 2, DEFAULTS[name]["start"] * 2,
                                  strict=False):
            s.min, s.max = -1e9, 1e9  # widen first so that setting min/max never clamps value
            s.min, s.max, s.value = lo, hi, v
        y_s.layout.visibility = "visible" if problem.dim == 2 else "hidden"
        kappa_s.layout.visibility = "visible" if name == "quadratic 2-D" else "hidden"
        lr_s.value = DEFAULTS[name]["log10_lr"]

    def redraw(*_):
        if current["busy"]:
            return
        key = (menu.value, kappa_s.value if menu.value == "quadratic 2-D" else None)
        if key != current["key"]:
            # A new function or κ: new contour background (the costly part), once.
            current["panel"] = DescentPanel(problem_for(menu.value, kappa_s.value))
            current["key"] = key
        run = explore(menu.value, lr_s.value, steps_s.value, (x_s.value, y_s.value),
                      kappa_s.value)
        panel = current["panel"]
        panel.update(run.xs, run.losses, run.diverged_at, run.title)
        with out:
            out.clear_output(wait=True)
            display(panel.fig)

    def on_menu(change):
        current["busy"] = True  # one redraw for the whole change, not one per slider moved
        try:
            set_start_sliders(change["new"])
        finally:
            current["busy"] = False
        redraw()

    set_start_sliders(function)
    menu.observe(on_menu, names="value")
    for s in (kappa_s, lr_s, steps_s, x_s, y_s):
        s.observe(redraw, names="value")
    redraw()
    controls = w.VBox([menu, kappa_s, lr_s, steps_s, x_s, y_s])
    return w.HBox([controls, out])
