"""Figures for the book (needs matplotlib). Shared helpers live in ``base``; each chapter's own
figure kinds live in a module named after its topic, loaded on first use
(``gd.plotting.descent``)."""

from gdcore._lazy import lazy_modules

from .base import COLORS, color, contour, path, static_slider

__all__ = ["COLORS", "color", "contour", "path", "static_slider"]
_TOPICS = ("derivatives", "directional", "descent", "backprop", "zoo", "rates", "linesearch",
           "stability", "stochastic", "geometry")

__getattr__ = lazy_modules(__name__, _TOPICS)
