r"""Checkers for the exercises of the convergence-rates section (chapter 3, part 4).

Each ``check_<name>(answer)`` runs the answer on seeded inputs, compares it with the mathematics
and prints one verdict line (see ``_core``). A wrong answer is matched against the usual mistakes
(a wrong norm, a lost factor, a rounding direction, a squared rate, …) and the one that explains
*every* returned value is named.

- ``check_smoothness_constant(fn)``: fn(X, c, l2) = the smallest smoothness constant L of the
  weighted mean logistic loss Σᵢ cᵢ log(1 + e^{−mᵢ}) / Σᵢ cᵢ + (l2/2)‖θ₁:‖² on a design X (n, d)
  whose first column (all ones) carries an unpenalized intercept.
- ``check_linear_rate_steps(fn)``: fn(mu, L, gap0, eps) = the number of gradient-descent steps
  with η = 1/L after which the linear rate of the chapter guarantees f(x_k) − f* ≤ eps, from
  f(x_0) − f* = gap0.
"""

import math

import numpy as np

from ..i18n import N_, _
from ._core import NotSolved, Wrong, call_safely, expect_number, is_stub, run_checks

__all__ = ["check_smoothness_constant", "check_linear_rate_steps"]


def _stub_guard(answer):
    if is_stub(answer):
        raise NotSolved(_("your answer is still a placeholder"))


def _explain(got, known, same):
    """The message of the first known mistake that reproduces *every* answer, or None."""
    for mistake, message in known:
        if all(same(g, mistake(*case)) for case, g in got):
            return message
    return None


# --- the smoothness constant of weighted logistic regression -----------------------------------

def _designs():
    """Seeded (X, c, l2): X (n, d) with a first column of ones and correlated, off-centre
    features (so that the intercept direction matters and ‖X‖₂ differs from ‖X‖_F), positive
    sample weights c that do not sum to n, and an L2 weight."""
    rng = np.random.default_rng(20261201)
    cases = []
    for n, d, l2 in ((40, 3, 0.0), (25, 6, 0.1), (60, 4, 0.5), (10, 12, 0.02)):
        X = rng.normal(size=(n, d)) @ rng.normal(size=(d, d)) + rng.normal(size=d)
        X[:, 0] = 1.0
        c = rng.uniform(0.2, 3.0, size=n)
        cases.append((X, c, l2))
    return cases


def _penalty(d):
    return np.diag(np.r_[0.0, np.ones(d - 1)])  # the intercept θ₀ is not penalized


def _top(M):
    return float(np.linalg.eigvalsh((M + M.T) / 2)[-1])


def _gram(X, c, scale):
    return (X.T * c) @ X / scale


def _smoothness(X, c, l2):
    return _top(_gram(X, c, 4 * np.sum(c)) + l2 * _penalty(X.shape[1]))


_SMOOTHNESS_MISTAKES = [
    (lambda X, c, l2: _top(_gram(X, c, 4 * np.sum(c))) + l2,
     N_("a valid bound, but not the smallest: the intercept is not penalized, so the L2 term "
        "adds λ only off the intercept direction; take the top eigenvalue of the whole matrix")),
    (lambda X, c, l2: _top(_gram(X, np.ones(len(X)), 4 * len(X)) + l2 * _penalty(X.shape[1])),
     N_("the weights are missing: each row's curvature counts with its weight cᵢ/Σc")),
    (lambda X, c, l2: _top(_gram(X, c, 4 * len(X)) + l2 * _penalty(X.shape[1])),
     N_("wrong normalization: the loss divides by Σᵢ cᵢ, not by n")),
    (lambda X, c, l2: _top(_gram(X, c, 4.0) + l2 * _penalty(X.shape[1])),
     N_("the normalization is missing: the loss divides the weighted sum by Σᵢ cᵢ")),
    (lambda X, c, l2: _top(_gram(X, c, np.sum(c)) + l2 * _penalty(X.shape[1])),
     N_("off by a factor 4 in the data term: the curvature of "
        "log(1 + e^{−m}) is σ(m)σ(−m), at most 1/4, not 1")),
    (lambda X, c, l2: np.trace(_gram(X, c, 4 * np.sum(c)) + l2 * _penalty(X.shape[1])),
     N_("you used the trace (a Frobenius-type bound): the sum of all "
        "eigenvalues bounds the largest one but is far from it")),
    (lambda X, c, l2: _top(_gram(X, c, 4 * np.sum(c)) + l2 / 2 * _penalty(X.shape[1])),
     N_("the L2 term is halved: the Hessian of (λ/2)‖θ‖² is λ, not λ/2, in each penalized "
        "direction")),
    (lambda X, c, l2: _top(_gram(X, c, 4 * np.sum(c))),
     N_("the L2 term is missing: (λ/2)‖θ₁:‖² adds λ to the Hessian off the intercept")),
    (lambda X, c, l2: _top(_gram(X, np.ones(len(X)), 4 * len(X))) + l2,
     N_("that is the section's formula ‖X‖₂²/(4n) + λ unchanged: it "
        "ignores the weights cᵢ and penalizes the intercept")),
    (lambda X, c, l2: _top(_gram(X[:, 1:], c, 4 * np.sum(c)) + l2 * np.eye(X.shape[1] - 1)),
     N_("the intercept column was dropped: it is not penalized, but its curvature still counts")),
]


def check_smoothness_constant(answer=None):
    """``answer(X, c, l2)`` must return the smallest smoothness constant of the exercise's
    weighted logistic loss."""

    def run():
        _stub_guard(answer)
        got = [((X, c, l2), expect_number(call_safely(answer, X.copy(), c.copy(), l2),
                                          what=_("your L")))
               for X, c, l2 in _designs()]

        def same(a, b):
            return abs(a - b) <= 1e-8 * abs(b)

        if all(same(g, _smoothness(*case)) for case, g in got):
            return
        message = _explain(got, _SMOOTHNESS_MISTAKES, same)
        if message:
            raise Wrong(_(message))
        (X, c, l2), g = next((case, g) for case, g in got if not same(g, _smoothness(*case)))
        side = (_("below the top Hessian eigenvalue at θ = 0, so it is not an upper bound")
                if g < _smoothness(X, c, l2) else _("an upper bound, but not the smallest one"))
        raise Wrong(_("for X of shape {shape} and l2 = {l2} you "
                      "returned {g:.6g}, which is {side}").format(
                          shape=X.shape, l2=l2, g=g, side=side))

    return run_checks("check_smoothness_constant", run)


# --- steps guaranteed by the linear rate --------------------------------------------------------

def _steps(mu, L, gap0, eps):
    if gap0 <= eps:
        return 0
    return math.ceil(math.log(eps / gap0) / math.log1p(-mu / L))


def _real_steps(mu, L, gap0, eps):
    return math.log(eps / gap0) / math.log1p(-mu / L)


def _rate_cases():
    """(mu, L, gap0, eps) with the exact real step count at least 0.15 away from an integer, so
    that no rounding of the answer's arithmetic can move it; and one case already below eps."""
    rng = np.random.default_rng(20261202)
    cases = []
    while len(cases) < 5:
        L = float(rng.uniform(0.5, 20.0))
        mu = L / float(10 ** rng.uniform(0.3, 3.0))
        gap0 = float(10 ** rng.uniform(-2, 1))
        eps = float(10 ** rng.uniform(-12, -4))
        k = _real_steps(mu, L, gap0, eps)
        if 0.15 < k - math.floor(k) < 0.85:
            cases.append((mu, L, gap0, eps))
    cases.append((0.1, 2.0, 1e-9, 1e-6))
    return cases


_RATE_MISTAKES = [
    (lambda mu, L, gap0, eps: math.ceil(L / mu * math.log(gap0 / eps)) if gap0 > eps else 0,
     N_("enough steps, but not the fewest: (1 − μ/L)^k ≤ e^{−kμ/L} loses a "
        "little at every step; solve (1 − μ/L)^k · gap0 ≤ eps exactly")),
    (lambda mu, L, gap0, eps: math.floor(_real_steps(mu, L, gap0, eps)) if gap0 > eps else 0,
     N_("one step short: k must be an integer at least as large as the real solution, so "
        "round up")),
    (lambda mu, L, gap0, eps: (math.ceil(_real_steps(mu, L, gap0, eps) / 2)
                               if gap0 > eps else 0),
     N_("that is the count for the rate (1 − μ/L)^{2k}; the bound of "
        "the chapter contracts f − f* by (1 − μ/L) per step")),
    (lambda mu, L, gap0, eps: math.ceil(math.log(eps) / math.log1p(-mu / L)),
     N_("f(x₀) − f* is missing: the bound is (1 − μ/L)^k · (f(x₀) − f*), not (1 − μ/L)^k")),
    (lambda mu, L, gap0, eps: (math.ceil(math.log(eps / gap0) / math.log1p(-2 * mu / L))
                               if gap0 > eps else 0),
     N_("that is the count for a contraction 1 − 2μ/L per step; the bound "
        "of the chapter contracts f − f* by (1 − μ/L) per step")),
]


def check_linear_rate_steps(answer=None):
    """``answer(mu, L, gap0, eps)`` must return the step count the linear rate guarantees."""

    def run():
        _stub_guard(answer)
        got = []
        for case in _rate_cases():
            k = expect_number(call_safely(answer, *case), what=_("your step count"))
            if k != round(k):
                raise Wrong(_("a number of steps is an integer, got {k:g}").format(k=k))
            if k < 0:
                raise Wrong(_("a number of steps is never negative, got {k:g}: when "
                              "f(x₀) − f* is already ≤ eps, no step is needed").format(k=k))
            got.append((case, int(round(k))))

        def same(a, b):
            return a == b

        if all(g == _steps(*case) for case, g in got):
            return
        message = _explain(got, _RATE_MISTAKES, same)
        if message:
            raise Wrong(_(message))
        (mu, L, gap0, eps), g = next((c, g) for c, g in got if g != _steps(*c))
        reached = (1 - mu / L) ** g * gap0
        verdict = (_("the bound is not yet below eps") if reached > eps
                   else _("the bound is below eps already after fewer steps"))
        raise Wrong(_("for μ = {mu:.4g}, L = {L:.4g}, f(x₀) − f* = {gap0:.3g}, eps = "
                      "{eps:.3g} you returned {g}: after {g} steps {verdict}").format(
                          mu=mu, L=L, gap0=gap0, eps=eps, g=g, verdict=verdict))

    return run_checks("check_linear_rate_steps", run)
