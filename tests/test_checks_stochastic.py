"""Mutation tests of the part 5e checker: the reference solution passes, typical mistakes are
named, stubs and garbage never raise."""

import numpy as np
import pytest

from gdcore.checks import stochastic


def b_simple(per_sample_grads):
    G = per_sample_grads.mean(axis=0)
    return np.sum(np.var(per_sample_grads, axis=0)) / (G @ G)


def test_reference_and_the_other_normalisation_pass(capsys):
    assert stochastic.check_b_simple(b_simple)
    unbiased = lambda P: np.sum(np.var(P, axis=0, ddof=1)) / (P.mean(0) @ P.mean(0))  # noqa: E731
    assert stochastic.check_b_simple(unbiased)
    # written another way: E‖g‖² − ‖G‖², and np.cov with the samples as columns
    second_moment = lambda P: (np.mean(np.sum(P**2, 1)) - _G(P) @ _G(P)) / (_G(P) @ _G(P))  # noqa: E731
    assert stochastic.check_b_simple(second_moment)
    assert stochastic.check_b_simple(lambda P: np.trace(np.cov(P.T)) / (_G(P) @ _G(P)))
    assert capsys.readouterr().out.count("✓") == 4


def _G(P):
    return P.mean(axis=0)


@pytest.mark.parametrize("wrong, words", [
    (lambda P: np.sum(np.mean(P**2, axis=0)) / (_G(P) @ _G(P)), "subtract the mean"),
    (lambda P: np.sum(np.var(P, axis=0)) / np.linalg.norm(_G(P)), "squared norm"),
    (lambda P: (_G(P) @ _G(P)) / np.sum(np.var(P, axis=0)), "upside down"),
    (lambda P: np.sum(np.var(P, axis=0)) / (P.sum(0) @ P.sum(0)), "not their sum"),
    (lambda P: np.sum(np.var(P, axis=1)) / (_G(P) @ _G(P)), "over the samples"),
    (lambda P: np.trace(np.cov(P)) / (_G(P) @ _G(P)), "np.cov(per_sample.T)"),
    (lambda P: np.mean(np.var(P, axis=0)) / (_G(P) @ _G(P)), "not their mean"),
    (lambda P: 2 * b_simple(P), "the noise scale is"),
])
def test_mistakes_are_named(wrong, words, capsys):
    assert not stochastic.check_b_simple(wrong)
    out = capsys.readouterr().out
    assert out.startswith("✗ check_b_simple") and words in out


@pytest.mark.parametrize("answer, prefix", [
    (None, "…"), (..., "…"), (42, "✗"),
    (lambda P: (_ for _ in ()).throw(NotImplementedError()), "…"),
    (lambda P: 1 / 0, "✗"), (lambda P: "many", "✗"), (lambda P: np.ones(3), "✗"),
])
def test_stubs_and_garbage_give_a_verdict_not_a_traceback(answer, prefix, capsys):
    assert not stochastic.check_b_simple(answer)
    assert capsys.readouterr().out.startswith(f"{prefix} check_b_simple")
