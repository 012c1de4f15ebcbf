"""The shared figure helpers: contour plots, trajectories and the static JS slider."""

import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import gdcore as gd  # noqa: E402


@pytest.mark.parametrize("make", [gd.functions.rosenbrock, gd.functions.himmelblau,
                                  lambda: gd.functions.quadratic([[10.0, 2.0], [2.0, 1.0]])])
@pytest.mark.parametrize("log", [True, False])
def test_contour_covers_the_problem_box(make, log):
    problem = make()
    ax = gd.plotting.contour(problem, log=log, n=60)
    (x_lo, x_hi), (y_lo, y_hi) = problem.bounds
    assert ax.get_xlim() == (x_lo, x_hi) and ax.get_ylim() == (y_lo, y_hi)
    assert len(ax.collections) >= 2  # filled contours and contour lines
    plt.close(ax.figure)


def test_path_draws_every_point_and_marks_the_start():
    fig, ax = plt.subplots()
    xs = np.array([[0.0, 0.0], [1.0, 2.0], [3.0, 1.0]])
    line = gd.plotting.path(ax, xs, color="red")
    np.testing.assert_array_equal(np.column_stack(line.get_data()), xs)
    assert len(ax.lines) == 2
    plt.close(fig)


def test_static_slider_embeds_every_frame_with_alt_text():
    fig, ax = plt.subplots(figsize=(2, 2), dpi=40)
    (line,) = ax.plot([0, 1], [0, 0])
    html = gd.plotting.static_slider(fig, lambda k: line.set_ydata([0, k]), 7,
                                     alt='a "line" rising')
    assert html.count("data:image/png;base64") == 7
    assert re.search(r'<img id="_anim_img\w+" alt="a &quot;line&quot; rising">', html)
    assert not plt.fignum_exists(fig.number)  # closed: not shown a second time
    assert "http" not in html and 'class="fa' not in html  # works offline: no CDN icon font


def test_colors_are_fixed_per_optimizer():
    assert gd.plotting.color("Adam") == gd.plotting.COLORS["adam"]
    assert len(set(gd.plotting.COLORS[n] for n in ("sgd", "momentum", "nesterov", "adam"))) == 4
    assert gd.plotting.color("unknown-optimizer") == "#555555"


def test_static_slider_can_embed_jpeg_frames():
    fig, ax = plt.subplots(figsize=(2, 2), dpi=40)
    (line,) = ax.plot([0, 1], [0, 0])
    html = gd.plotting.static_slider(fig, lambda k: line.set_ydata([0, k]), 3,
                                     frame_format="jpeg")
    assert html.count("data:image/jpeg;base64") == 3 and "image/png" not in html


def test_descent_loss_curves_keep_step_zero_on_a_log_axis():
    # a plain log axis drops x = 0: the curve would start at its first update, not at f(x_0)
    fig = gd.plotting.descent.loss_curves([(np.arange(11) / 5, np.geomspace(50, 1, 11), "a",
                                            "k")], logx=True)
    ax = fig.axes[0]
    assert ax.get_xscale() == "symlog" and ax.get_xlim()[0] == 0
    assert tuple(ax.lines[0].get_xydata()[0]) == (0.0, 50.0)
    plt.close(fig)
    fig = gd.plotting.descent.loss_curves([(np.arange(1, 5), np.ones(4), "b", "k")], logx=True)
    assert fig.axes[0].get_xscale() == "log"
    plt.close(fig)


def test_descent_panel_fixed_loss_axis_does_not_move_between_frames():
    problem = gd.functions.quadratic([[1.0, 0.0], [0.0, 0.1]])
    panel = gd.plotting.descent.DescentPanel(problem, loss_ylim=(1e-8, 1e3))
    for scale in (1.0, 1e-3):
        xs = scale * np.array([[1.0, 1.0], [0.5, 0.9], [0.2, 0.8]])
        panel.update(xs, problem.f(xs))
        assert panel.ax_loss.get_ylim() == (1e-8, 1e3)
    with pytest.raises(ValueError, match="loss_ylim"):
        gd.plotting.descent.DescentPanel(problem, loss_ylim=(1.0, 0.5))


def test_descent_trajectories_draw_into_given_axes_with_directions():
    problem = gd.functions.quadratic([[1.0, 0.0], [0.0, 0.1]])
    fig, axes = plt.subplots(1, 3)
    xs = np.array([[1.0, 1.0], [0.0, 0.9]])
    out = gd.plotting.descent.trajectories(problem, [[(xs, "run", "r")]] * 2, axes=axes[:2],
                                           directions=[[((1, 0), "q")]] * 2,
                                           bounds=((-2, 2), (-2, 2)))
    assert out is fig and len(axes[2].lines) == 0
    dashed = [line for line in axes[0].lines if line.get_linestyle() == "--"]
    assert len(dashed) == 1 and np.allclose(dashed[0].get_ydata(), 0.0)
    with pytest.raises(ValueError, match="axes"):
        gd.plotting.descent.trajectories(problem, [[(xs, "run", "r")]] * 2, axes=axes[:1])
    plt.close(fig)
