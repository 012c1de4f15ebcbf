"""Every checker of every chapter, whatever it is given, answers with one verdict line and a bool.

The mutation tables (tests/test_checks_<topic>.py) test what each checker recognises; this table
tests the promise they all share: a student never sees a traceback from a checker.
"""

import inspect

import numpy as np
import pytest

import gdcore as gd
from gdcore.checks import _core

TOPICS = ("derivatives", "directional", "descent", "backprop", "zoo")
CHECKERS = [
    (f"{topic}.{name}", fn)
    for topic in TOPICS
    for name, fn in inspect.getmembers(getattr(gd.checks, topic), inspect.isfunction)
    if name.startswith("check_") and fn.__module__ == f"gdcore.checks.{topic}"
]


def _raises(*args, **kwargs):
    raise ZeroDivisionError("student bug")


def _stub(*args, **kwargs):
    raise NotImplementedError


GARBAGE = {
    "nothing": (),
    "None": (None,),
    "ellipsis": (...,),
    "a string": ("an answer",),
    "a number": (3.0,),
    "NaN": (np.nan,),
    "an array of NaN": (np.full((3, 2), np.nan),),
    "a list": ([1, 2, 3],),
    "a raising function": (_raises,),
    "a stub function": (_stub,),
    "a function returning None": (lambda *a, **k: None,),
    "a function returning NaN": (lambda *a, **k: np.nan,),
}


def test_every_chapter_has_checkers():
    topics = {name.split(".")[0] for name, _ in CHECKERS}
    assert topics == set(TOPICS) and len(CHECKERS) >= 4 * len(TOPICS)


@pytest.mark.parametrize("kind", GARBAGE)
@pytest.mark.parametrize("name, check", CHECKERS, ids=[n for n, _ in CHECKERS])
def test_checker_never_raises_at_the_student(name, check, kind, capsys):
    ok = check(*GARBAGE[kind])
    lines = capsys.readouterr().out.strip().splitlines()
    assert ok is False
    assert len(lines) == 1 and lines[0][:2] in ("✗ ", "… "), lines
    assert "Traceback" not in lines[0]


@pytest.mark.parametrize("kind", ["nothing", "None", "ellipsis", "a stub function"])
@pytest.mark.parametrize("name, check", CHECKERS, ids=[n for n, _ in CHECKERS])
def test_missing_answers_are_not_yet_solved(name, check, kind, capsys):
    assert check(*GARBAGE[kind]) is False
    assert capsys.readouterr().out.startswith("… "), f"{name} with {kind}"


def test_report_formats_the_three_verdicts(capsys):
    assert _core.report("check_x", True) is True
    assert _core.report("check_x", False, "wrong sign") is False
    assert _core.report("check_x", False, "TODO", solved=False) is False
    assert capsys.readouterr().out.splitlines() == [
        "✓ check_x: correct", "✗ check_x: wrong sign", "… check_x: not yet solved — TODO"]
