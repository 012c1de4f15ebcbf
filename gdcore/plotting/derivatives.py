"""Figures of chapter 1 (derivatives and numerical differentiation).

Each function takes numbers the chapter has already computed (and asserted) and returns the
``Figure``; the notebook decides whether to show it. ``secant_explorer`` returns the figure and a
``draw`` function that moves its artists, shared by the live widget and the static slider.
"""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import FuncFormatter, LogLocator

from .base import contour

__all__ = [
    "STENCIL_COLORS", "secants_figure", "secant_explorer", "difference_errors_figure",
    "partials_figure", "taylor_errors_figure", "curvature_figure", "grad_check_figure",
    "roundoff_staircase_figure",
]

# The same colour for a difference stencil in every figure of the chapter.
STENCIL_COLORS = {"forward": "#1f77b4", "backward": "#ff7f0e", "central": "#2ca02c"}


def _curve(f, xlim, n=400):
    xs = np.linspace(*xlim, n)
    return xs, np.array([float(f(x)) for x in xs])


def secants_figure(f, x0, hs, fprime, *, xlim, label="f"):
    """Secants of ``f`` through x0 and x0 + h for each h in ``hs``, and the tangent at x0."""
    fig, ax = plt.subplots(figsize=(6.4, 4.0))
    xs, ys = _curve(f, xlim)
    ax.plot(xs, ys, color="black", lw=2, label=f"${label}(x)$")
    y0, slope0 = float(f(x0)), float(fprime(x0))
    ax.plot(xs, y0 + slope0 * (xs - x0), "k--", lw=1.2, label=f"tangent, slope {slope0:.4f}")
    shades = plt.cm.viridis(np.linspace(0.85, 0.2, len(hs)))
    for h, shade in zip(hs, shades, strict=True):
        slope = (float(f(x0 + h)) - y0) / h
        ax.plot(xs, y0 + slope * (xs - x0), color=shade, lw=1.2,
                label=f"secant $h = {h:g}$, slope {slope:.4f}")
        ax.plot([x0 + h], [float(f(x0 + h))], "o", color=shade, ms=5)
    ax.plot([x0], [y0], "ko", ms=6)
    ax.set_xlim(*xlim)
    ax.set_ylim(ys.min() - 0.3 * np.ptp(ys), ys.max() + 0.3 * np.ptp(ys))
    ax.set_xlabel("$x$")
    ax.set_ylabel(f"${label}(x)$")
    ax.set_title(f"Secants through $x_0 = {x0:g}$ turn into the tangent as $h \\to 0$")
    ax.legend(fontsize=8, loc="lower center")
    fig.tight_layout()
    return fig


def secant_explorer(f, x0, fprime, hs, errors, *, xlim=None, label="f", dpi=None,
                    figsize=(8.6, 3.4), zoom=False):
    """Secant of ``f`` at ``x0`` (left) and forward-difference error vs h (right).

    ``hs``, ``errors``: the full error curve drawn once. Returns ``(fig, draw)``; ``draw(data)``
    takes a ``SecantData`` and moves the secant, its two points, the error marker and the titles.
    The default size is the book's text width at dpi 80 (688 px), so the static slider's frames
    are shown unscaled and its labels stay readable.

    ``zoom=True``: the left panel follows h. It shows, on x0 − h ≤ x ≤ x0 + 2h, the computed
    f(x) − f(x0) − f'(x0)(x − x0) (the graph with the tangent subtracted) and the secant minus
    the tangent, so every frame differs: a parabola of height ∝ h² while truncation dominates,
    the round-off staircase of the computed f once h²|f''| is near ε|f|.
    """
    if zoom:
        return _secant_zoom_explorer(f, x0, fprime, hs, errors, label=label, dpi=dpi,
                                     figsize=figsize)
    xlim = xlim if xlim is not None else (x0 - 1.5, x0 + 1.5)
    fig, (ax, ax_err) = plt.subplots(1, 2, figsize=figsize, dpi=dpi)
    xs, ys = _curve(f, xlim, n=200)
    ax.plot(xs, ys, color="black", lw=2)
    y0, slope0 = float(f(x0)), float(fprime(x0))
    ax.plot(xs, y0 + slope0 * (xs - x0), "k--", lw=1, label="tangent")
    (secant,) = ax.plot([], [], color=STENCIL_COLORS["forward"], lw=1.5, label="secant")
    (points,) = ax.plot([], [], "o", color=STENCIL_COLORS["forward"], ms=5)
    ax.set_xlim(*xlim)
    ax.set_ylim(ys.min() - 0.3 * np.ptp(ys), ys.max() + 0.3 * np.ptp(ys))
    ax.set_xlabel("x", fontsize=10)
    ax.set_ylabel(f"{label}(x)", fontsize=10)
    ax.legend(fontsize=9, loc="lower right")

    tiny = np.finfo(float).tiny  # an exact zero error would vanish from a log axis
    marker = _error_axis(ax_err, hs, errors)
    for a in (ax, ax_err):
        a.tick_params(labelsize=9)
        a.set_title(" ", fontsize=10)  # reserve the room that draw() fills in
    fig.tight_layout()

    def draw(data):
        secant.set_data(xs, data.y[0] + data.slope * (xs - data.x[0]))
        points.set_data(data.x, data.y)
        marker.set_data([data.h], [max(data.error, tiny)])
        ax.set_title(f"h = {data.h:.1e}, slope = {data.slope:.10f}", fontsize=10)
        ax_err.set_title(f"error = {data.error:.1e}", fontsize=10)
        return secant, points, marker

    return fig, draw


def _error_axis(ax_err, hs, errors):
    tiny = np.finfo(float).tiny  # an exact zero error would vanish from a log axis
    ax_err.loglog(hs, np.maximum(errors, tiny), color=STENCIL_COLORS["forward"], lw=1)
    (marker,) = ax_err.loglog([], [], "o", color="crimson", ms=7)
    ax_err.set_ylim(max(np.min(errors[errors > 0]) / 3, 1e-17), np.max(errors) * 3)
    ax_err.set_xlabel("step h", fontsize=10)
    ax_err.set_ylabel("|secant slope − f′(x₀)|", fontsize=10)
    # Few ticks and plain-text titles: each frame of the static slider redraws them all.
    for axis in (ax_err.xaxis, ax_err.yaxis):
        axis.set_major_locator(LogLocator(numticks=5))
        axis.set_major_formatter(FuncFormatter(lambda v, _: f"1e{np.log10(v):.0f}"))
    ax_err.minorticks_off()
    ax_err.grid(True, which="major", alpha=0.3)
    return marker


def _secant_zoom_explorer(f, x0, fprime, hs, errors, *, label, dpi, figsize):
    fig, (ax, ax_err) = plt.subplots(1, 2, figsize=figsize, dpi=dpi)
    y0, slope0 = float(f(x0)), float(fprime(x0))
    ax.axhline(0.0, color="black", ls="--", lw=1, label="tangent")
    (graph,) = ax.plot([], [], color="black", lw=1.5, drawstyle="steps-mid",
                       label=f"computed {label}(x) − tangent")
    (secant,) = ax.plot([], [], color=STENCIL_COLORS["forward"], lw=1.5,
                        label="secant − tangent")
    (points,) = ax.plot([], [], "o", color=STENCIL_COLORS["forward"], ms=5)
    ax.set_xlabel("(x − x₀) / h", fontsize=10)
    ax.legend(fontsize=8, loc="lower left")
    marker = _error_axis(ax_err, hs, errors)
    tiny = np.finfo(float).tiny
    for a in (ax, ax_err):
        a.tick_params(labelsize=9)
        a.set_title(" ", fontsize=10)
    fig.tight_layout()
    s = np.linspace(-1.0, 2.0, 301)

    def draw(data):
        h = data.h
        resid = np.array([float(f(x0 + h * si)) for si in s]) - y0 - slope0 * h * s
        line = (data.slope - slope0) * h * s
        graph.set_data(s, resid)
        secant.set_data(s, line)
        points.set_data([0.0, 1.0], [0.0, data.y[1] - y0 - slope0 * h])
        top = max(np.max(np.abs(resid)), np.max(np.abs(line)), tiny)
        ax.set_xlim(s[0], s[-1])
        ax.set_ylim(-1.15 * top, 1.15 * top)
        ax.set_ylabel(f"{label}(x) − tangent", fontsize=10)
        marker.set_data([h], [max(data.error, tiny)])
        ax.set_title(f"h = {h:.1e}, slope = {data.slope:.10f}", fontsize=10)
        ax_err.set_title(f"error = {data.error:.1e}", fontsize=10)
        return graph, secant, points, marker

    return fig, draw


def roundoff_staircase_figure(f, x0, fprime, fsecond, s_max=1e-7, n=2001, label="f"):
    r"""The computed f(x0 + s) − f(x0) − s f'(x0) for |s| ≤ ``s_max``, beside the exact
    second-order term ½ f''(x0) s²: the rounding of f shows as a staircase of ulp-sized steps.
    Returns ``(fig, s, residual)``."""
    s = np.linspace(-s_max, s_max, n)
    y0, slope0 = float(f(x0)), float(fprime(x0))
    residual = f(x0 + s) - y0 - s * slope0
    fig, ax = plt.subplots(figsize=(6.4, 3.6))
    ax.plot(s, residual, color="black", lw=1, drawstyle="steps-mid",
            label=rf"computed ${label}(x_0 + s) - {label}(x_0) - s\,{label}'(x_0)$")
    ax.plot(s, 0.5 * fsecond * s**2, "--", color=STENCIL_COLORS["central"], lw=1.5,
            label=rf"exact: $\frac{{1}}{{2}}{label}''(x_0)\,s^2$")
    ax.set_xlabel("$s$")
    ax.set_ylabel("deviation from the tangent")
    ax.set_title("at this scale the computed function is a staircase")
    ax.legend(fontsize=8.5, loc="lower center")
    fig.tight_layout()
    return fig, s, residual


def difference_errors_figure(hs, errors, *, models=None, optimal=None, fits=None):
    """Log-log plot of |approximation − f'(x0)| against h, one curve per stencil.

    ``errors`` and ``models``: dicts stencil name → array over ``hs`` (models dashed);
    ``optimal``: name → predicted optimal h (dotted vertical line); ``fits``: name → (slope,
    (h_lo, h_hi)) printed in the legend for the fitted range.
    """
    fig, ax = plt.subplots(figsize=(6.4, 4.2))
    tiny = np.finfo(float).tiny
    for name, err in errors.items():
        c = STENCIL_COLORS[name]
        text = name
        if fits and name in fits:
            text += f" (fitted slope {fits[name][0]:.2f})"
        ax.loglog(hs, np.maximum(err, tiny), color=c, lw=1.2, label=text)
        if models and name in models:
            ax.loglog(hs, models[name], "--", color=c, lw=1, alpha=0.8)
        if optimal and name in optimal:
            ax.axvline(optimal[name], color=c, ls=":", lw=1.2)
    ax.plot([], [], "k--", lw=1, label="error model")
    ax.plot([], [], "k:", lw=1.2, label="predicted optimal $h$")
    positive = np.concatenate([e[e > 0] for e in errors.values()])
    ax.set_ylim(positive.min() / 3, positive.max() * 3)
    ax.set_xlabel("step $h$")
    ax.set_ylabel("absolute error")
    ax.set_title("Truncation error falls with $h$, round-off error rises as $h$ shrinks")
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=8, loc="lower left")
    fig.tight_layout()
    return fig


def partials_figure(problem, x, grad, *, half_width=1.5):
    """Partial derivatives as slopes of slices: the contour of a 2-D ``problem`` with the two
    coordinate lines through ``x`` (left), and f along each line with its tangent of slope
    ∂f/∂x_i (right, one above the other). Sized for the book's text width."""
    fig, axes = plt.subplot_mosaic([["map", "s1"], ["map", "s2"]], figsize=(7.2, 5.0),
                                   width_ratios=[1.15, 1.0])
    ax_map = axes["map"]
    x = np.asarray(x, dtype=float)
    contour(problem, ax_map, levels=25)
    t = np.linspace(-half_width, half_width, 201)
    for i, ax in enumerate((axes["s1"], axes["s2"])):
        e = np.eye(2)[i]
        line = x + t[:, None] * e
        c = ("#d62728", "#9467bd")[i]
        ax_map.plot(line[:, 0], line[:, 1], color=c, lw=2)
        ax.plot(x[i] + t, problem.f(line), color=c, lw=2, label=f"$f$ along $x_{i + 1}$")
        ax.plot(x[i] + t, problem.f(x) + grad[i] * t, "k--", lw=1,
                label=f"slope {grad[i]:.2f}")
        ax.plot([x[i]], [problem.f(x)], "ko", ms=5)
        ax.set_xlabel(f"$x_{i + 1}$  (other coordinate fixed)")
        ax.set_ylabel("$f$")
        ax.legend(fontsize=8, loc="upper right")
    ax_map.plot(*x, "ko", ms=5)
    ax_map.set_aspect("equal")
    ax_map.set_title(f"{problem.name.capitalize()}: lines through "
                     f"$x = ({x[0]:g}, {x[1]:g})$", fontsize=10)
    axes["s1"].set_title("slope of $f(x_1, x_2^0)$ is $\\partial f/\\partial x_1$", fontsize=10)
    axes["s2"].set_title("slope of $f(x_1^0, x_2)$ is $\\partial f/\\partial x_2$", fontsize=10)
    fig.tight_layout()
    return fig


def taylor_errors_figure(ts, errors, slopes=None):
    """Log-log errors of Taylor models of f along a line x + t v, against the step length t.

    ``errors``: dict model name → |f(x + tv) − model(t)| over ``ts``; ``slopes``: name → fitted
    slope, shown in the legend.
    """
    fig, ax = plt.subplots(figsize=(5.6, 3.8))
    for (name, err), c in zip(errors.items(), ("#1f77b4", "#d62728"), strict=False):
        text = f"{name}, slope {slopes[name]:.2f}" if slopes else name
        ax.loglog(ts, err, "o-", color=c, ms=3, lw=1.2, label=text)
    ax.set_xlabel("distance $t$ from $x$ along $v$")
    ax.set_ylabel("$|f(x + tv) - \\mathrm{model}(t)|$")
    ax.set_title("The gradient leaves an $O(t^2)$ error, the Hessian $O(t^3)$", fontsize=10)
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def curvature_figure(problem, angles, curvatures):
    """Curvature uᵀAu of a quadratic along the unit vector u = (cos φ, sin φ): the contour with
    the eigenvectors (left), and the curvature against φ between λ_min and λ_max (right)."""
    fig, (ax_c, ax) = plt.subplots(1, 2, figsize=(7.4, 3.4), width_ratios=[1.0, 1.15])
    contour(problem, ax_c, levels=20, log=False)
    lam, Q = np.linalg.eigh(problem.A)
    Q = Q * np.where(Q[1] < 0, -1.0, 1.0)  # draw each eigenvector pointing into the upper half
    center = problem.minimizer
    for k, c in zip(range(2), ("#1f77b4", "#d62728"), strict=True):
        ax_c.annotate("", xy=center + 1.5 * Q[:, k], xytext=center,
                      arrowprops={"arrowstyle": "->", "color": c, "lw": 2})
        ax_c.plot([], [], color=c, lw=2, label=f"eigenvector, λ = {lam[k]:.2f}")
    ax_c.set_aspect("equal")
    ax_c.legend(fontsize=8, loc="lower right")
    ax_c.set_title("Level sets of $\\frac{1}{2}x^\\top A x$, eigenvectors of $A$", fontsize=10)
    ax.plot(np.degrees(angles), curvatures, color="black", lw=2, label="$u^\\top A u$")
    for k, c in zip(range(2), ("#1f77b4", "#d62728"), strict=True):
        ax.axhline(lam[k], color=c, ls="--", lw=1)
        phi = np.degrees(np.arctan2(Q[1, k], Q[0, k])) % 180
        ax.plot([phi, phi + 180], [lam[k], lam[k]], "o", color=c, ms=6)
    ax.set_xlabel("angle φ of $u$ (degrees)")
    ax.set_ylabel("curvature $u^\\top A u$")
    ax.set_xticks(np.arange(0, 361, 90))
    ax.set_title("$u^\\top A u$ stays between $\\lambda_{min}$ and $\\lambda_{max}$", fontsize=10)
    fig.tight_layout()
    return fig


def grad_check_figure(labels, rel_errors, bands):
    """Horizontal bars of gradient-check relative errors on a log axis, over the verdict bands.

    ``bands``: ascending (upper threshold, verdict) pairs, e.g. [(1e-7, "great"), …,
    (inf, "wrong")]; each band is shaded from the previous threshold to its own and named in a
    row above the bars. The first label is drawn at the top.
    """
    fig, ax = plt.subplots(figsize=(6.4, 0.6 * len(labels) + 1.9))
    rel_errors = np.asarray(rel_errors, dtype=float)
    smallest = np.min(rel_errors[rel_errors > 0], initial=1e-12)
    lo, hi = min(1e-14, 10.0 ** (np.floor(np.log10(smallest)) - 2)), 10.0
    shades = ("#2ca02c", "#bcbd22", "#ff7f0e", "#d62728")
    text_colors = ("#1b6e1b", "#7a7a10", "#b35900", "#a01c1c")  # darker: readable on the tint
    top = len(labels) - 0.5 + 0.7                                # a row for the band names
    left = lo
    for (upper, verdict), shade, ink in zip(bands, shades, text_colors, strict=False):
        right = min(upper, hi)
        ax.axvspan(left, right, color=shade, alpha=0.15, lw=0)
        ax.text(np.sqrt(left * right), top - 0.35, verdict, ha="center", va="center",
                fontsize=8, color=ink)
        left = right
    y = np.arange(len(labels))[::-1]
    ax.barh(y, rel_errors, left=lo, color="#555555", height=0.5)
    ax.set_xscale("log")
    ax.set_xlim(lo, hi)
    ax.set_yticks(y, labels)
    for yi, r in zip(y, rel_errors, strict=True):
        ax.text(lo * 3, yi + 0.3, f"r = {r:.1e}", va="bottom", fontsize=8)
    ax.set_ylim(-0.5, top)
    ax.set_xlabel("relative error $r = \\|g - \\hat g\\| / (\\|g\\| + \\|\\hat g\\|)$")
    ax.set_title("Gradient check: a correct gradient sits at round-off level", fontsize=10)
    fig.tight_layout()
    return fig
