"""The chapter 4 widget: its computation (a plain function) and that it builds and redraws."""

import numpy as np
import pytest

from gdcore import mlp
from gdcore.widgets import backprop as wb


def test_state_matches_mlp_gradient_flow():
    stats, title = wb.gradient_flow_state(6, "tanh", "xavier_normal")
    ref = mlp.gradient_flow(6, "tanh", "xavier_normal", width=64, n_samples=128)
    np.testing.assert_array_equal(stats.grad_norms, ref.grad_norms)
    assert len(stats.grad_norms) == 7 and len(stats.activations) == 6
    assert title.startswith("tanh, xavier_normal, depth 6")
    assert f"Var δ₁/Var δ_out = {ref.delta_var[0] / ref.delta_var[-1]:.1e}" in title


@pytest.mark.parametrize("activation, init, shrinks", [
    ("sigmoid", "xavier_normal", True), ("relu", "he_normal", False)])
def test_state_shows_vanishing_only_where_expected(activation, init, shrinks):
    stats, _ = wb.gradient_flow_state(15, activation, init)
    ratio = stats.grad_norms[0] / stats.grad_norms[-2]
    assert (ratio < 1e-6) if shrinks else (0.1 < ratio < 10)


def test_widget_builds_and_redraws():
    pytest.importorskip("ipywidgets")
    box = wb.gradient_flow_widget(depth=3)
    depth_slider = box.children[0].children[0]
    depth_slider.value = 5  # triggers a redraw without error
    assert depth_slider.value == 5 and box.draws == 2
    text = repr(box)
    assert "\n" not in text and text.startswith("Live explorer of the gradient flow")


@pytest.mark.parametrize(("activation", "init", "residual"), [
    ("relu", "he_normal", True),          # gradients far above 1e4 (issue 15, fault 2)
    ("sigmoid", "xavier_normal", False),  # first layers far below 1e-14
    ("tanh", "standard", False),
])
def test_widget_left_axis_covers_the_curve_and_its_title(activation, init, residual):
    pytest.importorskip("ipywidgets")
    box = wb.gradient_flow_widget(depth=30, activation=activation, init=init,
                                  residual=residual)
    ax = box.figure.axes[0]
    y = ax.lines[0].get_ydata()
    lo, hi = ax.get_ylim()
    assert lo < y.min() and y.max() < hi
    assert hi / lo < 1e4 * y.max() / y.min()       # fitted: at most two decades spare each side
    _, title = wb.gradient_flow_state(30, activation, init, residual=residual)
    assert ax.get_title() == title
    assert f"= {y[0]:.1e}" in title                  # the ratio in the title is the first point


def test_graph_drawing_and_slider():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    import gdcore.autodiff as ad
    from gdcore.plotting import backprop as plots

    x, w = ad.Value(0.5, label="x"), ad.Value(-1.2, label="w")
    loss = 0.5 * ((w * x).tanh() - 1.0) ** 2
    loss.backward()
    nodes, edges = ad.graph(loss)
    pos = plots.graph_layout(nodes, edges)
    assert len(set(pos.values())) == len(nodes)          # no two boxes on top of each other
    assert pos[nodes[-1]["id"]][0] == max(p[0] for p in pos.values())   # output on the right
    ax = plots.draw_graph(loss)
    assert len(ax.texts) == len(nodes) + 2 * len(edges)  # boxes; an arrow and a label per edge
    plt.close(ax.figure)
    html = plots.gradient_flow_slider("tanh", "xavier_normal", depths=(2, 4), width=16,
                                      n_samples=32)
    assert "<script" in html and html.count("data:image/png") >= 2


def test_vertical_graph_runs_from_inputs_down_and_slider_describes_itself():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    import gdcore.autodiff as ad
    from gdcore.plotting import backprop as plots

    x, w = ad.Value(0.5, label="x"), ad.Value(-1.2, label="w")
    loss = (w * x).tanh() ** 2
    loss.backward()
    ax = plots.draw_graph(loss, vertical=True, fontsize=10)
    boxes = {t.get_text().split("\n")[0]: t.get_position()
             for t in ax.texts if "\n" in t.get_text()}
    assert boxes["x"][1] > boxes["tanh"][1] > boxes["^2"][1]       # inputs on top, output below
    assert ax.figure.get_figheight() > ax.figure.get_figwidth()      # a deep graph grows downwards
    plt.close(ax.figure)
    html = plots.gradient_flow_slider("sigmoid", "xavier_normal", depths=(2, 8), width=16,
                                      n_samples=32)
    assert 'alt="Left: the variance of the back-propagated gradient' in html
    assert "sigmoid network" in html
    assert "from 2 to 8 layers" in html
    html = plots.gradient_flow_slider("relu", "he_normal", depths=(2, 3), width=8, n_samples=8,
                                      alt="my description")
    assert 'alt="my description"' in html


def test_left_panel_plots_the_back_propagated_signal():
    """Var δ_l relative to the output falls for tanh + standard init, while ‖∂L/∂W_l‖ stays level:
    the panel must show the former (the quantity the text says vanishes)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from gdcore.plotting import backprop as plots

    stats = mlp.gradient_flow(10, "tanh", "standard", width=64, n_samples=128)
    delta = plots.signal_per_layer(stats)
    np.testing.assert_allclose(delta, stats.delta_var / stats.delta_var[-1])
    assert delta[-1] == 1.0 and delta[0] < 1e-3
    norms = plots.signal_per_layer(stats, "grad_norm")
    assert norms.max() / norms.min() < 2
    fig, axes = plots.gradient_flow_figure()
    plots.draw_gradient_flow(axes, stats)
    np.testing.assert_allclose(axes[0].lines[0].get_ydata(), delta)
    assert "z_l" in axes[0].get_ylabel()
    plots.draw_gradient_flow(axes, stats, quantity="grad_norm")
    np.testing.assert_allclose(axes[0].lines[0].get_ydata(), stats.grad_norms)
    plt.close(fig)
    with pytest.raises(ValueError, match="quantity"):
        plots.signal_per_layer(stats, "norm")


def test_slider_frames_share_one_y_range():
    import matplotlib

    matplotlib.use("Agg")
    from gdcore.plotting import backprop as plots

    html = plots.gradient_flow_slider("sigmoid", "xavier_normal", depths=(2, 12), width=16,
                                      n_samples=32)
    first = mlp.gradient_flow(12, "sigmoid", "xavier_normal", width=16, n_samples=32)
    assert f"{first.delta_var[0] / first.delta_var[-1]:.1e}." in html   # the alt text's end
