"""What every homework checker shares: one-line verdicts and safe calls into student code.

A checker never lets a traceback reach the student. It prints exactly one line,

    ✓ check_name: correct
    ✗ check_name: <what is wrong, naming the mistake class>
    … check_name: not yet solved — <hint>

and returns True only for the first. ``tools/grade.py`` reads these lines to score a notebook.
"""

import numpy as np

from ..i18n import N_, _

__all__ = [
    "NotSolved", "Wrong", "report", "is_stub", "require_function", "call_safely", "expect_array",
    "expect_number", "run_checks", "BudgetExceeded", "call_on_budget",
]


class NotSolved(Exception):
    """The answer is still the stub of the student edition."""


class Wrong(Exception):
    """The answer is wrong; the message says how."""


class BudgetExceeded(Exception):
    """Raised by a checker's counting oracle (a gradient, say) once the answer has used the
    calls the exercise allows; ``call_on_budget`` turns it into a verdict."""


def report(name: str, ok: bool, message: str = "", *, solved: bool = True) -> bool:
    """Print the one-line verdict for checker ``name`` and return ``ok``."""
    if ok:
        print(f"✓ {name}: {_('correct')}")
    elif not solved:
        print(f"… {name}: {_('not yet solved')} — {message}")
    else:
        print(f"✗ {name}: {message}")
    return bool(ok)


def is_stub(answer) -> bool:
    """True for the placeholders of the student edition: ``...`` or ``None``."""
    return answer is Ellipsis or answer is None


def require_function(answer, what: str, not_solved: str,
                     wrong: str = N_("expected a function {what}, got {type}")):
    """``answer`` itself if it is a function; NotSolved(not_solved) for a stub, and Wrong(wrong)
    for anything else (``what`` names the function the exercise asks for; ``wrong`` is a
    template with ``{what}`` and ``{type}``, looked up in the reader's language)."""
    if is_stub(answer):
        raise NotSolved(not_solved)
    if not callable(answer):
        raise Wrong(_(wrong).format(what=what, type=type(answer).__name__))
    return answer


def call_safely(fn, *args, **kwargs):
    """Call student code; NotImplementedError → NotSolved, any other exception → Wrong."""
    if is_stub(fn):
        raise NotSolved(_("no answer yet: pass your function to the checker"))
    if not callable(fn):
        raise Wrong(_("expected a function, got {type}").format(type=type(fn).__name__))
    try:
        with np.errstate(all="ignore"):
            return fn(*args, **kwargs)
    except BudgetExceeded:
        raise  # the checker's own signal, not a failure of the student's code
    except NotImplementedError as exc:
        raise NotSolved(_("replace `raise NotImplementedError` with your code")) from exc
    except Exception as exc:  # noqa: BLE001 — any failure of student code becomes a verdict
        raise Wrong(_("your code raised {type}: {exc}").format(type=type(exc).__name__,
                                                            exc=exc)) from exc


def call_on_budget(fn, *args, over_budget: str):
    """``call_safely(fn, *args)`` for an answer handed a counting oracle: running out of calls
    is Wrong(over_budget), the message that says why the budget suffices."""
    try:
        return call_safely(fn, *args)
    except BudgetExceeded:
        raise Wrong(over_budget) from None


def expect_array(value, shape=None, *, what=None) -> np.ndarray:
    """``value`` as a float array with the expected ``shape`` and finite entries, or Wrong."""
    what = _("your answer") if what is None else what
    if is_stub(value):
        raise NotSolved(_("{what} is still a placeholder").format(what=what))
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError) as exc:
        raise Wrong(_("{what} must be numeric, got {type}").format(
            what=what, type=type(value).__name__)) from exc
    if shape is not None and arr.shape != tuple(shape):
        raise Wrong(_("shape {got} where {want} was expected").format(got=arr.shape,
                                                                        want=tuple(shape)))
    if not np.all(np.isfinite(arr)):
        raise Wrong(_("{what} contains NaN or inf").format(what=what))
    return arr


def expect_number(value, *, what=None) -> float:
    """``value`` as a finite float (a 0-d or size-1 array is accepted), or Wrong."""
    what = _("your answer") if what is None else what
    if is_stub(value):
        raise NotSolved(_("{what} is still a placeholder").format(what=what))
    if isinstance(value, bool) or not isinstance(value, (int, float, np.number, np.ndarray)):
        raise Wrong(_("{what} must be a number, got {type}").format(what=what,
                                                                    type=type(value).__name__))
    arr = np.asarray(value, dtype=float)
    if arr.size != 1:
        raise Wrong(_("{what} must be a single number, got shape {shape}").format(
            what=what, shape=arr.shape))
    x = float(arr.reshape(()))
    if not np.isfinite(x):
        raise Wrong(_("{what} is NaN or inf").format(what=what))
    return x


def run_checks(name: str, check) -> bool:
    """Run ``check()`` (which raises NotSolved/Wrong or returns) and print the verdict.

    Every checker is written as ``def check_x(answer): return run_checks("check_x", lambda: ...)``
    so that the verdict format and the no-traceback guarantee live in one place.
    """
    try:
        check()
    except NotSolved as exc:
        return report(name, False, str(exc), solved=False)
    except Wrong as exc:
        return report(name, False, str(exc))
    except Exception as exc:  # noqa: BLE001 — a checker bug must not surface as a traceback
        return report(name, False, _("could not check this answer ({type}: {exc})").format(
            type=type(exc).__name__, exc=exc))
    return report(name, True)
