r"""Learning-rate schedules: functions of the step number, as in torch.optim.lr_scheduler.

Each constructor returns a :class:`Schedule`, a callable ``schedule(t) -> η_t`` where t is the
0-based number of optimizer updates already taken (torch's ``last_epoch`` when the scheduler is
stepped once per update). Pass one as ``lr`` to any optimizer of :mod:`gdcore.optimizers`::

    opt = gd.optimizers.SGD(lr=gd.schedules.cosine(0.1, T_max=100))

``t`` may be an int or an integer array (for plotting a whole schedule at once); ``lr`` may be a
float or a per-run array (a sweep over base learning rates). The closed forms below are those of
torch.optim.lr_scheduler (torch computes most of them recursively; the two agree to ~1e-15).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

__all__ = ["Schedule", "constant", "step_decay", "exponential", "inverse_time", "cosine",
           "warmup_cosine"]


class Schedule:
    """A named learning-rate schedule ``t -> η_t`` with a readable repr (no memory address)."""

    def __init__(self, name: str, formula: Callable[[Any], Any], **params: Any):
        self._formula = formula
        self.params = params
        self.__name__ = f"{name}({', '.join(f'{k}={v!r}' for k, v in params.items())})"

    def __call__(self, step: Any) -> Any:
        t = np.asarray(step)
        if not np.issubdtype(t.dtype, np.integer) and not np.all(t == np.floor(t)):
            raise ValueError(f"step must be an integer, got {step!r}")
        if np.any(t < 0):
            raise ValueError(f"step must be >= 0, got {step!r}")
        value = self._formula(int(t) if t.ndim == 0 else t.astype(np.int64))
        return float(value) if np.ndim(value) == 0 else value

    def __repr__(self) -> str:
        return self.__name__


def _lr(lr: Any) -> Any:
    array = np.asarray(lr, dtype=float)
    if np.any(~np.isfinite(array)) or np.any(array < 0):
        raise ValueError(f"Invalid learning rate: {lr}")
    return float(array) if array.ndim == 0 else array


def _positive_int(value: Any, name: str) -> int:
    if isinstance(value, bool) or int(value) != value or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def _gamma(gamma: Any) -> float:
    if not 0.0 < gamma <= 1.0:
        raise ValueError(f"gamma must be in (0, 1], got {gamma!r}")
    return float(gamma)


def constant(lr: Any) -> Schedule:
    r"""η_t = η (torch: ConstantLR with factor 1, i.e. no scheduler)."""
    lr = _lr(lr)
    return Schedule("constant", lambda t: lr + 0.0 * np.asarray(t), lr=lr)


def step_decay(lr: Any, step_size: int, gamma: float = 0.1) -> Schedule:
    r"""η_t = η · γ^{⌊t / \text{step\_size}⌋} (torch: StepLR(step_size, gamma))."""
    lr, step_size, gamma = _lr(lr), _positive_int(step_size, "step_size"), _gamma(gamma)
    return Schedule("step_decay", lambda t: lr * np.power(gamma, t // step_size),
                    lr=lr, step_size=step_size, gamma=gamma)


def exponential(lr: Any, gamma: float) -> Schedule:
    r"""η_t = η · γ^t (torch: ExponentialLR(gamma))."""
    lr, gamma = _lr(lr), _gamma(gamma)
    return Schedule("exponential", lambda t: lr * np.power(gamma, t), lr=lr, gamma=gamma)


def inverse_time(lr: Any, decay_rate: float, decay_steps: int = 1) -> Schedule:
    r"""η_t = η / (1 + r · t / \text{decay\_steps}).

    The 1/t decay of the Robbins–Monro conditions (Σ η_t = ∞, Σ η_t² < ∞). torch has no named
    class for it: it is LambdaLR(lambda t: 1 / (1 + r t / decay_steps)) (Keras'
    InverseTimeDecay). Adagrad's ``lr_decay`` is the same formula with decay_steps = 1.
    """
    lr, decay_steps = _lr(lr), _positive_int(decay_steps, "decay_steps")
    if not (math.isfinite(decay_rate) and decay_rate >= 0):
        raise ValueError(f"decay_rate must be >= 0, got {decay_rate!r}")
    decay_rate = float(decay_rate)
    return Schedule("inverse_time", lambda t: lr / (1.0 + decay_rate * t / decay_steps),
                    lr=lr, decay_rate=decay_rate, decay_steps=decay_steps)


def _cosine_formula(lr: Any, eta_min: float, t: Any, T: int) -> Any:
    return eta_min + (lr - eta_min) * (1.0 + np.cos(np.pi * t / T)) / 2.0


def cosine(lr: Any, T_max: int, eta_min: float = 0.0) -> Schedule:
    r"""η_t = η_min + (η − η_min) (1 + cos(π t / T_max)) / 2 (torch: CosineAnnealingLR).

    Like torch's formula, the curve continues periodically past T_max (it climbs back to η at
    2 T_max); choose T_max = the number of steps of the run. Loshchilov & Hutter (2017).
    """
    lr, T_max = _lr(lr), _positive_int(T_max, "T_max")
    eta_min = _eta_min(eta_min, lr)
    return Schedule("cosine", lambda t: _cosine_formula(lr, eta_min, t, T_max),
                    lr=lr, T_max=T_max, eta_min=eta_min)


def warmup_cosine(lr: Any, warmup_steps: int, T_max: int, eta_min: float = 0.0) -> Schedule:
    r"""Linear warmup for W = warmup_steps steps, then cosine annealing down to η_min at T_max.

    .. math::
        η_t = η \frac{t + 1}{W} \ (t < W), \qquad
        η_t = η_{\min} + (η − η_{\min}) \frac{1 + \cos(π (t − W)/(T_{\max} − W))}{2} \ (t ≥ W)

    so η climbs η/W, 2η/W, …, η over the first W updates, and T_max counts the whole run
    (warmup included). torch equivalent (checked in the tests)::

        SequentialLR(opt, [LinearLR(opt, start_factor=1/W, end_factor=1, total_iters=W - 1),
                           CosineAnnealingLR(opt, T_max=T_max - W, eta_min=eta_min)],
                     milestones=[W])

    (Goyal et al. 2017 for the warmup; Loshchilov & Hutter 2017 for the cosine.)
    """
    lr, W, T_max = _lr(lr), _positive_int(warmup_steps, "warmup_steps"), _positive_int(
        T_max, "T_max")
    if T_max <= W:
        raise ValueError(f"T_max must be larger than warmup_steps, got T_max={T_max}, "
                         f"warmup_steps={W}")
    eta_min = _eta_min(eta_min, lr)

    def formula(t: Any) -> Any:
        warm = lr * (np.asarray(t) + 1.0) / W
        annealed = _cosine_formula(lr, eta_min, np.asarray(t) - W, T_max - W)
        return np.where(np.asarray(t) < W, warm, annealed)

    return Schedule("warmup_cosine", formula, lr=lr, warmup_steps=W, T_max=T_max,
                    eta_min=eta_min)


def _eta_min(eta_min: Any, lr: Any) -> float:
    if not (math.isfinite(eta_min) and eta_min >= 0):
        raise ValueError(f"eta_min must be >= 0, got {eta_min!r}")
    if np.any(np.asarray(lr) < eta_min):
        raise ValueError(f"eta_min ({eta_min}) must not exceed lr ({lr})")
    return float(eta_min)
