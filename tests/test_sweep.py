"""Learning-rate sensitivity sweeps (gdcore.sweep): lanes against closed forms and single runs."""

import warnings

import numpy as np
import pytest

import gdcore as gd
from gdcore import sweep as sw

# f(x) = ½ a x² in one dimension: GD gives x_T = (1 − ηa)^T x_0 exactly.
A = 4.0
LINE = gd.functions.quadratic(np.array([[A]]))


def test_gd_sweep_matches_the_closed_form_and_flags_divergence():
    lrs = np.array([0.05, 0.1, 0.25, 0.4, 0.6])   # stable iff η < 2/a = 0.5
    x0 = np.array([[1.0], [-2.0], [0.5]])          # three seeds
    steps = 30
    s = sw.lr_sweep(LINE, "sgd", lrs, x0, steps)
    expected_x = (1 - lrs[:, None] * A) ** steps * x0[None, :, 0]
    stable = lrs < 2 / A
    np.testing.assert_allclose(s.final_x[stable, :, 0], expected_x[stable], rtol=1e-12,
                               atol=1e-300)
    np.testing.assert_allclose(s.final_loss[stable], 0.5 * A * expected_x[stable] ** 2,
                               rtol=1e-12, atol=1e-300)
    assert s.diverged[~stable].all() and not s.diverged[stable].any()
    assert np.isinf(s.final_loss[~stable]).all() and np.isnan(s.final_x[~stable]).all()
    # the best rate of a quadratic is the one nearest 1/a, where one step solves it
    assert s.lrs[s.best] == 0.25 and s.median()[s.best] == 0.0


@pytest.mark.parametrize("name", ["momentum", "adam", "rmsprop"])
def test_lanes_equal_single_runs(name):
    R = gd.functions.rosenbrock()
    starts = np.array([[-1.5, 2.5], [-1.0, 1.0], [0.3, -0.5]])
    lrs = np.geomspace(1e-4, 1e-2, 3)
    s = sw.lr_sweep(R, name, lrs, starts, 50)
    for i, lr in enumerate(lrs):
        for k, x0 in enumerate(starts):
            one = gd.descend(R, x0, gd.optimizers.by_name(name, lr=lr), 50)
            if one.diverged:
                assert s.diverged[i, k]
            else:
                np.testing.assert_allclose(s.final_x[i, k], one.final_x, rtol=1e-13, atol=1e-15)


def test_optimizer_factory_and_metric():
    lrs = np.array([0.1, 0.2])
    s = sw.lr_sweep(LINE, lambda lr: gd.optimizers.SGD(lr=lr, momentum=0.5), lrs,
                    np.ones(1), 5, metric=lambda x: float(abs(x[0])))
    assert s.final_loss.shape == (2, 1) and s.metric.shape == (2, 1)
    np.testing.assert_allclose(s.metric, np.abs(s.final_x[..., 0]), rtol=0, atol=0)
    np.testing.assert_allclose(s.median("metric"), s.metric[:, 0])


def _synthetic(medians, floor=0.0):
    # a sweep whose seeds all end at the given value: median = min = max = that value
    lrs = np.geomspace(1e-3, 1.0, len(medians))
    loss = np.repeat(np.asarray(medians, float)[:, None], 3, axis=1)
    return sw.Sensitivity(lrs, loss, np.zeros((len(lrs), 3, 1)), ~np.isfinite(loss),
                          floor=floor)


def test_width_is_the_contiguous_range_around_the_best():
    # grid spacing: 3 decades over 6 intervals = half a decade
    s = _synthetic([5.0, 0.9, 0.3, 0.5, 2.0, 0.4, np.inf])
    assert s.best == 2
    np.testing.assert_array_equal(s.within(factor=2), [0, 0, 1, 1, 0, 0, 0])
    assert s.width(factor=2) == pytest.approx(0.5)
    # the isolated good value at index 5 does not count: the range must be contiguous
    np.testing.assert_array_equal(s.within(factor=4), [0, 1, 1, 1, 0, 0, 0])
    assert s.width(target=1.0) == pytest.approx(1.0)
    assert s.threshold(factor=4, target=1.0) == 1.0          # the smaller limit applies
    assert np.isnan(s.width(target=0.1))                      # nothing gets below 0.1
    assert s.width(factor=1) == 0.0


def test_floor_makes_rounding_level_losses_ties():
    s = _synthetic([1e-20, 1e-30, 1e-17, 1.0], floor=1e-14)
    assert s.best == 0                                       # ties: the smallest η
    np.testing.assert_array_equal(s.within(factor=1), [1, 1, 1, 0])


def test_bands_with_diverged_seeds():
    loss = np.array([[1.0, 2.0, 3.0, np.inf], [np.inf] * 4])
    s = sw.Sensitivity(np.array([0.1, 1.0]), loss, np.zeros((2, 4, 1)), ~np.isfinite(loss))
    lo, hi = s.band("minmax")
    np.testing.assert_array_equal(lo, [1.0, np.inf])
    np.testing.assert_array_equal(hi, [np.inf, np.inf])
    q1, q3 = s.band("iqr")
    assert q1[0] == pytest.approx(1.75) and q3[0] == np.inf and q1[1] == np.inf
    assert s.median()[0] == 2.5 and s.median()[1] == np.inf
    assert np.isnan(_synthetic([np.inf, np.inf]).width(factor=2))


def test_minibatch_grad_gives_each_seed_its_own_batches():
    x, y = gd.data.linear_data(n=40, seed=0)
    LR = gd.functions.linear_regression(gd.data.design_matrix(x), y)
    seeds, batch = [3, 7], 5
    grad = sw.minibatch_grad(LR, seeds, batch)
    theta = np.random.default_rng(0).normal(size=(4, 2, 2))   # 4 learning rates × 2 seeds
    g1, g2 = grad(theta), grad(theta)
    rngs = [np.random.default_rng(s) for s in seeds]
    for g in (g1, g2):
        for k, rng in enumerate(rngs):
            idx = np.sort(rng.choice(LR.n_samples, batch, replace=False))
            np.testing.assert_allclose(g[:, k], LR.grad_batch(theta[:, k], idx), rtol=1e-14)
    assert not np.allclose(g1, g2)          # fresh batches at every call
    # a full batch is the full gradient
    full = sw.minibatch_grad(LR, seeds, LR.n_samples)(theta)
    np.testing.assert_allclose(full, LR.grad(theta), rtol=1e-12)


def test_noisy_sweep_is_reproducible_and_shares_batches_across_rates():
    x, y = gd.data.linear_data(n=60, seed=1)
    LR = gd.functions.linear_regression(gd.data.design_matrix(x), y)
    lrs = np.array([1e-3, 1e-2])
    a, b = (sw.lr_sweep(LR, "sgd", lrs, np.zeros((3, 2)), 40,
                        grad=sw.minibatch_grad(LR, [0, 1, 2], 4)) for _ in range(2))
    np.testing.assert_array_equal(a.final_loss, b.final_loss)
    # one lane by hand: seed 1 at η = 1e-2
    rng, theta = np.random.default_rng(1), np.zeros(2)
    for _ in range(40):
        theta = theta - 1e-2 * LR.grad_batch(theta, np.sort(rng.choice(60, 4, replace=False)))
    np.testing.assert_allclose(a.final_x[1, 1], theta, rtol=1e-12)


@pytest.mark.parametrize("call, message", [
    (lambda: sw.lr_sweep(LINE, "sgd", [0.1, -0.1], np.ones(1), 3), "Invalid learning rate: -0.1"),
    (lambda: sw.lr_sweep(LINE, "sgd", [0.2, 0.1], np.ones(1), 3), "lrs must be increasing"),
    (lambda: sw.lr_sweep(LINE, "sgd", [], np.ones(1), 3), "lrs must be a non-empty 1-D grid"),
    (lambda: sw.lr_sweep(LINE, "sgd", [0.1], np.ones((1, 1, 1)), 3), "x0 must have shape"),
    (lambda: _synthetic([1.0, 2.0]).within(factor=0.5), "factor must be >= 1"),
    (lambda: _synthetic([1.0, 2.0]).within(target=0.0), "target must be > 0"),
    (lambda: _synthetic([1.0, 2.0]).within(), "give factor"),
    (lambda: _synthetic([1.0, 2.0]).band("range"), "kind must be 'minmax' or 'iqr'"),
    (lambda: _synthetic([1.0, 2.0]).median("metric"), "recorded no metric"),
    (lambda: sw.minibatch_grad(gd.functions.linear_regression(np.ones((5, 1)), np.ones(5)),
                               [0], 6), r"batch_size must be an integer in \[1, 5\]"),
])
def test_bad_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_select_splits_the_seeds():
    s = sw.lr_sweep(LINE, "sgd", [0.1, 0.2], np.array([[1.0], [2.0], [3.0], [4.0]]), 3,
                    metric=lambda x: float(x[0]))
    a, b = s.select(slice(0, 2)), s.select(slice(2, 4))
    np.testing.assert_array_equal(np.hstack([a.final_loss, b.final_loss]), s.final_loss)
    np.testing.assert_array_equal(b.metric, s.metric[:, 2:])
    assert a.final_x.shape == (2, 2, 1) and a.floor == s.floor


def test_interpolated_width_moves_the_ends_to_the_crossings():
    # half a decade per grid step; log10 medians 0, -1, -2, -1, 0 → best -2, limit ×10 → -1
    s = _synthetic([1.0, 0.1, 0.01, 0.1, 1.0])
    lrs = np.log10(s.lrs)
    # the median crosses 10 × best exactly at the grid points 1 and 3
    assert s.interpolated_width(factor=10) == pytest.approx(lrs[3] - lrs[1])
    # × 100: the crossings are at the outer points 0 and 4
    assert s.interpolated_width(factor=100) == pytest.approx(lrs[4] - lrs[0])
    # target 10^-1.5: halfway between the best and its neighbours on either side
    assert s.interpolated_width(target=10 ** -1.5) == pytest.approx(0.5 * (lrs[3] - lrs[1]))
    assert np.isnan(s.interpolated_width(target=1e-3))
    # a diverged neighbour stops the range at the last good grid point
    d = _synthetic([np.inf, 0.01, 0.1])
    assert d.interpolated_width(factor=100) == pytest.approx(np.log10(d.lrs[2] / d.lrs[1]))


def test_interpolated_width_of_a_median_at_zero_warns_not():
    # a run that lands exactly on the minimum has f = 0: no log, no warning, a finite width
    s = sw.Sensitivity(np.array([0.1, 0.2, 0.4]), np.array([[1.0], [0.0], [1.0]]),
                       np.zeros((3, 1, 1)), np.zeros((3, 1), dtype=bool))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        w = s.interpolated_width(target=0.5)
        assert s.interpolated_width(factor=1) == 0.0
    # the crossings lie between the grid points next to the best one
    assert 0.0 < w < np.log10(0.4 / 0.1)
