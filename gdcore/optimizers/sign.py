r"""Steepest descent in other norms: Lion (sign of a momentum, the ℓ∞ geometry) and Muon
(orthogonalised momentum, the spectral-norm geometry of a weight matrix)."""

from __future__ import annotations

import math
from typing import Any, NamedTuple

import numpy as np

from ._base import Optimizer, _as_hyper, _check, _check_betas, _initial_params, _lerp

# ----------------------------------------------------------------------------------------------
# Lion


class LionState(NamedTuple):
    step: int
    exp_avg: np.ndarray  # m: the momentum, an EMA of the gradient with rate β₂


class Lion(Optimizer):
    r"""Lion: evolved sign momentum (Chen et al. 2023, "Symbolic discovery of optimization
    algorithms", Algorithm 2). torch.optim has no Lion; this follows the paper's pseudo-code.

    .. math::
        c_t &= β_1 m_{t-1} + (1-β_1) g_t\\
        θ_t &= θ_{t-1} - η \big(\operatorname{sign}(c_t) + λ θ_{t-1}\big)\\
        m_t &= β_2 m_{t-1} + (1-β_2) g_t

    Every coordinate moves by exactly η (plus the decoupled decay): steepest descent in the ℓ∞
    norm along an interpolation c_t of momentum and gradient, with a slower momentum (β₂ > β₁)
    carried to the next step. Because the update has the size of η·sign, Lion wants an η 3–10×
    smaller than AdamW's and a λ that much larger. ``maximize`` ascends (g ← −g). Defaults as the
    paper's: lr = 1e-4, β = (0.9, 0.99), λ = 0.
    """

    name = "lion"
    hyper_names = ("lr", "betas", "weight_decay", "maximize")

    def __init__(self, lr=1e-4, betas=(0.9, 0.99), weight_decay=0.0, *, maximize=False):
        super().__init__(lr)
        self.beta1, self.beta2 = _check_betas(betas)
        _check(np.asarray(weight_decay) >= 0.0, f"Invalid weight_decay value: {weight_decay}")
        self.weight_decay = _as_hyper(weight_decay)
        self.maximize = bool(maximize)

    @property
    def betas(self) -> tuple[Any, Any]:
        return (self.beta1, self.beta2)

    def init(self, params) -> LionState:
        params = _initial_params(params)
        return LionState(step=0, exp_avg=self._zeros(params))

    def update(self, params, grad, state: LionState):
        params, g = self._prepare(params, grad, self.maximize)
        lr = self.lr_at(state.step)
        m = state.exp_avg
        direction = np.sign(self.beta1 * m + (1 - self.beta1) * g)
        if np.any(self.weight_decay != 0):
            direction = direction + self.weight_decay * params
        exp_avg = self.beta2 * m + (1 - self.beta2) * g
        return params - lr * direction, LionState(step=state.step + 1, exp_avg=exp_avg)


# ----------------------------------------------------------------------------------------------
# Muon

#: torch's (Keller Jordan's) quintic Newton–Schulz coefficients (a, b, c).
NS_COEFFICIENTS = (3.4445, -4.7750, 2.0315)


def newton_schulz(G: Any, ns_coefficients=NS_COEFFICIENTS, ns_steps: int = 5,
                  eps: float = 1e-7) -> np.ndarray:
    r"""Approximate orthogonalisation U Vᵀ of G = U Σ Vᵀ by a quintic Newton–Schulz iteration.

    .. math::
        X_0 = G / \max(\|G\|_F, ε), \qquad
        X_{k+1} = a X_k + (b A_k + c A_k^2) X_k, \quad A_k = X_k X_k^\top

    Each step maps every singular value σ of X to p(σ) = aσ + bσ³ + cσ⁵ and keeps the singular
    vectors, so X_k = U p^{∘k}(Σ/‖G‖_F) Vᵀ. With torch's coefficients p has slope a = 3.4445 at
    0 (small singular values grow fast) and no fixed point at 1: after enough steps every
    singular value lies in the band [m, p(m)] ≈ [0.682, 1.134], m = the local minimum of p,
    which p maps into itself (see the tests) — close enough to UVᵀ for Muon. G may carry
    leading lane axes (…, m, n); a tall matrix is iterated transposed, as torch does. In
    float64 here; torch computes in bfloat16.
    """
    X = np.asarray(G, dtype=float)
    a, b, c = ns_coefficients
    tall = X.shape[-2] > X.shape[-1]
    if tall:
        X = np.swapaxes(X, -1, -2)
    norm = np.sqrt(np.sum(X * X, axis=(-2, -1), keepdims=True))
    X = X / np.maximum(norm, eps)
    for _ in range(ns_steps):
        A = X @ np.swapaxes(X, -1, -2)
        B = b * A + c * (A @ A)
        X = a * X + B @ X
    return np.swapaxes(X, -1, -2) if tall else X


class MuonState(NamedTuple):
    step: int
    momentum_buffer: np.ndarray  # B: EMA of the gradient


class Muon(Optimizer):
    r"""Muon: momentum orthogonalised by Newton–Schulz, for matrix parameters (Jordan et al.
    2024, "Muon: an optimizer for hidden layers"; Liu et al. 2025, "Muon is scalable for LLM
    training"), torch.optim.Muon semantics.

    .. math::
        B_t &= μ B_{t-1} + (1-μ) G_t, \qquad
            \tilde B_t = (1-μ) G_t + μ B_t \ \text{(Nesterov, default)}
            \ \text{else}\ \tilde B_t = B_t\\
        O_t &= \mathrm{NS}_k(\tilde B_t) \approx U V^\top
            \quad (\tilde B_t = U Σ V^\top,\ \text{see } :func:`newton_schulz`)\\
        θ_t &= θ_{t-1}(1 - ηλ) - η\, s\, O_t, \qquad
            s = \sqrt{\max(1, m/n)} \ \text{("original")}
            \ \text{or}\ 0.2\sqrt{\max(m, n)} \ \text{("match\_rms\_adamw")}

    O_t is the steepest-descent direction of the spectral norm for the linear model ⟨B̃, ·⟩:
    it has all its singular values near 1, so every direction of the weight matrix (m × n)
    moves by about η. (torch's code — followed here — keeps an EMA B_t = lerp(B, G, 1 − μ),
    not the μB + G of its docstring.) Parameters must be matrices; a leading lane axis
    (…, m, n) runs independent matrices. Parity with torch: torch runs NS in bfloat16, this
    class in float64, so trajectories agree to ~1e-2 only; the float64 iteration is tested
    exactly (its singular values). Defaults: lr = 1e-3, λ = 0.1, μ = 0.95, nesterov = True,
    ns_steps = 5, ε = 1e-7.
    """

    name = "muon"
    hyper_names = ("lr", "weight_decay", "momentum", "nesterov", "ns_coefficients", "eps",
                   "ns_steps", "adjust_lr_fn")

    def __init__(self, lr=1e-3, weight_decay=0.1, momentum=0.95, nesterov=True,
                 ns_coefficients=NS_COEFFICIENTS, eps=1e-7, ns_steps=5, adjust_lr_fn=None):
        if not callable(lr):
            _check(np.asarray(lr) >= 0.0, f"Learning rate should be >= 0 but is: {lr}")
        super().__init__(lr)
        _check(np.asarray(momentum) >= 0.0, f"momentum should be >= 0 but is: {momentum}")
        _check(np.asarray(weight_decay) >= 0.0,
               f"weight decay should be >= 0 but is: {weight_decay}")
        if adjust_lr_fn is not None and adjust_lr_fn not in ("original", "match_rms_adamw"):
            raise ValueError(f"Adjust learning rate function {adjust_lr_fn} is not supported")
        if len(ns_coefficients) != 3:
            raise ValueError("Coefficients must be a tuple of exactly 3 values")
        if int(ns_steps) >= 100:
            raise ValueError("Number of steps must be less than 100 for computational efficiency")
        self.weight_decay = _as_hyper(weight_decay)
        self.momentum = _as_hyper(momentum)
        self.nesterov = bool(nesterov)
        self.ns_coefficients = tuple(float(v) for v in ns_coefficients)
        self.eps = float(eps)
        self.ns_steps = int(ns_steps)
        self.adjust_lr_fn = adjust_lr_fn

    def init(self, params) -> MuonState:
        params = _initial_params(params)
        if params.ndim < 2:
            raise ValueError("Muon only supports 2D parameters whereas we found a parameter "
                             f"with size: {params.shape}")
        return MuonState(step=0, momentum_buffer=self._zeros(params))

    def _scale(self, shape: tuple[int, ...]) -> float:
        rows, cols = shape[-2:]
        if self.adjust_lr_fn in (None, "original"):
            return math.sqrt(max(1, rows / cols))
        return 0.2 * math.sqrt(max(rows, cols))

    def update(self, params, grad, state: MuonState):
        params, g = self._prepare(params, grad)
        if params.ndim < 2:
            raise ValueError("Param gradient must be a 2D matrix")
        lr = self.lr_at(state.step)
        buf = _lerp(state.momentum_buffer, g, 1 - self.momentum)
        direction = _lerp(g, buf, self.momentum) if self.nesterov else buf
        ortho = newton_schulz(direction, self.ns_coefficients, self.ns_steps, self.eps)
        adjusted_lr = lr * self._scale(params.shape)
        new_params = params * (1 - lr * self.weight_decay)
        new_params -= adjusted_lr * ortho
        return new_params, MuonState(step=state.step + 1, momentum_buffer=buf)
