"""Stochastic gradient Langevin dynamics: gradient descent plus calibrated noise."""

from __future__ import annotations

import copy
from typing import NamedTuple

import numpy as np

from ._base import (
    Optimizer,
    _as_hyper,
    _check,
    _initial_params,
)

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
