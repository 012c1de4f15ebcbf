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


def test_explorer_figure_moves_artists_and_adds_none():
    import matplotlib.pyplot as plt

    from gdcore.plotting.zoo import explorer_figure

    problem, trace = zoo.trajectory("adam", "rosenbrock", lr=0.05, steps=50)
    fig, update = explorer_figure(problem, trace, "adam", n=40)
    ax0, ax1 = fig.axes
    counts = len(ax0.get_children()), len(ax1.get_children())
    other, run = zoo.trajectory("sgd", "himmelblau", lr=0.01, x0=(1.0, 1.0), steps=30)
    image, stars, line, start, curve = update(other, run, "sgd")
    np.testing.assert_allclose(np.column_stack(line.get_data()), run.xs)
    np.testing.assert_allclose(np.column_stack(start.get_data()), run.xs[:1])
    np.testing.assert_allclose(np.column_stack(stars.get_data()), other.minimizers)
    np.testing.assert_allclose(curve.get_ydata(), np.maximum(run.losses - other.f_min, 1e-16))
    (x_lo, x_hi), (y_lo, y_hi) = other.bounds
    np.testing.assert_allclose(image.get_extent(), [x_lo, x_hi, y_lo, y_hi])
    np.testing.assert_allclose(ax0.get_xlim(), (x_lo, x_hi))
    assert line.get_color() == gd.plotting.color("sgd")
    assert ax0.get_title() == f"sgd on {other.name}"
    assert (len(ax0.get_children()), len(ax1.get_children())) == counts
    # the saddle has no minimum: a linear loss axis, no f*
    saddle, esc = zoo.trajectory("adam", "saddle", lr=0.1, steps=20)
    update(saddle, esc, "adam")
    assert ax1.get_yscale() == "linear" and ax1.get_ylabel() == "$f$"
    _, blown = zoo.trajectory("sgd", "rosenbrock", lr=1.0, steps=20)
    update(problem, blown, "sgd")
    assert ax1.get_title() == "diverged"
    plt.close(fig)


def test_explorer_controls_recompute_the_figure():
    widgets = pytest.importorskip("ipywidgets")
    box = zoo.explorer(steps=10)
    assert isinstance(box, widgets.VBox)
    controls = {c.description: c for c in box.controls.values()}
    assert set(controls) == {"optimizer", "surface", "lr", "momentum", "beta1", "beta2",
                             "x0[0]", "x0[1]"}
    controls["surface"].value = "himmelblau"  # the start sliders follow the surface
    controls = {c.description: c for c in box.controls.values()}  # new start sliders
    assert (controls["x0[0]"].value, controls["x0[1]"].value) == zoo.SURFACES["himmelblau"][1]
    (x_lo, x_hi), _ = gd.functions.himmelblau().bounds
    assert (controls["x0[0]"].min, controls["x0[0]"].max) == (x_lo, x_hi)
    controls["optimizer"].value = "nesterov"  # must not raise without a kernel
    controls["lr"].value = 1.0


def test_explorer_builds():
    pytest.importorskip("ipywidgets")
    import matplotlib

    matplotlib.use("Agg")
    box = zoo.explorer(steps=10)
    assert box.children and box.draws == 1
    text = repr(box)
    assert "\n" not in text and text.startswith("Live explorer of the optimizers")


@pytest.mark.parametrize("name", ["sgd", "momentum", "nesterov", "adagrad", "rmsprop",
                                  "adadelta", "adamw", "amsgrad", "nadam"])
def test_choosing_an_optimizer_resets_its_hyperparameters_and_shows_only_them(name):
    pytest.importorskip("ipywidgets")
    box = zoo.explorer(steps=10)
    c = box.controls
    c["lr"].value, c["momentum"].value, c["beta1"].value = 0.3, 0.5, 0.5
    draws = box.draws
    c["name"].value = name
    assert box.draws == draws + 1
    for key, value in zoo.DEFAULTS[name].items():
        assert np.isclose(c[key].value, value), (key, c[key].value, value)
    shown = {k for k, w in c.items() if w.layout.display != "none"}
    assert shown == zoo.acting_controls(name)
    # what is hidden does nothing: moving it leaves the run as it is
    _, before = zoo.trajectory(name, "rosenbrock", **{k: c[k].value for k in
                               ("lr", "momentum", "beta1", "beta2")}, steps=10)
    for hidden in {"momentum", "beta1", "beta2"} - shown:
        kwargs = {k: c[k].value for k in ("lr", "momentum", "beta1", "beta2")}
        kwargs[hidden] = 0.3 if hidden != "beta2" else 0.95
        _, after = zoo.trajectory(name, "rosenbrock", **kwargs, steps=10)
        np.testing.assert_array_equal(after.xs, before.xs)
    for shown_one in {"momentum", "beta1", "beta2"} & shown:
        kwargs = {k: c[k].value for k in ("lr", "momentum", "beta1", "beta2")}
        kwargs[shown_one] = 0.3 if shown_one != "beta2" else 0.95
        _, after = zoo.trajectory(name, "rosenbrock", **kwargs, steps=10)
        assert not np.allclose(after.xs, before.xs), shown_one
    # a row whose controls are all hidden takes no space
    rows = box.children[:4]
    assert (rows[2].layout.display == "none") == ("beta1" not in shown)


@pytest.mark.parametrize("surface", list(zoo.SURFACES)[1:])
def test_choosing_a_surface_moves_the_start_with_one_redraw(surface):
    pytest.importorskip("ipywidgets")
    box = zoo.explorer(steps=10)
    c = box.controls
    c["x"].value, c["y"].value = 1.35, 1.45
    draws = box.draws
    c["surface"].value = surface
    assert box.draws == draws + 1
    assert (c["x"].value, c["y"].value) == zoo.SURFACES[surface][1]
    (x_lo, x_hi), (y_lo, y_hi) = zoo.SURFACES[surface][0]().bounds
    assert (c["x"].min, c["x"].max, c["y"].min, c["y"].max) == (x_lo, x_hi, y_lo, y_hi)


def test_optimizer_defaults_neither_diverge_nor_stall_on_the_first_surface():
    for name, hyper in zoo.DEFAULTS.items():
        problem, trace = zoo.trajectory(name, "rosenbrock", **hyper)
        assert not np.any(trace.diverged), name
        assert trace.losses[-1] < trace.losses[0], name


def test_lr_frame_labels_say_diverged_floor_box_and_two_digits():
    from gdcore.plotting.zoo import lr_frame_labels

    lrs = np.array([1e-3, 1.0])
    sweeps = {name: zoo.trajectory(name, "rosenbrock", lr=lrs[:, None], steps=200)[1]
              for name in ("sgd", "nesterov")}
    problem = gd.functions.rosenbrock()
    assert lr_frame_labels(problem, sweeps, lrs, 1)["sgd"] == "sgd: diverged"
    small = lr_frame_labels(problem, sweeps, lrs, 0)
    gap = sweeps["sgd"].final_loss[0] - problem.f_min
    assert small["sgd"] == f"sgd: f = {gap:.1e}"            # two significant figures
    # a lane whose end a start 1e-12 away changes (round-off decides it) shows no digits; a
    # settled one keeps them
    start = np.asarray(zoo.SURFACES["rosenbrock"][1], dtype=float)
    runs = [zoo.trajectory("rmsprop", "rosenbrock", lr=lrs[:, None], steps=1000,
                           momentum=0.0, x0=x0)[1] for x0 in (start, start * (1 + 1e-12))]
    labels = [lr_frame_labels(problem, {"rmsprop": runs[0]}, lrs, k,
                              nudged={"rmsprop": runs[1]})["rmsprop"] for k in (0, 1)]
    assert labels[1].startswith("rmsprop: f chaotic")
    assert labels[0].startswith("rmsprop: f = ")
    # a box that the path leaves: the label says so
    box = ((-2.0, 2.0), (-1.0, 2.6))
    assert sweeps["nesterov"].xs[:, 0, 1].max() > 2.6
    boxed = lr_frame_labels(problem, sweeps, lrs, 0, bounds=box)
    assert boxed["nesterov"].endswith(", leaves the box")
    assert not small["nesterov"].endswith(", leaves the box")
    # a lane at the minimum is reported below the floor, not with rounding digits
    at_min = gd.descend(problem, np.array([[1.0, 1.0]]), gd.optimizers.SGD(lr=1e-3), 3)
    assert lr_frame_labels(problem, {"sgd": at_min}, lrs[:1], 0)["sgd"] == "sgd: f < 1e-16"


def test_loss_curves_label_the_floor_only_when_reached():
    import matplotlib.pyplot as plt

    from gdcore.plotting.zoo import loss_curves

    problem = gd.functions.quadratic(np.diag([1.0, 2.0]))
    fast = gd.descend(problem, [1.0, 1.0], gd.optimizers.SGD(lr=0.5), 80)
    slow = gd.descend(problem, [1.0, 1.0], gd.optimizers.SGD(lr=0.01), 80)
    ax = loss_curves({"sgd": fast})
    assert any("1e-16" in t.get_text() for t in ax.texts)
    ax2 = loss_curves({"sgd": slow})
    assert not ax2.texts
    plt.close("all")


def test_lane_bands_draws_the_median_and_quartiles():
    import matplotlib.pyplot as plt

    from gdcore.plotting.zoo import lane_bands

    values = np.arange(1.0, 13.0).reshape(3, 4)            # 3 steps, 4 lanes
    ax = lane_bands({"a": values}, log=False)
    np.testing.assert_allclose(ax.lines[0].get_ydata(), np.median(values, axis=1))
    assert len(ax.collections) == 1
    plt.close("all")
