"""Chapter 2's widget: the computation against closed forms, and the figure/widget plumbing."""

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from gdcore import functions  # noqa: E402
from gdcore.plotting.directional import directional_figure, directional_slider  # noqa: E402
from gdcore.widgets.directional import directional_view, directional_widget  # noqa: E402

A = np.array([[3.0, 1.0], [1.0, 2.0]])
B = np.array([1.0, -1.0])


@pytest.fixture
def quadratic():
    return functions.quadratic(A, b=B)


@pytest.mark.parametrize("angle", [0.0, 30.0, 90.0, 135.0, 200.0, 359.0])
@pytest.mark.parametrize("x", [(1.0, 2.0), (-0.5, 0.25)])
def test_view_matches_closed_forms_of_a_quadratic(quadratic, x, angle):
    x = np.array(x)
    v = directional_view(quadratic, x, angle, span=2.0, n=41)
    a = np.radians(angle)
    u = np.array([np.cos(a), np.sin(a)])
    grad = A @ x - B                                  # ∇(½xᵀAx − bᵀx) = Ax − b
    np.testing.assert_allclose(v.u, u, atol=1e-15)
    np.testing.assert_allclose(v.grad, grad, rtol=1e-14)
    assert v.slope == pytest.approx(grad @ u, rel=1e-12, abs=1e-12)
    cos_theta = grad @ u / np.linalg.norm(grad)
    assert v.theta_deg == pytest.approx(np.degrees(np.arccos(cos_theta)), abs=1e-9)
    assert v.slope == pytest.approx(np.linalg.norm(grad) * np.cos(np.radians(v.theta_deg)),
                                    abs=1e-12)
    t = np.linspace(-2, 2, 41)
    np.testing.assert_allclose(v.t, t)
    np.testing.assert_allclose(v.line, x + t[:, None] * u, atol=1e-14)
    # the slice of a quadratic is a parabola: g(t) = f(x) + t ∇f·u + ½ t² uᵀAu
    f0 = 0.5 * x @ A @ x - B @ x
    assert v.fx == pytest.approx(f0, rel=1e-14)
    np.testing.assert_allclose(v.heights, f0 + t * (grad @ u) + 0.5 * t**2 * (u @ A @ u),
                               rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(v.tangent, f0 + t * (grad @ u), rtol=1e-12, atol=1e-12)


def test_view_along_and_across_the_gradient(quadratic):
    x = np.array([1.0, 2.0])
    grad = A @ x - B
    phi = np.degrees(np.arctan2(grad[1], grad[0]))
    assert directional_view(quadratic, x, phi).slope == pytest.approx(np.linalg.norm(grad))
    assert directional_view(quadratic, x, phi + 180).slope == pytest.approx(-np.linalg.norm(grad))
    assert directional_view(quadratic, x, phi + 90).slope == pytest.approx(0, abs=1e-12)
    assert directional_view(quadratic, x, phi + 90).theta_deg == pytest.approx(90)


def test_view_at_a_stationary_point_has_zero_slope():
    v = directional_view(functions.quadratic(A), (0.0, 0.0), 45.0)  # ∇f(0) = 0 exactly
    assert v.slope == pytest.approx(0, abs=1e-14)
    np.testing.assert_array_equal(v.grad_unit, 0.0)


@pytest.mark.parametrize("x", [(1.0,), (1.0, 2.0, 3.0), ((1.0, 2.0),)])
def test_view_rejects_points_that_are_not_2d(quadratic, x):
    with pytest.raises(ValueError, match="shape"):
        directional_view(quadratic, x, 0.0)


def test_figure_update_moves_the_artists():
    problem = functions.himmelblau()
    first = directional_view(problem, (1.0, 1.0), 0.0)
    fig, update = directional_figure(problem, first)
    ax_c, ax_s = fig.axes[:2]
    n_artists = len(ax_c.get_children()), len(ax_s.get_children())
    second = directional_view(problem, (-2.0, 0.5), 120.0)
    line, arrows, dot, curve, tangent, origin = update(second)
    np.testing.assert_allclose(np.column_stack(line.get_data()), second.line)
    np.testing.assert_allclose(arrows.get_offsets(), [second.x, second.x])
    np.testing.assert_allclose(curve.get_ydata(), second.heights)
    np.testing.assert_allclose(tangent.get_ydata(), second.tangent)
    np.testing.assert_allclose(origin.get_ydata(), [second.fx])
    # quiver angles: u and ∇f/‖∇f‖
    np.testing.assert_allclose(np.arctan2(arrows.V, arrows.U),
                               np.arctan2([second.u[1], second.grad_unit[1]],
                                          [second.u[0], second.grad_unit[0]]))
    assert f"{second.slope:.2f}" in ax_s.get_title()
    # updating changes data only; no artist is added
    assert (len(ax_c.get_children()), len(ax_s.get_children())) == n_artists
    matplotlib.pyplot.close(fig)


def test_slider_has_one_frame_per_view_and_the_given_alt_text():
    problem = functions.himmelblau()
    views = [directional_view(problem, (2.0, 0.5), a) for a in (0.0, 90.0, 180.0)]
    html = directional_slider(problem, views, dpi=30, alt="three directions & slopes")
    assert html.count("data:image/jpeg") == len(views)
    assert 'alt="three directions &amp; slopes"' in html


def test_widget_sliders_recompute_the_view():
    widgets = pytest.importorskip("ipywidgets")
    problem = functions.himmelblau()
    box = directional_widget(problem, x=(1.0, 1.0), angle_deg=0.0)
    assert isinstance(box, widgets.VBox)
    sliders = box.children[0].children
    assert [s.description for s in sliders] == ["x₁", "x₂", "angle of u (°)"]
    sliders[2].value = 90.0  # triggers a recompute; must not raise without a kernel
    sliders[0].value = -1.0
