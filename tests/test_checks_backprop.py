"""Mutation tests of the chapter 4 checkers: typical wrong answers are rejected, by name."""

import numpy as np
import pytest

from gdcore.checks import backprop as checks


# --- exercise 1: two-layer backprop -------------------------------------------------------------
def two_layer(W1, b1, W2, b2, X, y, *, sign=1.0, factor=1.0, deriv=True, transpose=False,
              use_z=False, no_sum=False, z_deriv=False):
    n = X.shape[0]
    z = X @ W1 + b1
    h = np.tanh(z)
    out = h @ W2 + b2
    d2 = sign * factor * (out - y) / n
    dW2 = (z if use_z else h).T @ d2
    db2 = d2.sum(axis=0)
    if z_deriv:
        d1 = d2 @ W2.T * (1 - z ** 2)
    else:
        d1 = d2 @ W2.T * ((1 - h ** 2) if deriv else 1.0)
    dW1 = X.T @ d1
    db1 = d1 if no_sum else d1.sum(axis=0)
    return (dW1.T if transpose else dW1), db1, dW2, db2


def _variant(**kw):
    return lambda *args: two_layer(*args, **kw)


def _not_implemented(*args):
    raise NotImplementedError


def _crashes(*args):
    raise KeyError("oops")


TWO_LAYER_MUTANTS = [
    (_variant(sign=-1.0), "wrong sign"),
    (_variant(factor=2.0), "factor 2"),
    (_variant(factor=5.0 * 6.0), "factor"),
    (_variant(deriv=False), "missing the activation derivative"),
    (_variant(transpose=True), "transposed: shape (4, 3) where (3, 4) was expected"),
    (_variant(use_z=True), "pre-activations"),
    (_variant(no_sum=True), "sum δ over the samples"),
    (_variant(z_deriv=True), "1 − z²"),
    (lambda *a: two_layer(*a)[:3], "four gradients"),
    (_crashes, "raised KeyError"),
]

SOFTPLUS_MUTANTS = [
    (lambda x: np.log1p(np.exp(x)), "softplus itself"),
    (lambda x: 1 / (1 + np.exp(x)), "wrong sign"),
    (lambda x: 2 / (1 + np.exp(-x)), "factor 2"),
    (lambda x: np.exp(x) / (1 + np.exp(x)), "overflow"),
    (lambda x: np.exp(x), "finite-difference"),
    (lambda x: 0.5, "shape"),
]

TANH_INIT_MUTANTS = [
    (lambda n: np.sqrt(2.0 / n), "factor 2"),
    (lambda n: 1.0 / n, "variance"),
    (lambda n: 0.01, "does not scale with n_in"),
    (lambda n: 3.0 / np.sqrt(n), "wrong scale"),
    (lambda n: -1.0 / np.sqrt(n), "positive"),
    (lambda n: np.ones(2) / np.sqrt(n), "single number"),
]


SIGMOID_INIT_MUTANTS = [
    (lambda n: 1.0 / np.sqrt(n), "as for tanh"),
    (lambda n: 2.0 / np.sqrt(n), "enters the variance squared"),
    (lambda n: np.sqrt(2.0 / n), "He's"),
    (lambda n: 16.0 / n, "variance"),
    (lambda n: 0.4, "does not scale with n"),
    (lambda n: 1.0 / (4.0 * np.sqrt(n)), "wrong scale"),
    (lambda n: -4.0 / np.sqrt(n), "positive"),
]


def ce_naive(logits, labels):
    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    return float(np.mean(-np.log(p[np.arange(len(labels)), labels])))


def ce_stable(logits, labels, *, shift=0, reduce=np.mean, sign=1.0, axis=1):
    m = logits.max(axis=axis, keepdims=True)
    lse = m + np.log(np.exp(logits - m).sum(axis=axis, keepdims=True))
    logp = logits - lse
    picked = -logp[np.arange(len(labels)), (labels + shift) % logits.shape[1]]
    return reduce(picked) * sign if reduce is not None else picked


CE_MUTANTS = [
    (ce_naive, "overflow"),
    (lambda z, y: ce_stable(z, y, reduce=np.sum), "factor n"),
    (lambda z, y: ce_stable(z, y, sign=-1.0), "wrong sign"),
    (lambda z, y: ce_stable(z, y, shift=1), "off-by-one"),
    (lambda z, y: ce_stable(z, y, axis=0), "wrong axis"),
    (lambda z, y: ce_stable(z, y, reduce=None), "one number"),
]

TABLE = ([(checks.check_two_layer_grads, m, msg) for m, msg in TWO_LAYER_MUTANTS]
         + [(checks.check_softplus_derivative, m, msg) for m, msg in SOFTPLUS_MUTANTS]
         + [(checks.check_tanh_init_std, m, msg) for m, msg in TANH_INIT_MUTANTS]
         + [(checks.check_sigmoid_init_std, m, msg) for m, msg in SIGMOID_INIT_MUTANTS]
         + [(checks.check_stable_cross_entropy, m, msg) for m, msg in CE_MUTANTS])


@pytest.mark.parametrize("checker, mutant, message", TABLE,
                         ids=[f"{c.__name__}-{msg}" for c, _, msg in TABLE])
def test_mutants_are_rejected_by_name(checker, mutant, message, capsys):
    assert checker(mutant) is False
    line = capsys.readouterr().out.strip()
    assert line.startswith("✗ ") and message in line, line
    assert "\n" not in line


SOLUTIONS = [
    (checks.check_two_layer_grads, lambda *a: two_layer(*a)),
    (checks.check_softplus_derivative, lambda x: 0.5 * (1 + np.tanh(0.5 * x))),
    (checks.check_tanh_init_std, lambda n: 1.0 / np.sqrt(n)),
    (checks.check_sigmoid_init_std, lambda n: 4.0 / np.sqrt(n)),
    (checks.check_stable_cross_entropy, ce_stable),
]


@pytest.mark.parametrize("checker, solution", SOLUTIONS, ids=[c.__name__ for c, _ in SOLUTIONS])
def test_reference_solutions_are_accepted(checker, solution, capsys):
    assert checker(solution) is True
    assert capsys.readouterr().out.strip() == f"✓ {checker.__name__}: correct"


@pytest.mark.parametrize("checker", [c for c, _ in SOLUTIONS], ids=lambda c: c.__name__)
@pytest.mark.parametrize("stub", [..., None, _not_implemented])
def test_stubs_are_not_yet_solved(checker, stub, capsys):
    assert checker(stub) is False
    assert capsys.readouterr().out.startswith(f"… {checker.__name__}: not yet solved")


@pytest.mark.parametrize("checker", [c for c, _ in SOLUTIONS], ids=lambda c: c.__name__)
@pytest.mark.parametrize("bad", [42, "text", [1, 2]])
def test_wrong_types_never_raise(checker, bad, capsys):
    assert checker(bad) is False
    assert capsys.readouterr().out.startswith("✗ ")
