"""Figures of part 5f (gd.plotting.geometry): the artists show the numbers they are given."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import gdcore.plotting.geometry as geometry  # noqa: E402


def test_unit_balls_mark_the_steepest_directions():
    ax = geometry.unit_balls([2.0, -0.5])
    points = {line.get_label(): line.get_xydata()[0] for line in ax.lines
              if line.get_marker() == "o"}
    np.testing.assert_allclose(points["steepest in $\\ell_\\infty$"], [-1.0, 1.0])
    np.testing.assert_allclose(points["steepest in $\\ell_2$"],
                               np.array([-2.0, 0.5]) / np.hypot(2.0, 0.5))
    plt.close(ax.figure)
    with pytest.raises(ValueError, match="shape"):
        geometry.unit_balls([1.0, 2.0, 3.0])


def test_box_paths_draw_every_start_and_the_box():
    xs = np.cumsum(np.ones((5, 3, 2)), axis=0) * 0.1
    ax = geometry.box_paths({"adamw": xs}, 2.0, minimizer=[3.0, 1.0], colors={"adamw": "red"})
    box = ax.lines[0]
    np.testing.assert_allclose(np.abs(box.get_xydata()), 2.0)
    paths = [line for line in ax.lines if line.get_linestyle() == "-" and line is not box]
    assert len(paths) == 3 and all(line.get_color() == "red" for line in paths)
    np.testing.assert_allclose(paths[1].get_ydata(), xs[:, 1, 1])
    assert [line.get_label() for line in ax.lines].count("adamw") == 1     # one legend entry
    plt.close(ax.figure)


def test_singular_values_scatter_and_curve():
    ratios, values = np.array([[1e-3, 0.5]]), np.array([[0.2, 1.0]])
    x = np.geomspace(1e-4, 1, 5)
    ax = geometry.singular_values(ratios, values, curve=(x, x), band=(0.7, 1.2))
    np.testing.assert_allclose(ax.lines[0].get_xdata(), ratios.ravel())
    np.testing.assert_allclose(ax.lines[0].get_ydata(), values.ravel())
    np.testing.assert_allclose(ax.lines[1].get_xdata(), x)
    assert ax.get_xscale() == "log" and len(ax.patches) == 1
    plt.close(ax.figure)
