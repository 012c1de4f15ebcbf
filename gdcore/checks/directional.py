r"""Checkers for the exercises of chapter 2 (directional derivatives and the gradient).

Each ``check_<name>(answer)`` calls the student's function on seeded random problems (random
quadratics in several dimensions and Himmelblau's function), compares it with the closed forms
of the chapter and prints one verdict line (``_core.run_checks``). The closed forms stay in the
chapter: these docstrings say what each answer returns, not how to compute it.
"""

import numpy as np

from .. import functions
from ..i18n import _
from ._core import NotSolved, Wrong, call_safely, expect_array, expect_number, run_checks

__all__ = [
    "check_steepest_descent_direction", "check_zero_directions",
    "check_directional_derivative", "check_step_off_by",
]


def _cases(seed, dims=(2, 3, 5)):
    """Seeded test problems: random quadratics in several dimensions and Himmelblau (2-D), each
    with a random point where the gradient is far from zero."""
    rng = np.random.default_rng(seed)
    cases = []
    for d in dims:
        M = rng.normal(size=(d, d))
        problem = functions.quadratic(M @ M.T + 0.5 * np.eye(d), b=rng.normal(size=d))
        cases.append((problem, rng.normal(size=d) * 2))
    himmelblau = functions.himmelblau()
    for _k in range(2):
        x = rng.uniform(-4, 4, size=2)
        while np.linalg.norm(himmelblau.grad(x)) < 5:
            x = rng.uniform(-4, 4, size=2)
        cases.append((himmelblau, x))
    return cases


def _returned(value):
    """The student's return value; ``None`` almost always means a missing ``return``."""
    if value is None:
        raise Wrong(_("your function returned None — did you forget `return`?"))
    return value


def _check_stub(answer):
    """A placeholder answer (``...`` or ``None``) is 'not yet solved', not wrong."""
    if answer is Ellipsis or answer is None:
        raise NotSolved(_("write the function in the solution cell"))


def check_steepest_descent_direction(answer=None) -> bool:
    """``answer(grad, x)`` must return the unit vector u along which f decreases fastest at x."""

    def check():
        _check_stub(answer)
        for problem, x in _cases(seed=21):
            g = problem.grad(x)
            g_norm = np.linalg.norm(g)
            u = expect_array(_returned(call_safely(answer, problem.grad, x.copy())), (x.size,),
                             what=_("your direction"))
            norm = np.linalg.norm(u)
            if norm == 0:
                raise Wrong(_("your direction is the zero vector: it has no direction"))
            cos = float(u @ g) / (norm * g_norm)
            if cos > 1 - 1e-8:
                raise Wrong(_("wrong sign: that is the ascent direction "
                              "(D_u f = +‖∇f‖); descend along −∇f"))
            if cos > -1 + 1e-8:
                raise Wrong(_("not the steepest descent direction: along yours D_u f = "
                              "{slope:.4g}, along −∇f/‖∇f‖ it is −‖∇f‖ = {best:.4g} "
                              "(yours is {angle:.1f}° away from −∇f)").format(
                                  slope=g_norm * cos, best=-g_norm,
                                  angle=np.degrees(np.arccos(-cos))))
            if abs(norm - 1) > 1e-8:
                raise Wrong(_("not a unit vector: ‖u‖ = {norm:.4g} "
                              "(divide −∇f by ‖∇f‖ = {g_norm:.4g})").format(
                                  norm=norm, g_norm=g_norm))

    return run_checks("check_steepest_descent_direction", check)


def check_zero_directions(answer=None) -> bool:
    """``answer(grad, x)`` (2-D) must return the two unit vectors with D_u f(x) = 0, shape
    (2, 2), one per row."""

    def check():
        _check_stub(answer)
        for problem, x in _cases(seed=22, dims=(2, 2)):
            g = problem.grad(x)
            g_unit = g / np.linalg.norm(g)
            value = _returned(call_safely(answer, problem.grad, x.copy()))
            U = expect_array(value, (2, 2), what=_("your directions"))
            norms = np.linalg.norm(U, axis=1)
            if np.any(norms == 0):
                raise Wrong(_("a row is the zero vector: it has no direction"))
            cosines = (U @ g_unit) / norms
            for i in range(2):
                if abs(cosines[i]) > 1e-8:
                    kind = (_("it is the steepest ascent direction") if cosines[i] > 1 - 1e-8 else
                            _("it is the steepest descent direction") if cosines[i] < -1 + 1e-8
                            else f"D_u f = {np.linalg.norm(g) * cosines[i]:.4g}")
                    raise Wrong(_("row {i} is not perpendicular to ∇f ({kind}): its directional "
                                  "derivative must be 0").format(i=i, kind=kind))
            for i in range(2):
                if abs(norms[i] - 1) > 1e-8:
                    raise Wrong(_("row {i} is not a unit vector: ‖u‖ = {norm:.4g}").format(
                        i=i, norm=norms[i]))
            if U[0] @ U[1] > 0:
                raise Wrong(_("the two rows are the same direction; the "
                              "other zero direction is its opposite, −u"))

    return run_checks("check_zero_directions", check)


def _ratio_message(ratio, norm_u):
    """Name the mistake behind answer/expected = ``ratio`` for a direction with ‖v‖ = norm_u;
    None when it is none of the known ones."""
    if np.isclose(ratio, -1, rtol=1e-3):
        return _("wrong sign: compare f(x + h u) − f(x), in that order, divided by +h")
    if np.isclose(ratio, norm_u, rtol=1e-3):
        return (_("not normalised: your value is ‖u‖ = {norm_u:.3f} times too large (off "
                  "by a factor ‖u‖) — divide u by np.linalg.norm(u) first").format(norm_u=norm_u))
    if np.isclose(ratio, 1 / norm_u, rtol=1e-3):
        return _("off by a factor 1/‖u‖ = {inverse:.3f}: u was divided by its norm "
                 "twice").format(inverse=1 / norm_u)
    if np.isclose(ratio, norm_u**2, rtol=1e-3):
        return _("off by a factor ‖u‖² = {square:.3f}: normalise u, and divide by h "
                 "only").format(square=norm_u**2)
    if np.isclose(ratio, 2, rtol=1e-3) or np.isclose(ratio, 0.5, rtol=1e-3):
        return (_("off by a factor {ratio:.3g}: a central difference "
                  "divides by 2h, a forward difference by h").format(ratio=ratio))
    return None


def check_directional_derivative(answer=None) -> bool:
    """``answer(f, x, u)`` must return D_{u/‖u‖} f(x) (a float) for any nonzero u, from the
    limit definition; accepted to a relative error of 1e-4."""

    def check():
        _check_stub(answer)
        rng = np.random.default_rng(23)
        for problem, x in _cases(seed=23):
            g = problem.grad(x)
            u = rng.normal(size=x.size)
            while abs(g @ u) < 0.3 * np.linalg.norm(g) * np.linalg.norm(u):  # D_u f not ≈ 0
                u = rng.normal(size=x.size)
            u *= rng.uniform(1.5, 3.0) / np.linalg.norm(u)  # deliberately not a unit vector
            expected = float(g @ u) / np.linalg.norm(u)
            value = _returned(call_safely(answer, problem.f, x.copy(), u.copy()))
            if np.ndim(value) > 0 and np.size(value) != 1:
                raise Wrong(_("shape {shape} where a single number () was expected: "
                              "D_u f(x) is a scalar, not the gradient vector").format(
                                  shape=np.shape(value)))
            got = expect_number(value, what=_("your directional derivative"))
            if not np.isclose(got, expected, rtol=1e-4, atol=1e-7):
                ratio = got / expected
                message = _ratio_message(ratio, float(np.linalg.norm(u)))
                if message is None and abs(ratio - 1) < 0.05:
                    message = (_("not accurate enough: relative error "
                                 "{error:.1e} (wanted < 1e-4) — take h smaller, "
                                 "about 1e-5, and use a central difference").format(
                                     error=abs(ratio - 1)))
                elif message is None:
                    message = _("off by a factor {ratio:.4g}").format(ratio=ratio)
                raise Wrong(_("{message} (got {got:.6g}, expected {expected:.6g})").format(
                    message=message, got=got, expected=expected))

    return run_checks("check_directional_derivative", check)


def _relative_model_error(problem, x, u, slope, t):
    """ε(t) = |f(x + t u) − f(x) − t D_u f| / |t D_u f| for an array of t > 0."""
    t = np.asarray(t, dtype=float)
    change = problem.f(x + t[..., None] * u) - problem.f(x)
    return np.abs(change - t * slope) / np.abs(t * slope)


def _reference_step_off_by(problem, x, u, rel=0.1):
    # The answer by a fine scan from t = 0, then bisection (private: it solves the exercise).
    slope = float(problem.grad(x) @ u)
    t = np.linspace(1e-9, 10.0, 200_001)
    above = _relative_model_error(problem, x, u, slope, t) >= rel
    if not np.any(above):
        return np.inf
    i = int(np.argmax(above))
    lo, hi = (t[i - 1], t[i]) if i > 0 else (0.0, t[0])
    for _k in range(60):
        mid = 0.5 * (lo + hi)
        if _relative_model_error(problem, x, u, slope, mid) >= rel:
            hi = mid
        else:
            lo = mid
    return hi


def _step_cases():
    """Quadratics (where t = 2 rel |D_u f| / |uᵀAu| exactly) and Himmelblau (where that second-
    order estimate is only approximate), each with a unit direction u."""
    rng = np.random.default_rng(24)
    cases = []
    for problem, x in _cases(seed=24, dims=(2, 3)):
        u = rng.normal(size=x.size)
        u /= np.linalg.norm(u)
        g = problem.grad(x)
        if abs(g @ u) < 0.3 * np.linalg.norm(g):  # keep D_u f well away from 0
            u = -g / np.linalg.norm(g) + 0.3 * u
            u /= np.linalg.norm(u)
        cases.append((problem, x, u, float(rng.choice([0.05, 0.1, 0.2]))))
    return cases


def check_step_off_by(answer=None) -> bool:
    """``answer(f, grad, x, u, rel)`` must return the smallest t > 0 at which the linear model
    f(x) + t D_u f is off by the fraction ``rel`` of its predicted change; accepted to 1 %."""

    def check():
        _check_stub(answer)
        for problem, x, u, rel in _step_cases():
            expected = _reference_step_off_by(problem, x, u, rel)
            value = call_safely(answer, problem.f, problem.grad, x.copy(), u.copy(), rel)
            got = expect_number(_returned(value), what=_("your step"))
            if got <= 0:
                raise Wrong(_("your step is {got:.4g}; a step size along u is positive").format(
                    got=got))
            if abs(got / expected - 1) <= 0.01:
                continue
            slope = float(problem.grad(x) @ u)
            curvature = float(u @ problem.hess(x) @ u)
            estimate = 2 * rel * abs(slope) / abs(curvature)
            ratio = got / expected
            where = _("(got {got:.5g}, expected {expected:.5g}, rel = {rel:g}, f = {name})").format(
                got=got, expected=expected, rel=rel, name=problem.name)
            if np.isclose(got, estimate, rtol=1e-3):
                raise Wrong(_("this is the second-order estimate 2·rel·|D_u f|/|uᵀHu|, "
                              "not the measured step: beyond a quadratic the two differ "
                              "— measure ε(t) on the true f {where}").format(where=where))
            if np.isclose(ratio, 0.5, rtol=0.01):
                raise Wrong(_("off by a factor 1/2: did you drop the ½ of "
                              "the Taylor term ½ t² uᵀHu? {where}").format(where=where))
            if np.isclose(ratio, 2, rtol=0.01):
                raise Wrong(_("off by a factor 2: the error ½ t² uᵀHu already has its "
                              "½ {where}").format(where=where))
            if abs(ratio - 1) < 0.1:
                raise Wrong(_("not accurate enough: off by {percent:.1f} % (wanted ≤ "
                              "1 %) — refine your scan or bisect {where}").format(
                                  percent=100 * abs(ratio - 1), where=where))
            raise Wrong(_("off by a factor {ratio:.3g}: the error must be compared with rel·|t "
                          "D_u f|, the change the linear model predicts {where}").format(
                              ratio=ratio, where=where))

    return run_checks("check_step_off_by", check)
