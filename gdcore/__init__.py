"""gdcore: the numerical core of *Gradient Descent — an executable course*.

Every chapter imports this package; the chapters derive an idea in the open and then assert that
gdcore computes the same thing. The numeric core needs only numpy, so ``import gdcore`` is fast
and works without a display; ``gdcore.plotting`` (matplotlib), ``gdcore.widgets`` (ipywidgets) and
``gdcore.checks`` (homework checkers) load on first use.
"""

import importlib

__version__ = "0.1.0"

_CORE = ("functions", "numdiff", "optimizers", "schedules", "clipping", "descent", "autodiff",
         "mlp", "data", "progress", "linesearch", "lbfgs", "curvature", "sweep",
         "steepest")
_LAZY = ("plotting", "widgets", "checks", "i18n")

__all__ = ["__version__", "descend", "Trace", "set_language", *_CORE, *_LAZY]


def __getattr__(name):
    # Submodules load on first use, so a missing optional dependency (matplotlib, ipywidgets)
    # only matters to code that draws, and the core stays importable on its own.
    if name in _CORE or name in _LAZY:
        module = importlib.import_module(f"{__name__}.{name}")
        globals()[name] = module
        return module
    if name == "set_language":  # the checkers' language; the Chinese notebooks call it
        value = importlib.import_module(f"{__name__}.i18n").set_language
        globals()[name] = value
        return value
    if name in ("descend", "Trace"):
        value = getattr(importlib.import_module(f"{__name__}.descent"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'gdcore' has no attribute {name!r}")


def __dir__():
    return sorted(__all__)
