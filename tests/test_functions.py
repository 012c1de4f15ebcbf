"""Tests of gdcore.functions: analytic derivatives against finite differences, known landmarks
against closed forms, batching, and bad input."""

import numpy as np
import pytest

import gdcore as gd
from gdcore import functions as F
from gdcore import numdiff

RNG_SEED = 1234


def _regression():
    x, y = gd.data.linear_data(n=50, seed=3)
    return F.linear_regression(gd.data.design_matrix(x), y)


def _logistic(l2):
    def make():
        pytest.importorskip("sklearn")
        X, y = gd.data.breast_cancer()
        return F.logistic_regression(X, y, l2)
    return make


PROBLEMS = {
    "quadratic": lambda: F.quadratic([[3.0, 1.0], [1.0, 2.0]], [1.0, -1.0], 0.5),
    "quadratic_3d": lambda: F.quadratic(np.diag([1.0, 4.0, 9.0]), [1.0, 2.0, 3.0]),
    "quadratic_indefinite": lambda: F.quadratic([[1.0, 2.0], [2.0, 1.0]], [1.0, 0.0]),
    "rosenbrock": F.rosenbrock,
    "rosenbrock_a2": lambda: F.rosenbrock(a=2.0, b=10.0),
    "beale": F.beale,
    "himmelblau": F.himmelblau,
    "booth": F.booth,
    "saddle": F.saddle,
    "monkey_saddle": F.monkey_saddle,
    "square": F.square,
    "quartic": F.quartic,
    "cubic": F.cubic,
    "linear_regression": _regression,
    "logistic_regression": _logistic(1e-2),
    "logistic_regression_l2_0": _logistic(0.0),
}


def _random_points(problem, n=20, seed=RNG_SEED):
    """Random points inside the plotting box of the problem, shape (n, d)."""
    rng = np.random.default_rng(seed)
    lo, hi = np.array(problem.bounds).T
    return rng.uniform(lo, hi, size=(n, problem.dim))


@pytest.fixture(params=sorted(PROBLEMS))
def problem(request):
    return PROBLEMS[request.param]()


def test_gradient_matches_central_differences(problem):
    x = _random_points(problem)
    rel = numdiff.grad_check(problem.f, problem.grad, x)
    assert rel < 1e-7, f"{problem.name}: relative error {rel:.2e}"


def test_hessian_matches_differences_of_f(problem):
    x = _random_points(problem, n=10)
    H_num = numdiff.numerical_hessian(problem.f, x)
    H = problem.hess(x)
    scale = np.max(np.abs(H), axis=(-2, -1), keepdims=True) + 1.0
    assert np.max(np.abs(H - H_num) / scale) < 1e-5


def test_hessian_is_the_jacobian_of_the_gradient(problem):
    # A second, sharper route: central differences of the analytic gradient, column by column.
    x = _random_points(problem, n=10)
    H = problem.hess(x)
    for i in range(problem.dim):
        column = numdiff.numerical_gradient(lambda z, i=i: problem.grad(z)[..., i], x)
        scale = np.max(np.abs(H[..., i, :])) + 1.0
        np.testing.assert_allclose(column, H[..., i, :], rtol=0, atol=1e-8 * scale)
    np.testing.assert_array_equal(H, np.swapaxes(H, -1, -2))


def test_batched_shapes_equal_pointwise_results(problem):
    x = _random_points(problem, n=12).reshape(3, 4, problem.dim)
    f, g, H = problem.f(x), problem.grad(x), problem.hess(x)
    assert f.shape == (3, 4)
    assert g.shape == (3, 4, problem.dim)
    assert H.shape == (3, 4, problem.dim, problem.dim)
    for idx in np.ndindex(3, 4):
        np.testing.assert_allclose(problem.f(x[idx]), f[idx], rtol=1e-14, atol=1e-14)
        np.testing.assert_allclose(problem.grad(x[idx]), g[idx], rtol=1e-14, atol=1e-14)
        np.testing.assert_allclose(problem.hess(x[idx]), H[idx], rtol=1e-14, atol=1e-14)


def test_landmarks_are_stationary_with_the_right_curvature(problem):
    for kind, points in [("min", problem.minimizers), ("saddle", problem.saddles),
                         ("max", problem.maximizers)]:
        for p in points:
            scale = 1.0 + np.max(np.abs(problem.hess(p)))
            assert np.linalg.norm(problem.grad(p)) < 1e-10 * scale, (kind, p)
            eig = np.linalg.eigvalsh(problem.hess(p))
            if kind == "min":
                assert eig[0] >= -1e-12
            elif kind == "max":
                assert eig[-1] <= 1e-12
            elif problem.name != "monkey_saddle":  # degenerate: Hessian 0 at its saddle
                assert eig[0] < 0 < eig[-1]
    if problem.f_min is not None:
        for p in problem.minimizers:
            assert problem.f(p) == pytest.approx(problem.f_min, abs=1e-12)
        x = _random_points(problem, n=200)
        assert np.all(problem.f(x) >= problem.f_min - 1e-12)


def test_bounds_contain_the_landmarks(problem):
    lo, hi = np.array(problem.bounds).T
    assert len(problem.bounds) == problem.dim and np.all(lo < hi)
    for p in np.concatenate([problem.minimizers, problem.saddles]):
        assert np.all((lo <= p) & (p <= hi))


@pytest.mark.parametrize("make, point, value", [
    (F.rosenbrock, (0.0, 0.0), 1.0),
    (F.rosenbrock, (-1.0, 1.0), 4.0),
    (F.beale, (0.0, 0.0), 1.5**2 + 2.25**2 + 2.625**2),
    (F.himmelblau, (0.0, 0.0), 121.0 + 49.0),
    (F.booth, (0.0, 0.0), 49.0 + 25.0),
    (F.saddle, (1.0, 2.0), -3.0),
    (F.monkey_saddle, (2.0, 1.0), 8.0 - 6.0),
    (F.square, (3.0,), 9.0),
    (F.quartic, (2.0,), 16.0),
    (F.cubic, (2.0,), 2.0),
])
def test_values_at_hand_computed_points(make, point, value):
    assert make().f(np.array(point)) == pytest.approx(value, rel=1e-15)


def test_himmelblau_has_four_minima_of_value_zero():
    p = F.himmelblau()
    assert p.minimizers.shape == (4, 2)
    np.testing.assert_allclose(p.f(p.minimizers), 0.0, atol=1e-25)
    np.testing.assert_allclose(p.grad(p.minimizers), 0.0, atol=1e-12)
    # The textbook values, to the 6 digits usually quoted.
    quoted = [(3.0, 2.0), (-2.805118, 3.131312), (-3.779310, -3.283186), (3.584428, -1.848126)]
    np.testing.assert_allclose(p.minimizers, quoted, atol=1e-6)


def test_cubic_landmarks():
    p = F.cubic()
    np.testing.assert_array_equal(p.minimizers, [[1.0]])
    np.testing.assert_array_equal(p.maximizers, [[-1.0]])
    assert p.f_min is None
    assert p.f(np.array([1.0])) == -2.0 and p.f(np.array([-1.0])) == 2.0


def test_quadratic_spectrum_and_minimizer():
    rng = np.random.default_rng(0)
    Q, _ = np.linalg.qr(rng.standard_normal((4, 4)))
    lam = np.array([0.5, 1.0, 3.0, 20.0])
    A = Q @ np.diag(lam) @ Q.T
    A = (A + A.T) / 2
    b = rng.standard_normal(4)
    q = F.quadratic(A, b, c=2.0)
    np.testing.assert_allclose(q.eigenvalues, lam, rtol=1e-12)
    assert q.L == pytest.approx(20.0) and q.mu == pytest.approx(0.5)
    assert q.condition_number == pytest.approx(40.0)
    np.testing.assert_allclose(q.minimizer, np.linalg.solve(A, b), rtol=1e-12)
    np.testing.assert_allclose(q.minimizers, [q.minimizer])
    # f(x*) = c − ½ bᵀA⁻¹b
    assert q.f_min == pytest.approx(2.0 - 0.5 * b @ np.linalg.solve(A, b), rel=1e-12)
    assert len(q.saddles) == 0


def test_indefinite_quadratic_is_a_saddle():
    q = F.quadratic([[1.0, 2.0], [2.0, 1.0]], [3.0, 3.0])  # eigenvalues −1 and 3
    np.testing.assert_allclose(q.eigenvalues, [-1.0, 3.0])
    assert q.mu == pytest.approx(-1.0) and q.L == pytest.approx(3.0)
    assert q.condition_number == np.inf
    np.testing.assert_allclose(q.minimizer, [1.0, 1.0])
    np.testing.assert_allclose(q.saddles, [[1.0, 1.0]])
    assert len(q.minimizers) == 0 and q.f_min is None


def test_quadratic_without_b_matches_the_formula():
    A = np.array([[2.0, -1.0], [-1.0, 3.0]])
    x = np.array([0.3, -1.2])
    q = F.quadratic(A)
    assert q.f(x) == pytest.approx(0.5 * x @ A @ x)
    np.testing.assert_allclose(q.grad(x), A @ x)


def test_linear_regression_minimizer_is_lstsq():
    x, y = gd.data.linear_data(n=200, seed=7)
    X = gd.data.design_matrix(x)
    p = F.linear_regression(X, y)
    expected = np.linalg.lstsq(X, y, rcond=None)[0]
    np.testing.assert_allclose(p.minimizer, expected, rtol=1e-12)
    # Independent route: the normal equations XᵀXθ = Xᵀy.
    np.testing.assert_allclose(p.minimizer, np.linalg.solve(X.T @ X, X.T @ y), rtol=1e-10)
    assert np.linalg.norm(p.grad(p.minimizer)) < 1e-12
    assert p.f_min == pytest.approx(np.mean((X @ expected - y) ** 2))
    assert p.n_samples == 200


def test_linear_regression_formulas():
    x, y = gd.data.linear_data(n=30, seed=1)
    X = gd.data.design_matrix(x)
    p = F.linear_regression(X, y)
    theta = np.array([1.0, -2.0])
    assert p.f(theta) == pytest.approx(np.mean((X @ theta - y) ** 2), rel=1e-14)
    np.testing.assert_allclose(p.grad(theta), 2 / 30 * X.T @ (X @ theta - y), rtol=1e-13)
    np.testing.assert_allclose(p.hess(theta), 2 / 30 * X.T @ X, rtol=1e-14)


def test_linear_regression_minibatches():
    x, y = gd.data.linear_data(n=40, seed=2)
    X = gd.data.design_matrix(x)
    p = F.linear_regression(X, y)
    theta = np.array([[0.5, 1.0], [2.0, -1.0]])  # a batch of two parameter vectors
    idx = np.array([3, 17, 5, 22])
    expected_f = np.mean((theta @ X[idx].T - y[idx]) ** 2, axis=-1)
    np.testing.assert_allclose(p.f_batch(theta, idx), expected_f, rtol=1e-14)
    np.testing.assert_allclose(p.grad_batch(theta, idx),
                               2 / 4 * (theta @ X[idx].T - y[idx]) @ X[idx], rtol=1e-14)
    # Equal-size batches partitioning the data average to the full gradient (unbiasedness).
    parts = np.random.default_rng(0).permutation(40).reshape(5, 8)
    mean_grad = np.mean([p.grad_batch(theta, part) for part in parts], axis=0)
    np.testing.assert_allclose(mean_grad, p.grad(theta), rtol=1e-12)
    np.testing.assert_array_equal(p.grad_batch(theta, np.arange(40)), p.grad(theta))


def test_linear_regression_rejects_column_vector_y():
    x, y = gd.data.linear_data(n=100)
    X = gd.data.design_matrix(x)
    with pytest.raises(ValueError, match=r"y must have shape \(100,\), got \(100, 1\)") as err:
        F.linear_regression(X, y[:, None])
    assert "(100, 100)" in str(err.value) and "broadcast" in str(err.value)


@pytest.mark.parametrize("call, match", [
    (lambda: F.quadratic(np.ones((2, 3))), "A must be a square"),
    (lambda: F.quadratic([[1.0, 2.0], [0.0, 1.0]]), "A must be symmetric"),
    (lambda: F.quadratic(np.eye(2), [1.0, 2.0, 3.0]), "b must have shape"),
    (lambda: F.linear_regression(np.ones(5), np.ones(5)), "X must have shape"),
    (lambda: F.linear_regression(np.ones((5, 2)), np.ones(4)), "y must have shape"),
    (lambda: F.rosenbrock().f(np.ones(3)), r"x must have shape \(\.\.\., 2\)"),
    (lambda: F.square().grad(np.float64(2.0)), r"x must have shape \(\.\.\., 1\)"),
    (lambda: F.quadratic(np.eye(3)).hess(np.ones((4, 2))), r"got shape \(4, 2\)"),
    (lambda: F.logistic_regression(np.ones(5), np.ones(5)), "X must have shape"),
    (lambda: F.logistic_regression(np.ones((5, 2)), np.ones(4)), r"y must have shape \(5,\)"),
    (lambda: F.logistic_regression(np.ones((3, 2)), [0.0, 1.0, -1.0]), "labels 0 and 1"),
    (lambda: F.logistic_regression(np.ones((3, 2)), [0.0, 1.0, 2.0]), "labels 0 and 1"),
    (lambda: F.logistic_regression([[1.0, np.nan]], [1.0]), "X must be finite"),
    (lambda: F.logistic_regression(np.ones((3, 2)), np.ones(3), l2=-1.0),
     "Invalid l2 value: -1.0"),
    (lambda: F.logistic_regression(np.ones((3, 2)), np.ones(3), l2=np.inf), "Invalid l2 value"),
    (lambda: F.logistic_regression(np.ones((3, 2)), np.ones(3)).grad(np.ones(3)),
     r"x must have shape \(\.\.\., 2\)"),
])
def test_bad_input_raises_value_error_naming_the_argument(call, match):
    with pytest.raises(ValueError, match=match):
        call()


# ---------------------------------------------------------------------------------------------
# Logistic regression on the breast-cancer data


def _expit(t):
    return 0.5 * (1.0 + np.tanh(0.5 * t))  # a second formula for σ, exact for all t


@pytest.mark.parametrize("l2", [0.0, 1e-3, 0.1])
def test_logistic_regression_against_the_textbook_formulas(l2):
    # The textbook route with probabilities p = σ(Xθ) and labels y (not signs s):
    # f = −mean(y log p + (1−y) log(1−p)), ∇f = Xᵀ(p − y)/n, ∇²f = Xᵀ diag(p(1−p)) X / n.
    pytest.importorskip("sklearn")
    X, y = gd.data.breast_cancer()
    problem = F.logistic_regression(X, y, l2)
    n, d = X.shape
    rng = np.random.default_rng(RNG_SEED)
    for theta in 0.3 * rng.standard_normal((5, d)):
        p = _expit(X @ theta)
        f = -np.mean(y * np.log(p) + (1 - y) * np.log1p(-p)) + l2 / 2 * theta @ theta
        g = X.T @ (p - y) / n + l2 * theta
        H = (X.T * (p * (1 - p))) @ X / n + l2 * np.eye(d)
        assert problem.f(theta) == pytest.approx(f, rel=1e-12)
        np.testing.assert_allclose(problem.grad(theta), g, rtol=0, atol=1e-14 * (1 + n))
        np.testing.assert_allclose(problem.hess(theta), H, rtol=0, atol=1e-13)
    assert problem.n_samples == 569 and problem.dim == 31 and problem.mu == l2


@pytest.mark.parametrize("l2", [0.0, 1e-2])
def test_logistic_regression_smoothness_constant(l2):
    # L = ‖X‖₂²/(4n) + λ bounds the top Hessian eigenvalue everywhere (σσ' ≤ ¼) and equals it at
    # θ = 0, where every weight σ(0)σ(0) is exactly ¼: ∇²f(0) = XᵀX/(4n) + λI.
    pytest.importorskip("sklearn")
    X, y = gd.data.breast_cancer()
    problem = F.logistic_regression(X, y, l2)
    n = len(y)
    L_eig = np.linalg.eigvalsh(X.T @ X)[-1] / (4 * n) + l2  # a second route to ‖X‖₂²
    assert problem.L == pytest.approx(L_eig, rel=1e-12)
    np.testing.assert_allclose(problem.hess(np.zeros(31)), X.T @ X / (4 * n) + l2 * np.eye(31),
                               rtol=0, atol=1e-13)
    assert np.linalg.eigvalsh(problem.hess(np.zeros(31)))[-1] == pytest.approx(problem.L,
                                                                                rel=1e-12)
    rng = np.random.default_rng(RNG_SEED)
    thetas = rng.standard_normal((40, 31)) * np.array([0.1, 1.0, 5.0, 50.0]).repeat(10)[:, None]
    top = np.linalg.eigvalsh(problem.hess(thetas))[:, -1]
    assert np.all(top <= problem.L * (1 + 1e-12))
    assert np.all(top < 0.99 * problem.L)  # away from θ = 0 the bound is strict
    # The smallest eigenvalue is ≥ λ = mu everywhere (strong convexity).
    assert np.all(np.linalg.eigvalsh(problem.hess(thetas))[:, 0] >= l2 * (1 - 1e-9) - 1e-15)


@pytest.mark.parametrize("l2", [1e-3, 1e-2, 1.0])
def test_logistic_regression_minimizer_matches_scikit_learn(l2):
    sklearn = pytest.importorskip("sklearn")
    from sklearn.linear_model import LogisticRegression

    X, y = gd.data.breast_cancer()
    problem = F.logistic_regression(X, y, l2)
    scale = 1 + np.max(np.abs(problem.hess(problem.minimizer)))
    # Round-off level: a sum of 569 terms of size ~1 (1.4e-13 measured under another BLAS kernel).
    assert np.linalg.norm(problem.grad(problem.minimizer)) < 1e-12 * scale
    assert problem.f_min == pytest.approx(problem.f(problem.minimizer), abs=0)
    # scikit-learn minimizes C Σᵢ log(1 + e^{−mᵢ}) + ½‖w‖²; dividing by Cn gives our f with
    # λ = 1/(Cn). X carries the intercept column, so fit_intercept=False penalizes it as we do.
    model = LogisticRegression(C=1 / (l2 * len(y)), fit_intercept=False, tol=1e-12,
                               max_iter=10_000).fit(X, y)
    assert sklearn is not None
    np.testing.assert_allclose(problem.minimizer, model.coef_[0], rtol=0,
                               atol=1e-6 * (1 + np.max(np.abs(problem.minimizer))))
    # Strong convexity: f(θ) − f* ≥ (λ/2)‖θ − θ*‖² at random points.
    thetas = problem.minimizer + np.random.default_rng(0).standard_normal((20, 31))
    gap = problem.f(thetas) - problem.f_min
    assert np.all(gap >= 0.5 * l2 * np.sum((thetas - problem.minimizer) ** 2, -1) * (1 - 1e-9))


def test_logistic_regression_is_stable_at_huge_margins():
    # log(1 + e^{−m}) by logaddexp: no overflow warning at m = ±1e4, values from the asymptotes
    # log(1 + e^{−m}) ≈ e^{−m} (m → ∞) and ≈ −m (m → −∞).
    X = np.array([[1.0], [1.0]])
    problem = F.logistic_regression(X, np.array([1.0, 0.0]))
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        assert problem.f(np.array([1e4])) == pytest.approx(0.5 * 1e4, rel=1e-15)
        np.testing.assert_allclose(problem.grad(np.array([1e4])), [0.5], rtol=1e-15)
        assert problem.hess(np.array([1e4]))[0, 0] == 0.0
    one = F.logistic_regression(X[:1], np.array([1.0]))
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        assert one.f(np.array([40.0])) == pytest.approx(np.exp(-40.0), rel=1e-14)
        assert one.f(np.array([1e4])) == 0.0
    assert one.minimizer is None and one.f_min is None and len(one.minimizers) == 0


def test_logistic_regression_minibatches():
    pytest.importorskip("sklearn")
    X, y = gd.data.breast_cancer()
    problem = F.logistic_regression(X, y, 0.01)
    theta = np.random.default_rng(1).standard_normal((2, 31))
    parts = np.random.default_rng(0).permutation(569)[:560].reshape(7, 80)
    full = F.logistic_regression(X[parts.ravel()], y[parts.ravel()], 0.01)
    mean_grad = np.mean([problem.grad_batch(theta, part) for part in parts], axis=0)
    np.testing.assert_allclose(mean_grad, full.grad(theta), rtol=1e-12, atol=1e-15)
    np.testing.assert_array_equal(problem.f_batch(theta, np.arange(569)), problem.f(theta))
    sub = F.logistic_regression(X[parts[0]], y[parts[0]], 0.01)
    np.testing.assert_allclose(problem.f_batch(theta, parts[0]), sub.f(theta), rtol=1e-14)
    np.testing.assert_allclose(problem.hess_batch(theta, parts[0]), sub.hess(theta),
                               rtol=1e-13, atol=1e-15)
