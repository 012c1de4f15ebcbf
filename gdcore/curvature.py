r"""Curvature of a loss from its gradient alone: Hessian-vector products and the sharpness.

The *sharpness* of f at θ is λ_max(∇²f(θ)), the top eigenvalue of the Hessian. Gradient descent
with step η is stable on a quadratic only while λ_max < 2/η (chapter 3), so the sharpness is
what the 2/L rule is about once f is a network's loss and L changes along the way.

Nothing here forms the Hessian. A Hessian-vector product comes from two gradients, by the
central difference of the gradient along v,

    H v = (∇f(θ + h v) − ∇f(θ − h v)) / (2h) + O(h² ‖v‖³),

(the error term is the third derivative; h = ε^{1/3}·(1 + ‖θ‖)/‖v‖ balances it against the
round-off of the two gradients), and the top eigenvalue by power iteration on v ↦ H v,

    v_{k+1} = H v_k / ‖H v_k‖,   λ_k = v_kᵀ H v_k   (the Rayleigh quotient),

stopped when |λ_k − λ_{k−1}| ≤ rtol·|λ_k|. Power iteration finds the eigenvalue of largest
*magnitude*; ``top_eigenvalue`` reports it with its sign, so a negative result says that a
negative eigenvalue dominates (then shift: ``shift=σ`` iterates on H − σI). The exact product
for an MLP, with no step h, is ``gd.mlp.hessian_vector_product`` (Pearlmutter's R-operator);
the tests check the two against each other and against PyTorch's double backward.

API summary
-----------
``hvp(grad, theta, v, h=None, *, batched=True)`` → H v by the central difference of ``grad``.
    θ of shape (d,) or (B, d) (lanes: B points, each with its own v); both gradients are taken
    in one batched call when ``grad`` accepts a leading axis (``gd.mlp.MLPProblem.grad`` does; else
    ``batched=False``).
``hessian(grad, theta, h=None, *, batched=True)`` → the dense (d, d) Hessian, column j = H e_j,
    symmetrised; for small d only (tests, exercises).
``top_eigenvalue(hvp_fn, dim_or_v0, *, seed=0, rtol=1e-6, max_iter=200, shift=0.0)`` →
    Eigen(value, vector, n_iter, converged) by power iteration on ``hvp_fn(v)``; ``v0`` may be
    a (B, d) array, then every lane iterates on its own and the result has arrays of B values.
``sharpness(grad, theta, *, v0=None, seed=0, rtol=1e-6, max_iter=200, h=None)`` →
    ``top_eigenvalue`` of the central-difference H at θ (θ (d,) or (B, d)).
``track_sharpness(problem, x0, lr, steps, *, every=20, rtol=1e-4, max_iter=100, seed=0,
    blowup=1e6)`` → SharpnessTrace: full-batch gradient descent θ_{k+1} = θ_k − η ∇f(θ_k) (the
    update of ``gd.optimizers.SGD(lr)``) on lanes (seeds × learning rates), with the loss at every
    step and the sharpness every ``every`` steps, warm-started from the previous eigenvector.

Bad input raises ValueError naming the argument (non-finite or mis-shaped θ or v, h ≤ 0,
rtol ≤ 0, max_iter < 1).
"""

from typing import NamedTuple

import numpy as np

__all__ = ["Eigen", "SharpnessTrace", "hvp", "hessian", "top_eigenvalue", "sharpness",
           "track_sharpness"]

_EPS = np.finfo(float).eps


class Eigen(NamedTuple):
    """An eigenpair found by power iteration (arrays with a leading lane axis for lanes)."""

    value: np.ndarray       # Rayleigh quotient vᵀ H v (float, or (B,) for lanes)
    vector: np.ndarray      # unit eigenvector estimate, (d,) or (B, d)
    n_iter: int             # Hessian-vector products used (per lane)
    converged: np.ndarray   # bool, or (B,) for lanes


class SharpnessTrace(NamedTuple):
    """Gradient descent with the sharpness measured along the way (``...`` = the lanes)."""

    losses: np.ndarray      # (steps+1, ...) f(θ_k); NaN after a lane diverged
    steps: np.ndarray       # (m,) the k at which the sharpness was measured: 0, every, 2·every…
    sharpness: np.ndarray   # (m, ...) λ_max(∇²f(θ_k)); NaN after a lane diverged
    hvps: np.ndarray        # (m,) Hessian-vector products used by each power iteration
    converged: np.ndarray   # (m, ...) bool: the power iteration met rtol
    diverged: np.ndarray    # (...) bool: f became non-finite or exceeded blowup·max(|f(θ_0)|, 1)
    final_x: np.ndarray     # (..., d) the last iterate (the last finite one of a diverged lane)


def _as_points(theta, name="theta"):
    theta = np.asarray(theta, dtype=float)
    if theta.ndim not in (1, 2) or theta.shape[-1] < 1:
        raise ValueError(f"{name} must have shape (d,) or (B, d), got {theta.shape}")
    if not np.all(np.isfinite(theta)):
        raise ValueError(f"{name} must be finite")
    return theta


def _gradients(grad, points, batched):
    if batched:
        return np.asarray(grad(points))
    return np.stack([np.asarray(grad(p)) for p in points])


def hvp(grad, theta, v, h=None, *, batched=True):
    r"""H(θ) v ≈ (∇f(θ + h v) − ∇f(θ − h v)) / (2h), lane by lane for θ, v of shape (B, d).

    Default h per lane: ε^{1/3} (1 + ‖θ‖) / ‖v‖, so that the step θ ± h v is a relative
    perturbation of θ of size ε^{1/3} whatever the scale of v (the optimum for a central
    difference: truncation h² against round-off ε/h). ``batched=False`` for a ``grad`` that
    takes one point (d,) at a time.
    """
    theta = _as_points(theta)
    v = _as_points(v, "v")
    if v.shape != theta.shape:
        raise ValueError(f"v must have the shape of theta {theta.shape}, got {v.shape}")
    v_norm = np.linalg.norm(v, axis=-1, keepdims=True)
    if np.any(v_norm == 0):
        raise ValueError("v must be non-zero")
    if h is None:
        h = _EPS ** (1 / 3) * (1.0 + np.linalg.norm(theta, axis=-1, keepdims=True)) / v_norm
    else:
        if not np.all((np.asarray(h) > 0) & np.isfinite(h)):
            raise ValueError(f"Invalid finite-difference step h: {h}")
        h = np.broadcast_to(np.asarray(h, dtype=float), v_norm.shape)
    if theta.ndim == 1:
        g = _gradients(grad, np.stack([theta + h * v, theta - h * v]), batched)
        return (g[0] - g[1]) / (2.0 * h)
    g = _gradients(grad, np.concatenate([theta + h * v, theta - h * v]), batched)
    n = theta.shape[0]
    return (g[:n] - g[n:]) / (2.0 * h)


def hessian(grad, theta, h=None, *, batched=True):
    """Dense Hessian column by column, H e_j by ``hvp``, then (H + Hᵀ)/2. Small d only."""
    theta = _as_points(theta)
    if theta.ndim != 1:
        raise ValueError(f"theta must have shape (d,) for hessian, got {theta.shape}")
    d = theta.size
    eye = np.eye(d)
    cols = hvp(grad, np.broadcast_to(theta, (d, d)), eye, h, batched=batched)   # row j = H e_j
    H = np.asarray(cols).T
    return 0.5 * (H + H.T)


def top_eigenvalue(hvp_fn, dim_or_v0, *, seed=0, rtol=1e-6, max_iter=200, shift=0.0):
    r"""Power iteration v ← (H − σI) v / ‖(H − σI) v‖ on the map ``hvp_fn``: v ↦ H v.

    ``dim_or_v0``: an int d (start from a seeded Gaussian vector) or a start vector (d,) or
    lanes (B, d) (warm start from the previous eigenvector when tracking λ_max along a run).
    Stops when every lane's Rayleigh quotient λ_k = vᵀHv changes by ≤ rtol·|λ_k| between two
    iterations, or after ``max_iter`` products. The value returned is λ of H (σ added back).
    """
    if not rtol > 0:
        raise ValueError(f"Invalid rtol: {rtol}")
    if int(max_iter) != max_iter or max_iter < 1:
        raise ValueError(f"Invalid max_iter: {max_iter}")
    if np.ndim(dim_or_v0) == 0:
        d = int(dim_or_v0)
        if d != dim_or_v0 or d < 1:
            raise ValueError(f"dim_or_v0 must be a positive integer or a vector, got {dim_or_v0}")
        v = np.random.default_rng(seed).standard_normal(d)
    else:
        v = _as_points(dim_or_v0, "dim_or_v0").copy()
    norm = np.linalg.norm(v, axis=-1, keepdims=True)
    if np.any(norm == 0):
        raise ValueError("dim_or_v0: the start vector must be non-zero")
    v = v / norm
    lam_old = np.full(v.shape[:-1], np.nan)
    converged = np.zeros(v.shape[:-1], dtype=bool)
    k = 0
    while k < max_iter:
        k += 1
        Hv = np.asarray(hvp_fn(v)) - shift * v
        lam = np.sum(v * Hv, axis=-1)                      # Rayleigh quotient of H − σI
        converged = np.abs(lam - lam_old) <= rtol * np.abs(lam)
        norm = np.linalg.norm(Hv, axis=-1, keepdims=True)
        null = norm == 0                                   # v in the null space of H − σI
        if np.any(null):
            converged = converged | null[..., 0]
            Hv, norm = np.where(null, v, Hv), np.where(null, 1.0, norm)
        if np.all(converged):
            break
        v, lam_old = Hv / norm, lam
    return Eigen(lam + shift, v, k, converged)


def sharpness(grad, theta, *, v0=None, seed=0, rtol=1e-6, max_iter=200, h=None, batched=True):
    """The eigenvalue of ∇²f(θ) largest in magnitude, by power iteration on central-difference
    Hessian-vector products: λ_max when it dominates (as near a minimum and along training), but a
    negative eigenvalue where that one is larger in magnitude (at a saddle-like start); there,
    ``top_eigenvalue`` with a ``shift`` finds λ_max itself.

    θ of shape (d,) or lanes (B, d); ``v0`` a warm start of the same shape (default: seeded
    Gaussian, the same for every lane).
    """
    theta = _as_points(theta)
    if v0 is None:
        v0 = np.random.default_rng(seed).standard_normal(theta.shape[-1])
        v0 = np.broadcast_to(v0, theta.shape).copy()
    elif np.shape(v0) != theta.shape:
        raise ValueError(f"v0 must have the shape of theta {theta.shape}, got {np.shape(v0)}")
    return top_eigenvalue(lambda v: hvp(grad, theta, v, h, batched=batched), v0, rtol=rtol,
                          max_iter=max_iter)


def _value_and_gradient(problem):
    if hasattr(problem, "f_and_grad"):
        return problem.f_and_grad
    return lambda x: (problem.f(x), problem.grad(x))


def track_sharpness(problem, x0, lr, steps, *, every=20, rtol=1e-4, max_iter=100, seed=0,
                    blowup=1e6):
    r"""Full-batch gradient descent θ_{k+1} = θ_k − η ∇f(θ_k), tracking λ_max every few steps.

    problem   anything with ``f`` and ``grad`` accepting a leading lane axis (``f_and_grad`` is
              used when present: one forward pass for both).
    x0        (d,) or (B, d) starts; lr a number or B numbers (one per lane), all > 0; one
              start (d,) with B learning rates runs B lanes from it.
    every     the sharpness is measured at k = 0, every, 2·every, … ≤ steps, by power iteration
              on central-difference Hessian-vector products (``sharpness``) warm-started from
              the eigenvector found the previous time (so a few products usually suffice).
    A lane whose loss becomes non-finite or exceeds blowup·max(|f(θ_0)|, 1) is frozen and
    reported in ``diverged`` (NaN losses and sharpness from then on), without warnings.
    """
    x = _as_points(x0, "x0").copy()
    single = x.ndim == 1 and np.ndim(lr) == 0
    x = np.atleast_2d(x)
    eta = np.asarray(lr, dtype=float).reshape(-1)
    if eta.size == 1:
        eta = np.full(x.shape[0], eta[0])
    if x.shape[0] == 1 and eta.size > 1:
        x = np.repeat(x, eta.size, axis=0)
    if eta.size != x.shape[0]:
        raise ValueError(f"lr must be one number or one per lane ({x.shape[0]}), got {eta.size}")
    if not np.all(eta > 0):
        raise ValueError(f"Invalid learning rate: {eta[~(eta > 0)][0]}")
    if isinstance(steps, bool) or int(steps) != steps or steps < 0:
        raise ValueError(f"steps must be a non-negative integer, got {steps!r}")
    if isinstance(every, bool) or int(every) != every or every < 1:
        raise ValueError(f"every must be a positive integer, got {every!r}")
    steps, every = int(steps), int(every)
    value_and_grad = _value_and_gradient(problem)
    lanes, d = x.shape
    losses = np.full((steps + 1, lanes), np.nan)
    marks = np.arange(0, steps + 1, every)
    lams = np.full((marks.size, lanes), np.nan)
    conv = np.zeros((marks.size, lanes), dtype=bool)
    hvps = np.zeros(marks.size, dtype=int)
    v = np.broadcast_to(np.random.default_rng(seed).standard_normal(d), x.shape).copy()
    active = np.ones(lanes, dtype=bool)
    limit = None
    with np.errstate(all="ignore"):   # a diverging lane is reported, not warned about
        for k in range(steps + 1):
            f, g = value_and_grad(x)
            f, g = np.asarray(f, dtype=float), np.asarray(g, dtype=float)
            if limit is None:
                limit = blowup * np.maximum(np.abs(f), 1.0)
            bad = active & ~(np.isfinite(f) & (np.abs(f) <= limit)
                             & np.all(np.isfinite(g), axis=-1))
            active &= ~bad
            losses[k] = np.where(active, f, np.nan)
            if k % every == 0 and active.any():
                m = k // every
                e = sharpness(problem.grad, x[active], v0=v[active], rtol=rtol,
                              max_iter=max_iter)
                lams[m, active], conv[m, active], hvps[m] = e.value, e.converged, e.n_iter
                v[active] = e.vector
            if k == steps or not active.any():
                break
            x = np.where(active[:, None], x - eta[:, None] * g, x)
    out = SharpnessTrace(losses, marks, lams, hvps, conv, ~active, x)
    if single:
        out = out._replace(losses=losses[:, 0], sharpness=lams[:, 0], converged=conv[:, 0],
                           diverged=bool(~active[0]), final_x=x[0])
    return out
