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
           "activation_histograms", "graph_layout"]

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
    gap_x, gap_y = (0.0, 0.27) if vertical else (0.22, 0.0)   # half a box, where arrows stop
    for p, c, d in edges:
        (x0, y0), (x1, y1) = pos[p], pos[c]
        ax.annotate("", xy=(x1 - gap_x, y1 + gap_y), xytext=(x0 + gap_x, y0 - gap_y),
                    arrowprops={"arrowstyle": "->", "color": "0.45", "lw": 1.0})
        if show_local:
            ax.text(0.5 * (x0 + x1) + (0.06 if vertical else 0.0),
                    0.5 * (y0 + y1) + (0.0 if vertical else 0.08), f"{d:.3g}", fontsize=fontsize,
                    color="#b35806", ha="left" if vertical else "center",
                    va="center" if vertical else "bottom")
    for node in nodes:
        x, y = pos[node["id"]]
        is_input = not node["op"] or node["op"] in ("input", "const")
        ax.text(x, y, _node_text(node, show_grad), ha="center", va="center", fontsize=fontsize,
                bbox={"boxstyle": "round,pad=0.3", "fc": "#deebf7" if is_input else "#fee6ce",
                      "ec": "0.3", "lw": 0.8})
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
    """Empty two-panel figure (gradient norms per layer | activation histograms): (fig, axes)."""
    fig, axes = plt.subplots(1, 2, figsize=(8.6, 3.4), dpi=dpi)   # 688 px at 80 dpi: page width
    fig.subplots_adjust(left=0.1, right=0.98, bottom=0.15, top=0.9, wspace=0.28)
    return fig, axes


def draw_gradient_flow(axes, stats, *, title="", ylim=(1e-14, 1e4)):
    """(Re)draw both panels for one ``mlp.LayerStats``: ‖∂L/∂W_l‖ on a log scale, histograms."""
    ax_norm, ax_hist = axes
    ax_norm.cla()
    ax_hist.cla()
    layers = np.arange(1, len(stats.grad_norms) + 1)
    ax_norm.semilogy(layers, np.maximum(stats.grad_norms, 1e-300), "o-", ms=3)
    ax_norm.set_ylim(*ylim)
    ax_norm.set_xlabel("layer (1 = next to the input)")
    ax_norm.set_ylabel(r"$\|\partial L/\partial W_l\|$")
    ax_norm.set_title(title, fontsize=9)
    ax_norm.grid(True, which="major", alpha=0.3)
    ax_norm.xaxis.set_major_locator(MaxNLocator(integer=True))   # layers are whole numbers
    activation_histograms(ax_hist, stats)
    ax_hist.set_title("hidden activations", fontsize=9)
    return axes


def gradient_flow_slider(activation, init, depths=(2, 4, 6, 8, 10, 12, 14, 16, 18, 20), *,
                         width=64, n_samples=128, seed=0, residual=False, dpi=80, alt=None):
    """Static HTML/JS slider over network depth for one activation/init pair.

    ``alt`` describes the figure for readers who cannot see it; the default names the panels and
    states what the slider changes: ‖∂L/∂W₁‖/‖∂L/∂W_last‖ at the smallest and largest depth.
    """
    fig, axes = gradient_flow_figure(dpi=dpi)
    depths = list(depths)

    def stats_at(depth):
        return mlp.gradient_flow(depth, activation, init, width=width, n_samples=n_samples,
                                 seed=seed, residual=residual)

    def update(k):
        draw_gradient_flow(axes, stats_at(depths[k]),
                           title=f"{activation}, {init}, depth {depths[k]}")

    update(0)
    if alt is None:
        ratios = [stats_at(d).grad_norms[0] / stats_at(d).grad_norms[-1]
                  for d in (depths[0], depths[-1])]
        alt = (f"Left: the gradient norm of each layer's weights on a log scale; right: "
               f"histograms of the hidden activations; for a {activation} network with {init} "
               f"initialisation. The slider sets the depth from {depths[0]} to {depths[-1]} "
               f"layers; the first layer's gradient norm, relative to the last layer's, goes "
               f"from {ratios[0]:.1e} to {ratios[1]:.1e}.")
    return static_slider(fig, update, len(depths), alt=alt)
