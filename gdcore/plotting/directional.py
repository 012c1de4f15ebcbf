r"""Figures of chapter 2: directional derivatives, the gradient and level sets.

Notation as in the chapter: a point x, a unit direction u, the slice φ(t) = f(x + t u), the
directional derivative D_u f(x) = g'(0) = ∇f(x)·u and the curvature along u, κ = uᵀ∇²f(x)u.
Every function returns the ``Figure`` (and, for the interactive figure, an ``update`` function
that moves artists); the notebook decides what to show.
"""

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np

from .base import contour, static_slider

__all__ = [
    "ASCENT", "DESCENT", "DIRECTION", "GRADIENT", "MODEL",
    "slice_figure", "polar_figure", "level_set_figure", "locality_figure", "descent_step_figure",
    "directional_figure", "directional_slider",
]

# The same colours for the same objects in every figure of the chapter.
DIRECTION = "#d62728"   # the direction u
GRADIENT = "#ffffff"    # ∇f on a contour plot (white stands out on viridis)
MODEL = "#ff7f0e"       # the linear (tangent) model
ASCENT = "#2ca02c"      # D_u f > 0
DESCENT = "#1f77b4"     # D_u f < 0


def slice_figure(problem, x, u, *, span=1.0, n=201):
    r"""Left: contours of f with the line x + t u. Right: the slice φ(t) = f(x + t u) and its
    tangent φ(0) + t D_u f(x), with D_u f(x) = ∇f(x)·u (u unit)."""
    x, u = np.asarray(x, dtype=float), np.asarray(u, dtype=float)
    t = np.linspace(-span, span, n)
    line = x + t[:, None] * u
    g = problem.f(line)
    slope = float(problem.grad(x) @ u)
    fig, (ax_c, ax_s) = plt.subplots(1, 2, figsize=(8.5, 3.7))
    contour(problem, ax_c)
    ax_c.plot(line[:, 0], line[:, 1], color=DIRECTION, lw=2, label=r"$x + t\,u$")
    ax_c.quiver(*x, *u, color=DIRECTION, angles="xy", scale_units="xy", scale=1, width=0.012)
    ax_c.plot(*x, "o", color="black")
    ax_c.set_aspect("equal")
    ax_c.legend(loc="lower left", fontsize=9, framealpha=0.9)
    ax_c.set_title(r"the line through $x$ along $u$")
    ax_s.plot(t, g, color="black", label=r"$\varphi(t) = f(x + t\,u)$")
    ax_s.plot(t, g[n // 2] + slope * t, "--", color=MODEL,
              label=rf"tangent, slope $D_u f(x) = {slope:.2f}$")
    ax_s.plot(0, g[n // 2], "o", color="black")
    ax_s.set_xlabel("$t$ (distance along $u$)")
    ax_s.set_ylabel("$f$")
    ax_s.legend(fontsize=9)
    ax_s.set_title("the slice of $f$ along the line")
    fig.tight_layout()
    return fig


def polar_figure(angles, slopes, grad):
    r"""D_u f over the angle of u, once in polar form and once against the angle.

    In polar form r = |D_u f| = ‖∇f‖ |cos ψ| draws two circles of diameter ‖∇f‖ through the
    origin: the ascent half (D_u f > 0, green) around ∇f, the descent half (blue) around −∇f.
    """
    angles, slopes = np.asarray(angles, dtype=float), np.asarray(slopes, dtype=float)
    grad = np.asarray(grad, dtype=float)
    norm, phi = np.linalg.norm(grad), np.arctan2(grad[1], grad[0])
    up = np.where(slopes >= 0, slopes, np.nan)
    down = np.where(slopes < 0, slopes, np.nan)
    fig = plt.figure(figsize=(8.5, 3.9))
    ax_p = fig.add_subplot(1, 2, 1, projection="polar")
    ax_p.plot(angles, up, color=ASCENT, lw=2)
    ax_p.plot(angles, -down, color=DESCENT, lw=2)
    ax_p.annotate("", xy=(phi, norm), xytext=(0, 0),
                  arrowprops={"arrowstyle": "->", "color": "black", "lw": 1.5})
    ax_p.text(phi, 1.12 * norm, r"$\nabla f$", ha="center", va="center")
    for perp in (phi + np.pi / 2, phi - np.pi / 2):
        ax_p.plot([perp, perp], [0, norm], ":", color="grey")
    ax_p.set_rmax(1.2 * norm)
    # Three radial labels, along a zero-slope direction: the circles pass through the origin
    # there, so no label sits on a curve.
    ax_p.set_rticks(mpl.ticker.MaxNLocator(3).tick_values(0, norm)[1:-1])
    ax_p.set_rlabel_position(np.degrees(phi) + 90)
    ax_p.tick_params(axis="y", labelsize=8)
    ax_p.set_title(r"$|D_u f(x)|$ against the direction of $u$" "\n"
                   r"green: $D_u f > 0$ (ascent), blue: $D_u f < 0$ (descent)", fontsize=10)

    ax_c = fig.add_subplot(1, 2, 2)
    deg = np.degrees(angles)
    ax_c.plot(deg, up, color=ASCENT, lw=2)
    ax_c.plot(deg, down, color=DESCENT, lw=2)
    ax_c.axhline(0, color="grey", lw=0.8)
    ax_c.axhline(norm, ls="--", color=ASCENT, lw=1)
    ax_c.axhline(-norm, ls="--", color=DESCENT, lw=1)
    up_deg, down_deg = np.degrees(phi) % 360, np.degrees(phi + np.pi) % 360
    # each level labelled where the curve is farthest from it (at the opposite extreme)
    ax_c.text(down_deg + 4, norm, r"$+\|\nabla f\|$", va="bottom")
    ax_c.text(up_deg + 4, -norm, r"$-\|\nabla f\|$", va="top")
    for value, col in ((up_deg, ASCENT), (down_deg, DESCENT)):
        ax_c.axvline(value, color=col, lw=1, ls=":")
    ax_c.set_xlabel(r"angle of $u$ (degrees from the $x_1$-axis)")
    ax_c.set_ylabel(r"$D_u f(x) = \|\nabla f\|\cos\psi$")
    ax_c.set_xlim(deg[0], deg[-1])
    ax_c.set_ylim(-1.3 * norm, 1.3 * norm)
    ax_c.set_title("the same numbers against the angle", fontsize=10)
    fig.tight_layout()
    return fig


def level_set_figure(problem, points, *, grid=13, tangents=None, level_point=None):
    r"""Contours of f with the normalized gradient field ∇f/‖∇f‖ on a grid (quiver), and at
    ``points`` (k, 2) the gradient and, if given, the numerically found level-curve tangents
    ``tangents`` (k, 2). ``level_point`` adds the level curve through that point."""
    (x_lo, x_hi), (y_lo, y_hi) = problem.bounds
    gx, gy = np.meshgrid(np.linspace(x_lo, x_hi, grid), np.linspace(y_lo, y_hi, grid))
    g = problem.grad(np.stack([gx, gy], axis=-1))
    g = g / np.maximum(np.linalg.norm(g, axis=-1, keepdims=True), 1e-12)
    fig, ax = plt.subplots(figsize=(6, 5.4))
    contour(problem, ax)
    ax.quiver(gx, gy, g[..., 0], g[..., 1], color=GRADIENT, alpha=0.8, angles="xy",
              scale_units="xy", scale=1.6, width=0.004)
    if level_point is not None:
        n = 300
        cx, cy = np.meshgrid(np.linspace(x_lo, x_hi, n), np.linspace(y_lo, y_hi, n))
        level = float(problem.f(np.asarray(level_point, dtype=float)))
        ax.contour(cx, cy, problem.f(np.stack([cx, cy], axis=-1)), levels=[level],
                   colors="black", linewidths=1.5)
    points = np.atleast_2d(np.asarray(points, dtype=float))
    gp = problem.grad(points)
    gp = gp / np.linalg.norm(gp, axis=-1, keepdims=True)
    ax.quiver(points[:, 0], points[:, 1], gp[:, 0], gp[:, 1], color=ASCENT, angles="xy",
              scale_units="xy", scale=0.8, width=0.008, label=r"$\nabla f/\|\nabla f\|$")
    if tangents is not None:
        tangents = np.asarray(tangents, dtype=float)
        for sign in (1, -1):
            ax.quiver(points[:, 0], points[:, 1], sign * tangents[:, 0], sign * tangents[:, 1],
                      color=DIRECTION, angles="xy", scale_units="xy", scale=1.2, width=0.006,
                      label="level-curve tangent" if sign == 1 else None)
    ax.plot(points[:, 0], points[:, 1], "o", color="black", ms=4)
    ax.set_aspect("equal")
    ax.legend(loc="lower left", fontsize=8, framealpha=0.9)
    ax.set_title(r"$\nabla f$ is perpendicular to the level curves")
    fig.tight_layout()
    return fig


def locality_figure(t, g, slope, curvature, *, tol, t_tol):
    r"""Left: the slice φ(t), its linear model φ(0) + t D_u f and the quadratic model
    + ½ κ t², with the band where the linear model is within ``tol``. Right: the error of the
    linear model against t on log-log axes, with the second-order prediction ½|κ| t²."""
    t, g = np.asarray(t, dtype=float), np.asarray(g, dtype=float)
    g0 = float(np.interp(0.0, t, g))
    linear = g0 + slope * t
    fig, (ax_l, ax_e) = plt.subplots(1, 2, figsize=(8.5, 3.9))
    ax_l.plot(t, g, color="black", lw=2, label=r"$\varphi(t) = f(x + t\,u)$")
    ax_l.plot(t, linear, "--", color=MODEL, label=r"linear model $\varphi(0) + t\,D_u f$")
    ax_l.plot(t, linear + 0.5 * curvature * t**2, ":", color=DESCENT,
              label=r"quadratic model $+\frac{1}{2}\kappa t^2$")
    # the interval around t = 0 on which the linear model stays within tol of f
    inside = np.abs(g - linear) <= tol
    i0 = int(np.argmin(np.abs(t)))
    left, right = i0, i0
    while left > 0 and inside[left - 1]:
        left -= 1
    while right < t.size - 1 and inside[right + 1]:
        right += 1
    ax_l.axvspan(t[left], t[right], color=MODEL, alpha=0.15,
                 label=rf"linear model within {tol:g} of $f$")
    lo, hi = np.min(g), np.max(g)
    ax_l.set_ylim(lo - 0.1 * (hi - lo), hi + 0.1 * (hi - lo))
    ax_l.set_xlabel("$t$")
    ax_l.set_ylabel("$f$")
    ax_l.legend(fontsize=8.5)
    ax_l.set_title("the linear model is good only near $t = 0$")

    pos = t > 0
    err = np.abs(g - linear)[pos]
    ax_e.loglog(t[pos], err, color="black", lw=2, label="measured error")
    ax_e.loglog(t[pos], 0.5 * abs(curvature) * t[pos] ** 2, "--", color=DESCENT,
                label=r"$\frac{1}{2}|\kappa|\,t^2$")
    ax_e.axhline(tol, color=MODEL, lw=1, label=f"tolerance {tol:g}")
    ax_e.axvline(t_tol, color="grey", lw=1, label=rf"$t_{{tol}} = {t_tol:.3f}$")
    ax_e.set_xlabel("$t$")
    ax_e.set_ylabel(r"$|\varphi(t) - \varphi(0) - t\,D_u f|$")
    ax_e.legend(fontsize=8.5)
    ax_e.set_title("error of the linear model: slope 2")
    fig.tight_layout()
    return fig


def descent_step_figure(eta, phi, f0, grad_norm_sq, curvature, *, eta_cross):
    r"""φ(η) = f(x − η∇f(x)) against the learning rate η, with its linear model
    f(x) − η‖∇f‖² and quadratic model + ½ η² ∇fᵀ∇²f∇f; shaded where the step decreases f."""
    eta, phi = np.asarray(eta, dtype=float), np.asarray(phi, dtype=float)
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.plot(eta, phi, color="black", lw=2, label=r"$f(x - \eta\nabla f(x))$")
    ax.plot(eta, f0 - grad_norm_sq * eta, "--", color=MODEL,
            label=r"linear model $f(x) - \eta\|\nabla f\|^2$")
    ax.plot(eta, f0 - grad_norm_sq * eta + 0.5 * curvature * eta**2, ":", color=DESCENT,
            label="quadratic model")
    ax.axhline(f0, color="grey", lw=1)
    ax.axvspan(0, eta_cross, color=ASCENT, alpha=0.15, label="the step decreases $f$")
    lo, hi = np.min(phi), np.max(phi)
    ax.set_ylim(lo - 0.1 * (hi - lo), hi + 0.1 * (hi - lo))
    ax.set_xlim(eta[0], eta[-1])
    ax.set_xlabel(r"learning rate $\eta$")
    ax.set_ylabel("$f$ after one step")
    ax.legend(fontsize=9)
    ax.set_title("one gradient step: small steps descend, large ones may not")
    fig.tight_layout()
    return fig


def directional_figure(problem, view, *, ylim=None, dpi=None):
    r"""The interactive figure: contours with the point x, the direction u, ∇f/‖∇f‖ and the line
    x + t u (left), and the slice φ(t) with its tangent of slope D_u f (right).

    ``view`` is what :func:`gdcore.widgets.directional.directional_view` returns. Returns
    ``(fig, update)``; ``update(view)`` moves the artists to a new view (nothing is redrawn
    from scratch), so it serves both the live widget and the static slider.
    """
    fig, (ax_c, ax_s) = plt.subplots(1, 2, figsize=(8.6, 3.7), dpi=dpi)
    contour(problem, ax_c, n=120)
    (line,) = ax_c.plot([], [], color=DIRECTION, lw=2)
    # arrows a fifth of the box wide, the white one outlined in black to stand out
    arrows = ax_c.quiver([0, 0], [0, 0], [1, 1], [0, 0], color=[DIRECTION, GRADIENT],
                         angles="xy", scale_units="xy", scale=1, width=0.02,
                         edgecolor="black", linewidth=0.8, zorder=4)
    (x_lo, x_hi), (y_lo, y_hi) = problem.bounds
    gx, gy = np.meshgrid(np.linspace(x_lo, x_hi, 160), np.linspace(y_lo, y_hi, 160))
    gz = problem.f(np.stack([gx, gy], axis=-1))
    level = {"set": None}
    (dot,) = ax_c.plot([], [], "o", color="black")
    ax_c.set_aspect("equal")
    (level_key,) = ax_c.plot([], [], color="yellow", lw=1.5)
    ax_c.legend([line, arrows, level_key],
                [r"line $x + t\,u$", r"red $u$, white $\nabla f/\|\nabla f\|$",
                 "contour through $x$"], loc="lower left", fontsize=8)
    (curve,) = ax_s.plot([], [], color="black", lw=2, label=r"$\varphi(t) = f(x + t\,u)$")
    (tangent,) = ax_s.plot([], [], "--", color=MODEL, label=r"tangent, slope $D_u f$")
    (origin,) = ax_s.plot([], [], "o", color="black")
    ax_s.set_xlabel("$t$")
    ax_s.legend(loc="upper left", fontsize=9)

    def update(v):
        line.set_data(v.line[:, 0], v.line[:, 1])
        scale = 0.2 * (problem.bounds[0][1] - problem.bounds[0][0])
        if level["set"] is not None:
            level["set"].remove()
        level["set"] = ax_c.contour(gx, gy, gz, levels=[v.fx], colors="yellow",
                                    linewidths=1.5, zorder=3)
        arrows.set_offsets(np.stack([v.x, v.x]))
        arrows.set_UVC(scale * np.array([v.u[0], v.grad_unit[0]]),
                       scale * np.array([v.u[1], v.grad_unit[1]]))
        dot.set_data([v.x[0]], [v.x[1]])
        curve.set_data(v.t, v.heights)
        tangent.set_data(v.t, v.tangent)
        origin.set_data([0.0], [v.fx])
        ax_s.set_xlim(v.t[0], v.t[-1])
        if ylim is None:
            lo, hi = np.min(v.heights), np.max(v.heights)
            pad = 0.1 * max(hi - lo, 1e-9)
            ax_s.set_ylim(lo - pad, hi + pad)
        else:
            ax_s.set_ylim(*ylim)
        # Plain-text titles at a fixed height (y=1): these change every frame, and mathtext
        # parsing and automatic title placement would dominate the rendering time of the
        # static slider's frames.
        ax_c.set_title(f"x = ({v.x[0]:.2f}, {v.x[1]:.2f}),  angle of u = {v.angle_deg:.0f}°",
                       fontsize=10, y=1.0)
        ax_s.set_title(f"slope along u:  ∇f·u = {v.slope:.2f} = ‖∇f‖ cos ψ,  "
                       f"ψ = {v.theta_deg:.0f}°", fontsize=10, y=1.0)
        return line, arrows, dot, curve, tangent, origin

    update(view)
    fig.tight_layout()  # after the first update, so that the titles have their final height
    return fig, update


def directional_slider(problem, views, *, dpi=80, alt=None):
    r"""The static (kernel-free) version of the widget: one frame per view in ``views``, with a
    common y-range, as an HTML/JS player string; ``alt`` describes it (a generic text if None).

    Frames are embedded as JPEG rather than PNG: the filled contours compress badly as PNG
    (about 75 kB a frame at 72 dpi against 30 kB), and a page must stay under 3 MB. At 80 dpi
    the figure is as wide as the book's text column, so its labels are read at full size.
    """
    lo = min(float(np.min(v.heights)) for v in views)
    hi = max(float(np.max(v.heights)) for v in views)
    pad = 0.05 * (hi - lo)
    fig, update = directional_figure(problem, views[0], ylim=(lo - pad, hi + pad), dpi=dpi)
    alt = alt or (f"Contour plot of {problem.name} with a point, a direction u, the gradient "
                  "and the line along u, beside the slice of f along that line and its tangent; "
                  "the slider turns u.")
    return static_slider(fig, lambda i: update(views[i]), len(views), alt=alt,
                         frame_format="jpeg")
