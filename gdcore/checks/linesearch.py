r"""Checkers for the exercises of the line-search and L-BFGS section (chapter 3, part 5).

- ``check_backtracking(fn)``: fn(f, grad, x, lr, c1, shrink) = the step size t that Armijo
  backtracking accepts along d = −∇f(x), starting from t = lr. The checker watches where fn
  evaluates f (the trial steps must be lr, lr·shrink, lr·shrink², … in that order) and tests the
  returned step against the sufficient-decrease condition and against the step before it.
"""

import numpy as np

from gdcore import functions
from gdcore import linesearch as _ls

from ..i18n import _
from ._core import NotSolved, Wrong, call_safely, expect_number, report

__all__ = ["check_backtracking"]


def _problems():
    rng = np.random.default_rng(20260317)
    Q, _r = np.linalg.qr(rng.normal(size=(3, 3)))
    quad = functions.quadratic(Q @ np.diag([0.5, 3.0, 40.0]) @ Q.T, rng.normal(size=3))
    rosen = functions.rosenbrock()
    # (problem, x, lr, c1, shrink): long and short shrink sequences, a small and a large c1.
    return [(quad, rng.normal(size=3), 1.0, 1e-4, 0.5),
            (quad, rng.normal(size=3), 5.0, 0.3, 0.7),
            (rosen, np.array([-1.2, 1.0]), 1.0, 1e-4, 0.5),
            (rosen, np.array([0.5, -0.3]), 0.1, 0.5, 0.25),
            (functions.himmelblau(), np.array([0.3, 0.2]), 2.0, 1e-3, 0.6)]


def _trial_steps(points, x, g):
    """The step t of every point x − t g at which f was evaluated (NaN: not on that ray)."""
    steps = []
    gg = g @ g
    for z in points:
        t = -((z - x) @ g) / gg
        on_ray = np.allclose(z, x - t * g, rtol=1e-12, atol=1e-14 * (1 + np.abs(x).max()))
        steps.append(t if on_ray else np.nan)
    return np.array(steps)


def check_backtracking(fn):
    """Check ``fn(f, grad, x, lr, c1, shrink)``, Armijo backtracking along −∇f(x)."""
    name = "check_backtracking"
    try:
        for problem, x, lr, c1, shrink in _problems():
            points = []

            def f(z, problem=problem, points=points):
                points.append(np.array(z, dtype=float))
                return problem.f(z)

            t = expect_number(call_safely(fn, f, problem.grad, x.copy(), lr, c1, shrink),
                              what=_("the returned step"))
            g = problem.grad(x)
            fx, gg = problem.f(x), g @ g
            expected = _ls.armijo(problem.f, problem.grad, x, lr=lr, c1=c1, shrink=shrink).step
            where = _("on {name} from x = {x} (lr = "
                      "{lr}, c1 = {c1}, shrink = {shrink})").format(
                          name=problem.name, x=np.round(x, 3).tolist(), lr=lr, c1=c1,
                          shrink=shrink)
            if t <= 0:
                raise Wrong(_("the step must be positive, got {t} {where}").format(
                    t=t, where=where))
            if not problem.f(x - t * g) <= fx - c1 * t * gg:
                simple = problem.f(x - t * g) < fx
                raise Wrong(_("t = {t:.4g} does not satisfy sufficient decrease "
                              "f(x − t∇f) ≤ f(x) − c₁ t ‖∇f‖² {where}").format(t=t, where=where)
                            + (_(": f decreased, but not by c₁ t ‖∇f‖²") if simple else ""))
            if abs(t - expected) > 1e-12 * expected:
                if t < expected:
                    raise Wrong(_("t = {t:.4g} is smaller than needed {where}: the larger "
                                  "step of the sequence, {expected:.4g}, already decreases f "
                                  "enough (stop at the first step that passes)").format(
                                      t=t, where=where, expected=expected))
                raise Wrong(_("t = {t:.4g} is not the first step of lr, "
                              "lr·shrink, lr·shrink², … that passes {where}").format(
                                  t=t, where=where))
            tried = _trial_steps(points, x, g)
            tried = tried[np.isfinite(tried) & (tried > 0)]
            sequence = lr * shrink ** np.arange(len(tried))
            if len(tried) == 0 or not np.allclose(tried, sequence, rtol=1e-12):
                raise Wrong(_("f was evaluated at steps {steps} {where}; backtracking "
                              "tries lr, lr·shrink, lr·shrink², … in that order").format(
                                  steps=np.round(tried, 6).tolist(), where=where))
            if len(tried) > round(np.log(expected / lr) / np.log(shrink)) + 1:
                raise Wrong(_("f was evaluated at {count} trial steps {where}: "
                              "stop at the first step that passes").format(
                                  count=len(tried), where=where))
    except NotSolved as exc:
        return report(name, False, str(exc), solved=False)
    except Wrong as exc:
        return report(name, False, str(exc))
    return report(name, True)
