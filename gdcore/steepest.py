r"""Steepest descent under a norm: the unit step that decreases a linear model fastest.

For a gradient g and a norm ‖·‖ the steepest-descent direction is

.. math::
    d^\star = \operatorname*{argmin}_{\|d\| \le 1} \langle g, d\rangle, \qquad
    \langle g, d^\star\rangle = -\|g\|_*

with ‖·‖_* the dual norm. Three norms give three optimizers of the course:

=========  ====================  ======================  ==============================
norm       d*                    ‖g‖_* (the decrease)    optimizer
=========  ====================  ======================  ==============================
ℓ2         −g / ‖g‖₂             ‖g‖₂                    gradient descent
ℓ∞         −sign(g)              ‖g‖₁                    sign descent, Adam (β→0), Lion
spectral   −U Vᵀ (G = U Σ Vᵀ)    Σᵢ σᵢ (nuclear norm)    Muon
=========  ====================  ======================  ==============================

(Bernstein & Newhouse 2024, "Old optimizer, new norm".) The spectral case takes the last two
axes as the matrix; leading axes are lanes. A zero gradient has no preferred direction; the
functions return 0 there (every d with ‖d‖ ≤ 1 is then a minimiser).
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["NORMS", "steepest_direction", "dual_norm", "norm"]

#: The norms these functions know, by name.
NORMS = ("l2", "linf", "spectral")


def _check_norm(which: str) -> str:
    if which not in NORMS:
        raise ValueError(f"Invalid norm: {which!r} (allowed: {', '.join(map(repr, NORMS))})")
    return which


def _as_matrix(G: Any) -> np.ndarray:
    G = np.asarray(G, dtype=float)
    if G.ndim < 2:
        raise ValueError(f"the spectral norm needs a matrix (..., m, n), got shape {G.shape}")
    return G


def steepest_direction(g: Any, which: str = "l2") -> np.ndarray:
    r"""argmin_{‖d‖ ≤ 1} ⟨g, d⟩ for the norm ``which`` ("l2", "linf" or "spectral").

    l2 and linf act on the last axis (…, d); spectral on the last two (…, m, n), through the
    thin SVD G = U Σ Vᵀ: d* = −U Vᵀ (exact; :func:`gdcore.optimizers.newton_schulz` is the
    iteration Muon uses instead of the SVD).
    """
    which = _check_norm(which)
    g = np.asarray(g, dtype=float)
    if which == "linf":
        return -np.sign(g)
    if which == "l2":
        length = np.sqrt(np.sum(g * g, axis=-1, keepdims=True))
        # 0/0 at a zero gradient: return 0 there instead of NaN
        return -np.divide(g, length, out=np.zeros_like(g), where=length > 0)
    G = _as_matrix(g)
    U, sigma, Vt = np.linalg.svd(G, full_matrices=False)
    # singular vectors of zero singular values are arbitrary: drop them (rank-deficient G)
    keep = sigma > sigma[..., :1] * max(G.shape[-2:]) * np.finfo(float).eps
    return -(U * keep[..., None, :]) @ Vt


def dual_norm(g: Any, which: str = "l2") -> np.ndarray:
    r"""‖g‖_* = max_{‖d‖ ≤ 1} ⟨g, d⟩: ℓ2 → ℓ2, ℓ∞ → ℓ1, spectral → nuclear (Σ σᵢ)."""
    which = _check_norm(which)
    g = np.asarray(g, dtype=float)
    if which == "l2":
        return np.sqrt(np.sum(g * g, axis=-1))
    if which == "linf":
        return np.sum(np.abs(g), axis=-1)
    return np.sum(np.linalg.svd(_as_matrix(g), compute_uv=False), axis=-1)


def norm(d: Any, which: str = "l2") -> np.ndarray:
    r"""‖d‖ itself: ℓ2, ℓ∞ (max |dᵢ|) or spectral (the largest singular value σ₁)."""
    which = _check_norm(which)
    d = np.asarray(d, dtype=float)
    if which == "l2":
        return np.sqrt(np.sum(d * d, axis=-1))
    if which == "linf":
        return np.max(np.abs(d), axis=-1)
    return np.linalg.svd(_as_matrix(d), compute_uv=False)[..., 0]
