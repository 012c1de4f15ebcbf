"""The optimizer explorer of Chapter 5: pick an optimizer, its hyperparameters, a surface and a
start point; see the trajectory and the loss curve.

``trajectory(...)`` does the computation (problem → optimizer → ``gd.descend`` → ``Trace``) and is
tested on its own; ``explorer()`` only wires ipywidgets to it and moves matplotlib artists.
"""

import numpy as np

from .. import functions, optimizers
from ..descent import descend
from ._live import live_figure

__all__ = ["SURFACES", "DEFAULTS", "hyperparameters", "acting_controls", "trajectory", "explorer"]

#: name → (problem constructor, default start point)
SURFACES = {
    "rosenbrock": (functions.rosenbrock, (-1.5, 2.5)),
    "beale": (functions.beale, (1.0, 1.4)),
    "himmelblau": (functions.himmelblau, (0.0, -4.5)),
    "saddle": (functions.saddle, (-1.5, 0.05)),  # just off the ridge, on the sliders' grid
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


#: the sliders' values when an optimizer is chosen: a learning rate that neither diverges nor
#: stalls on Rosenbrock in 200 steps, on the lr slider's grid 10^(k/10) (2.0e-3, 0.50, 0.050),
#: and torch.optim's momentum and betas
DEFAULTS = {
    "sgd": {"lr": 10 ** -2.7}, "momentum": {"lr": 1e-3, "momentum": 0.9},
    "nesterov": {"lr": 1e-3, "momentum": 0.9}, "adagrad": {"lr": 10 ** -0.3},
    "rmsprop": {"lr": 0.01, "momentum": 0.0}, "adadelta": {"lr": 1.0},
    **{name: {"lr": 10 ** -1.3, "beta1": 0.9, "beta2": 0.999}
       for name in ("adam", "adamw", "amsgrad", "nadam")},
}


def acting_controls(name):
    """The explorer's controls that change the run of optimizer ``name`` (the others are hidden):
    the menus, lr and the start point always; momentum and the betas only where they exist."""
    name = name.lower()
    shown = {"name", "surface", "lr", "x", "y"}
    if name in _MOMENTUM:
        shown.add("momentum")
    if name in _BETAS:
        shown |= {"beta1", "beta2"}
    return shown


def explorer(steps=200):
    """Live widget: optimizer, lr, momentum, betas, surface and start point → path and loss.

    The figure is built once (``plotting.zoo.explorer_figure``); every change recomputes
    :func:`trajectory` and moves its artists (``live_figure``). Choosing an optimizer resets its
    hyperparameters to :data:`DEFAULTS` and shows only the sliders it has; choosing a surface
    moves the start point to the surface's own, inside its box.
    """
    import ipywidgets as w  # imported here: the numeric core must not need ipywidgets

    from ..plotting.zoo import explorer_figure

    style = {"description_width": "80px"}  # room for "momentum" and "optimizer"
    choices = [n for n in optimizers.NAMES if n != "sgld"]  # SGLD samples; it has its own section
    first, name = "rosenbrock", "adam"
    (x_lo, x_hi), (y_lo, y_hi) = SURFACES[first][0]().bounds
    hyper = {"momentum": 0.9, "beta1": 0.9, "beta2": 0.999, **DEFAULTS[name]}
    controls = {
        "name": w.Dropdown(options=choices, value=name, description="optimizer", style=style),
        "surface": w.Dropdown(options=list(SURFACES), value=first, description="surface",
                              style=style),
        "lr": w.FloatLogSlider(value=hyper["lr"], base=10, min=-4, max=0.5, step=0.1,
                               description="lr", style=style),
        "momentum": w.FloatSlider(value=hyper["momentum"], min=0.0, max=0.99, step=0.01,
                                  description="momentum", style=style),
        "beta1": w.FloatSlider(value=hyper["beta1"], min=0.0, max=0.99, step=0.01,
                               description="beta1", style=style),
        "beta2": w.FloatSlider(value=hyper["beta2"], min=0.9, max=0.9999, step=0.0001,
                               readout_format=".4f", description="beta2", style=style),
        "x": w.FloatSlider(value=SURFACES[first][1][0], min=x_lo, max=x_hi, step=0.05,
                           description="x0[0]", style=style),
        "y": w.FloatSlider(value=SURFACES[first][1][1], min=y_lo, max=y_hi, step=0.05,
                           description="x0[1]", style=style),
    }

    def new_optimizer(values):
        return dict(DEFAULTS[values["name"]])

    def new_surface(values):
        (x_lo, x_hi), (y_lo, y_hi) = SURFACES[values["surface"]][0]().bounds
        x0, y0 = SURFACES[values["surface"]][1]
        return {"x": {"value": x0, "bounds": (x_lo, x_hi)},
                "y": {"value": y0, "bounds": (y_lo, y_hi)}}

    problem, trace = trajectory(name, first, steps=steps, **{k: hyper[k] for k in (
        "lr", "momentum", "beta1", "beta2")})
    fig, update = explorer_figure(problem, trace, name)

    def draw(name, surface, lr, momentum, beta1, beta2, x, y):
        update(*trajectory(name, surface, lr, momentum, beta1, beta2, (x, y), steps), name)

    return live_figure(fig, controls, draw,
                       rows=[["name", "surface"], ["lr", "momentum"], ["beta1", "beta2"],
                             ["x", "y"]],
                       reset={"name": new_optimizer, "surface": new_surface},
                       acting=lambda values: acting_controls(values["name"]),
                       description="Live explorer of the optimizers on 2-D surfaces")
