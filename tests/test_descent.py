"""Tests of gdcore.descent: closed-form rates on quadratics, divergence, batching equal to single
runs, stopping rules, clipping, minibatches and bad input."""

import warnings

import numpy as np
import pytest

import gdcore as gd
from gdcore import functions as F
from gdcore.descent import Trace, descend


class PlainGD:
    """The smallest optimizer obeying the protocol: x ← x − η g (no gdcore.optimizers needed)."""

    def __init__(self, lr):
        self.lr = lr

    def init(self, x):
        return 0

    def update(self, x, g, state):
        return x - self.lr * g, state + 1

    def lr_at(self, step):
        return self.lr


def _sgd(lr):
    return gd.optimizers.SGD(lr=lr)


OPTIMIZERS = [PlainGD, _sgd]


@pytest.fixture
def no_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


@pytest.mark.parametrize("make_opt", OPTIMIZERS)
@pytest.mark.parametrize("mu, L", [(1.0, 10.0), (0.5, 2.0), (2.0, 200.0)])
def test_optimal_step_contracts_by_kappa_ratio(make_opt, mu, L):
    # e_{k+1} = (I − ηA) e_k with η = 2/(L+μ): both extreme eigen-components shrink by
    # exactly (κ−1)/(κ+1) in absolute value, so ‖e_k‖ does too.
    q = F.quadratic(np.diag([mu, L]), [1.0, -2.0])
    kappa = L / mu
    trace = descend(q, q.minimizer + [1.0, 1.0], make_opt(2 / (L + mu)), 40)
    err = np.linalg.norm(trace.xs - q.minimizer, axis=-1)
    measured = np.exp(np.polyfit(np.arange(41), np.log(err), 1)[0])
    assert measured == pytest.approx((kappa - 1) / (kappa + 1), rel=1e-6)


def test_contraction_bound_on_a_rotated_quadratic():
    rng = np.random.default_rng(3)
    Q, _ = np.linalg.qr(rng.standard_normal((5, 5)))
    A = Q @ np.diag([1.0, 2.0, 3.0, 5.0, 8.0]) @ Q.T
    q = F.quadratic((A + A.T) / 2, rng.standard_normal(5))
    rate = (q.condition_number - 1) / (q.condition_number + 1)
    trace = descend(q, rng.standard_normal((10, 5)), PlainGD(2 / (q.L + q.mu)), 30)
    err = np.linalg.norm(trace.xs - q.minimizer, axis=-1)
    assert np.all(err[1:] <= rate * err[:-1] * (1 + 1e-9) + 1e-14)
    # η = 1/L contracts the error along the μ-eigenvector by 1 − μ/L = 7/8, worse than 7/9.
    v = np.linalg.eigh(q.A)[1][:, 0]
    slow = descend(q, q.minimizer + v, PlainGD(1 / q.L), 30)
    slow_err = np.linalg.norm(slow.xs - q.minimizer, axis=-1)
    np.testing.assert_allclose(slow_err[1:] / slow_err[:-1], 1 - q.mu / q.L, rtol=1e-6)


@pytest.mark.parametrize("make_opt", OPTIMIZERS)
def test_step_above_two_over_L_diverges(make_opt, no_warnings):
    q = F.quadratic(np.diag([1.0, 10.0]))
    trace = descend(q, [1.0, 1.0], make_opt(2.1 / q.L), 500)
    assert trace.diverged is True and trace.converged is False
    k = trace.steps_taken
    assert 0 < k < 500
    # Closed form: f(x_k) = ½(1 − η)^{2k} + 5(1 − 10η)^{2k}; the lane stops at the first k
    # where f(x_k) > 1e6 · f(x_0) (f(x_0) = 5.5).
    eta = 2.1 / q.L
    loss = [0.5 * (1 - eta) ** (2 * j) + 5 * (1 - 10 * eta) ** (2 * j) for j in range(500)]
    assert k == next(j for j, value in enumerate(loss) if value > 1e6 * 5.5)
    assert np.all(np.isnan(trace.xs[k:])) and np.all(np.isfinite(trace.xs[:k]))
    assert np.all(np.isnan(trace.losses[k:])) and np.isnan(trace.final_loss)
    assert trace.losses[k - 1] <= 1e6 * max(trace.losses[0], 1.0)
    # Just below 2/L: converges (slowly).
    assert descend(q, [1.0, 1.0], make_opt(1.99 / q.L), 500).diverged is False


def test_overflow_is_silent_and_lanes_are_independent(no_warnings):
    # Huge steps on Rosenbrock overflow float64 in a couple of steps; no RuntimeWarning escapes.
    p = F.rosenbrock()
    lrs = np.array([[1e-4], [1e-3], [10.0], [1e6]])
    trace = descend(p, [-1.0, 1.0], PlainGD(lrs), 200, blowup=None)
    np.testing.assert_array_equal(trace.diverged, [False, False, True, True])
    assert trace.xs.shape == (201, 4, 2) and trace.steps_taken.dtype.kind == "i"
    assert np.all(np.isfinite(trace.xs[:, :2]))
    for i, lr in enumerate(lrs[:, 0]):
        single = descend(p, [-1.0, 1.0], PlainGD(lr), 200, blowup=None)
        np.testing.assert_array_equal(single.xs, trace.xs[:, i])
        assert single.diverged == trace.diverged[i]


@pytest.mark.parametrize("make_opt", [
    lambda lr: gd.optimizers.SGD(lr=lr, momentum=0.9),
    lambda lr: gd.optimizers.Adam(lr=lr),
    lambda lr: PlainGD(lr),
])
def test_batched_learning_rates_equal_single_runs_exactly(make_opt, no_warnings):
    p = F.rosenbrock()
    lrs = np.geomspace(1e-4, 0.05, 9)
    batched = descend(p, [-1.2, 1.0], make_opt(lrs[:, None]), 150, tol=1e-3)
    assert batched.xs.shape == (151, 9, 2) and batched.losses.shape == (151, 9)
    for i, lr in enumerate(lrs):
        single = descend(p, [-1.2, 1.0], make_opt(lr), 150, tol=1e-3)
        np.testing.assert_array_equal(single.xs, batched.xs[:, i])
        np.testing.assert_array_equal(single.losses, batched.losses[:, i])
        np.testing.assert_array_equal(single.grad_norms, batched.grad_norms[:, i])
        assert single.steps_taken == batched.steps_taken[i]
        assert single.converged == batched.converged[i]
        assert single.diverged == batched.diverged[i]


def test_batched_starting_points_equal_single_runs_exactly():
    p = F.himmelblau()
    x0 = np.random.default_rng(0).uniform(-5, 5, size=(3, 4, 2))
    opt = gd.optimizers.Adam(lr=0.05)
    batched = descend(p, x0, opt, 100, tol=1e-6)
    assert batched.xs.shape == (101, 3, 4, 2) and batched.converged.shape == (3, 4)
    for idx in np.ndindex(3, 4):
        single = descend(p, x0[idx], opt, 100, tol=1e-6)
        np.testing.assert_array_equal(single.xs, batched.xs[(slice(None), *idx)])
        assert single.steps_taken == batched.steps_taken[idx]


def test_tol_stops_lanes_when_the_gradient_is_small():
    q = F.quadratic(np.diag([1.0, 1.0]))
    # GD with η = 0.5 halves x each step: ‖∇f(x_k)‖ = 2⁻ᵏ‖x_0‖, below 1e-3 at k = 10 for ‖x_0‖=1.
    x0 = np.array([[1.0, 0.0], [0.0, 1e-4], [0.0, 0.0]])
    trace = descend(q, x0, PlainGD(0.5), 30, tol=1e-3)
    np.testing.assert_array_equal(trace.converged, [True, True, True])
    np.testing.assert_array_equal(trace.steps_taken, [10, 0, 0])
    np.testing.assert_array_equal(trace.xs[10:, 0], np.tile([2.0**-10, 0.0], (21, 1)))
    assert np.all(trace.grad_norms[trace.steps_taken[0], 0] <= 1e-3 < trace.grad_norms[9, 0])
    assert np.isfinite(trace.xs).all()


def test_gradient_descent_finds_the_least_squares_solution():
    x, y = gd.data.linear_data(n=100, seed=0)
    p = F.linear_regression(gd.data.design_matrix(x), y)
    L = np.linalg.eigvalsh(p.hess(p.minimizer))[-1]
    trace = descend(p, [0.0, 0.0], gd.optimizers.SGD(lr=1.0 / L), 5000, tol=1e-10)
    assert trace.converged
    np.testing.assert_allclose(trace.final_x, np.linalg.lstsq(p.X, p.y, rcond=None)[0],
                               rtol=1e-8)


def test_full_batch_size_is_exactly_gradient_descent():
    x, y = gd.data.linear_data(n=64, seed=1)
    p = F.linear_regression(gd.data.design_matrix(x), y)
    full = descend(p, [0.0, 0.0], _sgd(0.1), 50)
    mini = descend(p, [0.0, 0.0], _sgd(0.1), 50, batch_size=64, seed=123)
    np.testing.assert_array_equal(full.xs, mini.xs)


class RecordingData:
    """A data problem that records which samples each minibatch gradient used."""

    def __init__(self, n):
        self.n_samples, self.batches = n, []
        self.inner = F.quadratic(np.eye(2))

    def f(self, x):
        return self.inner.f(x)

    def grad(self, x):
        return self.inner.grad(x)

    def grad_batch(self, x, idx):
        self.batches.append(np.asarray(idx))
        return self.inner.grad(x)


def test_minibatches_are_epochs_without_replacement():
    data = RecordingData(10)
    descend(data, [1.0, 1.0], PlainGD(0.01), 8, batch_size=4, seed=0)
    sizes = [len(b) for b in data.batches]
    assert sizes == [4, 4, 2, 4, 4, 2, 4, 4]  # ⌈10/4⌉ = 3 steps per epoch
    for epoch in (data.batches[0:3], data.batches[3:6]):
        np.testing.assert_array_equal(np.sort(np.concatenate(epoch)), np.arange(10))
    assert not np.array_equal(np.concatenate(data.batches[0:3]),
                              np.concatenate(data.batches[3:6]))


def test_minibatch_runs_are_seeded():
    x, y = gd.data.linear_data(n=50, seed=2)
    p = F.linear_regression(gd.data.design_matrix(x), y)
    a = descend(p, [0.0, 0.0], _sgd(0.05), 60, batch_size=5, seed=7)
    b = descend(p, [0.0, 0.0], _sgd(0.05), 60, batch_size=5, seed=7)
    c = descend(p, [0.0, 0.0], _sgd(0.05), 60, batch_size=5, seed=8)
    np.testing.assert_array_equal(a.xs, b.xs)
    assert not np.array_equal(a.xs, c.xs)
    # The recorded loss is the full objective, so it can be checked against f directly.
    np.testing.assert_allclose(a.losses, p.f(a.xs), rtol=1e-14)


def test_clip_by_norm_limits_each_run_separately():
    q = F.quadratic(np.diag([1.0, 10.0]))
    x0 = np.array([[3.0, 3.0], [0.01, 0.01]])
    trace = descend(q, x0, PlainGD(0.01), 5, clip=1.0)
    moves = np.linalg.norm(np.diff(trace.xs, axis=0), axis=-1)
    # Run 0 has ‖∇f‖ ≈ 30: every move is η·max_norm (up to the 1e-6 of clip_grad_norm_).
    np.testing.assert_allclose(moves[:, 0], 0.01, rtol=1e-6)
    # Run 1 has ‖∇f‖ < 1 and must be untouched by run 0's clipping.
    np.testing.assert_array_equal(trace.xs[:, 1], descend(q, x0[1], PlainGD(0.01), 5).xs)
    callable_clip = descend(q, x0, PlainGD(0.01), 5, clip=lambda g: np.clip(g, -0.5, 0.5))
    np.testing.assert_allclose(np.abs(np.diff(callable_clip.xs[:, 0], axis=0)), 0.005)


def test_callback_sees_every_recorded_iterate():
    seen = []
    q = F.quadratic(np.diag([1.0, 2.0]))
    trace = descend(q, [1.0, 1.0], PlainGD(0.1), 5,
                    callback=lambda k, x, loss: seen.append((k, x.copy(), float(loss))))
    assert [k for k, _, _ in seen] == list(range(6))
    for k, x, loss in seen:
        np.testing.assert_array_equal(x, trace.xs[k])
        assert loss == trace.losses[k]


def test_learning_rates_are_recorded_from_the_schedule():
    q = F.quadratic(np.eye(2))
    schedule = gd.schedules.step_decay(0.1, step_size=3, gamma=0.5)
    trace = descend(q, [1.0, 1.0], gd.optimizers.SGD(lr=schedule), 7)
    np.testing.assert_allclose(trace.lrs, [0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025])
    sweep = descend(q, [1.0, 1.0], PlainGD(np.array([[0.1], [0.2]])), 4)
    np.testing.assert_array_equal(sweep.lrs, np.tile([0.1, 0.2], (4, 1)))


def test_a_bare_gradient_function_works():
    trace = descend(lambda x: 2 * x, [1.0, -2.0], PlainGD(0.25), 3)
    np.testing.assert_allclose(trace.xs[-1], [0.125, -0.25])
    assert np.all(np.isnan(trace.losses))
    np.testing.assert_allclose(trace.grad_norms, 2 * np.linalg.norm(trace.xs, axis=-1))
    assert descend(lambda x: 2 * x, [1.0], PlainGD(5.0), 100).diverged is True


def test_zero_steps_and_trace_helpers():
    q = F.square()
    trace = descend(q, [2.0], PlainGD(0.1), 0)
    assert isinstance(trace, Trace)
    assert trace.xs.shape == (1, 1) and trace.lrs.shape == (0,)
    assert trace.final_loss == 4.0 and trace.steps_taken == 0
    np.testing.assert_array_equal(trace.final_x, [2.0])


def test_sgld_runs_through_descend():
    # SGLD keeps its generator in the state: the loop must not disturb it (seeded → repeatable).
    q = F.square()
    a = descend(q, [1.0], gd.optimizers.SGLD(lr=0.01, seed=4), 50)
    b = descend(q, [1.0], gd.optimizers.SGLD(lr=0.01, seed=4), 50)
    np.testing.assert_array_equal(a.xs, b.xs)


@pytest.mark.parametrize("kwargs, match", [
    (dict(x0=[np.nan, 1.0]), "x0 must be finite"),
    (dict(x0=[np.inf, 1.0]), "x0 must be finite"),
    (dict(x0=1.0), "x0 must have shape"),
    (dict(steps=-1), "steps must be a non-negative integer"),
    (dict(steps=2.5), "steps must be a non-negative integer"),
    (dict(problem=lambda x: x[..., :1]), r"grad\(x\) returned shape \(1,\)"),
    (dict(problem="rosenbrock"), "problem_or_grad_fn"),
    (dict(batch_size=4), "batch_size needs a data problem"),
    (dict(clip=-1.0), "clip must be a positive"),
    (dict(opt=PlainGD(np.ones((3, 1))), x0=np.zeros((2, 2))), "does not broadcast"),
])
def test_bad_input(kwargs, match):
    args = dict(problem=F.rosenbrock(), x0=[0.0, 0.0], opt=PlainGD(0.1), steps=3)
    args.update(kwargs)
    extra = {k: v for k, v in args.items() if k not in ("problem", "x0", "opt", "steps")}
    with pytest.raises(ValueError, match=match):
        descend(args["problem"], args["x0"], args["opt"], args["steps"], **extra)


def test_bad_batch_size():
    x, y = gd.data.linear_data(n=10)
    p = F.linear_regression(gd.data.design_matrix(x), y)
    for bad in (0, 11, 2.5):
        with pytest.raises(ValueError, match=r"batch_size must be an integer in \[1, 10\]"):
            descend(p, [0.0, 0.0], PlainGD(0.1), 3, batch_size=bad)


def test_warnings_of_the_callback_are_not_silenced():
    # descend silences overflow of its own arithmetic only, not the reader's code.
    def callback(k, x, loss):
        np.log(np.zeros(1))

    with pytest.warns(RuntimeWarning):
        descend(F.square(), [1.0], PlainGD(0.1), 1, callback=callback)


# ----------------------------------------------------------------------------------------------
# line_search="armijo"

def test_armijo_descent_records_accepted_steps_that_satisfy_sufficient_decrease():
    q = F.quadratic(np.diag([1.0, 10.0]), [1.0, -1.0])
    trace = descend(q, [3.0, 2.0], _sgd(1.0), 40, line_search="armijo")
    assert trace.lrs.shape == (40,) and trace.evaluations.shape == (40,)
    for k in range(40):
        x, eta = trace.xs[k], trace.lrs[k]
        g = q.grad(x)
        np.testing.assert_allclose(trace.xs[k + 1], x - eta * g, rtol=1e-15, atol=1e-15)
        assert q.f(trace.xs[k + 1]) <= q.f(x) - 1e-4 * eta * (g @ g)
        # The accepted step is the first of 1, 1/2, 1/4, …: one more doubling would fail.
        assert eta == 0.5 ** (trace.evaluations[k] - 1)
        assert eta == 1.0 or q.f(x - 2 * eta * g) > q.f(x) - 1e-4 * 2 * eta * (g @ g)
    # Never below shrink·2(1 − c₁)/L = (1 − c₁)/L, without being told L = 10.
    assert np.all(trace.lrs >= (1 - 1e-4) / 10)


def test_armijo_descent_lanes_equal_single_runs_and_stop_independently():
    r = F.rosenbrock()
    x0 = np.array([[-1.5, 2.0], [1.0, 1.0 + 1e-9], [0.0, 0.0]])
    batch = descend(r, x0, _sgd(1.0), 30, tol=1e-6, line_search="armijo")
    assert batch.lrs.shape == (30, 3)
    for i in range(3):
        one = descend(r, x0[i], _sgd(1.0), 30, tol=1e-6, line_search="armijo")
        np.testing.assert_array_equal(one.xs, batch.xs[:, i])
        np.testing.assert_array_equal(one.lrs, batch.lrs[:, i])
        np.testing.assert_array_equal(one.evaluations, batch.evaluations[:, i])
    assert batch.converged[1] and np.isnan(batch.lrs[1:, 1]).all()
    assert (batch.evaluations[1:, 1] == 0).all()


def test_line_search_options_and_the_first_trial_is_the_lr():
    q = F.quadratic(np.diag([1.0, 10.0]))
    trace = descend(q, [3.0, 2.0], _sgd(0.05), 5, line_search="armijo",
                    line_search_options=dict(shrink=0.1, c1=0.5))
    assert np.all(trace.lrs == 0.05)  # 0.05 < 2(1 − c₁)/L = 0.1: accepted at once
    trace = descend(q, [3.0, 2.0], _sgd(1.0), 5, line_search="armijo",
                    line_search_options=dict(shrink=0.1))
    assert set(np.round(np.log10(trace.lrs), 12)) <= {0.0, -1.0, -2.0}


def test_armijo_descent_accepts_the_closed_form_interval_with_a_large_c1():
    # On a quadratic Armijo passes iff η ≤ 2(1 − c₁)/h_k, h_k = gᵀAg/‖g‖² (see test_linesearch);
    # c₁ = 0.5 tells sufficient decrease from plain decrease (η < 2/h_k).
    q = F.quadratic(np.diag([0.5, 2.0, 9.0]), [1.0, -1.0, 0.5])
    trace = descend(q, [3.0, 2.0, -1.0], _sgd(4.0), 30, line_search="armijo",
                    line_search_options=dict(c1=0.5, shrink=0.6))
    g = q.grad(trace.xs[:-1])
    h = np.einsum("ki,ij,kj->k", g, q.A, g) / np.einsum("ki,ki->k", g, g)
    ratio = trace.lrs * h / (2 * (1 - 0.5))
    assert np.all(ratio > 0.6 * (1 + 1e-9)) and np.all(ratio <= 1 - 1e-9)


def test_without_line_search_the_trace_is_unchanged():
    q = F.quadratic(np.diag([1.0, 10.0]))
    trace = descend(q, [3.0, 2.0], _sgd(0.1), 5)
    assert trace.evaluations is None and np.all(trace.lrs == 0.1)


@pytest.mark.parametrize("kwargs, match", [
    (dict(line_search="wolfe"), "Invalid line_search value: 'wolfe'"),
    (dict(line_search="armijo", problem=F.rosenbrock().grad), "line_search needs a Problem"),
    (dict(line_search="armijo", line_search_options=dict(shrink=2.0)), "Invalid shrink value"),
])
def test_line_search_bad_input(kwargs, match):
    args = dict(problem=F.rosenbrock(), x0=[0.0, 0.0], opt=PlainGD(0.1), steps=3)
    args.update(kwargs)
    extra = {k: v for k, v in args.items() if k not in ("problem", "x0", "opt", "steps")}
    with pytest.raises(ValueError, match=match):
        descend(args["problem"], args["x0"], args["opt"], args["steps"], **extra)
