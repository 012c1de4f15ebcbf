"""Figures of the line-search and L-BFGS section.

- :func:`armijo_ray`: φ(t) = f(x + t d) along one direction, its tangent f(x) + t ∇fᵀd, the
  Armijo line f(x) + c₁ t ∇fᵀd, and the backtracking trials (rejected hollow, accepted filled).
- :func:`step_sizes`: the accepted step sizes η_k of runs against k, with reference levels
  (1/L, 2/L) as horizontal lines.
- :func:`per_iteration_and_evaluation`: f − f* of several methods against the iteration and
  against the number of gradient evaluations, side by side.
"""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from .base import color

# L-BFGS has no colour in base.COLORS yet: one not used by another optimizer.
LBFGS = "#8c6d31"

__all__ = ["armijo_ray", "step_sizes", "per_iteration_and_evaluation"]


def armijo_ray(t, phi, f0, slope, c1, trials, accepted, *, ax=None, title=None) -> Figure:
    """φ(t) on the grid ``t`` with the tangent and the Armijo line; ``trials`` (the steps tried,
    in order) marked on φ, the ``accepted`` one filled."""
    if ax is None:
        fig, ax = plt.subplots(figsize=(6.0, 3.4), constrained_layout=True)
    fig = ax.figure
    t = np.asarray(t, dtype=float)
    ax.plot(t, phi(t), color="#1f77b4", label=r"$\varphi(t) = f(x + t d)$")
    ax.plot(t, f0 + t * slope, ":", color="#555555", label=r"tangent $f(x) + t\,\nabla f^\top d$")
    ax.plot(t, f0 + c1 * t * slope, "--", color="#d62728",
            label=rf"Armijo line, $c_1 = {c1:g}$")
    trials = np.asarray(trials, dtype=float)
    rejected = trials[trials != accepted]
    ax.plot(rejected, phi(rejected), "o", mfc="none", color="#d62728", label="rejected trials")
    ax.plot([accepted], [phi(np.array([accepted]))[0]], "o", color="#2ca02c",
            label="accepted step")
    ax.set_xlabel("step $t$")
    ax.set_ylabel(r"$\varphi(t)$")
    # Show every trial: the first ones of a long backtracking are far up the parabola.
    low, top = np.nanmin(phi(t)), max(f0, np.nanmax(phi(trials)))
    ax.set_ylim(low - 0.05 * (top - low), top + 0.1 * (top - low))
    ax.legend(fontsize=8, loc="upper left")
    if title:
        ax.set_title(title)
    return fig


def step_sizes(runs, *, levels=(), ax=None, title=None, ylabel=r"accepted step $\eta_k$"
               ) -> Figure:
    """``runs``: list of (label, η_k array, colour name); ``levels``: list of (label, value)
    drawn as horizontal lines. Log y axis."""
    if ax is None:
        fig, ax = plt.subplots(figsize=(6.0, 3.2), constrained_layout=True)
    fig = ax.figure
    for label, etas, name in runs:
        ax.semilogy(np.arange(len(etas)), etas, ".", color=_color(name) if name else None,
                    label=label, markersize=4)
    for i, (label, value) in enumerate(levels):
        ax.axhline(value, color="#555555", ls=("--", ":", "-.")[i % 3], lw=1, label=label)
    ax.set_xlabel("step $k$")
    ax.set_ylabel(ylabel)
    ax.legend(fontsize=8)
    if title:
        ax.set_title(title)
    return fig


def _color(name):
    if name == "lbfgs":
        return LBFGS
    return name if name.startswith("#") else color(name)


def per_iteration_and_evaluation(curves, *, floor=None, title=None) -> Figure:
    """``curves``: list of (label, gap_k, evaluations_k, colour name) with gap_k = f(x_k) − f*
    and evaluations_k the gradient evaluations spent to reach x_k. Gaps ≤ ``floor`` (round-off)
    are not drawn."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(9.0, 3.4), constrained_layout=True,
                                      sharey=True)
    for label, gaps, evaluations, name in curves:
        gaps = np.asarray(gaps, dtype=float)
        shown = gaps > (floor if floor is not None else 0.0)
        k = np.arange(len(gaps))
        left.semilogy(k[shown], gaps[shown], ".-", color=_color(name), label=label, ms=3)
        right.semilogy(np.asarray(evaluations)[shown], gaps[shown], ".-", color=_color(name),
                       label=label, ms=3)
    left.set_xlabel("iteration $k$")
    right.set_xlabel("gradient evaluations")
    left.set_ylabel(r"$f(x_k) - f^*$")
    left.legend(fontsize=8)
    if title:
        fig.suptitle(title)
    return fig
