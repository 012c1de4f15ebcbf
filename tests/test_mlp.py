"""gdcore.mlp: PyTorch parity, finite differences, initialisation variances and bad input."""

import json
from pathlib import Path

import numpy as np
import pytest

import gdcore.mlp as mlp
from gdcore import numdiff

REFERENCE = Path(__file__).parent / "data" / "torch_mlp_gradients.json"
CASES = json.loads(REFERENCE.read_text())["cases"] if REFERENCE.exists() else []
TOL = 1e-10


def _case_id(case):
    return f"{case['activation']}-{case['loss']}-{'x'.join(map(str, case['layer_sizes']))}"


def _rel(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    assert a.shape == b.shape, f"shape {a.shape} vs reference {b.shape}"
    return np.linalg.norm(a - b) / max(np.linalg.norm(b), np.finfo(float).tiny)


def test_reference_file_is_present():
    assert CASES, f"{REFERENCE} is missing or has no cases"


@pytest.mark.parametrize("case", CASES, ids=[_case_id(c) for c in CASES])
def test_torch_parity(case):
    params = [(np.array(W, dtype=float), np.array(b, dtype=float))
              for W, b in zip(case["W"], case["b"], strict=True)]
    assert mlp.layer_sizes_of(params) == list(case["layer_sizes"])
    target = np.array(case["target"])
    value, grads = mlp.loss_and_grads(params, np.array(case["X"], dtype=float), target,
                                      activation=case["activation"], loss=case["loss"])
    assert abs(value - case["loss_value"]) <= TOL * abs(case["loss_value"])
    assert len(grads) == len(case["dW"]) == len(case["db"])
    for l, ((dW, db), dW_ref, db_ref) in enumerate(zip(grads, case["dW"], case["db"],
                                                        strict=True)):
        assert _rel(dW, dW_ref) <= TOL, f"dW[{l}]"
        assert _rel(db, db_ref) <= TOL, f"db[{l}]"


# --- finite differences -------------------------------------------------------------------------
def _problem_data(sizes, loss, seed):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((7, sizes[0]))
    y = (rng.integers(0, sizes[-1], 7) if loss == "cross_entropy"
         else rng.standard_normal((7, sizes[-1])))
    return X, y


@pytest.mark.parametrize("activation", mlp.ACTIVATIONS)
@pytest.mark.parametrize("loss", mlp.LOSSES)
@pytest.mark.parametrize("sizes, residual", [([3, 4, 2], False), ([2, 5, 5, 5, 3], False),
                                             ([2, 5, 5, 5, 3], True)])
def test_gradients_match_finite_differences(activation, loss, sizes, residual):
    X, y = _problem_data(sizes, loss, seed=len(sizes))
    problem = mlp.MLPProblem(X, y, sizes, activation=activation, loss=loss, init="xavier_normal",
                             seed=1, residual=residual)
    theta = problem.theta0 + 0.1 * np.random.default_rng(2).standard_normal(problem.dim)
    rel = numdiff.grad_check(problem.f, problem.grad, theta)
    assert rel < (1e-6 if activation == "relu" else 1e-8), rel


def test_mse_and_cross_entropy_definitions():
    out = np.array([[1.0, 2.0], [0.0, -1.0], [3.0, 0.5]])
    y = np.array([[0.0, 2.0], [1.0, 1.0], [3.0, 0.0]])
    assert mlp.loss(out, y, "mse") == pytest.approx(np.mean(0.5 * np.sum((out - y) ** 2, 1)))
    labels = np.array([1, 0, 0])
    p = np.exp(out) / np.exp(out).sum(1, keepdims=True)
    assert mlp.loss(out, labels, "cross_entropy") == pytest.approx(
        -np.mean(np.log(p[np.arange(3), labels])))


def test_log_sum_exp_never_overflows():
    z = np.array([[1000.0, 0.0, -1000.0], [-1000.0, -1000.0, -1000.0]])
    assert np.all(np.isfinite(mlp.logsumexp(z)))
    assert mlp.logsumexp(z)[0] == pytest.approx(1000.0)
    np.testing.assert_allclose(mlp.softmax(z).sum(axis=1), 1.0)
    assert mlp.loss(np.array([[1000.0, 0.0]]), np.array([1]), "cross_entropy") == 1000.0


def test_residual_skip_passes_gradient_through():
    # With W = 0 in the hidden layers, the skip connections alone carry ∂L/∂X back.
    params = mlp.init_params([3, 3, 3, 3, 1], init="normal", sigma=0.0)
    params[-1] = (np.ones((3, 1)), np.zeros(1))
    X = np.ones((2, 3))
    out, cache = mlp.forward(params, X, "tanh", residual=True)
    signals = mlp.backprop_signals(params, cache, np.ones_like(out))
    np.testing.assert_allclose(signals.dh[0], np.ones((2, 3)))
    _, cache_plain = mlp.forward(params, X, "tanh")
    np.testing.assert_allclose(mlp.backprop_signals(params, cache_plain, np.ones_like(out)).dh[0],
                               0.0)


# --- initialisation -----------------------------------------------------------------------------
@pytest.mark.parametrize("init, variance", [
    ("normal", lambda a, b: 0.3 ** 2),
    ("standard", lambda a, b: 1.0 / (3 * a)),
    ("xavier_uniform", lambda a, b: 2.0 / (a + b)),
    ("xavier_normal", lambda a, b: 2.0 / (a + b)),
    ("he_normal", lambda a, b: 2.0 / a),
    ("he_uniform", lambda a, b: 2.0 / a),
])
def test_init_variances(init, variance):
    n_in, n_out = 400, 300
    (W, b), = mlp.init_params([n_in, n_out], init=init, seed=0, sigma=0.3)
    assert W.shape == (n_in, n_out) and np.all(b == 0)
    assert W.var() == pytest.approx(variance(n_in, n_out), rel=0.02)


def test_init_is_seeded():
    a = mlp.flatten(mlp.init_params([3, 4, 2], seed=5))
    b = mlp.flatten(mlp.init_params([3, 4, 2], seed=np.random.default_rng(5)))
    np.testing.assert_array_equal(a, b)


# --- flat view and the Problem adapter ----------------------------------------------------------
def test_flatten_unflatten_roundtrip():
    sizes = [4, 3, 2]
    params = mlp.init_params(sizes, seed=3)
    theta = mlp.flatten(params)
    assert theta.shape == (mlp.n_params(sizes),) == ((4 + 1) * 3 + (3 + 1) * 2,)
    for (W, b), (W2, b2) in zip(params, mlp.unflatten(theta, sizes), strict=True):
        np.testing.assert_array_equal(W, W2)
        np.testing.assert_array_equal(b, b2)


def test_problem_batches_and_minibatches():
    X, y = _problem_data([3, 4, 3], "cross_entropy", seed=0)
    problem = mlp.MLPProblem(X, y, [3, 4, 3], activation="relu", loss="cross_entropy",
                             init="he_normal")
    thetas = problem.theta0 + 0.1 * np.random.default_rng(0).standard_normal((2, 3, problem.dim))
    fs, gs = problem.f(thetas), problem.grad(thetas)
    assert fs.shape == (2, 3) and gs.shape == (2, 3, problem.dim)
    np.testing.assert_allclose(gs[1, 2], problem.grad(thetas[1, 2]))
    all_rows = np.arange(problem.n_samples)
    np.testing.assert_allclose(problem.grad_batch(thetas[0, 0], all_rows), gs[0, 0])
    assert problem.f_batch(thetas[0, 0], all_rows) == pytest.approx(fs[0, 0])
    # one minibatch gradient is the gradient of the loss on those rows
    idx = np.array([0, 3, 5])
    sub = mlp.MLPProblem(X[idx], y[idx], [3, 4, 3], activation="relu", loss="cross_entropy")
    np.testing.assert_allclose(problem.grad_batch(thetas[0, 0], idx), sub.grad(thetas[0, 0]))


@pytest.mark.parametrize("activation", mlp.ACTIVATIONS)
@pytest.mark.parametrize("loss", mlp.LOSSES)
@pytest.mark.parametrize("sizes, residual", [([3, 4, 2], False), ([2, 5, 5, 5, 3], True),
                                             ([2, 6, 1], False)])
def test_lanes_are_evaluated_together_and_equal_each_lane_alone(activation, loss, sizes,
                                                                residual):
    X, y = _problem_data(sizes, loss, seed=3)
    if loss == "mse" and sizes[-1] == 1:
        y = y[:, 0]                                   # 1-D targets for a single output
    problem = mlp.MLPProblem(X, y, sizes, activation=activation, loss=loss, seed=1,
                             residual=residual)
    thetas = problem.theta0 + 0.3 * np.random.default_rng(4).standard_normal((2, 3, problem.dim))
    idx = np.array([0, 2, 5])
    cases = [(problem.f, ()), (problem.grad, ()), (problem.f_batch, (idx,)),
             (problem.grad_batch, (idx,))]
    for method, extra in cases:
        batched = method(thetas, *extra)
        alone = np.array([[method(thetas[i, j], *extra) for j in range(3)] for i in range(2)])
        assert batched.shape == alone.shape
        np.testing.assert_allclose(batched, alone, rtol=1e-12, atol=1e-15)
    with pytest.raises(ValueError, match="theta"):
        problem.grad(np.ones((2, problem.dim + 1)))


def test_gradient_descent_trains_the_network():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((60, 2))
    y = (X[:, 0] * X[:, 1] > 0).astype(int)  # XOR-like: needs the hidden layer
    problem = mlp.MLPProblem(X, y, [2, 16, 2], activation="tanh", loss="cross_entropy")
    theta = problem.theta0.copy()
    for _ in range(300):
        theta = theta - 0.5 * problem.grad(theta)
    assert problem.f(theta) < 0.5 * problem.f(problem.theta0)
    assert problem.accuracy(theta, X, y) > 0.9


def test_grad_norms():
    grads = [(np.full((2, 2), 1.0), np.full(2, 2.0)), (np.full((2, 1), 3.0), np.zeros(1))]
    np.testing.assert_allclose(mlp.grad_norms(grads), [2.0, np.sqrt(18.0)])
    np.testing.assert_allclose(mlp.grad_norms(grads, include_bias=True), [np.sqrt(12.0),
                                                                          np.sqrt(18.0)])


# --- bad input ----------------------------------------------------------------------------------
PARAMS = mlp.init_params([3, 4, 2])


@pytest.mark.parametrize("call, match", [
    (lambda: mlp.forward(PARAMS, np.ones((5, 4))), "X has 4 columns"),
    (lambda: mlp.forward(PARAMS, np.ones(3)), "X must be a 2-D"),
    (lambda: mlp.forward(PARAMS, np.ones((5, 3)), activation="softmax"), "activation"),
    (lambda: mlp.init_params([3, 4], init="glorot"), "init"),
    (lambda: mlp.init_params([3]), "layer_sizes"),
    (lambda: mlp.loss(np.ones((4, 3)), np.array([0, 1, 3, 2]), "cross_entropy"), "labels"),
    (lambda: mlp.loss(np.ones((4, 3)), np.array([0, -1, 2, 2]), "cross_entropy"), "labels"),
    (lambda: mlp.loss(np.ones((4, 3)), np.array([0.5, 1, 2, 2]), "cross_entropy"), "integer"),
    (lambda: mlp.loss(np.ones((4, 3)), np.ones((4, 2)), "mse"), "y has shape"),
    (lambda: mlp.loss(np.ones((4, 1)), np.ones((4, 1)), "hinge"), "loss"),
    (lambda: mlp.loss_and_grads(PARAMS, np.ones((2, 3)), np.ones((2, 2)), loss="l1"), "loss"),
    (lambda: mlp.unflatten(np.ones(5), [3, 4, 2]), "theta"),
    (lambda: mlp.MLPProblem(np.ones((4, 2)), np.ones(4), [3, 1]), "X has 2 columns"),
    (lambda: mlp.MLPProblem(np.ones((4, 3)), np.arange(4), [3, 3], loss="cross_entropy"),
     "labels"),
])
def test_bad_input_raises_value_error_naming_the_argument(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_problem_trains_with_descend_and_optimizers():
    import gdcore as gd

    rng = np.random.default_rng(1)
    X = rng.standard_normal((40, 3))
    y = rng.integers(0, 3, 40)
    problem = mlp.MLPProblem(X, y, [3, 8, 3], activation="relu", loss="cross_entropy",
                             init="he_normal")
    full = gd.descend(problem, problem.theta0, gd.optimizers.Adam(lr=0.02), 150)
    assert full.final_loss < 0.5 * full.losses[0]
    minibatch = gd.descend(problem, problem.theta0, gd.optimizers.SGD(lr=0.2), 60,
                           batch_size=10, seed=0)
    assert minibatch.final_loss < minibatch.losses[0]
