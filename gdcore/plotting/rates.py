"""Figures of the convergence-rates section: a proven bound against the measured curve.

A rate is a curve k ↦ bound_k that the measured quantity (f(x_k) − f*, or min_{j<k} ‖∇f(x_j)‖²)
must stay under at every step. :func:`bound_vs_measured` draws both on a log axis and, below,
their ratio measured/bound, which shows how tight the bound is (1 = the bound is attained).
Values at or below a round-off ``floor`` are not drawn: their digits mean nothing.
"""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from .base import color

__all__ = ["RatePanel", "bound_vs_measured"]

BOUND = "#000000"  # the proven bound: black, dashed, in every panel
FLOOR = "#bbbbbb"  # the round-off floor


class RatePanel:
    """One column of :func:`bound_vs_measured`: the steps ``k``, the ``measured`` values and
    the ``bound`` at the same steps (arrays of one shape), a ``title``, the ``ylabel``, an
    optional round-off ``floor`` (values ≤ floor are not drawn) and ``logx`` for k on a log axis
    (sublinear rates are straight lines there)."""

    def __init__(self, title, k, measured, bound, *, ylabel="$f(x_k) - f^*$", floor=None,
                 logx=False, label="gradient descent"):
        self.k = np.asarray(k, dtype=float)
        self.measured = np.asarray(measured, dtype=float)
        self.bound = np.asarray(bound, dtype=float)
        if not (self.k.shape == self.measured.shape == self.bound.shape) or self.k.ndim != 1:
            raise ValueError("k, measured and bound must be 1-D arrays of one shape, got "
                             f"{self.k.shape}, {self.measured.shape}, {self.bound.shape}")
        if floor is not None and not floor > 0:
            raise ValueError(f"floor must be positive, got {floor}")
        self.title, self.ylabel, self.floor, self.logx, self.label = (title, ylabel, floor,
                                                                      bool(logx), label)

    def visible(self):
        """Mask of the steps whose measured value is above the floor (all, without a floor)."""
        finite = np.isfinite(self.measured) & (self.measured > 0)
        return finite if self.floor is None else finite & (self.measured > self.floor)

    def ratio(self):
        """measured / bound where the measured value is visible, NaN elsewhere."""
        out = np.full(self.k.shape, np.nan)
        m = self.visible()
        out[m] = self.measured[m] / self.bound[m]
        return out


def bound_vs_measured(panels, *, figsize=None, suptitle=None) -> Figure:
    """A figure with one column per :class:`RatePanel`: on top the measured curve (solid) under
    its bound (dashed), log scale; below the ratio measured/bound (log scale, 1 marked)."""
    panels = list(panels)
    if not panels or not all(isinstance(p, RatePanel) for p in panels):
        raise ValueError("panels must be a non-empty list of RatePanel")
    n = len(panels)
    fig, axes = plt.subplots(2, n, figsize=figsize or (4.2 * n, 5.2), squeeze=False,
                             gridspec_kw={"height_ratios": [2.2, 1]}, sharex="col")
    for j, p in enumerate(panels):
        top, bottom = axes[0, j], axes[1, j]
        shown = np.where(p.visible(), p.measured, np.nan)
        top.plot(p.k, p.bound, "--", color=BOUND, lw=1.4, label="proven bound")
        top.plot(p.k, shown, "-", color=color("gd"), lw=1.6, label=p.label)
        if p.floor is not None:
            top.axhline(p.floor, color=FLOOR, lw=2.0, label="round-off floor")
        top.set_yscale("log")
        top.set_title(p.title, fontsize=10)
        top.set_ylabel(p.ylabel)
        top.legend(fontsize=8, loc="best")
        bottom.plot(p.k, p.ratio(), "-", color=color("gd"), lw=1.2)
        bottom.axhline(1.0, color=BOUND, ls="--", lw=1.0)
        bottom.set_yscale("log")
        bottom.set_ylabel("measured / bound")
        bottom.set_xlabel("step $k$")
        for a in (top, bottom):
            a.set_xscale("log" if p.logx else "linear")
            a.grid(alpha=0.3, which="both" if p.logx else "major")
    if suptitle:
        fig.suptitle(suptitle)
    fig.tight_layout()
    return fig
