"""Live widget of chapter 1: the secant of f at x0 for a step h, and its error, on a slider.

The numbers come from ``secant_data`` (plain numpy, tested against closed forms); the picture
from ``gdcore.plotting.derivatives.secant_explorer``. The live widget and the static slider of the
book share both, and differ only in who moves h.
"""

from typing import NamedTuple

import numpy as np

from .. import numdiff
from ..plotting import derivatives as plots
from ._live import live_figure

__all__ = ["SecantData", "secant_data", "secant_widget"]


class SecantData(NamedTuple):
    """The secant of f through (x0, f(x0)) and (x0 + h, f(x0 + h))."""

    h: float
    x: np.ndarray        # (2,) abscissae x0, x0 + h
    y: np.ndarray        # (2,) f at those points
    slope: float         # (f(x0 + h) - f(x0)) / h, the forward difference
    error: float         # |slope - f'(x0)|, NaN when f' is not given


def secant_data(f, x0, h, fprime=None) -> SecantData:
    r"""The secant of ``f`` at ``x0`` with step ``h`` and, given ``fprime``, its error.

    slope = (f(x0 + h) - f(x0)) / h        error = |slope - f'(x0)|

    The slope is ``gd.numdiff.forward_difference`` — the secant slope *is* the forward difference.
    """
    x0, h = float(x0), float(h)
    x = np.array([x0, x0 + h])
    y = np.array([float(f(x0)), float(f(x0 + h))])
    slope = float(numdiff.forward_difference(f, x0, h))
    error = abs(slope - float(fprime(x0))) if fprime is not None else float("nan")
    return SecantData(h=h, x=x, y=y, slope=slope, error=error)


def secant_widget(f, x0, fprime, *, log10_h=(-12.0, 0.0), start=-1.0, xlim=None, label="f",
                  zoom=False):
    """A slider for log10 h that moves the secant of ``f`` at ``x0`` and its error marker.

    The figure is built once; each slider move only changes artist data (``set_data``) and shows
    the same figure again. ``zoom=True``: the left panel follows h (see ``secant_explorer``).
    """
    import ipywidgets as widgets

    lo, hi = log10_h
    hs = np.logspace(lo, hi, 241)
    errors = np.array([secant_data(f, x0, h, fprime).error for h in hs])
    fig, draw = plots.secant_explorer(f, x0, fprime, hs, errors, xlim=xlim, label=label,
                                       zoom=zoom)
    slider = widgets.FloatSlider(value=start, min=lo, max=hi, step=0.05, description="log₁₀ h",
                                 continuous_update=True, readout_format=".2f")
    return live_figure(fig, {"log_h": slider},
                       lambda log_h: draw(secant_data(f, x0, 10.0**log_h, fprime)),
                       description=f"Live explorer of the secant of {label} and its error")
