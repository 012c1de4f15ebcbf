r"""Line searches: choose the step size t along a descent direction d from function values.

    Armijo (sufficient decrease):   f(x + t d) ≤ f(x) + c₁ t ∇f(x)ᵀd
    strong Wolfe (curvature too):   |∇f(x + t d)ᵀd| ≤ c₂ |∇f(x)ᵀd|
    Polyak step (f* known):         t = (f(x) − f*) / ‖∇f(x)‖²   along d = −∇f(x)

``armijo`` backtracks t = lr, lr·shrink, lr·shrink², … until sufficient decrease holds
(Armijo 1966; Nocedal & Wright 2006, alg. 3.1). On lanes: x of shape (..., d) is a batch of
points, each with its own step. ``strong_wolfe`` brackets and zooms with cubic interpolation
exactly as ``torch.optim.lbfgs._strong_wolfe`` (torch 2.13, BSD licence; ported from Mark
Schmidt's minFunc via torch/optim's lswolfe.lua), so that :mod:`gdcore.lbfgs` reproduces
``torch.optim.LBFGS(line_search_fn="strong_wolfe")``. ``armijo_holds`` and ``wolfe_holds``
test the conditions, so a notebook can assert them at every accepted step.
"""

from typing import NamedTuple

import numpy as np

__all__ = ["LineSearchResult", "armijo", "strong_wolfe", "polyak_step", "armijo_holds",
           "wolfe_holds", "cubic_interpolate"]


class LineSearchResult(NamedTuple):
    """The accepted step of a line search.

    step         t (shape (...) on lanes)       x_new = x + t d
    x            x + t d
    f            f(x + t d)
    grad         ∇f(x + t d) (strong Wolfe only; None for Armijo, which needs no gradient)
    evaluations  calls of f (Armijo) or of (f, ∇f) (strong Wolfe) at trial points
    success      the condition holds at the accepted step (False: max_iter / max_ls ran out)
    trials       the step sizes tried, in order (Armijo: (n_tried, ...), NaN once a lane stopped)
    """

    step: object
    x: np.ndarray
    f: object
    grad: object
    evaluations: object
    success: object
    trials: object


def _direction(grad_x, direction):
    return -grad_x if direction is None else np.asarray(direction, dtype=float)


def _check_c(c1, c2=None):
    if not 0.0 < c1 < 1.0:
        raise ValueError(f"Invalid c1 value: {c1} (need 0 < c1 < 1)")
    if c2 is not None and not c1 < c2 < 1.0:
        raise ValueError(f"Invalid c2 value: {c2} (need c1 < c2 < 1)")


def armijo(f, grad, x, direction=None, *, lr=1.0, c1=1e-4, shrink=0.5, max_iter=50, f_x=None,
           grad_x=None):
    r"""Backtracking line search: the first t = lr·shrinkʲ (j = 0, 1, …) with
    f(x + t d) ≤ f(x) + c₁ t ∇f(x)ᵀd.

    f, grad      the objective and its gradient (batched: x (..., d) → (...) and (..., d)).
    direction    d (default −∇f(x), gradient descent); must satisfy ∇f(x)ᵀd < 0.
    lr           the first trial step; shrink ∈ (0, 1) the backtracking factor.
    max_iter     at most this many trials per lane; a lane that runs out keeps its last trial
                 and reports ``success = False``.
    f_x, grad_x  f(x) and ∇f(x) if already known (saves the evaluations).

    Each lane stops shrinking as soon as its own condition holds; ``evaluations`` counts the
    trial evaluations of f per lane (f(x) itself is not counted).
    """
    _check_c(c1)
    if not 0.0 < shrink < 1.0:
        raise ValueError(f"Invalid shrink value: {shrink} (need 0 < shrink < 1)")
    if not lr > 0.0:
        raise ValueError(f"Invalid learning rate: {lr}")
    if isinstance(max_iter, bool) or not isinstance(max_iter, (int, np.integer)) or max_iter < 1:
        raise ValueError(f"Invalid max_iter value: {max_iter} (need an integer ≥ 1)")
    x = np.asarray(x, dtype=float)
    g = np.asarray(grad(x) if grad_x is None else grad_x, dtype=float)
    d = _direction(g, direction)
    fx = np.asarray(f(x) if f_x is None else f_x, dtype=float)
    slope = np.sum(g * d, axis=-1)
    lanes = np.broadcast_shapes(x.shape, d.shape)[:-1]
    t = np.full(lanes, float(lr))
    pending = np.ones(lanes, dtype=bool)
    evaluations = np.zeros(lanes, dtype=int)
    f_new = np.full(lanes, np.nan)
    trials = []
    for j in range(max_iter):
        trial = np.where(pending, float(lr) * shrink**j, np.nan)
        trials.append(trial)
        t = np.where(pending, trial, t)
        value = np.broadcast_to(f(x + t[..., None] * d), lanes)
        evaluations += pending
        f_new = np.where(pending, value, f_new)
        pending &= ~(value <= fx + c1 * t * slope)
        if not pending.any():
            break
    success = ~pending
    if not lanes:
        t, f_new, evaluations, success = float(t), float(f_new), int(evaluations), bool(success)
    return LineSearchResult(t, x + np.asarray(t)[..., None] * d, f_new, None, evaluations,
                            success, np.array(trials))


def armijo_holds(f, grad, x, step, direction=None, *, c1=1e-4):
    """True where the sufficient-decrease condition f(x + t d) ≤ f(x) + c₁ t ∇f(x)ᵀd holds."""
    x = np.asarray(x, dtype=float)
    g = np.asarray(grad(x), dtype=float)
    d = _direction(g, direction)
    t = np.asarray(step, dtype=float)
    return f(x + t[..., None] * d) <= f(x) + c1 * t * np.sum(g * d, axis=-1)


def wolfe_holds(f, grad, x, step, direction=None, *, c1=1e-4, c2=0.9, strong=True):
    """True where the (strong) Wolfe conditions hold at step t: sufficient decrease and
    |∇f(x + t d)ᵀd| ≤ c₂|∇f(x)ᵀd| (weak: ∇f(x + t d)ᵀd ≥ c₂ ∇f(x)ᵀd)."""
    x = np.asarray(x, dtype=float)
    g = np.asarray(grad(x), dtype=float)
    d = _direction(g, direction)
    t = np.asarray(step, dtype=float)
    slope = np.sum(g * d, axis=-1)
    slope_new = np.sum(np.asarray(grad(x + t[..., None] * d)) * d, axis=-1)
    curvature = np.abs(slope_new) <= -c2 * slope if strong else slope_new >= c2 * slope
    return armijo_holds(f, grad, x, t, d, c1=c1) & curvature


def polyak_step(f_x, f_star, grad_x):
    r"""Polyak's step size (Polyak 1969) t = (f(x) − f*) / ‖∇f(x)‖² for the step x − t ∇f(x).

    It needs the optimal value f*, and is the exact minimiser of the upper model
    f* ≥ f(x) + ∇f(x)ᵀ(y − x) along the gradient for convex f."""
    grad_x = np.asarray(grad_x, dtype=float)
    return (np.asarray(f_x, dtype=float) - f_star) / np.sum(grad_x * grad_x, axis=-1)


# ----------------------------------------------------------------------------------------------
# Strong Wolfe, torch's algorithm, with every expression in torch's order of operations so that
# the rounding is the same. One more detail matters: torch computes `python_float / tensor` as
# reciprocal(tensor) · python_float (two roundings). So the scalars that are 0-d tensors in torch
# (directional derivatives, and steps computed from them) are np.float64 here, the ones that are
# Python floats (losses, lr) stay float; np.float64 propagates through arithmetic as a tensor does.


def _divide(a, b):
    """a / b rounded as torch rounds it (see above)."""
    if isinstance(b, np.float64) and not isinstance(a, np.float64):
        return (1.0 / b) * a
    return a / b

def cubic_interpolate(x1, f1, g1, x2, f2, g2, bounds=None):
    """Minimiser of the cubic through (x1, f1, f'=g1) and (x2, f2, f'=g2), clipped to
    ``bounds`` (default [min(x1, x2), max(x1, x2)]); the midpoint if the cubic has no minimum.
    torch.optim.lbfgs._cubic_interpolate."""
    if bounds is not None:
        xmin_bound, xmax_bound = bounds
    else:
        xmin_bound, xmax_bound = (x1, x2) if x1 <= x2 else (x2, x1)
    d1 = g1 + g2 - _divide(3 * (f1 - f2), x1 - x2)
    d2_square = d1**2 - g1 * g2
    if d2_square >= 0:
        d2 = np.sqrt(d2_square)
        if x1 <= x2:
            min_pos = x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
        else:
            min_pos = x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2))
        return min(max(min_pos, xmin_bound), xmax_bound)
    return (xmin_bound + xmax_bound) / 2.0


def _dot(a, b):
    # The products summed in order, without fused multiply-adds (np.dot may fuse them, depending
    # on the BLAS and the CPU): torch.dot's rounding for two entries. On longer vectors torch's
    # vectorised dot adds in its own CPU-dependent order, and the last bit can differ.
    # A 0-d tensor in torch: np.float64.
    return np.float64(np.sum(a * b))


def _strong_wolfe(obj_func, x, t, d, f, g, gtd, c1=1e-4, c2=0.9, tolerance_change=1e-9,
                  max_ls=25):
    """torch.optim.lbfgs._strong_wolfe on 1-D arrays: obj_func(x, t, d) = (f, ∇f) at x + t d.

    Returns (f_new, g_new, t, evaluations)."""
    d_norm = np.float64(np.max(np.abs(d)))
    f_new, g_new = obj_func(x, t, d)
    ls_func_evals = 1
    gtd_new = _dot(g_new, d)

    # Bracket an interval containing a point that satisfies the Wolfe conditions.
    t_prev, f_prev, g_prev, gtd_prev = 0, f, g, gtd
    done = False
    ls_iter = 0
    bracket = bracket_f = bracket_g = bracket_gtd = None
    while ls_iter < max_ls:
        if f_new > (f + c1 * t * gtd) or (ls_iter > 1 and f_new >= f_prev):
            bracket, bracket_f = [t_prev, t], [f_prev, f_new]
            bracket_g, bracket_gtd = [g_prev, g_new], [gtd_prev, gtd_new]
            break
        if abs(gtd_new) <= -c2 * gtd:
            bracket, bracket_f, bracket_g = [t], [f_new], [g_new]
            done = True
            break
        if gtd_new >= 0:
            bracket, bracket_f = [t_prev, t], [f_prev, f_new]
            bracket_g, bracket_gtd = [g_prev, g_new], [gtd_prev, gtd_new]
            break
        # Extrapolate: a cubic step, kept within [t + 0.01 (t − t_prev), 10 t].
        min_step = t + 0.01 * (t - t_prev)
        max_step = t * 10
        tmp = t
        t = cubic_interpolate(t_prev, f_prev, gtd_prev, t, f_new, gtd_new,
                              bounds=(min_step, max_step))
        t_prev, f_prev, g_prev, gtd_prev = tmp, f_new, g_new, gtd_new
        f_new, g_new = obj_func(x, t, d)
        ls_func_evals += 1
        gtd_new = _dot(g_new, d)
        ls_iter += 1

    if ls_iter == max_ls:
        bracket, bracket_f, bracket_g = [0, t], [f, f_new], [g, g_new]
    if bracket is None:  # torch fails here too (max_ls < 0), with an unbound name
        raise ValueError(f"Invalid max_ls value: {max_ls} (need max_ls ≥ 0)")

    # Zoom: shrink the bracket until a point satisfies the conditions.
    insuf_progress = False
    low_pos, high_pos = (0, 1) if bracket_f[0] <= bracket_f[-1] else (1, 0)
    while not done and ls_iter < max_ls:
        if abs(bracket[1] - bracket[0]) * d_norm < tolerance_change:
            break
        t = cubic_interpolate(bracket[0], bracket_f[0], bracket_gtd[0],
                              bracket[1], bracket_f[1], bracket_gtd[1])
        # A trial too close to an end of the bracket makes little progress: twice in a row
        # (or outside the bracket), move it to 0.1·(bracket length) from the nearest end.
        eps = 0.1 * (max(bracket) - min(bracket))
        if min(max(bracket) - t, t - min(bracket)) < eps:
            if insuf_progress or t >= max(bracket) or t <= min(bracket):
                if abs(t - max(bracket)) < abs(t - min(bracket)):
                    t = max(bracket) - eps
                else:
                    t = min(bracket) + eps
                insuf_progress = False
            else:
                insuf_progress = True
        else:
            insuf_progress = False

        f_new, g_new = obj_func(x, t, d)
        ls_func_evals += 1
        gtd_new = _dot(g_new, d)
        ls_iter += 1

        if f_new > (f + c1 * t * gtd) or f_new >= bracket_f[low_pos]:
            # Not sufficient decrease, or not below the low end: t becomes the high end.
            bracket[high_pos], bracket_f[high_pos] = t, f_new
            bracket_g[high_pos], bracket_gtd[high_pos] = g_new, gtd_new
            low_pos, high_pos = (0, 1) if bracket_f[0] <= bracket_f[1] else (1, 0)
        else:
            if abs(gtd_new) <= -c2 * gtd:
                done = True
            elif gtd_new * (bracket[high_pos] - bracket[low_pos]) >= 0:
                # The old high end becomes the new low end.
                bracket[high_pos], bracket_f[high_pos] = bracket[low_pos], bracket_f[low_pos]
                bracket_g[high_pos] = bracket_g[low_pos]
                bracket_gtd[high_pos] = bracket_gtd[low_pos]
            bracket[low_pos], bracket_f[low_pos] = t, f_new
            bracket_g[low_pos], bracket_gtd[low_pos] = g_new, gtd_new

    return bracket_f[low_pos], bracket_g[low_pos], bracket[low_pos], ls_func_evals


def strong_wolfe(f, grad, x, direction=None, *, lr=1.0, c1=1e-4, c2=0.9, tolerance_change=1e-9,
                 max_ls=25, f_x=None, grad_x=None):
    r"""A step t along d satisfying the strong Wolfe conditions, by torch's bracketing and
    cubic-interpolation zoom (``torch.optim.lbfgs._strong_wolfe``), starting from t = lr.

    One point x of shape (d,). max_ls bounds the trial evaluations of (f, ∇f); the search also
    stops when the bracket is shorter than tolerance_change / max|d|. ``success`` says whether
    the strong Wolfe conditions hold at the returned step (torch returns the best point of the
    bracket either way).
    """
    _check_c(c1, c2)
    x = np.asarray(x, dtype=float)
    if x.ndim != 1:
        raise ValueError(f"strong_wolfe takes one point x of shape (d,), got shape {x.shape}")
    g = np.asarray(grad(x) if grad_x is None else grad_x, dtype=float)
    d = _direction(g, direction)
    fx = float(f(x) if f_x is None else f_x)
    trials = []

    def obj_func(x, t, d):
        trials.append(t)
        point = x + t * d
        return float(f(point)), np.asarray(grad(point), dtype=float)

    f_new, g_new, t, evaluations = _strong_wolfe(obj_func, x, float(lr), d, fx, g, _dot(g, d),
                                                 c1, c2, tolerance_change, max_ls)
    t = float(t)
    slope, slope_new = _dot(g, d), _dot(g_new, d)
    success = bool(f_new <= fx + c1 * t * slope and abs(slope_new) <= -c2 * slope)
    return LineSearchResult(t, x + t * d, f_new, g_new, evaluations, success, np.array(trials))
