"""Tests of gdcore.schedules against torch.optim.lr_scheduler and the closed forms."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from gdcore import optimizers, schedules

CASES = json.loads((Path(__file__).parent / "data" / "torch_schedules.json").read_text())["cases"]


@pytest.mark.parametrize("case", CASES, ids=[f"{c['schedule']}-{c['arguments']}" for c in CASES])
def test_matches_torch_lr_scheduler(case):
    """torch steps its schedulers recursively; the closed forms agree to rounding (1e-12)."""
    schedule = getattr(schedules, case["schedule"])(**case["arguments"])
    ours = [schedule(t) for t in range(case["steps"])]
    np.testing.assert_allclose(ours, case["lrs"], rtol=1e-12, atol=1e-15)
    # Vectorized over steps, for plotting: the same numbers.
    np.testing.assert_array_equal(schedule(np.arange(case["steps"])), ours)


def test_closed_forms():
    assert schedules.constant(0.3)(17) == 0.3
    assert schedules.step_decay(1.0, step_size=3, gamma=0.5)(7) == 0.25
    assert schedules.exponential(2.0, gamma=0.5)(3) == 0.25
    assert schedules.inverse_time(1.0, decay_rate=1.0, decay_steps=10)(30) == 0.25
    cos = schedules.cosine(1.0, T_max=10, eta_min=0.2)
    assert cos(0) == 1.0 and cos(10) == pytest.approx(0.2) and cos(5) == pytest.approx(0.6)
    warm = schedules.warmup_cosine(1.0, warmup_steps=4, T_max=14)
    assert [warm(t) for t in range(4)] == [0.25, 0.5, 0.75, 1.0]
    assert warm(4) == 1.0 and warm(9) == pytest.approx(0.5) and warm(14) == pytest.approx(0.0)


def test_returns_python_floats_and_per_run_arrays():
    assert type(schedules.cosine(0.1, T_max=5)(2)) is float
    lrs = schedules.exponential(np.array([[0.1], [1.0]]), gamma=0.5)(1)
    np.testing.assert_array_equal(lrs, [[0.05], [0.5]])


def test_optimizer_uses_schedule():
    schedule = schedules.warmup_cosine(0.1, warmup_steps=3, T_max=10)
    opt = optimizers.Adam(lr=schedule)
    assert [opt.lr_at(t) for t in range(10)] == [schedule(t) for t in range(10)]
    assert math.isclose(opt.lr_at(0), 0.1 / 3)


BAD = [
    (lambda: schedules.constant(-0.1), "Invalid learning rate: -0.1"),
    (lambda: schedules.step_decay(0.1, step_size=0), "step_size must be a positive integer"),
    (lambda: schedules.step_decay(0.1, step_size=2.5), "step_size must be a positive integer"),
    (lambda: schedules.step_decay(0.1, step_size=2, gamma=1.5), r"gamma must be in \(0, 1\]"),
    (lambda: schedules.exponential(0.1, gamma=0.0), r"gamma must be in \(0, 1\]"),
    (lambda: schedules.inverse_time(0.1, decay_rate=-1), "decay_rate must be >= 0"),
    (lambda: schedules.inverse_time(0.1, 0.5, decay_steps=0),
     "decay_steps must be a positive integer"),
    (lambda: schedules.cosine(0.1, T_max=0), "T_max must be a positive integer"),
    (lambda: schedules.cosine(0.1, T_max=10, eta_min=0.2), r"eta_min \(0.2\) must not exceed"),
    (lambda: schedules.cosine(0.1, T_max=10, eta_min=-1), "eta_min must be >= 0"),
    (lambda: schedules.warmup_cosine(0.1, warmup_steps=10, T_max=10),
     "T_max must be larger than warmup_steps"),
    (lambda: schedules.warmup_cosine(0.1, warmup_steps=0, T_max=10),
     "warmup_steps must be a positive integer"),
    (lambda: schedules.constant(0.1)(-1), "step must be >= 0"),
    (lambda: schedules.constant(0.1)(1.5), "step must be an integer"),
]


@pytest.mark.parametrize("make, message", BAD, ids=[m[:40] for _, m in BAD])
def test_bad_arguments(make, message):
    with pytest.raises(ValueError, match=message):
        make()
