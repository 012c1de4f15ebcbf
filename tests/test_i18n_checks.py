"""The checkers speak the reader's language: English by default, Chinese on request.

The catalogue ``gdcore/locale/zh_CN.po`` must hold a translation of every message template of
the code (found in the source with ``ast``, never by running it), keep each template's
placeholders, and hold nothing else; the English output must stay exactly what it was (the
English edition's committed outputs depend on it); ``translate_output`` must turn an English
verdict line into exactly the line the checker prints in Chinese.
"""

import ast
import os
import re
import string
import subprocess
import sys
from collections import Counter

import numpy as np
import pytest
from paths import ROOT

from gdcore import i18n
from gdcore.checks import _core, backprop, derivatives, descent, directional, zoo

PO = ROOT / "gdcore" / "locale" / "zh_CN.po"
SOURCES = [*sorted((ROOT / "gdcore").rglob("*.py")),
           *sorted((ROOT / "tools" / "grading").glob("*.py"))]
MARKERS = ("_", "gettext", "N_")
CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(autouse=True)
def default_language(monkeypatch):
    """Each test starts (and leaves) with no language set and GDCORE_LANG unset."""
    monkeypatch.delenv("GDCORE_LANG", raising=False)
    i18n.set_language(None)
    yield
    i18n.set_language(None)


def _marked_calls():
    """(file:line, argument node) of every ``_(…)``, ``gettext(…)``, ``N_(…)`` in the code."""
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                    and node.func.id in MARKERS and node.args:
                yield f"{path.relative_to(ROOT)}:{node.lineno}", node.args[0]


def templates() -> dict:
    return {arg.value: where for where, arg in _marked_calls()
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str)}


def catalogue(**options) -> dict:
    return i18n.read_po(PO.read_text(encoding="utf-8"), **options)


def _fields(text):
    return Counter((name, spec, conv) for _lit, name, spec, conv in string.Formatter().parse(text)
                   if name is not None)


# --- (1) the catalogue covers the code, and only the code ----------------------------------

def test_every_template_has_a_translation():
    found, table = templates(), catalogue()
    assert len(found) > 300  # the checkers' and the grader's messages
    missing = sorted(f"{where}: {t!r}" for t, where in found.items() if not table.get(t))
    assert not missing, f"untranslated (or fuzzy) in {PO.name}:\n" + "\n".join(missing)


def test_no_translation_is_orphaned_or_fuzzy():
    found = templates()
    everything = catalogue(fuzzy=True)
    assert not sorted(set(everything) - set(found)), "msgids no code uses any more"
    assert everything == catalogue(), "fuzzy entries are not used: translate and unmark them"


def test_only_templates_are_translated_never_formatted_text():
    """``_(f"…")`` or ``_("…".format(…))`` would look up a string no catalogue can hold."""
    bad = [where for where, arg in _marked_calls()
           if isinstance(arg, (ast.JoinedStr, ast.BinOp))
           or (isinstance(arg, ast.Call) and getattr(arg.func, "attr", "") == "format")]
    assert not bad


# --- (2) each translation keeps its template's placeholders and is Chinese ------------------

@pytest.mark.parametrize("msgid", sorted(templates()))
def test_translation_keeps_placeholders(msgid):
    msgstr = catalogue()[msgid]
    assert _fields(msgstr) == _fields(msgid)
    assert CHINESE.search(msgstr), msgstr
    # a formatted template must format: the same keywords fill both
    names = {name for name, _spec, _conv in _fields(msgid)}
    if names and all(n.isidentifier() for n in names):
        assert msgstr.format(**dict.fromkeys(names, 1.5)).count("1.5") \
            == msgid.format(**dict.fromkeys(names, 1.5)).count("1.5")


# --- the small .po reader -----------------------------------------------------------------

def test_po_reader_subset():
    text = ('# comment\nmsgid ""\nmsgstr "Language: zh_CN\\n"\n\n'
            '#: a.py\nmsgid "one"\nmsgstr "一"\n\n'
            '#, fuzzy\nmsgid "two"\nmsgstr "二"\n\n'
            'msgid ""\n"a \\"quoted\\" "\n"back\\\\slash\\nline"\nmsgstr ""\n"多行"\n"字符串"\n\n'
            'msgid "untranslated"\nmsgstr ""\n'
            '#, python-format\nmsgid "no blank line before"\nmsgstr "前无空行"\n')
    assert i18n.read_po(text) == {"one": "一", 'a "quoted" back\\slash\nline': "多行字符串",
                                  "no blank line before": "前无空行"}
    assert i18n.read_po(text, fuzzy=True)["two"] == "二"


def test_po_reader_agrees_with_babel():
    """A second reading of the real catalogue, by the reader tools/i18n.py uses."""
    pofile = pytest.importorskip("babel.messages.pofile")
    with PO.open("rb") as fh:
        babel = {m.id: m.string for m in pofile.read_po(fh) if m.id and not m.fuzzy}
    assert catalogue() == babel


# --- (3)–(4) the checkers' output in each language -------------------------------------------

def _stub(*args):
    raise NotImplementedError


def _forward(f, x, h):
    return (f(x + h) - f(x)) / h


# (checker, answer, English line): a stub, wrong answers naming their mistake, a crash, a right
# answer. The English lines are the ones the checkers printed before they were translated.
CASES = [
    (derivatives.check_central_difference, None,
     "… check_central_difference: not yet solved — define central_difference(f, x, h) and run "
     "its cell"),
    (derivatives.check_central_difference, _stub,
     "… check_central_difference: not yet solved — replace `raise NotImplementedError` with "
     "your code"),
    (derivatives.check_central_difference, _forward,
     "✗ check_central_difference: first-order error (halving h halves the error): did you use "
     "the forward or backward difference? The central difference uses f(x + h) and f(x − h)"),
    (derivatives.check_central_difference, lambda f, x, h: 1 / 0,
     "✗ check_central_difference: your code raised ZeroDivisionError: division by zero"),
    (derivatives.check_central_difference, lambda f, x, h: (f(x + h) - f(x - h)) / (2 * h),
     "✓ check_central_difference: correct"),
    (descent.check_max_stable_lr, lambda A: 1 / np.linalg.eigvalsh(A)[-1],
     "✗ check_max_stable_lr: off by a factor 2: 1/L is the fastest step in 1-D; the iteration "
     "x ← (1 − ηL)x still contracts up to η = 2/L"),
    (descent.check_max_stable_lr, lambda A: np.ones(2),
     "✗ check_max_stable_lr: the step you returned must be a single number, got shape (2,)"),
    (zoo.check_soft_threshold, None,
     "… check_soft_threshold: not yet solved — write the function soft_threshold(z, tau)"),
    (zoo.check_soft_threshold, lambda z, tau: np.maximum(np.abs(z) - tau, 0.0),
     "✗ check_soft_threshold: lost the sign: negative entries must stay negative (multiply by "
     "sign(z))"),
    (directional.check_steepest_descent_direction,
     lambda grad, x: grad(x) / np.linalg.norm(grad(x)),
     "✗ check_steepest_descent_direction: wrong sign: that is the ascent direction "
     "(D_u f = +‖∇f‖); descend along −∇f"),
    (backprop.check_stable_cross_entropy, lambda logits, labels: np.zeros(len(labels)),
     "✗ check_stable_cross_entropy: shape (6,) where () was expected: return the mean over the "
     "samples, one number"),
]
IDS = [f"{c.__name__}-{i}" for i, (c, _a, _l) in enumerate(CASES)]


def _run(capsys, checker, answer):
    capsys.readouterr()
    ok = checker(answer)
    out = capsys.readouterr().out
    assert out.count("\n") == 1, out  # one verdict line, whatever the language
    return ok, out.rstrip("\n")


# The templates with values behind the CASES' messages (the others are fixed strings).
FILLED = ["define {name} and run its cell", "write the function {what}",
          "your code raised {type}: {exc}", "{what} must be a single number, got shape {shape}",
          "shape {shape} where () was expected: return the mean over the samples, one number"]


def _in_chinese(message: str) -> str:
    table = catalogue()
    if message in table:
        return table[message]
    for template in FILLED:
        regex = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>.+)", re.escape(template))
        found = re.fullmatch(regex, message)
        if found:
            return table[template].format(**{k: table.get(v, v)
                                              for k, v in found.groupdict().items()})
    raise KeyError(message)


def _chinese(english: str) -> str:
    """The Chinese line of an English one, built from the catalogue by hand."""
    mark, name, message = re.match(r"^(✓|✗|…) (\S+): (.*)$", english).groups()
    if mark == "✓":
        return f"✓ {name}: 正确"
    if mark == "…":
        return f"… {name}: 尚未完成 — {_in_chinese(message.removeprefix('not yet solved — '))}"
    return f"✗ {name}: {_in_chinese(message)}"


@pytest.mark.parametrize("checker, answer, english", CASES, ids=IDS)
def test_english_output_is_unchanged(capsys, checker, answer, english):
    ok, line = _run(capsys, checker, answer)
    assert line == english
    assert ok is english.startswith("✓")


@pytest.mark.parametrize("checker, answer, english", CASES, ids=IDS)
def test_set_language_gives_chinese(capsys, checker, answer, english):
    i18n.set_language("zh_CN")
    ok, line = _run(capsys, checker, answer)
    assert line == _chinese(english)
    assert ok is english.startswith("✓")
    i18n.set_language(None)
    assert _run(capsys, checker, answer)[1] == english  # and back


def test_environment_variable_gives_chinese(capsys):
    code = ("import numpy as np, gdcore as gd\n"
            "c = gd.checks.derivatives\n"
            "c.check_central_difference(None)\n"
            "c.check_central_difference(lambda f, x, h: (f(x + h) - f(x)) / h)\n"
            "gd.checks.descent.check_max_stable_lr(lambda A: 1 / np.linalg.eigvalsh(A)[-1])\n"
            "c.check_central_difference(lambda f, x, h: (f(x + h) - f(x - h)) / (2 * h))\n")
    env = dict(os.environ, GDCORE_LANG="zh_CN", GDCORE_QUIET="1", OPENBLAS_NUM_THREADS="1")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                         timeout=120, check=True).stdout.splitlines()
    assert out == [_chinese(CASES[i][2]) for i in (0, 2, 5, 4)]
    assert all(CHINESE.search(line) for line in out)


def test_chinese_verdict_lines_keep_their_shape(capsys):
    """tools/grade.py reads the mark and the checker's name: both stay, with ': '."""
    i18n.set_language("zh")
    for checker, answer, english in CASES:
        line = _run(capsys, checker, answer)[1]
        assert re.match(rf"^{english[0]} {english.split(':')[0][2:]}: \S", line), line
        assert line != english and CHINESE.search(line)


# --- (5) choosing the language ----------------------------------------------------------------

@pytest.mark.parametrize("given, normalized", [("en", "en"), ("zh_CN", "zh_CN"), ("zh", "zh_CN"),
                                               ("zh-CN", "zh_CN"), ("zh_Hans", "zh_CN")])
def test_language_names(given, normalized, monkeypatch):
    i18n.set_language(given)
    assert i18n.language() == normalized
    i18n.set_language(None)
    assert i18n.language() == "en"
    monkeypatch.setenv("GDCORE_LANG", given)
    assert i18n.language() == normalized


def test_set_language_wins_over_the_environment(monkeypatch):
    monkeypatch.setenv("GDCORE_LANG", "zh_CN")
    assert i18n.language() == "zh_CN" and i18n.gettext("correct") == "正确"
    i18n.set_language("en")
    assert i18n.language() == "en" and i18n.gettext("correct") == "correct"


@pytest.mark.parametrize("bad", ["fr", "", "english", 3, "zh_TW"])
def test_bad_language_is_refused(bad):
    with pytest.raises(ValueError) as info:
        i18n.set_language(bad)
    assert str(info.value) == f"Invalid language: {bad!r} (allowed: 'en', 'zh_CN')"
    assert i18n.language() == "en"  # unchanged


def test_bad_environment_variable_is_refused_on_first_use(monkeypatch):
    monkeypatch.setenv("GDCORE_LANG", "fr")
    with pytest.raises(ValueError, match=r"^Invalid language: 'fr' \(allowed: 'en', 'zh_CN'\)"
                                         r".*GDCORE_LANG"):
        i18n.gettext("correct")


def test_gdcore_exports_set_language_without_heavy_imports():
    code = ("import sys, gdcore\n"
            "gdcore.set_language('zh_CN')\n"
            "from gdcore import i18n\n"
            "assert gdcore.set_language is i18n.set_language and i18n.language() == 'zh_CN'\n"
            "print(sorted(m for m in sys.modules if m.startswith('gdcore')))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60, check=True).stdout
    assert out.strip() == "['gdcore', 'gdcore.i18n']"


def test_untranslated_message_falls_back_to_english():
    i18n.set_language("zh_CN")
    assert i18n.gettext("a message no catalogue has") == "a message no catalogue has"
    assert i18n.N_("correct") == "correct"


# --- (6) committed outputs of the Chinese edition --------------------------------------------

@pytest.mark.parametrize("checker, answer, english", CASES, ids=IDS)
def test_translate_output_matches_what_the_checker_prints(capsys, checker, answer, english):
    i18n.set_language("zh_CN")
    chinese = _run(capsys, checker, answer)[1]
    i18n.set_language(None)
    assert i18n.translate_output(english + "\n", "zh_CN") == chinese + "\n"
    assert i18n.translate_output(english, "zh-CN") == chinese  # no newline, any spelling


def test_translate_output_leaves_other_lines_alone():
    lines = [CASES[4][2], "loss after 10 steps: 0.1234", CASES[0][2], "",
             "✓ not a checker line", "✗ check_x: a message no catalogue has", CASES[2][2]]
    out = i18n.translate_output("\n".join(lines) + "\n", "zh_CN").split("\n")
    assert out[1:2] + out[3:6] == lines[1:2] + lines[3:6] and out[-1] == ""
    assert [out[0], out[2], out[6]] == [_chinese(CASES[i][2]) for i in (4, 0, 2)]
    assert i18n.translate_output("\n".join(lines), "en") == "\n".join(lines)
    with pytest.raises(ValueError, match="Invalid language: 'de'"):
        i18n.translate_output("x", "de")


def test_report_words(capsys):
    i18n.set_language("zh_CN")
    assert _core.report("check_x", True) is True
    assert _core.report("check_x", False, "提示", solved=False) is False
    assert _core.report("check_x", False, "错误的原因") is False
    assert capsys.readouterr().out.splitlines() == [
        "✓ check_x: 正确", "… check_x: 尚未完成 — 提示", "✗ check_x: 错误的原因"]
