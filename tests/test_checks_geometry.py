"""Mutation tests of the part 5f checker: the reference solution passes, typical mistakes are
named, stubs and garbage never raise."""

import numpy as np
import pytest

from gdcore.checks import geometry


@pytest.mark.parametrize("answer", [
    lambda g: -np.sign(g),
    lambda g: np.where(g > 0, -1.0, 1.0),            # another optimum wherever gᵢ = 0
    lambda g: -g / np.abs(g),
    lambda g: (-np.sign(g)).astype(int).tolist(),    # a list of ints is an answer too
])
def test_correct_answers_pass(answer, capsys):
    assert geometry.check_linf_steepest(answer)
    assert capsys.readouterr().out.startswith("✓ check_linf_steepest")


@pytest.mark.parametrize("wrong, words", [
    (lambda g: np.sign(g), "ascent direction"),
    (lambda g: -g / np.linalg.norm(g, axis=-1, keepdims=True), "ℓ2"),
    (lambda g: -g / np.abs(g).max(axis=-1, keepdims=True), "small coordinates"),
    (lambda g: -g, "not a unit step"),
    (lambda g: -2 * np.sign(g), "must lie in the box"),
    (lambda g: -np.sign(g) * (np.arange(g.shape[-1]) % 2), "is attainable"),
    (lambda g: np.clip(-g, -1, 1), "clipping"),
    (lambda g: -np.sign(g) * (np.abs(g) == np.abs(g).max(axis=-1, keepdims=True)), "ℓ1"),
    (lambda g: -0.5 * np.sign(g), "shorter step"),
])
def test_mistakes_are_named(wrong, words, capsys):
    assert not geometry.check_linf_steepest(wrong)
    out = capsys.readouterr().out
    assert out.startswith("✗ check_linf_steepest") and words in out


@pytest.mark.parametrize("answer, prefix", [
    (None, "…"), (..., "…"), (42, "✗"),
    (lambda g: (_ for _ in ()).throw(NotImplementedError()), "…"),
    (lambda g: 1 / 0, "✗"), (lambda g: "up", "✗"), (lambda g: np.ones(3), "✗"),
    (lambda g: np.full(g.shape, np.nan), "✗"),
])
def test_stubs_and_garbage_give_a_verdict_not_a_traceback(answer, prefix, capsys):
    assert not geometry.check_linf_steepest(answer)
    assert capsys.readouterr().out.startswith(f"{prefix} check_linf_steepest")
