"""Figures shared by every chapter: colours, contour plots, trajectories and static sliders.

The static slider is how the rendered book stays interactive without a kernel: the frames of a
figure are precomputed with matplotlib's ``FuncAnimation`` and embedded as an HTML/JS player
(``to_jshtml``), which works offline in the static HTML.
"""

import re
from html import escape

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.animation import FuncAnimation

__all__ = ["COLORS", "color", "contour", "path", "static_slider"]

# One colour per optimizer, the same in every figure of the book (colour-blind friendly "tab10").
COLORS = {
    "gd": "#1f77b4",
    "sgd": "#1f77b4",
    "momentum": "#ff7f0e",
    "nesterov": "#2ca02c",
    "adagrad": "#d62728",
    "rmsprop": "#9467bd",
    "adadelta": "#8c564b",
    "adam": "#e377c2",
    "adamw": "#7f7f7f",
    "amsgrad": "#bcbd22",
    "nadam": "#17becf",
    "sgld": "#393b79",
    "newton": "#000000",
    "lbfgs": "#8c6d31",
    "radam": "#637939",
    "adamax": "#ad494a",
    "lion": "#e7969c",
    "muon": "#6b6ecf",
}


def color(name: str) -> str:
    """The book's colour for optimizer ``name`` (case-insensitive); grey for unknown names."""
    return COLORS.get(name.lower(), "#555555")


def contour(problem, ax=None, *, levels=30, log=True, n=200, cmap="viridis", bounds=None):
    """Filled contour plot of a 2-D ``problem.f`` over ``problem.bounds``; returns the axes.

    With ``log=True`` the levels are spaced logarithmically above the minimum, so that valleys
    like Rosenbrock's stay visible.
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 4))
    (x_lo, x_hi), (y_lo, y_hi) = bounds if bounds is not None else problem.bounds
    gx, gy = np.meshgrid(np.linspace(x_lo, x_hi, n), np.linspace(y_lo, y_hi, n))
    z = problem.f(np.stack([gx, gy], axis=-1))
    if log:
        # Contour log10(f - min f): equally spaced levels then resolve valleys and plateaus alike.
        shift = z - z.min()
        z = np.log10(shift + max(shift.max() * 1e-4, 1e-12))
    ax.contourf(gx, gy, z, levels=levels, cmap=cmap)
    ax.contour(gx, gy, z, levels=levels, colors="white", linewidths=0.3, alpha=0.5)
    ax.set_xlim(x_lo, x_hi)
    ax.set_ylim(y_lo, y_hi)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    return ax


def path(ax, xs, *, label=None, color=None, marker="o", markersize=2.5, **kwargs):
    """Draw a 2-D trajectory ``xs`` (steps + 1, 2), its start marked; returns the line."""
    xs = np.asarray(xs)
    (line,) = ax.plot(xs[:, 0], xs[:, 1], marker=marker, markersize=markersize, label=label,
                      color=color, lw=1.2, **kwargs)
    ax.plot(xs[0, 0], xs[0, 1], "s", color=line.get_color(), markersize=5)
    return line


def static_slider(fig, update, frames, *, alt=None, frame_format="png", interval=200,
                  default_mode="once"):
    """Precompute ``update(frame)`` for every frame and return an offline HTML/JS player.

    ``update`` changes artist data of ``fig`` (it should not redraw the figure); ``frames`` is an
    iterable or a count. The figure is closed so that it is not shown a second time. Keep frames
    and dpi modest: every frame is embedded as a PNG, and a page should stay under 3 MB.
    ``alt`` describes the figure for readers who cannot see it (matplotlib's player has none).
    ``frame_format="jpeg"`` suits filled contours, which compress several times better as JPEG
    than as PNG.
    In a notebook: ``HTML(static_slider(...))`` from ``IPython.display``.
    """
    alt = alt or "Precomputed figure; drag the slider below it to change the frame."
    anim = FuncAnimation(fig, update, frames=frames, interval=interval, blit=False)
    with plt.rc_context({"animation.frame_format": frame_format}):
        html = anim.to_jshtml(default_mode=default_mode)
    plt.close(fig)
    return _offline_player(html, alt)


# matplotlib's player draws its buttons with Font Awesome 4 from a CDN; offline the icons vanish
# (and the request fails), so the buttons get plain characters instead.
_BUTTON_ICONS = {
    "fa fa-minus": "−", "fa fa-fast-backward": "⇤", "fa fa-step-backward": "◂",
    "fa fa-play fa-flip-horizontal": "◀", "fa fa-pause": "‖", "fa fa-play": "▶",
    "fa fa-step-forward": "▸", "fa fa-fast-forward": "⇥", "fa fa-plus": "+",
}


def _offline_player(html: str, alt: str) -> str:
    """The jshtml player without CDN requests, its frame image described by ``alt``."""
    html = re.sub(r'<link rel="stylesheet"\s+href="https://maxcdn[^"]*">', "", html)
    html = re.sub(r'<i class="([^"]+)"></i>', lambda m: _BUTTON_ICONS.get(m.group(1), "·"), html)
    tag = r'<img id="(_anim_img\w+)">'
    return re.sub(tag, lambda m: f'<img id="{m.group(1)}" alt="{escape(alt)}">', html, count=1)
