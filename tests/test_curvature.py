"""gdcore.curvature and the exact MLP Hessian-vector product: three independent methods agree.

- ``gd.mlp.hessian_vector_product`` (Pearlmutter's R-operator) against PyTorch's double backward
  (tests/data/torch_mlp_hvp.json, generated with torch 2.13.0 in float64);
- ``gd.curvature.hvp`` (central difference of gradients) against the R-operator, and against the
  closed-form Hessians of ``gd.functions`` problems;
- ``top_eigenvalue`` / ``sharpness`` against ``numpy.linalg.eigvalsh`` of the dense Hessian;
- ``track_sharpness`` against ``gd.descend`` with ``SGD`` (the same iterates), lanes against
  single runs, divergence reported and bad input rejected.
"""

import json
import warnings
from pathlib import Path

import numpy as np
import pytest

import gdcore as gd
from gdcore import curvature as cv
from gdcore import mlp

REFERENCE = Path(__file__).parent / "data" / "torch_mlp_hvp.json"
TORCH = json.loads(REFERENCE.read_text())["cases"] if REFERENCE.exists() else []


def _rel(a, b):
    return np.linalg.norm(np.asarray(a) - np.asarray(b)) / np.linalg.norm(b)


def _net(activation="tanh", loss="mse", residual=False, sizes=(3, 4, 4, 2), seed=1):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((7, sizes[0]))
    y = rng.standard_normal((7, sizes[-1])) if loss == "mse" else rng.integers(0, sizes[-1], 7)
    problem = mlp.MLPProblem(X, y, list(sizes), activation=activation, loss=loss,
                             residual=residual, seed=seed)
    return problem, problem.theta0 + 0.3 * rng.standard_normal(problem.dim)


def _dense(problem, theta):
    return np.column_stack([problem.hvp(theta, e) for e in np.eye(problem.dim)])


def test_reference_file_is_present():
    assert TORCH, f"{REFERENCE} is missing or has no cases"
    # every activation with a curvature, both losses, and the skip connections are covered
    assert {(c["activation"], c["loss"]) for c in TORCH} >= {
        (a, loss) for a in ("tanh", "sigmoid") for loss in mlp.LOSSES}
    assert any(c.get("residual") for c in TORCH)


@pytest.mark.parametrize("case", TORCH, ids=[f"{c['activation']}-{c['loss']}"
                                             f"{'-residual' if c.get('residual') else ''}"
                                             for c in TORCH])
def test_r_operator_matches_torch_double_backward(case):
    flat = [np.array(p, dtype=float) for p in case["params"]]
    params = list(zip(flat[::2], flat[1::2], strict=True))
    vec = [np.array(p, dtype=float) for p in case["v"]]
    vectors = list(zip(vec[::2], vec[1::2], strict=True))
    y = np.array(case["y"])
    Hv = mlp.hessian_vector_product(params, np.array(case["X"]), y, vectors,
                                    activation=case["activation"], loss=case["loss"],
                                    residual=case.get("residual", False))
    got = np.concatenate([np.concatenate([dW.ravel(), db]) for dW, db in Hv])
    want = np.concatenate([np.ravel(t) for t in case["hvp"]])
    assert _rel(got, want) <= 1e-12


NETS = [(a, loss, r) for a in mlp.ACTIVATIONS for loss in mlp.LOSSES for r in (False, True)]


@pytest.mark.parametrize("activation,loss,residual", NETS)
def test_r_operator_is_symmetric_and_matches_central_difference(activation, loss, residual):
    problem, theta = _net(activation, loss, residual)
    H = _dense(problem, theta)
    # an exact second derivative is symmetric to round-off; a wrong product rule is not
    assert np.abs(H - H.T).max() <= 1e-13 * np.abs(H).max()
    # the central difference has error O(h²) + O(ε/h) ≈ ε^(2/3) relative
    assert _rel(cv.hessian(problem.grad, theta), H) <= 1e-7
    v = np.random.default_rng(3).standard_normal(problem.dim)
    assert _rel(cv.hvp(problem.grad, theta, v), problem.hvp(theta, v)) <= 1e-7


@pytest.mark.parametrize("loss", mlp.LOSSES)
def test_f_and_grad_equals_f_and_grad_separately(loss):
    problem, theta = _net(loss=loss)
    f, g = problem.f_and_grad(theta)
    assert f == problem.f(theta) and np.array_equal(g, problem.grad(theta))
    thetas = theta + 0.1 * np.random.default_rng(2).standard_normal((2, 3, problem.dim))
    f, g = problem.f_and_grad(thetas)
    assert f.shape == (2, 3) and g.shape == thetas.shape
    assert np.allclose(f, problem.f(thetas), rtol=1e-14, atol=0)
    assert np.allclose(g, problem.grad(thetas), rtol=1e-13, atol=1e-16)


def test_activation_second_derivative_matches_finite_difference():
    z = np.linspace(-3, 3, 41) + 0.013
    for act in mlp.ACTIVATIONS:
        h = 1e-5
        phi1 = mlp.activation_derivative
        fd = (phi1(z + h, act) - phi1(z - h, act)) / (2 * h)
        assert np.allclose(mlp.activation_second_derivative(z, act), fd, atol=1e-8)


@pytest.mark.parametrize("name", ["rosenbrock", "himmelblau"])
def test_hvp_against_closed_form_hessians(name):
    problem = getattr(gd.functions, name)()
    x = np.array([0.7, -1.3])
    v = np.array([0.3, 0.9])
    assert _rel(cv.hvp(problem.grad, x, v), problem.hess(x) @ v) <= 1e-8
    assert _rel(cv.hessian(problem.grad, x, batched=False), problem.hess(x)) <= 1e-8


def test_hvp_lanes_equal_single_points():
    problem, theta = _net()
    rng = np.random.default_rng(5)
    thetas = theta + 0.1 * rng.standard_normal((4, problem.dim))
    vs = rng.standard_normal((4, problem.dim))
    lanes = cv.hvp(problem.grad, thetas, vs)
    singles = np.array([cv.hvp(problem.grad, t, v) for t, v in zip(thetas, vs, strict=True)])
    assert np.abs(lanes - singles).max() <= 1e-6 * np.abs(singles).max()
    unbatched = cv.hvp(problem.grad, thetas[0], vs[0], batched=False)
    assert np.allclose(unbatched, singles[0], rtol=0, atol=1e-6 * np.abs(singles[0]).max())


def test_top_eigenvalue_of_a_matrix_and_the_shift():
    rng = np.random.default_rng(0)
    Q, _ = np.linalg.qr(rng.standard_normal((6, 6)))
    lam = np.array([-9.0, -1.0, 0.5, 2.0, 3.0, 5.0])
    A = (Q * lam) @ Q.T
    # largest magnitude is −9: power iteration returns it with its sign
    e = cv.top_eigenvalue(lambda v: v @ A, 6, rtol=1e-12, max_iter=2000)
    assert e.converged and abs(e.value + 9.0) <= 1e-9
    # shifted by σ = −9 the spectrum is [0, 8, 9.5, 11, 12, 14]: the top one is λ = 5
    e = cv.top_eigenvalue(lambda v: v @ A, 6, rtol=1e-13, max_iter=5000, shift=-9.0)
    assert abs(e.value - 5.0) <= 1e-9
    assert abs(abs(e.vector @ Q[:, -1]) - 1.0) <= 1e-6
    # lanes: each row iterates on its own
    e = cv.top_eigenvalue(lambda v: v @ np.diag([1.0, 2.0, 4.0]), np.ones((2, 3)), rtol=1e-12,
                          max_iter=500)
    assert e.value.shape == (2,) and np.allclose(e.value, 4.0, rtol=1e-10)


def test_sharpness_matches_dense_eigenvalues_with_a_stopping_rule():
    problem, theta = _net(sizes=(2, 8, 1), seed=4)
    lam = np.linalg.eigvalsh(_dense(problem, theta))
    assert lam[-1] > abs(lam[0])          # the top eigenvalue is the dominant one here
    e = cv.sharpness(problem.grad, theta, rtol=1e-10, max_iter=1000)
    assert e.converged and abs(e.value - lam[-1]) <= 1e-6 * lam[-1]
    loose = cv.sharpness(problem.grad, theta, rtol=1e-3, max_iter=1000)
    assert loose.n_iter < e.n_iter       # a looser rule stops earlier ...
    assert abs(loose.value - lam[-1]) <= 2e-2 * lam[-1]   # ... still close (Rayleigh ≤ λ_max)
    capped = cv.sharpness(problem.grad, theta, rtol=1e-14, max_iter=3)
    assert capped.n_iter == 3 and not capped.converged


def test_track_sharpness_follows_descend_and_lanes_equal_single_runs():
    problem, theta = _net(sizes=(2, 6, 1), seed=2)
    lrs = np.array([0.05, 0.2])
    tr = cv.track_sharpness(problem, theta, lrs, 30, every=10, rtol=1e-8)
    assert tr.losses.shape == (31, 2) and list(tr.steps) == [0, 10, 20, 30]
    trace = gd.descend(problem, theta, gd.optimizers.SGD(lr=lrs[:, None]), 30)
    assert np.allclose(tr.losses, trace.losses, rtol=1e-12, atol=0)
    assert np.allclose(tr.final_x, trace.xs[-1], rtol=0, atol=1e-12)
    single = cv.track_sharpness(problem, theta, lrs[1], 30, every=10, rtol=1e-8)
    assert isinstance(single.diverged, bool) and not single.diverged
    assert np.allclose(single.losses, tr.losses[:, 1], rtol=1e-12)
    assert np.allclose(single.sharpness, tr.sharpness[:, 1], rtol=1e-5)
    lam0 = np.linalg.eigvalsh(_dense(problem, theta))[-1]
    assert abs(tr.sharpness[0, 0] - lam0) <= 1e-5 * lam0
    # the warm-started iterations stay on the top eigenvalue along the run (k = 30 = last mark)
    lam_end = np.linalg.eigvalsh(np.stack([_dense(problem, x) for x in tr.final_x]))[:, -1]
    assert np.all(np.abs(tr.sharpness[-1] - lam_end) <= 1e-5 * lam_end)


def test_track_sharpness_reports_divergence_quietly():
    problem, theta = _net(sizes=(2, 6, 1), seed=2)
    lam0 = np.linalg.eigvalsh(_dense(problem, theta))[-1]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        tr = cv.track_sharpness(problem, theta, [0.01, 200.0 / lam0], 200, every=50)
    assert list(tr.diverged) == [False, True]
    assert np.isnan(tr.losses[-1, 1]) and np.isfinite(tr.losses[-1, 0])
    assert np.isnan(tr.sharpness[-1, 1]) and np.isfinite(tr.sharpness[-1, 0])


BAD = [
    (lambda p, t: cv.track_sharpness(p, t, -0.1, 5), "Invalid learning rate: -0.1"),
    (lambda p, t: cv.track_sharpness(p, np.stack([t, t]), [0.1, 0.2, 0.3], 5),
     "lr must be one number"),
    (lambda p, t: cv.track_sharpness(p, t, 0.1, -1), "steps must be"),
    (lambda p, t: cv.track_sharpness(p, t, 0.1, 5, every=0), "every must be"),
    (lambda p, t: cv.hvp(p.grad, t, np.zeros_like(t)), "v must be non-zero"),
    (lambda p, t: cv.hvp(p.grad, t, t[:3]), "v must have the shape"),
    (lambda p, t: cv.hvp(p.grad, t * np.nan, t), "theta must be finite"),
    (lambda p, t: cv.hvp(p.grad, t, t, h=0.0), "Invalid finite-difference step h: 0.0"),
    (lambda p, t: cv.hvp(p.grad, t, t, h=np.inf), "Invalid finite-difference step h: inf"),
    (lambda p, t: cv.top_eigenvalue(p.hvp, t.size, rtol=0), "Invalid rtol: 0"),
    (lambda p, t: cv.top_eigenvalue(p.hvp, t.size, max_iter=0), "Invalid max_iter: 0"),
    (lambda p, t: cv.top_eigenvalue(p.hvp, 0), "dim_or_v0 must be"),
    (lambda p, t: cv.sharpness(p.grad, t, v0=t[:2]), "v0 must have the shape"),
    (lambda p, t: cv.hessian(p.grad, np.stack([t, t])), "theta must have shape (d,)"),
    (lambda p, t: p.hvp(t, t[:2]), "theta and v must both have shape"),
]


@pytest.mark.parametrize("call,message", BAD, ids=[m for _, m in BAD])
def test_bad_input(call, message):
    problem, theta = _net()
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        call(problem, theta)


def test_stability_figures_draw_what_they_are_given():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from gdcore.plotting import stability as plots

    problem, theta = _net(sizes=(2, 6, 1), seed=2)
    lrs = np.array([0.05, 0.05, 0.2])
    tr = cv.track_sharpness(problem, np.stack([theta, theta, theta]), lrs, 40, every=10)
    fig = plots.edge_of_stability_figure(tr, lrs, window_start=20)
    assert len(fig.axes) == 4                         # two columns (η = 0.05, 0.2), two rows
    bottom = fig.axes[2]                              # the η = 0.05 sharpness panel
    assert len(bottom.lines) == 3                     # two lanes and the dashed 2/η line
    assert np.allclose(bottom.lines[-1].get_ydata(), 2 / 0.05)
    assert np.allclose(bottom.lines[0].get_ydata(), tr.sharpness[:, 0])
    ax = plots.power_iteration_figure([1.0, 2.0, 2.9], 3.0)
    assert np.allclose(ax.lines[0].get_ydata(), [1.0, 2.0, 2.9])
    plt.close("all")
