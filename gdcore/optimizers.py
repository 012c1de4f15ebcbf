r"""First-order optimizers as pure functions of an explicit state, with torch.optim semantics.

Every optimizer is a small object holding its hyperparameters and two pure methods::

    opt = Adam(lr=0.01)
    state = opt.init(params)                          # a NamedTuple, includes the step count
    params, state = opt.update(params, grad, state)   # new arrays; the inputs are never mutated

Names, defaults and the order of floating-point operations follow ``torch.optim`` (torch 2.13,
the single-tensor code path), so a trajectory computed here matches PyTorch's to ~1e-15: a reader
can move to PyTorch without surprises. Notation of the course: θ parameters, g gradient, η
learning rate, t the step number (1-based inside the formulas), m and v the first and second
moment estimates, β₁ β₂ their decay rates, λ the weight decay.

Hyperparameters may be floats or arrays broadcastable against ``params`` with a leading run
axis: ``Adam(lr=np.array([[1e-3], [1e-2], [1e-1]]))`` on params of shape ``(3, d)`` runs a
learning-rate sweep as one vectorized computation. ``lr`` may also be a schedule (a callable
``step -> lr`` from :mod:`gdcore.schedules`, step = number of updates already taken).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

__all__ = [
    "Optimizer", "SGD", "Adagrad", "RMSprop", "Adadelta", "Adam", "AdamW", "NAdam", "SGLD",
    "NAMES", "by_name", "SGDState", "AdagradState", "RMSpropState", "AdadeltaState", "AdamState",
    "NAdamState", "SGLDState",
]


# ----------------------------------------------------------------------------------------------
# Small helpers shared by the optimizers.

def _as_hyper(value: Any) -> Any:
    """A hyperparameter as a Python float (scalar) or a float64 array (per-run values)."""
    if callable(value):
        return value
    array = np.asarray(value, dtype=float)
    return float(array) if array.ndim == 0 else array


def _check(ok: Any, message: str) -> None:
    # np.all makes the same test work for a scalar and for per-run arrays of hyperparameters.
    if not np.all(ok):
        raise ValueError(message)


def _pow(base: Any, exponent: float) -> Any:
    """base ** exponent with Python's (libm's) pow, elementwise for per-run arrays.

    numpy's vectorized power may use a different (SIMD) implementation than libm, which would
    break bit-for-bit agreement between a batched sweep and single runs, and with torch.
    """
    if np.ndim(base) == 0:
        return float(base) ** exponent
    return np.array([b ** exponent for b in np.ravel(base).tolist()]).reshape(np.shape(base))


def _lerp(start: np.ndarray, end: np.ndarray, weight: Any) -> np.ndarray:
    """start + w (end − start), computed as torch.lerp does (its two formulas, by |w| < 0.5)."""
    diff = np.subtract(end, start)
    if np.ndim(weight) == 0:
        if abs(weight) < 0.5:
            diff *= weight
            diff += start
        else:
            diff *= 1.0 - weight
            np.subtract(end, diff, out=diff)
        return diff
    small = np.abs(weight) < 0.5
    return np.where(small, start + weight * diff, end - diff * (1.0 - weight))


def _ema_of_square(avg: np.ndarray, grad: np.ndarray, decay: Any) -> np.ndarray:
    """decay · avg + (1 − decay) · g², in torch's order: avg·β + ((1−β)·g)·g."""
    new = np.multiply(avg, decay)
    square = np.multiply(1.0 - decay, grad)
    square *= grad
    new += square
    return new


class Optimizer:
    """Common machinery: hyperparameter storage, ``lr_at``, input checks, ``repr``."""

    name = "optimizer"
    #: Names of the hyperparameters, in the constructor's order (used by repr and by the tests).
    hyper_names: tuple[str, ...] = ()

    def __init__(self, lr: float | np.ndarray | Callable[[int], Any]):
        if callable(lr):
            lr0 = lr(0)
            _check(np.asarray(lr0) >= 0.0, f"Invalid learning rate: {lr0}")
        else:
            _check(np.asarray(lr) >= 0.0, f"Invalid learning rate: {lr}")
        self.lr = _as_hyper(lr)

    # -- public API ------------------------------------------------------------------------
    def lr_at(self, step: int) -> Any:
        """The learning rate η used by the update that follows ``step`` updates (0-based)."""
        return _as_hyper(self.lr(step)) if callable(self.lr) else self.lr

    def init(self, params: Any) -> NamedTuple:  # pragma: no cover - overridden
        raise NotImplementedError

    def update(self, params: Any, grad: Any, state: NamedTuple) -> tuple[np.ndarray, NamedTuple]:
        raise NotImplementedError  # pragma: no cover - overridden

    @property
    def hyperparameters(self) -> dict[str, Any]:
        return {key: getattr(self, key) for key in self.hyper_names}

    def __repr__(self) -> str:
        def show(value: Any) -> str:
            if callable(value):
                return getattr(value, "__name__", "schedule")
            if isinstance(value, np.ndarray):
                return f"array(shape={value.shape})"
            return repr(value)

        args = ", ".join(f"{k}={show(v)}" for k, v in self.hyperparameters.items())
        return f"{type(self).__name__}({args})"

    # -- helpers for subclasses ------------------------------------------------------------
    def _shape(self, params: np.ndarray) -> tuple[int, ...]:
        """Shape of the state: params broadcast against every array hyperparameter."""
        shapes = [params.shape, np.shape(self.lr_at(0))]
        for value in self.hyperparameters.values():
            for item in value if isinstance(value, tuple) else (value,):
                if isinstance(item, np.ndarray):
                    shapes.append(item.shape)
        return np.broadcast_shapes(*shapes)

    def _zeros(self, params: np.ndarray) -> np.ndarray:
        return np.zeros(self._shape(params), dtype=params.dtype)

    def _prepare(self, params: Any, grad: Any, maximize: bool = False, weight_decay: Any = 0.0,
                 ) -> tuple[np.ndarray, np.ndarray]:
        """Check shapes, apply maximize and coupled weight decay: g ← ±g + λθ."""
        params = _as_float_array(params)
        grad = _as_float_array(grad)
        if grad.shape != params.shape:
            raise ValueError(
                f"grad shape {grad.shape} does not match params shape {params.shape}")
        if maximize:
            grad = -grad
        if np.any(weight_decay != 0):
            grad = grad + weight_decay * params  # torch: grad.add(param, alpha=weight_decay)
        return params, grad


def _as_float_array(x: Any) -> np.ndarray:
    array = np.asarray(x)
    if not np.issubdtype(array.dtype, np.floating):
        array = array.astype(float)
    return array


def _initial_params(params: Any) -> np.ndarray:
    """The starting point given to ``init``: a float array with finite entries."""
    params = _as_float_array(params)
    if not np.all(np.isfinite(params)):
        raise ValueError(f"params must be finite to start from, got {params}")
    return params


def _check_betas(betas: Any) -> tuple[Any, Any]:
    if len(betas) != 2:
        raise ValueError(f"betas must be a pair (beta1, beta2), got {betas!r}")
    for index, beta in enumerate(betas):
        beta = np.asarray(beta)
        _check((beta >= 0.0) & (beta < 1.0),
               f"Invalid beta parameter at index {index}: {betas[index]}")
    return _as_hyper(betas[0]), _as_hyper(betas[1])


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
            g = g + mu * buf if self.nesterov else buf
        return params - lr * g, SGDState(step=state.step + 1, momentum_buffer=buf)


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
            np.sqrt(avg, out=avg)
        else:
            avg = np.sqrt(square_avg)
        avg += self.eps
        buf = None
        if state.momentum_buffer is not None:
            buf = state.momentum_buffer * self.momentum
            buf += g / avg
            new_params = params - lr * buf
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
        np.sqrt(std, out=std)
        delta = state.acc_delta + self.eps
        np.sqrt(delta, out=delta)
        delta /= std
        delta *= g
        acc_delta = _ema_of_square(state.acc_delta, delta, self.rho)
        return params - lr * delta, AdadeltaState(step=state.step + 1, square_avg=square_avg,
                                                  acc_delta=acc_delta)


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


class Adam(Optimizer):
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
        super().__init__(lr)
        _check(np.asarray(eps) >= 0.0, f"Invalid epsilon value: {eps}")
        self.beta1, self.beta2 = _check_betas(betas)
        _check(np.asarray(weight_decay) >= 0.0, f"Invalid weight_decay value: {weight_decay}")
        self.eps = _as_hyper(eps)
        self.weight_decay = _as_hyper(weight_decay)
        self.amsgrad = bool(amsgrad)
        self.maximize = bool(maximize)
        self.decoupled_weight_decay = bool(decoupled_weight_decay)

    @property
    def betas(self) -> tuple[Any, Any]:
        return (self.beta1, self.beta2)

    def init(self, params) -> AdamState:
        params = _initial_params(params)
        return AdamState(step=0, exp_avg=self._zeros(params), exp_avg_sq=self._zeros(params),
                         max_exp_avg_sq=self._zeros(params) if self.amsgrad else None)

    def update(self, params, grad, state: AdamState):
        lr = self.lr_at(state.step)
        if self.decoupled_weight_decay:
            params, g = self._prepare(params, grad, self.maximize)
            if np.any(self.weight_decay != 0):
                params = params * (1 - lr * self.weight_decay)  # θ ← θ(1 − ηλ), before the step
        else:
            params, g = self._prepare(params, grad, self.maximize, self.weight_decay)
        step = state.step + 1
        beta1, beta2 = self.beta1, self.beta2

        exp_avg = _lerp(state.exp_avg, g, 1 - beta1)
        exp_avg_sq = _ema_of_square(state.exp_avg_sq, g, beta2)

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


class NAdam(Optimizer):
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
        super().__init__(lr)
        _check(np.asarray(eps) >= 0.0, f"Invalid epsilon value: {eps}")
        self.beta1, self.beta2 = _check_betas(betas)
        _check(np.asarray(weight_decay) >= 0.0, f"Invalid weight_decay value: {weight_decay}")
        _check(np.asarray(momentum_decay) >= 0.0,
               f"Invalid momentum_decay value: {momentum_decay}")
        self.eps = _as_hyper(eps)
        self.weight_decay = _as_hyper(weight_decay)
        self.momentum_decay = _as_hyper(momentum_decay)
        self.decoupled_weight_decay = bool(decoupled_weight_decay)
        self.maximize = bool(maximize)

    betas = Adam.betas

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
        lr = self.lr_at(state.step)
        if self.decoupled_weight_decay:
            params, g = self._prepare(params, grad, self.maximize)
            if np.any(self.weight_decay != 0):
                params = params * (1 - lr * self.weight_decay)
        else:
            params, g = self._prepare(params, grad, self.maximize, self.weight_decay)
        step = state.step + 1
        bias_correction2 = 1 - _pow(self.beta2, step)
        mu, mu_next = self._mu(step), self._mu(step + 1)
        mu_product = state.mu_product * mu
        mu_product_next = mu_product * mu_next

        exp_avg = _lerp(state.exp_avg, g, 1 - self.beta1)
        exp_avg_sq = _ema_of_square(state.exp_avg_sq, g, self.beta2)
        denom = exp_avg_sq / bias_correction2
        np.sqrt(denom, out=denom)
        denom += self.eps

        grad_coef = -lr * (1.0 - mu) / (1.0 - mu_product)
        avg_coef = (-lr * mu_next) / (1.0 - mu_product_next)
        # Two separate additions, in torch's order (each rounds on its own).
        new_params = params + grad_coef * g / denom
        new_params += avg_coef * exp_avg / denom
        return new_params, NAdamState(step=step, mu_product=mu_product, exp_avg=exp_avg,
                                      exp_avg_sq=exp_avg_sq)


# ----------------------------------------------------------------------------------------------
# SGLD

class SGLDState(NamedTuple):
    step: int
    rng: np.random.Generator  # never advanced in place: update works on a copy


class SGLD(Optimizer):
    r"""Stochastic gradient Langevin dynamics (Welling & Teh 2011).

    .. math::
        θ_t = θ_{t-1} - \frac{η}{2} ∇U(θ_{t-1}) + \sqrt{η T}\, ξ_t, \qquad ξ_t \sim N(0, I)

    With U = −log p (the "loss" is a negative log-density) and temperature T, the iterates
    sample approximately from p(θ)^{1/T} ∝ exp(−U(θ)/T) when η is small (bias O(η)); T → 0 gives
    gradient descent with step η/2. The generator (seeded by ``seed``) lives in the state, so
    ``init``/``update`` are pure and a run is reproducible: the same state gives the same step.
    A batch of chains (a leading run axis) draws its noise jointly from that one generator.
    With minibatches, pass the unbiased estimate ∇Û = −∇log p(θ) − (N/n) Σ_batch ∇log p(x_i|θ)
    as the gradient, as Welling & Teh do.
    """

    name = "sgld"
    hyper_names = ("lr", "temperature", "seed")

    def __init__(self, lr=1e-3, temperature=1.0, seed=0):
        super().__init__(lr)
        _check(np.asarray(temperature) >= 0.0, f"Invalid temperature value: {temperature}")
        self.temperature = _as_hyper(temperature)
        self.seed = seed

    def init(self, params) -> SGLDState:
        _initial_params(params)
        return SGLDState(step=0, rng=np.random.default_rng(self.seed))

    def update(self, params, grad, state: SGLDState):
        params, g = self._prepare(params, grad)
        lr = self.lr_at(state.step)
        rng = copy.deepcopy(state.rng)
        noise = rng.standard_normal(self._shape(params))
        noise *= np.sqrt(lr * self.temperature)
        new_params = params - (0.5 * lr) * g
        new_params += noise
        return new_params, SGLDState(step=state.step + 1, rng=rng)


# ----------------------------------------------------------------------------------------------
# Registry

_REGISTRY: dict[str, tuple[type[Optimizer], dict[str, Any]]] = {
    "sgd": (SGD, {}),
    "momentum": (SGD, {"momentum": 0.9}),
    "nesterov": (SGD, {"momentum": 0.9, "nesterov": True}),
    "adagrad": (Adagrad, {}),
    "rmsprop": (RMSprop, {}),
    "adadelta": (Adadelta, {}),
    "adam": (Adam, {}),
    "adamw": (AdamW, {}),
    "amsgrad": (Adam, {"amsgrad": True}),
    "nadam": (NAdam, {}),
    "sgld": (SGLD, {}),
}

#: Registered optimizer names; "momentum", "nesterov" and "amsgrad" are presets.
NAMES: tuple[str, ...] = tuple(_REGISTRY)


def by_name(name: str, **hyperparameters: Any) -> Optimizer:
    """Build an optimizer from its registered name: ``by_name("adam", lr=0.01)``.

    Presets: "momentum" = SGD(momentum=0.9), "nesterov" = SGD(momentum=0.9, nesterov=True),
    "amsgrad" = Adam(amsgrad=True); keyword arguments override the preset. The returned object's
    ``name`` is the registered name (so plots can colour presets apart).
    """
    key = str(name).lower()
    if key not in _REGISTRY:
        raise ValueError(f"Unknown optimizer {name!r}; valid names: {', '.join(NAMES)}")
    cls, preset = _REGISTRY[key]
    optimizer = cls(**{**preset, **hyperparameters})
    optimizer.name = key
    return optimizer
