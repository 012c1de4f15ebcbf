"""The chapter-3 explorer: its computation (``explore``) is a plain function, tested directly
against closed forms; the widget and the panel are smoke-tested without a display."""

import warnings

import numpy as np
import pytest

from gdcore.widgets import descent as explorer


@pytest.mark.parametrize("function", explorer.FUNCTIONS)
def test_defaults_run_and_start_where_asked(function):
    run = explorer.explore(function)
    problem = run.problem
    assert run.xs.shape == (51, problem.dim)
    assert np.allclose(run.xs[0], explorer.DEFAULTS[function]["start"][: problem.dim])
    assert run.diverged_at is None
    assert run.losses[-1] < run.losses[0]


@pytest.mark.parametrize("eta", [0.3, 1.0, 1.7])
def test_one_d_quadratic_matches_closed_form(eta):
    # f = ½x² (L = 1): x_k = (1 − η)^k x_0
    run = explorer.explore("quadratic 1-D", np.log10(eta), 20, (1.5,))
    assert np.allclose(run.xs[:, 0], 1.5 * (1 - eta) ** np.arange(21), rtol=1e-12, atol=1e-300)


@pytest.mark.parametrize("kappa", [1.0, 10.0, 300.0])
def test_two_d_quadratic_has_the_requested_condition_number(kappa):
    problem = explorer.problem_for("quadratic 2-D", kappa)
    assert np.isclose(problem.L, 1.0) and np.isclose(problem.condition_number, kappa)
    # η* = 2/(L+μ) contracts the distance to the minimizer by exactly (κ−1)/(κ+1) per step
    eta = 2 / (1 + 1 / kappa)
    run = explorer.explore("quadratic 2-D", np.log10(eta), 10, (-1.6, 1.2), kappa)
    d = np.linalg.norm(run.xs, axis=-1)
    assert np.allclose(d[1:], (kappa - 1) / (kappa + 1) * d[:-1], rtol=1e-8, atol=1e-14)


def test_divergence_is_reported_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        run = explorer.explore("rosenbrock", -1.0, 200)
    assert run.diverged_at is not None and 1 <= run.diverged_at <= 200
    assert np.all(np.isnan(run.xs[run.diverged_at:]))
    assert np.all(np.isfinite(run.xs[: run.diverged_at]))
    assert "diverged at step" in run.title


def test_boundary_step_two_over_L_neither_converges_nor_diverges():
    run = explorer.explore("quadratic 1-D", np.log10(2.0), 30, (1.0,))
    assert run.diverged_at is None
    assert np.allclose(np.abs(run.xs[:, 0]), 1.0)


@pytest.mark.parametrize(("args", "word"), [
    (("paraboloid",), "function"),
    (("quadratic 2-D", 0.0, 10, None, 0.5), "kappa"),
])
def test_bad_input_names_the_argument(args, word):
    with pytest.raises(ValueError, match=word):
        explorer.explore(*args)


def test_panel_moves_artists_and_marks_divergence():
    pytest.importorskip("matplotlib")
    from gdcore.plotting.descent import DescentPanel

    run = explorer.explore("himmelblau", -1.0, 100)
    panel = DescentPanel(run.problem)
    panel.update(run.xs, run.losses, run.diverged_at, run.title)
    assert run.diverged_at is not None
    assert panel.banner.get_text() == f"diverged at step {run.diverged_at}"
    assert len(panel.cross.get_xdata()) == 1
    ok = explorer.explore("himmelblau", -2.0, 100)
    panel.update(ok.xs, ok.losses, ok.diverged_at, ok.title)
    assert panel.banner.get_text() == "" and len(panel.cross.get_xdata()) == 0
    assert len(panel.path.get_xdata()) == 101


def test_widget_builds_and_reacts():
    pytest.importorskip("ipywidgets")
    widget = explorer.descent_explorer("quadratic 2-D", steps=20)
    controls = widget.children[0].children
    menu, kappa, lr = controls[0], controls[1], controls[2]
    lr.value = 0.5                                  # η ≈ 3.2 > 2/L: the callback must not raise
    kappa.value = 100.0
    menu.value = "rosenbrock"
    assert lr.value == explorer.DEFAULTS["rosenbrock"]["log10_lr"]
    menu.value = "quadratic 1-D"
    assert controls[5].layout.visibility == "hidden"    # no y₀ in one dimension


@pytest.mark.parametrize("ncols, shape", [(None, (1, 4)), (2, (2, 2)), (3, (2, 3))])
def test_regimes_grid_has_one_visible_panel_per_step_size(ncols, shape):
    import matplotlib.pyplot as plt

    from gdcore.plotting.descent import regimes

    L, etas, ks = 4.0, np.array([0.3, 1.0, 1.7, 2.1]) / 4.0, np.arange(13)
    xs = (1 - etas * L) ** ks[:, None]
    fig = regimes(ks, xs, etas, L, ncols=ncols)
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert len(fig.axes) == shape[0] * shape[1] and len(visible) == 4
    # the step axis is labelled once per column, on the lowest visible panel of each
    assert sum(ax.get_xlabel() == "step k" for ax in visible) == min(4, shape[1])
    plt.close(fig)
