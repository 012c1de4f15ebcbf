"""Live widget of chapter 4: depth, activation and initialisation → gradient flow.

The computation is ``gradient_flow_state`` (a plain function, tested directly); the widget only
redraws the two panels of ``gdcore.plotting.backprop`` when a control changes.
"""

from .. import mlp
from ..plotting import backprop as plots
from ._live import live_figure

__all__ = ["gradient_flow_state", "gradient_flow_widget"]


def gradient_flow_state(depth, activation, init, *, width=64, n_samples=128, seed=0,
                        residual=False):
    """The LayerStats the widget shows plus a title with Var δ₁/Var δ_out: (stats, title)."""
    stats = mlp.gradient_flow(depth, activation, init, width=width, n_samples=n_samples,
                              seed=seed, residual=residual)
    skip = ", residual" if residual else ""
    ratio = stats.delta_var[0] / stats.delta_var[-1]
    title = f"{activation}, {init}{skip}, depth {depth}: Var δ₁/Var δ_out = {ratio:.1e}"
    return stats, title


def gradient_flow_widget(depth=10, activation="sigmoid", init="xavier_normal", residual=False):
    """Sliders/dropdowns for depth, activation, init and residual → the gradient-flow figure."""
    import ipywidgets as widgets  # the numeric core and the book build do not need ipywidgets

    controls = {
        "depth": widgets.IntSlider(value=depth, min=1, max=30, description="depth"),
        "activation": widgets.Dropdown(options=mlp.ACTIVATIONS, value=activation,
                                       description="activation"),
        "init": widgets.Dropdown(options=mlp.INITS, value=init, description="init"),
        "residual": widgets.Checkbox(value=residual, description="residual"),
    }
    fig, axes = plots.gradient_flow_figure()

    def draw(**values):
        stats, title = gradient_flow_state(**values)
        plots.draw_gradient_flow(axes, stats, title=title)

    return live_figure(fig, controls, draw, rows=[["depth", "activation"], ["init", "residual"]],
                       description="Live explorer of the gradient flow through a deep network")
