"""Figures of learning-rate sensitivity and of the stochastic regime (gd.plotting.stochastic)."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import gdcore as gd  # noqa: E402
from gdcore import sweep as sw  # noqa: E402


def _sweeps():
    Q = gd.functions.quadratic(np.diag([1.0, 10.0]))
    lrs = np.geomspace(1e-3, 1.0, 7)             # SGD diverges above 2/L = 0.2
    starts = np.random.default_rng(0).normal(size=(4, 2))
    return {name: sw.lr_sweep(Q, name, lrs, starts, 30) for name in ("sgd", "adam")}


def test_sensitivity_curves_draw_the_medians_and_mark_divergence():
    sweeps = _sweeps()
    ax = gd.plotting.stochastic.sensitivity_curves(sweeps, target=1e-3)
    lines = {line.get_label(): line for line in ax.lines}
    for name, sweep in sweeps.items():
        x, y = lines[name].get_data()
        np.testing.assert_array_equal(x, sweep.lrs)
        med = sweep.median()
        np.testing.assert_array_equal(np.isnan(y), ~np.isfinite(med))
        np.testing.assert_allclose(y[np.isfinite(med)], med[np.isfinite(med)])
        assert lines[name].get_color() == gd.plotting.color(name)
    assert sweeps["sgd"].diverged.any()                    # so the x markers are drawn
    markers = [line for line in ax.lines if line.get_marker() == "x"]
    assert len(markers) == 1 and len(markers[0].get_xdata()) == int(
        (~np.isfinite(sweeps["sgd"].median())).sum())
    assert len(ax.collections) == 2                        # one band per optimizer
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    plt.close(ax.figure)


def test_sensitivity_panels_one_axes_per_group():
    fig = gd.plotting.stochastic.sensitivity_panels(
        _sweeps(), {"plain": ["sgd"], "adaptive": ["adam"]}, band="iqr")
    assert len(fig.axes) == 2
    assert [ax.get_title() for ax in fig.axes] == ["plain", "adaptive"]
    plt.close(fig)


def test_median_bands():
    x = np.arange(5)
    values = np.arange(5)[:, None] + np.array([0.0, 1.0, 2.0])[None, :] + 1
    ax = gd.plotting.stochastic.median_bands(x, {"a": values}, band="minmax")
    np.testing.assert_allclose(ax.lines[0].get_ydata(), values[:, 1])
    plt.close(ax.figure)


def test_colors_for_names_outside_the_palette():
    sweeps = _sweeps()
    sweeps["adam + warm-up"] = sweeps.pop("adam")
    ax = gd.plotting.stochastic.sensitivity_curves(sweeps, colors={"adam + warm-up": "black"},
                                                   band=None, mark_best=False)
    lines = {line.get_label(): line for line in ax.lines}
    assert lines["adam + warm-up"].get_color() == "black"
    assert lines["sgd"].get_color() == gd.plotting.color("sgd")
    assert len(ax.collections) == 0                         # band=None draws no band
    plt.close(ax.figure)
