"""tools/grade.py grades a notebook of the Chinese edition in Chinese.

A submission whose top-level metadata says ``"language": "zh_CN"`` (every notebook of the
Chinese edition does) gets the checkers' verdicts in Chinese — in the JSON rows, the CSV and the
feedback notebook — and the points do not depend on the language: the verdict is read from the
checker's mark, not from its English words. ``--lang`` overrides the notebook's language.
"""

import contextlib
import io
import json
import re
import subprocess
import sys

import nbformat
import pytest
from paths import ROOT

sys.path.insert(0, str(ROOT / "tools"))
from grading import cli  # noqa: E402

from gdcore import i18n  # noqa: E402
from gdcore.checks import derivatives  # noqa: E402

CHAPTER = ROOT / "chapters" / "01_derivatives.ipynb"
CHINESE = re.compile(r"[\u4e00-\u9fff]")
FORWARD = ("def central_difference(f, x, h):\n"
           "    return (f(x + h) - f(x)) / h")
BORROWED = ("import gdcore as gd\n\n"
            "def numerical_gradient(f, x, h):\n"
            "    return gd.numdiff.numerical_gradient(f, x, h)")
STUB = "def curvature_along(A, u):\n    raise NotImplementedError"


def _edition(language=None, **answers):
    """The solved chapter, in the Chinese edition when ``language``, with some answers replaced
    (by the name of the function the solution cell defines)."""
    nb = nbformat.read(CHAPTER, as_version=4)
    if language:
        nb.metadata["language"] = language
    for cell in nb.cells:
        if cell.cell_type == "code" and "solution" in cell.metadata.get("tags", []):
            for name, source in answers.items():
                if f"def {name}(" in cell.source:
                    cell.source = source
    return nb


def _submit(folder, student, nb):
    path = folder / student / CHAPTER.name
    path.parent.mkdir(parents=True)
    nbformat.write(nb, path)
    return path


def _expected(checker, source, name, lang):
    """The message the checker gives ``source``'s function in ``lang``, computed here."""
    scope = {}
    exec(source, scope)  # noqa: S102 — the test's own answer
    i18n.set_language(lang)
    try:
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            checker(scope[name])
    finally:
        i18n.set_language(None)
    return printed.getvalue().strip().partition(": ")[2]


WRONG = dict(central_difference=FORWARD, numerical_gradient=BORROWED, curvature_along=STUB)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    d = tmp_path_factory.mktemp("zh")
    paths = [_submit(d, "zh", _edition("zh_CN")), _submit(d, "zhwrong", _edition("zh_CN", **WRONG)),
             _submit(d, "enwrong", _edition(None, **WRONG))]
    rows, _ = cli.grade_all(paths, course=ROOT, jobs_n=2, timeout=60, feedback=d / "feedback")
    return {r["student"]: r for r in rows}, d


def _by_checker(row):
    return {e["checker"]: e for e in row["exercises"]}


@pytest.mark.grader
def test_chinese_edition_gets_full_points_and_chinese_feedback(graded):
    rows, d = graded
    row = rows["zh"]
    assert row["error"] is None and not row["errors"], row
    assert row["language"] == "zh_CN"
    assert row["max_score"] > 0 and row["score"] == row["max_score"]
    assert {e["verdict"] for e in row["exercises"]} == {"correct"}
    nb = nbformat.read(d / "feedback" / "zh" / CHAPTER.name, as_version=4)
    assert nb.cells[0].source.startswith(f"**评分**：{row['score']}/{row['max_score']} 分")
    notes = [c.source for c in nb.cells if c.source.startswith("**评分**，")]
    assert len(notes) == len(row["exercises"]) and all("正确" in n for n in notes)


@pytest.mark.grader
def test_wrong_answers_get_chinese_messages_and_the_same_points(graded):
    rows, d = graded
    zh, en = _by_checker(rows["zhwrong"]), _by_checker(rows["enwrong"])
    assert rows["zhwrong"]["language"] == "zh_CN" and rows["enwrong"]["language"] == "en"
    # the points and verdicts do not depend on the language
    assert {k: (e["verdict"], e["points"]) for k, e in zh.items()} == \
        {k: (e["verdict"], e["points"]) for k, e in en.items()}
    central = zh["check_central_difference"]
    assert central["verdict"] == "wrong" and central["points"] == 0
    assert central["message"] == _expected(derivatives.check_central_difference, FORWARD,
                                           "central_difference", "zh_CN")
    assert CHINESE.search(central["message"])
    assert en["check_central_difference"]["message"] == _expected(
        derivatives.check_central_difference, FORWARD, "central_difference", "en")
    # calling the switched-off gdcore function is wrong in any language (no English word read)
    borrowed = zh["check_numerical_gradient"]
    assert borrowed["verdict"] == "wrong" and "自己写" in borrowed["message"], borrowed
    assert "write it yourself" in en["check_numerical_gradient"]["message"]
    stub = zh["check_curvature_along"]
    assert stub["verdict"] == "not solved" and stub["message"].startswith("尚未完成 — ")
    assert en["check_curvature_along"]["message"].startswith("not yet solved — ")
    assert zh["check_optimal_step"]["verdict"] == "correct"
    nb = nbformat.read(d / "feedback" / "zhwrong" / CHAPTER.name, as_version=4)
    assert any(central["message"] in c.source for c in nb.cells if c.cell_type == "markdown")


@pytest.mark.grader
def test_lang_option_overrides_the_notebook(graded, tmp_path):
    rows, d = graded
    cmd = [sys.executable, str(ROOT / "tools" / "grade.py"), "--json", "--lang", "en",
           "--csv", str(tmp_path / "out.csv"), str(d / "zhwrong" / CHAPTER.name)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    (row,) = [json.loads(line) for line in proc.stdout.splitlines()]
    assert row["language"] == "en" and row["score"] == rows["zhwrong"]["score"]
    message = _by_checker(row)["check_central_difference"]["message"]
    assert message == _by_checker(rows["enwrong"])["check_central_difference"]["message"]
    assert not CHINESE.search(json.dumps(row["exercises"], ensure_ascii=False))
    assert message in (tmp_path / "out.csv").read_text()
    bad = subprocess.run(cmd[:2] + ["--lang", "fr", "x.ipynb"], capture_output=True, text=True)
    assert bad.returncode == 2 and "--lang" in bad.stderr


def test_a_submissions_language_comes_from_its_metadata():
    from grading.worker import submission_language

    def nb(meta):
        return nbformat.v4.new_notebook(metadata=meta)

    assert submission_language(nb({"language": "zh_CN"})) == "zh_CN"
    assert submission_language(nb({"language": "zh-CN"})) == "zh_CN"
    for meta in ({}, {"language": "fr"}, {"language": ["zh_CN"]}, {"language": None}):
        assert submission_language(nb(meta)) == "en"
    assert submission_language(nb({"language": "zh_CN"}), "en") == "en"
    assert submission_language(nb({}), "zh_CN") == "zh_CN"


@pytest.mark.grader
def test_the_terminal_report_is_in_the_submissions_language(graded):
    rows, _ = graded
    zh, en = cli._text(rows["zhwrong"]), cli._text(rows["enwrong"])
    assert zh.splitlines()[0].endswith(" 分") and en.splitlines()[0].endswith(" points")
    assert " — 错误: " in zh  # the verdict word, then the checker's message
    assert " — wrong: " in en and not CHINESE.search(en)
