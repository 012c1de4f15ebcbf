"""The computation behind the Chapter 5 explorer widget, tested without a kernel."""

import numpy as np
import pytest

import gdcore as gd
from gdcore.widgets import zoo


@pytest.mark.parametrize("surface", sorted(zoo.SURFACES))
@pytest.mark.parametrize("name", ["sgd", "momentum", "nesterov", "adagrad", "rmsprop",
                                  "adadelta", "adam", "adamw", "amsgrad", "nadam"])
def test_trajectory_shapes_and_start(name, surface):
    problem, trace = zoo.trajectory(name, surface, lr=1e-3, steps=25)
    assert trace.xs.shape == (26, 2)
    assert trace.losses.shape == (26,)
    np.testing.assert_array_equal(trace.xs[0], zoo.SURFACES[surface][1])
    assert problem.dim == 2


def test_trajectory_is_gd_descend_with_the_chosen_hyperparameters():
    problem, trace = zoo.trajectory("nesterov", "rosenbrock", lr=2e-4, momentum=0.8,
                                    x0=(-1.0, 1.5), steps=40)
    opt = gd.optimizers.SGD(lr=2e-4, momentum=0.8, nesterov=True)
    expected = gd.descend(gd.functions.rosenbrock(), np.array([-1.0, 1.5]), opt, 40)
    np.testing.assert_array_equal(trace.xs, expected.xs)


def test_betas_reach_adam_and_momentum_zero_is_sgd():
    _, adam = zoo.trajectory("adam", "beale", lr=0.01, beta1=0.5, beta2=0.9, steps=30)
    ref = gd.descend(gd.functions.beale(), np.array([1.0, 1.4]),
                     gd.optimizers.Adam(lr=0.01, betas=(0.5, 0.9)), 30)
    np.testing.assert_array_equal(adam.xs, ref.xs)
    _, heavy = zoo.trajectory("momentum", "himmelblau", lr=0.01, momentum=0.0, steps=30)
    _, plain = zoo.trajectory("sgd", "himmelblau", lr=0.01, steps=30)
    np.testing.assert_array_equal(heavy.xs, plain.xs)


def test_hyperparameters_only_what_the_optimizer_has():
    assert zoo.hyperparameters("adagrad", 0.1) == {"lr": 0.1}
    assert zoo.hyperparameters("rmsprop", 0.1, momentum=0.5) == {"lr": 0.1, "momentum": 0.5}
    assert zoo.hyperparameters("nadam", 0.1, beta1=0.8, beta2=0.99) == {
        "lr": 0.1, "betas": (0.8, 0.99)}


def test_divergence_is_recorded_not_raised():
    _, trace = zoo.trajectory("sgd", "rosenbrock", lr=1.0, steps=20)
    assert trace.diverged
    assert np.isnan(trace.final_loss)


def test_saddle_escape_is_not_divergence():
    _, trace = zoo.trajectory("adam", "saddle", lr=0.1, steps=200)
    assert not trace.diverged
    assert abs(trace.final_x[1]) > 10


@pytest.mark.parametrize(("kwargs", "word"), [({"name": "lbfgs"}, "optimizer"),
                                              ({"surface": "moon"}, "surface"),
                                              ({"lr": -1.0}, "learning rate")])
def test_bad_input_names_the_argument(kwargs, word):
    with pytest.raises(ValueError, match=word):
        zoo.trajectory(**kwargs)


def test_explorer_builds():
    pytest.importorskip("ipywidgets")
    import matplotlib

    matplotlib.use("Agg")
    box = zoo.explorer(steps=10)
    assert box.children
