"""Time of one optimizer update on 10⁶ float64 parameters: gdcore vs a naive numpy version vs torch.

Run from the repository root, with the project's venv (no torch column) or with an interpreter
that has torch (all columns)::

    .venv/bin/python benchmarks/optimizer_step.py
    /work/torchenv/bin/python benchmarks/optimizer_step.py [--torch-threads 1]

The torch interpreter has numpy but not gdcore installed, and gdcore needs nothing but numpy, so
this script (and only this script: a benchmark, not course material) falls back to importing
gdcore from the repository root when it is not installed, instead of installing anything there.

Columns: milliseconds per update (best of --repeat timed updates after warm-up: the minimum is
the least disturbed by other processes), and the
ratio gdcore / torch. "torch" is torch.optim with default settings (on CPU: the single-tensor
for-loop path, in-place, using torch's intra-op threads); "fused" is ``fused=True`` where torch
has a fused CPU kernel (SGD, Adagrad, Adam, AdamW), the practical limit. gdcore is pure numpy,
single-threaded and functional (it returns new arrays each step). Goal: gdcore Adam ≤ 1.5×
torch.optim.Adam default.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

try:
    import gdcore  # noqa: F401
except ImportError:  # the torch interpreter: use the repository's gdcore (it needs only numpy)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gdcore import optimizers  # noqa: E402

try:
    import torch
except ImportError:
    torch = None

N = 1_000_000

# (label, gdcore factory, torch class name, torch kwargs, torch has a fused CPU kernel)
CASES = [
    ("SGD", lambda: optimizers.SGD(lr=1e-3), "SGD", {"lr": 1e-3}, True),
    ("SGD momentum", lambda: optimizers.SGD(lr=1e-3, momentum=0.9), "SGD",
     {"lr": 1e-3, "momentum": 0.9}, True),
    ("Adagrad", lambda: optimizers.Adagrad(), "Adagrad", {}, True),
    ("RMSprop", lambda: optimizers.RMSprop(), "RMSprop", {}, False),
    ("Adadelta", lambda: optimizers.Adadelta(), "Adadelta", {}, False),
    ("Adam", lambda: optimizers.Adam(), "Adam", {}, True),
    ("AMSGrad", lambda: optimizers.Adam(amsgrad=True), "Adam", {"amsgrad": True}, True),
    ("AdamW", lambda: optimizers.AdamW(), "AdamW", {}, True),
    ("NAdam", lambda: optimizers.NAdam(), "NAdam", {}, False),
    ("RAdam", lambda: optimizers.RAdam(), "RAdam", {}, False),
    ("Adamax", lambda: optimizers.Adamax(), "Adamax", {}, False),
    ("Rprop", lambda: optimizers.Rprop(), "Rprop", {}, False),
    ("ASGD", lambda: optimizers.ASGD(), "ASGD", {}, False),
    ("Lion", lambda: optimizers.Lion(), None, {}, False),  # not in torch.optim
    ("Adafactor", lambda: optimizers.Adafactor(), "Adafactor", {}, False),
]
# The same 10⁶ parameters as one matrix, for the optimizers that see a matrix (Adafactor's
# factored moments; Muon's Newton–Schulz, float64 here and bfloat16 in torch).
MATRIX_SHAPE = (100, 10_000)
MATRIX_CASES = [
    ("Adafactor 2-D", lambda: optimizers.Adafactor(), "Adafactor", {}, False),
    ("Muon 2-D", lambda: optimizers.Muon(), "Muon", {}, False),
]


def naive_adam(params, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    """The textbook Adam in numpy, one expression per line, every intermediate a new array."""
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad**2
    m_hat = m / (1 - beta1**t)
    v_hat = v / (1 - beta2**t)
    return params - lr * m_hat / (np.sqrt(v_hat) + eps), m, v


def best_ms(steps: dict, repeat: int, warmup: int = 3) -> dict:
    """Best time of each step function, in ms, timing them in turns.

    Interleaving the columns means a burst of load from other processes hits all of them
    alike, and the minimum over repeats is the run least disturbed by it.
    """
    for step in steps.values():
        for _ in range(warmup):
            step()
    best = dict.fromkeys(steps, float("inf"))
    for _ in range(repeat):
        for key, step in steps.items():
            start = time.perf_counter()
            step()
            best[key] = min(best[key], time.perf_counter() - start)
    return {key: 1e3 * value for key, value in best.items()}


def gdcore_step(factory, params, grad):
    opt = factory()
    box = [params, opt.init(params)]

    def step():
        box[0], box[1] = opt.update(box[0], grad, box[1])

    return step


def naive_adam_step(params, grad):
    box = [params, np.zeros_like(params), np.zeros_like(params), 0]

    def step():
        box[3] += 1
        box[0], box[1], box[2] = naive_adam(box[0], grad, box[1], box[2], box[3])

    return step


def torch_step(name, kwargs, params, grad, fused=False):
    p = torch.tensor(params, requires_grad=True)
    p.grad = torch.tensor(grad)
    opt = getattr(torch.optim, name)([p], **kwargs, **({"fused": True} if fused else {}))
    return opt.step


def main() -> None:
    parser = argparse.ArgumentParser(description="time per optimizer update, 1e6 float64")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--torch-threads", type=int, default=None,
                        help="torch.set_num_threads (default: torch's own choice)")
    parser.add_argument("--only", default=None,
                        help="comma-separated optimizer labels to time, e.g. Adam,AdamW")
    args = parser.parse_args()
    only = None if args.only is None else {label.strip() for label in args.only.split(",")}

    rng = np.random.default_rng(0)
    params, grad = rng.standard_normal(N), rng.standard_normal(N)
    has_torch = torch is not None
    if has_torch and args.torch_threads:
        torch.set_num_threads(args.torch_threads)
    print(f"numpy {np.__version__}; "
          + (f"torch {torch.__version__} ({torch.get_num_threads()} threads)" if has_torch
             else "torch not importable: torch columns skipped"))
    print(f"{N:.0e} float64 parameters, best of {args.repeat} updates, milliseconds\n")
    header = f"{'optimizer':14s} {'gdcore':>8s} {'naive':>8s}"
    if has_torch:
        header += f" {'torch':>8s} {'fused':>8s} {'gd/torch':>9s} {'gd/fused':>9s}"
    print(header)
    nan = float("nan")
    cases = [(case, params, grad) for case in CASES] + [
        (case, params.reshape(MATRIX_SHAPE), grad.reshape(MATRIX_SHAPE)) for case in MATRIX_CASES]
    for (label, factory, torch_name, kwargs, has_fused), params, grad in cases:
        if only is not None and label not in only:
            continue
        steps = {"gdcore": gdcore_step(factory, params, grad)}
        if label == "Adam":
            steps["naive"] = naive_adam_step(params, grad)
        if has_torch and torch_name is not None:
            steps["torch"] = torch_step(torch_name, kwargs, params, grad)
            if has_fused:
                steps["fused"] = torch_step(torch_name, kwargs, params, grad, fused=True)
        ms = best_ms(steps, args.repeat)
        ours = ms["gdcore"]
        line = f"{label:14s} {ours:8.2f} {ms.get('naive', nan):8.2f}"
        if has_torch:
            theirs, fused = ms.get("torch", nan), ms.get("fused", nan)
            line += f" {theirs:8.2f} {fused:8.2f} {ours / theirs:9.2f} {ours / fused:9.2f}"
        print(line.replace("nan", "  -"))

if __name__ == "__main__":
    main()
