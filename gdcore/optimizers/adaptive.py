"""Per-coordinate step sizes from gradient history: Adagrad, RMSprop, Adadelta, Rprop."""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from ._base import (
    Optimizer,
    _as_hyper,
    _check,
    _ema_of_square,
    _initial_params,
    _lerp,
)

# ----------------------------------------------------------------------------------------------
# Adagrad

class AdagradState(NamedTuple):
    step: int
    sum: np.ndarray  # G: running sum of squared gradients


class Adagrad(Optimizer):
    r"""Adagrad (Duchi, Hazan & Singer 2011), torch.optim.Adagrad semantics.

    .. math::
        g_t &\leftarrow g_t + λ θ_{t-1}, \qquad
        \tilde η_t = \frac{η}{1 + (t-1)\,\text{lr\_decay}}\\
        G_t &= G_{t-1} + g_t^2 \quad (G_0 = \text{initial\_accumulator\_value})\\
        θ_t &= θ_{t-1} - \tilde η_t \, \frac{g_t}{\sqrt{G_t} + ε}

    Defaults: lr = 1e-2, lr_decay = 0, λ = 0, G₀ = 0, ε = 1e-10.
    """

    name = "adagrad"
    hyper_names = ("lr", "lr_decay", "weight_decay", "initial_accumulator_value", "eps",
                   "maximize")

    def __init__(self, lr=1e-2, lr_decay=0.0, weight_decay=0.0, initial_accumulator_value=0.0,
                 eps=1e-10, *, maximize=False):
        super().__init__(lr)
        _check(np.asarray(lr_decay) >= 0.0, f"Invalid lr_decay value: {lr_decay}")
        _check(np.asarray(weight_decay) >= 0.0, f"Invalid weight_decay value: {weight_decay}")
        _check(np.asarray(initial_accumulator_value) >= 0.0,
               f"Invalid initial_accumulator_value value: {initial_accumulator_value}")
        _check(np.asarray(eps) >= 0.0, f"Invalid epsilon value: {eps}")
        self.lr_decay = _as_hyper(lr_decay)
        self.weight_decay = _as_hyper(weight_decay)
        self.initial_accumulator_value = _as_hyper(initial_accumulator_value)
        self.eps = _as_hyper(eps)
        self.maximize = bool(maximize)

    def init(self, params) -> AdagradState:
        params = _initial_params(params)
        total = self._zeros(params)
        total += self.initial_accumulator_value
        return AdagradState(step=0, sum=total)

    def update(self, params, grad, state: AdagradState):
        params, g = self._prepare(params, grad, self.maximize, self.weight_decay)
        step = state.step + 1
        clr = self.lr_at(state.step) / (1 + (step - 1) * self.lr_decay)
        total = g * g
        total += state.sum
        std = np.sqrt(total)
        std += self.eps
        delta = np.multiply(-clr, g)
        delta /= std
        return params + delta, AdagradState(step=step, sum=total)


# ----------------------------------------------------------------------------------------------
# RMSprop

class RMSpropState(NamedTuple):
    step: int
    square_avg: np.ndarray               # v: running average of g²
    grad_avg: np.ndarray | None          # running average of g (centered only)
    momentum_buffer: np.ndarray | None   # b (momentum > 0 only; starts at zero)


class RMSprop(Optimizer):
    r"""RMSprop (Tieleman & Hinton 2012), torch.optim.RMSprop semantics.

    .. math::
        v_t &= α v_{t-1} + (1 - α) g_t^2\\
        \bar g_t &= α \bar g_{t-1} + (1-α) g_t,\quad
            s_t = \sqrt{v_t - \bar g_t^2} + ε \ \text{(centered)}
            \quad\text{else}\quad s_t = \sqrt{v_t} + ε\\
        b_t &= μ b_{t-1} + g_t / s_t \ (b_0 = 0),\quad θ_t = θ_{t-1} - η b_t
            \quad\text{(momentum μ > 0, else } θ_t = θ_{t-1} - η g_t / s_t)

    ε is added *after* the square root. Weight decay: g ← g + λθ. Defaults: lr = 1e-2,
    α = 0.99, ε = 1e-8, λ = 0, μ = 0, centered = False.
    """

    name = "rmsprop"
    hyper_names = ("lr", "alpha", "eps", "weight_decay", "momentum", "centered", "maximize")

    def __init__(self, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0,
                 centered=False, *, maximize=False):
        super().__init__(lr)
        _check(np.asarray(eps) >= 0.0, f"Invalid epsilon value: {eps}")
        _check(np.asarray(momentum) >= 0.0, f"Invalid momentum value: {momentum}")
        _check(np.asarray(weight_decay) >= 0.0, f"Invalid weight_decay value: {weight_decay}")
        # torch checks only alpha >= 0; alpha > 1 makes the average explode, so we refuse it.
        _check((np.asarray(alpha) >= 0.0) & (np.asarray(alpha) <= 1.0),
               f"Invalid alpha value: {alpha}")
        self.alpha = _as_hyper(alpha)
        self.eps = _as_hyper(eps)
        self.weight_decay = _as_hyper(weight_decay)
        self.momentum = _as_hyper(momentum)
        self.centered = bool(centered)
        self.maximize = bool(maximize)

    def init(self, params) -> RMSpropState:
        params = _initial_params(params)
        return RMSpropState(
            step=0,
            square_avg=self._zeros(params),
            grad_avg=self._zeros(params) if self.centered else None,
            momentum_buffer=self._zeros(params) if np.any(self.momentum > 0) else None,
        )

    def update(self, params, grad, state: RMSpropState):
        params, g = self._prepare(params, grad, self.maximize, self.weight_decay)
        lr = self.lr_at(state.step)
        square_avg = _ema_of_square(state.square_avg, g, self.alpha)
        grad_avg = None
        if self.centered:
            grad_avg = _lerp(state.grad_avg, g, 1.0 - self.alpha)
            avg = square_avg - grad_avg * grad_avg
            avg = np.sqrt(avg)
        else:
            avg = np.sqrt(square_avg)
        avg += self.eps
        buf = None
        if state.momentum_buffer is not None:
            buf = state.momentum_buffer * self.momentum
            buf += g / avg
            new_params = params - lr * buf
            if np.ndim(self.momentum) and np.any(self.momentum == 0):
                # Runs with μ = 0 in a sweep take torch's momentum-free step, rounded as it is.
                delta = np.multiply(-lr, g)
                delta /= avg
                new_params = np.where(self.momentum == 0, params + delta, new_params)
        else:
            delta = np.multiply(-lr, g)
            delta /= avg
            new_params = params + delta
        return new_params, RMSpropState(step=state.step + 1, square_avg=square_avg,
                                        grad_avg=grad_avg, momentum_buffer=buf)


# ----------------------------------------------------------------------------------------------
# Adadelta

class AdadeltaState(NamedTuple):
    step: int
    square_avg: np.ndarray  # E[g²]
    acc_delta: np.ndarray   # E[Δθ²]


class Adadelta(Optimizer):
    r"""Adadelta (Zeiler 2012), torch.optim.Adadelta semantics.

    .. math::
        E[g^2]_t &= ρ E[g^2]_{t-1} + (1-ρ) g_t^2\\
        Δ_t &= \frac{\sqrt{E[Δ^2]_{t-1} + ε}}{\sqrt{E[g^2]_t + ε}}\, g_t\\
        E[Δ^2]_t &= ρ E[Δ^2]_{t-1} + (1-ρ) Δ_t^2, \qquad θ_t = θ_{t-1} - η Δ_t

    The unit-correcting ratio replaces the learning rate; torch keeps an η (default 1.0) in
    front. Defaults: lr = 1.0, ρ = 0.9, ε = 1e-6, λ = 0.
    """

    name = "adadelta"
    hyper_names = ("lr", "rho", "eps", "weight_decay", "maximize")

    def __init__(self, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0.0, *, maximize=False):
        super().__init__(lr)
        _check((np.asarray(rho) >= 0.0) & (np.asarray(rho) <= 1.0), f"Invalid rho value: {rho}")
        _check(np.asarray(eps) >= 0.0, f"Invalid epsilon value: {eps}")
        _check(np.asarray(weight_decay) >= 0.0, f"Invalid weight_decay value: {weight_decay}")
        self.rho = _as_hyper(rho)
        self.eps = _as_hyper(eps)
        self.weight_decay = _as_hyper(weight_decay)
        self.maximize = bool(maximize)

    def init(self, params) -> AdadeltaState:
        params = _initial_params(params)
        return AdadeltaState(step=0, square_avg=self._zeros(params),
                             acc_delta=self._zeros(params))

    def update(self, params, grad, state: AdadeltaState):
        params, g = self._prepare(params, grad, self.maximize, self.weight_decay)
        lr = self.lr_at(state.step)
        square_avg = _ema_of_square(state.square_avg, g, self.rho)
        std = square_avg + self.eps
        std = np.sqrt(std)
        delta = state.acc_delta + self.eps
        delta = np.sqrt(delta)
        delta /= std
        delta *= g
        acc_delta = _ema_of_square(state.acc_delta, delta, self.rho)
        return params - lr * delta, AdadeltaState(step=state.step + 1, square_avg=square_avg,
                                                  acc_delta=acc_delta)


# ----------------------------------------------------------------------------------------------
# Rprop

class RpropState(NamedTuple):
    step: int
    prev: np.ndarray       # the gradient of the previous step (0 where its sign flipped)
    step_size: np.ndarray  # Δ: one step length per coordinate


class Rprop(Optimizer):
    r"""Rprop: resilient backpropagation (Riedmiller & Braun 1993), torch.optim.Rprop semantics.

    Only the sign of the gradient is used; each coordinate has its own step length Δ, which
    grows while the sign persists and shrinks when it flips (the last step overshot):

    .. math::
        s_t &= \operatorname{sign}(g_t\, g_{t-1}), \qquad
        Δ_t = \operatorname{clip}\big(Δ_{t-1} \cdot
              \{η_+ \text{ if } s_t > 0;\ η_- \text{ if } s_t < 0;\ 1 \text{ if } s_t = 0\},
              \ Δ_{\min}, Δ_{\max}\big)\\
        g_t &\leftarrow 0 \ \text{where } s_t < 0, \qquad
        θ_t = θ_{t-1} - \operatorname{sign}(g_t)\, Δ_t

    After a sign change the gradient is set to zero (no step in that coordinate, and the next
    s is 0, so Δ is neither grown nor shrunk again): torch's variant of Rprop⁻ without
    backtracking. Δ₀ = lr, the lr *at initialisation*: torch reads the learning rate only
    there, so a schedule given as ``lr`` only sets Δ₀. (η₋, η₊) = ``etas``, (Δmin, Δmax) =
    ``step_sizes``. Defaults: lr = 1e-2, etas = (0.5, 1.2), step_sizes = (1e-6, 50).
    """

    name = "rprop"
    hyper_names = ("lr", "etas", "step_sizes", "maximize")

    def __init__(self, lr=1e-2, etas=(0.5, 1.2), step_sizes=(1e-6, 50), *, maximize=False):
        super().__init__(lr)
        eta_minus, eta_plus = etas
        _check((0.0 < np.asarray(eta_minus)) & (np.asarray(eta_minus) < 1.0)
               & (1.0 < np.asarray(eta_plus)), f"Invalid eta values: {eta_minus}, {eta_plus}")
        step_size_min, step_size_max = step_sizes
        self.etaminus, self.etaplus = _as_hyper(eta_minus), _as_hyper(eta_plus)
        self.step_size_min, self.step_size_max = _as_hyper(step_size_min), _as_hyper(step_size_max)
        self.maximize = bool(maximize)

    @property
    def etas(self) -> tuple[Any, Any]:
        return (self.etaminus, self.etaplus)

    @property
    def step_sizes(self) -> tuple[Any, Any]:
        return (self.step_size_min, self.step_size_max)

    def init(self, params) -> RpropState:
        params = _initial_params(params)
        step_size = self._zeros(params)
        step_size += self.lr_at(0)
        return RpropState(step=0, prev=self._zeros(params), step_size=step_size)

    def update(self, params, grad, state: RpropState):
        params, g = self._prepare(params, grad, self.maximize)
        sign = np.sign(g * state.prev)
        factor = np.where(sign > 0, self.etaplus, np.where(sign < 0, self.etaminus, 1.0))
        # torch's clamp_(min, max) = min(max(x, min), max), also when min > max.
        step_size = np.minimum(np.maximum(state.step_size * factor, self.step_size_min),
                               self.step_size_max)
        g = np.where(sign < 0, 0.0, g)
        new_params = params - np.sign(g) * step_size
        return new_params, RpropState(step=state.step + 1, prev=g, step_size=step_size)
