"""gdcore.schedules' torch-named schedulers against torch.optim.lr_scheduler itself.

tests/data/torch_lr_schedules.json (tools/make_torch_reference.py): the shared cases, then the
other arguments of each scheduler. Each case is built generically from torch's class name and
keyword arguments, with the optimizer's lr (``base_lr``) as the schedule's ``lr``.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from gdcore import optimizers, schedules
from gdcore.schedules import (
    CosineAnnealingLR,
    CosineAnnealingWarmRestarts,
    ExponentialLR,
    LinearLR,
    MultiStepLR,
    OneCycleLR,
    PolynomialLR,
    SequentialLR,
    StepLR,
)

CASES = json.loads((Path(__file__).parent / "data" / "torch_lr_schedules.json").read_text())[
    "cases"]


def build(name, base_lr, hyperparameters):
    """torch's Scheduler(optimizer, **hyperparameters) is gdcore's Scheduler(lr, ...)."""
    return getattr(schedules, name)(base_lr, **hyperparameters)


def case_id(case):
    return f"{case['scheduler']}-{json.dumps(case['hyperparameters'], separators=(',', ':'))}"


@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_matches_torch_lr_scheduler(case):
    schedule = build(case["scheduler"], case["base_lr"], case["hyperparameters"])
    ours = [schedule(t) for t in range(case["steps"])]
    np.testing.assert_allclose(ours, case["lrs"], rtol=1e-12, atol=0)
    # Fresh object, vectorized over the steps: the same numbers.
    again = build(case["scheduler"], case["base_lr"], case["hyperparameters"])
    np.testing.assert_array_equal(again(np.arange(case["steps"])), ours)


def test_reference_data_covers_every_scheduler_and_argument():
    seen = {(c["scheduler"], k) for c in CASES for k in c["hyperparameters"]}
    expected = {
        ("StepLR", "step_size"), ("StepLR", "gamma"), ("MultiStepLR", "milestones"),
        ("MultiStepLR", "gamma"), ("ExponentialLR", "gamma"), ("CosineAnnealingLR", "T_max"),
        ("CosineAnnealingLR", "eta_min"), ("CosineAnnealingWarmRestarts", "T_0"),
        ("CosineAnnealingWarmRestarts", "T_mult"), ("CosineAnnealingWarmRestarts", "eta_min"),
        ("LinearLR", "start_factor"), ("LinearLR", "end_factor"), ("LinearLR", "total_iters"),
        ("OneCycleLR", "max_lr"), ("OneCycleLR", "total_steps"), ("OneCycleLR", "epochs"),
        ("OneCycleLR", "steps_per_epoch"), ("OneCycleLR", "pct_start"),
        ("OneCycleLR", "anneal_strategy"), ("OneCycleLR", "div_factor"),
        ("OneCycleLR", "final_div_factor"), ("OneCycleLR", "three_phase"),
        ("PolynomialLR", "total_iters"), ("PolynomialLR", "power"),
        ("SequentialLR", "schedulers"), ("SequentialLR", "milestones"),
    }
    assert expected <= seen, expected - seen
    assert any(len(c["hyperparameters"].get("schedulers", [])) == 3 for c in CASES)


def test_closed_forms():
    """The recursive forms equal the closed forms of torch's documentation (to rounding)."""
    t = np.arange(120)
    np.testing.assert_allclose(StepLR(0.1, step_size=7, gamma=0.5)(t), 0.1 * 0.5 ** (t // 7),
                               rtol=1e-13)
    np.testing.assert_allclose(MultiStepLR(1.0, [3, 3, 10], gamma=0.5)(t),
                               0.5 ** ((t >= 3) * 2 + (t >= 10)), rtol=1e-13)
    np.testing.assert_allclose(ExponentialLR(1.0, gamma=0.97)(t), 0.97 ** t, rtol=1e-12)
    cosine = schedules.cosine(0.1, T_max=30, eta_min=0.01)
    np.testing.assert_allclose(CosineAnnealingLR(0.1, T_max=30, eta_min=0.01)(t), cosine(t),
                               rtol=1e-12)
    np.testing.assert_allclose(LinearLR(0.1, 0.25, 1.0, total_iters=8)(t),
                               0.1 * (0.25 + 0.75 * np.minimum(t, 8) / 8), rtol=1e-13)
    np.testing.assert_allclose(PolynomialLR(0.1, total_iters=40, power=1.5)(t),
                               0.1 * (1 - np.minimum(t, 40) / 40) ** 1.5, rtol=1e-12, atol=1e-17)
    restarts = CosineAnnealingWarmRestarts(1.0, T_0=4, T_mult=2)
    assert [restarts.position(k) for k in (0, 3, 4, 11, 12, 28)] == [
        (0, 4), (3, 4), (0, 8), (7, 8), (0, 16), (0, 32)]
    assert restarts(4) == 1.0 and restarts(12) == 1.0
    # the peak at step pct_start·total_steps − 1, the minimum at the last step
    one = OneCycleLR(0.1, max_lr=1.0, total_steps=100, pct_start=0.5, anneal_strategy="linear")
    assert one(0) == pytest.approx(1 / 25) and one(49) == pytest.approx(1.0)
    assert one(99) == pytest.approx(1 / 25 / 1e4)
    assert one.momentum_at(0) == pytest.approx(0.95) and one.momentum_at(49) == pytest.approx(
        0.85)


def test_warmup_then_cosine_equals_warmup_cosine():
    """SequentialLR(LinearLR, CosineAnnealingLR) is the existing warmup_cosine schedule."""
    W, T, lr = 5, 60, 0.1
    seq = SequentialLR(lr, [LinearLR(lr, start_factor=1 / W, total_iters=W - 1),
                            CosineAnnealingLR(lr, T_max=T - W, eta_min=0.001)], milestones=[W])
    ref = schedules.warmup_cosine(lr, warmup_steps=W, T_max=T, eta_min=0.001)
    np.testing.assert_allclose(seq(np.arange(T + 1)), ref(np.arange(T + 1)), rtol=1e-12)


def test_per_run_learning_rates_and_optimizer_use():
    lrs = np.array([[0.1], [1.0]])
    sched = CosineAnnealingLR(lrs, T_max=10)
    np.testing.assert_allclose(sched(3), lrs * CosineAnnealingLR(1.0, T_max=10)(3), rtol=1e-15)
    assert np.shape(sched(np.arange(4))) == (4, 2, 1)
    opt = optimizers.SGD(lr=StepLR(0.1, step_size=2, gamma=0.5))
    assert [opt.lr_at(t) for t in range(5)] == [0.1, 0.1, 0.05, 0.05, 0.025]
    assert type(ExponentialLR(0.1, 0.9)(3)) is float
    assert "StepLR(lr=0.1, step_size=2, gamma=0.5)" in repr(opt)
    assert math.isclose(LinearLR(0.1)(0), 0.1 / 3)
    pairs = SequentialLR(0.1, [("LinearLR", {"total_iters": 3}), ("ExponentialLR", {"gamma": 0.5})],
                         milestones=[3])
    objects = SequentialLR(0.1, [LinearLR(0.1, total_iters=3), ExponentialLR(0.1, gamma=0.5)],
                           milestones=[3])
    assert [pairs(t) for t in range(8)] == [objects(t) for t in range(8)]


BAD = [
    (lambda: StepLR(-0.1, step_size=2), "Invalid learning rate: -0.1"),
    (lambda: StepLR(0.1, step_size=0), "step_size must be a positive integer"),
    (lambda: CosineAnnealingLR(0.1, T_max=0), "T_max must be a positive integer"),
    (lambda: CosineAnnealingWarmRestarts(0.1, T_0=0), "Expected positive integer T_0, but got 0"),
    (lambda: CosineAnnealingWarmRestarts(0.1, T_0=5, T_mult=0),
     "Expected integer T_mult >= 1, but got 0"),
    (lambda: CosineAnnealingWarmRestarts(0.1, T_0=5, eta_min="0"), "Expected float or int eta"),
    (lambda: LinearLR(0.1, start_factor=0.0), "Starting multiplicative factor expected to be "
                                              "greater than 0 and less or equal to 1."),
    (lambda: LinearLR(0.1, end_factor=1.5), "Ending multiplicative factor expected to be "
                                            "between 0 and 1."),
    (lambda: PolynomialLR(0.1, total_iters=-1), "total_iters must be a non-negative integer"),
    (lambda: LinearLR(0.1, total_iters=2.5), "total_iters must be a non-negative integer"),
    (lambda: OneCycleLR(0.1, 1.0), r"You must define either total_steps OR \(epochs AND "
                                   r"steps_per_epoch\)"),
    (lambda: OneCycleLR(0.1, 1.0, total_steps=0),
     "Expected positive integer total_steps, but got 0"),
    (lambda: OneCycleLR(0.1, 1.0, epochs=0, steps_per_epoch=3),
     "Expected positive integer epochs, but got 0"),
    (lambda: OneCycleLR(0.1, 1.0, epochs=2, steps_per_epoch=0),
     "Expected positive integer steps_per_epoch, but got 0"),
    (lambda: OneCycleLR(0.1, 1.0, total_steps=10, pct_start=1.5),
     "Expected float between 0 and 1 pct_start, but got 1.5"),
    (lambda: OneCycleLR(0.1, 1.0, total_steps=10, anneal_strategy="exp"),
     "anneal_strategy must be one of 'cos' or 'linear', instead got exp"),
    (lambda: OneCycleLR(0.1, 1.0, total_steps=10)(11),
     "Tried to step 11 times. The specified number of total steps is 10"),
    (lambda: OneCycleLR(-0.1, 1.0, total_steps=10), "Invalid learning rate: -0.1"),
    (lambda: SequentialLR(0.1, [], milestones=[]), "SequentialLR expects at least one scheduler"),
    (lambda: SequentialLR(0.1, [StepLR(0.1, 2), StepLR(0.1, 3)], milestones=[]),
     "Sequential Schedulers expects number of schedulers provided to be one more than the "
     "number of milestone points, but got number of schedulers 2 and the number of milestones "
     "to be equal to 0"),
    (lambda: SequentialLR(0.1, [StepLR(0.1, 2), StepLR(0.2, 3)], milestones=[4]),
     "SequentialLR expects all schedulers to have its lr"),
    (lambda: SequentialLR(0.1, [OneCycleLR(0.1, 1.0, total_steps=9), StepLR(0.1, 3)],
                          milestones=[4]),
     "SequentialLR at index 0 must be one of the chainable schedules"),
    (lambda: SequentialLR(0.1, [("StepLR", {"step_size": 2}), ("Cosine", {})], milestones=[4]),
     "Unknown scheduler 'Cosine'"),
    (lambda: StepLR(0.1, 2)(-1), "step must be >= 0"),
]


@pytest.mark.parametrize("make, message", BAD, ids=[m[:40] for _, m in BAD])
def test_bad_arguments(make, message):
    with pytest.raises(ValueError, match=message):
        make()
