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
