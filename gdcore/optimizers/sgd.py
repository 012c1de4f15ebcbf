"""SGD: plain, heavy-ball momentum, Nesterov; ASGD (averaged SGD)."""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from ._base import (
    Optimizer,
    _as_hyper,
    _check,
    _initial_params,
    _powers,
)

# ----------------------------------------------------------------------------------------------
# SGD (plain, heavy-ball momentum, Nesterov)

class SGDState(NamedTuple):
    step: int
    momentum_buffer: np.ndarray | None  # b; None until the first step (torch: b₁ = g₁)


class SGD(Optimizer):
    r"""Stochastic gradient descent with optional momentum (Polyak 1964) and Nesterov (Sutskever
    et al. 2013 form), torch.optim.SGD semantics.

    .. math::
        g_t &\leftarrow g_t + λ θ_{t-1}                  \quad\text{(weight decay λ)}\\
        b_1 &= g_1, \qquad b_t = μ b_{t-1} + (1 - τ) g_t \quad\text{(momentum μ, dampening τ)}\\
        θ_t &= θ_{t-1} - η b_t
              \quad\text{or, Nesterov,}\quad θ_t = θ_{t-1} - η (g_t + μ b_t)

    With μ = 0 this is plain gradient descent θ_t = θ_{t-1} − η g_t (Cauchy 1847).
    ``maximize=True`` ascends (g ← −g). Defaults as torch 2.13: lr = 1e-3, μ = τ = λ = 0.
    """

    name = "sgd"
    hyper_names = ("lr", "momentum", "dampening", "weight_decay", "nesterov", "maximize")

    def __init__(self, lr=1e-3, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=False,
                 *, maximize=False):
        super().__init__(lr)
        _check(np.asarray(momentum) >= 0.0, f"Invalid momentum value: {momentum}")
        _check(np.asarray(weight_decay) >= 0.0, f"Invalid weight_decay value: {weight_decay}")
        if nesterov and (np.any(np.asarray(momentum) <= 0)
                         or np.any(np.asarray(dampening) != 0)):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        self.momentum = _as_hyper(momentum)
        self.dampening = _as_hyper(dampening)
        self.weight_decay = _as_hyper(weight_decay)
        self.nesterov = bool(nesterov)
        self.maximize = bool(maximize)

    def init(self, params) -> SGDState:
        _initial_params(params)
        return SGDState(step=0, momentum_buffer=None)

    def update(self, params, grad, state: SGDState):
        params, g = self._prepare(params, grad, self.maximize, self.weight_decay)
        lr = self.lr_at(state.step)
        buf = state.momentum_buffer
        mu = self.momentum
        if np.any(mu != 0):
            if buf is None:
                # torch: the buffer starts as a copy of the first gradient, no dampening.
                buf = np.broadcast_to(g, self._shape(g)).copy()
            else:
                buf = buf * mu
                # (1 − τ)·g is exactly g when τ = 0: skip a pass over the array.
                buf += g if np.all(self.dampening == 0) else (1.0 - self.dampening) * g
            step_direction = g + mu * buf if self.nesterov else buf
            # Per-run μ with some μ = 0: those runs are plain SGD, as torch (which ignores the
            # dampening and keeps no buffer there); their buffer entries are never used.
            g = np.where(mu == 0, g, step_direction) if np.ndim(mu) else step_direction
        return params - lr * g, SGDState(step=state.step + 1, momentum_buffer=buf)


# ----------------------------------------------------------------------------------------------
# ASGD

class ASGDState(NamedTuple):
    step: int
    eta: Any        # η_t: the step size of the next update
    mu: Any         # μ_t: the averaging weight of the next update
    ax: np.ndarray  # θ̄: the averaged iterate (Polyak–Ruppert average from step t0 on)


class ASGD(Optimizer):
    r"""Averaged SGD (Polyak & Juditsky 1992; the step sizes of Bottou 2012, "Stochastic
    gradient descent tricks", §5.3), torch.optim.ASGD semantics.

    .. math::
        θ_t &= θ_{t-1}(1 - λ_d η_{t-1}) - η_{t-1} g_t
            \qquad (g_t \leftarrow g_t + λθ_{t-1}\text{: weight decay})\\
        \bar θ_t &= \bar θ_{t-1} + μ_{t-1} (θ_t - \bar θ_{t-1})
            \quad(\bar θ_t = θ_t \text{ while } μ = 1)\\
        η_t &= \frac{η}{(1 + λ_d\, η\, t)^{α}}, \qquad μ_t = \frac{1}{\max(1,\ t - t_0)}

    with η₀ = η, μ₀ = 1, λ_d = ``lambd``. The iterate θ is plain SGD with the decaying step η_t
    (and a decay term λ_d η_t θ); the average θ̄ = ``state.ax`` equals θ up to step t₀ + 2 and
    from then on is the running mean of θ_{t₀+2}, …, θ_t: that average is the point to report
    (torch keeps it in ``optimizer.state[p]["ax"]``). A schedule given as ``lr`` enters η_t.
    Defaults: lr = 1e-2, lambd = 1e-4, α = 0.75, t0 = 1e6, λ = 0.
    """

    name = "asgd"
    hyper_names = ("lr", "lambd", "alpha", "t0", "weight_decay", "maximize")

    def __init__(self, lr=1e-2, lambd=1e-4, alpha=0.75, t0=1e6, weight_decay=0.0, *,
                 maximize=False):
        super().__init__(lr)
        _check(np.asarray(weight_decay) >= 0.0, f"Invalid weight_decay value: {weight_decay}")
        self.lambd = _as_hyper(lambd)
        self.alpha = _as_hyper(alpha)
        self.t0 = _as_hyper(t0)
        self.weight_decay = _as_hyper(weight_decay)
        self.maximize = bool(maximize)

    def init(self, params) -> ASGDState:
        params = _initial_params(params)
        return ASGDState(step=0, eta=self.lr_at(0), mu=1.0, ax=self._zeros(params))

    def update(self, params, grad, state: ASGDState):
        params, g = self._prepare(params, grad, self.maximize, self.weight_decay)
        eta, mu = state.eta, state.mu
        new_params = np.broadcast_to(params * (1 - self.lambd * eta), self._shape(params)).copy()
        new_params -= eta * g
        # torch copies θ while μ = 1: θ̄ + 1·(θ − θ̄) would round differently.
        if np.all(mu == 1):
            ax = np.broadcast_to(new_params, self._shape(new_params)).copy()
        else:
            averaged = state.ax + (new_params - state.ax) * mu
            ax = np.where(mu == 1, new_params, averaged) if np.ndim(mu) else averaged
        step = state.step + 1
        lr = self.lr_at(state.step)
        eta = lr / _powers(1 + self.lambd * lr * step, self.alpha)
        return new_params, ASGDState(step=step, eta=eta, mu=_asgd_mu(step, self.t0), ax=ax)


def _asgd_mu(step: int, t0: Any) -> Any:
    """μ = 1 / max(1, t − t₀), as a float (scalar t₀) or per-run array."""
    if np.ndim(t0) == 0:
        return 1 / max(1, step - t0)
    return 1 / np.maximum(1, step - t0)
