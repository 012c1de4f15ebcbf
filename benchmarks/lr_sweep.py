"""Learning-rate sweep: one batched `descend` call vs a Python loop over runs.

256 learning rates × 200 steps of gradient descent on a 2-D quadratic (κ = 10). The batched run
passes lr of shape (256, 1), so every step updates all runs in one set of numpy operations; the
loop calls `descend` once per learning rate. Both give identical trajectories (checked below).
Prints the timings and their ratio (goal: batched ≥ 20× faster). Run:

    .venv/bin/python benchmarks/lr_sweep.py
"""

import time

import numpy as np

import gdcore as gd

N_RUNS, STEPS, REPEATS = 256, 200, 5


def best_time(fn, repeats=REPEATS):
    """Minimum wall time of `repeats` calls (the least disturbed by other processes)."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main():
    problem = gd.functions.quadratic(np.diag([1.0, 10.0]), b=[1.0, -1.0])
    x0 = np.array([3.0, 2.0])
    lrs = np.linspace(0.001, 0.25, N_RUNS)  # up to 2.5/L: the largest ones diverge

    def batched():
        return gd.descend(problem, x0, gd.optimizers.SGD(lr=lrs[:, None]), STEPS)

    def loop():
        return [gd.descend(problem, x0, gd.optimizers.SGD(lr=lr), STEPS) for lr in lrs]

    sweep, runs = batched(), loop()
    for i, run in enumerate(runs):
        assert np.array_equal(run.xs, sweep.xs[:, i], equal_nan=True)
    t_batched, t_loop = best_time(batched), best_time(loop, repeats=2)
    print(f"lr sweep: {N_RUNS} learning rates x {STEPS} steps on a 2-D quadratic "
          f"({int(sweep.diverged.sum())} runs diverge)")
    print(f"  batched descend : {1e3 * t_batched:8.1f} ms")
    print(f"  Python loop     : {1e3 * t_loop:8.1f} ms")
    print(f"  ratio           : {t_loop / t_batched:8.1f}x (goal >= 20x)")


if __name__ == "__main__":
    main()
