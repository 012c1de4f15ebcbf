"""Auto-checkers for the exercises: ``gd.checks.<topic>.check_<name>(answer)``.

Each checker tests the behaviour of an answer on seeded random inputs and prints a one-line
verdict (see ``_core``); the chapter modules load on first use.
"""

from gdcore._lazy import lazy_modules

_TOPICS = ("derivatives", "directional", "descent", "backprop", "zoo", "rates", "linesearch",
           "stability", "stochastic", "geometry")

__getattr__ = lazy_modules(__name__, _TOPICS)
