r"""Checkers for the exercises of the edge-of-stability section (chapter 3, part 6).

- ``check_sharpness_from_gradients(fn)``: fn(grad, theta) estimates the sharpness — the top
  eigenvalue of the Hessian of a *non-quadratic* loss at θ — to 0.1 %, from at most
  ``GRADIENT_BUDGET`` calls of its gradient ``grad`` (which takes one point of shape (d,)).

The hidden losses are small tanh networks (``gd.mlp.MLPProblem``) at seeded parameter points;
the exact eigenvalues come from the dense Hessian assembled from exact Hessian-vector products
(``gd.mlp.hessian_vector_product``), a method independent of any finite difference.
"""

from functools import lru_cache

import numpy as np

from gdcore import mlp

from ..i18n import _
from ._core import (
    BudgetExceeded,
    NotSolved,
    Wrong,
    call_on_budget,
    expect_number,
    is_stub,
    run_checks,
)

__all__ = ["check_sharpness_from_gradients", "GRADIENT_BUDGET"]

GRADIENT_BUDGET = 400


class _GradientOracle:
    """∇f of a hidden network loss, one point at a time, counting the calls."""

    def __init__(self, problem, theta):
        self._problem, self._theta, self.calls = problem, theta.copy(), 0
        self.at_origin, self.farthest = False, 0.0   # where the answer probed the gradient

    def __call__(self, theta):
        self.calls += 1
        if self.calls > GRADIENT_BUDGET:
            raise BudgetExceeded
        theta = np.asarray(theta, dtype=float)
        if theta.shape != (self._problem.dim,):
            raise ValueError(_("grad takes one point of "
                               "shape ({dim},), got {shape}").format(
                                   dim=self._problem.dim, shape=theta.shape))
        self.at_origin |= bool(np.linalg.norm(theta) <= 1e-12)
        self.farthest = max(self.farthest, float(np.linalg.norm(theta - self._theta)))
        return self._problem.grad(theta)


@lru_cache(maxsize=1)
def _hidden_cases():
    """(problem, θ, exact eigenvalues) for a few seeded networks and points where the top
    eigenvalue is positive, dominant and separated (|λ₂| ≤ 0.7 λ₁), so that a correct power
    iteration converges well within the budget."""
    rng = np.random.default_rng(20261201)
    cases = []
    for sizes, n in (([2, 6, 1], 16), ([3, 5, 5, 1], 20), ([1, 8, 1], 12)):
        X = rng.standard_normal((n, sizes[0]))
        y = np.sin(2 * X.sum(axis=1, keepdims=True))
        problem = mlp.MLPProblem(X, y, sizes, activation="tanh", loss="mse", seed=int(n))
        while True:
            theta = problem.theta0 + 0.5 * rng.standard_normal(problem.dim)
            H = np.column_stack([problem.hvp(theta, e) for e in np.eye(problem.dim)])
            lam = np.linalg.eigvalsh(0.5 * (H + H.T))
            by_size = np.sort(np.abs(lam))
            if lam[-1] > 0 and by_size[-1] == abs(lam[-1]) and by_size[-2] <= 0.7 * lam[-1]:
                break
        cases.append((problem, theta, lam))
    return cases


def check_sharpness_from_gradients(answer=None):
    """``answer(grad, theta)``: the top Hessian eigenvalue of an unknown network loss at θ, to
    0.1 %, from at most ``GRADIENT_BUDGET`` calls of ``grad``."""

    def run():
        if is_stub(answer):
            raise NotSolved(_("your answer is still a placeholder"))
        for problem, theta, lam in _hidden_cases():
            grad = _GradientOracle(problem, theta)
            value = call_on_budget(
                answer, grad, theta.copy(),
                over_budget=_("more than {budget} gradient calls for d = {size}: "
                              "a Hessian-vector product costs two gradients, and power "
                              "iteration needs one product per iteration").format(
                                  budget=GRADIENT_BUDGET, size=theta.size))
            got = expect_number(value, what=_("the sharpness you returned"))
            top = lam[-1]
            if abs(got - top) <= 1e-3 * top:
                continue
            for factor, message in ((0.5, _("half the sharpness: divide a difference of two "
                                            "gradients by the distance between the two points "
                                            "(h for θ + h v and θ, 2h for θ ± h v)")),
                                    (2.0, _("twice the sharpness: the central difference "
                                            "over θ ± h v is divided by 2h, not h")),
                                    (2.0 / top ** 2, _("inverted: you returned the step "
                                                       "2/λ_max, not the sharpness λ_max")),
                                    (-1.0, _("the sign is flipped: the difference of "
                                             "gradients is ∇f(θ + h v) − ∇f(θ − h v), the "
                                             "later point first"))):
                if abs(got - top * factor) <= 1e-2 * abs(top * factor):
                    raise Wrong(message)
            if grad.at_origin:
                raise Wrong(_("∇f(v) − ∇f(0) measures the curvature near the origin, not "
                              "at θ, and only a quadratic has the same Hessian "
                              "everywhere: differentiate the gradient around θ"))
            if grad.farthest > 0.1 * (1.0 + np.linalg.norm(theta)):
                raise Wrong(_("you evaluated the gradient up to {farthest:.2g} away from θ: "
                              "∇f(θ + v) − ∇f(θ) equals H v only for a quadratic; take a small "
                              "step h along a unit v (normalise v at every iteration, or H v "
                              "grows and θ + h v with it) and divide by h").format(
                                  farthest=grad.farthest))
            if abs(got - lam[0]) <= 1e-3 * abs(lam[0]):
                raise Wrong(_("that is the smallest eigenvalue; the sharpness is the largest"))
            side = _("below") if got < top else _("above")
            raise Wrong(_("for d = {size} you returned {got:.5g}, {percent:.2g} % "
                          "{side} the top eigenvalue: has the power iteration "
                          "converged, and is the difference step small enough?").format(
                              size=theta.size, got=got, percent=100 * abs(got / top - 1),
                              side=side))

    return run_checks("check_sharpness_from_gradients", run)
