"""Figures of Chapter 5, the optimizer zoo: races on 2-D surfaces, loss curves, animations over
the step number or the learning rate, schedules, coefficient paths and posterior samples.

Every function takes already computed results (``Trace`` objects or arrays from
``gd.descend``) and only draws; the colour of an optimizer is ``base.color(name)`` everywhere.
"""

import warnings

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import LogLocator, NullLocator

from .base import color, contour, path, static_slider

__all__ = [
    "surface", "race_figure", "loss_curves", "race_slider", "lr_slider", "lr_frame_labels",
    "schedules_figure", "lane_bands", "coefficient_paths", "posterior_figure", "explorer_figure",
]

#: f − f* is drawn at this floor when it is smaller (a log axis cannot show 0 or rounding noise)
FLOOR = 1e-16


def surface(problem, ax=None, *, bounds=None, n=200, levels=30, log=True):
    """Filled log-spaced contours of a 2-D problem (``base.contour``), returns the axes.

    Falls back to explicit log-spaced levels on a linear colour scale when matplotlib refuses
    the LogNorm contour (seen with matplotlib 3.11 and ``extend="both"``).
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 4))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            return contour(problem, ax=ax, bounds=bounds, n=n, levels=levels, log=log)
    except ValueError:
        for artist in list(ax.collections):
            artist.remove()
    (x_lo, x_hi), (y_lo, y_hi) = bounds if bounds is not None else problem.bounds
    gx, gy = np.meshgrid(np.linspace(x_lo, x_hi, 60), np.linspace(y_lo, y_hi, 60))
    z = problem.f(np.stack([gx, gy], axis=-1))
    span = z.max() - z.min()
    lv = z.min() + np.geomspace(max(span * 1e-5, 1e-12), span, levels)
    lv = np.concatenate([[z.min() - 1e-9], lv])
    return contour(problem, ax=ax, bounds=bounds, n=n, levels=lv, log=False)


def _log_gap(problem, bounds=None, n=160):
    """log10(f − min f) on an n × n grid over ``bounds`` and the image extent."""
    (x_lo, x_hi), (y_lo, y_hi) = bounds if bounds is not None else problem.bounds
    gx, gy = np.meshgrid(np.linspace(x_lo, x_hi, n), np.linspace(y_lo, y_hi, n))
    z = problem.f(np.stack([gx, gy], axis=-1))
    shift = z - z.min()
    return np.log10(shift + max(shift.max(), 1e-300) * 1e-6), (x_lo, x_hi, y_lo, y_hi)


def _raster(problem, ax, bounds=None, n=160):
    """log10(f − min f) as an image: a contour-like background that is cheap to redraw in every
    frame of an animation (filled contours are re-rendered per frame and dominate its cost)."""
    z, extent = _log_gap(problem, bounds, n)
    image = ax.imshow(z, extent=extent, origin="lower", cmap="viridis", aspect="auto",
                      interpolation="bilinear")
    ax.set_xlim(extent[0], extent[1])
    ax.set_ylim(extent[2], extent[3])
    return image


def _xs(run):
    """The iterates of a run: a Trace or an array (steps + 1, 2)."""
    return np.asarray(getattr(run, "xs", run))


def _gap(losses, f_min):
    """f − f_min, floored at FLOOR = 1e-16 so that a log axis can show it (NaN stays NaN)."""
    losses = np.asarray(losses, dtype=float)
    return losses if f_min is None else np.maximum(losses - f_min, FLOOR)


def _label_floor(ax):
    """A dotted line and a note at FLOOR: curves lying on it are below 1e-16, not at it."""
    ax.axhline(FLOOR, color="0.4", lw=0.7, ls=":")
    ax.annotate("below 1e-16: drawn at 1e-16", (0.99, FLOOR), xycoords=("axes fraction", "data"),
                xytext=(0, 3), textcoords="offset points", ha="right", va="bottom",
                fontsize=7, color="0.3")


def loss_curves(runs, *, ax=None, f_min=0.0, log=True, title=None):
    """Loss (minus ``f_min``) against the step for each named run ``{name: Trace}``.

    On a log axis a gap below ``FLOOR`` (1e-16) is drawn at FLOOR, and the floor is labelled
    whenever a curve reaches it.
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 3.5))
    floored = False
    for name, run in runs.items():
        gap = _gap(run.losses, f_min)
        ax.plot(gap, color=color(name), label=name, lw=1.3)
        floored |= f_min is not None and bool(np.any(gap <= FLOOR))
    if log:
        ax.set_yscale("log")
        if floored:
            _label_floor(ax)
    ax.set_xlabel("step $t$")
    ax.set_ylabel("$f - f^*$" if f_min is not None else "$f$")
    if title:
        ax.set_title(title)
    return ax


def race_figure(problem, runs, *, title=None, f_min="problem", bounds=None, legend=True):
    """Trajectories of ``{name: Trace}`` on the contours of ``problem`` and their loss curves."""
    fig, (ax0, ax1) = plt.subplots(1, 2, figsize=(10, 3.8))
    surface(problem, ax=ax0, bounds=bounds)
    for name, run in runs.items():
        path(ax0, _xs(run), label=name, color=color(name), markersize=1.5)
    for point in getattr(problem, "minimizers", ()):
        ax0.plot(*point, "*", color="white", markersize=12, markeredgecolor="black")
    f_min = getattr(problem, "f_min", None) if f_min == "problem" else f_min
    loss_curves(runs, ax=ax1, f_min=f_min, log=f_min is not None)
    if legend:  # outside the axes: ten loss curves leave no free corner
        ax1.legend(fontsize=9, loc="center left", bbox_to_anchor=(1.02, 0.5), frameon=False)
    fig.suptitle(title or problem.name)
    fig.tight_layout()
    return fig


def race_slider(problem, runs, *, frames=40, f_min="problem", bounds=None, dpi=80, alt=None):
    """Offline HTML player of a race: frame i shows every trajectory up to step k_i.

    The steps k_i are spread geometrically over the run (early steps matter most).
    """
    steps = max(len(_xs(run)) for run in runs.values()) - 1
    ks = np.unique(np.geomspace(1, steps, frames).round().astype(int))
    with plt.rc_context({"figure.dpi": dpi}):
        fig, (ax0, ax1) = plt.subplots(1, 2, figsize=(9, 3.4))
    _raster(problem, ax0, bounds)
    f_min = getattr(problem, "f_min", None) if f_min == "problem" else f_min
    lines, curves, heads = {}, {}, {}
    for name in runs:
        c = color(name)
        (lines[name],) = ax0.plot([], [], color=c, lw=1.2, label=name)
        (heads[name],) = ax0.plot([], [], "o", color=c, markersize=4)
        (curves[name],) = ax1.plot([], [], color=c, lw=1.3, label=name)
    gaps = [_gap(run.losses, f_min) for run in runs.values()]
    finite = np.concatenate([g[np.isfinite(g)] for g in gaps])
    ax1.set_xlim(0, steps)
    if f_min is not None:
        ax1.set_yscale("log")
        ax1.set_ylim(max(finite.min(), 1e-12) / 2, finite.max() * 2)
        # few fixed ticks: minor log ticks over 15 decades make every frame slow to draw
        ax1.yaxis.set_major_locator(LogLocator(numticks=6))
        ax1.yaxis.set_minor_locator(NullLocator())
    else:
        ax1.set_ylim(finite.min() - 0.1, finite.max() + 0.1)
    ax1.set_xlabel("step $t$")
    ax1.set_ylabel("$f - f^*$" if f_min is not None else "$f$")
    ax1.legend(fontsize=8, loc="center left", bbox_to_anchor=(1.02, 0.5), frameon=False)
    title = ax0.set_title("")
    fig.tight_layout()

    def update(i):
        k = ks[i]
        for (name, run), gap in zip(runs.items(), gaps, strict=True):
            xs = _xs(run)[: k + 1]
            lines[name].set_data(xs[:, 0], xs[:, 1])
            heads[name].set_data(xs[-1:, 0], xs[-1:, 1])
            curves[name].set_data(np.arange(k + 1), gap[: k + 1])
        title.set_text(f"{problem.name}: step {k}")

    return static_slider(fig, update, len(ks), alt=alt, frame_format="jpeg")


def lr_frame_labels(problem, sweeps, lrs, i, *, bounds=None, nudged=None):
    """The panel titles of frame ``i`` of :func:`lr_slider`: ``{name: text}``.

    The text is the final f − f* to two significant figures ("f < 1e-16" below the floor), or
    "diverged" for a lane that blew up; ", leaves the box" is added when some iterate lies
    outside the plotted region, where its drawn path is cut at the edge. ``nudged``: the same
    sweeps from a start a few last bits away; a lane whose two final values differ by more than
    1e-3 of their size is chaotic — round-off decides its end, and another machine would print
    other digits — and says "f chaotic" instead of its digits.
    """
    (x_lo, x_hi), (y_lo, y_hi) = bounds if bounds is not None else problem.bounds
    f_min = getattr(problem, "f_min", None) or 0.0
    labels = {}
    for name, trace in sweeps.items():
        xs = np.asarray(trace.xs)[:, i]
        gap = float(np.asarray(trace.losses)[-1, i]) - f_min
        if not np.isfinite(gap):
            labels[name] = f"{name}: diverged"
            continue
        if gap < FLOOR:
            tail = "f < 1e-16"
        elif nudged is not None and not abs(
                float(np.asarray(nudged[name].losses)[-1, i]) - f_min - gap) <= 1e-3 * gap:
            tail = "f chaotic"
        else:
            tail = f"f = {gap:.1e}"
        inside = ((x_lo <= xs[:, 0]) & (xs[:, 0] <= x_hi)
                  & (y_lo <= xs[:, 1]) & (xs[:, 1] <= y_hi))
        if not inside.all():
            tail += ", leaves the box"
        labels[name] = f"{name}: {tail}"
    return labels


def lr_slider(problem, sweeps, lrs, *, dpi=80, bounds=None, ncols=3, alt=None, nudged=None):
    """Offline HTML player over the learning rate: one panel per optimizer.

    ``sweeps`` maps a name to a Trace whose lanes are the learning rates ``lrs`` (xs of shape
    (steps + 1, len(lrs), 2)); frame i shows lane i of every optimizer, its panel titled by
    :func:`lr_frame_labels`. Three columns keep the panels readable in a book's text column.
    """
    names = list(sweeps)
    nrows = int(np.ceil(len(names) / ncols))
    with plt.rc_context({"figure.dpi": dpi}):
        fig, axes = plt.subplots(nrows, ncols, figsize=(3.0 * ncols, 2.6 * nrows + 0.5),
                                 sharex=True, sharey=True)
    axes = np.atleast_1d(axes).ravel()
    lines, labels = {}, {}
    for ax, name in zip(axes, names, strict=False):
        _raster(problem, ax, bounds, n=100)
        (lines[name],) = ax.plot([], [], "-o", color=color(name), lw=1.5, markersize=2,
                                 markeredgecolor="white", markeredgewidth=0.3)
        ax.plot(*problem.minimizers[0], "*", color="white", markersize=10,
                markeredgecolor="black")
        labels[name] = ax.set_title(name, fontsize=11)
        ax.set_xticks([])  # the same surface in every panel: its axes carry no information
        ax.set_yticks([])
    for ax in axes[len(names):]:
        ax.axis("off")
    heading = fig.suptitle(f"{problem.name}: learning rate", fontsize=13)
    fig.tight_layout(rect=(0, 0, 1, 0.97))  # room for the heading above the top row

    def update(i):
        heading.set_text(f"{problem.name}, {len(sweeps[names[0]].xs) - 1} steps, "
                         f"learning rate η = {lrs[i]:.1e}")
        texts = lr_frame_labels(problem, sweeps, lrs, i, bounds=bounds, nudged=nudged)
        for name in names:
            xs = np.asarray(sweeps[name].xs)[:, i]
            lines[name].set_data(xs[:, 0], xs[:, 1])
            labels[name].set_text(texts[name])

    return static_slider(fig, update, len(lrs), alt=alt, frame_format="jpeg")


def schedules_figure(schedules, steps, *, ax=None):
    """The learning rate η_t of each named schedule ``{name: schedule}`` for t < steps."""
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 3.2))
    t = np.arange(steps)
    for name, schedule in schedules.items():
        ax.plot(t, [schedule(k) for k in t], label=name, lw=1.5)
    ax.set_xlabel("step $t$")
    ax.set_ylabel(r"learning rate $\eta_t$")
    ax.legend(fontsize=8)
    return ax


def lane_bands(curves, *, ax=None, log=True, labels=None):
    """Median and interquartile band over lanes: ``{name: array (steps, lanes)}``.

    For runs repeated over seeds (one lane per seed): the median says what a typical run does,
    the band how much one seed's curve can differ from it.
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(6.5, 3.6))
    for k, (name, values) in enumerate(curves.items()):
        values = np.asarray(values, dtype=float)
        lo, mid, hi = np.percentile(values, [25, 50, 75], axis=1)
        c = f"C{k}"
        ax.plot(mid, color=c, lw=1.2, label=labels[name] if labels else name)
        ax.fill_between(np.arange(len(mid)), lo, hi, color=c, alpha=0.18, lw=0)
    if log:
        ax.set_yscale("log")
    ax.set_xlabel("step $t$")
    return ax


def coefficient_paths(lambdas, coefs, *, ax=None, title=None, true_coef=None):
    """Coefficients (n_λ, d) against λ on a log axis, one line per coefficient."""
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 3.5))
    coefs = np.asarray(coefs)
    for j in range(coefs.shape[1]):
        style = "-" if true_coef is None or true_coef[j] != 0 else "--"
        ax.plot(lambdas, coefs[:, j], style, lw=1.4, label=rf"$\theta_{j + 1}$")
    ax.set_xscale("log")
    ax.axhline(0.0, color="black", lw=0.6)
    ax.set_xlabel(r"$\lambda$")
    ax.set_ylabel("coefficient")
    if title:
        ax.set_title(title)
    return ax


def _ellipse(ax, mean, cov, n_sigma, **kwargs):
    """The n_sigma contour of a 2-D Gaussian N(mean, cov)."""
    vals, vecs = np.linalg.eigh(cov)
    angle = np.linspace(0, 2 * np.pi, 200)
    circle = np.stack([np.cos(angle), np.sin(angle)])
    points = mean[:, None] + vecs @ (n_sigma * np.sqrt(vals)[:, None] * circle)
    ax.plot(points[0], points[1], **kwargs)


def posterior_figure(samples, mean, cov, *, map_point=None, ax=None, labels=("θ₀", "θ₁")):
    """Samples (n, 2) over the 1-, 2- and 3-σ ellipses of the Gaussian N(mean, cov)."""
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 4))
    samples = np.asarray(samples)
    ax.plot(samples[:, 0], samples[:, 1], ".", color=color("sgld"), markersize=1.5, alpha=0.3,
            label="SGLD samples")
    for n_sigma in (1, 2, 3):
        _ellipse(ax, np.asarray(mean), np.asarray(cov), n_sigma, color="black", lw=1.0,
                 label="exact posterior (1, 2, 3 σ)" if n_sigma == 1 else None)
    if map_point is not None:
        ax.plot(*map_point, "*", color="#d62728", markersize=12, label="noise off (η/2 GD)")
    ax.set_xlabel(labels[0])
    ax.set_ylabel(labels[1])
    ax.legend(fontsize=8)
    return ax


def explorer_figure(problem, trace, name, *, n=120):
    """The figure of the live explorer, built once: the path of ``trace`` on ``problem``'s
    log-contour image and its loss curve. Returns ``(fig, update)``; ``update(problem, trace,
    name)`` moves the artists (image, path, start, minimizers, loss curve, titles) to a new run,
    possibly on another surface, and returns them.
    """
    fig, (ax0, ax1) = plt.subplots(1, 2, figsize=(9, 3.6))
    image = _raster(problem, ax0, n=n)
    (stars,) = ax0.plot([], [], "*", color="white", markersize=12, markeredgecolor="black")
    (line,) = ax0.plot([], [], "-o", lw=1.2, markersize=2)
    (start,) = ax0.plot([], [], "s", markersize=6)
    (curve,) = ax1.plot([], [], lw=1.3)
    ax1.set_xlabel("step $t$")
    title0, title1 = ax0.set_title(""), ax1.set_title("")

    def update(problem, trace, name):
        z, extent = _log_gap(problem, n=n)
        image.set_data(z)
        image.set_extent(extent)
        image.set_clim(z.min(), z.max())
        ax0.set_xlim(extent[0], extent[1])
        ax0.set_ylim(extent[2], extent[3])
        minimizers = np.asarray(problem.minimizers).reshape(-1, 2)
        stars.set_data(minimizers[:, 0], minimizers[:, 1])
        xs = _xs(trace)
        c = color(name)
        line.set_data(xs[:, 0], xs[:, 1])
        line.set_color(c)
        start.set_data(xs[:1, 0], xs[:1, 1])
        start.set_color(c)
        title0.set_text(f"{name} on {problem.name}")

        f_min = problem.f_min
        gap = _gap(trace.losses, f_min)
        curve.set_data(np.arange(len(gap)), gap)
        curve.set_color(c)
        ax1.set_yscale("log" if f_min is not None else "linear")
        ax1.set_ylabel("$f - f^*$" if f_min is not None else "$f$")
        ax1.set_xlim(0, max(len(gap) - 1, 1))
        finite = gap[np.isfinite(gap)]
        if finite.size:
            lo, hi = finite.min(), finite.max()
            if f_min is not None:
                ax1.set_ylim(lo / 2, hi * 2)
            else:
                pad = 0.05 * (hi - lo) + 1e-12
                ax1.set_ylim(lo - pad, hi + pad)
        title1.set_text("diverged" if np.any(trace.diverged)
                        else f"final f = {float(np.ravel(trace.final_loss)[0]):.3g}")
        return image, stars, line, start, curve

    update(problem, trace, name)
    fig.tight_layout()
    return fig, update
