"""The machinery every optimizer shares: hyperparameter storage and checks, torch-order helpers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

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


def _powers(base: Any, exponent: Any) -> Any:
    """base ** exponent with libm's pow, elementwise when either is a per-run array."""
    if np.ndim(exponent) == 0:
        return _pow(base, float(exponent))
    base, exponent = np.broadcast_arrays(np.asarray(base, dtype=float), exponent)
    return np.array([b ** e for b, e in zip(base.ravel().tolist(), exponent.ravel().tolist(),
                                              strict=True)]).reshape(base.shape)


def _lerp(start: np.ndarray, end: np.ndarray, weight: Any) -> np.ndarray:
    """start + w (end − start), computed as torch.lerp does (its two formulas, by |w| < 0.5)."""
    diff = np.subtract(end, start)
    if np.ndim(weight) == 0:
        if abs(weight) < 0.5:
            diff *= weight
            diff += start
        else:
            diff *= 1.0 - weight
            diff = np.subtract(end, diff)  # (not out=: a 0-d parameter gives numpy scalars)
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
