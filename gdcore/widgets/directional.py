r"""Chapter 2's live widget: a point x, a direction angle, and what the gradient says there.

:func:`directional_view` is the computation (plain numpy, tested against closed forms);
:func:`directional_widget` only wires sliders to it and moves the artists of
:func:`gdcore.plotting.directional.directional_figure`.

    u = (cos α, sin α),   D_u f(x) = ∇f(x)·u = ‖∇f(x)‖ cos ψ (ψ the angle between u and ∇f),
    the line x + t u and the tangent φ(0) + t D_u f of the slice φ(t) = f(x + t u).
"""

from typing import NamedTuple

import numpy as np

from ._live import live_figure

__all__ = ["DirectionalView", "directional_view", "directional_widget"]


class DirectionalView(NamedTuple):
    """Everything the figure shows for one point and one direction."""

    x: np.ndarray          # the point, (2,)
    angle_deg: float       # direction of u, degrees from the x₁-axis
    u: np.ndarray          # unit direction (cos α, sin α), (2,)
    grad: np.ndarray       # ∇f(x), (2,)
    grad_unit: np.ndarray  # ∇f(x)/‖∇f(x)‖ ((0, 0) where ∇f = 0), (2,)
    slope: float           # D_u f(x) = ∇f(x)·u
    theta_deg: float       # angle between u and ∇f(x), in [0, 180]
    fx: float              # f(x)
    t: np.ndarray          # distances along u, (n,)
    line: np.ndarray       # x + t u, (n, 2)
    heights: np.ndarray    # φ(t) = f(x + t u), (n,)
    tangent: np.ndarray    # g(0) + t D_u f(x), (n,)


def directional_view(problem, x, angle_deg, *, span=1.5, n=121):
    r"""The directional derivative of ``problem`` at ``x`` along the unit vector at
    ``angle_deg`` degrees, with the line x + t u and the slice for t in [−span, span]."""
    x = np.asarray(x, dtype=float)
    if x.shape != (2,):
        raise ValueError(f"x must have shape (2,), got {x.shape}")
    alpha = np.radians(angle_deg)
    u = np.array([np.cos(alpha), np.sin(alpha)])
    grad = np.asarray(problem.grad(x), dtype=float)
    norm = float(np.linalg.norm(grad))
    grad_unit = grad / norm if norm > 0 else np.zeros(2)
    slope = float(grad @ u)
    # arccos of a clipped cosine: rounding can push |cos θ| a hair above 1.
    theta = float(np.degrees(np.arccos(np.clip(grad_unit @ u, -1.0, 1.0)))) if norm > 0 else 90.0
    t = np.linspace(-span, span, n)
    line = x + t[:, None] * u
    fx = float(problem.f(x))
    return DirectionalView(x=x, angle_deg=float(angle_deg), u=u, grad=grad, grad_unit=grad_unit,
                           slope=slope, theta_deg=theta, fx=fx, t=t, line=line,
                           heights=np.asarray(problem.f(line), dtype=float),
                           tangent=fx + slope * t)


def directional_widget(problem, x=(1.0, 1.0), angle_deg=0.0, *, span=1.5):
    """Sliders for the point (x₁, x₂) and the angle of u; returns the ipywidgets box.

    The figure is built once; each slider move recomputes :func:`directional_view` and moves the
    artists, then shows the same figure again in an ``Output`` area (this works with the plain
    inline backend, no ipympl needed).
    """
    import ipywidgets as widgets

    from ..plotting.directional import directional_figure

    (x_lo, x_hi), (y_lo, y_hi) = problem.bounds
    fig, update = directional_figure(problem, directional_view(problem, x, angle_deg, span=span))
    sliders = {
        "x1": widgets.FloatSlider(value=x[0], min=x_lo, max=x_hi, step=0.05, description="x₁"),
        "x2": widgets.FloatSlider(value=x[1], min=y_lo, max=y_hi, step=0.05, description="x₂"),
        "angle": widgets.FloatSlider(value=angle_deg, min=0, max=360, step=5,
                                     description="angle of u (°)",
                                     style={"description_width": "initial"}),
    }

    def draw(x1, x2, angle):
        update(directional_view(problem, (x1, x2), angle, span=span))

    return live_figure(fig, sliders, draw,
                       description="Live explorer of the directional derivative")
