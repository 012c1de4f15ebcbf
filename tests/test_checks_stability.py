"""Mutation tests of the edge-of-stability checker: the reference solution is accepted; each
typical wrong answer is rejected with a message naming its mistake; stubs never raise."""

import numpy as np
import pytest

import gdcore as gd
from gdcore.checks import stability as checks


def _power(grad, theta, hv, iterations=100):
    v = np.random.default_rng(1).standard_normal(theta.size)
    lam = 0.0
    for _ in range(iterations):
        v = v / np.linalg.norm(v)
        w = hv(grad, theta, v)
        lam = v @ w
        v = w
    return lam


def _central(grad, theta, v, h=1e-5):
    return (grad(theta + h * v) - grad(theta - h * v)) / (2 * h)


def sharpness_from_gradients(grad, theta):
    return _power(grad, theta, _central)


def forward_difference(grad, theta):
    # another correct answer: ∇f(θ) once, then one gradient per product (error O(h))
    g0, h = grad(theta), 1e-7 * (1 + np.linalg.norm(theta))
    return _power(grad, theta, lambda g, t, v: (g(t + h * v) - g0) / h)


def dense_hessian(grad, theta):
    # and another: the whole Hessian by central differences (2d ≤ 400 calls), then eigvalsh
    H = np.column_stack([_central(grad, theta, e) for e in np.eye(theta.size)])
    return np.linalg.eigvalsh(0.5 * (H + H.T))[-1]


def _unnormalised(grad, theta):
    # v is never normalised: H v grows geometrically, and θ ± h v with it
    v, lam = np.random.default_rng(1).standard_normal(theta.size), 0.0
    for _ in range(100):
        w = _central(grad, theta, v)
        lam, v = v @ w / (v @ v), w
    return lam


def library(grad, theta):
    return gd.curvature.sharpness(grad, theta, batched=False, rtol=1e-8).value


def not_implemented(grad, theta):
    raise NotImplementedError


def raises(grad, theta):
    return 1 / 0


MUTANTS = [
    (lambda g, t: _power(g, t, lambda g, t, v: (g(t + 1e-6 * v) - g(t)) / 2e-6),
     "half the sharpness"),
    (lambda g, t: _power(g, t, lambda g, t, v: (g(t + 1e-5 * v) - g(t - 1e-5 * v)) / 1e-5),
     "twice the sharpness"),
    (lambda g, t: 2 / sharpness_from_gradients(g, t), "inverted"),
    (lambda g, t: _power(g, t, lambda g, t, v: g(t + v) - g(t)), "away from θ"),
    (lambda g, t: -sharpness_from_gradients(g, t), "sign is flipped"),
    (_unnormalised, "normalise v"),
    (lambda g, t: _power(g, t, lambda g, t, v: g(v) - g(np.zeros_like(v))), "origin"),
    (lambda g, t: _power(g, t, _central, iterations=3), "converged"),
    (lambda g, t: _power(g, t, _central, iterations=300), "gradient calls"),
    (lambda g, t: _power(g, t, lambda g, t, v: _central(g, t, v, h=0.3)), "converged"),
    (lambda g, t: "big", "must be a number"),
    (lambda g, t: g(t[:2]), "raised ValueError"),
    (raises, "raised ZeroDivisionError"),
]


@pytest.mark.parametrize("answer", [sharpness_from_gradients, library, forward_difference,
                                    dense_hessian])
def test_reference_solutions_pass(answer, capsys):
    assert checks.check_sharpness_from_gradients(answer) is True
    assert capsys.readouterr().out.startswith("✓ check_sharpness_from_gradients: correct")


@pytest.mark.parametrize("answer,message", MUTANTS, ids=[m for _, m in MUTANTS])
def test_mutants_are_rejected_with_their_mistake(answer, message, capsys):
    assert checks.check_sharpness_from_gradients(answer) is False
    out = capsys.readouterr().out
    assert out.startswith("✗ check_sharpness_from_gradients:") and message in out, out


@pytest.mark.parametrize("stub", [None, ..., not_implemented])
def test_stubs_are_not_yet_solved(stub, capsys):
    assert checks.check_sharpness_from_gradients(stub) is False
    assert capsys.readouterr().out.startswith("… check_sharpness_from_gradients: not yet solved")


def test_hidden_cases_have_a_dominant_positive_top_eigenvalue():
    for problem, theta, lam in checks._hidden_cases():
        assert lam[-1] > 0 and np.sort(np.abs(lam))[-2] <= 0.7 * lam[-1]
        # the exact Hessian (R-operator) agrees with the central difference of gradients
        H = gd.curvature.hessian(problem.grad, theta)
        assert np.abs(np.linalg.eigvalsh(H)[-1] - lam[-1]) <= 1e-6 * lam[-1]
