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

#: the loss curve's floor (``plotting.descent``): a log axis cannot show 0 or round-off
FLOOR = 1e-16

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
        """What the panel's title says; the final f − f* as the loss curve draws it: a gap below
        the curve's floor 1e-16 is drawn at the floor, and said to be below it (its digits are
        round-off, which another machine would print differently)."""
        if self.diverged_at is not None:
            verdict = f"diverged at step {self.diverged_at}"
        else:
            gap = self.losses[-1] - (self.problem.f_min or 0.0)
            verdict = f"f − f* < {FLOOR:.0e}" if gap < FLOOR else f"f − f* = {gap:.2e}"
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
    """The live widget: function menu, κ, log-learning-rate, steps and start point sliders.

    Choosing f resets the learning rate and the start point (and its sliders' range) to f's
    defaults with one redraw; κ is shown only for the 2-D quadratic, y₀ only in two dimensions.
    """
    import ipywidgets as w

    from ..plotting.descent import DescentPanel
    from ._live import live_figure

    problem = problem_for(function, float(kappa))
    start = (DEFAULTS[function]["start"] * 2)[:2]
    (x_lo, x_hi), (y_lo, y_hi) = problem.bounds * 2 if problem.dim == 1 else problem.bounds
    controls = {
        "function": w.Dropdown(options=FUNCTIONS, value=function, description="f"),
        "kappa": w.FloatLogSlider(value=kappa, base=10, min=0, max=3, step=0.05,
                                  description="κ"),
        "log10_lr": w.FloatSlider(value=DEFAULTS[function]["log10_lr"], min=-4.0, max=0.6,
                                  step=0.02, description="log₁₀ η", readout_format=".2f"),
        "steps": w.IntSlider(value=steps, min=1, max=300, description="steps"),
        "x": w.FloatSlider(value=start[0], min=x_lo, max=x_hi, step=0.05, description="x₀"),
        "y": w.FloatSlider(value=start[1], min=y_lo, max=y_hi, step=0.05, description="y₀"),
    }
    panels = {}  # (f, κ) → its panel: the contour background is the costly part, made once

    def defaults(values):
        """What choosing f resets: its learning rate, its start point and the box around it."""
        name = values["function"]
        (x_lo, x_hi), *rest = problem_for(name, values["kappa"]).bounds
        y_lo, y_hi = rest[0] if rest else (x_lo, x_hi)
        x0, y0 = (DEFAULTS[name]["start"] * 2)[:2]  # 1-D: y₀ is hidden and unused
        return {"log10_lr": DEFAULTS[name]["log10_lr"],
                "x": {"value": x0, "bounds": (x_lo, x_hi)},
                "y": {"value": y0, "bounds": (y_lo, y_hi)}}

    def acting(values):
        name = values["function"]
        shown = {"function", "log10_lr", "steps", "x"}
        if problem_for(name, values["kappa"]).dim == 2:
            shown.add("y")
        if name == "quadratic 2-D":
            shown.add("kappa")
        return shown

    def draw(function, kappa, log10_lr, steps, x, y):
        key = (function, kappa if function == "quadratic 2-D" else None)
        if key not in panels:
            panels[key] = DescentPanel(problem_for(function, kappa))
        run = explore(function, log10_lr, steps, (x, y), kappa)
        panels[key].update(run.xs, run.losses, run.diverged_at, run.title)
        return panels[key].fig

    first = DescentPanel(problem)
    panels[(function, kappa if function == "quadratic 2-D" else None)] = first
    return live_figure(first.fig, controls, draw,
                       rows=[["function", "kappa"], ["log10_lr", "steps"], ["x", "y"]],
                       reset={"function": defaults}, acting=acting,
                       description="Live explorer of gradient descent on the chosen f")
