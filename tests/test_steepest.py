"""gdcore.steepest against brute force: no unit direction of the norm beats d*, and d* attains
−‖g‖_* (dual norms from their definitions: ℓ1 sums, singular values)."""

import numpy as np
import pytest

from gdcore import steepest
from gdcore.optimizers import newton_schulz

RNG = np.random.default_rng(9)


def _unit_directions(which, shape, n):
    """n random directions with ‖d‖ = 1 in the norm ``which``."""
    if which == "spectral":
        # random orthogonal matrices (all singular values 1) and random matrices scaled to σ₁ = 1
        Q = np.linalg.qr(RNG.normal(size=(n, max(shape), max(shape))))[0][:, :shape[0], :shape[1]]
        M = RNG.normal(size=(n, *shape))
        M /= np.linalg.svd(M, compute_uv=False)[:, :1, None]
        return np.concatenate([Q, M])
    d = RNG.normal(size=(n, *shape))
    scale = np.abs(d).max(-1, keepdims=True) if which == "linf" else np.linalg.norm(
        d, axis=-1, keepdims=True)
    return d / scale


@pytest.mark.parametrize("which, shape", [("l2", (5,)), ("linf", (5,)), ("spectral", (4, 3)),
                                          ("spectral", (3, 4)), ("spectral", (4, 4))])
def test_no_unit_direction_beats_the_steepest_one(which, shape):
    g = RNG.normal(size=shape)
    d_star = steepest.steepest_direction(g, which)
    assert abs(steepest.norm(d_star, which) - 1) < 1e-12
    best = np.sum(g * d_star)
    axes = tuple(range(1, 1 + len(shape)))
    trials = np.sum(g * _unit_directions(which, shape, 20000), axis=axes)
    assert trials.min() >= best - 1e-12
    # the dual norm from its definition
    dual = {"l2": lambda: np.sqrt(np.sum(g ** 2)), "linf": lambda: np.sum(np.abs(g)),
            "spectral": lambda: np.sum(np.linalg.svd(g, compute_uv=False))}[which]()
    assert abs(best + dual) <= 1e-12 * dual
    assert abs(steepest.dual_norm(g, which) - dual) <= 1e-12 * dual
    # the brute-force search comes close, so the bound is not vacuous
    assert trials.min() < best + 0.5 * dual


def test_closed_forms_and_lanes():
    g = np.array([[3.0, -4.0], [0.0, 2.0]])
    np.testing.assert_allclose(steepest.steepest_direction(g, "l2"),
                               [[-0.6, 0.8], [0.0, -1.0]], rtol=0, atol=1e-15)
    np.testing.assert_array_equal(steepest.steepest_direction(g, "linf"),
                                  [[-1.0, 1.0], [0.0, -1.0]])
    np.testing.assert_allclose(steepest.dual_norm(g, "linf"), [7.0, 2.0])
    # spectral on a stack of matrices: diag(2, 0.5) → −I; a rotation R → −R
    theta = 0.3
    R = np.array([[np.cos(theta), -np.sin(theta)], [np.sin(theta), np.cos(theta)]])
    G = np.stack([np.diag([2.0, 0.5]), 5 * R])
    np.testing.assert_allclose(steepest.steepest_direction(G, "spectral"), [-np.eye(2), -R],
                               atol=1e-14)
    np.testing.assert_allclose(steepest.dual_norm(G, "spectral"), [2.5, 10.0], rtol=1e-14)
    np.testing.assert_allclose(steepest.norm(G, "spectral"), [2.0, 5.0], rtol=1e-14)


def test_zero_and_rank_deficient_gradients():
    assert np.all(steepest.steepest_direction(np.zeros(3), "l2") == 0)
    u, v = np.array([1.0, 2.0, 2.0]) / 3, np.array([0.6, 0.8])
    G = 4 * np.outer(u, v)                       # rank 1: d* = −u vᵀ, one singular value 1
    np.testing.assert_allclose(steepest.steepest_direction(G, "spectral"), -np.outer(u, v),
                               atol=1e-14)


def test_newton_schulz_approaches_the_spectral_direction():
    # Muon's iteration: singular values of NS(G) inside torch's band, same singular vectors
    G = RNG.normal(size=(6, 4))
    O = newton_schulz(G)
    sigma = np.linalg.svd(O, compute_uv=False)
    assert sigma.min() > 0.68 and sigma.max() < 1.14
    cosine = -np.sum(O * steepest.steepest_direction(G, "spectral")) / (
        np.linalg.norm(O) * 2.0)
    assert cosine > 0.95


@pytest.mark.parametrize("which, g, message", [
    ("l1", np.ones(2), "Invalid norm: 'l1'"),
    ("spectral", np.ones(3), "needs a matrix"),
])
def test_bad_input(which, g, message):
    for fn in (steepest.steepest_direction, steepest.dual_norm, steepest.norm):
        with pytest.raises(ValueError, match=message):
            fn(g, which)


@pytest.mark.parametrize("shape", [(5, 3), (3, 5), (4, 4)])
def test_newton_schulz_maps_each_singular_value_by_p5(shape):
    # X_k = U p^{∘k}(Σ/‖G‖_F) Vᵀ with p(x) = a x + b x³ + c x⁵ and torch's (a, b, c): the
    # closed form behind the chapter's figure, on a spectrum spread over four decades
    U = np.linalg.qr(RNG.normal(size=(shape[0], shape[0])))[0]
    V = np.linalg.qr(RNG.normal(size=(shape[1], shape[1])))[0]
    k = min(shape)
    sigma = np.geomspace(3.0, 3e-4, k)
    G = (U[:, :k] * sigma) @ V[:, :k].T
    a, b, c = 3.4445, -4.7750, 2.0315                # torch.optim.Muon's defaults
    x = sigma / np.linalg.norm(G)
    for _ in range(5):
        x = a * x + b * x ** 3 + c * x ** 5
    np.testing.assert_allclose(newton_schulz(G), (U[:, :k] * x) @ V[:, :k].T, rtol=0,
                               atol=1e-13)
