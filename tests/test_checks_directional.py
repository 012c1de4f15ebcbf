"""Mutation tests of chapter 2's checkers: the reference solutions pass, typical wrong answers are
rejected with a message naming the mistake, stubs are "not yet solved", garbage never raises."""

import numpy as np
import pytest

from gdcore import numdiff
from gdcore.checks import directional as checks

# ---- reference solutions (the same as the solution cells of the chapter) --------------------


def steepest_descent_direction(grad, x):
    g = grad(x)
    return -g / np.linalg.norm(g)


def zero_directions(grad, x):
    g = grad(x)
    perp = np.array([-g[1], g[0]]) / np.linalg.norm(g)
    return np.stack([perp, -perp])


def directional_derivative(f, x, u, h=1e-5):
    u = u / np.linalg.norm(u)
    return (f(x + h * u) - f(x - h * u)) / (2 * h)


def step_off_by(f, grad, x, u, rel=0.1):
    slope = grad(x) @ u

    def too_far(t):
        return abs(f(x + t * u) - f(x) - t * slope) >= rel * abs(t * slope)

    hi = 1e-6
    while not too_far(hi):
        hi *= 1.1
    lo = hi / 1.1
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (lo, mid) if too_far(mid) else (mid, hi)
    return hi


REFERENCE = {
    "check_steepest_descent_direction": steepest_descent_direction,
    "check_zero_directions": zero_directions,
    "check_directional_derivative": directional_derivative,
    "check_step_off_by": step_off_by,
}


def _second_order_estimate(f, grad, x, u, rel=0.1, half=True):
    curvature = u @ numdiff.numerical_hessian(f, x) @ u
    return (2 if half else 1) * rel * abs(grad(x) @ u) / abs(curvature)


def _scan(f, grad, x, u, rel=0.1, step=0.02):
    slope = grad(x) @ u
    t = np.arange(1, 2000) * step
    err = np.array([abs(f(x + s * u) - f(x) - s * slope) for s in t])
    return t[np.argmax(err >= rel * np.abs(t * slope))]


def _absolute(f, grad, x, u, rel=0.1):
    slope = grad(x) @ u
    t = 1e-6
    while abs(f(x + t * u) - f(x) - t * slope) < rel:
        t *= 1.0001
    return t


# (checker, wrong answer, a word the message must contain)
MUTANTS = [
    ("check_steepest_descent_direction", lambda grad, x: grad(x) / np.linalg.norm(grad(x)),
     "wrong sign"),
    ("check_steepest_descent_direction", lambda grad, x: -grad(x), "not a unit vector"),
    ("check_steepest_descent_direction", lambda grad, x: -grad(x) / np.linalg.norm(grad(x)) ** 2,
     "not a unit vector"),
    ("check_steepest_descent_direction",  # the coordinate axis with the largest partial
     lambda grad, x: -np.sign(grad(x)) * (np.abs(grad(x)) == np.abs(grad(x)).max()),
     "not the steepest"),
    ("check_steepest_descent_direction", lambda grad, x: -grad(x)[:1], "shape"),
    ("check_zero_directions",
     lambda grad, x: np.stack([np.array([-grad(x)[1], grad(x)[0]])] * 2) / np.linalg.norm(grad(x)),
     "same direction"),
    ("check_zero_directions",
     lambda grad, x: np.array([[-grad(x)[1], grad(x)[0]], [grad(x)[1], -grad(x)[0]]]),
     "not a unit vector"),
    ("check_zero_directions",
     lambda grad, x: np.stack([grad(x), -grad(x)]) / np.linalg.norm(grad(x)),
     "not perpendicular"),
    ("check_zero_directions",
     lambda grad, x: np.array([-grad(x)[1], grad(x)[0]]) / np.linalg.norm(grad(x)), "shape"),
    ("check_directional_derivative",  # seed 000's quotient: no normalisation
     lambda f, x, u: (f(x + 1e-6 * u) - f(x)) / 1e-6, "not normalised"),
    ("check_directional_derivative",
     lambda f, x, u: directional_derivative(f, x, -u), "wrong sign"),
    ("check_directional_derivative",
     lambda f, x, u: directional_derivative(f, x, u) / np.linalg.norm(u), "factor 1/‖u‖"),
    ("check_directional_derivative",
     lambda f, x, u: numdiff.numerical_gradient(f, x), "shape"),
    ("check_directional_derivative",  # a step h far too large
     lambda f, x, u: directional_derivative(f, x, u, h=0.05), "accurate"),
    ("check_directional_derivative",
     lambda f, x, u: 2 * directional_derivative(f, x, u), "factor 2"),
    ("check_step_off_by", _second_order_estimate, "second-order estimate"),
    ("check_step_off_by", lambda *a: _second_order_estimate(*a, half=False), "factor 1/2"),
    ("check_step_off_by", lambda *a: 2 * step_off_by(*a), "factor 2"),
    ("check_step_off_by", _absolute, "rel·|t D_u f|"),
    ("check_step_off_by", _scan, "accurate"),
    ("check_step_off_by", lambda *a: -step_off_by(*a), "positive"),
]


def _stub(*args, **kwargs):
    raise NotImplementedError


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_reference_solution_is_accepted(name, capsys):
    assert getattr(checks, name)(REFERENCE[name]) is True
    assert capsys.readouterr().out == f"✓ {name}: correct\n"


@pytest.mark.parametrize(("name", "mutant", "word"), MUTANTS,
                         ids=[f"{m[0]}-{m[2]}" for m in MUTANTS])
def test_mutant_is_rejected_naming_the_mistake(name, mutant, word, capsys):
    assert getattr(checks, name)(mutant) is False
    out = capsys.readouterr().out
    assert out.startswith(f"✗ {name}: "), out
    assert word in out, out
    assert out.count("\n") == 1


def test_every_checker_has_three_mutants():
    counts = {name: sum(m[0] == name for m in MUTANTS) for name in REFERENCE}
    assert min(counts.values()) >= 3, counts


@pytest.mark.parametrize("stub", [Ellipsis, None, _stub], ids=["ellipsis", "none", "raises"])
@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_stub_is_not_yet_solved(name, stub, capsys):
    assert getattr(checks, name)(stub) is False
    assert capsys.readouterr().out.startswith(f"… {name}: not yet solved")


GARBAGE = [
    "hello",
    42,
    lambda *a: np.nan,
    lambda *a: np.full(2, np.nan),
    lambda *a: "a string",
    lambda *a: None,
    lambda *a: 1 / 0,
    lambda *a: [[1, 2], [3]],
    lambda: 0.0,
]


@pytest.mark.parametrize("answer", GARBAGE, ids=[str(i) for i in range(len(GARBAGE))])
@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_garbage_is_rejected_without_raising(name, answer, capsys):
    assert getattr(checks, name)(answer) is False
    out = capsys.readouterr().out
    assert out.startswith(f"✗ {name}: ") and out.count("\n") == 1, out


def test_reference_step_matches_the_closed_form_on_a_quadratic():
    from gdcore import functions

    problem = functions.quadratic(np.array([[3.0, 1.0], [1.0, 2.0]]), b=np.array([1.0, -1.0]))
    x, u = np.array([1.0, 2.0]), np.array([0.6, -0.8])
    slope, curvature = problem.grad(x) @ u, u @ problem.A @ u
    exact = 2 * 0.1 * abs(slope) / curvature
    assert checks._reference_step_off_by(problem, x, u, 0.1) == pytest.approx(exact, rel=1e-9)
