"""The compute behind the chapter 1 widget, against closed forms; and the widget's artists move."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from gdcore.plotting import derivatives as plots
from gdcore.widgets.derivatives import SecantData, secant_data, secant_widget


@pytest.mark.parametrize(("x0", "h"), [(0.0, 1.0), (1.5, 0.25), (-2.0, 0.5), (3.0, -0.5)])
def test_secant_of_a_parabola(x0, h):
    # f = x²: the secant slope is ((x0 + h)² − x0²)/h = 2x0 + h exactly, the error |h|.
    data = secant_data(np.square, x0, h, fprime=lambda x: 2 * x)
    assert isinstance(data, SecantData)
    np.testing.assert_allclose(data.x, [x0, x0 + h])
    np.testing.assert_allclose(data.y, [x0**2, (x0 + h) ** 2])
    assert data.slope == pytest.approx(2 * x0 + h, rel=1e-14, abs=1e-14)
    assert data.error == pytest.approx(abs(h), rel=1e-12)
    assert data.h == h


def test_secant_of_a_line_is_exact():
    data = secant_data(lambda x: 3 * x - 1, 0.5, 0.125, fprime=lambda x: 3.0)
    assert data.slope == 3.0 and data.error == 0.0


def test_secant_of_sin_matches_the_taylor_error():
    # (sin(x0 + h) − sin x0)/h − cos x0 = −(h/2) sin x0 + O(h²).
    x0 = 1.0
    for h in (1e-2, 1e-3, 1e-4):
        err = secant_data(np.sin, x0, h, np.cos).error
        assert err == pytest.approx(h / 2 * np.sin(x0), rel=2 * h)


def test_error_is_nan_without_derivative():
    assert np.isnan(secant_data(np.exp, 0.0, 0.1).error)


def test_explorer_draw_moves_artists():
    hs = np.logspace(-8, 0, 50)
    errors = np.array([secant_data(np.sin, 1.0, h, np.cos).error for h in hs])
    fig, draw = plots.secant_explorer(np.sin, 1.0, np.cos, hs, errors, dpi=50)
    data = secant_data(np.sin, 1.0, 0.5, np.cos)
    secant, points, marker = draw(data)
    xs, ys = secant.get_data()
    np.testing.assert_allclose(ys, np.sin(1.0) + data.slope * (xs - 1.0))
    np.testing.assert_allclose(points.get_data()[1], np.sin([1.0, 1.5]))
    assert marker.get_data()[0][0] == 0.5
    plt.close(fig)


def test_widget_builds():
    pytest.importorskip("ipywidgets")
    box = secant_widget(np.sin, 1.0, np.cos)
    slider = box.children[0].children[0]  # the first row of controls, above the figure
    slider.value = -3.0  # moving the slider must not raise
    assert slider.min == -12.0 and slider.max == 0.0


@pytest.mark.parametrize("h", [0.5, 1e-4, 1e-10])
def test_zoomed_explorer_shows_the_graph_minus_the_tangent(h):
    hs = np.logspace(-12, 0, 50)
    errors = np.array([secant_data(np.sin, 1.0, k, np.cos).error for k in hs])
    fig, draw = plots.secant_explorer(np.sin, 1.0, np.cos, hs, errors, dpi=50, zoom=True)
    data = secant_data(np.sin, 1.0, h, np.cos)
    graph, secant, points, marker = draw(data)
    s, resid = graph.get_data()
    np.testing.assert_allclose(resid, np.sin(1.0 + h * s) - np.sin(1.0) - np.cos(1.0) * h * s)
    assert points.get_data()[1][1] == pytest.approx((data.slope - np.cos(1.0)) * h)
    assert marker.get_data()[0][0] == h
    plt.close(fig)


def test_roundoff_staircase_figure():
    fig, s, resid = plots.roundoff_staircase_figure(np.sin, 1.0, np.cos, -np.sin(1.0))
    # the computed deviation is the exact one within a few rounding units of sin(1)
    assert np.max(np.abs(resid + np.sin(1.0) * s**2 / 2)) < 4 * np.spacing(np.sin(1.0))
    plt.close(fig)


def test_zoomed_widget_builds():
    pytest.importorskip("ipywidgets")
    box = secant_widget(np.sin, 1.0, np.cos, zoom=True)
    box.children[0].children[0].value = -9.0
