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

import bisect
import math
from collections.abc import Callable
from typing import Any

import numpy as np

__all__ = ["Schedule", "constant", "step_decay", "exponential", "inverse_time", "cosine",
           "warmup_cosine", "TorchSchedule", "StepLR", "MultiStepLR", "ExponentialLR",
           "CosineAnnealingLR", "CosineAnnealingWarmRestarts", "LinearLR", "OneCycleLR",
           "PolynomialLR", "SequentialLR"]


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


def _nonnegative_int(value: Any, name: str) -> int:
    if isinstance(value, bool) or int(value) != value or value < 0:
        raise ValueError(f"{name} must be a non-negative integer, got {value!r}")
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


# ----------------------------------------------------------------------------------------------
# torch.optim.lr_scheduler by its class names, computed as torch computes it.
#
# torch steps most schedulers recursively (lr_t = lr_{t-1} · factor_t, from the optimizer's
# current lr); the classes below run the same recursion (memoised, so a whole run costs O(T))
# and therefore give torch's numbers to the last bit, not only to ~1e-15.

class TorchSchedule(Schedule):
    """A schedule that follows a torch.optim.lr_scheduler class step by step.

    Subclasses say what torch does at three moments: ``_first()`` (the constructor's initial
    step, t = 0), ``_next(lr, t)`` (``scheduler.step()`` into step t ≥ 1 from the current lr)
    and ``_restart()`` (the closed form at 0, what :func:`SequentialLR` uses at a milestone).
    """

    def __init__(self, name: str, lr: Any, **params: Any):
        self.lr = _lr(lr)
        self._memo: list[Any] = []
        super().__init__(name, self._lookup, **({"lr": self.lr} | params))

    def _first(self) -> Any:
        return self.lr

    def _next(self, lr: Any, t: int) -> Any:  # pragma: no cover - overridden
        raise NotImplementedError

    def _restart(self) -> Any:
        return self._first()

    def _values(self, t: int) -> Any:
        while len(self._memo) <= t:
            k = len(self._memo)
            self._memo.append(self._first() if k == 0 else self._next(self._memo[-1], k))
        return self._memo[t]

    def _lookup(self, t: Any) -> Any:
        if np.ndim(t) == 0:
            return self._values(int(t))
        t = np.asarray(t)
        if t.size == 0:
            return np.zeros(t.shape)
        self._values(int(t.max()))
        return np.stack([np.asarray(v, dtype=float) for v in self._memo])[t]


class StepLR(TorchSchedule):
    r"""η_t = η γ^{⌊t/\text{step\_size}⌋}: torch.optim.lr_scheduler.StepLR (recursively:
    multiply by γ at every multiple of step_size)."""

    def __init__(self, lr: Any, step_size: int, gamma: float = 0.1):
        self.step_size, self.gamma = _positive_int(step_size, "step_size"), float(gamma)
        super().__init__("StepLR", lr, step_size=self.step_size, gamma=self.gamma)

    def _next(self, lr, t):
        return lr * self.gamma if t % self.step_size == 0 else lr

    def _restart(self):
        return self.lr * self.gamma ** 0


class MultiStepLR(TorchSchedule):
    r"""η_t = η γ^{\#\{m ∈ \text{milestones}: m ≤ t\}}: torch's MultiStepLR (a milestone listed
    k times multiplies by γ^k)."""

    def __init__(self, lr: Any, milestones: Any, gamma: float = 0.1):
        self.milestones = [int(m) for m in milestones]
        self.gamma = float(gamma)
        super().__init__("MultiStepLR", lr, milestones=self.milestones, gamma=self.gamma)

    def _first(self):
        count = self.milestones.count(0)
        return self.lr * self.gamma ** count if count else self.lr

    def _next(self, lr, t):
        count = self.milestones.count(t)
        return lr * self.gamma ** count if count else lr

    def _restart(self):
        return self.lr * self.gamma ** bisect.bisect_right(sorted(self.milestones), 0)


class ExponentialLR(TorchSchedule):
    r"""η_t = η γ^t: torch's ExponentialLR (recursively η_t = γ η_{t-1})."""

    def __init__(self, lr: Any, gamma: float):
        self.gamma = float(gamma)
        super().__init__("ExponentialLR", lr, gamma=self.gamma)

    def _next(self, lr, t):
        return lr * self.gamma

    def _restart(self):
        return self.lr * self.gamma ** 0


class CosineAnnealingLR(TorchSchedule):
    r"""Cosine annealing (Loshchilov & Hutter 2017) in torch's recursive form.

    .. math::
        η_t = η_{\min} + (η_{t-1} − η_{\min})
              \frac{1 + \cos(π t / T_{\max})}{1 + \cos(π (t−1) / T_{\max})}

    (at t − 1 − T_max ≡ 0 mod 2 T_max, where that ratio is 0/0, torch adds
    (η − η_min)(1 − cos(π/T_max))/2 instead). It equals the closed form
    η_min + (η − η_min)(1 + cos(π t/T_max))/2 of :func:`cosine` up to rounding (~1e-15) and
    continues periodically past T_max.
    """

    def __init__(self, lr: Any, T_max: int, eta_min: float = 0.0):
        self.T_max, self.eta_min = _positive_int(T_max, "T_max"), float(eta_min)
        super().__init__("CosineAnnealingLR", lr, T_max=self.T_max, eta_min=self.eta_min)

    def _next(self, lr, t):
        if (t - 1 - self.T_max) % (2 * self.T_max) == 0:
            return lr + (self.lr - self.eta_min) * (1 - math.cos(math.pi / self.T_max)) / 2
        ratio = ((1 + math.cos(math.pi * t / self.T_max))
                 / (1 + math.cos(math.pi * (t - 1) / self.T_max)))
        return ratio * (lr - self.eta_min) + self.eta_min

    def _restart(self):
        return self.eta_min + (self.lr - self.eta_min) * (1 + math.cos(0.0)) / 2


class CosineAnnealingWarmRestarts(TorchSchedule):
    r"""SGDR: cosine annealing with warm restarts (Loshchilov & Hutter 2017), torch's class.

    .. math::
        η_t = η_{\min} + (η − η_{\min}) \frac{1 + \cos(π T_{cur} / T_i)}{2}

    T_cur counts the steps since the last restart; the first period is T_0 and each restart
    multiplies the period by T_mult.
    """

    def __init__(self, lr: Any, T_0: int, T_mult: int = 1, eta_min: float = 0.0):
        if isinstance(T_0, bool) or not isinstance(T_0, int) or T_0 <= 0:
            raise ValueError(f"Expected positive integer T_0, but got {T_0}")
        if isinstance(T_mult, bool) or not isinstance(T_mult, int) or T_mult < 1:
            raise ValueError(f"Expected integer T_mult >= 1, but got {T_mult}")
        if isinstance(eta_min, bool) or not isinstance(eta_min, (float, int)):
            raise ValueError(f"Expected float or int eta_min, but got {eta_min} of type "
                             f"{type(eta_min)}")
        self.T_0, self.T_mult, self.eta_min = T_0, T_mult, eta_min
        super().__init__("CosineAnnealingWarmRestarts", lr, T_0=T_0, T_mult=T_mult,
                         eta_min=eta_min)

    def position(self, t: int) -> tuple[int, int]:
        """(T_cur, T_i) after t steps, as torch's step() updates them one step at a time."""
        T_cur, T_i = t, self.T_0
        while T_cur >= T_i:
            T_cur -= T_i
            T_i *= self.T_mult
        return T_cur, T_i

    def _first(self):
        return self._next(self.lr, 0)

    def _next(self, lr, t):
        T_cur, T_i = self.position(t)
        return self.eta_min + (self.lr - self.eta_min) * (1 + math.cos(math.pi * T_cur / T_i)) / 2


class LinearLR(TorchSchedule):
    r"""η_t = η (s + (e − s) min(t, T)/T) with s = start_factor, e = end_factor,
    T = total_iters: torch's LinearLR (a linear warmup for s < e, a linear decay for s > e),
    in torch's recursive form."""

    def __init__(self, lr: Any, start_factor: float = 1.0 / 3, end_factor: float = 1.0,
                 total_iters: int = 5):
        if start_factor > 1.0 or start_factor <= 0:
            raise ValueError("Starting multiplicative factor expected to be greater than 0 and "
                             "less or equal to 1.")
        if end_factor > 1.0 or end_factor < 0:
            raise ValueError("Ending multiplicative factor expected to be between 0 and 1.")
        self.start_factor, self.end_factor = float(start_factor), float(end_factor)
        # torch accepts total_iters = 0: the lr then stays at start_factor · lr.
        self.total_iters = _nonnegative_int(total_iters, "total_iters")
        super().__init__("LinearLR", lr, start_factor=self.start_factor,
                         end_factor=self.end_factor, total_iters=self.total_iters)

    def _first(self):
        return self.lr * self.start_factor

    def _next(self, lr, t):
        if t > self.total_iters:
            return lr
        s, e = self.start_factor, self.end_factor
        return lr * (1.0 + (e - s) / (self.total_iters * s + (t - 1) * (e - s)))

    def _restart(self):
        s, e = self.start_factor, self.end_factor
        return self.lr * (s + (e - s) * min(self.total_iters, 0) / self.total_iters)


class PolynomialLR(TorchSchedule):
    r"""η_t = η (1 − min(t, T)/T)^p, T = total_iters, p = power: torch's PolynomialLR (zero from
    step T on), in torch's recursive form."""

    def __init__(self, lr: Any, total_iters: int = 5, power: float = 1.0):
        # torch accepts total_iters = 0: the lr then stays at lr (no decay at all).
        self.total_iters = _nonnegative_int(total_iters, "total_iters")
        self.power = float(power)
        super().__init__("PolynomialLR", lr, total_iters=self.total_iters, power=self.power)

    def _next(self, lr, t):
        if t > self.total_iters:
            return lr
        T = self.total_iters
        return lr * ((1.0 - t / T) / (1.0 - (t - 1) / T)) ** self.power

    def _restart(self):
        return self.lr * (1.0 - min(self.total_iters, 0) / self.total_iters) ** self.power


class OneCycleLR(TorchSchedule):
    r"""The 1cycle policy (Smith & Topin 2019), torch's OneCycleLR: η rises from
    max_lr/div_factor to max_lr over the first pct_start of total_steps, then anneals to
    max_lr/(div_factor·final_div_factor); ``three_phase`` comes back down to the start value
    first (symmetrically) and anneals to the minimum in a third phase. Each phase interpolates
    with ``anneal_strategy`` "cos" (½(1 + cos π p) weights) or "linear".

    ``lr`` (the optimizer's lr, first as for every scheduler here) is not used: torch
    overwrites the optimizer's lr with max_lr/div_factor. With its default
    ``cycle_momentum=True`` torch also cycles the momentum (β₁ for Adam) between max_momentum
    and base_momentum, inversely to η. A gdcore schedule sets only η, whatever
    ``cycle_momentum`` says (so a gdcore run matches torch's with ``cycle_momentum=False``);
    :meth:`momentum_at` gives the momentum torch would set. Stepping past total_steps is an
    error, as in torch.
    """

    def __init__(self, lr: Any, max_lr: Any, total_steps: int | None = None,
                 epochs: int | None = None,
                 steps_per_epoch: int | None = None, pct_start: float = 0.3,
                 anneal_strategy: str = "cos", cycle_momentum: bool = True,
                 base_momentum: float = 0.85,
                 max_momentum: float = 0.95, div_factor: float = 25.0,
                 final_div_factor: float = 1e4, three_phase: bool = False):
        if total_steps is not None:
            if isinstance(total_steps, bool) or not isinstance(total_steps, int) \
                    or total_steps <= 0:
                raise ValueError(f"Expected positive integer total_steps, but got {total_steps}")
        elif epochs is not None and steps_per_epoch is not None:
            if not isinstance(epochs, int) or epochs <= 0:
                raise ValueError(f"Expected positive integer epochs, but got {epochs}")
            if not isinstance(steps_per_epoch, int) or steps_per_epoch <= 0:
                raise ValueError("Expected positive integer steps_per_epoch, but got "
                                 f"{steps_per_epoch}")
            total_steps = epochs * steps_per_epoch
        else:
            raise ValueError("You must define either total_steps OR (epochs AND "
                             "steps_per_epoch)")
        if not isinstance(pct_start, float) or pct_start < 0 or pct_start > 1:
            raise ValueError(f"Expected float between 0 and 1 pct_start, but got {pct_start}")
        if anneal_strategy not in ("cos", "linear"):
            raise ValueError("anneal_strategy must be one of 'cos' or 'linear', instead got "
                             f"{anneal_strategy}")
        _lr(lr)
        self.max_lr = _lr(max_lr)
        self.total_steps = total_steps
        self.initial_lr = self.max_lr / div_factor
        self.min_lr = self.initial_lr / final_div_factor
        self.anneal_strategy = anneal_strategy
        self.cycle_momentum = bool(cycle_momentum)
        self.base_momentum, self.max_momentum = base_momentum, max_momentum
        lrs = {"initial": self.initial_lr, "max": self.max_lr, "min": self.min_lr}
        moms = {"max": max_momentum, "base": base_momentum}
        if three_phase:
            self._phases = [
                (float(pct_start * total_steps) - 1, "initial", "max", "max", "base"),
                (float(2 * pct_start * total_steps) - 2, "max", "initial", "base", "max"),
                (total_steps - 1, "initial", "min", "max", "max")]
        else:
            self._phases = [
                (float(pct_start * total_steps) - 1, "initial", "max", "max", "base"),
                (total_steps - 1, "max", "min", "base", "max")]
        self._lrs, self._moms = lrs, moms
        super().__init__("OneCycleLR", self.initial_lr, max_lr=self.max_lr,
                         total_steps=total_steps, pct_start=pct_start,
                         anneal_strategy=anneal_strategy, div_factor=div_factor,
                         final_div_factor=final_div_factor, three_phase=three_phase)

    def _anneal(self, start, end, pct):
        if self.anneal_strategy == "cos":
            return end + (start - end) / 2.0 * (math.cos(math.pi * pct) + 1)
        return (end - start) * pct + start

    def _at(self, t: int, momentum: bool = False):
        if t > self.total_steps:
            raise ValueError(f"Tried to step {t} times. The specified number of total steps is "
                             f"{self.total_steps}")
        start_step = 0.0
        for i, (end_step, lr0, lr1, m0, m1) in enumerate(self._phases):
            if t <= end_step or i == len(self._phases) - 1:
                pct = (t - start_step) / (end_step - start_step)
                if momentum:
                    return self._anneal(self._moms[m0], self._moms[m1], pct)
                return self._anneal(self._lrs[lr0], self._lrs[lr1], pct)
            start_step = end_step
        raise AssertionError("unreachable")  # pragma: no cover

    def _first(self):
        return self._at(0)

    def _next(self, lr, t):
        return self._at(t)

    def momentum_at(self, t: int) -> float:
        """The momentum (or β₁) torch's ``cycle_momentum=True`` sets for step t."""
        return self._at(int(t), momentum=True)


class SequentialLR(TorchSchedule):
    r"""Run ``schedulers`` one after the other, switching at ``milestones`` (torch's
    SequentialLR): schedulers[i] drives steps milestones[i−1] ≤ t < milestones[i], restarted
    from its own closed form at 0 at its milestone and then stepped recursively from the current
    η. Each scheduler is a schedule of this module with the same ``lr`` (in torch: on the same
    optimizer), or a pair (class name, keyword arguments) built with ``lr``. Warmup then decay::

        SequentialLR(0.1, [("LinearLR", {"start_factor": 0.01, "total_iters": 10}),
                           ("CosineAnnealingLR", {"T_max": 50})], milestones=[10])
    """

    def __init__(self, lr: Any, schedulers: list[Any], milestones: list[int]):
        lr = _lr(lr)
        schedulers = [_build(lr, *item) if isinstance(item, (list, tuple)) else item
                      for item in schedulers]
        if len(schedulers) < 1:
            raise ValueError("SequentialLR expects at least one scheduler, but got no "
                             "scheduler.")
        for index, scheduler in enumerate(schedulers):
            if not isinstance(scheduler, TorchSchedule) or isinstance(
                    scheduler, (OneCycleLR, SequentialLR)):
                raise ValueError(f"SequentialLR at index {index} must be one of the chainable "
                                 f"schedules of gdcore.schedules, got {scheduler!r}")
        for scheduler in schedulers:
            if not np.array_equal(scheduler.lr, lr):
                raise ValueError("SequentialLR expects all schedulers to have its lr (in "
                                 f"torch: the same optimizer), got {lr} and {scheduler.lr}")
        milestones = [int(m) for m in milestones]
        if len(milestones) != len(schedulers) - 1:
            raise ValueError(
                "Sequential Schedulers expects number of schedulers provided to be one more "
                f"than the number of milestone points, but got number of schedulers "
                f"{len(schedulers)} and the number of milestones to be equal to "
                f"{len(milestones)}")
        self.schedulers, self.milestones = schedulers, milestones
        super().__init__("SequentialLR", lr, schedulers=schedulers, milestones=milestones)

    def _first(self):
        return self.schedulers[bisect.bisect_right(self.milestones, 0)]._first()

    def _next(self, lr, t):
        index = bisect.bisect_right(self.milestones, t)
        scheduler = self.schedulers[index]
        if index > 0 and self.milestones[index - 1] == t:
            return scheduler._restart()
        return scheduler._next(lr, t - (self.milestones[index - 1] if index > 0 else 0))


def _build(lr: Any, name: str, arguments: dict[str, Any] | None = None) -> TorchSchedule:
    """A chainable schedule from its torch class name and keyword arguments."""
    cls = globals().get(str(name))
    if not (isinstance(cls, type) and issubclass(cls, TorchSchedule)) or cls is TorchSchedule:
        raise ValueError(f"Unknown scheduler {name!r}")
    return cls(lr, **(arguments or {}))
