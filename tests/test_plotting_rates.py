"""The bound-versus-measured figure of the rates section: what it draws and what it refuses."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from gdcore.plotting import rates  # noqa: E402


def _panel(**kw):
    k = np.arange(1, 101)
    return rates.RatePanel("convex", k, 0.5 / k**1.5, 1.0 / k, **kw)


def test_two_rows_per_panel_with_the_measured_curve_under_the_bound():
    fig = rates.bound_vs_measured([_panel(logx=True), _panel(floor=1e-3)])
    axes = np.array(fig.axes).reshape(2, 2)
    for j in range(2):
        top, bottom = axes[:, j]
        bound, measured = top.get_lines()[:2]
        np.testing.assert_allclose(bound.get_ydata(), 1.0 / np.arange(1, 101))
        np.testing.assert_allclose(measured.get_ydata()[:5], 0.5 / np.arange(1, 6) ** 1.5)
        assert top.get_yscale() == "log" and bottom.get_yscale() == "log"
        assert bottom.get_lines()[0].get_ydata()[0] == pytest.approx(0.5)  # the ratio at k = 1
    assert axes[0, 0].get_xscale() == "log" and axes[0, 1].get_xscale() == "linear"
    plt.close(fig)


def test_values_below_the_floor_are_not_drawn():
    p = _panel(floor=1e-2)
    fig = rates.bound_vs_measured([p])
    measured = fig.axes[0].get_lines()[1].get_ydata()
    hidden = 0.5 / np.arange(1, 101) ** 1.5 <= 1e-2
    assert hidden.any() and np.all(np.isnan(measured[hidden]))
    assert np.all(np.isfinite(measured[~hidden]))
    assert np.all(np.isnan(p.ratio()[hidden]))
    floor_line = fig.axes[0].get_lines()[2]
    assert np.all(np.asarray(floor_line.get_ydata()) == 1e-2)
    plt.close(fig)


def test_zero_measured_values_are_not_drawn_on_the_log_axis():
    k = np.arange(1, 4)
    p = rates.RatePanel("t", k, np.array([1.0, 0.0, 0.5]), np.ones(3))
    np.testing.assert_array_equal(p.visible(), [True, False, True])


@pytest.mark.parametrize("call, match", [
    (lambda: rates.RatePanel("t", np.arange(3), np.ones(3), np.ones(4)), "one shape"),
    (lambda: rates.RatePanel("t", np.arange(3), np.ones(3), np.ones(3), floor=0.0),
     "floor must be positive"),
    (lambda: rates.bound_vs_measured([]), "non-empty list of RatePanel"),
    (lambda: rates.bound_vs_measured([(1, 2, 3)]), "RatePanel"),
])
def test_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()
