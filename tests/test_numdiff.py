"""Tests of gdcore.numdiff against derivatives known in closed form (sin, exp, polynomials), with
the orders of the errors measured by a fit."""

import numpy as np
import pytest

from gdcore import numdiff as N

XS = np.linspace(-3.0, 3.0, 13)


@pytest.mark.parametrize("f, df", [
    (np.sin, np.cos), (np.exp, np.exp), (np.cos, lambda x: -np.sin(x)),
])
@pytest.mark.parametrize("method, tol", [
    (N.forward_difference, 1e-7), (N.backward_difference, 1e-7), (N.central_difference, 1e-9),
])
def test_differences_match_closed_form_derivatives(f, df, method, tol):
    err = np.abs(method(f, XS) - df(XS)) / np.maximum(1.0, np.abs(df(XS)))
    assert err.shape == XS.shape
    assert np.max(err) < tol


@pytest.mark.parametrize("method, order", [
    (N.forward_difference, 1), (N.backward_difference, 1), (N.central_difference, 2),
])
@pytest.mark.parametrize("f, df, x", [(np.exp, np.exp, 1.0), (np.sin, np.cos, 1.0)])
def test_error_order_measured_by_a_fit(method, order, f, df, x):
    # In the range where truncation dominates, error ≈ C hᵖ: the log-log slope is the order p.
    h = np.logspace(-4, -1, 13)
    err = np.abs(method(f, x, h) - df(x))
    slope = np.polyfit(np.log(h), np.log(err), 1)[0]
    assert slope == pytest.approx(order, abs=0.05)


def test_forward_and_backward_errors_have_opposite_signs():
    # f(x ± h) = f ± hf' + h²f''/2: the leading errors are +hf''/2 and −hf''/2.
    h = 1e-3
    fwd = N.forward_difference(np.exp, 0.0, h) - 1.0
    bwd = N.backward_difference(np.exp, 0.0, h) - 1.0
    assert fwd == pytest.approx(h / 2, rel=1e-2) and bwd == pytest.approx(-h / 2, rel=1e-2)


def test_default_step_is_near_the_best_one():
    # The default h beats steps 100× larger (truncation) and 100× smaller (rounding).
    x = 1.0
    for method, power in [(N.forward_difference, 1 / 2), (N.central_difference, 1 / 3)]:
        h0 = N.EPS**power
        default = abs(method(np.exp, x) - np.e)
        for h in (100 * h0, h0 / 100):
            assert default < abs(method(np.exp, x, h) - np.e)


def test_default_step_scales_with_x():
    # At x = 1e6 an absolute step √ε is only ~100 ulps of x: rounding ruins it; max(1, |x|)
    # restores the relative step.
    x = 1e6
    scaled = abs(N.forward_difference(np.square, x) - 2 * x) / (2 * x)
    absolute = abs(N.forward_difference(np.square, x, h=np.sqrt(N.EPS)) - 2 * x) / (2 * x)
    assert scaled < 1e-7 < 1e-5 < absolute


def _f(x):
    """f(x, y, z) = exp(x) sin(y) + x z² (batched)."""
    return np.exp(x[..., 0]) * np.sin(x[..., 1]) + x[..., 0] * x[..., 2] ** 2


def _grad(x):
    a, b, c = x[..., 0], x[..., 1], x[..., 2]
    return np.stack([np.exp(a) * np.sin(b) + c**2, np.exp(a) * np.cos(b), 2 * a * c], -1)


def _hess(x):
    a, b, c = x[..., 0], x[..., 1], x[..., 2]
    e = np.exp(a)
    rows = [[e * np.sin(b), e * np.cos(b), 2 * c],
            [e * np.cos(b), -e * np.sin(b), 0 * a],
            [2 * c, 0 * a, 2 * a]]
    return np.stack([np.stack(r, -1) for r in rows], -2)


POINTS = np.random.default_rng(0).uniform(-2, 2, size=(4, 5, 3))


def test_numerical_gradient_batched():
    g = N.numerical_gradient(_f, POINTS)
    assert g.shape == POINTS.shape
    np.testing.assert_allclose(g, _grad(POINTS), rtol=1e-8, atol=1e-9)
    # A single point, and a non-batched f (written with Python scalars), give the same.
    single = N.numerical_gradient(lambda v: np.exp(v[0]) * np.sin(v[1]) + v[0] * v[2] ** 2,
                                  POINTS[0, 0])
    np.testing.assert_allclose(single, g[0, 0], rtol=1e-12)


def test_numerical_hessian_batched():
    H = N.numerical_hessian(_f, POINTS)
    assert H.shape == POINTS.shape + (3,)
    np.testing.assert_allclose(H, _hess(POINTS), rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(H, np.swapaxes(H, -1, -2))


def test_directional_derivative_limit_equals_gradient_dot_u():
    rng = np.random.default_rng(1)
    u = rng.standard_normal((7, 3))
    u /= np.linalg.norm(u, axis=-1, keepdims=True)
    x = POINTS[0, 0]
    numeric = N.directional_derivative(_f, x, u)
    exact = _grad(x) @ u.T
    assert numeric.shape == (7,)
    np.testing.assert_allclose(numeric, exact, rtol=1e-8, atol=1e-9)
    np.testing.assert_allclose(N.directional_derivative_from_gradient(_grad, x, u), exact,
                               rtol=1e-14)
    np.testing.assert_allclose(N.directional_derivative_from_gradient(_grad(x), x, u), exact,
                               rtol=1e-14)


def test_steepest_ascent_is_along_the_gradient():
    x = np.array([0.3, -0.7, 1.1])
    g = _grad(x)
    along = N.directional_derivative_from_gradient(_grad, x, g / np.linalg.norm(g))
    assert along == pytest.approx(np.linalg.norm(g))
    orth = np.cross(g, [1.0, 0.0, 0.0])
    assert N.directional_derivative(_f, x, orth, normalize=True) == pytest.approx(0, abs=1e-9)


def test_directional_derivative_requires_a_unit_vector():
    x = np.zeros(2)
    f = np.sum
    with pytest.raises(ValueError, match="u must be a unit vector, got ‖u‖ = 2"):
        N.directional_derivative(lambda v: f(v, axis=-1), x, [2.0, 0.0])
    value = N.directional_derivative(lambda v: f(v, axis=-1), x, [2.0, 0.0], normalize=True)
    assert value == pytest.approx(1.0)
    with pytest.raises(ValueError, match="nonzero"):
        N.directional_derivative(lambda v: f(v, axis=-1), x, [0.0, 0.0], normalize=True)


def test_grad_check_accepts_right_and_rejects_wrong_gradients():
    x = POINTS.reshape(-1, 3)
    assert N.grad_check(_f, _grad, x) < 1e-7
    # Factor 2: ‖2g − g‖ / (‖2g‖ + ‖g‖) = 1/3. Sign: ‖−g − g‖ / (2‖g‖) = 1.
    assert N.grad_check(_f, lambda v: 2 * _grad(v), x) == pytest.approx(1 / 3, rel=1e-6)
    assert N.grad_check(_f, lambda v: -_grad(v), x) == pytest.approx(1.0, rel=1e-6)
    assert N.grad_check_verdict(N.grad_check(_f, lambda v: -_grad(v), x)).startswith("wrong")
    assert N.grad_check(lambda v: 0.0 * v[..., 0], lambda v: 0.0 * v, x) == 0.0
    with pytest.raises(ValueError, match="shape"):
        N.grad_check(_f, lambda v: _grad(v)[..., :2], x)


@pytest.mark.parametrize("rel, verdict", [
    (0.0, "great"), (3e-10, "great"), (9.9e-8, "great"), (1e-7, "ok"), (9e-5, "ok"),
    (1e-4, "uncomfortable"), (5e-4, "uncomfortable"), (9.9e-3, "uncomfortable"),
    (1e-2, "wrong"), (0.5, "wrong"), (1.0, "wrong"), (np.nan, "wrong"), (np.inf, "wrong"),
])
def test_grad_check_verdict_thresholds(rel, verdict):
    assert N.grad_check_verdict(rel).split(":")[0] == verdict


def test_grad_check_entries_finds_a_wrong_small_entry():
    # two parameters on scales 10⁶ apart, non-quadratic; θ₂'s entry has the wrong sign
    def f(v):
        return 1e6 * np.cosh(v[..., 0]) + np.cosh(v[..., 1])

    def grad(v):
        return np.stack([1e6 * np.sinh(v[..., 0]), np.sinh(v[..., 1])], axis=-1)

    def bad(v):
        return grad(v) * np.array([1.0, -1.0])

    x = np.array([0.7, -0.4])
    assert N.grad_check(f, bad, x) < 1e-5                   # the whole-vector error hides it
    entries = N.grad_check_entries(f, bad, x)
    assert entries.shape == x.shape
    assert entries[0] < 1e-9 and entries[1] == pytest.approx(1.0, rel=1e-4)
    assert np.all(N.grad_check_entries(f, grad, x) < 1e-4)
    with pytest.raises(ValueError, match="shape"):
        N.grad_check_entries(f, lambda v: grad(v)[:1], x)
