r"""Checkers for the exercises of chapter 3 (gradient descent).

Each ``check_<name>(answer)`` runs the answer on seeded random inputs, compares its *behaviour*
with the mathematics, and prints one verdict line (see ``_core``). When the answer is wrong, the
checker tries the usual mistakes (a factor 2, the wrong eigenvalue, a flipped sign, one step too
many, sampling with replacement, …) and names the one that explains what it saw.

- ``check_max_stable_lr(fn)``: fn(A) = 2/L, L = λ_max(A), the largest step for which gradient
  descent on ½xᵀAx converges (every |1 − ηλᵢ| < 1).
- ``check_optimal_step(fn)``: fn(A) = (η*, ρ) with η* = 2/(L+μ) and ρ = (κ−1)/(κ+1).
- ``check_linear_regression_gd(fn)``: fn(X, y, lr, steps) = θ after ``steps`` updates
  θ ← θ − η (2/n) Xᵀ(Xθ − y) from θ₀ = 0, shape (d,).
- ``check_minibatch_indices(fn)``: fn(n, batch_size, rng) = one epoch of minibatches: a list of
  index arrays, a fresh random permutation of 0..n−1 cut into batches of ``batch_size``.
"""

import numpy as np

from ._core import NotSolved, Wrong, call_safely, expect_array, expect_number, is_stub, run_checks

__all__ = ["check_max_stable_lr", "check_optimal_step", "check_linear_regression_gd",
           "check_minibatch_indices", "random_spd"]


def random_spd(rng, d, kappa):
    """A random symmetric positive definite d×d matrix with eigenvalues spread over [L/κ, L]
    in random (non-axis-aligned) eigen-directions, L drawn from [0.5, 20]."""
    Q, _ = np.linalg.qr(rng.normal(size=(d, d)))
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
        raise NotSolved("your answer is still a placeholder")


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
     "off by a factor 2: 1/L is the fastest step in 1-D; the iteration x ← (1 − ηL)x still "
     "contracts up to η = 2/L"),
    (lambda A: 2 / _eigs(A)[0],
     "wrong eigenvalue: you used the smallest eigenvalue μ; the stiffest direction (largest "
     "eigenvalue L) is the first to blow up"),
    (lambda A: 2 / sum(_eigs(A)),
     "that is η* = 2/(L+μ), the best step, not the largest stable one"),
    (lambda A: 2 / np.max(np.diag(A)),
     "wrong eigenvalue: you used the largest diagonal entry of A; with rotated eigen-directions "
     "only the eigenvalues count"),
    (lambda A: 2 / np.trace(A),
     "wrong eigenvalue: the trace is the sum of all eigenvalues, a bound on L but not L itself"),
    (lambda A: _eigs(A)[1] / 2, "inverted: the step is 2/L, not L/2"),
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
        raise Wrong(message)
    return wrong[0]


def check_max_stable_lr(answer=None):
    """``answer(A)`` must return 2/λ_max(A) for symmetric positive definite A."""

    def run():
        _stub_guard(answer)
        got = [(A, expect_number(call_safely(answer, A.copy()), what="the step you returned"))
               for A in _matrices()]
        wrong = _first_wrong(got, lambda A: 2 / _eigs(A)[1], _STABLE_MISTAKES)
        if wrong is None:
            return
        A, g = wrong
        L = _eigs(A)[1]
        effect = "diverges" if g > 2 / L else "converges, but larger steps are still stable"
        raise Wrong(f"for a matrix with L = {L:.4g} you returned {g:.4g}; gradient descent with "
                    f"that step {effect}")

    return run_checks("check_max_stable_lr", run)


def _rho(A):
    mu, L = _eigs(A)
    return (L / mu - 1) / (L / mu + 1)


_ETA_MISTAKES = [
    (lambda A: 1 / _eigs(A)[1],
     "η* wrong: 1/L is optimal only when μ = L; the best fixed step balances the slowest and the "
     "stiffest direction, |1 − ημ| = |1 − ηL|"),
    (lambda A: 1 / sum(_eigs(A)),
     "η* off by a factor 2: balancing 1 − ημ = −(1 − ηL) gives 2/(L+μ)"),
    (lambda A: 2 / _eigs(A)[1],
     "η* wrong: 2/L is the stability limit, where the L-direction stops contracting (rate 1)"),
    (lambda A: 2 / (_eigs(A)[1] - _eigs(A)[0]),
     "η* sign error: 1 − ημ = −(1 − ηL) gives 2/(L+μ), not 2/(L−μ)"),
]

_RATE_MISTAKES = [
    (lambda A: 1 / _rho(A),
     "rate inverted: a contraction factor is below 1; it is (κ−1)/(κ+1)"),
    (lambda A: _rho(A) ** 2,
     "rate squared: (κ−1)²/(κ+1)² is the factor of f − f*; the question asks for the distance "
     "‖x − x*‖"),
    (lambda A: 1 - _eigs(A)[0] / _eigs(A)[1],
     "rate of the step η = 1/L (1 − 1/κ), not of η* ((κ−1)/(κ+1))"),
]


def check_optimal_step(answer=None):
    """``answer(A)`` must return ``(eta_star, rate)`` = (2/(L+μ), (κ−1)/(κ+1))."""

    def run():
        _stub_guard(answer)
        etas, rates = [], []
        for A in _matrices():
            value = call_safely(answer, A.copy())
            if is_stub(value):
                raise NotSolved("your function returns a placeholder")
            if not isinstance(value, (tuple, list)) or len(value) != 2:
                raise Wrong(f"return a pair (eta_star, rate), got {type(value).__name__}")
            etas.append((A, expect_number(value[0], what="eta_star")))
            rates.append((A, expect_number(value[1], what="rate")))
        for got, truth, known, what in ((etas, lambda A: 2 / sum(_eigs(A)), _ETA_MISTAKES, "η*"),
                                        (rates, _rho, _RATE_MISTAKES, "rate")):
            wrong = _first_wrong(got, truth, known)
            if wrong is None:
                continue
            A, g = wrong
            mu, L = _eigs(A)
            raise Wrong(f"{what} = {g:.4g} for L = {L:.4g}, μ = {mu:.4g}: expected "
                        f"{truth(A):.4g}")

    return run_checks("check_optimal_step", run)


def _reference_gd(X, y, lr, steps, *, sign=1.0, factor=1.0):
    """θ after ``steps`` updates θ ← θ − sign·η·factor·(2/n) Xᵀ(Xθ − y), θ₀ = 0."""
    n, d = X.shape
    theta = np.zeros(d)
    for _ in range(max(steps, 0)):
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
            if theta.shape != (d,):
                hint = ""
                if theta.ndim == 2 and theta.shape[0] == n:
                    hint = (" — θ became one number per sample: (n, 1) arrays such as "
                            "2*(y_pred − y)*X broadcast instead of summing; use X.T @ residual")
                elif theta.ndim == 2:
                    hint = " — a (100,)/(100, 1) mix broadcast into a matrix; keep y of shape (n,)"
                raise Wrong(f"shape {theta.shape} where {(d,)} was expected{hint}")
            expected = _reference_gd(X, y, lr, steps)
            if np.allclose(theta, expected, rtol=1e-7, atol=1e-10):
                continue

            if np.mean((X @ theta - y) ** 2) > np.mean(y**2):  # f(θ) > f(0): it went uphill
                raise Wrong("wrong sign: f increased after a step — that is gradient ascent "
                            "(θ − η·Xᵀ(y − ŷ) adds the gradient)")
            for k in (steps - 1, steps + 1, steps - 2, steps + 2):
                if np.allclose(theta, _reference_gd(X, y, lr, k), rtol=1e-7, atol=1e-10):
                    raise Wrong(f"off-by-one: your θ is what {k} steps give, but {steps} steps "
                                "were asked")
            for c, what in ((0.5, "½ (MSE without the ½ has gradient (2/n)Xᵀr)"),
                            (2.0, "2"), (1.0 / n, "1/n (divide by n once)"),
                            (float(n), "n (the mean needs 1/n)"),
                            (0.5 / n, "1/(2n)"), (0.5 * n, "n/2")):
                if np.allclose(theta, _reference_gd(X, y, lr, steps, factor=c), rtol=1e-7,
                               atol=1e-10):
                    raise Wrong(f"factor: your gradient is off by a factor {what}")
            raise Wrong(f"after {steps} steps θ should be {np.array2string(expected, precision=4)}"
                        f", got {np.array2string(theta, precision=4)}")

    return run_checks("check_linear_regression_gd", run)


def _as_batches(value, n):
    if is_stub(value):
        raise NotSolved("your function returns a placeholder")
    if isinstance(value, np.ndarray) and value.ndim == 2:
        value = list(value)
    if not isinstance(value, (list, tuple)) or not value:
        raise Wrong("return a list of index arrays (one per minibatch), got "
                    f"{type(value).__name__}")
    batches = []
    for b in value:
        arr = np.asarray(b)
        if arr.ndim != 1 or arr.size == 0:
            raise Wrong(f"each minibatch must be a non-empty 1-D index array, got shape "
                        f"{arr.shape}")
        if not np.issubdtype(arr.dtype, np.integer):
            if np.issubdtype(arr.dtype, np.floating) and np.all(arr == np.round(arr)):
                arr = arr.astype(int)
            else:
                raise Wrong(f"indices must be integers, got dtype {arr.dtype}")
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
                raise Wrong(f"off-by-one: index {order.max() if order.max() >= n else order.min()}"
                            f" is outside 0..{n - 1}")
            counts = np.bincount(order, minlength=n)
            if np.any(counts > 1):
                raise Wrong(f"samples repeated within an epoch (e.g. index "
                            f"{int(np.argmax(counts > 1))} appears {int(counts.max())} times): "
                            "sample without replacement, i.e. cut a permutation")
            missing = np.flatnonzero(counts == 0)
            if missing.size:
                if missing.size == n % bs and len(batches) == n // bs:
                    raise Wrong(f"samples dropped: the last, smaller batch of {n % bs} is "
                                "missing; every sample must be seen once per epoch")
                raise Wrong(f"off-by-one: {missing.size} sample(s) never drawn (e.g. index "
                            f"{int(missing[0])}); every index 0..{n - 1} must appear once")
            sizes = [len(b) for b in batches]
            if any(s != bs for s in sizes[:-1]) or sizes[-1] > bs:
                raise Wrong(f"batch size: batches of sizes {sizes[:6]}… where {bs} was asked "
                            "(only the last may be smaller)")
            if n >= 50 and np.array_equal(order, np.arange(n)):
                raise Wrong("not shuffled: the epoch visits samples in the order 0, 1, 2, …; "
                            "draw a random permutation with rng")
        rng = np.random.default_rng(7)
        first = np.concatenate(_as_batches(call_safely(answer, 100, 10, rng), 100))
        second = np.concatenate(_as_batches(call_safely(answer, 100, 10, rng), 100))
        again = np.concatenate(_as_batches(
            call_safely(answer, 100, 10, np.random.default_rng(7)), 100))
        other = np.concatenate(_as_batches(
            call_safely(answer, 100, 10, np.random.default_rng(8)), 100))
        if np.array_equal(first, second) or np.array_equal(first, other):
            raise Wrong("ignores the rng argument: every epoch has the same order; use "
                        "rng.permutation(n) so each epoch is a fresh shuffle")
        if not np.array_equal(first, again):
            raise Wrong("not reproducible: the same seed gave two different epochs; draw "
                        "randomness only from the rng argument")

    return run_checks("check_minibatch_indices", run)
