r"""L-BFGS (Liu & Nocedal 1989) with the exact semantics of ``torch.optim.LBFGS`` (torch 2.13).

From the last m pairs s_i = x_{i+1} − x_i, y_i = ∇f(x_{i+1}) − ∇f(x_i) (kept only when the
curvature yᵢᵀsᵢ > 1e-10), the two-loop recursion computes d = −H ∇f without forming H:

    q = −g;  for i = newest … oldest:  α_i = ρ_i s_iᵀq,  q ← q − α_i y_i      (ρ_i = 1 / y_iᵀs_i)
    r = γ q  (γ = y_newᵀs_new / y_newᵀy_new);  for i = oldest … newest:  β_i = ρ_i y_iᵀr,
    r ← r + (α_i − β_i) s_i;   d = r,   x ← x + t d.

The step is t = lr (the first iteration ever: t = min(1, 1/‖g‖₁)·lr), or the strong Wolfe step
of :func:`gdcore.linesearch.strong_wolfe` starting from it. One call of :func:`step` runs up to
``max_iter`` iterations, like ``opt.step(closure)`` in torch, and stops early when
max|g| ≤ tolerance_grad, when ∇fᵀd > −tolerance_change, when max|t d| ≤ tolerance_change, when
|Δf| < tolerance_change, or when ``max_eval`` evaluations are spent. The state (history, last
direction, counters) is explicit and carried from one call to the next, as torch's is.

This is a port of torch/optim/lbfgs.py (BSD-3-Clause, © PyTorch contributors), with the same
order of floating-point operations so that trajectories agree to round-off. ``fun(x)`` returns
``(loss, grad)`` and plays the role of torch's closure; x is one point of shape (d,).

    state = gd.lbfgs.init(x0)
    x, state, info = gd.lbfgs.step(fun, x0, state, lr=1, max_iter=20)
    info.function_evaluations       # closure calls during this step
"""

from typing import NamedTuple

import numpy as np

from gdcore import descent
from gdcore.linesearch import _dot, _strong_wolfe

__all__ = ["LBFGSState", "StepInfo", "init", "step", "minimize", "fma"]


class LBFGSState(NamedTuple):
    """torch's LBFGS state. history: tuples of (old_dirs = y_i, old_stps = s_i, ro = ρ_i)."""

    func_evals: int = 0
    n_iter: int = 0
    d: np.ndarray | None = None
    t: float | None = None
    old_dirs: tuple = ()
    old_stps: tuple = ()
    ro: tuple = ()
    H_diag: float | None = None
    prev_flat_grad: np.ndarray | None = None
    prev_loss: float | None = None


class StepInfo(NamedTuple):
    """What one ``step`` did.

    loss                  f at the point the step started from (torch's return value)
    function_evaluations  calls of ``fun`` during the step
    iterations            inner iterations, as torch counts them (an iteration whose direction
                          fails the descent test ∇fᵀd > −tolerance_change counts but takes no step)
    xs                    (iterations + 1, d): the start and the point after each iteration
    evaluations           (iterations + 1,): cumulative calls of ``fun`` when xs[k] was reached
    steps                 (iterations,): the step size t of each iteration
    """

    loss: float
    function_evaluations: int
    iterations: int
    xs: np.ndarray
    evaluations: np.ndarray
    steps: np.ndarray


def init(x0):
    """The empty state of a fresh ``torch.optim.LBFGS`` (x0 is only checked)."""
    x0 = np.asarray(x0, dtype=float)
    if x0.ndim != 1:
        raise ValueError(f"x0 must have shape (d,), got shape {x0.shape}")
    return LBFGSState()


def _check(lr, max_iter, max_eval, tolerance_grad, tolerance_change, history_size,
           line_search_fn):
    # torch checks only lr; the others get torch's "Invalid <name> value" wording.
    if not 0.0 <= lr:
        raise ValueError(f"Invalid learning rate: {lr}")
    for name, value, low in (("max_iter", max_iter, 1), ("max_eval", max_eval, 1),
                             ("history_size", history_size, 1)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
            raise ValueError(f"Invalid {name} value: {value} (need an integer ≥ {low})")
    for name, value in (("tolerance_grad", tolerance_grad),
                        ("tolerance_change", tolerance_change)):
        if not value >= 0.0:
            raise ValueError(f"Invalid {name} value: {value}")
    if line_search_fn not in (None, "strong_wolfe"):
        raise ValueError(f"Invalid line_search_fn value: {line_search_fn!r} "
                         "(only None and 'strong_wolfe' are supported)")


def _evaluate(fun, x):
    loss, grad = fun(x)
    return float(loss), np.array(grad, dtype=float).reshape(x.shape)


def step(fun, x, state, *, lr=1.0, max_iter=20, max_eval=None, tolerance_grad=1e-7,
         tolerance_change=1e-9, history_size=100, line_search_fn=None):
    """One ``torch.optim.LBFGS.step(closure)``: up to ``max_iter`` L-BFGS iterations from x.

    Returns (x_new, state_new, StepInfo). ``max_eval`` defaults to max_iter * 5 // 4, as torch.
    """
    if max_eval is None:
        max_eval = max_iter * 5 // 4
    _check(lr, max_iter, max_eval, tolerance_grad, tolerance_change, history_size,
           line_search_fn)
    x = np.array(x, dtype=float)
    if x.ndim != 1:
        raise ValueError(f"x must have shape (d,), got shape {x.shape}")
    func_evals, total_iter = state.func_evals, state.n_iter
    d, t, H_diag = state.d, state.t, state.H_diag
    old_dirs, old_stps, ro = list(state.old_dirs), list(state.old_stps), list(state.ro)
    prev_flat_grad, prev_loss = state.prev_flat_grad, state.prev_loss

    orig_loss, flat_grad = _evaluate(fun, x)
    loss = orig_loss
    current_evals = 1
    func_evals += 1
    xs, evaluations, steps = [x], [1], []

    def finish(n_iter):
        new_state = LBFGSState(func_evals, total_iter, d, t, tuple(old_dirs), tuple(old_stps),
                               tuple(ro), H_diag, prev_flat_grad, prev_loss)
        return x, new_state, StepInfo(orig_loss, current_evals, n_iter, np.array(xs),
                                      np.array(evaluations), np.array(steps, dtype=float))

    opt_cond = np.max(np.abs(flat_grad)) <= tolerance_grad
    if opt_cond:
        return finish(0)

    n_iter = 0
    while n_iter < max_iter:
        n_iter += 1
        total_iter += 1

        # The direction: steepest descent on the very first iteration, else the two loops.
        if total_iter == 1:
            d = -flat_grad
            old_dirs, old_stps, ro = [], [], []
            H_diag = 1
        else:
            y = flat_grad - prev_flat_grad
            s = d * t
            ys = _dot(y, s)
            if ys > 1e-10:  # keep the pair only if the curvature is safely positive
                if len(old_dirs) == history_size:
                    old_dirs.pop(0)
                    old_stps.pop(0)
                    ro.pop(0)
                old_dirs.append(y)
                old_stps.append(s)
                ro.append(1.0 / ys)
                H_diag = ys / _dot(y, y)
            num_old = len(old_dirs)
            al = [None] * num_old
            q = -flat_grad
            for i in range(num_old - 1, -1, -1):
                al[i] = _dot(old_stps[i], q) * ro[i]
                q = fma(-al[i], old_dirs[i], q)
            r = q * H_diag
            for i in range(num_old):
                be_i = _dot(old_dirs[i], r) * ro[i]
                r = fma(al[i] - be_i, old_stps[i], r)
            d = r

        prev_flat_grad = flat_grad.copy()
        prev_loss = loss

        # The step length.
        if total_iter == 1:
            # np.float64 where torch has a 0-d tensor (see gdcore.linesearch._divide).
            t = min(1.0, 1.0 / np.float64(np.sum(np.abs(flat_grad)))) * lr
        else:
            t = lr

        gtd = _dot(flat_grad, d)
        if gtd > -tolerance_change:  # not a descent direction (to tolerance): stop
            break

        ls_func_evals = 0
        if line_search_fn is not None:
            def obj_func(x, t, d):
                return _evaluate(fun, fma(t, d, x))

            loss, flat_grad, t, ls_func_evals = _strong_wolfe(
                obj_func, x, t, d, loss, flat_grad, gtd, max_ls=max_eval - current_evals)
            t = float(t)
            x = fma(t, d, x)
            opt_cond = np.max(np.abs(flat_grad)) <= tolerance_grad
        else:
            x = fma(t, d, x)
            if n_iter != max_iter:
                # torch skips the evaluation after the last iteration (the next step makes it).
                loss, flat_grad = _evaluate(fun, x)
                opt_cond = np.max(np.abs(flat_grad)) <= tolerance_grad
                ls_func_evals = 1

        current_evals += ls_func_evals
        func_evals += ls_func_evals
        xs.append(x)
        evaluations.append(current_evals)
        steps.append(float(t))

        if n_iter == max_iter:
            break
        if current_evals >= max_eval:
            break
        if opt_cond:
            break
        if np.max(np.abs(d * t)) <= tolerance_change:
            break
        if abs(loss - prev_loss) < tolerance_change:
            break

    return finish(n_iter)


# torch's ``p.add_(d, alpha=t)`` is a fused multiply-add t·d + p, rounded once, in its CPU
# kernels. numpy has none, so we emulate it exactly: the product as an exact sum of two floats
# (Dekker), an exact sum with p (Knuth's TwoSum), and the low parts added with rounding to odd,
# which makes the final rounding correct (Boldo & Melquiond 2008, "Emulation of FMA and
# correctly rounded sums: proved algorithms using rounding to odd").
_SPLIT = 134217729.0  # 2**27 + 1: splits a double into two halves of 26 bits


def _split(a):
    c = _SPLIT * a
    high = c - (c - a)
    return high, a - high


def _two_sum(a, b):
    s = a + b
    b_virtual = s - a
    return s, (a - (s - b_virtual)) + (b - b_virtual)


def _add_round_to_odd(a, b):
    s, err = _two_sum(a, b)
    # Inexact: of the two floats around a + b, take the one with an odd last bit.
    odd = (s.view(np.int64) & 1).astype(bool)
    other = np.nextafter(s, np.where(err > 0, np.inf, -np.inf))
    return np.where((err == 0) | odd, s, other)


def fma(a, b, c):
    """a·b + c with a single rounding (a fused multiply-add), elementwise, for finite inputs
    without overflow or underflow: what torch's ``add_(other, alpha=…)`` computes."""
    a, b, c = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (a, b, c)))
    product = a * b
    a_high, a_low = _split(a)
    b_high, b_low = _split(b)
    product_err = ((a_high * b_high - product) + a_high * b_low + a_low * b_high) + a_low * b_low
    high, low = _two_sum(c, product)
    return high + _add_round_to_odd(low, product_err)


def minimize(fun, x0, *, lr=1.0, max_iter=100, max_eval=None, tolerance_grad=1e-7,
             tolerance_change=1e-9, history_size=100, line_search_fn=None):
    """Run one L-BFGS ``step`` of up to ``max_iter`` iterations and return a :class:`Trace`
    with one row per iterate: ``lrs`` the step sizes t of the iterations, ``evaluations`` the
    calls of ``fun`` during each iteration (the call at x0 comes before them, so x_k was reached
    after 1 + evaluations[:k].sum() calls). Losses and grad_norms are recomputed at every
    iterate (those calls are not counted). ``converged``: max|∇f| ≤ tolerance_grad at the end.
    """
    x0 = np.asarray(x0, dtype=float)
    x, _, info = step(fun, x0, init(x0), lr=lr, max_iter=max_iter, max_eval=max_eval,
                      tolerance_grad=tolerance_grad, tolerance_change=tolerance_change,
                      history_size=history_size, line_search_fn=line_search_fn)
    pairs = [_evaluate(fun, xk) for xk in info.xs]
    losses = np.array([p[0] for p in pairs])
    grads = np.array([p[1] for p in pairs])
    finite = bool(np.all(np.isfinite(info.xs)) and np.all(np.isfinite(losses)))
    return descent.Trace(info.xs, losses, np.linalg.norm(grads, axis=-1), info.steps,
                         bool(np.max(np.abs(grads[-1])) <= tolerance_grad), not finite,
                         len(info.steps), evaluations=np.diff(info.evaluations))
