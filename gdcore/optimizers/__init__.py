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

Optimizers that look at a parameter as a matrix (:class:`Adafactor` factors its second moment,
:class:`Muon` orthogonalises its update) take the last two axes as the matrix: Muon treats any
leading axes as lanes; Adafactor is told how many leading axes are lanes (``lane_dims``).

The modules follow the families of the course: ``sgd`` (SGD, momentum, Nesterov, ASGD),
``adaptive`` (Adagrad, RMSprop, Adadelta, Rprop), ``adam`` (Adam, AMSGrad, AdamW, NAdam, RAdam,
Adamax), ``adafactor``, ``sign`` (Lion, Muon: steepest descent in the ℓ∞ and spectral norms) and
``langevin`` (SGLD); every name is importable from ``gdcore.optimizers``.
"""

from __future__ import annotations

from typing import Any

from ._base import Optimizer
from .adafactor import Adafactor, AdafactorState
from .adam import (
    Adam,
    Adamax,
    AdamaxState,
    AdamState,
    AdamW,
    NAdam,
    NAdamState,
    RAdam,
    RAdamState,
)
from .adaptive import (
    Adadelta,
    AdadeltaState,
    Adagrad,
    AdagradState,
    RMSprop,
    RMSpropState,
    Rprop,
    RpropState,
)
from .langevin import SGLD, SGLDState
from .sgd import ASGD, SGD, ASGDState, SGDState
from .sign import NS_COEFFICIENTS, Lion, LionState, Muon, MuonState, newton_schulz

__all__ = [
    "Optimizer", "SGD", "Adagrad", "RMSprop", "Adadelta", "Adam", "AdamW", "NAdam", "SGLD",
    "NAMES", "by_name", "SGDState", "AdagradState", "RMSpropState", "AdadeltaState", "AdamState",
    "NAdamState", "SGLDState",
    "RAdam", "Adamax", "Rprop", "ASGD", "Adafactor", "Lion", "Muon", "newton_schulz",
    "NS_COEFFICIENTS", "ALL_NAMES", "MATRIX_NAMES", "RAdamState", "AdamaxState", "RpropState",
    "ASGDState", "AdafactorState", "LionState", "MuonState",
]

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
    "radam": (RAdam, {}),
    "adamax": (Adamax, {}),
    "rprop": (Rprop, {}),
    "asgd": (ASGD, {}),
    "adafactor": (Adafactor, {}),
    "lion": (Lion, {}),
    "muon": (Muon, {}),
}

#: The zoo of chapter 5 (the explorer widget's menu): "momentum", "nesterov" and "amsgrad" are
#: presets. Kept as it was when the newer optimizers arrived, so code iterating it is unchanged.
NAMES: tuple[str, ...] = ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adadelta", "adam",
                          "adamw", "amsgrad", "nadam", "sgld")
#: Optimizers for matrix parameters only (they reject a vector of coordinates).
MATRIX_NAMES: tuple[str, ...] = ("muon",)
#: Every name ``by_name`` knows: NAMES, then the rest of torch.optim and Lion, then MATRIX_NAMES.
ALL_NAMES: tuple[str, ...] = tuple(_REGISTRY)


def by_name(name: str, **hyperparameters: Any) -> Optimizer:
    """Build an optimizer from its registered name: ``by_name("adam", lr=0.01)``.

    Presets: "momentum" = SGD(momentum=0.9), "nesterov" = SGD(momentum=0.9, nesterov=True),
    "amsgrad" = Adam(amsgrad=True); keyword arguments override the preset. The returned object's
    ``name`` is the registered name (so plots can colour presets apart).
    """
    key = str(name).lower()
    if key not in _REGISTRY:
        raise ValueError(f"Unknown optimizer {name!r}; valid names: {', '.join(ALL_NAMES)}")
    cls, preset = _REGISTRY[key]
    optimizer = cls(**{**preset, **hyperparameters})
    optimizer.name = key
    return optimizer
