"""Mutation tests of the chapter-3 checkers: each typical wrong answer is rejected with a message
naming its mistake class; the reference solutions are accepted; stubs and garbage never raise."""

import numpy as np
import pytest

from gdcore.checks import descent as checks

# --- reference solutions and their mutants ---------------------------------------------------


def max_stable_lr(A):
    return 2.0 / np.linalg.eigvalsh(A)[-1]


def optimal_step(A):
    lam = np.linalg.eigvalsh(A)
    mu, L = lam[0], lam[-1]
    return 2.0 / (L + mu), (L / mu - 1) / (L / mu + 1)


def stable_lr_from_gradients(grad, d, iterations=60):
    g0 = grad(np.zeros(d))
    v = np.random.default_rng(0).normal(size=d)
    for _ in range(iterations):
        v = v / np.linalg.norm(v)
        Av = grad(v) - g0
        L = v @ Av
        v = Av
    return 2.0 / L


def _rebuild_matrix(grad, d):
    g0 = grad(np.zeros(d))
    A = np.column_stack([grad(e) - g0 for e in np.eye(d)])
    return 2 / np.linalg.eigvalsh(A)[-1]


def lr_window(mu, L, steps, eps):
    r = eps ** (1 / steps)
    lo, hi = (1 - r) / mu, (1 + r) / L
    return (lo, hi) if lo <= hi else None


def _hessian(problem, x):
    return np.atleast_2d(problem.hess(x))


def newton_stationary(problem, x0, tol, *, kinds=("minimum", "maximum", "saddle")):
    x = np.asarray(x0, dtype=float)
    for _ in range(100):
        g = problem.grad(x)
        if np.linalg.norm(g) <= tol:
            break
        x = x - np.linalg.solve(_hessian(problem, x), g)
    lam = np.linalg.eigvalsh(_hessian(problem, x))
    return x, kinds[0] if lam.min() > 0 else kinds[1] if lam.max() < 0 else kinds[2]


def _kind_from(values):
    return "minimum" if values.min() > 0 else "maximum" if values.max() < 0 else "saddle"


def damped_newton(problem, x0, tol, *, damp=True, newton=True, fallback=True, steps=100):
    xs = [np.asarray(x0, dtype=float)]
    for _ in range(steps):
        x = xs[-1]
        g = problem.grad(x)
        if np.linalg.norm(g) <= tol:
            break
        H = _hessian(problem, x)
        use_newton = newton and (not fallback or np.linalg.eigvalsh(H).min() > 0)
        d = -np.linalg.solve(H, g) if use_newton else -g
        t = 1.0 if newton else 1e-3
        while damp and problem.f(x + t * d) > problem.f(x) + 1e-4 * t * (g @ d):
            t /= 2
        xs.append(x + t * d)
    return np.array(xs)


def linear_regression_gd(X, y, lr, steps):
    theta = np.zeros(X.shape[1])
    for _ in range(steps):
        theta = theta - lr * (2 / len(y)) * X.T @ (X @ theta - y)
    return theta


def minibatch_indices(n, batch_size, rng):
    order = rng.permutation(n)
    return [order[i:i + batch_size] for i in range(0, n, batch_size)]


def _gd_variant(*, sign=1.0, factor=1.0, extra=0, shape_bug=False):
    def gd(X, y, lr, steps):
        n = len(y)
        if shape_bug:  # seed 000: y (n, 1), θ (1, 1), gradient 2*(y_pred − y)*X of shape (n, 1)
            y = y[:, None]
            theta = np.zeros((1, 1))
            for _ in range(steps):
                theta = theta - lr * 2 * (X[:, 1:2] * theta - y) * X[:, 1:2]
            return theta
        theta = np.zeros(X.shape[1])
        for _ in range(steps + extra):
            theta = theta - sign * lr * factor * (2 / n) * X.T @ (X @ theta - y)
        return theta
    return gd


def _seed001(X, y, lr, steps):
    """Seed 001 verbatim: y as a column and θ = zeros(1) → y − X·θ broadcasts to (n, n)."""
    y = y[:, None]
    theta = np.zeros(X.shape[1])
    for _ in range(steps):
        y_pred = X.dot(theta)
        theta = theta - lr * (1 / len(X)) * X.T.dot(y - y_pred)
    return theta


def _with_replacement(n, b, rng):
    return [rng.integers(0, n, size=min(b, n - i)) for i in range(0, n, b)]


def _no_shuffle(n, b, rng):
    return [np.arange(i, min(i + b, n)) for i in range(0, n, b)]


def _drop_last(n, b, rng):
    order = rng.permutation(n)
    return [order[i:i + b] for i in range(0, n - b + 1, b)] or [order]


def _one_based(n, b, rng):
    order = rng.permutation(n) + 1
    return [order[i:i + b] for i in range(0, n, b)]


def _fixed_seed(n, b, rng):
    return minibatch_indices(n, b, np.random.default_rng(0))


def _range_short(n, b, rng):
    order = rng.permutation(n - 1)
    return [order[i:i + b] for i in range(0, n - 1, b)]


CHECKERS = {
    "max_stable_lr": checks.check_max_stable_lr,
    "optimal_step": checks.check_optimal_step,
    "linear_regression_gd": checks.check_linear_regression_gd,
    "minibatch_indices": checks.check_minibatch_indices,
    "stable_lr_from_gradients": checks.check_stable_lr_from_gradients,
    "lr_window": checks.check_lr_window,
    "newton_stationary": checks.check_newton_stationary,
    "damped_newton": checks.check_damped_newton,
}

SOLUTIONS = {
    "max_stable_lr": max_stable_lr,
    "optimal_step": optimal_step,
    "linear_regression_gd": linear_regression_gd,
    "minibatch_indices": minibatch_indices,
    "stable_lr_from_gradients": stable_lr_from_gradients,
    "lr_window": lr_window,
    "newton_stationary": newton_stationary,
    "damped_newton": damped_newton,
}


def _eig(A):
    lam = np.linalg.eigvalsh(A)
    return lam[0], lam[-1]


MUTANTS = [
    # (checker, mutant, words the message must contain)
    ("max_stable_lr", lambda A: 1 / _eig(A)[1], "factor 2"),
    ("max_stable_lr", lambda A: 2 / _eig(A)[0], "wrong eigenvalue"),
    ("max_stable_lr", lambda A: 2 / np.max(np.diag(A)), "wrong eigenvalue"),
    ("max_stable_lr", lambda A: 2 / np.trace(A), "wrong eigenvalue"),
    ("max_stable_lr", lambda A: _eig(A)[1] / 2, "inverted"),
    ("max_stable_lr", lambda A: 2 / sum(_eig(A)), "η*"),
    ("optimal_step", lambda A: (1 / _eig(A)[1], optimal_step(A)[1]), "1/L"),
    ("optimal_step", lambda A: (1 / sum(_eig(A)), optimal_step(A)[1]), "factor 2"),
    ("optimal_step", lambda A: (2 / (_eig(A)[1] - _eig(A)[0]), optimal_step(A)[1]), "sign"),
    ("optimal_step", lambda A: (optimal_step(A)[0], 1 / optimal_step(A)[1]), "inverted"),
    ("optimal_step", lambda A: (optimal_step(A)[0], optimal_step(A)[1] ** 2), "squared"),
    ("optimal_step", lambda A: (optimal_step(A)[0], 1 - _eig(A)[0] / _eig(A)[1]), "1/L"),
    ("optimal_step", lambda A: optimal_step(A)[0], "pair"),
    ("linear_regression_gd", _gd_variant(sign=-1.0), "wrong sign"),
    ("linear_regression_gd", _gd_variant(shape_bug=True), "shape (100, 1) where (2,)"),
    ("linear_regression_gd", _seed001, "shape"),
    ("linear_regression_gd", _gd_variant(extra=1), "off-by-one"),
    ("linear_regression_gd", _gd_variant(extra=-1), "off-by-one"),
    ("linear_regression_gd", _gd_variant(factor=0.5), "factor"),
    ("linear_regression_gd", _gd_variant(factor=2.0), "factor"),
    ("linear_regression_gd", _gd_variant(factor=100.0), "factor n"),     # the 1/n forgotten
    ("linear_regression_gd", lambda X, y, lr, steps: linear_regression_gd(X, y, lr, steps)[:, None],
     "return theta.ravel()"),
    ("minibatch_indices", _with_replacement, "samples repeated within an epoch"),
    ("minibatch_indices", _no_shuffle, "not shuffled"),
    ("minibatch_indices", _drop_last, "samples dropped"),
    ("minibatch_indices", _one_based, "off-by-one"),
    ("minibatch_indices", _range_short, "off-by-one"),
    ("minibatch_indices", _fixed_seed, "ignores the rng"),
    ("stable_lr_from_gradients", lambda g, d: stable_lr_from_gradients(g, d) / 2, "factor 2"),
    ("stable_lr_from_gradients", lambda g, d: 2 / stable_lr_from_gradients(g, d), "inverted"),
    ("stable_lr_from_gradients", lambda g, d: stable_lr_from_gradients(g, d, 5), "% off"),
    ("stable_lr_from_gradients", _rebuild_matrix, "gradient calls"),
    ("stable_lr_from_gradients", lambda g, d: stable_lr_from_gradients(g, d, 150),
     "gradient calls"),
    ("lr_window", lambda mu, L, k, e: lr_window(mu, L, 2 * k, e), "squared"),
    ("lr_window", lambda mu, L, k, e: (lambda r: ((1 - r) / L, (1 + r) / mu))(e ** (1 / k)),
     "too wide"),
    ("lr_window", lambda mu, L, k, e: (lambda r: ((1 - r) / mu, (1 + r) / L))(e ** (1 / k)),
     "empty"),
    ("lr_window", lambda mu, L, k, e: (1 / L, 2 / L), "worst start"),
    ("lr_window", lambda mu, L, k, e: (2 / (L + mu), 2 / (L + mu)), "worst start"),
    ("newton_stationary",
     lambda p, x0, tol: newton_stationary(p, x0, tol, kinds=("minimum", "saddle", "maximum")),
     "signs of all Hessian eigenvalues"),
    ("newton_stationary", lambda p, x0, tol: (damped_newton(p, x0, 1e-9)[-1], "minimum"),
     "descend instead"),
    ("newton_stationary", lambda p, x0, tol: (x0, "minimum"), "stops elsewhere"),
    # the kind read at the start, or from the Hessian's diagonal instead of its eigenvalues
    ("newton_stationary", lambda p, x0, tol: (newton_stationary(p, x0, tol)[0],
                                              _kind_from(np.diag(_hessian(p, x0)))),
     "signs of all Hessian eigenvalues"),
    ("newton_stationary", lambda p, x0, tol: (lambda x: (x, _kind_from(np.diag(_hessian(p, x)))))(
        newton_stationary(p, x0, tol)[0]), "signs of all Hessian eigenvalues"),
    ("damped_newton", lambda p, x0, tol: damped_newton(p, x0, tol, damp=False), "f rose"),
    ("damped_newton", lambda p, x0, tol: damped_newton(p, x0, tol, newton=False, steps=30000),
     "gradient steps"),
    ("damped_newton", lambda p, x0, tol: damped_newton(p, x0, tol, fallback=False),
     "not positive definite"),
    ("damped_newton", lambda p, x0, tol: damped_newton(p, x0, tol)[1:], "start point"),
    ("damped_newton", lambda p, x0, tol: damped_newton(p, x0, tol, steps=3), "‖∇f‖"),
]


@pytest.mark.parametrize("name", sorted(CHECKERS))
def test_solution_accepted(name, capsys):
    assert CHECKERS[name](SOLUTIONS[name]) is True
    assert capsys.readouterr().out.startswith(f"✓ check_{name}: correct")


@pytest.mark.parametrize(("name", "mutant", "words"), MUTANTS,
                         ids=[f"{m[0]}-{i}" for i, m in enumerate(MUTANTS)])
def test_mutant_rejected_with_its_mistake_class(name, mutant, words, capsys):
    assert CHECKERS[name](mutant) is False
    out = capsys.readouterr().out
    assert out.startswith(f"✗ check_{name}:"), out
    assert words in out, out
    assert out.count("\n") == 1


def _raises_not_implemented(*args):
    raise NotImplementedError


@pytest.mark.parametrize("name", sorted(CHECKERS))
@pytest.mark.parametrize("stub", [Ellipsis, None, _raises_not_implemented])
def test_stub_is_not_yet_solved(name, stub, capsys):
    assert CHECKERS[name](stub) is False
    assert capsys.readouterr().out.startswith(f"… check_{name}: not yet solved")


def _crashes(*args):
    return 1 / 0


GARBAGE = [42, "2/L", lambda *a: "text", lambda *a: np.nan, lambda *a: [1, 2, 3], _crashes,
           lambda *a: None, lambda *a: {"a": 1}]


@pytest.mark.parametrize("name", sorted(CHECKERS))
@pytest.mark.parametrize("garbage", GARBAGE, ids=range(len(GARBAGE)))
def test_garbage_is_rejected_without_raising(name, garbage, capsys):
    assert CHECKERS[name](garbage) is False
    out = capsys.readouterr().out
    assert out.startswith((f"✗ check_{name}:", f"… check_{name}:")), out
    assert "Traceback" not in out


def test_checkers_do_not_mutate_their_inputs():
    seen = []

    def spy(A):
        seen.append(A.copy())
        A[:] = 0.0  # a careless student function that scribbles on its input
        return 1.0

    checks.check_max_stable_lr(spy)
    assert all(np.any(a != 0) for a in seen)
