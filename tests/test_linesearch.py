"""Tests of gdcore.linesearch: Armijo backtracking (the shrink sequence, sufficient decrease, the
1/L guarantee on quadratics, lanes), the strong Wolfe search (conditions met, torch's cubic
interpolation), the Polyak step and bad input."""

import numpy as np
import pytest

import gdcore as gd
from gdcore import linesearch as ls


def quadratic(eigenvalues, seed=0):
    rng = np.random.default_rng(seed)
    d = len(eigenvalues)
    Q, _ = np.linalg.qr(rng.normal(size=(d, d)))
    return gd.functions.quadratic(Q @ np.diag(eigenvalues) @ Q.T, rng.normal(size=d))


def test_armijo_takes_the_first_step_of_the_shrink_sequence_that_decreases_enough():
    q = quadratic([1.0, 4.0, 10.0])
    x = np.array([1.0, -2.0, 0.5])
    result = ls.armijo(q.f, q.grad, x, lr=8.0, shrink=0.5)
    g = q.grad(x)
    tried = 8.0 * 0.5 ** np.arange(result.evaluations)
    np.testing.assert_array_equal(result.trials, tried)
    assert result.step == tried[-1] and result.success
    holds = [q.f(x - t * g) <= q.f(x) - 1e-4 * t * g @ g for t in tried]
    assert holds == [False] * (len(tried) - 1) + [True]
    assert ls.armijo_holds(q.f, q.grad, x, result.step)
    np.testing.assert_array_equal(result.x, x - result.step * g)


@pytest.mark.parametrize("eigenvalues", [[1.0, 10.0], [0.1, 2.0, 50.0], [3.0, 3.0]])
def test_armijo_step_is_at_least_shrink_times_two_one_minus_c1_over_L(eigenvalues):
    # f(x − tg) ≤ f(x) − t(1 − tL/2)‖g‖² so sufficient decrease holds for t ≤ 2(1 − c₁)/L: the
    # backtracking never goes below shrink·2(1 − c₁)/L (nor above 2(1 − c₁)/μ).
    q = quadratic(eigenvalues, seed=1)
    L, mu = max(eigenvalues), min(eigenvalues)
    rng = np.random.default_rng(2)
    x = rng.normal(size=(200, len(eigenvalues)))
    result = ls.armijo(q.f, q.grad, x, lr=100.0, c1=1e-4, shrink=0.5)
    assert np.all(result.success)
    assert np.all(result.step >= 0.5 * 2 * (1 - 1e-4) / L)
    assert np.all(result.step <= 2 * (1 - 1e-4) / mu)


@pytest.mark.parametrize("c1, shrink", [(0.5, 0.5), (0.3, 0.7), (0.9, 0.2), (1e-4, 0.5)])
def test_armijo_accepts_exactly_the_closed_form_interval_on_a_quadratic(c1, shrink):
    # f(x − tg) = f(x) − t‖g‖² + (t²/2) gᵀAg, so sufficient decrease holds iff t ≤ 2(1 − c₁)/h,
    # h = gᵀAg/‖g‖²: the accepted step lies in (shrink, 1]·2(1 − c₁)/h. A large c₁ separates
    # this from "f decreased" (t < 2/h) or a flipped sign (t ≤ 2(1 + c₁)/h).
    q = quadratic([0.2, 1.0, 6.0], seed=3)
    x = np.random.default_rng(4).normal(size=(100, 3))
    result = ls.armijo(q.f, q.grad, x, lr=50.0, c1=c1, shrink=shrink)
    g = q.grad(x)
    h = np.einsum("ki,ij,kj->k", g, q.A, g) / np.einsum("ki,ki->k", g, g)
    ratio = result.step * h / (2 * (1 - c1))
    assert np.all(result.success)
    assert np.all(ratio > shrink * (1 + 1e-9)) and np.all(ratio <= 1 - 1e-9)


def test_armijo_lanes_equal_single_runs():
    r = gd.functions.rosenbrock()
    x = np.array([[-1.5, 2.0], [0.0, 0.0], [1.2, 1.0]])
    batch = ls.armijo(r.f, r.grad, x)
    for i in range(3):
        one = ls.armijo(r.f, r.grad, x[i])
        assert one.step == batch.step[i] and one.evaluations == batch.evaluations[i]
        np.testing.assert_array_equal(one.x, batch.x[i])


def test_armijo_reports_running_out_of_trials():
    q = quadratic([1.0, 100.0])
    result = ls.armijo(q.f, q.grad, np.array([1.0, 1.0]), lr=1e6, max_iter=3)
    assert not result.success and result.evaluations == 3 and result.step == 1e6 * 0.25


def test_armijo_along_a_given_direction_and_with_known_values():
    q = quadratic([1.0, 2.0])
    x = np.array([1.0, 1.0])
    d = -np.linalg.solve(q.hess(x), q.grad(x))  # Newton's direction: the unit step is exact
    calls = []

    def f(z):
        calls.append(z)
        return q.f(z)

    result = ls.armijo(f, q.grad, x, d, f_x=q.f(x), grad_x=q.grad(x))
    assert result.step == 1.0 and result.evaluations == 1 and len(calls) == 1
    np.testing.assert_allclose(result.x, q.minimizer, rtol=1e-12)


def test_strong_wolfe_meets_both_conditions():
    r = gd.functions.rosenbrock()
    for x in ([-1.5, 2.0], [0.0, 0.0], [2.0, -1.0], [-0.5, 1.5]):
        x = np.array(x)
        result = ls.strong_wolfe(r.f, r.grad, x, lr=1e-3)
        assert result.success
        assert ls.wolfe_holds(r.f, r.grad, x, result.step)
        np.testing.assert_array_equal(result.grad, r.grad(result.x))
        assert result.evaluations == len(result.trials)


def test_wolfe_holds_rejects_steps_too_short_and_too_long():
    q = quadratic([1.0, 1.0])  # along −g the exact minimiser is t = 1
    x = np.array([2.0, -1.0]) + q.minimizer
    assert ls.wolfe_holds(q.f, q.grad, x, 1.0)
    assert not ls.wolfe_holds(q.f, q.grad, x, 0.01)  # curvature: slope still steep
    assert not ls.wolfe_holds(q.f, q.grad, x, 1.999999)  # Armijo fails near 2
    assert ls.wolfe_holds(q.f, q.grad, x, 0.01, strong=False) == np.False_


def test_cubic_interpolation_is_exact_for_a_cubic():
    # φ(t) = t³ − 3t: minimum at t = 1; its values and slopes at 0 and 2 determine it.
    phi, dphi = (lambda t: t**3 - 3 * t), (lambda t: 3 * t**2 - 3)
    assert ls.cubic_interpolate(0.0, phi(0.0), dphi(0.0), 2.0, phi(2.0), dphi(2.0)) == 1.0
    assert ls.cubic_interpolate(2.0, phi(2.0), dphi(2.0), 0.0, phi(0.0), dphi(0.0)) == 1.0
    # Clipped to the bounds; the midpoint when the cubic has no minimum (d2² < 0).
    assert ls.cubic_interpolate(0.0, phi(0.0), dphi(0.0), 2.0, phi(2.0), dphi(2.0),
                                bounds=(1.5, 3.0)) == 1.5
    assert ls.cubic_interpolate(0.0, 0.0, 2.0, 1.0, 1.0, 2.0) == 0.5


def test_polyak_step_is_exact_on_a_one_dimensional_quadratic_and_batched():
    # f = (L/2)x²: (f − 0)/f'² = 1/(2L), half the exact step 1/L, whatever x.
    L = 4.0
    x = np.array([[3.0], [-0.5]])
    t = ls.polyak_step(0.5 * L * x[:, 0] ** 2, 0.0, L * x)
    np.testing.assert_allclose(t, [1 / (2 * L)] * 2, rtol=1e-15)


@pytest.mark.parametrize("kwargs, message", [
    (dict(c1=0.0), "Invalid c1 value: 0.0"),
    (dict(c1=1.0), "Invalid c1 value: 1.0"),
    (dict(shrink=1.0), "Invalid shrink value: 1.0"),
    (dict(lr=-1.0), "Invalid learning rate: -1.0"),
    (dict(max_iter=0), "Invalid max_iter value: 0"),
])
def test_armijo_bad_input(kwargs, message):
    r = gd.functions.rosenbrock()
    with pytest.raises(ValueError, match=message):
        ls.armijo(r.f, r.grad, np.zeros(2), **kwargs)


def test_strong_wolfe_bad_input():
    r = gd.functions.rosenbrock()
    with pytest.raises(ValueError, match="Invalid c2 value: 0.5"):
        ls.strong_wolfe(r.f, r.grad, np.zeros(2), c1=0.6, c2=0.5)
    with pytest.raises(ValueError, match="one point x of shape"):
        ls.strong_wolfe(r.f, r.grad, np.zeros((2, 2)))


# ----------------------------------------------------------------------------------------------
# The exercise checker: the solution passes, each typical mistake is named, stubs never raise.

def backtracking(f, grad, x, lr, c1, shrink):
    g = grad(x)
    fx, t = f(x), lr
    while f(x - t * g) > fx - c1 * t * (g @ g):
        t *= shrink
    return t


def no_c1(f, grad, x, lr, c1, shrink):
    g = grad(x)
    t = lr
    while f(x - t * g) >= f(x):
        t *= shrink
    return t


def one_too_far(f, grad, x, lr, c1, shrink):
    return shrink * backtracking(f, grad, x, lr, c1, shrink)


def norm_not_squared(f, grad, x, lr, c1, shrink):
    g = grad(x)
    t = lr
    while f(x - t * g) > f(x) - c1 * t * np.linalg.norm(g):
        t *= shrink
    return t


def probes_first(f, grad, x, lr, c1, shrink):
    f(x - 1e-3 * grad(x))  # an extra trial off the sequence
    return backtracking(f, grad, x, lr, c1, shrink)


def fixed_step(f, grad, x, lr, c1, shrink):
    return 1e-3


def stub(f, grad, x, lr, c1, shrink):
    raise NotImplementedError


@pytest.mark.parametrize("answer, words", [
    (no_c1, "not by c₁ t ‖∇f‖²"),
    (one_too_far, "smaller than needed"),
    (norm_not_squared, "sufficient decrease"),
    (probes_first, "was evaluated at steps"),
    (fixed_step, "smaller than needed"),
])
def test_backtracking_checker_names_the_mistake(answer, words, capsys):
    from gdcore.checks import linesearch as checks

    assert checks.check_backtracking(answer) is False
    out = capsys.readouterr().out
    assert out.startswith("✗") and words in out, out


def test_backtracking_checker_accepts_the_solution_and_waits_for_the_stub(capsys):
    from gdcore.checks import linesearch as checks

    assert checks.check_backtracking(backtracking) is True
    assert capsys.readouterr().out.startswith("✓ check_backtracking: correct")
    assert checks.check_backtracking(stub) is False
    assert capsys.readouterr().out.startswith("… check_backtracking: not yet solved")
    for garbage in (None, 3, lambda *a: "t", lambda *a: [1.0, 2.0]):
        assert checks.check_backtracking(garbage) is False
        assert capsys.readouterr().out[0] in "✗…"
