"""Progress bars for long loops that stay out of committed outputs.

A reader running a sweep in JupyterLab sees a tqdm bar; nbval, the book build and ``make`` set
``GDCORE_QUIET=1`` so that no bar (with its timings) ends up in an output that must be identical
between runs.
"""

import os

__all__ = ["quiet", "track"]


def quiet() -> bool:
    """True when progress bars are switched off (``GDCORE_QUIET`` set to anything but 0/empty)."""
    return os.environ.get("GDCORE_QUIET", "") not in ("", "0")


def track(iterable, desc=None, total=None):
    """``iterable`` wrapped in a tqdm bar when interactive, unchanged when quiet."""
    if quiet():
        return iterable
    from tqdm.auto import tqdm  # imported here: the numeric core must not need tqdm

    return tqdm(iterable, desc=desc, total=total)
