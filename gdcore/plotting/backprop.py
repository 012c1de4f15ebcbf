"""Figures of chapter 4: computational graphs, gradient flow through deep networks.

The graph itself comes from ``gdcore.autodiff.graph`` as plain nodes and edges; this module only
lays it out (column = depth from the inputs) and draws it with matplotlib, so the course needs no
graphviz.
"""

import matplotlib.pyplot as plt
import numpy as np

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


def draw_graph(root_or_graph, ax=None, *, show_grad=True, show_local=True):
    """Draw a computational graph (a ``Value`` or the (nodes, edges) of ``autodiff.graph``).

    Each box shows the node's name or operation, its forward value and (after ``backward``) its
    gradient ∂out/∂node; each edge is labelled with the local derivative ∂child/∂parent.
    """
    if isinstance(root_or_graph, autodiff.Value):
        nodes, edges = autodiff.graph(root_or_graph)
    else:
        nodes, edges = root_or_graph
    pos = graph_layout(nodes, edges)
    if ax is None:
        width = 1.6 * (max(n["depth"] for n in nodes) + 1) + 1
        height = 1.1 * max(sum(1 for n in nodes if n["depth"] == d)
                           for d in {n["depth"] for n in nodes}) + 1
        _, ax = plt.subplots(figsize=(min(width, 12), min(height, 7)))
    for p, c, d in edges:
        (x0, y0), (x1, y1) = pos[p], pos[c]
        ax.annotate("", xy=(x1 - 0.22, y1), xytext=(x0 + 0.22, y0),
                    arrowprops={"arrowstyle": "->", "color": "0.45", "lw": 1.0})
        if show_local:
            ax.text(0.5 * (x0 + x1), 0.5 * (y0 + y1) + 0.08, f"{d:.3g}", fontsize=7,
                    color="#b35806", ha="center", va="bottom")
    for node in nodes:
        x, y = pos[node["id"]]
        is_input = not node["op"] or node["op"] in ("input", "const")
        ax.text(x, y, _node_text(node, show_grad), ha="center", va="center", fontsize=7.5,
                bbox={"boxstyle": "round,pad=0.3", "fc": "#deebf7" if is_input else "#fee6ce",
                      "ec": "0.3", "lw": 0.8})
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    ax.set_xlim(min(xs) - 0.6, max(xs) + 0.6)
    ax.set_ylim(min(ys) - 0.7, max(ys) + 0.7)
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
    ax.legend(fontsize=7)
    return ax


def gradient_flow_figure(*, dpi=80):
    """Empty two-panel figure (gradient norms per layer | activation histograms): (fig, axes)."""
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.4), dpi=dpi)
    fig.subplots_adjust(left=0.08, right=0.98, bottom=0.16, top=0.88, wspace=0.28)
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
    activation_histograms(ax_hist, stats)
    ax_hist.set_title("hidden activations", fontsize=9)
    return axes


def gradient_flow_slider(activation, init, depths=(2, 4, 6, 8, 10, 12, 14, 16, 18, 20), *,
                         width=64, n_samples=128, seed=0, residual=False, dpi=60):
    """Static HTML/JS slider over network depth for one activation/init pair."""
    fig, axes = gradient_flow_figure(dpi=dpi)
    depths = list(depths)

    def update(k):
        stats = mlp.gradient_flow(depths[k], activation, init, width=width, n_samples=n_samples,
                                  seed=seed, residual=residual)
        draw_gradient_flow(axes, stats, title=f"{activation}, {init}, depth {depths[k]}")

    update(0)
    return static_slider(fig, update, len(depths))
