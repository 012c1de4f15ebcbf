"""Mutation tests of the rates checkers: the reference solutions pass, each typical wrong answer is
rejected with a message naming its mistake, stubs and crashing code never raise."""

import math

import numpy as np
import pytest

import gdcore as gd
from gdcore.checks import rates as checks


def smoothness_constant(X, c, l2):
    # A second route: the Hessian at θ = 0 assembled row by row, then its top eigenvalue.
    X = np.asarray(X, dtype=float)
    H = sum(ci / 4 * np.outer(xi, xi) for xi, ci in zip(X, c, strict=True)) / np.sum(c)
    H[1:, 1:] += l2 * np.eye(X.shape[1] - 1)
    return np.linalg.eigvalsh(H)[-1]


def linear_rate_steps(mu, L, gap0, eps):
    k = 0
    while (1 - mu / L) ** k * gap0 > eps:  # count the steps one by one
        k += 1
    return k


def _verdict(capsys, check, answer):
    ok = check(answer)
    line = capsys.readouterr().out.strip()
    assert "\n" not in line  # exactly one verdict line
    return ok, line


@pytest.mark.parametrize("check, answer", [
    (checks.check_smoothness_constant, smoothness_constant),
    (checks.check_linear_rate_steps, linear_rate_steps),
])
def test_reference_solutions_pass(capsys, check, answer):
    ok, line = _verdict(capsys, check, answer)
    assert ok and line.startswith("✓")


def test_smoothness_reference_agrees_with_gdcore():
    # Unit weights and a penalized intercept reduce the exercise to the chapter's problem; with
    # an unpenalized intercept the smallest L is at most gdcore's L.
    pytest.importorskip("sklearn")
    X, y = gd.data.breast_cancer()
    problem = gd.functions.logistic_regression(X, y, 0.0)
    assert smoothness_constant(X, np.ones(569), 0.0) == pytest.approx(problem.L, rel=1e-12)
    with_l2 = gd.functions.logistic_regression(X, y, 0.1)
    assert smoothness_constant(X, np.full(569, 2.0), 0.1) <= with_l2.L * (1 + 1e-12)
    np.testing.assert_allclose(with_l2.hess(np.zeros(31)) - 0.1 * np.eye(31),
                               problem.hess(np.zeros(31)), atol=1e-15)


def _top(M):
    return np.linalg.eigvalsh(M)[-1]


def _gram(X, c, scale):
    return (X.T * c) @ X / scale


def _pen(X):
    return np.diag(np.r_[0.0, np.ones(X.shape[1] - 1)])


@pytest.mark.parametrize("mutant, phrase", [
    (lambda X, c, l2: _top(_gram(X, c, 4 * c.sum())) + l2, "not the smallest"),
    (lambda X, c, l2: _top(_gram(X, np.ones(len(X)), 4 * len(X)) + l2 * _pen(X)),
     "weights are missing"),
    (lambda X, c, l2: _top(_gram(X, c, 4 * len(X)) + l2 * _pen(X)), "not by n"),
    (lambda X, c, l2: _top(_gram(X, c, 4.0) + l2 * _pen(X)), "normalization is missing"),
    (lambda X, c, l2: _top(_gram(X, c, c.sum()) + l2 * _pen(X)), "factor 4"),
    (lambda X, c, l2: np.trace(_gram(X, c, 4 * c.sum()) + l2 * _pen(X)), "trace"),
    (lambda X, c, l2: _top(_gram(X, c, 4 * c.sum()) + l2 / 2 * _pen(X)), "halved"),
    (lambda X, c, l2: _top(_gram(X, c, 4 * c.sum())), "L2 term is missing"),
    (lambda X, c, l2: _top(_gram(X, np.ones(len(X)), 4 * len(X))) + l2, "section's formula"),
    (lambda X, c, l2: np.linalg.norm(X, 2) ** 2 / (4 * len(X)) + l2, "section's formula"),
    (lambda X, c, l2: _top(_gram(X[:, 1:], c, 4 * c.sum()) + l2 * np.eye(X.shape[1] - 1)),
     "intercept column was dropped"),
    (lambda X, c, l2: 0.9 * smoothness_constant(X, c, l2), "not an upper bound"),
    (lambda X, c, l2: 1.5 * smoothness_constant(X, c, l2), "not the smallest one"),
])
def test_smoothness_mutants_are_named(capsys, mutant, phrase):
    ok, line = _verdict(capsys, checks.check_smoothness_constant, mutant)
    assert not ok and line.startswith("✗") and phrase in line, line


def _real(mu, L, gap0, eps):
    return math.log(eps / gap0) / math.log1p(-mu / L)


@pytest.mark.parametrize("mutant, phrase", [
    (lambda mu, L, g, e: math.ceil(L / mu * math.log(g / e)) if g > e else 0, "not the fewest"),
    (lambda mu, L, g, e: math.floor(_real(mu, L, g, e)) if g > e else 0, "one step short"),
    (lambda mu, L, g, e: math.ceil(_real(mu, L, g, e) / 2) if g > e else 0, "2k"),
    (lambda mu, L, g, e: math.ceil(math.log(e) / math.log1p(-mu / L)), "is missing"),
    (lambda mu, L, g, e: linear_rate_steps(mu, L, g, e) + 3, "below eps already after fewer steps"),
    (lambda mu, L, g, e: max(linear_rate_steps(mu, L, g, e) - 3, 0), "not yet below eps"),
    (lambda mu, L, g, e: linear_rate_steps(mu, L, g, e) + 0.5, "integer"),
    (lambda mu, L, g, e: math.ceil(_real(mu, L, g, e)), "never negative"),
    (lambda mu, L, g, e: max(0, math.ceil(math.log(e / g) / math.log1p(-2 * mu / L))),
     "1 − 2μ/L per step"),
])
def test_rate_mutants_are_named(capsys, mutant, phrase):
    ok, line = _verdict(capsys, checks.check_linear_rate_steps, mutant)
    assert not ok and line.startswith("✗") and phrase in line, line


def _raises(*args):
    raise RuntimeError("boom")


def _stub(*args):
    raise NotImplementedError


@pytest.mark.parametrize("check", [checks.check_smoothness_constant,
                                   checks.check_linear_rate_steps])
@pytest.mark.parametrize("answer, mark", [(None, "…"), (..., "…"), (_stub, "…"),
                                          (_raises, "✗"), (lambda *a: "three", "✗"),
                                          (lambda *a: np.nan, "✗"), (42, "✗")])
def test_stubs_and_garbage_give_one_verdict_and_never_raise(capsys, check, answer, mark):
    ok, line = _verdict(capsys, check, answer)
    assert not ok and line.startswith(mark), line


def test_docstrings_do_not_reveal_the_answers():
    for fn in (checks.check_smoothness_constant, checks.check_linear_rate_steps):
        doc = fn.__doc__
        assert "‖X‖" not in doc and "4n" not in doc and "ceil" not in doc and "log(" not in doc
