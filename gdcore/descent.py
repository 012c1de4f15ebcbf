r"""The descent loop: run an optimizer on a problem and record the whole trajectory.

    x_{k+1}, state_{k+1} = optimizer.update(x_k, g_k, state_k),   g_k = clip(∇f(x_k))

One loop serves every chapter, widget, benchmark and test. It runs *lanes* in parallel: ``x0`` of
shape (..., d) is a batch of starting points, and a learning rate of shape (n_runs, 1) (or any
hyperparameter array with a leading run axis) makes a sweep — one vectorized run instead of a
Python loop. Each lane stops on its own: when it converges (‖∇f‖ ≤ tol) or diverges (non-finite,
or |f| grows beyond ``blowup`` times its start), without any effect on the other lanes.
"""

from dataclasses import dataclass

import numpy as np

from gdcore import clipping, linesearch

__all__ = ["Trace", "descend"]


@dataclass
class Trace:
    """The record of a (batched) descent run; ``...`` is the batch shape of the lanes.

    xs          (steps+1, ..., d) iterates x_0 … x_steps. A converged lane repeats its last
                iterate; a diverged lane is NaN from its first bad iterate on.
    losses      (steps+1, ...)    f(x_k) (NaN if only a gradient function was given).
    grad_norms  (steps+1, ...)    ‖∇f(x_k)‖ of the full, unclipped gradient.
    lrs         (steps, ...)      opt.lr_at(k), the learning rate of step k (shape as returned).
    converged   (...) bool        ‖∇f(x_k)‖ ≤ tol was reached.
    diverged    (...) bool        an iterate or loss became non-finite or blew up.
    steps_taken (...) int         optimizer updates applied to the lane before it stopped.
    evaluations (steps, ...) int  function evaluations of step k's line search (None without
                                  one); gd.lbfgs.minimize: calls of fun during iteration k.
    """

    xs: np.ndarray
    losses: np.ndarray
    grad_norms: np.ndarray
    lrs: np.ndarray
    converged: np.ndarray
    diverged: np.ndarray
    steps_taken: np.ndarray
    evaluations: np.ndarray | None = None

    @property
    def final_x(self):
        """The last iterate xs[-1] (NaN for diverged lanes)."""
        return self.xs[-1]

    @property
    def final_loss(self):
        """The last loss losses[-1] (NaN for diverged lanes)."""
        return self.losses[-1]


def _clip_per_run(max_norm):
    """Clip each run's gradient to norm ≤ max_norm (torch ``clip_grad_norm_`` semantics,
    g ← g · min(1, max_norm / (‖g‖ + 1e-6))). The norm is over the last axis only, so that
    clipping one run of a batch never depends on the others."""
    if not max_norm > 0:
        raise ValueError(f"clip must be a positive max_norm or a callable, got {max_norm}")
    return lambda g: clipping.clip_by_global_norm(g, max_norm, axis=-1)[0]


def _minibatches(n, batch_size, seed):
    """Endless stream of sorted index arrays: each epoch is a fresh permutation of 0..n−1 cut
    into consecutive chunks of ``batch_size`` (the last one smaller if n % batch_size ≠ 0).

    Sampling is without replacement within an epoch, as a PyTorch DataLoader with shuffle=True.
    Sorting each batch keeps the arithmetic order of the full data, so batch_size = n gives
    exactly full-batch gradient descent."""
    rng = np.random.default_rng(seed)
    while True:
        order = rng.permutation(n)
        for start in range(0, n, batch_size):
            yield np.sort(order[start:start + batch_size])


def _lanes_shape(x0, optimizer):
    """Shape of the run: x0 broadcast against the learning rate and any other array
    hyperparameter (a sweep: lr of shape (n, 1) with x0 of shape (d,) gives (n, d))."""
    shapes = [np.shape(optimizer.lr_at(0))] if hasattr(optimizer, "lr_at") else []
    for value in getattr(optimizer, "hyperparameters", {}).values():
        for item in value if isinstance(value, tuple) else (value,):
            if isinstance(item, np.ndarray):
                shapes.append(item.shape)
    try:
        return np.broadcast_shapes(x0.shape, *shapes)
    except ValueError:
        raise ValueError(f"x0 of shape {x0.shape} does not broadcast against the optimizer's "
                         f"hyperparameter shapes {shapes}") from None


def descend(problem_or_grad_fn, x0, optimizer, steps, *, tol=None, callback=None, clip=None,
            batch_size=None, seed=None, blowup=1e6, line_search=None, line_search_options=None):
    r"""Run ``optimizer`` for ``steps`` updates from ``x0`` and return a :class:`Trace`.

    problem_or_grad_fn  a Problem (``f`` and ``grad``) or a plain gradient function grad(x).
    x0                  (..., d) starting point(s); broadcast against the optimizer's array
                        hyperparameters, so x0 (d,) with lr of shape (n, 1) runs n learning
                        rates at once.
    optimizer           anything with ``init(x)``, ``update(x, g, state)`` and ``lr_at(k)``.
    tol                 stop a lane once ‖∇f(x_k)‖ ≤ tol (converged).
    callback            called as callback(k, x_k, loss_k) for k = 0 … after each recorded iterate.
    clip                a function g ↦ clipped g, or a float max_norm (per-run norm clipping,
                        torch clip_grad_norm_ semantics).
    batch_size, seed    minibatch SGD for data problems (with ``n_samples`` and ``grad_batch``):
                        each step uses one minibatch; an epoch is one pass over a fresh seeded
                        permutation, so ⌈n / batch_size⌉ steps. All lanes see the same batches.
                        ``batch_size = n`` is exactly full-batch gradient descent. Losses and
                        grad_norms are always of the full objective.
    blowup              a lane diverges when x or f(x) is non-finite or
                        |f(x_k)| > blowup · max(|f(x_0)|, 1) (‖∇f‖ instead of |f| for a bare
                        gradient function); ``None`` checks only for non-finite values.
    line_search         ``"armijo"``: backtrack along the optimizer's proposed step
                        Δ_k = update(x_k) − x_k, accepting x_k + τ_k Δ_k with the first
                        τ_k = 1, shrink, shrink², … that satisfies f(x_k + τΔ_k) ≤ f(x_k) +
                        c₁ τ ∇f(x_k)ᵀΔ_k (see :func:`gdcore.linesearch.armijo`). For gradient
                        descent (SGD without momentum) the step size is η_k = τ_k·lr: the lr is
                        the first trial. ``Trace.lrs`` (steps, ...) then holds η_k per lane (NaN
                        once a lane stopped) and ``Trace.evaluations`` the trial evaluations of
                        f. Needs a Problem and full batches. An optimizer with memory (momentum,
                        Adam) keeps its state as if the full step had been taken. A proposed step
                        that is not a descent direction (∇fᵀΔ_k ≥ 0, possible with momentum)
                        never passes: the lane then takes the last trial, τ = shrink^(max_iter−1).
    line_search_options keyword arguments of the line search (``c1``, ``shrink``, ``max_iter``).
    """
    loss_fn, grad_fn, batches = _unpack(problem_or_grad_fn, batch_size, seed)
    if line_search is not None:
        if line_search != "armijo":
            raise ValueError(f"Invalid line_search value: {line_search!r} "
                             "(only None and 'armijo' are supported)")
        if loss_fn is None or batches is not None:
            raise ValueError("line_search needs a Problem (with f) and full batches")
    ls_options = dict(line_search_options or {})
    x0 = np.asarray(x0, dtype=float)
    if x0.ndim == 0:
        raise ValueError("x0 must have shape (..., d); for a 1-D problem use x0 = [x]")
    if not np.all(np.isfinite(x0)):
        raise ValueError(f"x0 must be finite, got {x0.ravel()[~np.isfinite(x0.ravel())][0]}")
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 0:
        raise ValueError(f"steps must be a non-negative integer, got {steps!r}")
    if clip is not None and not callable(clip):
        clip = _clip_per_run(float(clip))

    x = np.array(np.broadcast_to(x0, _lanes_shape(x0, optimizer)))
    lanes = x.shape[:-1]
    xs = np.full((steps + 1, *x.shape), np.nan)
    losses = np.full((steps + 1, *lanes), np.nan)
    grad_norms = np.full((steps + 1, *lanes), np.nan)
    converged = np.zeros(lanes, dtype=bool)
    diverged = np.zeros(lanes, dtype=bool)
    steps_taken = np.zeros(lanes, dtype=int)
    evaluations = None
    if line_search is not None:
        etas = np.full((steps, *lanes), np.nan)
        evaluations = np.zeros((steps, *lanes), dtype=int)

    def evaluate(x):
        """Full loss and gradient at x; the gradient is reused for the next full-batch step."""
        g = np.asarray(grad_fn(x), dtype=float)
        if g.shape != x.shape:
            raise ValueError(f"grad(x) returned shape {g.shape} for x of shape {x.shape}")
        loss = np.broadcast_to(loss_fn(x), lanes) if loss_fn else np.full(lanes, np.nan)
        return loss, g, np.linalg.norm(g, axis=-1)

    # Overflow in a diverging lane is expected and reported through Trace.diverged, not as
    # RuntimeWarnings (the user's callback runs outside this context).
    def quiet():
        return np.errstate(all="ignore")

    with quiet():
        state = optimizer.init(x)
        loss, g, gnorm = evaluate(x)
        size = np.abs(loss) if loss_fn else gnorm
        limit = np.inf if blowup is None else blowup * np.maximum(size, 1.0)
    xs[0], losses[0], grad_norms[0] = x, loss, gnorm
    active = np.ones(lanes, dtype=bool)
    if tol is not None:
        converged = gnorm <= tol
        active &= ~converged
    if callback is not None:
        callback(0, xs[0], losses[0])
    for k in range(steps):
        if not active.any():  # every lane stopped: repeat the last row (NaN for diverged)
            xs[k + 1:], losses[k + 1:], grad_norms[k + 1:] = xs[k], losses[k], grad_norms[k]
            break
        with quiet():
            if batches is not None:
                g = np.asarray(problem_or_grad_fn.grad_batch(x, next(batches)), dtype=float)
            g_full = g
            if clip is not None:
                g = clip(g)
            x_new, state = optimizer.update(x, g, state)
            if np.shape(x_new) != x.shape:
                raise ValueError(f"the optimizer turned x of shape {x.shape} into shape "
                                 f"{np.shape(x_new)}: give x0 the run axis of its "
                                 "hyperparameters")
            if line_search is not None:
                x_new, etas[k], evaluations[k] = _armijo_step(
                    loss_fn, x, x_new, g_full, loss, optimizer.lr_at(k), active, ls_options)
            loss, g, gnorm = evaluate(x_new)
            size = np.abs(loss) if loss_fn else gnorm
            finite = np.all(np.isfinite(x_new), axis=-1) & np.isfinite(gnorm) & ~np.isnan(size)
            bad = active & ~(finite & (size <= limit))
        diverged |= bad
        steps_taken += active
        active &= ~bad
        # Stopped lanes keep their last finite x, so they never feed inf into the arithmetic.
        x = np.where(active[..., None], x_new, x)
        xs[k + 1] = np.where(diverged[..., None], np.nan, x)
        losses[k + 1] = np.where(diverged, np.nan, np.where(active, loss, losses[k]))
        grad_norms[k + 1] = np.where(diverged, np.nan, np.where(active, gnorm, grad_norms[k]))
        if tol is not None:
            done = active & (gnorm <= tol)
            converged |= done
            active &= ~done
        if callback is not None:
            callback(k + 1, xs[k + 1], losses[k + 1])
    lrs = _learning_rates(optimizer, steps) if line_search is None else etas
    if not lanes:  # a single run: plain Python flags, so that `trace.diverged is True` works
        converged, diverged, steps_taken = bool(converged), bool(diverged), int(steps_taken)
    return Trace(xs, losses, grad_norms, lrs, converged, diverged, steps_taken, evaluations)


def _armijo_step(loss_fn, x, x_proposed, g, f_x, lr, active, options):
    """Backtrack from the optimizer's proposed point: (accepted x, η per lane, evaluations)."""
    result = linesearch.armijo(loss_fn, None, x, x_proposed - x, lr=1.0, f_x=f_x, grad_x=g,
                               **options)
    lr = np.asarray(lr, dtype=float)
    if lr.ndim and lr.shape[-1] == 1:  # a per-run lr of shape (n, 1): one number per run
        lr = lr[..., 0]
    eta = np.where(active, result.step * lr, np.nan)
    return result.x, eta, np.where(active, result.evaluations, 0)


def _unpack(problem_or_grad_fn, batch_size, seed):
    """(loss function or None, full gradient, minibatch index stream or None)."""
    if hasattr(problem_or_grad_fn, "f") and hasattr(problem_or_grad_fn, "grad"):
        loss_fn, grad_fn = problem_or_grad_fn.f, problem_or_grad_fn.grad
    elif callable(problem_or_grad_fn):
        loss_fn, grad_fn = None, problem_or_grad_fn
    else:
        raise ValueError("problem_or_grad_fn must be a Problem (with f and grad) or a callable "
                         f"grad(x), got {type(problem_or_grad_fn).__name__}")
    if batch_size is None:
        return loss_fn, grad_fn, None
    if not hasattr(problem_or_grad_fn, "grad_batch"):
        raise ValueError("batch_size needs a data problem with n_samples and grad_batch "
                         "(e.g. gd.functions.linear_regression)")
    n = problem_or_grad_fn.n_samples
    if not isinstance(batch_size, (int, np.integer)) or not 1 <= batch_size <= n:
        raise ValueError(f"batch_size must be an integer in [1, {n}], got {batch_size!r}")
    return loss_fn, grad_fn, _minibatches(n, int(batch_size), seed)


def _learning_rates(optimizer, steps):
    """opt.lr_at(k) for k < steps: (steps,) for a scalar lr, (steps, n) for lr of shape (n, 1)."""
    if not hasattr(optimizer, "lr_at"):
        return np.full(steps, np.nan)
    lrs = [np.asarray(optimizer.lr_at(k), dtype=float) for k in range(steps)]
    if not lrs:
        return np.zeros((0,))
    lrs = np.stack(lrs)
    # A per-run lr of shape (n, 1) broadcasts over coordinates; one number per run is enough.
    return lrs[..., 0] if lrs.ndim > 1 and lrs.shape[-1] == 1 else lrs
