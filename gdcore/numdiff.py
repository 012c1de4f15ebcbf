r"""Numerical derivatives: finite differences, directional derivatives and gradient checking.

Choice of the step h. A finite difference has two errors: truncation (the Taylor terms we drop)
and rounding (f is computed with relative error about ε = 2.2e-16, and we divide by h):

    forward  (f(x+h) − f(x))/h          error ≈ ½|f''| h   + 2ε|f|/h   → best h ≈ √ε   ≈ 1.5e-8
    central  (f(x+h) − f(x−h))/(2h)     error ≈ ⅙|f'''| h² +  ε|f|/h   → best h ≈ ∛ε   ≈ 6.1e-6
    second   (f(x+h) − 2f(x) + f(x−h))/h²   error ≈ h² + ε/h²          → best h ≈ ε^¼ ≈ 1.2e-4

(balancing the two terms, for f and its derivatives of order one). The model itself says
h* = 2√(ε|f|/|f''|) (forward): the step should scale with √(|f|/|f''|), the distance over which
f changes appreciably. The defaults guess that distance as max(1, |x|) (Press et al.,
*Numerical Recipes*, §5.7): right for powers and logarithms (|f/f''| ∝ x²), wrong for exp
(|f/f''| = 1 at every x, so at x = 700 the default is 700 times too large). The floor |x| also
keeps x + h ≠ x: the floating-point numbers near x are ε|x| apart, and rounding x + h to them
adds an error ≈ ε|x|·|f'|/h that the model above leaves out. Pass ``h`` when the scale of f is
known.
"""

import numpy as np

__all__ = [
    "EPS", "forward_difference", "backward_difference", "central_difference",
    "numerical_gradient", "numerical_hessian", "directional_derivative",
    "directional_derivative_from_gradient", "grad_check", "grad_check_entries",
    "grad_check_verdict",
    "GRAD_CHECK_THRESHOLDS",
]

EPS = np.finfo(float).eps


def _step(x, h, power):
    """The step h: given, or ε^power · max(1, |x|) (see the module docstring for why)."""
    if h is not None:
        return h
    return EPS**power * np.maximum(1.0, np.abs(x))


def forward_difference(f, x, h=None):
    r"""f'(x) ≈ (f(x + h) − f(x)) / h, error O(h); default h = √ε · max(1, |x|).

    ``f`` maps an array to an array elementwise (a scalar function of a scalar, vectorized).
    """
    x = np.asarray(x, dtype=float)
    h = _step(x, h, 1 / 2)
    return (f(x + h) - f(x)) / h


def backward_difference(f, x, h=None):
    r"""f'(x) ≈ (f(x) − f(x − h)) / h, error O(h); default h = √ε · max(1, |x|)."""
    x = np.asarray(x, dtype=float)
    h = _step(x, h, 1 / 2)
    return (f(x) - f(x - h)) / h


def central_difference(f, x, h=None):
    r"""f'(x) ≈ (f(x + h) − f(x − h)) / (2h), error O(h²); default h = ∛ε · max(1, |x|).

    The even Taylor terms cancel: f(x ± h) = f ± hf' + h²f''/2 ± h³f'''/6 + …
    """
    x = np.asarray(x, dtype=float)
    h = _step(x, h, 1 / 3)
    return (f(x + h) - f(x - h)) / (2 * h)


def numerical_gradient(f, x, h=None):
    r"""∇f(x) by central differences, one coordinate at a time.

        ∂f/∂xᵢ ≈ (f(x + hᵢeᵢ) − f(x − hᵢeᵢ)) / (2hᵢ),   hᵢ = ∛ε · max(1, |xᵢ|) by default.

    ``x`` has shape (d,) or (..., d); with a batch, ``f`` must accept (..., d) and return (...).
    Costs 2d evaluations of f.
    """
    x = np.asarray(x, dtype=float)
    h = np.broadcast_to(_step(x, h, 1 / 3), x.shape)
    grad = np.empty_like(x)
    for i in range(x.shape[-1]):
        step = np.zeros_like(x)
        step[..., i] = h[..., i]
        grad[..., i] = (f(x + step) - f(x - step)) / (2 * h[..., i])
    return grad


def numerical_hessian(f, x, h=None):
    r"""∇²f(x) by central differences of central differences.

        ∂²f/∂xᵢ∂xⱼ ≈ [f(x + hᵢeᵢ + hⱼeⱼ) − f(x + hᵢeᵢ − hⱼeⱼ) − f(x − hᵢeᵢ + hⱼeⱼ)
                      + f(x − hᵢeᵢ − hⱼeⱼ)] / (4hᵢhⱼ),

    error O(h²) + O(ε/h²), so the default is h = ε^¼ · max(1, |x|). Returns (..., d, d),
    symmetrized. Costs 4d² evaluations of f.
    """
    x = np.asarray(x, dtype=float)
    h = np.broadcast_to(_step(x, h, 1 / 4), x.shape)
    d = x.shape[-1]
    H = np.empty(x.shape + (d,))
    for i in range(d):
        for j in range(i, d):
            ei = np.zeros_like(x)
            ej = np.zeros_like(x)
            ei[..., i] = h[..., i]
            ej[..., j] = h[..., j]
            H[..., i, j] = H[..., j, i] = (
                f(x + ei + ej) - f(x + ei - ej) - f(x - ei + ej) + f(x - ei - ej)
            ) / (4 * h[..., i] * h[..., j])
    return H


def _unit(u, normalize):
    u = np.asarray(u, dtype=float)
    norm = np.linalg.norm(u, axis=-1, keepdims=True)
    if np.any(norm == 0) or not np.all(np.isfinite(norm)):
        raise ValueError("u must be a nonzero finite vector")
    if normalize:
        return u / norm
    if not np.allclose(norm, 1.0, rtol=0, atol=1e-10):
        bad = norm.ravel()[np.argmax(np.abs(norm.ravel() - 1))]
        raise ValueError(f"u must be a unit vector, got ‖u‖ = {bad:g} "
                         "(divide by np.linalg.norm(u), or pass normalize=True)")
    return u


def directional_derivative(f, x, u, h=None, *, normalize=False):
    r"""D_u f(x) = lim_{h→0} (f(x + hu) − f(x)) / h, by the central difference along u:

        D_u f(x) ≈ (f(x + hu) − f(x − hu)) / (2h),   h = ∛ε · max(1, ‖x‖_∞) by default.

    ``u`` must be a unit vector (the rate of change *per unit distance*); otherwise ValueError,
    unless ``normalize=True`` divides u by ‖u‖. ``x`` (..., d) and ``u`` (..., d) broadcast.
    """
    x = np.asarray(x, dtype=float)
    u = _unit(u, normalize)
    if h is None:
        h = EPS ** (1 / 3) * np.maximum(1.0, np.max(np.abs(x), axis=-1))
    h = np.asarray(h, dtype=float)[..., None]  # one step per point, broadcast over coordinates
    return (f(x + h * u) - f(x - h * u)) / (2 * h[..., 0])


def directional_derivative_from_gradient(grad, x, u):
    r"""∇f(x) · u: the directional derivative along a unit vector u, from the gradient.

    ``grad`` is the gradient function (or an already computed gradient array); ``u`` may be a
    batch of directions (..., d). For a non-unit u this is ‖u‖ times the directional derivative
    along u/‖u‖ (no unit check here: ∇f(x)·v is also the derivative of t ↦ f(x + tv) at 0).
    """
    g = grad(np.asarray(x, dtype=float)) if callable(grad) else np.asarray(grad, dtype=float)
    return np.sum(g * np.asarray(u, dtype=float), axis=-1)


# CS231n (Karpathy), "Gradient checks": relative error of analytic vs numerical gradient.
GRAD_CHECK_THRESHOLDS = (
    (1e-7, "great: the analytic gradient is correct"),
    (1e-4, "ok: fine for objectives with kinks (ReLU, |x|), suspicious for smooth ones"),
    (1e-2, "uncomfortable: probably a bug, unless the function has kinks near x"),
    (np.inf, "wrong: the analytic gradient is incorrect"),
)


def _both_gradients(f, grad, x, h):
    """(analytic, central-difference) gradients at x, of the same shape, else ValueError."""
    x = np.asarray(x, dtype=float)
    g = grad(x) if callable(grad) else np.asarray(grad, dtype=float)
    g_num = numerical_gradient(f, x, h)
    if g.shape != g_num.shape:
        raise ValueError(f"grad(x) has shape {g.shape}, expected {g_num.shape}")
    return g, g_num


def grad_check(f, grad, x, h=None):
    r"""Relative error between the analytic gradient and a central-difference one:

        rel = ‖g − ĝ‖ / max(‖g‖ + ‖ĝ‖, tiny),   g = grad(x), ĝ = numerical_gradient(f, x, h).

    Scale-free, so one threshold table (:func:`grad_check_verdict`) fits every function. For a
    batch of points x (..., d) the worst (largest) relative error is returned. The norms are
    dominated by the largest entries, so a wrong small entry can hide: use
    :func:`grad_check_entries` to see each one. Caveat: at a
    stationary point ‖g‖ ≈ 0 and the ratio is dominated by noise — check at random points.
    ``grad`` is a function or an already computed gradient array.
    """
    g, g_num = _both_gradients(f, grad, x, h)
    diff = np.linalg.norm(g - g_num, axis=-1)
    scale = np.linalg.norm(g, axis=-1) + np.linalg.norm(g_num, axis=-1)
    rel = diff / np.maximum(scale, np.finfo(float).tiny)
    return float(np.max(rel))


def grad_check_entries(f, grad, x, h=None):
    r"""Relative error of each entry of the analytic gradient (CS231n's per-parameter check):

        rᵢ = |gᵢ − ĝᵢ| / max(|gᵢ| + |ĝᵢ|, tiny),   g = grad(x), ĝ = numerical_gradient(f, x, h).

    Unlike :func:`grad_check`, whose one number is dominated by the largest entries, a wrong
    small entry shows here. Returns an array of the shape of ``x``. An entry whose true value is
    (nearly) zero compares two round-off-sized numbers: its rᵢ is noise, up to 1.
    """
    g, g_num = _both_gradients(f, grad, x, h)
    scale = np.abs(g) + np.abs(g_num)
    return np.abs(g - g_num) / np.maximum(scale, np.finfo(float).tiny)


def grad_check_verdict(rel_err):
    r"""Interpret a :func:`grad_check` relative error with the CS231n thresholds:

        rel < 1e-7          great   (smooth function, gradient correct)
        1e-7 ≤ rel < 1e-4   ok      (acceptable with kinks such as ReLU; suspicious otherwise)
        1e-4 ≤ rel < 1e-2   uncomfortable (usually a bug)
        rel ≥ 1e-2          wrong

    Returns a string starting with the verdict word: "great", "ok", "uncomfortable" or "wrong".
    """
    rel_err = float(rel_err)
    if not np.isfinite(rel_err):
        return "wrong: the relative error is not finite"
    for threshold, verdict in GRAD_CHECK_THRESHOLDS:
        if rel_err < threshold:
            return verdict
    return GRAD_CHECK_THRESHOLDS[-1][1]
