"""Figures of chapter 4: computational graphs, gradient flow through deep networks.

The graph itself comes from ``gdcore.autodiff.graph`` as plain nodes and edges; this module only
lays it out (column = depth from the inputs) and draws it with matplotlib, so the course needs no
graphviz.
"""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import MaxNLocator

from .. import autodiff, mlp
from .base import static_slider

__all__ = ["draw_graph", "gradient_flow_figure", "draw_gradient_flow", "gradient_flow_slider",
           "covering_ylim", "activation_histograms", "graph_layout", "signal_per_layer"]

_ACT_COLORS = {"sigmoid": "#d62728", "tanh": "#1f77b4", "relu": "#2ca02c", "identity": "#7f7f7f"}


def graph_layout(nodes, edges):
    """Positions {id: (x, y)} for drawing, root on the right.

    x: an operation sits at its depth (longest path from an input); a leaf (input, constant) sits
    one column left of its first consumer, so constants stay next to the operation that uses them.
    y: a tree layout from the root, each node's parents spread around it, then overlaps in a
    column pushed apart.
    """
    parents = {n["id"]: [] for n in nodes}
    children = {n["id"]: [] for n in nodes}
    for p, c, _ in edges:
        parents[c].append(p)
        children[p].append(c)
    x = {}
    for node in nodes:
        i = node["id"]
        x[i] = float(node["depth"])
    for node in reversed(nodes):
        i = node["id"]
        if not parents[i] and children[i]:
            x[i] = min(x[c] for c in children[i]) - 1.0
    y = {nodes[-1]["id"]: 0.0}
    for node in reversed(nodes):
        i = node["id"]
        y.setdefault(i, 0.0)
        ps = list(dict.fromkeys(parents[i]))
        for k, p in enumerate(ps):
            y.setdefault(p, y[i] + (len(ps) - 1) / 2.0 - k)
    for col in set(x.values()):
        ids = sorted((i for i in x if x[i] == col), key=lambda i: -y[i])
        for a, b in zip(ids[:-1], ids[1:], strict=True):
            if y[a] - y[b] < 1.0:
                y[b] = y[a] - 1.0
    return {i: (x[i], y[i]) for i in x}


def _node_text(node, show_grad):
    if node["op"] == "const":
        return f"{node['data']:.3g}"
    name = node["label"] or node["op"]
    if node["op"] in ("", "input", "const") or not node["label"]:
        head = name
    else:
        head = f"{node['label']} = {node['op']}"
    text = f"{head}\n{node['data']:.3g}"
    if show_grad:
        text += f"\n∂={node['grad']:.3g}"
    return text


def draw_graph(root_or_graph, ax=None, *, show_grad=True, show_local=True, vertical=False,
               fontsize=8):
    """Draw a computational graph (a ``Value`` or the (nodes, edges) of ``autodiff.graph``).

    Each box shows the node's name or operation, its forward value and (after ``backward``) its
    gradient ∂out/∂node; each edge is labelled with the local derivative ∂child/∂parent.
    ``vertical=True`` runs the graph from the inputs at the top down to the output, which suits
    a narrow page: a deep graph then grows in height instead of shrinking its labels. The figure
    (when ``ax`` is None) grows with ``fontsize`` so that the boxes keep their spacing.
    """
    if isinstance(root_or_graph, autodiff.Value):
        nodes, edges = autodiff.graph(root_or_graph)
    else:
        nodes, edges = root_or_graph
    pos = graph_layout(nodes, edges)
    if vertical:  # depth downwards, the tree's spread across
        pos = {i: (y, -x) for i, (x, y) in pos.items()}
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    if ax is None:
        # Inches per unit of layout: room for a box of three 8-point lines and an edge label.
        per_x, per_y = 1.3 * fontsize / 8, 1.0 * fontsize / 8
        width = per_x * (max(xs) - min(xs) + 1.2)
        height = per_y * (max(ys) - min(ys) + 1.2)
        _, ax = plt.subplots(figsize=(min(width, 12), min(height, 14)))
    boxes = {}
    for node in nodes:
        x, y = pos[node["id"]]
        is_input = not node["op"] or node["op"] in ("input", "const")
        boxes[node["id"]] = ax.text(
            x, y, _node_text(node, show_grad), ha="center", va="center", fontsize=fontsize,
            bbox={"boxstyle": "round,pad=0.3", "fc": "#deebf7" if is_input else "#fee6ce",
                  "ec": "0.3", "lw": 0.8})
    for p, c, d in edges:
        (x0, y0), (x1, y1) = pos[p], pos[c]
        # Clipped to the two boxes, whatever their size (a constant's box is one line high).
        ax.annotate("", xy=(x1, y1), xytext=(x0, y0),
                    arrowprops={"arrowstyle": "->", "color": "0.45", "lw": 1.0,
                                "patchA": boxes[p].get_bbox_patch(),
                                "patchB": boxes[c].get_bbox_patch()})
        if show_local:
            ax.text(0.5 * (x0 + x1) + (0.06 if vertical else 0.0),
                    0.5 * (y0 + y1) + (0.0 if vertical else 0.08), f"{d:.3g}", fontsize=fontsize,
                    color="#b35806", ha="left" if vertical else "center",
                    va="center" if vertical else "bottom")
    ax.set_xlim(min(xs) - 0.6, max(xs) + 0.6)
    ax.set_ylim(min(ys) - 0.6, max(ys) + 0.6)
    ax.axis("off")
    return ax


def activation_histograms(ax, stats, *, layers=None, bins=50, color=None):
    """Overlaid histograms of the hidden activations of the chosen layers (default: 5 spread)."""
    acts = stats.activations
    if layers is None:
        layers = sorted(set(np.linspace(0, len(acts) - 1, min(5, len(acts))).round().astype(int)))
    cmap = plt.get_cmap("viridis")
    lo = min(float(np.min(acts[i])) for i in layers)
    hi = max(float(np.max(acts[i])) for i in layers)
    edges = np.linspace(lo, hi if hi > lo else lo + 1.0, bins + 1)
    for k, i in enumerate(layers):
        ax.hist(acts[i].ravel(), bins=edges, histtype="step", density=True, lw=1.2,
                color=color or cmap(k / max(len(layers) - 1, 1)), label=f"layer {i + 1}")
    ax.set_xlabel("activation value")
    ax.set_ylabel("density")
    ax.legend(fontsize=8)
    return ax


def gradient_flow_figure(*, dpi=80):
    """Empty two-panel figure (back-propagated signal per layer | activation histograms)."""
    fig, axes = plt.subplots(1, 2, figsize=(8.6, 3.4), dpi=dpi)   # 688 px at 80 dpi: page width
    fig.subplots_adjust(left=0.1, right=0.98, bottom=0.15, top=0.9, wspace=0.28)
    return fig, axes


QUANTITIES = ("delta_var", "grad_norm")


def signal_per_layer(stats, quantity="delta_var"):
    """What the left panel plots, per layer l = 1 (next to the input) … L (the output layer).

    "delta_var": Var δ_l / Var δ_out with δ_l = ∂L/∂z_l, the back-propagated signal relative to
    the one that enters at the output — the quantity that vanishes or explodes.
    "grad_norm": ‖∂L/∂W_l‖_F, the weight gradients, which can stay level while δ_l vanishes
    (the activations h_l of ∂L/∂W_l = h_lᵀ δ_l may grow as δ_l shrinks).
    """
    if quantity not in QUANTITIES:
        raise ValueError(f"quantity must be one of {QUANTITIES}, got {quantity!r}")
    if quantity == "grad_norm":
        return np.asarray(stats.grad_norms, dtype=float)
    return np.asarray(stats.delta_var, dtype=float) / stats.delta_var[-1]


_YLABELS = {"delta_var": r"Var $\partial L/\partial z_l$ / Var $\partial L/\partial z_{\rm out}$",
            "grad_norm": r"$\|\partial L/\partial W_l\|$"}


def covering_ylim(values):
    """Log-axis limits that hold every positive value with a decade to spare on both sides,
    at powers of ten (so that the ticks stay put while the data move within a decade)."""
    values = np.asarray(values, dtype=float)
    positive = values[np.isfinite(values) & (values > 0)]
    if not positive.size:
        return (0.1, 10.0)
    return (10.0 ** (np.floor(np.log10(positive.min())) - 1),
            10.0 ** (np.ceil(np.log10(positive.max())) + 1))


def draw_gradient_flow(axes, stats, *, title="", ylim=None, quantity="delta_var"):
    """(Re)draw both panels for one ``mlp.LayerStats``: the signal per layer on a log scale
    (see ``signal_per_layer``) and the activation histograms. ``ylim`` defaults to
    :func:`covering_ylim` of this network's values; a slider passes one range for all frames."""
    values = signal_per_layer(stats, quantity)
    if ylim is None:
        ylim = covering_ylim(values)
    ax_norm, ax_hist = axes
    ax_norm.cla()
    ax_hist.cla()
    layers = np.arange(1, len(values) + 1)
    ax_norm.semilogy(layers, np.maximum(values, 1e-300), "o-", ms=3)
    ax_norm.set_ylim(*ylim)
    ax_norm.set_xlabel("layer (1 = next to the input)")
    ax_norm.set_ylabel(_YLABELS[quantity])
    ax_norm.set_title(title, fontsize=9)
    ax_norm.grid(True, which="major", alpha=0.3)
    ax_norm.xaxis.set_major_locator(MaxNLocator(integer=True))   # layers are whole numbers
    activation_histograms(ax_hist, stats)
    ax_hist.set_title("hidden activations", fontsize=9)
    return axes


def gradient_flow_slider(activation, init, depths=(2, 4, 6, 8, 10, 12, 14, 16, 18, 20), *,
                         width=64, n_samples=128, seed=0, residual=False, dpi=80, alt=None,
                         quantity="delta_var"):
    """Static HTML/JS slider over network depth for one activation/init pair.

    The left panel is ``signal_per_layer(stats, quantity)`` on one y-range for all frames (so
    that frames compare); the right one the hidden activations. ``alt`` describes the figure
    for readers who cannot see it; the default names the panels and states what the slider
    changes: the first layer's value relative to the output's at the smallest and largest depth.
    """
    fig, axes = gradient_flow_figure(dpi=dpi)
    depths = list(depths)
    stats = [mlp.gradient_flow(depth, activation, init, width=width, n_samples=n_samples,
                               seed=seed, residual=residual) for depth in depths]
    values = [signal_per_layer(s, quantity) for s in stats]
    ylim = covering_ylim(np.concatenate(values))

    def update(k):
        draw_gradient_flow(axes, stats[k], title=f"{activation}, {init}, depth {depths[k]}",
                           ylim=ylim, quantity=quantity)

    update(0)
    if alt is None:
        ratios = [v[0] / v[-1] for v in (values[0], values[-1])]
        what = ("the variance of the back-propagated gradient ∂L/∂z_l of each layer, relative to "
                "the output layer's" if quantity == "delta_var"
                else "the gradient norm of each layer's weights")
        first = ("the first layer's variance, relative to the output layer's" if
                 quantity == "delta_var" else
                 "the first layer's gradient norm, relative to the last layer's")
        alt = (f"Left: {what}, on a log scale; right: "
               f"histograms of the hidden activations; for a {activation} network with {init} "
               f"initialisation. The slider sets the depth from {depths[0]} to {depths[-1]} "
               f"layers; {first}, goes from {ratios[0]:.1e} to {ratios[1]:.1e}.")
    return static_slider(fig, update, len(depths), alt=alt)
