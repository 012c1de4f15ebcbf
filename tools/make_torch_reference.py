"""Regenerate and extend the PyTorch reference data of the tests (tests/data/torch_*.json).

gdcore's optimizers, schedules, MLP gradients and MLP Hessian-vector products are tested
against an independent implementation: PyTorch. This script needs torch (2.13.0, CPU) and is
never imported by the tests, nor a dependency of gdcore. Run it from the repository root with an
interpreter that has torch and numpy::

    /work/torchenv/bin/python tools/make_torch_reference.py            # write tests/data/
    /work/torchenv/bin/python tools/make_torch_reference.py --check    # compare, write nothing

It first recomputes every case of the shared reference files (/work/shared/reference/, or the
existing tests/data/ files) from their inputs and checks the results: the optimizer cases are
reproduced bit for bit; the shared MLP gradients were summed in another order, so they are
checked to 1e-13 and kept as they are. Then it appends the extended cases defined below: one
per hyperparameter of each optimizer, a few 3-D and 5-D problems, scheduler sequences
(tests/data/torch_schedules.json), and deeper MLPs with every activation and both losses.
Hessian-vector products of small MLPs by double backward (tests/data/torch_mlp_hvp.json, used
by tests/test_curvature.py): nine cases whose inputs are drawn from two seeds (see
``hvp_inputs``; three have gdcore.mlp's skip connections) and must equal the stored ones
exactly; the stored H v and loss values are checked to 1e-13 against a fresh double backward
of the same forward as the MLP gradients (``mlp_loss``) and kept (see ``make_hvp_file``).
The rest of torch.optim (tests/data/torch_optim_more_trajectories.json: RAdam, Adamax, Rprop,
ASGD, NAdam's decoupled weight decay, Adafactor, Muon on matrix parameters, LBFGS stepped with
a closure) and torch.optim.lr_scheduler by class name (tests/data/torch_lr_schedules.json)
start with the shared cases and append one case per further argument, including torch's
execution flags (foreach=True, capturable=False, differentiable=False), which must not change
the mathematics.
Everything runs in float64 with the single-tensor code path of torch.optim (the CPU default:
foreach=False, fused=False).

Format of the optimizer cases (as in the shared README): ``function``, ``formula``, ``x0``,
``optimizer`` (a torch.optim class name), ``hyperparameters`` (its keyword arguments), ``steps``,
``xs`` (xs[k] = the point after k steps) and ``losses_before_each_step`` (f(xs[k]), k < steps).
Quadratic cases also carry ``A`` and ``b``. An optional ``schedule`` ({"name": a gdcore.schedules
function, "arguments": its keyword arguments}) means the lr followed that schedule: the torch
scheduler of ``torch_scheduler`` below, stepped once after every optimizer step. Every extended
case must be well conditioned (see ``well_conditioned``) so that 1e-10 parity tests semantics.
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

import numpy as np
import torch

torch.set_default_dtype(torch.float64)  # also makes torch.optim keep its step/μ-products in f64

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
SHARED = Path("/work/shared/reference")
# The shared files hold this many cases; ours start with them (regenerated) and append the rest.
N_SHARED_OPTIMIZER_CASES = 7
N_SHARED_MLP_CASES = 2
MADE_WITH = f"torch {torch.__version__}, float64, CPU"
NOTE = ("Each optimizer case: xs[k] is the point after k steps (xs[0] = x0); "
        "losses_before_each_step[k] = f(xs[k]).")

# ----------------------------------------------------------------------------------------------
# Test functions, written as the formulas in the shared file (torch autograd differentiates them).

QUADRATIC_2D = {"A": [[10, 2], [2, 1]], "b": [1, -1]}


def quadratic_formula(A, b) -> str:
    return f"0.5 * x^T A x - b^T x, A = {json.dumps(A)}, b = {json.dumps(b)}"


FORMULAS = {
    "rosenbrock": "(1 - x)^2 + 100 (y - x^2)^2",
    "beale": "(1.5 - x + x y)^2 + (2.25 - x + x y^2)^2 + (2.625 - x + x y^3)^2",
    "himmelblau": "(x^2 + y - 11)^2 + (x + y^2 - 7)^2",
}


def torch_function(case: dict):
    name = case["function"]
    if name == "quadratic":
        A = torch.tensor(case.get("A", QUADRATIC_2D["A"]), dtype=torch.float64)
        b = torch.tensor(case.get("b", QUADRATIC_2D["b"]), dtype=torch.float64)
        if A.shape == (2, 2):
            # The shared 2-D case was made with the expanded polynomial; keep its rounding.
            (a, c), (_, d) = A.tolist()
            b0, b1 = b.tolist()
            return lambda x: (0.5 * (a * x[0] ** 2 + 2 * c * x[0] * x[1] + d * x[1] ** 2)
                              - (b0 * x[0] + b1 * x[1]))
        return lambda x: 0.5 * x @ A @ x - b @ x
    if name == "rosenbrock":
        return lambda x: (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2
    if name == "beale":
        return lambda x: ((1.5 - x[0] + x[0] * x[1]) ** 2 + (2.25 - x[0] + x[0] * x[1] ** 2) ** 2
                          + (2.625 - x[0] + x[0] * x[1] ** 3) ** 2)
    if name == "himmelblau":
        return lambda x: (x[0] ** 2 + x[1] - 11) ** 2 + (x[0] + x[1] ** 2 - 7) ** 2
    if name == "matrix_least_squares":
        X, Y = torch.tensor(case["X"]), torch.tensor(case["Y"])
        return lambda W: 0.5 * ((X @ W - Y) ** 2).sum(dim=1).mean()
    raise ValueError(f"unknown function {name!r}")


def torch_scheduler(optimizer, name: str, args: dict):
    """The torch.optim.lr_scheduler equivalent of gdcore.schedules.<name>(**args)."""
    sched = torch.optim.lr_scheduler
    if name[:1].isupper():  # a torch class name: gdcore.schedules.<name>(lr, **torch kwargs)
        kwargs = {k: v for k, v in args.items() if k != "lr"}
        if name == "SequentialLR":
            inner = [getattr(sched, n)(optimizer, **h) for n, h in kwargs["schedulers"]]
            return sched.SequentialLR(optimizer, inner, milestones=kwargs["milestones"]), name
        return getattr(sched, name)(optimizer, **kwargs), name
    if name == "constant":
        return sched.LambdaLR(optimizer, lambda t: 1.0), "LambdaLR(lambda t: 1.0)"
    if name == "step_decay":
        return (sched.StepLR(optimizer, step_size=args["step_size"], gamma=args["gamma"]),
                "StepLR")
    if name == "exponential":
        return sched.ExponentialLR(optimizer, gamma=args["gamma"]), "ExponentialLR"
    if name == "inverse_time":
        rate, k = args["decay_rate"], args.get("decay_steps", 1)
        return (sched.LambdaLR(optimizer, lambda t: 1.0 / (1.0 + rate * t / k)),
                "LambdaLR(lambda t: 1 / (1 + decay_rate * t / decay_steps))")
    if name == "cosine":
        return (sched.CosineAnnealingLR(optimizer, T_max=args["T_max"],
                                        eta_min=args.get("eta_min", 0.0)), "CosineAnnealingLR")
    if name == "warmup_cosine":
        W, T = args["warmup_steps"], args["T_max"]
        warm = sched.LinearLR(optimizer, start_factor=1.0 / W, end_factor=1.0, total_iters=W - 1)
        cos = sched.CosineAnnealingLR(optimizer, T_max=T - W, eta_min=args.get("eta_min", 0.0))
        return (sched.SequentialLR(optimizer, [warm, cos], milestones=[W]),
                "SequentialLR([LinearLR(start_factor=1/W, total_iters=W-1), "
                "CosineAnnealingLR(T_max=T_max-W, eta_min)], milestones=[W])")
    raise ValueError(f"unknown schedule {name!r}")


def run_optimizer(case: dict) -> dict:
    """Run torch.optim on the case's function; return the case with xs and losses filled in."""
    f = torch_function(case)
    x = torch.tensor(case["x0"], dtype=torch.float64, requires_grad=True)
    hyper = dict(case["hyperparameters"])
    for key in TUPLE_ARGUMENTS & set(hyper):
        if isinstance(hyper[key], list):
            hyper[key] = tuple(hyper[key])
    optimizer = getattr(torch.optim, case["optimizer"])([x], **hyper)
    if case["optimizer"] == "LBFGS":
        return _run_lbfgs(case, f, x, optimizer)
    scheduler = None
    if "schedule" in case:
        scheduler, _ = torch_scheduler(optimizer, case["schedule"]["name"],
                                       case["schedule"]["arguments"])
    xs, losses = [x.detach().tolist()], []
    for _ in range(case["steps"]):
        optimizer.zero_grad()
        loss = f(x)
        loss.backward()
        optimizer.step()
        if scheduler is not None:
            scheduler.step()
        losses.append(loss.item())
        xs.append(x.detach().tolist())
    return {**case, "xs": xs, "losses_before_each_step": losses}


# Keyword arguments that torch wants as tuples (JSON stores lists).
TUPLE_ARGUMENTS = {"betas", "etas", "step_sizes", "eps", "ns_coefficients"}
LBFGS_NOTE = ("opt.step(closure) once per entry of xs; function_evaluations[k] = closure calls "
              "during step k")


def _run_lbfgs(case: dict, f, x, optimizer) -> dict:
    """LBFGS is stepped with a closure; record the closure calls of each step too."""
    calls = [0]

    def closure():
        calls[0] += 1
        optimizer.zero_grad()
        loss = f(x)
        loss.backward()
        return loss

    xs, evaluations = [x.detach().tolist()], []
    for _ in range(case["steps"]):
        calls[0] = 0
        optimizer.step(closure)
        xs.append(x.detach().tolist())
        evaluations.append(calls[0])
    return {**case, "xs": xs, "note": LBFGS_NOTE, "function_evaluations": evaluations}


def well_conditioned(case: dict, rtol: float = 1e-11) -> dict:
    """Refuse cases whose trajectory amplifies rounding errors (chaotic or near-singular runs).

    Parity at 1e-10 only tests semantics if a last-bit change of x0 (or of a gradient) moves the
    trajectory by much less than 1e-10; perturb x0 by ~1e-14 and require the change < rtol.
    """
    x0 = np.array(case["x0"])
    nudged = run_optimizer({**case, "x0": (x0 * (1 + 1e-14) + 1e-14).tolist()})
    xs, ys = np.array(case["xs"]), np.array(nudged["xs"])
    change = np.max(np.abs(xs - ys)) / max(np.max(np.abs(xs)), 1e-300)
    if change > rtol:
        raise SystemExit(f"ill-conditioned case (x0 nudge moves it by {change:.1e}): "
                         f"{case['optimizer']} {case['hyperparameters']} on {case['function']}")
    return case


def optimizer_case(function, x0, optimizer, hyperparameters, steps=100, schedule=None, **extra):
    case = {"function": function}
    if function == "quadratic":
        A = extra.get("A", QUADRATIC_2D["A"])
        b = extra.get("b", QUADRATIC_2D["b"])
        case.update(formula=quadratic_formula(A, b), A=A, b=b)
    else:
        case["formula"] = FORMULAS[function]
    case.update(x0=[float(v) for v in x0], optimizer=optimizer,
                hyperparameters=hyperparameters, steps=steps)
    if schedule is not None:
        case["schedule"] = schedule
    return case


A3 = [[4.0, 1.0, 0.0], [1.0, 3.0, 1.0], [0.0, 1.0, 2.0]]
b3 = [1.0, 0.0, -1.0]
A5 = [[2.0 if i == j else (-1.0 if abs(i - j) == 1 else 0.0) for j in range(5)]
      for i in range(5)]
A5[0][0] = 10.0  # condition number ~ 40: the directions move at visibly different speeds
b5 = [1.0, -2.0, 0.5, 0.0, 3.0]
Q3 = {"A": A3, "b": b3}
Q5 = {"A": A5, "b": b5}

EXTENDED_OPTIMIZER_CASES = [
    # SGD: dampening, weight decay with and without Nesterov, maximize.
    optimizer_case("quadratic", [-4, 3], "SGD", {"lr": 0.05, "momentum": 0.9, "dampening": 0.5}),
    optimizer_case("rosenbrock", [-1.5, 2], "SGD",
                   {"lr": 0.001, "momentum": 0.9, "nesterov": True, "weight_decay": 0.1}),
    optimizer_case("himmelblau", [0, 0], "SGD",
                   {"lr": 0.01, "momentum": 0.5, "weight_decay": 0.05}),
    optimizer_case("himmelblau", [-0.5, -0.5], "SGD",
                   {"lr": 0.01, "momentum": 0.5, "maximize": True}),
    optimizer_case("beale", [1, 1.5], "SGD",
                   {"lr": 0.01, "momentum": 0.8, "dampening": 0.2, "weight_decay": 0.01}),
    optimizer_case("quadratic", [2, -1, 3], "SGD", {"lr": 0.1, "momentum": 0.9}, **Q3),
    # Adagrad: lr_decay, initial accumulator, weight decay, eps.
    optimizer_case("beale", [1, 1.5], "Adagrad", {"lr": 0.5, "lr_decay": 0.01}),
    optimizer_case("rosenbrock", [-1.5, 2], "Adagrad",
                   {"lr": 0.1, "initial_accumulator_value": 0.1}),
    optimizer_case("himmelblau", [0, 0], "Adagrad", {"lr": 0.5, "weight_decay": 0.1}),
    optimizer_case("quadratic", [-4, 3], "Adagrad", {"lr": 0.5, "eps": 1e-3}),
    optimizer_case("quadratic", [1, 1, 1, 1, 1], "Adagrad",
                   {"lr": 0.3, "lr_decay": 0.05, "weight_decay": 0.01,
                    "initial_accumulator_value": 0.5}, **Q5),
    # RMSprop: centered with momentum, weight decay, alpha, centered alone, momentum alone.
    optimizer_case("beale", [1, 1.5], "RMSprop", {"lr": 0.01, "momentum": 0.9, "centered": True}),
    optimizer_case("rosenbrock", [-1.5, 2], "RMSprop", {"lr": 0.001, "weight_decay": 0.1}),
    optimizer_case("quadratic", [-4, 3], "RMSprop", {"lr": 0.01, "alpha": 0.9, "eps": 1e-6}),
    optimizer_case("himmelblau", [0, 0], "RMSprop", {"lr": 0.05, "centered": True}),
    optimizer_case("rosenbrock", [-1.5, 2], "RMSprop", {"lr": 0.0001, "momentum": 0.5}),
    optimizer_case("quadratic", [2, -1, 3], "RMSprop",
                   {"lr": 0.02, "alpha": 0.95, "momentum": 0.3, "centered": True,
                    "weight_decay": 0.01}, **Q3),
    # Adadelta: defaults, rho/eps/lr, weight decay.
    optimizer_case("rosenbrock", [-1.5, 2], "Adadelta", {}),
    optimizer_case("beale", [1, 1.5], "Adadelta", {"lr": 0.5, "rho": 0.95, "eps": 1e-5}),
    optimizer_case("himmelblau", [0, 0], "Adadelta", {"lr": 1.0, "weight_decay": 0.1}),
    optimizer_case("quadratic", [-4, 3], "Adadelta", {"lr": 2.0, "rho": 0.5}),
    # Adam: weight decay (L2), AMSGrad, betas/eps, maximize.
    optimizer_case("himmelblau", [0, 0], "Adam", {"lr": 0.05, "weight_decay": 0.1}),
    optimizer_case("rosenbrock", [-1.5, 2], "Adam", {"lr": 0.05, "amsgrad": True}),
    optimizer_case("beale", [1, 1.5], "Adam", {"lr": 0.01, "betas": [0.5, 0.9], "eps": 1e-6}),
    optimizer_case("himmelblau", [-0.5, -0.5], "Adam", {"lr": 0.01, "maximize": True}),
    optimizer_case("quadratic", [-4, 3], "Adam",
                   {"lr": 0.1, "betas": [0.8, 0.99], "amsgrad": True, "weight_decay": 0.01}),
    optimizer_case("quadratic", [2, -1, 3], "Adam", {"lr": 0.1}, **Q3),
    # AdamW: default weight decay, AMSGrad.
    optimizer_case("rosenbrock", [-1.5, 2], "AdamW",
                   {"lr": 0.05, "weight_decay": 0.1, "amsgrad": True}),
    optimizer_case("beale", [1, 1.5], "AdamW", {"lr": 0.01}),
    optimizer_case("quadratic", [1, 1, 1, 1, 1], "AdamW",
                   {"lr": 0.05, "betas": [0.9, 0.99], "weight_decay": 0.5}, **Q5),
    # NAdam: defaults, momentum_decay, L2 and decoupled weight decay, betas.
    optimizer_case("rosenbrock", [-1.5, 2], "NAdam", {"lr": 0.01}),
    optimizer_case("beale", [1, 1.5], "NAdam", {"lr": 0.01, "momentum_decay": 0.01}),
    optimizer_case("himmelblau", [0, 0], "NAdam", {"lr": 0.02, "weight_decay": 0.1}),
    optimizer_case("himmelblau", [0, 0], "NAdam",
                   {"lr": 0.02, "weight_decay": 0.1, "decoupled_weight_decay": True}),
    optimizer_case("quadratic", [-4, 3], "NAdam", {"lr": 0.05, "betas": [0.8, 0.99]}),
    optimizer_case("quadratic", [1, 1, 1, 1, 1], "NAdam", {"lr": 0.02}, **Q5),
    # Learning-rate schedules inside a run.
    optimizer_case("quadratic", [-4, 3], "SGD", {"lr": 0.15, "momentum": 0.5}, steps=60,
                   schedule={"name": "cosine", "arguments": {"lr": 0.15, "T_max": 60}}),
    optimizer_case("rosenbrock", [-1.5, 2], "Adam", {"lr": 0.05}, steps=80,
                   schedule={"name": "warmup_cosine",
                             "arguments": {"lr": 0.05, "warmup_steps": 10, "T_max": 80,
                                           "eta_min": 0.001}}),
    optimizer_case("beale", [1, 1.5], "Adagrad", {"lr": 0.5}, steps=50,
                   schedule={"name": "step_decay",
                             "arguments": {"lr": 0.5, "step_size": 15, "gamma": 0.5}}),
]

# ----------------------------------------------------------------------------------------------
# The rest of torch.optim (tests/data/torch_optim_more_trajectories.json): the shared cases, then
# one case per further hyperparameter. Matrix cases minimise a least-squares loss in W.

N_SHARED_MORE_CASES = 9
MATRIX_FORMULA = ("0.5 * mean over the rows i of ||(X W - Y)_i||^2, W of shape (d_in, d_out)")
# torch runs Muon's Newton-Schulz iteration in bfloat16: a nudge of x0 moves it by ~1e-3, so
# its cases are not required to be well conditioned (they are tested to 1e-2).
NOT_WELL_CONDITIONED = {"Muon"}


def matrix_case(shape, optimizer, hyperparameters, steps=40, n=8, seed=0):
    rng = np.random.default_rng(seed)
    d_in, d_out = shape
    X = rng.normal(size=(n, d_in))
    Y = X @ rng.normal(size=(d_in, d_out)) + 0.1 * rng.normal(size=(n, d_out))
    return {"optimizer": optimizer, "hyperparameters": hyperparameters, "steps": steps,
            "x0": rng.normal(size=shape).tolist(), "function": "matrix_least_squares",
            "formula": MATRIX_FORMULA, "X": X.tolist(), "Y": Y.tolist()}


EXTENDED_MORE_CASES = [
    # RAdam: L2 and decoupled weight decay, betas (a short β2 window: rectified from step 2..),
    # eps, maximize, a 3-D problem.
    optimizer_case("rosenbrock", [-1.5, 2], "RAdam", {"lr": 0.01, "weight_decay": 0.1}, 60),
    optimizer_case("himmelblau", [0, 0], "RAdam",
                   {"lr": 0.05, "weight_decay": 0.05, "decoupled_weight_decay": True}, 60),
    optimizer_case("beale", [1, 1.5], "RAdam", {"lr": 0.01, "betas": [0.8, 0.9], "eps": 1e-4},
                   60),
    optimizer_case("himmelblau", [-0.5, -0.5], "RAdam", {"lr": 0.01, "maximize": True}, 40),
    optimizer_case("quadratic", [2, -1, 3], "RAdam", {"lr": 0.1, "betas": [0.9, 0.99]}, 60,
                   **Q3),
    # Adamax: weight decay, betas, a large eps, maximize, 5-D.
    optimizer_case("himmelblau", [0, 0], "Adamax", {"lr": 0.05, "weight_decay": 0.1}, 60),
    optimizer_case("rosenbrock", [-1.5, 2], "Adamax", {"lr": 0.02, "betas": [0.5, 0.99]}, 60),
    optimizer_case("quadratic", [-4, 3], "Adamax", {"lr": 0.1, "eps": 1e-2}, 60),
    optimizer_case("himmelblau", [-0.5, -0.5], "Adamax", {"lr": 0.01, "maximize": True}, 40),
    optimizer_case("quadratic", [1, 1, 1, 1, 1], "Adamax", {"lr": 0.05}, 60, **Q5),
    # Rprop: etas, step_sizes (both clamps active), maximize, 3-D.
    optimizer_case("rosenbrock", [-1.5, 2], "Rprop", {"lr": 0.001, "etas": [0.3, 1.5]}, 60),
    optimizer_case("quadratic", [-4, 3], "Rprop",
                   {"lr": 0.1, "step_sizes": [1e-3, 0.5]}, 60),
    optimizer_case("beale", [1, 1.5], "Rprop",
                   {"lr": 0.05, "etas": [0.6, 1.1], "step_sizes": [0.01, 0.2]}, 60),
    optimizer_case("himmelblau", [-0.5, -0.5], "Rprop", {"lr": 0.01, "maximize": True}, 30),
    optimizer_case("quadratic", [2, -1, 3], "Rprop", {"lr": 0.05}, 60, **Q3),
    # ASGD: defaults (t0 = 1e6: no averaging yet), lambd/alpha, averaging from the start,
    # weight decay, maximize, 5-D.
    optimizer_case("quadratic", [-4, 3], "ASGD", {"lr": 0.05}, 60),
    optimizer_case("rosenbrock", [-1.5, 2], "ASGD",
                   {"lr": 0.001, "lambd": 0.01, "alpha": 0.5, "t0": 5.0}, 60),
    optimizer_case("beale", [1, 1.5], "ASGD", {"lr": 0.01, "t0": 0.0, "weight_decay": 0.05}, 60),
    optimizer_case("himmelblau", [-0.5, -0.5], "ASGD", {"lr": 0.005, "maximize": True}, 30),
    optimizer_case("quadratic", [1, 1, 1, 1, 1], "ASGD",
                   {"lr": 0.05, "lambd": 1.0, "alpha": 1.0, "t0": 20.0}, 60, **Q5),
    # NAdam with decoupled weight decay: momentum_decay, betas, maximize.
    optimizer_case("beale", [1, 1.5], "NAdam",
                   {"lr": 0.01, "weight_decay": 0.1, "decoupled_weight_decay": True,
                    "momentum_decay": 0.01, "betas": [0.8, 0.99]}, 60),
    optimizer_case("himmelblau", [-0.5, -0.5], "NAdam",
                   {"lr": 0.01, "weight_decay": 0.01, "decoupled_weight_decay": True,
                    "maximize": True}, 40),
    # Adafactor: vectors (unfactored), weight decay, beta2_decay, eps, the clipping d, maximize,
    # tall and wide matrices, lr above 1/sqrt(t). (On vectors Adafactor's first step is sign
    # descent, so long vector runs amplify rounding: these are kept short.)
    optimizer_case("beale", [1, 1.5], "Adafactor", {"lr": 0.01}, 60),
    optimizer_case("quadratic", [2, -1, 3], "Adafactor",
                   {"lr": 0.05, "weight_decay": 0.1, "beta2_decay": -0.5}, 20, **Q3),
    optimizer_case("himmelblau", [-0.5, -0.5], "Adafactor", {"lr": 0.01, "maximize": True}, 40),
    matrix_case((4, 3), "Adafactor", {"lr": 0.02, "weight_decay": 0.1}, seed=1),
    matrix_case((6, 2), "Adafactor", {"lr": 0.5, "beta2_decay": -0.6, "d": 2.0}, seed=2),
    matrix_case((2, 5), "Adafactor", {"lr": 0.05, "eps": [1e-20, 1e-2]}, seed=3),
    matrix_case((3, 3), "Adafactor", {"lr": 0.01, "eps": [None, 0.5], "maximize": True},
                steps=20, seed=4),
    # Muon: no Nesterov, momentum, weight decay, the other lr adjustment, a tall matrix
    # (iterated transposed), fewer Newton-Schulz steps.
    matrix_case((4, 3), "Muon", {"lr": 0.02, "nesterov": False, "momentum": 0.9}, seed=5),
    matrix_case((6, 2), "Muon", {"lr": 0.01, "weight_decay": 0.0}, seed=6),
    matrix_case((3, 5), "Muon", {"lr": 0.02, "adjust_lr_fn": "match_rms_adamw"}, seed=7),
    matrix_case((4, 4), "Muon", {"lr": 0.02, "ns_steps": 3, "weight_decay": 0.2}, seed=8),
    # torch's execution flags (foreach, capturable, differentiable) choose a code path, not the
    # mathematics: the foreach (multi-tensor) path too must agree with gdcore to 1e-10.
    optimizer_case("beale", [1, 1.5], "RAdam",
                   {"lr": 0.01, "foreach": True, "capturable": False, "differentiable": False},
                   40),
    optimizer_case("himmelblau", [0, 0], "Adamax",
                   {"lr": 0.05, "weight_decay": 0.01, "foreach": True, "capturable": False}, 40),
    optimizer_case("quadratic", [-4, 3], "Rprop", {"lr": 0.05, "foreach": True}, 40),
    optimizer_case("quadratic", [2, -1, 3], "ASGD",
                   {"lr": 0.05, "t0": 5.0, "foreach": True, "capturable": False}, 40, **Q3),
    optimizer_case("himmelblau", [0, 0], "NAdam",
                   {"lr": 0.02, "weight_decay": 0.1, "decoupled_weight_decay": True,
                    "foreach": True, "capturable": False}, 40),
    matrix_case((4, 3), "Adafactor", {"lr": 0.02, "weight_decay": 0.05, "foreach": True},
                seed=9),
    # torch.optim.lr_scheduler classes inside a run (Rprop reads lr only at its first step, so
    # its schedule must not matter; OneCycleLR without its momentum cycling).
    optimizer_case("quadratic", [-4, 3], "RAdam", {"lr": 0.1}, 60,
                   schedule={"name": "CosineAnnealingLR",
                             "arguments": {"lr": 0.1, "T_max": 60, "eta_min": 0.001}}),
    optimizer_case("quadratic", [-4, 3], "Rprop", {"lr": 0.05}, 40,
                   schedule={"name": "ExponentialLR", "arguments": {"lr": 0.05, "gamma": 0.5}}),
    optimizer_case("beale", [1, 1.5], "ASGD", {"lr": 0.02, "t0": 10.0}, 50,
                   schedule={"name": "StepLR",
                             "arguments": {"lr": 0.02, "step_size": 10, "gamma": 0.5}}),
    optimizer_case("himmelblau", [0, 0], "Adamax", {"lr": 0.05}, 60,
                   schedule={"name": "SequentialLR",
                             "arguments": {"lr": 0.05, "schedulers": [
                                 ["LinearLR", {"start_factor": 0.1, "total_iters": 10}],
                                 ["PolynomialLR", {"total_iters": 50, "power": 2.0}]],
                                 "milestones": [10]}}),
    optimizer_case("rosenbrock", [-1.5, 2], "NAdam", {"lr": 0.01}, 60,
                   schedule={"name": "OneCycleLR",
                             "arguments": {"lr": 0.01, "max_lr": 0.02, "total_steps": 60,
                                           "cycle_momentum": False}}),
    # LBFGS (read by the L-BFGS tests): other problems, history sizes, tolerances, lr.
    optimizer_case("quadratic", [2, -1, 3], "LBFGS",
                   {"lr": 1.0, "max_iter": 4, "line_search_fn": "strong_wolfe"}, 3, **Q3),
    optimizer_case("beale", [1, 1.5], "LBFGS", {"lr": 1.0, "max_iter": 5, "history_size": 3},
                   6),
    optimizer_case("himmelblau", [0, 0], "LBFGS",
                   {"lr": 0.5, "max_iter": 10, "history_size": 5}, 4),
    optimizer_case("beale", [1, 1.5], "LBFGS",
                   {"lr": 1.0, "max_iter": 20, "line_search_fn": "strong_wolfe",
                    "tolerance_grad": 1e-9, "tolerance_change": 1e-12}, 4),
    optimizer_case("quadratic", [1, 1, 1, 1, 1], "LBFGS",
                   {"lr": 1.0, "max_iter": 3, "max_eval": 4, "history_size": 2}, 5, **Q5),
]


def more_case(case: dict) -> dict:
    """Run a case of the 'more' file: same format as the shared one (no losses)."""
    result = run_optimizer(case)
    result.pop("losses_before_each_step", None)
    return result


# ----------------------------------------------------------------------------------------------
# torch.optim.lr_scheduler on its own (tests/data/torch_lr_schedules.json): the shared cases
# ("lrs[k] = the lr of optimizer step k"), then the other arguments of each scheduler.

N_SHARED_LR_CASES = 9
EXTENDED_LR_CASES = [
    ("StepLR", 1.0, {"step_size": 7}, 50),
    ("StepLR", 0.3, {"step_size": 1, "gamma": 0.9}, 40),
    ("MultiStepLR", 0.5, {"milestones": [5, 5, 20, 33]}, 50),
    ("MultiStepLR", 0.1, {"milestones": [30, 10], "gamma": 0.5}, 40),
    ("ExponentialLR", 1.0, {"gamma": 0.5}, 30),
    ("CosineAnnealingLR", 0.1, {"T_max": 20}, 90),
    ("CosineAnnealingLR", 0.05, {"T_max": 7, "eta_min": 0.01}, 60),
    ("CosineAnnealingLR", 1.0, {"T_max": 1}, 10),
    ("CosineAnnealingWarmRestarts", 0.1, {"T_0": 7}, 50),
    ("CosineAnnealingWarmRestarts", 0.2, {"T_0": 3, "T_mult": 3, "eta_min": 0.01}, 60),
    ("LinearLR", 0.1, {}, 20),
    ("LinearLR", 0.2, {"start_factor": 1.0, "end_factor": 0.05, "total_iters": 30}, 50),
    ("LinearLR", 0.1, {"start_factor": 0.5, "end_factor": 0.0, "total_iters": 8}, 20),
    ("OneCycleLR", 0.1, {"max_lr": 1.0, "total_steps": 50, "anneal_strategy": "linear"}, 50),
    ("OneCycleLR", 0.1, {"max_lr": 0.3, "total_steps": 80, "three_phase": True}, 80),
    ("OneCycleLR", 0.1, {"max_lr": 0.3, "epochs": 4, "steps_per_epoch": 15, "pct_start": 0.25,
                         "div_factor": 10.0, "final_div_factor": 100.0,
                         "anneal_strategy": "linear", "three_phase": True}, 60),
    ("OneCycleLR", 0.1, {"max_lr": 2.0, "total_steps": 41, "pct_start": 0.5}, 41),
    ("PolynomialLR", 0.1, {}, 10),
    ("PolynomialLR", 0.5, {"total_iters": 25, "power": 0.5}, 40),
    ("SequentialLR", 0.1, {"schedulers": [["LinearLR", {"start_factor": 0.1, "total_iters": 5}],
                                          ["ExponentialLR", {"gamma": 0.9}]],
                           "milestones": [5]}, 40),
    ("SequentialLR", 0.2, {"schedulers": [["ExponentialLR", {"gamma": 0.8}],
                                          ["StepLR", {"step_size": 4, "gamma": 0.5}],
                                          ["CosineAnnealingLR", {"T_max": 10,
                                                                 "eta_min": 0.001}]],
                           "milestones": [6, 20]}, 45),
    ("SequentialLR", 0.1, {"schedulers": [["LinearLR", {"start_factor": 0.25,
                                                        "total_iters": 4}],
                                          ["PolynomialLR", {"total_iters": 20, "power": 2.0}]],
                           "milestones": [8]}, 40),
    # torch accepts total_iters = 0 (found by a randomised comparison): LinearLR then stays at
    # start_factor * lr, PolynomialLR at lr.
    ("LinearLR", 0.1, {"start_factor": 0.5, "total_iters": 0}, 10),
    ("PolynomialLR", 0.1, {"total_iters": 0, "power": 2.0}, 10),
]


def lr_schedule_case(name: str, base_lr: float, hyperparameters: dict, steps: int) -> dict:
    """The lr of each optimizer step under torch's scheduler (SGD, scheduler stepped after)."""
    x = torch.zeros(1, requires_grad=True)
    optimizer = torch.optim.SGD([x], lr=base_lr)
    sched = torch.optim.lr_scheduler
    if name == "SequentialLR":
        inner = [getattr(sched, n)(optimizer, **h) for n, h in hyperparameters["schedulers"]]
        scheduler = sched.SequentialLR(optimizer, inner,
                                       milestones=hyperparameters["milestones"])
    else:
        scheduler = getattr(sched, name)(optimizer, **hyperparameters)
    lrs = []
    for _ in range(steps):
        lrs.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
    return {"scheduler": name, "base_lr": base_lr, "hyperparameters": hyperparameters,
            "steps": steps, "lrs": lrs}


# ----------------------------------------------------------------------------------------------
# Learning-rate schedules on their own.

SCHEDULE_CASES = [
    ("constant", {"lr": 0.1}, 20),
    ("step_decay", {"lr": 0.1, "step_size": 7, "gamma": 0.5}, 50),
    ("step_decay", {"lr": 1.0, "step_size": 1, "gamma": 0.9}, 30),
    ("exponential", {"lr": 0.1, "gamma": 0.95}, 100),
    ("inverse_time", {"lr": 0.5, "decay_rate": 0.1}, 60),
    ("inverse_time", {"lr": 0.5, "decay_rate": 0.5, "decay_steps": 10}, 60),
    ("cosine", {"lr": 0.1, "T_max": 50}, 51),
    ("cosine", {"lr": 0.1, "T_max": 30, "eta_min": 0.01}, 90),  # periodic past T_max
    ("warmup_cosine", {"lr": 0.1, "warmup_steps": 5, "T_max": 50}, 51),
    ("warmup_cosine", {"lr": 0.02, "warmup_steps": 10, "T_max": 100, "eta_min": 0.001}, 101),
    ("warmup_cosine", {"lr": 1.0, "warmup_steps": 2, "T_max": 12, "eta_min": 0.1}, 13),
]


def schedule_case(name: str, args: dict, steps: int) -> dict:
    x = torch.zeros(1, requires_grad=True)
    optimizer = torch.optim.SGD([x], lr=args["lr"])
    scheduler, description = torch_scheduler(optimizer, name, args)
    lrs = []
    for _ in range(steps):
        lrs.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
    return {"schedule": name, "arguments": args, "torch": description, "steps": steps,
            "lrs": lrs}


# ----------------------------------------------------------------------------------------------
# MLP gradients (format of the shared torch_mlp_gradients.json).

LOSS_DEFINITION = ("mse: mean over samples of 0.5*||out - Y||^2; "
                   "cross_entropy: mean softmax cross-entropy with integer labels")
FORWARD = "h = X; for each layer: h = h @ W + b, then the activation on every layer but the last"
ACTIVATIONS = {"tanh": torch.tanh, "sigmoid": torch.sigmoid, "relu": torch.relu,
               "identity": lambda h: h}


def mlp_loss(W, b, X, target, activation: str, loss: str, residual: bool = False):
    """The loss (LOSS_DEFINITION) of the MLP of FORWARD as a torch scalar.

    ``residual=True`` is gdcore.mlp.forward's skip connection h_{l+1} = h_l + φ(z_l) on every
    hidden layer whose input and output widths agree (never the output layer).
    """
    h = torch.tensor(X)
    act = ACTIVATIONS[activation]
    for layer, (weight, bias) in enumerate(zip(W, b, strict=True)):
        z = h @ weight + bias
        if layer == len(W) - 1:
            h = z
        elif residual and weight.shape[0] == weight.shape[1]:
            h = h + act(z)
        else:
            h = act(z)
    if loss == "mse":
        return (0.5 * ((h - torch.tensor(target)) ** 2).sum(dim=1)).mean()
    if loss == "cross_entropy":
        return torch.nn.functional.cross_entropy(h, torch.tensor(target))
    raise ValueError(f"unknown loss {loss!r}")


def mlp_gradients(case: dict) -> dict:
    W = [torch.tensor(w, requires_grad=True) for w in case["W"]]
    b = [torch.tensor(v, requires_grad=True) for v in case["b"]]
    loss = mlp_loss(W, b, case["X"], case["target"], case["activation"], case["loss"])
    loss.backward()
    return {**case, "loss_value": loss.item(), "dW": [w.grad.tolist() for w in W],
            "db": [v.grad.tolist() for v in b]}


EXTENDED_MLP_CASES = [
    # (layer_sizes, activation, loss, n_samples, weight scale (Xavier-uniform gain), seed)
    ([3, 5, 4, 2], "relu", "mse", 8, 1.0, 1),
    ([3, 5, 4, 2], "sigmoid", "mse", 8, 1.0, 2),
    ([3, 5, 4, 2], "identity", "mse", 8, 1.0, 3),
    ([4, 6, 6, 3], "tanh", "cross_entropy", 8, 1.0, 4),
    ([4, 6, 6, 3], "relu", "cross_entropy", 8, 1.0, 5),
    ([4, 6, 6, 3], "identity", "cross_entropy", 8, 1.0, 6),
    ([2, 3], "identity", "mse", 5, 1.0, 7),                   # a single linear layer
    ([5, 4], "identity", "cross_entropy", 6, 1.0, 8),         # multinomial logistic regression
    ([6, 8, 8, 8, 8, 8, 4], "relu", "cross_entropy", 16, 1.4, 9),
    ([6, 8, 8, 8, 8, 8, 4], "sigmoid", "mse", 16, 1.0, 10),
    ([6, 10, 10, 10, 10, 10, 10, 10, 2], "tanh", "mse", 12, 1.0, 11),
    ([6, 10, 10, 10, 10, 10, 10, 10, 10, 10, 3], "sigmoid", "cross_entropy", 12, 1.0, 12),
    ([6, 10, 10, 10, 10, 10, 10, 10, 10, 10, 3], "relu", "mse", 12, 1.4, 13),
    ([3, 16, 1], "relu", "mse", 1, 1.0, 14),                  # one sample
    ([3, 7, 5, 4], "sigmoid", "cross_entropy", 10, 4.0, 15),  # large logits (log-sum-exp)
]


def make_mlp_case(sizes, activation, loss, n, gain, seed) -> dict:
    rng = np.random.default_rng(seed)
    W, b = [], []
    for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True):
        bound = gain * math.sqrt(6.0 / (n_in + n_out))
        W.append(rng.uniform(-bound, bound, size=(n_in, n_out)).tolist())
        b.append(rng.normal(0.0, 0.1, size=n_out).tolist())
    X = rng.normal(size=(n, sizes[0]))
    if loss == "mse":
        target = rng.normal(scale=0.5, size=(n, sizes[-1])).tolist()
    else:
        target = rng.integers(0, sizes[-1], size=n).tolist()
    case = {"layer_sizes": list(sizes), "activation": activation, "loss": loss,
            "loss_definition": LOSS_DEFINITION, "forward": FORWARD, "X": X.tolist(),
            "target": target, "W": W, "b": b}
    return mlp_gradients(case)


# ----------------------------------------------------------------------------------------------
# MLP Hessian-vector products (tests/data/torch_mlp_hvp.json): double backward of mlp_loss.

HVP_SOURCE = (
    f"torch {torch.__version__}, float64, torch.autograd.grad twice (double backward) on the "
    "loss of an MLP with the gdcore.mlp layout (W (n_in, n_out), b (n_out,)); params and v "
    "alternate W_0, b_0, W_1, b_1, ...; mse = mean over samples of ½‖out − y‖², cross_entropy = "
    "torch.nn.functional.cross_entropy (mean); residual = true: h_{l+1} = h_l + φ(z_l) on every "
    "hidden layer whose input and output widths agree (gdcore.mlp.forward). H v = "
    "torch.autograd.grad(Σ ∇f ⊙ v, params) after torch.autograd.grad(f, params, "
    "create_graph=True).")
HVP_OUTPUTS = ("loss_value", "hvp")


def hvp_inputs() -> list:
    """The inputs of the nine HVP cases, drawn from two seeded streams in a fixed order.

    Seed 17: every (activation, loss) of tanh/sigmoid/relu × mse/cross_entropy on [3, 5, 4, 2],
    9 samples, all of a case's params (W ~ 0.8 N, b ~ 0.3 N) drawn before its v. Seed 20261201:
    three residual nets [3, 5, 5, 2] (the 5 → 5 layer has the skip), 6 samples, W ~ N / √n_in,
    b ~ 0.3 N, each layer's v drawn right after its params.
    """
    cases = []
    rng = np.random.default_rng(17)
    for activation in ("tanh", "sigmoid", "relu"):
        for loss in ("mse", "cross_entropy"):
            sizes, n = [3, 5, 4, 2], 9
            X = rng.standard_normal((n, sizes[0]))
            y = (rng.standard_normal((n, sizes[-1])) if loss == "mse"
                 else rng.integers(0, sizes[-1], n))
            params = []
            for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True):
                params += [rng.standard_normal((n_in, n_out)) * 0.8,
                           rng.standard_normal(n_out) * 0.3]
            v = [rng.standard_normal(p.shape) for p in params]
            cases.append({"activation": activation, "loss": loss, "layer_sizes": sizes,
                          "X": X.tolist(), "y": y.tolist(), "params": [p.tolist() for p in params],
                          "v": [t.tolist() for t in v]})
    rng = np.random.default_rng(20261201)
    for activation, loss in (("tanh", "mse"), ("sigmoid", "cross_entropy"), ("identity", "mse")):
        sizes, n = [3, 5, 5, 2], 6
        X = rng.standard_normal((n, sizes[0]))
        y = (rng.standard_normal((n, sizes[-1])) if loss == "mse"
             else rng.integers(0, sizes[-1], n))
        params, v = [], []
        for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True):
            params += [rng.standard_normal((n_in, n_out)) / np.sqrt(n_in),
                       0.3 * rng.standard_normal(n_out)]
            v += [rng.standard_normal((n_in, n_out)), rng.standard_normal(n_out)]
        cases.append({"activation": activation, "loss": loss, "layer_sizes": sizes,
                      "residual": True, "X": X.tolist(), "y": y.tolist(),
                      "params": [p.tolist() for p in params], "v": [t.tolist() for t in v]})
    return cases


def mlp_hvp(case: dict) -> dict:
    """The case with loss_value and hvp = H v (H the Hessian of the loss in all params)."""
    params = [torch.tensor(p, requires_grad=True) for p in case["params"]]
    f = mlp_loss(params[::2], params[1::2], case["X"], case["y"], case["activation"],
                 case["loss"], case.get("residual", False))
    grads = torch.autograd.grad(f, params, create_graph=True)
    Hv = torch.autograd.grad(sum((g * torch.tensor(v)).sum()
                                 for g, v in zip(grads, case["v"], strict=True)), params)
    return {**case, "loss_value": f.item(), "hvp": [t.tolist() for t in Hv]}


def make_hvp_file() -> dict:
    """The HVP file: seeded inputs; outputs recomputed and, where the file exists, kept from it.

    The stored outputs came from a first script whose graph differed from mlp_loss's (mse as
    Σ/n, not a mean of row sums; φ(z) + 0.0 on the hidden layers without a skip), so a few differ
    from ours in the last bits (loss_value by an ulp, H v by ~2e-16 relative): like the shared
    MLP gradients, they are checked to 1e-13 and kept; the inputs must equal the seeded ones
    exactly. Without the file, the recomputed outputs are written.
    """
    inputs = hvp_inputs()
    computed = [mlp_hvp(case) for case in inputs]
    path = DATA / "torch_mlp_hvp.json"
    if not path.exists():
        return {"source": HVP_SOURCE, "cases": computed}
    stored = json.loads(path.read_text())["cases"]
    _identical([{k: v for k, v in case.items() if k not in HVP_OUTPUTS} for case in stored],
               inputs, "Hessian-vector product input")
    _close(stored, computed, "Hessian-vector product", keys=HVP_OUTPUTS)
    return {"source": HVP_SOURCE, "cases": stored}


# ----------------------------------------------------------------------------------------------

def _shared(name: str) -> dict:
    """The shared reference file (or, where it is not mounted, our own copy in tests/data)."""
    path = SHARED / name if (SHARED / name).exists() else DATA / name
    return json.loads(path.read_text())


def _identical(old: list, new: list, what: str) -> None:
    if json.dumps(old) != json.dumps(new):
        raise SystemExit(f"regenerating the shared {what} cases did not reproduce them exactly")


def _close(old: list, new: list, what: str, keys=("loss_value", "dW", "db"),
           rtol: float = 1e-13) -> None:
    """The shared MLP gradients (and the stored HVPs) were summed in another order than ours
    (they differ in the last bits only); require agreement to rtol of each array's scale (each
    entry of a list of arrays on its own), keep the shared numbers."""
    for a, b in zip(old, new, strict=True):
        for key in keys:
            pairs = (zip(a[key], b[key], strict=True) if isinstance(a[key], list)
                     else [(a[key], b[key])])
            for x, y in pairs:
                x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
                if np.max(np.abs(x - y)) > rtol * max(np.max(np.abs(x)), 1e-300):
                    raise SystemExit(f"regenerating the shared {what} cases: {key} differs")


def _same_trajectories(old: list, new: list, what: str, rtol: float = 1e-13) -> None:
    """The shared cases reproduce bit for bit here, except the Adafactor one (its norms were
    summed in another order where it was made; ~1 ulp): require rtol, keep the shared numbers."""
    for a, b in zip(old, new, strict=True):
        x, y = np.array(a["xs"]), np.array(b["xs"])
        if x.shape != y.shape or np.max(np.abs(x - y)) > rtol * np.max(np.abs(x)):
            raise SystemExit(f"regenerating the shared {what} cases: {a['optimizer']} differs")
        if a.get("function_evaluations") != b.get("function_evaluations"):
            raise SystemExit(f"regenerating the shared {what} cases: LBFGS evaluations differ")


def _dumps(content: dict) -> str:
    """JSON with one case per line: compact, yet a diff shows which case changed."""
    head = json.dumps({k: v for k, v in content.items() if k != "cases"})[:-1]
    cases = ",\n".join(json.dumps(case) for case in content["cases"])
    return f'{head}, "cases": [\n{cases}\n]}}\n'


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="recompute and compare with tests/data, write nothing")
    args = parser.parse_args()

    shared_opt = _shared("torch_optim_trajectories.json")["cases"][:N_SHARED_OPTIMIZER_CASES]
    regenerated = [run_optimizer(case) for case in shared_opt]
    _identical(shared_opt, regenerated, "optimizer")
    optim = {"made_with": MADE_WITH, "note": NOTE,
             "cases": regenerated + [well_conditioned(run_optimizer(case))
                                     for case in EXTENDED_OPTIMIZER_CASES]}

    shared_mlp = _shared("torch_mlp_gradients.json")["cases"][:N_SHARED_MLP_CASES]
    _close(shared_mlp, [mlp_gradients(case) for case in shared_mlp], "MLP")
    mlp = {"made_with": MADE_WITH, "note": "MLP gradient cases; format in the shared README.",
           "cases": shared_mlp + [make_mlp_case(*spec) for spec in EXTENDED_MLP_CASES]}

    schedules = {"made_with": MADE_WITH,
                 "note": ("lrs[t] = the lr of optimizer step t (0-based), the scheduler stepped "
                          "once after every optimizer step; 'schedule' and 'arguments' name the "
                          "gdcore.schedules function."),
                 "cases": [schedule_case(*spec) for spec in SCHEDULE_CASES]}

    shared_more = _shared("torch_optim_more_trajectories.json")
    kept = shared_more["cases"][:N_SHARED_MORE_CASES]
    _same_trajectories(kept, [more_case(case) for case in kept], "torch.optim (more)")
    extended = [more_case(case) for case in EXTENDED_MORE_CASES]
    for case in extended:
        if case["optimizer"] not in NOT_WELL_CONDITIONED:
            well_conditioned(case)
    more = {"made_with": shared_more["made_with"],
            "note": shared_more["note"] + (" Cases after the first "
                                           f"{N_SHARED_MORE_CASES} were added by "
                                           "tools/make_torch_reference.py."),
            "cases": kept + extended}

    shared_lr = _shared("torch_lr_schedules.json")
    regenerated = [lr_schedule_case(c["scheduler"], c["base_lr"], c["hyperparameters"],
                                    c["steps"]) for c in shared_lr["cases"][:N_SHARED_LR_CASES]]
    _identical(shared_lr["cases"][:N_SHARED_LR_CASES], regenerated, "lr scheduler")
    lr_schedules = {"made_with": shared_lr["made_with"], "note": shared_lr["note"],
                    "cases": regenerated + [lr_schedule_case(*spec)
                                            for spec in EXTENDED_LR_CASES]}

    outputs = {"torch_optim_trajectories.json": optim, "torch_mlp_gradients.json": mlp,
               "torch_schedules.json": schedules,
               "torch_optim_more_trajectories.json": more,
               "torch_lr_schedules.json": lr_schedules,
               "torch_mlp_hvp.json": make_hvp_file()}
    for name, content in outputs.items():
        path = DATA / name
        if args.check:
            same = path.exists() and json.loads(path.read_text()) == content
            print(f"{name}: {'identical' if same else 'DIFFERS'}")
        else:
            path.write_text(_dumps(content))
            print(f"wrote {path.relative_to(ROOT)} ({len(content['cases'])} cases)")


if __name__ == "__main__":
    main()
