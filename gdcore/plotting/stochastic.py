"""Figures of the stochastic regime and of learning-rate sensitivity (parts 5, 5d and 5e).

A sensitivity curve is the final loss (or another score) against the learning rate on a log
grid, one curve per optimizer: the median over seeds, with the seeds' spread as a band. Every
function takes computed results (:class:`gdcore.sweep.Sensitivity`, arrays) and only draws.
"""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.transforms import blended_transform_factory

from .base import color

__all__ = ["sensitivity_curves", "sensitivity_panels", "median_bands"]


def sensitivity_curves(sweeps, *, ax=None, of="loss", band="minmax", target=None, log=True,
                       title=None, ylabel=None, mark_best=True, colors=None):
    """Median over seeds against η for ``{name: Sensitivity}``, with a band over seeds.

    band      ``"minmax"`` or ``"iqr"`` (see ``Sensitivity.band``); ``None`` draws no band.
    target    a horizontal dashed line (the loss a run must beat), if given.
    colors    ``{name: colour}`` for names that are not optimizers of ``base.COLORS``.
    An η at which the median run diverged has no point; it is marked by an ``x`` on the top edge.
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(6.5, 3.8))
    edge = blended_transform_factory(ax.transData, ax.transAxes)
    finite_values = [v for s in sweeps.values() for v in np.ravel(s.median(of))
                     if np.isfinite(v)]
    ylim = (min(finite_values) / 3, max(finite_values) * 3) if finite_values and log else None
    for name, sweep in sweeps.items():
        c = (colors or {}).get(name) or color(name)
        med = np.asarray(sweep.median(of), dtype=float)
        finite = np.isfinite(med)
        ax.plot(sweep.lrs, np.where(finite, med, np.nan), "o-", color=c, lw=1.2, ms=2.5,
                label=name)
        if band is not None:
            lo, hi = sweep.band(band, of)
            # an infinite upper edge (a diverged seed) is drawn past the top of the axes
            top = ylim[1] * 10 if ylim else np.nanmax(np.where(np.isfinite(hi), hi, np.nan))
            ax.fill_between(sweep.lrs, np.where(np.isfinite(lo), lo, np.nan),
                            np.where(np.isfinite(hi), hi, top), color=c, alpha=0.15, lw=0)
        if (~finite).any():
            ax.plot(sweep.lrs[~finite], np.full((~finite).sum(), 0.98), "x", color=c, ms=4,
                    transform=edge, clip_on=False)
        if mark_best and of == "loss" and finite.any():
            ax.plot(sweep.lrs[sweep.best], med[sweep.best], "*", color=c, ms=9)
    if target is not None:
        ax.axhline(target, color="black", lw=0.8, ls="--")
    ax.set_xscale("log")
    if log:
        ax.set_yscale("log")
    if ylim:
        ax.set_ylim(*ylim)
    ax.set(xlabel=r"learning rate $\eta$",
           ylabel=ylabel or ("final loss (median over seeds)" if of == "loss" else of),
           title=title)
    return ax


def sensitivity_panels(sweeps, groups, *, of="loss", band="minmax", target=None, log=True,
                       suptitle=None, ylabel=None, sharey=True, width=4.0):
    """One :func:`sensitivity_curves` panel per group ``{title: [names]}``, on shared axes;
    returns the Figure."""
    fig, axes = plt.subplots(1, len(groups), figsize=(width * len(groups), 3.6), sharey=sharey,
                             squeeze=False)
    for ax, (title, names) in zip(axes[0], groups.items(), strict=True):
        sensitivity_curves({n: sweeps[n] for n in names}, ax=ax, of=of, band=band,
                           target=target, log=log, title=title, ylabel=ylabel)
        ax.legend(fontsize=7)
    for ax in axes[0][1:]:
        ax.set_ylabel("")
    if suptitle:
        fig.suptitle(suptitle)
    fig.tight_layout()
    return fig


def median_bands(x, curves, *, ax=None, log=True, xlabel="step $t$", ylabel=None, title=None,
                 colors=None, band="iqr"):
    """Median over lanes (last axis) and a band, for ``{label: array (len(x), lanes)}``.

    band  ``"iqr"`` (quartiles) or ``"minmax"``.
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(6.5, 3.6))
    for k, (label, values) in enumerate(curves.items()):
        values = np.asarray(values, dtype=float)
        q = (25, 75) if band == "iqr" else (0, 100)
        lo, mid, hi = np.percentile(values, [q[0], 50, q[1]], axis=-1)
        c = (colors or {}).get(label, f"C{k}")
        ax.plot(x, mid, color=c, lw=1.3, label=label)
        ax.fill_between(x, lo, hi, color=c, alpha=0.18, lw=0)
    if log:
        ax.set_yscale("log")
    ax.set(xlabel=xlabel, ylabel=ylabel, title=title)
    return ax
