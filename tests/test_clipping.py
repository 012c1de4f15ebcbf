"""Tests of gdcore.clipping: torch clip_grad_norm_ / clip_grad_value_ semantics, closed forms."""

from __future__ import annotations

import numpy as np
import pytest

from gdcore.clipping import clip_by_global_norm, clip_by_value


def test_norm_above_max_is_scaled_like_torch():
    """torch: g ← g · max_norm / (‖g‖ + 1e-6) when that factor is below 1."""
    g = np.array([3.0, 4.0])
    clipped, norm = clip_by_global_norm(g, max_norm=1.0)
    assert norm == 5.0
    np.testing.assert_array_equal(clipped, g * (1.0 / (5.0 + 1e-6)))
    assert np.linalg.norm(clipped) == pytest.approx(1.0, abs=1e-6)
    np.testing.assert_allclose(clipped / np.linalg.norm(clipped), g / 5.0)  # same direction


def test_norm_below_max_is_unchanged():
    g = np.array([0.3, -0.4])
    clipped, norm = clip_by_global_norm(g, max_norm=1.0)
    np.testing.assert_array_equal(clipped, g)
    assert norm == pytest.approx(0.5)


def test_global_norm_over_a_list_of_arrays():
    grads = [np.array([[1.0, 2.0], [2.0, 0.0]]), np.array([4.0]), np.zeros((0,))]
    clipped, norm = clip_by_global_norm(grads, max_norm=2.5)
    assert norm == pytest.approx(5.0)  # √(1 + 4 + 4 + 16)
    assert isinstance(clipped, list) and len(clipped) == 3
    scale = 2.5 / (5.0 + 1e-6)
    for before, after in zip(grads, clipped, strict=True):
        assert after.shape == before.shape
        np.testing.assert_allclose(after, before * scale, rtol=1e-15)
    total_after = np.sqrt(sum(np.sum(a**2) for a in clipped))
    assert total_after == pytest.approx(2.5, abs=1e-6)


def test_per_run_norms_on_a_batch_axis_equal_separate_calls():
    rng = np.random.default_rng(0)
    grads = rng.normal(size=(5, 3)) * np.array([[0.1], [1.0], [10.0], [0.5], [3.0]])
    clipped, norms = clip_by_global_norm(grads, max_norm=1.0, axis=-1)
    assert norms.shape == (5,)
    for r in range(5):
        alone, norm = clip_by_global_norm(grads[r], max_norm=1.0)
        np.testing.assert_array_equal(clipped[r], alone)
        assert norms[r] == pytest.approx(norm, rel=1e-15)


def test_infinity_and_one_norms():
    g = np.array([3.0, -4.0])
    clipped, norm = clip_by_global_norm(g, max_norm=2.0, norm_type=np.inf)
    assert norm == 4.0
    np.testing.assert_allclose(clipped, g * 2.0 / (4.0 + 1e-6))
    _, norm1 = clip_by_global_norm(g, max_norm=100.0, norm_type=1)
    assert norm1 == 7.0


def test_clip_by_value():
    g = np.array([-3.0, 0.5, 2.0])
    np.testing.assert_array_equal(clip_by_value(g, 1.0), [-1.0, 0.5, 1.0])
    out = clip_by_value([g, np.array([10.0])], 0.75)
    np.testing.assert_array_equal(out[0], [-0.75, 0.5, 0.75])
    np.testing.assert_array_equal(out[1], [0.75])


def test_inputs_are_not_modified():
    g = np.array([30.0, 40.0])
    grads = [g, g.copy()]
    clip_by_global_norm(g, 1.0)
    clip_by_global_norm(grads, 1.0)
    clip_by_value(g, 1.0)
    np.testing.assert_array_equal(g, [30.0, 40.0])
    np.testing.assert_array_equal(grads[1], [30.0, 40.0])


BAD = [
    (lambda: clip_by_global_norm(np.ones(2), -1.0), "max_norm must be a finite number >= 0"),
    (lambda: clip_by_global_norm(np.ones(2), np.nan), "max_norm must be a finite number >= 0"),
    (lambda: clip_by_global_norm(np.ones(2), 1.0, norm_type=3), "norm_type must be 1, 2 or inf"),
    (lambda: clip_by_value(np.ones(2), -0.5), "clip_value must be a finite number >= 0"),
]


@pytest.mark.parametrize("make, message", BAD, ids=[m[:30] for _, m in BAD])
def test_bad_arguments(make, message):
    with pytest.raises(ValueError, match=message):
        make()
