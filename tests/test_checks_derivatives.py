"""Mutation tests of the chapter 1 checkers: the reference solutions pass, typical wrong answers
are rejected with a message naming the mistake, stubs are "not yet solved", garbage never raises.
"""

import numpy as np
import pytest

from gdcore.checks import derivatives as checks

EPS = np.finfo(float).eps


# --- reference solutions (as in chapters/01_derivatives.ipynb) ------------------------------

def central_difference(f, x, h):
    return (f(x + h) - f(x - h)) / (2 * h)


def numerical_gradient(f, x, h):
    grad = np.zeros_like(x, dtype=float)
    for i in range(x.size):
        e = np.zeros_like(x, dtype=float)
        e[i] = h
        grad[i] = (f(x + e) - f(x - e)) / (2 * h)
    return grad


def curvature_along(A, u):
    u = u / np.linalg.norm(u)
    return u @ A @ u


def optimal_step(f_x, fpp_x):
    return 2 * np.sqrt(EPS * abs(f_x) / abs(fpp_x))


def _gradient_with(step):
    """A numerical_gradient mutant: ``step(f, x, h, e)`` computes entry i from e = h eᵢ."""
    def mutant(f, x, h):
        grad = np.zeros_like(x, dtype=float)
        for i in range(x.size):
            e = np.zeros_like(x, dtype=float)
            e[i] = h
            grad[i] = step(f, x, h, e)
        return grad
    return mutant


def _aliasing_gradient(f, x, h):
    grad = np.zeros_like(x)
    for i in range(x.size):
        xp = x          # no copy: the caller's x moves
        xp[i] += h
        fp = f(xp)
        xp[i] -= 2 * h
        grad[i] = (fp - f(xp)) / (2 * h)
    return grad


def _shifted_gradient(f, x, h):
    return np.roll(numerical_gradient(f, x, h), 1)


def _no_return(f, x, h):
    grad = numerical_gradient(f, x, h)  # noqa: F841 — computed, never returned


def _stub(*args):
    raise NotImplementedError


CASES = {
    "central": (checks.check_central_difference, central_difference, [
        (lambda f, x, h: (f(x - h) - f(x + h)) / (2 * h), "sign"),
        (lambda f, x, h: (f(x + h) - f(x - h)) / h, "factor 2"),
        (lambda f, x, h: (f(x + h) - f(x - h)) / 2 * h, "factor h²"),
        (lambda f, x, h: (f(x + h) - f(x)) / h, "first-order"),
        (lambda f, x, h: (f(x) - f(x - h)) / h, "backward difference"),
        (lambda f, x, h: (f(x + 1e-5) - f(x - 1e-5)) / 2e-5, "use its argument h"),
        (lambda f, x, h: np.mean((f(x + h) - f(x - h)) / (2 * h)), "shape"),
        (lambda f, x, h: (f(x + h / 2) - f(x - h / 2)) / h, "not (f(x + h) − f(x − h)) / (2h)"),
    ]),
    "gradient": (checks.check_numerical_gradient, numerical_gradient, [
        (_gradient_with(lambda f, x, h, e: (f(x - e) - f(x + e)) / (2 * h)), "sign"),
        (_gradient_with(lambda f, x, h, e: (f(x + e) - f(x - e)) / h), "factor 2"),
        (_gradient_with(lambda f, x, h, e: (f(x + e) - f(x)) / h), "first-order"),
        (_gradient_with(lambda f, x, h, e: (f(x + h) - f(x - h)) / (2 * h)), "all coordinates"),
        (_aliasing_gradient, "in place"),
        (_shifted_gradient, "off-by-one"),
        (_no_return, "forget `return`"),
        (lambda f, x, h: numerical_gradient(f, x, h)[:, None], "shape"),
    ]),
    "curvature": (checks.check_curvature_along, curvature_along, [
        (lambda A, u: u @ A @ u, "normalize"),
        (lambda A, u: 0.5 * curvature_along(A, u), "factor 2"),
        (lambda A, u: -curvature_along(A, u), "sign"),
        (lambda A, u: u @ A @ u / np.linalg.norm(u), "factor ‖u‖"),
        (lambda A, u: A @ (u / np.linalg.norm(u)), "shape"),
        (lambda A, u: np.linalg.eigvalsh(A)[-1], "does not depend on u"),
    ]),
    "optimal_step": (checks.check_optimal_step, optimal_step, [
        (lambda f, g: np.sqrt(EPS * abs(f) / abs(g)), "factor 2"),
        (lambda f, g: np.sqrt(2 * EPS * abs(f) / abs(g)), "factor √2"),
        (lambda f, g: 4 * EPS * abs(f) / abs(g), "square root"),
        (lambda f, g: 2 * np.sqrt(EPS * abs(g) / abs(f)), "upside down"),
        (lambda f, g: np.cbrt(3 * EPS * abs(f) / abs(g)), "∛ε"),
        (lambda f, g: 2 * np.sqrt(EPS * f / g), "|f(x)|"),
    ]),
}

MUTANTS = [(name, i, mutant, mistake) for name, (_, _, table) in CASES.items()
           for i, (mutant, mistake) in enumerate(table)]


@pytest.mark.parametrize("name", list(CASES))
def test_reference_solution_passes(name, capsys):
    check, solution, _ = CASES[name]
    assert check(solution) is True
    assert capsys.readouterr().out.startswith("✓")


@pytest.mark.parametrize(("name", "i", "mutant", "mistake"), MUTANTS,
                         ids=[f"{m[0]}-{m[1]}" for m in MUTANTS])
def test_mutant_rejected_with_its_mistake(name, i, mutant, mistake, capsys):
    check = CASES[name][0]
    assert check(mutant) is False
    out = capsys.readouterr().out
    assert out.startswith("✗"), out
    assert mistake in out, out
    assert out.count("\n") == 1


@pytest.mark.parametrize("name", list(CASES))
@pytest.mark.parametrize("stub", [_stub, ..., None], ids=["raises", "ellipsis", "none"])
def test_stub_is_not_yet_solved(name, stub, capsys):
    check = CASES[name][0]
    assert check(stub) is False
    assert capsys.readouterr().out.startswith("…")


GARBAGE = [
    "central_difference",
    42,
    lambda *args: "a string",
    lambda *args: np.nan,
    lambda *args: np.full(7, np.nan),
    lambda *args: None,
    lambda *args: [1, "two"],
    lambda *args: 1 / 0,
    lambda *args: {"a": 1},
]


@pytest.mark.parametrize("name", list(CASES))
@pytest.mark.parametrize("garbage", GARBAGE, ids=[str(i) for i in range(len(GARBAGE))])
def test_garbage_is_rejected_without_raising(name, garbage, capsys):
    check = CASES[name][0]
    assert check(garbage) is False
    out = capsys.readouterr().out
    assert out[0] in "✗…" and out.count("\n") == 1
