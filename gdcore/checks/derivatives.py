r"""Checkers for the exercises of chapter 1 (derivatives and numerical differentiation).

Each ``check_<name>(answer)`` runs the answer on seeded random inputs, compares it with a closed
form or with ``gdcore.numdiff``, and names the mistake when it recognises one (wrong sign, a
factor 2, first-order error, a shape, an unnormalized direction, …). See ``_core`` for the
verdict format; no checker lets an exception reach the student.
"""

import numpy as np

from .. import numdiff
from ..i18n import _
from ._core import (
    NotSolved,
    Wrong,
    call_safely,
    expect_array,
    expect_number,
    require_function,
    run_checks,
)

__all__ = [
    "check_central_difference", "check_numerical_gradient", "check_curvature_along",
    "check_optimal_step",
]

EPS = np.finfo(float).eps


def _rng():
    # One fixed seed: the same answer always gets the same verdict.
    return np.random.default_rng(20260101)


def _require_function(answer, name):
    require_function(answer, name, _("define {name} and run its cell").format(name=name))


def _call(answer, *args):
    """call_safely, plus: a function that returns None forgot its ``return``."""
    value = call_safely(answer, *args)
    if value is None:
        raise Wrong(_("your function returned None: did you forget `return`?"))
    if value is Ellipsis:
        raise NotSolved(_("your function returns a placeholder `...`"))
    return value


def _scale(value, exact):
    """The c with value ≈ c·exact (least squares), or None when no single factor fits."""
    value, exact = np.ravel(value), np.ravel(exact)
    c = float(value @ exact / (exact @ exact))
    fits = np.linalg.norm(value - c * exact) <= 0.02 * np.linalg.norm(c * exact) + 1e-300
    return c if fits else None


def _factor_mistake(c, hints=None):
    """A message for value ≈ c·exact with c ≠ 1, or None when c ≈ 1."""
    hints = hints or {}
    known = [(-1.0, _("wrong sign")), (2.0, _("off by a factor 2 (too large)")),
             (0.5, _("off by a factor 2 (too small)"))]
    if abs(c - 1) < 0.02:
        return None
    for target, mistake in known:
        if abs(c - target) < 0.02 * abs(target):
            return f"{mistake}: {hints[target]}" if target in hints else mistake
    return _("off by a factor {c:.3g}").format(c=c)


# --- exercise: central difference -----------------------------------------------------------

def _order(answer, f, df, x, h):
    """Empirical order p of the error of answer(f, x, ·) from steps h and h/2 (error ∝ h^p)."""
    e1 = np.max(np.abs(expect_array(_call(answer, f, x.copy(), h), x.shape) - df(x)))
    e2 = np.max(np.abs(expect_array(_call(answer, f, x.copy(), h / 2), x.shape) - df(x)))
    if e2 == 0 or e1 == 0:
        return np.inf
    return float(np.log2(e1 / e2))


def _check_central_difference(answer):
    _require_function(answer, "central_difference(f, x, h)")
    rng = _rng()
    x = rng.uniform(-2.0, 2.0, size=5)
    h = 1e-3
    value = expect_array(_call(answer, np.exp, x.copy(), h), x.shape,
                         what="central_difference(np.exp, x, h)")
    c = _scale(value, np.exp(x))
    if c is not None and abs(c - h**2) < 0.05 * h**2:
        raise Wrong(_("off by a factor h²: `/ 2*h` divides by 2 and "
                      "then multiplies by h; write `/ (2*h)`"))
    mistake = _factor_mistake(c, {-1.0: _("compute f(x + h) − f(x − h), not f(x − h) − f(x + h)"),
                                  2.0: _("the two points are 2h apart, so divide by 2h, not h"),
                                  0.5: _("divide by 2h, not 4h")}) if c is not None else None
    if mistake:
        raise Wrong(mistake)
    if not np.allclose(value, np.exp(x), rtol=1e-3):
        raise Wrong(_("does not approximate f'(x): for f = exp at x = {x0:.3f}, got "
                      "{got:.6g} where about {want:.6g} was expected").format(
                          x0=x[0], got=value[0], want=np.exp(x[0])))
    p = _order(answer, np.exp, np.exp, x, 1e-2)
    if abs(p) < 0.2:
        raise Wrong(_("halving h did not change the error: does your function use its argument h?"))
    if p < 1.5:
        raise Wrong(_("first-order error (halving h halves the error): did you use the forward or "
                      "backward difference? The central difference uses f(x + h) and f(x − h)"))
    for f in (np.sin, np.exp, lambda t: t**3 - 2 * t):
        h = float(10.0 ** rng.uniform(-4, -2))
        got = expect_array(_call(answer, f, x.copy(), h), x.shape)
        want = numdiff.central_difference(f, x, h)
        if not np.allclose(got, want, rtol=1e-8, atol=1e-10):
            raise Wrong(_("second-order accurate, but not (f(x + h) − f(x − h)) / (2h) with "
                          "the given h: for h = {h:.2e} it differs by {diff:.1e}").format(
                              h=h, diff=np.max(np.abs(got - want))))
    scalar = _call(answer, np.sin, 0.5, 1e-4)
    got = expect_number(scalar, what="central_difference(np.sin, 0.5, 1e-4)")
    if abs(got - np.cos(0.5)) > 1e-7:
        raise Wrong(_("wrong for a scalar x: got {got:.8f} at x "
                      "= 0.5, expected about {want:.8f}").format(got=got, want=np.cos(0.5)))


def check_central_difference(answer=None) -> bool:
    """Exercise ex-derivatives-central: ``central_difference(f, x, h)``, vectorized over x."""
    return run_checks("check_central_difference", lambda: _check_central_difference(answer))


# --- exercise: numerical gradient -----------------------------------------------------------

def _test_function(rng, d):
    """f(x) = ½xᵀAx − bᵀx + Σ sin(xᵢ) with random symmetric A, and its gradient."""
    M = rng.normal(size=(d, d))
    A = M + M.T
    b = rng.normal(size=d)

    def f(x):
        return 0.5 * np.einsum("...i,ij,...j->...", x, A, x) - x @ b + np.sum(np.sin(x), -1)

    def grad(x):
        return x @ A - b + np.cos(x)

    return f, grad


def _check_numerical_gradient(answer):
    _require_function(answer, "numerical_gradient(f, x, h)")
    rng = _rng()
    for d in (3, 5, 2):
        f, grad = _test_function(rng, d)
        x = rng.uniform(-1.5, 1.5, size=d)
        x_before = x.copy()
        h = 1e-4
        value = _call(answer, f, x, h)
        if not np.array_equal(x, x_before):
            raise Wrong(_("your function changed x in place: perturb a copy "
                          "(x.copy()), otherwise the caller's point moves"))
        value = expect_array(value, (d,), what=_(
            "numerical_gradient(f, x, h) for x of shape {shape}").format(shape=(d,)))
        exact = grad(x)
        if np.ptp(value) < 1e-6 * np.max(np.abs(exact)) and np.ptp(exact) > 1e-3:
            raise Wrong(_("every entry is the same number ∇f·(1, …, 1): did you perturb all "
                          "coordinates at once? ∂f/∂xᵢ moves only xᵢ, to x + h eᵢ"))
        for k in range(1, d):
            if np.allclose(value, np.roll(exact, k), rtol=1e-3, atol=1e-6):
                raise Wrong(_("the entries are shifted (off-by-one in the coordinate "
                              "index?): entry i must use the unit vector eᵢ"))
        c = _scale(value, exact)
        mistake = _factor_mistake(c, {-1.0: _("f(x + h eᵢ) − f(x − h eᵢ), in that order"),
                                      2.0: _("the two points are 2h apart: divide by 2h"),
                                      0.5: _("divide by 2h, not 4h")}) if c is not None else None
        if mistake:
            raise Wrong(mistake)
        if not np.allclose(value, exact, rtol=1e-3, atol=1e-5):
            i = int(np.argmax(np.abs(value - exact)))
            raise Wrong(_("entry {i} is {got:.6g} where ∂f/∂x_{i} ≈ {want:.6g}").format(
                i=i, got=value[i], want=exact[i]))
        want = numdiff.numerical_gradient(f, x, h)
        if not np.allclose(value, want, rtol=1e-8, atol=1e-8):
            coarse = expect_array(_call(answer, f, x.copy(), 1e-2), (d,))
            finer = expect_array(_call(answer, f, x.copy(), 5e-3), (d,))
            ratio = np.max(np.abs(coarse - exact)) / max(np.max(np.abs(finer - exact)), 1e-300)
            if ratio < 3.0:
                raise Wrong(_("first-order error (halving h halves the error): did you use the "
                              "forward difference? Use (f(x + h eᵢ) − f(x − h eᵢ)) / (2h)"))
            raise Wrong(_("close to ∇f but not the central difference "
                          "with the given h: differs by {diff:.1e}").format(
                              diff=np.max(np.abs(value - want))))


def check_numerical_gradient(answer=None) -> bool:
    """Exercise ex-derivatives-gradient: ``numerical_gradient(f, x, h)`` for x of shape (d,)."""
    return run_checks("check_numerical_gradient", lambda: _check_numerical_gradient(answer))


# --- exercise: curvature along a direction --------------------------------------------------

def _check_curvature_along(answer):
    _require_function(answer, "curvature_along(A, u)")
    rng = _rng()
    for d in (2, 3, 4):
        M = rng.normal(size=(d, d))
        A = M + M.T + d * np.eye(d)
        values, expected, norms = [], [], []
        for _trial in range(3):
            u = rng.normal(size=d)
            u *= rng.uniform(2.0, 4.0) / np.linalg.norm(u)  # never unit length: see the hints
            raw = _call(answer, A.copy(), u.copy())
            shape = np.shape(raw)
            if shape not in ((), (1,), (1, 1)):
                hint = _(": A @ u is a vector; the curvature is the number uᵀAu/‖u‖²") \
                    if shape == (d,) else ""
                raise Wrong(_("shape {shape} where () was expected{hint}").format(
                    shape=shape, hint=hint))
            values.append(expect_number(raw, what="curvature_along(A, u)"))
            expected.append(u @ A @ u / (u @ u))
            norms.append(float(np.linalg.norm(u)))
        values, expected, norms = map(np.array, (values, expected, norms))
        if np.ptp(values) < 1e-9 * (1 + np.max(np.abs(values))) and np.ptp(expected) > 1e-3:
            raise Wrong(_("your answer does not depend on u: the "
                          "curvature along u is (u/‖u‖)ᵀ A (u/‖u‖)"))
        if np.allclose(values, expected * norms**2, rtol=1e-6):
            raise Wrong(_("your answer grows with ‖u‖²: did you normalize u? The "
                          "curvature along a direction uses the unit vector u/‖u‖"))
        if np.allclose(values, expected * norms, rtol=1e-6):
            raise Wrong(_("off by a factor ‖u‖: divide uᵀAu by ‖u‖² "
                          "(normalize both u's), not by ‖u‖"))
        c = _scale(values, expected)
        mistake = _factor_mistake(c, {0.5: _("the ½ of f(x) = ½xᵀAx cancels "
                                             "when you differentiate twice"),
                                      2.0: _("the second derivative of ½xᵀAx "
                                             "along u is uᵀAu, with no extra 2")}) \
            if c is not None else None
        if mistake:
            raise Wrong(mistake)
        if not np.allclose(values, expected, rtol=1e-8, atol=1e-10):
            raise Wrong(_("for a {d}×{d} A got {got:.6g} where {want:.6g} was expected").format(
                d=d, got=values[0], want=expected[0]))


def check_curvature_along(answer=None) -> bool:
    """Exercise ex-derivatives-curvature: ``curvature_along(A, u)``, a number for any nonzero u."""
    return run_checks("check_curvature_along", lambda: _check_curvature_along(answer))


def _is_nan(value):
    try:
        return bool(np.all(np.isnan(np.asarray(value, dtype=float))))
    except (TypeError, ValueError):
        return False


# --- exercise: optimal step of the forward difference ---------------------------------------

def _check_optimal_step(answer):
    _require_function(answer, "optimal_step(f_x, fpp_x)")
    rng = _rng()
    f_x = rng.uniform(0.2, 5.0, size=6) * rng.choice([-1.0, 1.0], size=6)
    fpp_x = rng.uniform(0.2, 5.0, size=6) * rng.choice([-1.0, 1.0], size=6)
    f_x[0], fpp_x[0] = 1.0, 1.0   # the first case is the textbook one, h* = 2√ε
    values = []
    for a, b in zip(f_x, fpp_x, strict=True):
        raw = _call(answer, float(a), float(b))
        try:
            values.append(expect_number(raw, what="optimal_step(f_x, fpp_x)"))
        except Wrong as exc:
            if (a < 0 or b < 0) and _is_nan(raw):
                raise Wrong(_("NaN for a negative f(x) or f''(x): the "
                              "error model uses |f(x)| and |f''(x)|")) from exc
            raise
    values = np.array(values)
    expected = 2.0 * np.sqrt(EPS * np.abs(f_x) / np.abs(fpp_x))
    if np.any(values <= 0):
        raise Wrong(_("a step h must be positive: use |f(x)| and |f''(x)| in the error model"))
    ratio = EPS * np.abs(f_x) / np.abs(fpp_x)
    if _scale(values, ratio) is not None:
        raise Wrong(_("did you forget the square root? Balancing h|f''|/2 "
                      "against 2ε|f|/h gives h² = 4ε|f|/|f''|, so h* ∝ √ε"))
    if _scale(values, np.sqrt(EPS**2 / ratio)) is not None:
        raise Wrong(_("the ratio is upside down: more curvature |f''| must give a smaller h*"))
    if _scale(values, np.cbrt(ratio)) is not None:
        raise Wrong(_("that scales like ∛ε, the rule of the central difference; the "
                      "forward difference balances h against ε/h, so h* ∝ √ε"))
    c = _scale(values, expected)
    if c is not None and abs(c * np.sqrt(2.0) - 1) < 0.02:
        raise Wrong(_("off by a factor √2: the round-off term of "
                      "the model is 2ε|f|/h, not ε|f|/h"))
    mistake = _factor_mistake(c, {0.5: _("h* = 2√(ε|f|/|f''|); did you drop the 2?"),
                                  2.0: _("h* = 2√(ε|f|/|f''|), not 4√(…)")}) \
        if c is not None else None
    if mistake:
        raise Wrong(mistake)
    if not np.allclose(values, expected, rtol=1e-6):
        raise Wrong(_("for f(x) = 1, f''(x) = 1 got h* = {got:.3e} "
                      "where 2√ε = {want:.3e} was expected").format(
                          got=values[0], want=expected[0]))


def check_optimal_step(answer=None) -> bool:
    """Exercise ex-derivatives-optimal-step: ``optimal_step(f_x, fpp_x)``, a step h > 0."""
    return run_checks("check_optimal_step", lambda: _check_optimal_step(answer))
