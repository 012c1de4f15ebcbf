"""Checkers for the exercises of part 5f, the geometry of adaptive methods.

The reference is the definition itself: the smallest ⟨g, d⟩ over max|dᵢ| ≤ 1 is −‖g‖₁ (each
coordinate on its own). A wrong answer is compared with a table of typical mistakes on the same
inputs, so that the verdict can name it.
"""

import numpy as np

from ..i18n import N_, _
from ._core import (
    Wrong,
    call_safely,
    expect_array,
    require_function,
    run_checks,
)

__all__ = ["check_linf_steepest"]


def _mistakes(g):
    """(direction, message) of the typical wrong answers for gradients g (..., d)."""
    return [
        (np.sign(g), _("that is the ascent direction: steepest descent goes against the gradient")),
        (-g / np.linalg.norm(g, axis=-1, keepdims=True),
         _("−g/‖g‖₂ is the steepest direction of the ℓ2 norm; in "
           "max|dᵢ| ≤ 1 every coordinate can move by the full 1")),
        (-g / np.abs(g).max(axis=-1, keepdims=True),
         _("−g/max|gᵢ| fits in the box but moves the small coordinates less than it could")),
        (-g, _("−g is not a unit step: some |dᵢ| exceed 1 (or all are below it)")),
        (np.clip(-g, -1, 1), _("clipping −g to the box leaves the coordinates with "
                               "|gᵢ| < 1 short: each can move by the full 1")),
        (-np.sign(g) * (np.abs(g) == np.abs(g).max(axis=-1, keepdims=True)),
         _("moving only the largest coordinate is the steepest direction of the ℓ1 norm, "
           "whose dual is max|gᵢ|; the box lets every coordinate move")),
    ]


def check_linf_steepest(linf_steepest=None) -> bool:
    """``linf_steepest(g) -> d``: the d with max|dᵢ| ≤ 1 minimising ⟨g, d⟩, for g of shape
    (d,) or (n, d)."""

    def check():
        require_function(linf_steepest, "linf_steepest",
                         _("write the function linf_steepest(g)"),
                         N_("{what} must be a function, got {type}"))
        rng = np.random.default_rng(5)
        for shape in ((3,), (7,), (4, 5)):
            g = rng.normal(size=shape) * np.geomspace(1e-2, 1e2, shape[-1])
            d = expect_array(call_safely(linf_steepest, g.copy()), shape=shape,
                             what=_("linf_steepest(g) for g of shape {shape}").format(shape=shape))
            value, best = np.sum(g * d, axis=-1), -np.sum(np.abs(g), axis=-1)
            feasible = np.all(np.abs(d) <= 1 + 1e-12)
            if feasible and np.allclose(value, best, rtol=1e-10, atol=0):
                continue
            for wrong, message in _mistakes(g):
                if np.allclose(d, wrong, rtol=1e-10, atol=1e-15):
                    raise Wrong(message)
            scale = np.sum(np.abs(d), axis=-1) / d.shape[-1]
            if feasible and np.allclose(d, -scale[..., None] * np.sign(g), rtol=1e-10, atol=0):
                raise Wrong(_("the right signs, but a shorter step: every |dᵢ| can be 1"))
            if not feasible:
                raise Wrong(_("max |dᵢ| = {max:.3g} > 1: the "
                              "direction must lie in the box").format(max=np.abs(d).max()))
            raise Wrong(_("for g of shape {shape}, ⟨g, d⟩ = "
                          "{got:.6g} but {best:.6g} is attainable").format(
                              shape=shape, got=np.ravel(value)[0], best=np.ravel(best)[0]))

    return run_checks("check_linf_steepest", check)
