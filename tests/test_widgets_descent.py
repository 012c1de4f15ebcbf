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
    c = widget.controls
    c["log10_lr"].value = 0.5                      # η ≈ 3.2 > 2/L: the callback must not raise
    c["kappa"].value = 100.0
    c["function"].value = "rosenbrock"
    assert c["log10_lr"].value == explorer.DEFAULTS["rosenbrock"]["log10_lr"]
    c["function"].value = "quadratic 1-D"
    assert c["y"].layout.display == "none"         # no y₀ in one dimension


@pytest.mark.parametrize("function", explorer.FUNCTIONS)
def test_switching_f_resets_its_controls_with_one_redraw(function):
    pytest.importorskip("ipywidgets")
    other = "himmelblau" if function != "himmelblau" else "rosenbrock"
    widget = explorer.descent_explorer(other, steps=20)
    c = widget.controls
    c["x"].value, c["y"].value, c["log10_lr"].value = 0.35, 0.45, -1.5   # away from any default
    old = {n: c[n] for n in ("x", "y")}
    draws = widget.draws
    c["function"].value = function
    assert widget.draws == draws + 1                       # one redraw for the whole switch
    problem = explorer.problem_for(function, c["kappa"].value)
    x0, y0 = (explorer.DEFAULTS[function]["start"] * 2)[:2]
    (x_lo, x_hi), *rest = problem.bounds
    assert (c["x"].value, c["x"].min, c["x"].max) == (x0, x_lo, x_hi)
    assert c["log10_lr"].value == explorer.DEFAULTS[function]["log10_lr"]
    if problem.dim == 2:
        assert (c["y"].value, c["y"].min, c["y"].max) == (y0, *rest[0])
    # new bounds mean new sliders: a slider on show that gets new bounds sends back an old or
    # clamped value after the kernel set the new one (issue 15, fault 1); the old ones are
    # closed and the rows show the new ones
    for name in ("x", "y"):
        assert c[name] is not old[name] and old[name].comm is None
    assert widget.children[2].children == (c["x"], c["y"])
    shown = {n for n, w in c.items() if w.layout.display != "none"}
    assert shown == ({"function", "log10_lr", "steps", "x"} | ({"y"} if problem.dim == 2 else set())
                     | ({"kappa"} if function == "quadratic 2-D" else set()))
    # no empty row: a row whose controls are all hidden is hidden itself
    rows = widget.children[:3]
    assert all(r.layout.display != "none" for r in rows)


def test_a_value_the_browser_only_snapped_is_not_a_redraw():
    pytest.importorskip("ipywidgets")
    widget = explorer.descent_explorer("rosenbrock", steps=20)
    draws = widget.draws
    widget.controls["x"].value = -1.2000000000000002      # −1.2 snapped to the 0.05 grid
    assert widget.draws == draws
    widget.controls["x"].value = -1.15
    assert widget.draws == draws + 1


@pytest.mark.parametrize(("function", "log10_lr", "steps"), [
    ("quadratic 1-D", 0.0, 5),          # η = 1/L: exactly at the minimum after one step
    ("quadratic 2-D", 0.0, 300),        # round-off level after 300 steps
    ("rosenbrock", -3.0, 300),          # far from it
    ("himmelblau", -2.0, 50),
])
def test_title_says_what_the_loss_curve_shows(function, log10_lr, steps):
    pytest.importorskip("matplotlib")
    import re

    from gdcore.plotting.descent import DescentPanel

    run = explorer.explore(function, log10_lr, steps)
    panel = DescentPanel(run.problem)
    panel.update(run.xs, run.losses, run.diverged_at, run.title)
    last = panel.curve.get_ydata()[-1]
    m = re.search(r"f − f\* (=|<) (\S+)$", panel.title.get_text())
    assert m, panel.title.get_text()
    if m.group(1) == "<":        # below the floor: drawn at the floor, said to be below it
        assert last == float(m.group(2)) == explorer.FLOOR
    else:
        assert np.isclose(float(m.group(2)), last, rtol=5e-3) and last > explorer.FLOOR
    lo, hi = panel.ax_loss.get_ylim()
    assert lo <= panel.curve.get_ydata().min() and panel.curve.get_ydata().max() <= hi


def test_widget_says_what_it_is_without_a_kernel():
    pytest.importorskip("ipywidgets")
    text = repr(explorer.descent_explorer("rosenbrock", steps=5))
    assert "\n" not in text and text.startswith("Live explorer of gradient descent")
    assert "run this cell to use it" in text


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
