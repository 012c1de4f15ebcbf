"""The Adam family: Adam, AMSGrad, AdamW, NAdam, RAdam, Adamax."""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from ._base import (
    Optimizer,
    _as_hyper,
    _check,
    _check_betas,
    _ema_of_square,
    _initial_params,
    _lerp,
    _pow,
)

# ----------------------------------------------------------------------------------------------
# What the family shares

class _AdamFamily(Optimizer):
    """The checks and storage of η, β = (β₁, β₂), ε, λ and the weight decay step, common to
    Adam, NAdam, RAdam and Adamax (torch checks them in this order, with these messages)."""

    def __init__(self, lr, betas, eps, weight_decay, *, maximize, decoupled_weight_decay=False):
        super().__init__(lr)
        _check(np.asarray(eps) >= 0.0, f"Invalid epsilon value: {eps}")
        self.beta1, self.beta2 = _check_betas(betas)
        _check(np.asarray(weight_decay) >= 0.0, f"Invalid weight_decay value: {weight_decay}")
        self.eps = _as_hyper(eps)
        self.weight_decay = _as_hyper(weight_decay)
        self.maximize = bool(maximize)
        self.decoupled_weight_decay = bool(decoupled_weight_decay)

    @property
    def betas(self) -> tuple[Any, Any]:
        return (self.beta1, self.beta2)

    def _decayed(self, params, grad, lr) -> tuple[np.ndarray, np.ndarray]:
        """θ and g with the weight decay applied: L2 (g ← g + λθ), or decoupled as AdamW's
        θ ← θ(1 − ηλ), before the step and outside the moments."""
        if not self.decoupled_weight_decay:
            return self._prepare(params, grad, self.maximize, self.weight_decay)
        params, g = self._prepare(params, grad, self.maximize)
        if np.any(self.weight_decay != 0):
            params = params * (1 - lr * self.weight_decay)
        return params, g

    def _moments(self, params, grad, state):
        """How Adam, NAdam and RAdam begin a step: η, the decayed θ and g, and the moments
        m_t = β₁ m_{t-1} + (1-β₁) g (torch's lerp) and v_t = β₂ v_{t-1} + (1-β₂) g²."""
        lr = self.lr_at(state.step)
        params, g = self._decayed(params, grad, lr)
        exp_avg = _lerp(state.exp_avg, g, 1 - self.beta1)
        exp_avg_sq = _ema_of_square(state.exp_avg_sq, g, self.beta2)
        return lr, params, g, exp_avg, exp_avg_sq


# ----------------------------------------------------------------------------------------------
# Adam, AMSGrad, AdamW

class AdamState(NamedTuple):
    step: int
    exp_avg: np.ndarray                  # m: first moment estimate
    exp_avg_sq: np.ndarray               # v: second moment estimate
    max_exp_avg_sq: np.ndarray | None    # v̂max (AMSGrad only)

    @property
    def m(self) -> np.ndarray:
        return self.exp_avg

    @property
    def v(self) -> np.ndarray:
        return self.exp_avg_sq


class Adam(_AdamFamily):
    r"""Adam (Kingma & Ba 2015) with optional AMSGrad (Reddi, Kale & Kumar 2018), torch.optim.Adam.

    .. math::
        m_t &= β_1 m_{t-1} + (1-β_1) g_t, \qquad v_t = β_2 v_{t-1} + (1-β_2) g_t^2\\
        θ_t &= θ_{t-1} - \frac{η}{1-β_1^t}\,
               \frac{m_t}{\sqrt{v_t}/\sqrt{1-β_2^t} + ε}

    AMSGrad replaces v_t by v^{max}_t = max(v^{max}_{t-1}, v_t) (the max of the raw, not
    bias-corrected, second moment, as torch does). ε is added after the bias-corrected square
    root, so the first step is θ₁ = θ₀ − η g/(|g| + ε) ≈ θ₀ − η sign(g). Weight decay is L2
    (g ← g + λθ) unless ``decoupled_weight_decay=True`` (then this is :class:`AdamW`).
    Defaults: lr = 1e-3, β = (0.9, 0.999), ε = 1e-8, λ = 0.
    """

    name = "adam"
    hyper_names = ("lr", "betas", "eps", "weight_decay", "amsgrad", "maximize",
                   "decoupled_weight_decay")

    def __init__(self, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, amsgrad=False,
                 *, maximize=False, decoupled_weight_decay=False):
        super().__init__(lr, betas, eps, weight_decay, maximize=maximize,
                         decoupled_weight_decay=decoupled_weight_decay)
        self.amsgrad = bool(amsgrad)

    def init(self, params) -> AdamState:
        params = _initial_params(params)
        return AdamState(step=0, exp_avg=self._zeros(params), exp_avg_sq=self._zeros(params),
                         max_exp_avg_sq=self._zeros(params) if self.amsgrad else None)

    def update(self, params, grad, state: AdamState):
        lr, params, _, exp_avg, exp_avg_sq = self._moments(params, grad, state)
        step = state.step + 1
        beta1, beta2 = self.beta1, self.beta2

        bias_correction1 = 1 - _pow(beta1, step)
        bias_correction2 = 1 - _pow(beta2, step)
        step_size = lr / bias_correction1
        bias_correction2_sqrt = _pow(bias_correction2, 0.5)

        max_exp_avg_sq = None
        if self.amsgrad:
            max_exp_avg_sq = np.maximum(state.max_exp_avg_sq, exp_avg_sq)
            denom = np.sqrt(max_exp_avg_sq)
        else:
            denom = np.sqrt(exp_avg_sq)
        denom /= bias_correction2_sqrt
        denom += self.eps
        # torch's addcdiv: θ + ((−step_size)·m) / denom, one fresh array for the whole update.
        delta = np.multiply(exp_avg, -step_size)
        delta /= denom
        delta += params
        return delta, AdamState(step=step, exp_avg=exp_avg, exp_avg_sq=exp_avg_sq,
                                max_exp_avg_sq=max_exp_avg_sq)


class AdamW(Adam):
    r"""AdamW: Adam with decoupled weight decay (Loshchilov & Hutter 2019), torch.optim.AdamW.

    .. math::
        θ_{t-1} &\leftarrow θ_{t-1} (1 - ηλ) \quad\text{(decay first, outside the moments)}\\
        θ_t &= θ_{t-1} - \frac{η}{1-β_1^t}\, \frac{m_t}{\sqrt{v_t}/\sqrt{1-β_2^t} + ε}

    with m, v as in :class:`Adam` built from the raw gradient. Defaults as torch: λ = 1e-2.
    """

    name = "adamw"
    hyper_names = ("lr", "betas", "eps", "weight_decay", "amsgrad", "maximize")

    def __init__(self, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2, amsgrad=False,
                 *, maximize=False):
        super().__init__(lr, betas, eps, weight_decay, amsgrad, maximize=maximize,
                         decoupled_weight_decay=True)


# ----------------------------------------------------------------------------------------------
# NAdam

class NAdamState(NamedTuple):
    step: int
    mu_product: Any          # ∏_{i≤t} μ_i (float, or array for per-run β₁)
    exp_avg: np.ndarray      # m
    exp_avg_sq: np.ndarray   # v


class NAdam(_AdamFamily):
    r"""NAdam: Adam with Nesterov momentum (Dozat 2016), torch.optim.NAdam semantics.

    .. math::
        μ_t &= β_1 \left(1 - \tfrac12\, 0.96^{t ψ}\right) \quad (ψ = \text{momentum\_decay})\\
        m_t &= β_1 m_{t-1} + (1-β_1) g_t, \qquad v_t = β_2 v_{t-1} + (1-β_2) g_t^2\\
        θ_t &= θ_{t-1}
            - η \frac{1-μ_t}{1-\prod_{i\le t} μ_i}\, \frac{g_t}{\sqrt{v_t/(1-β_2^t)} + ε}
            - η \frac{μ_{t+1}}{1-\prod_{i\le t+1} μ_i}\, \frac{m_t}{\sqrt{v_t/(1-β_2^t)} + ε}

    Defaults: lr = 2e-3, β = (0.9, 0.999), ε = 1e-8, λ = 0, ψ = 4e-3. ``decoupled_weight_decay``
    switches the L2 penalty to AdamW-style decay θ ← θ(1 − ηλ).
    """

    name = "nadam"
    hyper_names = ("lr", "betas", "eps", "weight_decay", "momentum_decay",
                   "decoupled_weight_decay", "maximize")

    def __init__(self, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0,
                 momentum_decay=4e-3, decoupled_weight_decay=False, *, maximize=False):
        super().__init__(lr, betas, eps, weight_decay, maximize=maximize,
                         decoupled_weight_decay=decoupled_weight_decay)
        _check(np.asarray(momentum_decay) >= 0.0,
               f"Invalid momentum_decay value: {momentum_decay}")
        self.momentum_decay = _as_hyper(momentum_decay)

    def init(self, params) -> NAdamState:
        params = _initial_params(params)
        return NAdamState(step=0, mu_product=1.0, exp_avg=self._zeros(params),
                          exp_avg_sq=self._zeros(params))

    def _mu(self, step: int) -> Any:
        """μ_t = β₁ (1 − ½ · 0.96^(t ψ)), elementwise with libm's pow for per-run ψ."""
        psi = self.momentum_decay
        if np.ndim(psi) == 0:
            power = 0.96 ** (step * psi)
        else:
            power = np.array([0.96 ** (step * p) for p in np.ravel(psi).tolist()]
                             ).reshape(np.shape(psi))
        return self.beta1 * (1.0 - 0.5 * power)

    def update(self, params, grad, state: NAdamState):
        lr, params, g, exp_avg, exp_avg_sq = self._moments(params, grad, state)
        step = state.step + 1
        bias_correction2 = 1 - _pow(self.beta2, step)
        mu, mu_next = self._mu(step), self._mu(step + 1)
        mu_product = state.mu_product * mu
        mu_product_next = mu_product * mu_next

        denom = exp_avg_sq / bias_correction2
        denom = np.sqrt(denom)
        denom += self.eps

        grad_coef = -lr * (1.0 - mu) / (1.0 - mu_product)
        avg_coef = (-lr * mu_next) / (1.0 - mu_product_next)
        # Two separate additions, in torch's order (each rounds on its own).
        new_params = params + grad_coef * g / denom
        new_params += avg_coef * exp_avg / denom
        return new_params, NAdamState(step=step, mu_product=mu_product, exp_avg=exp_avg,
                                      exp_avg_sq=exp_avg_sq)


# ----------------------------------------------------------------------------------------------
# RAdam

class RAdamState(NamedTuple):
    step: int
    exp_avg: np.ndarray     # m
    exp_avg_sq: np.ndarray  # v


class RAdam(_AdamFamily):
    r"""RAdam: Adam with the variance of its adaptive step rectified (Liu et al. 2020),
    torch.optim.RAdam semantics.

    .. math::
        m_t &= β_1 m_{t-1} + (1-β_1) g_t, \qquad v_t = β_2 v_{t-1} + (1-β_2) g_t^2\\
        ρ_∞ &= \frac{2}{1-β_2} - 1, \qquad
            ρ_t = ρ_∞ - \frac{2 t β_2^t}{1-β_2^t}\\
        θ_t &= θ_{t-1} - η \frac{m_t}{1-β_1^t}\, r_t \frac{\sqrt{1-β_2^t}}{\sqrt{v_t} + ε}
            \quad\text{if } ρ_t > 5, \qquad
            r_t = \sqrt{\frac{(ρ_t-4)(ρ_t-2)ρ_∞}{(ρ_∞-4)(ρ_∞-2)ρ_t}}\\
        θ_t &= θ_{t-1} - η \frac{m_t}{1-β_1^t} \quad\text{otherwise (SGD with momentum)}

    ρ_t is the length of the simple moving average that the EMA v_t approximates; while it is
    short (ρ_t ≤ 5: the first 5 steps at β₂ = 0.999) the variance of v_t is too large to divide
    by, and RAdam takes a bias-corrected momentum step instead — a warmup built into the
    optimizer. Weight decay: L2 (g ← g + λθ), or with ``decoupled_weight_decay=True`` AdamW's
    θ ← θ(1 − ηλ) before the step. Defaults: lr = 1e-3, β = (0.9, 0.999), ε = 1e-8, λ = 0.
    """

    name = "radam"
    hyper_names = ("lr", "betas", "eps", "weight_decay", "decoupled_weight_decay", "maximize")

    def __init__(self, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0,
                 decoupled_weight_decay=False, *, maximize=False):
        super().__init__(lr, betas, eps, weight_decay, maximize=maximize,
                         decoupled_weight_decay=decoupled_weight_decay)

    def init(self, params) -> RAdamState:
        params = _initial_params(params)
        return RAdamState(step=0, exp_avg=self._zeros(params), exp_avg_sq=self._zeros(params))

    def update(self, params, grad, state: RAdamState):
        lr, params, _, exp_avg, exp_avg_sq = self._moments(params, grad, state)
        step = state.step + 1
        beta1, beta2 = self.beta1, self.beta2

        bias_correction1 = 1 - _pow(beta1, step)
        beta2_power = _pow(beta2, step)
        bias_correction2 = 1 - beta2_power
        momentum_step = exp_avg / bias_correction1
        momentum_step *= lr

        rho_inf = 2 / (1 - beta2) - 1
        rho_t = rho_inf - 2 * step * beta2_power / bias_correction2
        rectified = rho_t > 5.0
        if not np.any(rectified):
            return params - momentum_step, RAdamState(step, exp_avg, exp_avg_sq)
        # Only where ρ_t > 5 is the ratio under the root positive; elsewhere use 1 (unused).
        with np.errstate(divide="ignore", invalid="ignore"):  # per-run β₂ with ρ_∞ = 4
            ratio = np.where(rectified, (rho_t - 4) * (rho_t - 2) * rho_inf
                             / ((rho_inf - 4) * (rho_inf - 2) * rho_t), 1.0)
        rect = _pow(ratio if np.ndim(ratio) else float(ratio), 0.5)
        denom = np.sqrt(exp_avg_sq)
        denom += self.eps
        adaptive = _pow(bias_correction2, 0.5) / denom
        adaptive_step = momentum_step * adaptive
        adaptive_step *= rect
        delta = np.where(rectified, adaptive_step, momentum_step) if np.ndim(rectified) \
            else adaptive_step
        return params - delta, RAdamState(step, exp_avg, exp_avg_sq)


# ----------------------------------------------------------------------------------------------
# Adamax

class AdamaxState(NamedTuple):
    step: int
    exp_avg: np.ndarray  # m
    exp_inf: np.ndarray  # u: exponentially weighted infinity norm


class Adamax(_AdamFamily):
    r"""Adamax: Adam with the ℓ∞ norm in place of the ℓ2 norm (Kingma & Ba 2015, §7.1),
    torch.optim.Adamax semantics.

    .. math::
        m_t &= β_1 m_{t-1} + (1-β_1) g_t, \qquad u_t = \max(β_2 u_{t-1},\ |g_t| + ε)\\
        θ_t &= θ_{t-1} - \frac{η}{1-β_1^t}\, \frac{m_t}{u_t}

    u_t is the limit p → ∞ of (β₂^p v + (1−β₂^p)|g|^p)^{1/p}: it needs no bias correction. torch
    adds ε inside the max (so u_t ≥ ε). Weight decay: L2, g ← g + λθ. Defaults: lr = 2e-3,
    β = (0.9, 0.999), ε = 1e-8, λ = 0.
    """

    name = "adamax"
    hyper_names = ("lr", "betas", "eps", "weight_decay", "maximize")

    def __init__(self, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, *,
                 maximize=False):
        super().__init__(lr, betas, eps, weight_decay, maximize=maximize)

    def init(self, params) -> AdamaxState:
        params = _initial_params(params)
        return AdamaxState(step=0, exp_avg=self._zeros(params), exp_inf=self._zeros(params))

    def update(self, params, grad, state: AdamaxState):
        params, g = self._prepare(params, grad, self.maximize, self.weight_decay)
        lr = self.lr_at(state.step)
        step = state.step + 1
        exp_avg = _lerp(state.exp_avg, g, 1 - self.beta1)
        bound = np.abs(g)
        bound += self.eps
        exp_inf = np.maximum(state.exp_inf * self.beta2, bound)
        clr = lr / (1 - _pow(self.beta1, step))
        delta = np.multiply(exp_avg, -clr)
        delta /= exp_inf
        delta += params
        return delta, AdamaxState(step=step, exp_avg=exp_avg, exp_inf=exp_inf)
