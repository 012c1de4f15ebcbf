"""Figures of chapter 3 (gradient descent): step-size regimes, trajectories, sweeps, basins.

Every function takes numbers that a ``Trace`` already holds and returns a ``Figure`` (or, for the
live and static sliders, a :class:`DescentPanel` whose ``update`` only moves artists). Divergence
is drawn, never printed: a diverged run ends in a red cross with the step at which it blew up.
"""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import NullFormatter

from .base import color, contour, static_slider

__all__ = ["DIVERGED", "DescentPanel", "landscape", "regimes", "trajectories", "lr_sweep",
           "loss_curves", "basins"]

DIVERGED = "#d62728"  # red: the colour of "this run blew up" in every figure of the chapter
_TINY = 1e-16  # floor for log axes: f − f* is exactly 0 at the minimum


class _LogLandscape:
    """``problem`` seen through log₁₀(f − f_low + δ): evenly spaced levels of this view are
    geometrically spaced levels of f, so narrow valleys (Rosenbrock) and wide bowls both show.
    Only ``f`` and ``bounds`` are needed by ``contour``."""

    def __init__(self, problem, bounds):
        self.bounds = bounds if bounds is not None else problem.bounds
        (x_lo, x_hi), (y_lo, y_hi) = self.bounds
        gx, gy = np.meshgrid(np.linspace(x_lo, x_hi, 200), np.linspace(y_lo, y_hi, 200))
        z = problem.f(np.stack([gx, gy], axis=-1))
        self._low = z.min()
        self._delta = max((z.max() - self._low) * 1e-5, 1e-12)
        self._f = problem.f

    def f(self, x):
        return np.log10(self._f(x) - self._low + self._delta)


def landscape(problem, ax, *, levels=25, bounds=None, raster=False, n=200, cmap="viridis"):
    """Filled contours of ``problem.f`` with geometrically spaced levels above its lowest value
    in ``bounds`` (default ``problem.bounds``); returns ``ax``.

    ``raster=True`` paints the same banded levels as one image (plus contour lines): a figure
    that is redrawn many times — a widget, the frames of a static slider — renders several
    times faster and its PNG frames are smaller.
    """
    view = _LogLandscape(problem, bounds)
    if not raster:
        return contour(view, ax=ax, levels=levels, log=False)
    (x_lo, x_hi), (y_lo, y_hi) = view.bounds
    gx, gy = np.meshgrid(np.linspace(x_lo, x_hi, n), np.linspace(y_lo, y_hi, n))
    z = view.f(np.stack([gx, gy], axis=-1))
    edges = np.linspace(z.min(), z.max(), levels + 1)
    bands = np.clip(np.digitize(z, edges[1:-1]), 0, levels - 1)
    ax.imshow(bands, origin="lower", extent=(x_lo, x_hi, y_lo, y_hi), cmap=cmap,
              interpolation="nearest", aspect="auto", vmin=0, vmax=levels - 1)
    ax.contour(gx, gy, z, levels=edges[1:-1], colors="white", linewidths=0.3, alpha=0.5)
    ax.set_xlim(x_lo, x_hi)
    ax.set_ylim(y_lo, y_hi)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    return ax


_contour = landscape


def regimes(ks, xs, etas, L, *, titles=None, figsize=(10, 2.6), ncols=None):
    """One panel per step size: iterates x_k of f = (L/2)x² against k, with |1 − ηL|^k envelopes.

    ``xs`` is (steps + 1, n_runs); ``etas`` (n_runs,). ``ncols`` panels per row (default: all
    in one row); a 2 × 2 grid keeps four panels readable at the width of a book page.
    """
    n = len(etas)
    ncols = n if ncols is None else ncols
    nrows = -(-n // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=figsize, sharex=True, constrained_layout=True,
                             squeeze=False)
    axes = axes.ravel()
    for ax in axes[n:]:
        ax.set_visible(False)
    for j, ax in enumerate(axes[:n]):
        eta = float(etas[j])
        q = abs(1.0 - eta * L)
        envelope = abs(xs[0, j]) * q ** np.asarray(ks, dtype=float)
        ax.fill_between(ks, -envelope, envelope, color="0.9", lw=0)
        ax.axhline(0.0, color="0.5", lw=0.6)
        c = DIVERGED if q > 1 else color("gd")
        ax.plot(ks, xs[:, j], "o-", color=c, ms=3, lw=1)
        title = titles[j] if titles is not None else f"ηL = {eta * L:.2f}"
        ax.set_title(f"{title}\n|1 − ηL| = {q:.2f}", fontsize=9)
        if j >= n - ncols:  # the bottom row carries the shared step axis
            ax.set_xlabel("step k")
        if j % ncols == 0:
            ax.set_ylabel("$x_k$")
    return fig


def trajectories(problem, runs, *, titles=None, figsize=(10, 3.8), bounds=None, levels=25,
                 axes=None, directions=None):
    """Side-by-side contour plots; ``runs`` is a list (one per panel) of lists of
    ``(xs, label, colour)`` with ``xs`` of shape (steps + 1, 2). ``problem`` may be a list too.

    ``axes``: draw into these axes (one per panel) instead of a new figure, so that a figure can
    put other panels beside the trajectories. ``directions``: per panel, a list of
    ``(vector, label)`` drawn as dashed white lines through the first minimizer (the
    eigen-directions of a quadratic, say).
    """
    problems = problem if isinstance(problem, (list, tuple)) else [problem] * len(runs)
    if axes is None:
        fig, axes = plt.subplots(1, len(runs), figsize=figsize, constrained_layout=True)
    else:
        if len(axes) != len(runs):
            raise ValueError(f"axes must hold one axes per panel ({len(runs)}), got {len(axes)}")
        fig = axes[0].figure
    for j, ax in enumerate(np.atleast_1d(axes)):
        _contour(problems[j], ax, levels=levels, bounds=bounds)
        for xs, label, c in runs[j]:
            finite = np.all(np.isfinite(xs), axis=-1)
            ax.plot(xs[finite, 0], xs[finite, 1], "o-", ms=2.5, lw=1.1, color=c, label=label)
            ax.plot(xs[0, 0], xs[0, 1], "s", ms=5, color=c)
        (x_lo, x_hi), (y_lo, y_hi) = bounds if bounds is not None else problems[j].bounds
        reach = 2 * max(x_hi - x_lo, y_hi - y_lo)
        center = np.asarray(problems[j].minimizers[0], dtype=float)
        for vector, label in (directions[j] if directions is not None else []):
            u = np.asarray(vector, dtype=float) / np.linalg.norm(vector)
            ax.plot(*(center + np.outer([-reach, reach], u)).T, color="w", lw=0.8, ls="--")
            ax.annotate(label, center + 0.4 * min(x_hi - x_lo, y_hi - y_lo) * u, color="w",
                        fontsize=11)
        ax.set_xlim(x_lo, x_hi)
        ax.set_ylim(y_lo, y_hi)
        for m in problems[j].minimizers:
            ax.plot(m[0], m[1], "*", color="white", ms=11, mec="k", mew=0.6)
        if titles is not None:
            ax.set_title(titles[j], fontsize=10)
        ax.set_aspect("equal")
        if any(label for _, label, _ in runs[j]):
            ax.legend(fontsize=8, loc="lower right")
    return fig


def lr_sweep(etas, final_loss, diverged, *, marks=(), initial_loss=None, figsize=(7, 3.4)):
    """Final loss against the learning rate on log–log axes; diverged runs as red ticks at the top.

    ``marks`` is a sequence of ``(eta, label, colour)`` drawn as vertical lines.
    """
    etas = np.asarray(etas)
    final_loss = np.asarray(final_loss, dtype=float)
    diverged = np.asarray(diverged, dtype=bool)
    fig, ax = plt.subplots(figsize=figsize, constrained_layout=True)
    ok = ~diverged & np.isfinite(final_loss)
    ax.loglog(etas[ok], np.maximum(final_loss[ok], _TINY), ".", ms=3, color=color("gd"),
              label="final loss")
    top = np.nanmax(final_loss[ok]) if ok.any() else 1.0
    top = max(top, initial_loss or 0.0) * 10
    if diverged.any():
        ax.plot(etas[diverged], np.full(diverged.sum(), top), "|", color=DIVERGED, ms=8,
                label="diverged")
    if initial_loss is not None:
        ax.axhline(initial_loss, color="0.5", ls=":", lw=1, label="initial loss")
    for eta, label, c in marks:
        ax.axvline(eta, color=c, ls="--", lw=1.2, label=label)
    ax.set_xlabel("learning rate η")
    ax.set_ylabel("$f(x_K) - f^*$")
    ax.legend(fontsize=8, loc="lower left")
    return fig


def loss_curves(curves, *, xlabel="step", ylabel="$f - f^*$", ax=None, logy=True, logx=False,
                title=None, figsize=(5, 3.4)):
    """Several loss curves on one axes; ``curves`` is a list of ``(x, y, label, colour)``.

    ``logx=True`` with a curve that starts at x = 0 (step 0, the start point) uses a symmetric
    log axis, linear below the smallest positive x: a plain log axis would drop x = 0 and make
    every curve start at its first update instead of at the initial loss.
    """
    if ax is None:
        fig, ax = plt.subplots(figsize=figsize, constrained_layout=True)
    else:
        fig = ax.figure
    for x, y, label, c in curves:
        ax.plot(x, np.maximum(np.asarray(y, dtype=float), _TINY) if logy else y, lw=1.3,
                label=label, color=c)
    if logy:
        ax.set_yscale("log")
    if logx:
        xs = np.concatenate([np.ravel(np.asarray(x, dtype=float)) for x, *_ in curves])
        if np.any(xs < 0):
            raise ValueError("logx needs x ≥ 0")
        if np.any(xs == 0):
            # linear up to the power of ten at or below the first positive x
            linthresh = 10.0 ** np.floor(np.log10(xs[xs > 0].min()))
            ax.set_xscale("symlog", linthresh=linthresh, linscale=0.5)
            ax.set_xlim(left=0)
        else:
            ax.set_xscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title, fontsize=10)
    ax.legend(fontsize=8)
    return fig


def basins(problem, gx, gy, labels, *, ax=None, title=None, figsize=(4.6, 4.2)):
    """Basins of attraction: each start point of the grid coloured by the minimizer reached.

    ``labels`` (ny, nx) holds the index of the minimizer in ``problem.minimizers`` (−1: none).
    """
    from matplotlib.colors import ListedColormap

    if ax is None:
        fig, ax = plt.subplots(figsize=figsize, constrained_layout=True)
    else:
        fig = ax.figure
    k = len(problem.minimizers)
    palette = ["#8dd3c7", "#fdb462", "#bebada", "#80b1d3", "#b3de69", "#fccde5"][:k]
    cmap = ListedColormap(["0.3", *palette])
    extent = (gx.min(), gx.max(), gy.min(), gy.max())
    ax.imshow(np.asarray(labels) + 1, origin="lower", extent=extent, cmap=cmap, vmin=0,
              vmax=k, interpolation="nearest", aspect="equal")
    xs = np.linspace(gx.min(), gx.max(), 200)
    X, Y = np.meshgrid(xs, np.linspace(gy.min(), gy.max(), 200))
    Z = problem.f(np.stack([X, Y], axis=-1))
    ax.contour(X, Y, Z, levels=np.geomspace(0.5, Z.max(), 12), colors="k", linewidths=0.3,
               alpha=0.5)
    for i, m in enumerate(problem.minimizers):
        ax.plot(m[0], m[1], "*", ms=13, color=palette[i], mec="k", mew=0.8)
    ax.set_xlabel("$x_1$ at the start")
    ax.set_ylabel("$x_2$ at the start")
    if title:
        ax.set_title(title, fontsize=10)
    return fig


class DescentPanel:
    """Contour (or, in 1-D, graph) with a trajectory, next to the loss curve; redrawn by moving
    artists only, so that a live widget and a precomputed static slider share one figure code.

    ``update(xs, losses, diverged_at=None, title="")`` takes the trajectory (steps + 1, d) with
    NaN after divergence, the losses (steps + 1,), and the step at which the run diverged.
    """

    def __init__(self, problem, *, figsize=(8.4, 3.4), dpi=80, bounds=None, f_min=None,
                 levels=18, loss_ylim=None):
        """``loss_ylim=(low, high)`` fixes the loss axis for every frame, so that the frames of a
        slider can be compared; by default (None) each ``update`` fits the axis to its curve."""
        if loss_ylim is not None and not 0 < loss_ylim[0] < loss_ylim[1]:
            raise ValueError(f"loss_ylim must be (low, high) with 0 < low < high, got {loss_ylim}")
        self.loss_ylim = loss_ylim
        self.problem = problem
        self.f_min = problem.f_min if f_min is None else f_min
        # A Figure outside pyplot: it is shown only when a widget displays it or a static
        # slider embeds it, never again by the inline backend at the end of a later cell.
        # A fixed layout: a constrained layout would be solved again for every frame.
        self.fig = Figure(figsize=figsize, dpi=dpi)
        self.ax, self.ax_loss = self.fig.subplots(1, 2, width_ratios=[1.15, 1])
        self.fig.subplots_adjust(left=0.08, right=0.98, bottom=0.16, top=0.88, wspace=0.32)
        self.bounds = bounds if bounds is not None else problem.bounds
        if problem.dim == 1:
            lo, hi = self.bounds[0]
            grid = np.linspace(lo, hi, 300)
            self.ax.plot(grid, problem.f(grid[:, None]), color="0.4", lw=1.2)
            self.ax.set_xlim(lo, hi)
            self.ax.set_ylim(-0.05 * problem.f(np.array([hi])), 1.05 * max(
                problem.f(np.array([lo])), problem.f(np.array([hi]))))
            self.ax.set_xlabel("x")
            self.ax.set_ylabel("f(x)")
        else:
            _contour(problem, self.ax, levels=levels, bounds=self.bounds, raster=True)
            for m in problem.minimizers:
                self.ax.plot(m[0], m[1], "*", color="white", ms=11, mec="k", mew=0.6)
        (self.path,) = self.ax.plot([], [], "o-", ms=2.5, lw=1.1, color="#ff7f0e")
        (self.start,) = self.ax.plot([], [], "s", ms=6, color="#ff7f0e")
        (self.cross,) = self.ax.plot([], [], "X", ms=12, color=DIVERGED, mec="w")
        (self.curve,) = self.ax_loss.semilogy([], [], lw=1.3, color=color("gd"))
        (self.cross_loss,) = self.ax_loss.plot([], [], "X", ms=10, color=DIVERGED, mec="w")
        self.ax_loss.set_xlabel("step k")
        self.ax_loss.set_ylabel("$f(x_k) - f^*$")
        self.ax_loss.yaxis.set_minor_formatter(NullFormatter())
        self.banner = self.ax_loss.text(0.5, 0.5, "", transform=self.ax_loss.transAxes,
                                        ha="center", va="center", color=DIVERGED,
                                        fontsize=11, weight="bold")
        self.title = self.fig.suptitle("", fontsize=10)

    def static_slider(self, update, frames, **kwargs):
        """``gd.plotting.static_slider`` of this panel with JPEG frames: banded contours
        compress about three times better as JPEG than as PNG, which keeps a page of two
        36-frame sliders under 3 MB."""
        return static_slider(self.fig, update, frames, frame_format="jpeg", **kwargs)

    def _points(self, xs):
        if self.problem.dim == 1:
            return xs[:, 0], self.problem.f(xs)
        return xs[:, 0], xs[:, 1]

    def update(self, xs, losses, diverged_at=None, title=""):
        xs = np.asarray(xs, dtype=float)
        losses = np.asarray(losses, dtype=float)
        finite = np.all(np.isfinite(xs), axis=-1)
        shown = xs[finite]
        if len(shown) > 400:  # long runs: every k-th iterate (and the last) keeps PNGs small
            keep = np.unique(np.r_[np.arange(0, len(shown), len(shown) // 200), len(shown) - 1])
            shown = shown[keep]
        with np.errstate(all="ignore"):
            px, py = self._points(shown)
        self.path.set_data(px, py)
        self.path.set_markersize(2.5 if len(shown) <= 100 else 0)
        self.start.set_data(px[:1], py[:1])
        gap = losses - (self.f_min if self.f_min is not None else 0.0)
        ok = np.isfinite(gap)
        ks = np.arange(len(losses))
        self.curve.set_data(ks[ok], np.maximum(gap[ok], _TINY))
        if diverged_at is not None and ok.any():
            last = np.flatnonzero(ok)[-1]
            self.cross.set_data(px[-1:], py[-1:])
            self.cross_loss.set_data([ks[last]], [max(gap[last], _TINY)])
            self.banner.set_text(f"diverged at step {diverged_at}")
        else:
            self.cross.set_data([], [])
            self.cross_loss.set_data([], [])
            self.banner.set_text("")
        self.ax_loss.set_xlim(0, max(len(losses) - 1, 1))
        shown = np.maximum(gap[ok], _TINY)
        if self.loss_ylim is not None:
            self.ax_loss.set_ylim(*self.loss_ylim)
        elif shown.size:
            lo, hi = shown.min(), shown.max()
            self.ax_loss.set_ylim(max(lo / 3, _TINY), max(hi * 3, lo * 10))
        self.title.set_text(title)
        return self.path, self.curve
