"""Figures of the edge-of-stability section: loss and sharpness against the step, per step size.

Every function takes already computed results (a ``gd.curvature.SharpnessTrace`` with lanes) and
only draws; the numbers behind each figure are printed or asserted by the notebook.
"""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import MaxNLocator

__all__ = ["edge_of_stability_figure", "power_iteration_figure"]

#: one colour per lane (seed) within a panel: tab10 without the optimizer blue
_LANE_COLORS = ("#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf")


def edge_of_stability_figure(trace, lrs, *, groups=None, window_start=None, titles=None,
                             labels=None):
    r"""One column per step size η: the loss (top, log scale) and the sharpness λ_max (bottom)
    of every lane in the group, with the line 2/η dashed and the late window shaded.

    trace         a SharpnessTrace with lanes (losses (steps+1, B), sharpness (m, B)).
    lrs           (B,) the learning rate of each lane.
    groups        a list of lane-index lists, one column each (default: lanes with equal η).
    window_start  first step of the window the chapter's statistics use (shaded), or None.
    labels        legend entry of the n-th lane of every group (default "seed n").
    Returns the Figure.
    """
    lrs = np.asarray(lrs, dtype=float)
    if groups is None:
        groups = [list(np.flatnonzero(lrs == eta)) for eta in dict.fromkeys(lrs.tolist())]
    fig, axes = plt.subplots(2, len(groups), figsize=(3.6 * len(groups), 5.2), sharex=True,
                             squeeze=False)
    k = np.arange(trace.losses.shape[0])
    for j, lanes in enumerate(groups):
        eta = lrs[lanes[0]]
        top, bottom = axes[0, j], axes[1, j]
        for n, lane in enumerate(lanes):
            c = _LANE_COLORS[n % len(_LANE_COLORS)]
            top.semilogy(k, trace.losses[:, lane], color=c, lw=0.8)
            bottom.plot(trace.steps, trace.sharpness[:, lane], color=c, lw=0.9,
                        label=f"seed {n}" if labels is None else labels[n])
        bottom.axhline(2.0 / eta, color="black", ls="--", lw=1.0, label="2/η")
        if window_start is not None:
            for ax in (top, bottom):
                ax.axvspan(window_start, k[-1], color="0.9", zorder=0)
        top.set_title(titles[j] if titles else f"η = {eta:g}")
        bottom.set_ylim(0, 1.5 * 2.0 / eta)
        bottom.set_xlabel("step k")
        if j == 0:
            top.set_ylabel("loss f(θ_k)")
            bottom.set_ylabel("sharpness λ_max(∇²f(θ_k))")
        bottom.legend(fontsize=7, loc="lower right")
    fig.tight_layout()
    return fig


def power_iteration_figure(values, exact, *, ax=None):
    """The Rayleigh quotients λ_k of a power iteration against k, with the exact top eigenvalue
    dashed, and |λ_k − λ_max| on a log scale on a twin axis. Returns the axes."""
    if ax is None:
        _, ax = plt.subplots(figsize=(5.5, 3.4))
    values = np.asarray(values, dtype=float)
    k = np.arange(1, values.size + 1)
    ax.plot(k, values, "o-", ms=3, color="#1f77b4", label="Rayleigh quotient λ_k")
    ax.axhline(exact, color="black", ls="--", lw=1.0, label="λ_max (dense Hessian)")
    ax.set_xlabel("power iteration k (Hessian-vector products)")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel("λ_k")
    err = ax.twinx()
    err.semilogy(k, np.maximum(np.abs(values - exact), 1e-16), color="#d62728", lw=0.9,
                 label="|λ_k − λ_max|")
    err.set_ylabel("|λ_k − λ_max|", color="#d62728")
    lines = ax.get_legend_handles_labels()
    twin = err.get_legend_handles_labels()
    ax.legend(lines[0] + twin[0], lines[1] + twin[1], fontsize=8, loc="center right")
    return ax
