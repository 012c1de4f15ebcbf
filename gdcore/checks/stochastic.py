"""Checkers for the exercises of part 5e, the stochastic regime.

The reference values are computed here from the definitions (McCandlish et al. 2018); a wrong
answer is compared with a table of typical mistakes on the same inputs, so that the verdict can
name it.
"""

import numpy as np

from ..i18n import N_, _
from ._core import (
    Wrong,
    call_safely,
    expect_number,
    require_function,
    run_checks,
)

__all__ = ["check_b_simple"]


def _mistakes(per_sample):
    """(value, message) of the typical wrong answers for ``per_sample`` (n, d)."""
    n = per_sample.shape[0]
    G = per_sample.mean(axis=0)
    centred = np.sum(np.var(per_sample, axis=0))
    raw = np.sum(np.mean(per_sample ** 2, axis=0))
    return [
        (raw / (G @ G), _("the second moment E[g²] is not the covariance: subtract the "
                          "mean gradient G before squaring (tr Σ = E‖g − G‖²)")),
        (centred / np.sqrt(G @ G), _("divide by the squared norm ‖G‖², not by ‖G‖")),
        ((G @ G) / centred, _("the ratio is upside down: B_simple = tr Σ / ‖G‖²")),
        (centred / (n * n * (G @ G)),
         _("G is the mean of the per-sample gradients, not their sum")),
        (centred / per_sample.shape[1] / (G @ G),
         _("tr Σ is the sum of the d coordinates' variances, not their mean")),
    ] + [
        # np.var(·, axis=1) or np.cov(per_sample) (rows taken as the variables), either ddof
        (np.sum(np.var(per_sample, axis=1, ddof=ddof)) / (G @ G),
         _("the variance is over the samples (axis 0), one per coordinate, summed over the "
           "coordinates (np.cov wants the samples as columns: np.cov(per_sample.T))"))
        for ddof in (0, 1)
    ]


def check_b_simple(b_simple=None) -> bool:
    """``b_simple(per_sample_grads) -> float``: tr Σ / ‖G‖² for per-sample gradients (n, d).

    Σ is the covariance of the rows (either normalisation, 1/n or 1/(n − 1), is accepted) and
    G their mean.
    """

    def check():
        require_function(b_simple, "b_simple", _("write the function b_simple(per_sample_grads)"),
                         N_("{what} must be a function, got {type}"))
        rng = np.random.default_rng(18)
        for n, d, signal in ((40, 3, 1.0), (200, 10, 0.3), (25, 50, 2.0)):
            per_sample = signal * rng.normal(size=d) + rng.normal(size=(n, d))
            G = per_sample.mean(axis=0)
            want = [np.sum(np.var(per_sample, axis=0, ddof=ddof)) / (G @ G) for ddof in (0, 1)]
            got = expect_number(call_safely(b_simple, per_sample.copy()),
                                what="b_simple(per_sample_grads)")
            if any(np.isclose(got, w, rtol=1e-8) for w in want):
                continue
            for value, message in _mistakes(per_sample):
                if np.isclose(got, value, rtol=1e-8):
                    raise Wrong(message)
            raise Wrong(_("for {n} samples of dimension {d} you return "
                          "{got:.6g}, the noise scale is {want:.6g}").format(
                              n=n, d=d, got=got, want=want[0]))

    return run_checks("check_b_simple", check)
