r"""Adafactor: Adam's second moment stored as a rank-one factorisation for matrices."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._base import Optimizer, _as_hyper, _check, _initial_params, _lerp, _powers


class AdafactorState(NamedTuple):
    step: int
    row_var: np.ndarray | None   # R: mean of g² over each row, shape (…, m, 1) (matrices)
    col_var: np.ndarray | None   # C: mean of g² over each column, shape (…, 1, n) (matrices)
    variance: np.ndarray | None  # v: elementwise EMA of g² (vectors)


class Adafactor(Optimizer):
    r"""Adafactor (Shazeer & Stern 2018) as torch.optim.Adafactor (torch ≥ 2.5): no first
    moment, a factored second moment, a relative step size and update clipping.

    For a matrix gradient G (m × n) it keeps only the row and column means of G², O(m + n)
    memory instead of O(mn):

    .. math::
        \hat β_{2,t} &= 1 - t^{c} \quad (c = \text{beta2\_decay} = -0.8), \qquad
        ρ_t = \min(η, 1/\sqrt t), \qquad α_t = \max(ε_2, \operatorname{RMS}(θ_{t-1}))\, ρ_t\\
        R_t &= \hat β_{2,t} R_{t-1} + (1-\hat β_{2,t})\, \operatorname{mean}_j G_{ij}^2,
            \qquad C_t = \hat β_{2,t} C_{t-1} + (1-\hat β_{2,t})\, \operatorname{mean}_i G_{ij}^2\\
        \hat V_t &= \frac{R_t C_t}{\max(\operatorname{mean}_i R_{t,i},\ ε_1)}
            \quad\text{(vectors: } \hat V_t = v_t \text{, the plain EMA of } g^2)\\
        U_t &= G_t / \sqrt{\max(\hat V_t, ε_1^2)}, \qquad
        θ_t = θ_{t-1}(1 - ηλ) - \frac{α_t}{\max(1, \operatorname{RMS}(U_t)/d)}\, U_t

    The decay 1 − t^c → 1 makes the EMA a running mean early on (no bias correction needed).
    ε = (ε₁, ε₂), ε₁ = None meaning the dtype's machine epsilon. The RMS and the clipping are
    over the whole parameter. Parameters of more than two axes are factored over their last two
    axes, as torch does. ``lane_dims`` = the number of leading axes that index independent runs
    (lanes): factoring and the RMS norms then ignore those axes; with lane_dims = 0 (default)
    the array is one torch parameter. Defaults: lr = 1e-2, beta2_decay = −0.8,
    eps = (None, 1e-3), d = 1, λ = 0.
    """

    name = "adafactor"
    hyper_names = ("lr", "beta2_decay", "eps", "d", "weight_decay", "maximize", "lane_dims")

    def __init__(self, lr=1e-2, beta2_decay=-0.8, eps=(None, 1e-3), d=1.0, weight_decay=0.0,
                 *, maximize=False, lane_dims=0):
        if not callable(lr):
            _check(np.asarray(lr) >= 0.0, f"Learning rate should be >= 0 but is: {lr}")
        super().__init__(lr)
        _check(np.asarray(beta2_decay) <= 0.0, f"beta2_decay should be <= 0 but is: {beta2_decay}")
        eps1, eps2 = eps
        if eps1 is not None:
            _check(np.asarray(eps1) >= 0.0, f"epsilon1 should be >= 0 but is: {eps1}")
        _check(np.asarray(eps2) >= 0.0, f"epsilon2 should be >= 0 but is: {eps2}")
        _check(np.asarray(d) >= 1.0, f"Clipping threshold d should be >= 1 but is: {d}")
        _check(np.asarray(weight_decay) >= 0.0,
               f"weight_decay should be >= 0 but is: {weight_decay}")
        if isinstance(lane_dims, bool) or int(lane_dims) != lane_dims or lane_dims < 0:
            raise ValueError(f"lane_dims must be a non-negative integer, got {lane_dims!r}")
        self.beta2_decay = _as_hyper(beta2_decay)
        self.eps1 = None if eps1 is None else _as_hyper(eps1)
        self.eps2 = _as_hyper(eps2)
        self.d = _as_hyper(d)
        self.weight_decay = _as_hyper(weight_decay)
        self.maximize = bool(maximize)
        self.lane_dims = int(lane_dims)

    @property
    def eps(self):
        return (self.eps1, self.eps2)

    def _param_axes(self, shape: tuple[int, ...]) -> tuple[int, ...]:
        if len(shape) < self.lane_dims:
            raise ValueError(f"params of shape {shape} have fewer axes than lane_dims = "
                             f"{self.lane_dims}")
        return tuple(range(self.lane_dims, len(shape)))

    def init(self, params) -> AdafactorState:
        params = _initial_params(params)
        shape = self._shape(params)
        if len(self._param_axes(shape)) >= 2:
            row = np.zeros((*shape[:-1], 1), dtype=params.dtype)
            col = np.zeros((*shape[:-2], 1, shape[-1]), dtype=params.dtype)
            return AdafactorState(step=0, row_var=row, col_var=col, variance=None)
        return AdafactorState(step=0, row_var=None, col_var=None, variance=self._zeros(params))

    def update(self, params, grad, state: AdafactorState):
        params, g = self._prepare(params, grad, self.maximize)
        shape = self._shape(params)
        params = np.broadcast_to(params, shape)
        g = np.broadcast_to(g, shape)
        axes = self._param_axes(shape)
        size = int(np.prod([shape[a] for a in axes]))
        lr = self.lr_at(state.step)
        step = state.step + 1
        eps1 = np.finfo(params.dtype).eps if self.eps1 is None else self.eps1

        one_minus_beta2 = _powers(float(step), self.beta2_decay)
        rho = np.minimum(lr, 1 / step ** 0.5) if np.ndim(lr) else min(lr, 1 / step ** 0.5)
        alpha = np.maximum(self.eps2, _norm(params, axes) / size ** 0.5) * rho

        if np.any(self.weight_decay != 0):
            params = params * (1 - lr * self.weight_decay)

        row_var = col_var = variance = None
        if state.variance is None:
            # torch: ‖g‖² / n along each axis (the norm squared back, as torch computes it).
            row_mean = np.sqrt(np.sum(g * g, axis=-1, keepdims=True)) ** 2 / shape[-1]
            row_var = _lerp(state.row_var, row_mean, one_minus_beta2)
            col_mean = np.sqrt(np.sum(g * g, axis=-2, keepdims=True)) ** 2 / shape[-2]
            col_var = _lerp(state.col_var, col_mean, one_minus_beta2)
            var_estimate = row_var @ col_var
            var_estimate /= np.maximum(np.mean(row_var, axis=-2, keepdims=True), eps1)
        else:
            variance = _lerp(state.variance, g * g, one_minus_beta2)
            var_estimate = variance.copy()

        scaled = 1 / np.sqrt(np.maximum(var_estimate, eps1 * eps1))
        scaled *= g
        denom = np.maximum(1.0, _norm(scaled, axes) / (size ** 0.5 * self.d))
        new_params = params - (alpha / denom) * scaled
        return new_params, AdafactorState(step=step, row_var=row_var, col_var=col_var,
                                          variance=variance)


def _norm(x: np.ndarray, axes: tuple[int, ...]):
    """‖x‖₂ over the parameter axes: a float for one run, else per lane with kept dimensions."""
    if not axes:
        return np.abs(x)
    norm = np.sqrt(np.sum(x * x, axis=axes, keepdims=True))
    return float(norm.ravel()[0]) if x.ndim == len(axes) else norm
