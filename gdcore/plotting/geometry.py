"""Figures of the geometry of adaptive methods (part 5f): unit balls and their steepest
directions, iterates against the box ‖θ‖∞ ≤ 1/λ, and the singular values of Muon's update.

Every function takes computed arrays and only draws; the numbers behind a figure are printed
or asserted in the chapter.
"""

import matplotlib.pyplot as plt
import numpy as np

from gdcore.steepest import steepest_direction

from .base import color

__all__ = ["unit_balls", "box_paths", "singular_values"]

_BALLS = {"l2": ("$\\ell_2$", "#1f77b4", "-"), "linf": ("$\\ell_\\infty$", "#d62728", "--")}


def unit_balls(g, *, ax=None, title=None):
    """The ℓ2 and ℓ∞ unit balls in the plane with −g/‖g‖ (scaled to the ball) and the
    steepest-descent direction of each norm (:func:`gdcore.steepest.steepest_direction`)."""
    g = np.asarray(g, dtype=float)
    if g.shape != (2,):
        raise ValueError(f"g must have shape (2,), got {g.shape}")
    if ax is None:
        _, ax = plt.subplots(figsize=(4, 4))
    t = np.linspace(0, 2 * np.pi, 400)
    ax.plot(np.cos(t), np.sin(t), _BALLS["l2"][2], color=_BALLS["l2"][1], lw=1)
    ax.plot([1, -1, -1, 1, 1], [1, 1, -1, -1, 1], _BALLS["linf"][2], color=_BALLS["linf"][1],
            lw=1)
    for which, (label, c, _) in _BALLS.items():
        d = steepest_direction(g, which)
        ax.annotate("", xy=d, xytext=(0, 0), arrowprops={"arrowstyle": "->", "color": c,
                                                         "lw": 2})
        ax.plot(*d, "o", color=c, ms=4, label=f"steepest in {label}")
    ax.annotate("", xy=g / np.linalg.norm(g), xytext=(0, 0),
                arrowprops={"arrowstyle": "->", "color": "black", "lw": 1, "ls": ":"})
    ax.text(*(1.08 * g / np.linalg.norm(g)), "$g$", ha="center", va="center")
    ax.set_aspect("equal")
    ax.set(xlim=(-1.5, 1.5), ylim=(-1.5, 1.5), title=title)
    ax.legend(fontsize=7, loc="lower left")
    return ax


def box_paths(paths, bound, *, minimizer=None, ax=None, colors=None, title=None):
    """2-D iterates ``{name: xs (T + 1, n_starts, 2)}`` with the box ‖θ‖∞ ≤ ``bound`` and, if
    given, the unconstrained minimizer (a star)."""
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 4))
    b = float(bound)
    ax.plot([b, -b, -b, b, b], [b, b, -b, -b, b], color="black", lw=1,
            label=r"$\|\theta\|_\infty = 1/\lambda$")
    for name, xs in paths.items():
        xs = np.asarray(xs, dtype=float)
        c = (colors or {}).get(name) or color(name)
        for s in range(xs.shape[1]):
            ax.plot(xs[:, s, 0], xs[:, s, 1], "-", color=c, lw=0.8, alpha=0.7,
                    label=name if s == 0 else None)
            ax.plot(*xs[-1, s], "o", color=c, ms=3)
    if minimizer is not None:
        ax.plot(*minimizer, "*", color="black", ms=10, label="unconstrained minimizer")
    ax.set_aspect("equal")
    ax.set(xlabel=r"$\theta_1$", ylabel=r"$\theta_2$", title=title)
    ax.legend(fontsize=7)
    return ax


def singular_values(ratios, outputs, *, curve=None, band=None, ax=None, title=None):
    """Singular values of an orthogonalised update against the share σᵢ/‖B‖_F of the input's
    singular values (log x), with the map ``curve = (x, y)`` and a horizontal ``band``."""
    if ax is None:
        _, ax = plt.subplots(figsize=(5.5, 3.6))
    ax.semilogx(np.ravel(ratios), np.ravel(outputs), ".", color="#8c564b", ms=2, alpha=0.3,
                label="Muon update, every step and seed")
    if curve is not None:
        ax.semilogx(*curve, "-", color="black", lw=1, label="$p^{\\circ 5}(x)$")
    if band is not None:
        ax.axhspan(*band, color="grey", alpha=0.15, lw=0)
    ax.axhline(1.0, color="grey", lw=0.8, ls=":")
    ax.set(xlabel=r"$\sigma_i(\tilde B)/\|\tilde B\|_F$", ylabel="singular value of the update",
           title=title)
    ax.legend(fontsize=7, loc="upper left")
    return ax
