"""The optimizer explorer of Chapter 5: pick an optimizer, its hyperparameters, a surface and a
start point; see the trajectory and the loss curve.

``trajectory(...)`` does the computation (problem → optimizer → ``gd.descend`` → ``Trace``) and is
tested on its own; ``explorer()`` only wires ipywidgets to it and moves matplotlib artists.
"""

import numpy as np

from .. import functions, optimizers
from ..descent import descend

__all__ = ["SURFACES", "hyperparameters", "trajectory", "explorer"]

#: name → (problem constructor, default start point)
SURFACES = {
    "rosenbrock": (functions.rosenbrock, (-1.5, 2.5)),
    "beale": (functions.beale, (1.0, 1.4)),
    "himmelblau": (functions.himmelblau, (0.0, -4.5)),
    "saddle": (functions.saddle, (-1.5, 1e-3)),
    "ill-conditioned quadratic": (lambda: functions.quadratic(np.diag([1.0, 20.0])), (-1.8, 0.9)),
}

_MOMENTUM = {"momentum", "nesterov", "rmsprop"}
_BETAS = {"adam", "adamw", "amsgrad", "nadam"}


def hyperparameters(name, lr, momentum=0.9, beta1=0.9, beta2=0.999):
    """The keyword arguments that ``optimizers.by_name(name, ...)`` takes from the sliders.

    Only the hyperparameters the optimizer has are passed: momentum for SGD-momentum, Nesterov
    and RMSprop (RMSprop's heavy-ball option), betas for the Adam family.
    """
    name = name.lower()
    if name not in optimizers.NAMES:
        raise ValueError(f"Unknown optimizer {name!r}; valid names: {', '.join(optimizers.NAMES)}")
    kwargs = {"lr": lr}
    if name in _MOMENTUM:
        kwargs["momentum"] = momentum
    if name in _BETAS:
        kwargs["betas"] = (beta1, beta2)
    return kwargs


def trajectory(name="adam", surface="rosenbrock", lr=0.05, momentum=0.9, beta1=0.9,
               beta2=0.999, x0=None, steps=200):
    """Run optimizer ``name`` on ``surface`` from ``x0`` (default: the surface's start point).

    Returns ``(problem, trace)``; the trace of a diverging run is NaN after the blow-up, as
    ``gd.descend`` records it (the saddle, which has no minimum, never counts as diverged).
    """
    if surface not in SURFACES:
        raise ValueError(f"Unknown surface {surface!r}; valid: {', '.join(SURFACES)}")
    make, start = SURFACES[surface]
    problem = make()
    x0 = np.asarray(start if x0 is None else x0, dtype=float)
    opt = optimizers.by_name(name, **hyperparameters(name, lr, momentum, beta1, beta2))
    blowup = None if surface == "saddle" else 1e6
    return problem, descend(problem, x0, opt, int(steps), blowup=blowup)


def explorer(steps=200):  # pragma: no cover - needs a live kernel to be useful
    """Live widget: optimizer, lr, momentum, betas, surface and start point → path and loss."""
    import ipywidgets as w
    import matplotlib.pyplot as plt

    from ..plotting.base import color, path
    from ..plotting.zoo import surface as draw_surface

    style = {"description_width": "90px"}
    choices = [n for n in optimizers.NAMES if n != "sgld"]  # SGLD samples; it has its own section
    name = w.Dropdown(options=choices, value="adam", description="optimizer", style=style)
    surf = w.Dropdown(options=list(SURFACES), value="rosenbrock", description="surface",
                      style=style)
    lr = w.FloatLogSlider(value=0.05, base=10, min=-4, max=0.5, step=0.1, description="lr",
                          style=style)
    mom = w.FloatSlider(value=0.9, min=0.0, max=0.99, step=0.01, description="momentum",
                        style=style)
    b1 = w.FloatSlider(value=0.9, min=0.0, max=0.99, step=0.01, description="beta1", style=style)
    b2 = w.FloatLogSlider(value=0.999, base=10, min=-0.05, max=-0.0001, step=0.0005,
                          description="beta2", style=style)
    sx = w.FloatSlider(value=-1.5, min=-5, max=5, step=0.05, description="x0[0]", style=style)
    sy = w.FloatSlider(value=2.5, min=-5, max=5, step=0.05, description="x0[1]", style=style)
    out = w.Output()

    def redraw(*_):
        problem, trace = trajectory(name.value, surf.value, lr.value, mom.value, b1.value,
                                    b2.value, (sx.value, sy.value), steps)
        with out:
            out.clear_output(wait=True)
            fig, (ax0, ax1) = plt.subplots(1, 2, figsize=(9, 3.6))
            draw_surface(problem, ax=ax0, n=120)
            path(ax0, trace.xs, color=color(name.value), label=name.value)
            f_min = problem.f_min
            ax1.plot(trace.losses - (f_min or 0.0), color=color(name.value))
            if f_min is not None:
                ax1.set_yscale("log")
            ax1.set(xlabel="step", ylabel="f - f*" if f_min is not None else "f",
                    title="diverged" if trace.diverged else f"final f = {trace.final_loss:.3g}")
            fig.tight_layout()
            plt.show()

    def new_surface(change):
        sx.value, sy.value = SURFACES[change["new"]][1]

    surf.observe(new_surface, names="value")
    for widget in (name, surf, lr, mom, b1, b2, sx, sy):
        widget.observe(redraw, names="value")
    redraw()
    controls = w.VBox([name, surf, lr, mom, b1, b2, sx, sy])
    return w.HBox([controls, out])
