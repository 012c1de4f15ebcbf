"""Tests of gdcore.optimizers: PyTorch parity, closed forms, sweeps, purity and bad input.

The parity cases (tests/data/torch_optim_trajectories.json) come from torch.optim itself
(tools/make_torch_reference.py); the optimizer of each case is built generically from its torch
class name and keyword arguments, so any further case in the same format is tested the same way.
"""

from __future__ import annotations

import ast
import json
import math
import re
from pathlib import Path

import numpy as np
import pytest

from gdcore import functions, optimizers, schedules
from gdcore.optimizers import SGD, SGLD, Adadelta, Adagrad, Adam, AdamW, NAdam, RMSprop

DATA = Path(__file__).parent / "data"
TRAJECTORIES = json.loads((DATA / "torch_optim_trajectories.json").read_text())["cases"]

# torch.optim class name -> gdcore class.
TORCH_TO_GDCORE = {"SGD": SGD, "Adagrad": Adagrad, "RMSprop": RMSprop, "Adadelta": Adadelta,
                   "Adam": Adam, "AdamW": AdamW, "NAdam": NAdam}
# torch keyword arguments that choose an implementation, not the mathematics.
TORCH_EXECUTION_FLAGS = {"foreach", "fused", "capturable", "differentiable"}
RTOL = 1e-10


def problem_of(case):
    """The gdcore.functions problem a case was run on (its `function` and `formula` fields)."""
    name = case["function"]
    if name == "quadratic":
        if "A" in case:
            A, b = case["A"], case["b"]
        else:  # the shared format spells A and b inside the formula: "..., A = [[..]], b = [..]"
            A = ast.literal_eval(re.search(r"A\s*=\s*(\[\[.*?\]\])", case["formula"]).group(1))
            b = ast.literal_eval(re.search(r"b\s*=\s*(\[[^\[\]]*\])", case["formula"]).group(1))
        return functions.quadratic(np.array(A, dtype=float), np.array(b, dtype=float))
    return getattr(functions, name)()


def optimizer_of(case):
    cls = TORCH_TO_GDCORE[case["optimizer"]]
    hyper = {k: v for k, v in case["hyperparameters"].items() if k not in TORCH_EXECUTION_FLAGS}
    if "betas" in hyper:
        hyper["betas"] = tuple(hyper["betas"])
    if "schedule" in case:  # the lr followed a torch scheduler, stepped after every update
        hyper["lr"] = getattr(schedules, case["schedule"]["name"])(**case["schedule"]["arguments"])
    return cls(**hyper)


def run(optimizer, problem, x0, steps):
    x = np.asarray(x0, dtype=float)
    state = optimizer.init(x)
    xs, losses = [x], []
    for _ in range(steps):
        losses.append(problem.f(x))
        x, state = optimizer.update(x, problem.grad(x), state)
        xs.append(x)
    return np.array(xs), np.array(losses)


def case_id(case):
    hyper = ",".join(f"{k}={v}" for k, v in case["hyperparameters"].items())
    dim = f"{len(case['x0'])}d-" if len(case["x0"]) != 2 else ""
    sched = f"-{case['schedule']['name']}" if "schedule" in case else ""
    return f"{case['optimizer']}-{case['function']}-{dim}{hyper}{sched}"


@pytest.mark.parametrize("case", TRAJECTORIES, ids=[case_id(c) for c in TRAJECTORIES])
def test_matches_torch_optim(case):
    """Every trajectory (points and losses) agrees with torch.optim to 1e-10 relative.

    Relative to each entry, with an absolute floor of 1e-10 × the largest entry of the whole
    trajectory, so that a coordinate passing through zero does not need 1e-10 of nothing.
    """
    xs, losses = run(optimizer_of(case), problem_of(case), case["x0"], case["steps"])
    ref_xs, ref_losses = np.array(case["xs"]), np.array(case["losses_before_each_step"])
    assert xs.shape == ref_xs.shape
    np.testing.assert_allclose(xs, ref_xs, rtol=RTOL, atol=RTOL * np.max(np.abs(ref_xs)))
    np.testing.assert_allclose(losses, ref_losses, rtol=RTOL,
                               atol=RTOL * np.max(np.abs(ref_losses)))


def test_reference_data_covers_every_optimizer_and_hyperparameter():
    seen = {(c["optimizer"], k) for c in TRAJECTORIES for k in c["hyperparameters"]}
    expected = {
        ("SGD", "momentum"), ("SGD", "dampening"), ("SGD", "nesterov"), ("SGD", "weight_decay"),
        ("SGD", "maximize"), ("Adagrad", "lr_decay"), ("Adagrad", "weight_decay"),
        ("Adagrad", "initial_accumulator_value"), ("Adagrad", "eps"), ("RMSprop", "alpha"),
        ("RMSprop", "eps"), ("RMSprop", "weight_decay"), ("RMSprop", "momentum"),
        ("RMSprop", "centered"), ("Adadelta", "rho"), ("Adadelta", "eps"), ("Adadelta", "lr"),
        ("Adadelta", "weight_decay"), ("Adam", "betas"), ("Adam", "eps"),
        ("Adam", "weight_decay"), ("Adam", "amsgrad"), ("AdamW", "amsgrad"),
        ("AdamW", "weight_decay"), ("NAdam", "momentum_decay"), ("NAdam", "weight_decay"),
        ("NAdam", "decoupled_weight_decay"), ("NAdam", "betas"),
    }
    assert expected <= seen, expected - seen
    assert any(len(c["x0"]) >= 3 for c in TRAJECTORIES)


# ----------------------------------------------------------------------------------------------
# Closed forms

def test_first_adam_step_is_minus_lr_times_sign_of_gradient():
    """m₁ = (1−β₁)g, v₁ = (1−β₂)g²: θ₁ = θ₀ − η g/(|g| + ε), i.e. −η·sign(g) up to ε/|g|."""
    rng = np.random.default_rng(1)
    params = rng.normal(size=(4, 7))
    grad = rng.normal(size=(4, 7)) * 10.0 ** rng.integers(-3, 4, size=(4, 7))
    lr, eps = 0.01, 1e-8
    opt = Adam(lr=lr, eps=eps)
    new, _ = opt.update(params, grad, opt.init(params))
    step = new - params
    bound = lr * eps / np.abs(grad) + 1e-15
    assert np.all(np.abs(step + lr * np.sign(grad)) <= bound)


def test_sgd_momentum_buffer_starts_at_first_gradient_without_dampening():
    """b₁ = g₁ (no dampening on the first step), b₂ = μ b₁ + (1 − τ) g₂."""
    lr, mu, tau = 0.1, 0.9, 0.5
    opt = SGD(lr=lr, momentum=mu, dampening=tau)
    theta0, g1, g2 = np.array([1.0, -2.0]), np.array([0.5, 4.0]), np.array([-1.0, 2.0])
    state = opt.init(theta0)
    theta1, state = opt.update(theta0, g1, state)
    np.testing.assert_allclose(theta1, theta0 - lr * g1, rtol=1e-15)
    theta2, state = opt.update(theta1, g2, state)
    np.testing.assert_allclose(state.momentum_buffer, mu * g1 + (1 - tau) * g2, rtol=1e-15)
    np.testing.assert_allclose(theta2, theta1 - lr * (mu * g1 + (1 - tau) * g2), rtol=1e-15)


def test_gradient_descent_contracts_by_kappa_ratio_on_quadratic():
    """η = 2/(L+μ) on ½xᵀAx: the error in the extreme eigendirections shrinks by (κ−1)/(κ+1)."""
    A = np.diag([1.0, 10.0])
    problem = functions.quadratic(A)
    L, mu = 10.0, 1.0
    opt = SGD(lr=2 / (L + mu))
    x = np.array([1.0, 1.0])
    state = opt.init(x)
    for _ in range(5):
        new, state = opt.update(x, problem.grad(x), state)
        ratio = np.abs(new) / np.abs(x)
        np.testing.assert_allclose(ratio, (L / mu - 1) / (L / mu + 1), rtol=1e-12)
        x = new


def test_lr_schedule_is_used_step_by_step():
    sched = schedules.step_decay(0.1, step_size=2, gamma=0.5)
    opt = SGD(lr=sched)
    assert [opt.lr_at(t) for t in range(5)] == [0.1, 0.1, 0.05, 0.05, 0.025]
    x, g = np.array([1.0]), np.array([1.0])
    state = opt.init(x)
    for t in range(5):
        new, state = opt.update(x, g, state)
        assert new[0] == x[0] - sched(t)
        x = new
    assert Adam(lr=0.3).lr_at(7) == 0.3


# ----------------------------------------------------------------------------------------------
# SGLD

@pytest.mark.parametrize("temperature", [1.0, 0.5])
def test_sgld_samples_a_gaussian_target(temperature):
    r"""SGLD on U = (x−m)²/(2s²) is the AR(1) chain x' − m = ρ(x − m) + √(ηT) ξ, ρ = 1 − η/(2s²).

    Its stationary law is N(m, σ²) with σ² = T s² / (1 − η/(4s²)) (discretisation bias O(η));
    the integrated autocorrelation time is τ = (1+ρ)/(1−ρ). With N draws the standard errors are
    √(σ² τ / N) for the mean and √(2σ⁴ (1+ρ²)/(1−ρ²) / N) for the sample variance; we allow five
    of them plus the O(η) bias when comparing with the target's T s².
    """
    m, s, eta = 2.0, 0.5, 0.01
    n_chains, burn_in, n_steps = 100, 600, 4000
    problem_grad = lambda x: (x - m) / s**2  # noqa: E731
    opt = SGLD(lr=eta, temperature=temperature, seed=42)
    x = np.zeros((n_chains, 1))
    state = opt.init(x)
    samples = []
    for t in range(burn_in + n_steps):
        x, state = opt.update(x, problem_grad(x), state)
        if t >= burn_in:
            samples.append(x[:, 0])
    samples = np.array(samples)
    N = samples.size
    rho = 1 - eta / (2 * s**2)
    tau = (1 + rho) / (1 - rho)
    stationary_var = temperature * s**2 / (1 - eta / (4 * s**2))
    se_mean = math.sqrt(stationary_var * tau / N)
    se_var = math.sqrt(2 * stationary_var**2 * (1 + rho**2) / (1 - rho**2) / N)
    bias = stationary_var - temperature * s**2
    assert abs(samples.mean() - m) <= 5 * se_mean
    assert abs(samples.var() - temperature * s**2) <= abs(bias) + 5 * se_var
    # The test can fail: forgetting the ½ in the drift would give variance T s²/2.
    assert 5 * se_var + abs(bias) < 0.25 * temperature * s**2


def test_sgld_is_reproducible_and_pure():
    opt = SGLD(lr=0.1, seed=7)
    x, g = np.zeros(3), np.ones(3)
    state = opt.init(x)
    a, state_a = opt.update(x, g, state)
    b, _ = opt.update(x, g, state)  # the same state again: the same noise
    np.testing.assert_array_equal(a, b)
    c, _ = opt.update(a, g, state_a)
    assert not np.array_equal(a - x, c - a)  # fresh noise on the next step
    zero_temperature = SGLD(lr=0.1, temperature=0.0)
    d, _ = zero_temperature.update(x, g, zero_temperature.init(x))
    np.testing.assert_array_equal(d, x - 0.05 * g)  # T = 0: gradient descent with step η/2


# ----------------------------------------------------------------------------------------------
# Sweeps: a leading run axis with per-run hyperparameters

SWEEPS = [
    ("sgd", {"lr": [1e-4, 5e-4, 1e-3]}, {}),
    ("momentum", {"lr": [1e-4, 5e-4, 1e-3]}, {}),
    ("nesterov", {"lr": [1e-4, 5e-4, 1e-3], "momentum": [0.5, 0.8, 0.9]}, {}),
    ("sgd", {"momentum": [0.3, 0.6, 0.9], "dampening": [0.0, 0.1, 0.5]},
     {"lr": 1e-3, "weight_decay": 0.01}),
    ("adagrad", {"lr": [0.05, 0.1, 0.5], "lr_decay": [0.0, 0.01, 0.1]}, {}),
    ("rmsprop", {"lr": [1e-3, 5e-3, 1e-2], "alpha": [0.9, 0.95, 0.99]},
     {"centered": True, "momentum": 0.5}),
    ("adadelta", {"lr": [0.5, 1.0, 2.0], "rho": [0.5, 0.9, 0.95]}, {}),
    ("adam", {"lr": [0.01, 0.05, 0.1]}, {}),
    ("adam", {"betas": ([0.5, 0.8, 0.9], [0.9, 0.99, 0.999])}, {"lr": 0.05}),
    ("amsgrad", {"lr": [0.01, 0.05, 0.1], "eps": [1e-8, 1e-6, 1e-4]}, {}),
    ("adamw", {"lr": [0.01, 0.05, 0.1], "weight_decay": [0.0, 0.01, 0.1]}, {}),
    ("nadam", {"lr": [0.01, 0.05, 0.1], "momentum_decay": [0.0, 4e-3, 1e-2]}, {}),
]


def _per_run(values, run=None):
    """Column of per-run values (shape (n_runs, 1)) or, with run, that run's scalar."""
    if isinstance(values, tuple):
        return tuple(_per_run(v, run) for v in values)
    return np.array(values)[:, None] if run is None else values[run]


def assert_sweep_equals_separate_runs(name, swept, fixed, n_runs=3, steps=40):
    """40 steps on Rosenbrock of a sweep over the `swept` hyperparameters (one lane per run)
    equal, to the last bit, the runs done one at a time (also used by test_optimizers_more)."""
    problem = functions.rosenbrock()
    x0 = np.array([-1.5, 2.0])
    batched = optimizers.by_name(name, **fixed, **{k: _per_run(v) for k, v in swept.items()})
    xs_batched, _ = run(batched, problem, np.tile(x0, (n_runs, 1)), steps)
    single_fixed = {k: v for k, v in fixed.items() if k != "lane_dims"}  # one run has no lanes
    for r in range(n_runs):
        single = optimizers.by_name(name, **single_fixed,
                                    **{k: _per_run(v, r) for k, v in swept.items()})
        xs_single, _ = run(single, problem, x0, steps)
        np.testing.assert_array_equal(xs_batched[:, r], xs_single)
    assert np.all(np.isfinite(xs_batched))


@pytest.mark.parametrize("name, swept, fixed", SWEEPS,
                         ids=[f"{n}-{'-'.join(s)}" for n, s, _ in SWEEPS])
def test_batched_sweep_equals_separate_runs_exactly(name, swept, fixed):
    assert_sweep_equals_separate_runs(name, swept, fixed)


def test_sweep_broadcasts_a_single_start_over_runs():
    opt = Adam(lr=np.array([[0.01], [0.1]]))
    x = np.array([1.0, -1.0])
    state = opt.init(x)
    new, state = opt.update(x, np.array([1.0, 1.0]), state)
    assert new.shape == state.exp_avg.shape == (2, 2)


def assert_elementwise(name, steps=4):
    """A (2, 3, 4) parameter array is updated exactly like its flattened vector (also used by
    test_optimizers_more)."""
    rng = np.random.default_rng(3)
    params = rng.normal(size=(2, 3, 4))
    opt = optimizers.by_name(name, lr=0.01)
    state_nd, state_flat = opt.init(params), opt.init(params.ravel())
    x_nd, x_flat = params, params.ravel()
    for _ in range(steps):
        grad = rng.normal(size=(2, 3, 4))
        x_nd, state_nd = opt.update(x_nd, grad, state_nd)
        x_flat, state_flat = opt.update(x_flat, grad.ravel(), state_flat)
    np.testing.assert_array_equal(x_nd.ravel(), x_flat)


@pytest.mark.parametrize("name", optimizers.NAMES)
def test_any_array_shape_is_elementwise(name):
    assert_elementwise(name)


# ----------------------------------------------------------------------------------------------
# Purity: inputs are never modified, the same state gives the same step

def _arrays(state):
    return {k: np.array(v, copy=True) for k, v in state._asdict().items()
            if isinstance(v, np.ndarray)}


@pytest.mark.parametrize("name", optimizers.NAMES)
def test_update_does_not_mutate_inputs(name):
    rng = np.random.default_rng(5)
    opt = optimizers.by_name(name, lr=0.01, **({"weight_decay": 0.1} if name != "sgld" else {}))
    params = rng.normal(size=6)
    state = opt.init(params)
    for _ in range(2):  # the second update sees non-trivial state arrays
        grad = rng.normal(size=6)
        params_copy, grad_copy, state_copy = params.copy(), grad.copy(), _arrays(state)
        new_params, new_state = opt.update(params, grad, state)
        np.testing.assert_array_equal(params, params_copy)
        np.testing.assert_array_equal(grad, grad_copy)
        for key, value in _arrays(state).items():
            np.testing.assert_array_equal(value, state_copy[key])
        again, _ = opt.update(params, grad, state)
        np.testing.assert_array_equal(again, new_params)
        assert new_params is not params
        params, state = new_params, new_state
    assert state.step == 2


# ----------------------------------------------------------------------------------------------
# Registry

def test_registry_names_and_presets():
    assert optimizers.NAMES == ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adadelta",
                                "adam", "adamw", "amsgrad", "nadam", "sgld")
    momentum = optimizers.by_name("momentum", lr=0.01)
    assert isinstance(momentum, SGD) and momentum.momentum == 0.9 and not momentum.nesterov
    nesterov = optimizers.by_name("Nesterov", momentum=0.5)
    assert nesterov.nesterov and nesterov.momentum == 0.5 and nesterov.name == "nesterov"
    amsgrad = optimizers.by_name("amsgrad")
    assert isinstance(amsgrad, Adam) and amsgrad.amsgrad and amsgrad.name == "amsgrad"
    assert type(optimizers.by_name("adamw")) is AdamW


def test_torch_defaults():
    assert SGD().lr == 1e-3 and Adam().lr == 1e-3 and Adam().betas == (0.9, 0.999)
    assert Adagrad().lr == 1e-2 and Adagrad().eps == 1e-10
    assert RMSprop().alpha == 0.99 and RMSprop().eps == 1e-8 and RMSprop().lr == 1e-2
    assert Adadelta().lr == 1.0 and Adadelta().rho == 0.9 and Adadelta().eps == 1e-6
    assert AdamW().weight_decay == 1e-2 and NAdam().lr == 2e-3
    assert NAdam().momentum_decay == 4e-3


def test_repr_is_readable_and_stable():
    assert repr(Adam(lr=0.01)) == ("Adam(lr=0.01, betas=(0.9, 0.999), eps=1e-08, "
                                   "weight_decay=0.0, amsgrad=False, maximize=False, "
                                   "decoupled_weight_decay=False)")
    text = repr(SGD(lr=schedules.cosine(0.1, T_max=10)))
    assert "cosine(lr=0.1, T_max=10, eta_min=0.0)" in text and "0x" not in text


# ----------------------------------------------------------------------------------------------
# Bad input: ValueError with torch's wording where torch has one

BAD_INPUT = [
    (lambda: SGD(lr=-0.1), "Invalid learning rate: -0.1"),
    (lambda: Adam(lr=-1e-3), "Invalid learning rate: -0.001"),
    (lambda: SGD(lr=np.array([[0.1], [-0.1]])), "Invalid learning rate"),
    (lambda: SGD(lr=lambda t: -0.1), "Invalid learning rate: -0.1"),
    (lambda: SGD(momentum=-0.5), "Invalid momentum value: -0.5"),
    (lambda: RMSprop(momentum=-1), "Invalid momentum value: -1"),
    (lambda: SGD(weight_decay=-1e-4), "Invalid weight_decay value: -0.0001"),
    (lambda: Adam(weight_decay=-1), "Invalid weight_decay value: -1"),
    (lambda: Adagrad(weight_decay=-1), "Invalid weight_decay value: -1"),
    (lambda: Adadelta(weight_decay=-1), "Invalid weight_decay value: -1"),
    (lambda: SGD(lr=0.1, nesterov=True), "Nesterov momentum requires a momentum and zero damp"),
    (lambda: SGD(lr=0.1, momentum=0.9, dampening=0.1, nesterov=True),
     "Nesterov momentum requires a momentum and zero dampening"),
    (lambda: Adam(eps=-1e-8), "Invalid epsilon value: -1e-08"),
    (lambda: Adagrad(eps=-1), "Invalid epsilon value: -1"),
    (lambda: RMSprop(eps=-1), "Invalid epsilon value: -1"),
    (lambda: Adadelta(eps=-1), "Invalid epsilon value: -1"),
    (lambda: NAdam(eps=-1), "Invalid epsilon value: -1"),
    (lambda: Adam(betas=(1.0, 0.999)), "Invalid beta parameter at index 0: 1.0"),
    (lambda: Adam(betas=(-0.1, 0.999)), "Invalid beta parameter at index 0: -0.1"),
    (lambda: AdamW(betas=(0.9, 1.5)), "Invalid beta parameter at index 1: 1.5"),
    (lambda: NAdam(betas=(0.9, -0.1)), "Invalid beta parameter at index 1: -0.1"),
    (lambda: Adadelta(rho=1.1), "Invalid rho value: 1.1"),
    (lambda: Adadelta(rho=-0.1), "Invalid rho value: -0.1"),
    (lambda: RMSprop(alpha=-0.1), "Invalid alpha value: -0.1"),
    (lambda: RMSprop(alpha=1.5), "Invalid alpha value: 1.5"),
    (lambda: Adagrad(lr_decay=-1), "Invalid lr_decay value: -1"),
    (lambda: Adagrad(initial_accumulator_value=-1),
     "Invalid initial_accumulator_value value: -1"),
    (lambda: NAdam(momentum_decay=-1), "Invalid momentum_decay value: -1"),
    (lambda: SGLD(temperature=-1), "Invalid temperature value: -1"),
    (lambda: optimizers.by_name("adamx"), "Unknown optimizer 'adamx'; valid names: sgd, "
                                          "momentum, nesterov, adagrad"),
    (lambda: SGD(lr=0.1).update(np.zeros(3), np.zeros((3, 1)), SGD().init(np.zeros(3))),
     r"grad shape \(3, 1\) does not match params shape \(3,\)"),
    (lambda: Adam().update(np.zeros(2), np.zeros(3), Adam().init(np.zeros(2))),
     r"grad shape \(3,\) does not match params shape \(2,\)"),
    (lambda: Adam().init(np.array([1.0, np.nan])), "params must be finite"),
    (lambda: SGD().init(np.array([np.inf])), "params must be finite"),
]


@pytest.mark.parametrize("make, message", BAD_INPUT, ids=[m[:40] for _, m in BAD_INPUT])
def test_bad_input_raises_value_error(make, message):
    with pytest.raises(ValueError, match=message):
        make()
