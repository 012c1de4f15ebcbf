"""Submodules that load on first attribute access (PEP 562), so that ``import gdcore`` stays fast
and needs neither matplotlib nor ipywidgets until something draws."""

import importlib


def lazy_modules(package: str, names):
    """A module-level ``__getattr__`` for ``package`` that imports ``package.<name>`` on demand."""
    names = frozenset(names)

    def __getattr__(name):
        if name in names:
            module = importlib.import_module(f"{package}.{name}")
            setattr(importlib.import_module(package), name, module)
            return module
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    return __getattr__
