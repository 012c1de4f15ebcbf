r"""Checkers for the exercises of chapter 3 (gradient descent).

Each ``check_<name>(answer)`` runs the answer on seeded random inputs, compares its *behaviour*
with the mathematics, and prints one verdict line (see ``_core``). When the answer is wrong, the
checker tries the usual mistakes (a factor 2, the wrong eigenvalue, a flipped sign, one step too
many, sampling with replacement, …) and names the one that explains what it saw.

- ``check_max_stable_lr(fn)``: fn(A) = the largest step for which gradient descent on ½xᵀAx
  converges.
- ``check_optimal_step(fn)``: fn(A) = (η*, ρ), the step with the smallest contraction factor and
  that factor.
- ``check_stable_lr_from_gradients(fn)``: fn(grad, d) estimates the largest stable step of an
  unknown quadratic from at most ``GRADIENT_BUDGET`` calls of its gradient ``grad``.
- ``check_lr_window(fn)``: fn(mu, L, steps, eps) = the interval of fixed steps η for which
  ``steps`` updates shrink ‖x − x*‖ by ``eps`` from every start (or None when it is empty).
- ``check_newton_stationary(fn)`` (part 3): fn(problem, x0, tol) = (x, kind), the stationary point
  pure Newton reaches from x0 and whether it is a minimum, a maximum or a saddle.
- ``check_damped_newton(fn)`` (part 3): fn(problem, x0, tol) = the iterates of Newton's method
  with a backtracking line search, which must decrease f at every step.
- ``check_linear_regression_gd(fn)``: fn(X, y, lr, steps) = θ after ``steps`` full-batch
  gradient-descent steps on the mean squared error from θ₀ = 0, shape (d,).
- ``check_minibatch_indices(fn)``: fn(n, batch_size, rng) = one epoch of minibatches: a list of
  index arrays of ``batch_size`` (the last may be smaller), drawn with ``rng``.
"""

import numpy as np

from ..i18n import N_, _
from ._core import (
    BudgetExceeded,
    NotSolved,
    Wrong,
    call_on_budget,
    call_safely,
    expect_array,
    expect_number,
    is_stub,
    run_checks,
)

__all__ = ["check_max_stable_lr", "check_optimal_step", "check_stable_lr_from_gradients",
           "check_lr_window", "check_newton_stationary", "check_damped_newton",
           "check_linear_regression_gd", "check_minibatch_indices", "random_spd",
           "GRADIENT_BUDGET"]


def random_spd(rng, d, kappa):
    """A random symmetric positive definite d×d matrix with eigenvalues spread over [L/κ, L]
    in random (non-axis-aligned) eigen-directions, L drawn from [0.5, 20]."""
    Q, _r = np.linalg.qr(rng.normal(size=(d, d)))
    L = rng.uniform(0.5, 20.0)
    lam = L * np.concatenate([[1.0 / kappa, 1.0], rng.uniform(1.0 / kappa, 1.0, d - 2)])
    A = (Q * lam) @ Q.T
    return (A + A.T) / 2


def _matrices():
    rng = np.random.default_rng(20260301)
    return [random_spd(rng, d, kappa) for d, kappa in ((2, 10.0), (3, 4.0), (5, 50.0), (2, 2.5))]


def _close(a, b, rtol=1e-6):
    return abs(a - b) <= rtol * abs(b)


def _stub_guard(answer):
    if is_stub(answer):
        raise NotSolved(_("your answer is still a placeholder"))


def _explain(got, known):
    """The message of the first known mistake that reproduces the answer on *every* matrix
    (a 2×2 trace equals L + μ, so one matrix alone cannot tell a trace from η*), or None."""
    for mistake, message in known:
        if all(_close(g, mistake(A)) for A, g in got):
            return message
    return None


def _eigs(A):
    lam = np.linalg.eigvalsh(A)
    return lam[0], lam[-1]


_STABLE_MISTAKES = [
    (lambda A: 1 / _eigs(A)[1],
     N_("off by a factor 2: 1/L is the fastest step in 1-D; the "
        "iteration x ← (1 − ηL)x still contracts up to η = 2/L")),
    (lambda A: 2 / _eigs(A)[0],
     N_("wrong eigenvalue: you used the smallest eigenvalue μ; the stiffest "
        "direction (largest eigenvalue L) is the first to blow up")),
    (lambda A: 2 / sum(_eigs(A)),
     N_("that is η* = 2/(L+μ), the best step, not the largest stable one")),
    (lambda A: 2 / np.max(np.diag(A)),
     N_("wrong eigenvalue: you used the largest diagonal entry of A; with "
        "rotated eigen-directions only the eigenvalues count")),
    (lambda A: 2 / np.trace(A),
     N_("wrong eigenvalue: the trace is the sum of all eigenvalues, a bound on L but not L "
        "itself")),
    (lambda A: _eigs(A)[1] / 2, N_("inverted: the step is 2/L, not L/2")),
]


def _first_wrong(got, truth, known):
    """The first (A, answer) pair that misses ``truth(A)``, or None when all are right.

    When the answers fit one of the ``known`` mistakes, that mistake is raised by name instead.
    """
    wrong = [(A, g) for A, g in got if not _close(g, truth(A))]
    if not wrong:
        return None
    message = _explain(got, known)
    if message:
        raise Wrong(_(message))
    return wrong[0]


def check_max_stable_lr(answer=None):
    """``answer(A)`` must return the largest stable fixed step for symmetric positive definite A."""

    def run():
        _stub_guard(answer)
        got = [(A, expect_number(call_safely(answer, A.copy()), what=_("the step you returned")))
               for A in _matrices()]
        wrong = _first_wrong(got, lambda A: 2 / _eigs(A)[1], _STABLE_MISTAKES)
        if wrong is None:
            return
        A, g = wrong
        L = _eigs(A)[1]
        effect = _("diverges") if g > 2 / L else _("converges, but larger steps are still stable")
        raise Wrong(_("for a matrix with L = {L:.4g} you returned {g:.4g}; "
                      "gradient descent with that step {effect}").format(L=L, g=g, effect=effect))

    return run_checks("check_max_stable_lr", run)


def _rho(A):
    mu, L = _eigs(A)
    return (L / mu - 1) / (L / mu + 1)


_ETA_MISTAKES = [
    (lambda A: 1 / _eigs(A)[1],
     N_("η* wrong: 1/L is optimal only when μ = L; the best fixed step balances "
        "the slowest and the stiffest direction, |1 − ημ| = |1 − ηL|")),
    (lambda A: 1 / sum(_eigs(A)),
     N_("η* off by a factor 2: balancing 1 − ημ = −(1 − ηL) gives 2/(L+μ)")),
    (lambda A: 2 / _eigs(A)[1],
     N_("η* wrong: 2/L is the stability limit, where the L-direction stops contracting (rate 1)")),
    (lambda A: 2 / (_eigs(A)[1] - _eigs(A)[0]),
     N_("η* sign error: 1 − ημ = −(1 − ηL) gives 2/(L+μ), not 2/(L−μ)")),
]

_RATE_MISTAKES = [
    (lambda A: 1 / _rho(A),
     N_("rate inverted: a contraction factor is below 1; it is (κ−1)/(κ+1)")),
    (lambda A: _rho(A) ** 2,
     N_("rate squared: (κ−1)²/(κ+1)² is the factor of f − f*; "
        "the question asks for the distance ‖x − x*‖")),
    (lambda A: 1 - _eigs(A)[0] / _eigs(A)[1],
     N_("rate of the step η = 1/L (1 − 1/κ), not of η* ((κ−1)/(κ+1))")),
]


def check_optimal_step(answer=None):
    """``answer(A)`` must return ``(eta_star, rate)``: the best fixed step and its contraction."""

    def run():
        _stub_guard(answer)
        etas, rates = [], []
        for A in _matrices():
            value = call_safely(answer, A.copy())
            if is_stub(value):
                raise NotSolved(_("your function returns a placeholder"))
            if not isinstance(value, (tuple, list)) or len(value) != 2:
                raise Wrong(_("return a pair (eta_star, rate), got {type}").format(
                    type=type(value).__name__))
            etas.append((A, expect_number(value[0], what="eta_star")))
            rates.append((A, expect_number(value[1], what="rate")))
        for got, truth, known, what in ((etas, lambda A: 2 / sum(_eigs(A)), _ETA_MISTAKES, "η*"),
                                        (rates, _rho, _RATE_MISTAKES, "rate")):
            wrong = _first_wrong(got, truth, known)
            if wrong is None:
                continue
            A, g = wrong
            mu, L = _eigs(A)
            raise Wrong(_("{what} = {g:.4g} for L = {L:.4g}, μ = "
                          "{mu:.4g}: expected {truth:.4g}").format(
                              what=what, g=g, L=L, mu=mu, truth=truth(A)))

    return run_checks("check_optimal_step", run)


def _reference_gd(X, y, lr, steps, *, sign=1.0, factor=1.0):
    """θ after ``steps`` updates θ ← θ − sign·η·factor·(2/n) Xᵀ(Xθ − y), θ₀ = 0."""
    n, d = X.shape
    theta = np.zeros(d)
    for _k in range(max(steps, 0)):
        theta = theta - sign * lr * factor * (2.0 / n) * X.T @ (X @ theta - y)
    return theta


def _regression_cases():
    rng = np.random.default_rng(20260302)
    cases = []
    for n, d, steps in ((100, 2, 10), (37, 3, 7), (100, 2, 25)):
        X = np.column_stack([np.ones(n), rng.uniform(0, 2, size=(n, d - 1))])
        y = X @ rng.normal(2, 1, size=d) + 0.3 * rng.normal(size=n)
        H = (2.0 / n) * X.T @ X
        lr = 0.5 / np.linalg.eigvalsh(H)[-1]
        cases.append((X, y, lr, steps))
    return cases


def check_linear_regression_gd(answer=None):
    """``answer(X, y, lr, steps)`` must return θ (d,) after ``steps`` full-batch GD steps on the
    MSE loss, starting from θ = 0."""

    def run():
        _stub_guard(answer)
        for X, y, lr, steps in _regression_cases():
            n, d = X.shape
            value = call_safely(answer, X.copy(), y.copy(), lr, steps)
            theta = expect_array(value, what="θ")
            expected = _reference_gd(X, y, lr, steps)
            if theta.shape != (d,):
                hint = ""
                if theta.size == d and np.allclose(theta.ravel(), expected, rtol=1e-7,
                                                   atol=1e-10):
                    hint = _(" — the values are right: return theta.ravel()")
                elif theta.ndim == 2 and theta.shape[0] == n:
                    hint = _(" — θ became one number per sample: (n, 1) arrays such as "
                             "2*(y_pred − y)*X broadcast instead of summing; use X.T @ residual")
                elif theta.ndim == 2:
                    hint = _(" — a (100,)/(100, 1) mix broadcast into a matrix; keep y of shape "
                             "(n,)")
                raise Wrong(_("shape {got} where {want} was expected{hint}").format(
                    got=theta.shape, want=(d,), hint=hint))
            if np.allclose(theta, expected, rtol=1e-7, atol=1e-10):
                continue

            # The specific mistakes first: a wrong factor can diverge too, and would otherwise
            # be reported as a wrong sign by the uphill test below.
            if np.allclose(theta, _reference_gd(X, y, lr, steps, factor=-1.0), rtol=1e-7,
                           atol=1e-10):
                raise Wrong(_("wrong sign: that is gradient ascent (θ "
                              "− η·Xᵀ(y − ŷ) adds the gradient)"))
            for k in (steps - 1, steps + 1, steps - 2, steps + 2):
                if np.allclose(theta, _reference_gd(X, y, lr, k), rtol=1e-7, atol=1e-10):
                    raise Wrong(_("off-by-one: your θ is what {k} steps "
                                  "give, but {steps} steps were asked").format(k=k, steps=steps))
            for c, what in ((0.5, _("½ (MSE without the ½ has gradient (2/n)Xᵀr)")),
                            (2.0, "2"), (1.0 / n, _("1/n (divide by n once)")),
                            (float(n), _("n (the mean needs 1/n)")),
                            (0.5 / n, "1/(2n)"), (0.5 * n, "n/2")):
                if np.allclose(theta, _reference_gd(X, y, lr, steps, factor=c), rtol=1e-7,
                               atol=1e-10):
                    raise Wrong(_("factor: your gradient is off by a factor {what}").format(
                        what=what))
            if np.mean((X @ theta - y) ** 2) > np.mean(y**2):  # f(θ) > f(0): it went uphill
                raise Wrong(_("f increased after the steps: check the sign of "
                              "the gradient and the size of the step"))
            raise Wrong(_("after {steps} steps θ should "
                          "be {expected}, got {theta}").format(
                              steps=steps, expected=np.array2string(expected, precision=4),
                              theta=np.array2string(theta, precision=4)))

    return run_checks("check_linear_regression_gd", run)


def _as_batches(value, n):
    if is_stub(value):
        raise NotSolved(_("your function returns a placeholder"))
    if isinstance(value, np.ndarray) and value.ndim == 2:
        value = list(value)
    if not isinstance(value, (list, tuple)) or not value:
        raise Wrong(_("return a list of index arrays (one "
                      "per minibatch), got {type}").format(type=type(value).__name__))
    batches = []
    for b in value:
        arr = np.asarray(b)
        if arr.ndim != 1 or arr.size == 0:
            raise Wrong(_("each minibatch must be a non-empty 1-D "
                          "index array, got shape {shape}").format(shape=arr.shape))
        if not np.issubdtype(arr.dtype, np.integer):
            if np.issubdtype(arr.dtype, np.floating) and np.all(arr == np.round(arr)):
                arr = arr.astype(int)
            else:
                raise Wrong(_("indices must be integers, got dtype {dtype}").format(
                    dtype=arr.dtype))
        batches.append(arr)
    return batches


def check_minibatch_indices(answer=None):
    """``answer(n, batch_size, rng)``: one epoch of minibatch indices, without replacement."""

    def run():
        _stub_guard(answer)
        for n, bs in ((100, 10), (103, 16), (7, 3), (5, 8), (50, 1)):
            batches = _as_batches(call_safely(answer, n, bs, np.random.default_rng(n + bs)), n)
            order = np.concatenate(batches)
            if order.min() < 0 or order.max() >= n:
                raise Wrong(_("off-by-one: index {index} "
                              "is outside 0..{last}").format(
                                  index=order.max() if order.max() >= n else order.min(),
                                  last=n - 1))
            counts = np.bincount(order, minlength=n)
            if np.any(counts > 1):
                raise Wrong(_("samples repeated within an epoch (e.g. index "
                              "{argmax} appears {max} times): sample without "
                              "replacement, i.e. cut a permutation").format(
                                  argmax=int(np.argmax(counts > 1)), max=int(counts.max())))
            missing = np.flatnonzero(counts == 0)
            if missing.size:
                if missing.size == n % bs and len(batches) == n // bs:
                    raise Wrong(_("samples dropped: the last, smaller batch of {size} is "
                                  "missing; every sample must be seen once per epoch").format(
                                      size=n % bs))
                raise Wrong(_("off-by-one: {size} sample(s) never drawn (e.g. index "
                              "{missing0}); every index 0..{last} must appear once").format(
                                  size=missing.size, missing0=int(missing[0]), last=n - 1))
            sizes = [len(b) for b in batches]
            if any(s != bs for s in sizes[:-1]) or sizes[-1] > bs:
                raise Wrong(_("batch size: batches of sizes {sizes}… where {bs} "
                              "was asked (only the last may be smaller)").format(
                                  sizes=sizes[:6], bs=bs))
            if n >= 50 and np.array_equal(order, np.arange(n)):
                raise Wrong(_("not shuffled: the epoch visits samples in the order 0, "
                              "1, 2, …; draw a random permutation with rng"))
        rng = np.random.default_rng(7)
        first = np.concatenate(_as_batches(call_safely(answer, 100, 10, rng), 100))
        second = np.concatenate(_as_batches(call_safely(answer, 100, 10, rng), 100))
        again = np.concatenate(_as_batches(
            call_safely(answer, 100, 10, np.random.default_rng(7)), 100))
        other = np.concatenate(_as_batches(
            call_safely(answer, 100, 10, np.random.default_rng(8)), 100))
        if np.array_equal(first, second) or np.array_equal(first, other):
            raise Wrong(_("ignores the rng argument: every epoch has the same order; use "
                          "rng.permutation(n) so each epoch is a fresh shuffle"))
        if not np.array_equal(first, again):
            raise Wrong(_("not reproducible: the same seed gave two different "
                          "epochs; draw randomness only from the rng argument"))

    return run_checks("check_minibatch_indices", run)


# --- the largest stable step, from gradient calls only ----------------------------------------

GRADIENT_BUDGET = 100


class _GradientOracle:
    """∇f(x) = Ax − b of a hidden quadratic, counting calls; refuses anything but one (d,) x."""

    def __init__(self, A, b):
        self._A, self._b, self.calls = A, b, 0

    def __call__(self, x):
        x = np.asarray(x, dtype=float)
        if x.shape != self._b.shape:
            raise ValueError(_("grad takes one point of shape {want}, got {got}").format(
                want=self._b.shape, got=x.shape))
        self.calls += 1
        if self.calls > GRADIENT_BUDGET:
            raise BudgetExceeded
        return self._A @ x - self._b


def _hidden_quadratics():
    rng = np.random.default_rng(20260303)
    cases = []
    for d, L, gap in ((200, 3.0, 0.8), (300, 0.02, 0.7), (150, 250.0, 0.75)):
        Q, _r = np.linalg.qr(rng.normal(size=(d, d)))
        lam = np.concatenate([[L], L * rng.uniform(1e-3, gap, d - 1)])
        A = (Q * lam) @ Q.T
        cases.append(((A + A.T) / 2, rng.normal(size=d), L))
    return cases


def check_stable_lr_from_gradients(answer=None):
    """``answer(grad, d)``: the largest stable step of an unknown quadratic on ℝᵈ, to 0.1 %,
    from at most ``GRADIENT_BUDGET`` calls of ``grad``."""

    def run():
        _stub_guard(answer)
        for A, b, L in _hidden_quadratics():
            d = len(b)
            grad = _GradientOracle(A, b)
            value = call_on_budget(
                answer, grad, d,
                over_budget=_("more than {budget} gradient calls for d = {d}: rebuilding the "
                              "matrix column by column costs d calls; find another way").format(
                                  budget=GRADIENT_BUDGET, d=d))
            eta = expect_number(value, what=_("the step you returned"))
            truth = 2 / L
            if _close(eta, truth, 1e-3):
                continue
            for factor, message in ((0.5, _("off by a factor 2: you returned 1/L; gradient "
                                            "descent on ½xᵀAx still contracts up to 2/L")),
                                    (L * L / 2, _("inverted: you returned an "
                                                  "estimate of L, not of the step 2/L")),
                                    (L / 2 * L / 2, _("inverted: you returned L/2, not 2/L"))):
                if _close(eta, truth * factor, 1e-2):
                    raise Wrong(message)
            if _close(eta, 2 / np.linalg.norm(b), 0.05) or eta < 0:
                raise Wrong(_("the gradient of ½xᵀAx − bᵀx at x is Ax − b, not Ax: a "
                              "product with A is a difference of two gradients"))
            effect = (_("diverges: the estimate of the largest curvature is too small")
                      if eta > truth
                      else _("is stable, but the step is smaller than necessary: the "
                             "estimate of the largest curvature has not converged"))
            raise Wrong(_("for d = {d} you returned η = {eta:.5g}, {percent:.2g} % "
                          "off; gradient descent with that step {effect}").format(
                              d=d, eta=eta, percent=100 * abs(eta / truth - 1), effect=effect))

    return run_checks("check_stable_lr_from_gradients", run)


# --- the window of steps that meet a budget ----------------------------------------------------

def _window(mu, L, steps, eps):
    r = eps ** (1.0 / steps)
    lo, hi = (1 - r) / mu, (1 + r) / L
    return (lo, hi) if lo <= hi else None


_WINDOW_CASES = [(0.1, 1.0, 100, 1e-6), (0.5, 2.0, 20, 1e-3), (1.0, 1.0, 5, 1e-2),
                 (0.01, 1.0, 300, 1e-3), (0.01, 1.0, 1000, 1e-3), (2.0, 50.0, 200, 1e-4),
                 (0.1, 1.0, 50, 1e-6)]

_WINDOW_MISTAKES = [
    (lambda mu, L, k, e: _window(mu, L, 2 * k, e),
     N_("squared: (ρ²)ᵏ ≤ ε is the condition for f − f*; the question asks for the distance")),
    (lambda mu, L, k, e: (lambda r: ((1 - r) / L, (1 + r) / mu))(e ** (1 / k)),
     N_("the window is too wide: the slow direction (μ) bounds "
        "η from below, the stiff one (L) from above")),
    (lambda mu, L, k, e: (lambda r: ((1 - r) / mu, (1 + r) / L))(e ** (1 / k)),
     N_("the window can be empty: when the lower end exceeds the "
        "upper one no fixed step is fast enough; return None")),
    (lambda mu, L, k, e: (lambda r: ((1 - r) / mu, (1 + r) / L) if (1 - r) / mu <= (1 + r) / L
                          else None)(1 - e / k),
     N_("ρᵏ ≤ ε means ρ ≤ ε^(1/k), not ρ ≤ 1 − ε/k")),
]


def _same_window(got, truth):
    if truth is None or got is None:
        return got is None and truth is None
    return _close(got[0], truth[0]) and _close(got[1], truth[1])


def _as_window(value):
    if value is None:
        return None
    if not isinstance(value, (tuple, list, np.ndarray)) or len(value) != 2:
        raise Wrong(_("return a pair (low, high) or None, got {type}").format(
            type=type(value).__name__))
    return (expect_number(value[0], what="low"), expect_number(value[1], what="high"))


def check_lr_window(answer=None):
    """``answer(mu, L, steps, eps)``: the interval (low, high) of fixed steps η for which
    ``steps`` updates shrink ‖x − x*‖ by a factor ``eps`` from every start, or None."""

    def run():
        _stub_guard(answer)
        got = []
        for case in _WINDOW_CASES:
            value = call_safely(answer, *case)
            if value is Ellipsis:
                raise NotSolved(_("your function returns a placeholder"))
            got.append((case, _as_window(value)))
        if all(_same_window(g, _window(*c)) for c, g in got):
            return
        for mistake, message in _WINDOW_MISTAKES:
            if all(_same_window(g, mistake(*c)) for c, g in got):
                raise Wrong(_(message))
        for (mu, L, k, e), g in got:
            truth = _window(mu, L, k, e)
            if _same_window(g, truth):
                continue
            if truth is None:
                raise Wrong(_("for μ = {mu}, L = {L}, {k} steps, ε = {e:g} no fixed "
                              "step is fast enough, but you returned {g}").format(
                                  mu=mu, L=L, k=k, e=e, g=g))
            if g is None:
                raise Wrong(_("for μ = {mu}, L = {L}, {k} steps, ε = {e:g} some "
                              "steps are fast enough, but you returned None").format(
                                  mu=mu, L=L, k=k, e=e))
            worst = max(abs(1 - g[0] * mu), abs(1 - g[0] * L), abs(1 - g[1] * mu),
                        abs(1 - g[1] * L)) ** k
            raise Wrong(_("for μ = {mu}, L = {L}, {k} steps, ε = {e:g} you "
                          "returned ({g0:.5g}, {g1:.5g}); at its ends the worst "
                          "start shrinks by {worst:.3g}, not by ε").format(
                              mu=mu, L=L, k=k, e=e, g0=g[0], g1=g[1], worst=worst))

    return run_checks("check_lr_window", run)


# --- part 3: Newton's method ------------------------------------------------------------------

def _well():
    from ..functions import Problem

    return Problem("tilted double well", 1,
                   f=lambda x: x[..., 0] ** 4 - 3 * x[..., 0] ** 2 + x[..., 0],
                   grad=lambda x: 4 * x ** 3 - 6 * x + 1,
                   hess=lambda x: (12 * x ** 2 - 6)[..., None],
                   bounds=[(-2.2, 2.2)])


def _newton_problems():
    from ..functions import himmelblau, quadratic, rosenbrock, saddle

    # A saddle whose Hessian diagonal is positive: only its eigenvalues (−2, 6) tell.
    rotated = quadratic(np.array([[2.0, -4.0], [-4.0, 2.0]]))
    return {"well": _well(), "himmelblau": himmelblau(), "saddle": saddle(),
            "rosenbrock": rosenbrock(), "rotated saddle": rotated}


def _hess(problem, x):
    return np.atleast_2d(problem.hess(x))


def _kind(problem, x):
    lam = np.linalg.eigvalsh(_hess(problem, x))
    if np.all(lam > 0):
        return "minimum"
    if np.all(lam < 0):
        return "maximum"
    return "saddle"


def _pure_newton(problem, x0, tol, max_steps=100):
    x = np.asarray(x0, dtype=float)
    for _k in range(max_steps):
        g = problem.grad(x)
        if np.linalg.norm(g) <= tol:
            break
        x = x - np.linalg.solve(_hess(problem, x), g)
    return x


_STATIONARY_CASES = [("well", [0.3]), ("well", [-2.0]), ("well", [1.6]), ("well", [0.05]),
                     ("himmelblau", [0.0, 0.0]), ("himmelblau", [0.5, 3.0]),
                     ("himmelblau", [2.5, 2.5]), ("himmelblau", [-3.0, 0.5]),
                     ("saddle", [1.0, 0.7]),
                     # f'' < 0 at the start, yet Newton lands on a minimum: the kind is read
                     # at the end point, not at x0
                     ("well", [0.65]), ("rotated saddle", [1.0, 0.5])]


class _StudentProblem:
    """What an answer is handed: f, grad, hess, dim, name, bounds, never the problem's known
    stationary points (``minimizers``, ``saddles``, ``f_min``) that the answer must find."""

    def __init__(self, problem):
        self.f, self.grad, self.hess = problem.f, problem.grad, problem.hess
        self.dim, self.name, self.bounds = problem.dim, problem.name, problem.bounds

    def __call__(self, x):
        return self.f(x)

    def __repr__(self):
        return f"<Problem {self.name} (d={self.dim})>"


def _newton_answers(answer, cases, tol):
    """(problem, x0, answer's value, description) for each (problem name, x0) case."""
    problems = _newton_problems()
    for name, x0 in cases:
        problem, x0 = problems[name], np.array(x0, dtype=float)
        value = call_safely(answer, _StudentProblem(problem), x0.copy(), tol)
        yield problem, x0, value, _("{name} from x0 = {x0}").format(
            name=name, x0=np.array2string(x0, precision=2))


def check_newton_stationary(answer=None):
    """``answer(problem, x0, tol)`` must return ``(x, kind)``: where pure Newton from ``x0``
    stops (‖∇f‖ ≤ tol) and ``kind`` ∈ {"minimum", "maximum", "saddle"}."""

    def run():
        _stub_guard(answer)
        tol = 1e-10
        for problem, x0, value, start in _newton_answers(answer, _STATIONARY_CASES, tol):
            if is_stub(value):
                raise NotSolved(_("your function returns a placeholder"))
            if not isinstance(value, (tuple, list)) or len(value) != 2:
                raise Wrong(_("return a pair (x, kind), got {type}").format(
                    type=type(value).__name__))
            x = expect_array(value[0], (problem.dim,), what="x")
            kind = value[1]
            truth = _pure_newton(problem, x0, tol)
            if not np.allclose(x, truth, atol=1e-6):
                if np.linalg.norm(problem.grad(x)) <= 1e-6 and _kind(problem, x) == "minimum":
                    raise Wrong(_("{start}: you returned a minimum, but Newton's iteration goes to "
                                  "the stationary point its quadratic model points at, which here "
                                  "is not a minimum: did you descend instead?").format(start=start))
                raise Wrong(_("{start}: you returned x = {x}; "
                              "Newton's iteration stops elsewhere").format(
                                  start=start, x=np.array2string(x, precision=4)))
            if kind not in ("minimum", "maximum", "saddle"):
                raise Wrong(_("kind must be 'minimum', 'maximum' or 'saddle', got {kind!r}").format(
                    kind=kind))
            if kind != _kind(problem, truth):
                raise Wrong(_("{start}: the point is right but it is a {found}, not a "
                              "{kind}: look at the signs of all Hessian eigenvalues").format(
                                  start=start, found=_kind(problem, truth), kind=kind))

    return run_checks("check_newton_stationary", run)


_DAMPED_CASES = [("rosenbrock", [-1.2, 1.0]), ("rosenbrock", [0.0, 2.0]),
                 ("himmelblau", [0.0, 0.0]), ("himmelblau", [-0.3, -0.9]),
                 ("well", [0.3]), ("well", [0.1])]
_DAMPED_MAX_STEPS = 100


def check_damped_newton(answer=None):
    """``answer(problem, x0, tol)`` must return the iterates (k + 1, d) of a damped Newton
    method that lowers f at every step and stops at a minimum with ‖∇f‖ ≤ tol."""

    def run():
        _stub_guard(answer)
        tol = 1e-6
        for problem, x0, value, start in _newton_answers(answer, _DAMPED_CASES, tol):
            xs = expect_array(value, what=_("the iterates"))
            if xs.ndim != 2 or xs.shape[1] != problem.dim:
                raise Wrong(_("return the iterates as an array of shape "
                              "(k + 1, {dim}), got shape {shape}").format(
                                  dim=problem.dim, shape=xs.shape))
            if not np.allclose(xs[0], x0):
                raise Wrong(_("{start}: the first row must be the start point").format(start=start))
            f = np.array([float(problem.f(x)) for x in xs])
            rose = np.flatnonzero(f[1:] > f[:-1] + 1e-12 * np.abs(f[:-1]))
            if rose.size:
                k = int(rose[0])
                raise Wrong(_("{start}: f rose at step {step} ({before:.4g} → {after:.4g}): a "
                              "full Newton step can overshoot; shrink it until f decreases "
                              "enough").format(
                                  start=start, step=k + 1, before=f[k], after=f[k + 1]))
            if len(xs) - 1 > _DAMPED_MAX_STEPS:
                raise Wrong(_("{start}: {steps} steps; Newton's method with a line "
                              "search needs far fewer than {most} "
                              "here — are you taking gradient steps?").format(
                                  start=start, steps=len(xs) - 1,
                                  most=_DAMPED_MAX_STEPS))
            gnorm = np.linalg.norm(problem.grad(xs[-1]))
            if gnorm > tol:
                stuck = any(_kind(problem, x) != "minimum" for x in xs[-3:])
                hint = (_(": stuck where the Hessian is not positive definite, "
                          "so the Newton direction need not point downhill — "
                          "use another descent direction there") if stuck else "")
                raise Wrong(_("{start}: stopped with ‖∇f‖ = {gnorm:.2g} "
                              "> tol after {steps} steps{hint}").format(
                                  start=start, gnorm=gnorm, steps=len(xs) - 1, hint=hint))
            if _kind(problem, xs[-1]) != "minimum":
                raise Wrong(_("{start}: stopped at a {found}, not a minimum: "
                              "where the Hessian is not positive definite the "
                              "Newton direction need not point downhill").format(
                                  start=start, found=_kind(problem, xs[-1])))
            # near the minimum the full Newton step must be taken: the last step is Newton's
            x, prev = xs[-1], xs[-2] if len(xs) > 1 else None
            if prev is not None and np.linalg.norm(problem.grad(prev)) < 1e-3:
                newton = prev - np.linalg.solve(_hess(problem, prev), problem.grad(prev))
                if not np.allclose(x, newton, rtol=1e-8, atol=1e-12):
                    raise Wrong(_("{start}: the last step is not the full Newton "
                                  "step; try the full step first and shrink it "
                                  "only when f does not decrease enough").format(start=start))

    return run_checks("check_damped_newton", run)
