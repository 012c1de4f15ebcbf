"""Live ipywidgets for readers running the notebooks, one module per chapter topic, loaded on
first use (``gd.widgets.descent``).

Each widget's computation is a plain function next to it that the tests call directly; the
widget only moves artists. ipywidgets is imported inside the functions that build widgets.
"""

from gdcore._lazy import lazy_modules

_TOPICS = ("derivatives", "directional", "descent", "backprop", "zoo")

__getattr__ = lazy_modules(__name__, _TOPICS)
