"""The Chinese student edition (``make student-zh``): written and graded like the English one.

It is made from the Chinese book ``zh_CN/`` by the same tool: Chinese pages, the same stubs and
checkers, and verdicts in Chinese, both in the notebook (the language cell) and from the grader
(the notebooks' ``language`` metadata).
"""

import re
import sys
from pathlib import Path

import nbformat
import pytest
from paths import ROOT, build_unexecuted, tree

sys.path.insert(0, str(ROOT / "tools"))
import grade  # noqa: E402
import make_student  # noqa: E402

CJK = re.compile(r"[\u4e00-\u9fff]")
CHINESE = sorted((ROOT / "zh_CN" / "chapters").glob("0*.ipynb"))


@pytest.fixture(scope="module")
def student_zh(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("student-zh")
    make_student.make_student(ROOT, out, edition="zh_CN")
    return out


def test_the_chinese_student_edition_is_chinese_and_complete(student_zh):
    english = sorted(p.name for p in (ROOT / "chapters").glob("*.ipynb"))
    assert sorted(p.name for p in (student_zh / "chapters").glob("*.ipynb")) == english
    config = (student_zh / "_config.yml").read_text(encoding="utf-8")
    assert "language: zh_CN" in config and "../" not in config  # a repository of its own
    assert CJK.search(re.search(r"^title: (.*)$", config, re.MULTILINE).group(1))
    for name in english:
        nb = nbformat.read(student_zh / "chapters" / name, as_version=4)
        assert nb.metadata["language"] == "zh_CN"
        assert any("gdcore.set_language(\"zh_CN\")" in c.source for c in nb.cells
                   if c.cell_type == "code")
        prose = "".join(c.source for c in nb.cells if c.cell_type == "markdown")
        assert len(CJK.findall(prose)) > 500, name
        for marker in make_student.SOLUTION_MARKERS:
            assert marker not in prose, name


def test_the_chinese_student_edition_is_deterministic(student_zh, tmp_path):
    again = tmp_path / "again"
    make_student.make_student(ROOT, again, edition="zh_CN")
    assert tree(student_zh) == tree(again)


def test_a_bad_edition_is_refused(tmp_path):
    with pytest.raises(ValueError, match="Invalid edition: 'fr'"):
        make_student.make_student(ROOT, tmp_path, edition="fr")


@pytest.mark.parametrize("path", CHINESE, ids=lambda p: p.name)
def test_the_chinese_teacher_edition_scores_full_marks_in_chinese(path):
    result = grade.grade(path, run=False)
    if not result["exercises"]:
        pytest.skip("no exercises in this part of the chapter")
    assert result["score"] == 1.0, result["exercises"]
    text = path.read_text(encoding="utf-8")
    assert "✓ check_" in text and ": correct" not in text  # the verdicts are the Chinese ones


def _runs_and_scores_zero_in_chinese(student_zh, name):
    result = grade.grade(student_zh / "chapters" / name, run=True)
    assert not result["errors"]
    assert result["score"] == 0.0
    assert {e["mark"] for e in result["exercises"].values()} == {"…"}, result["exercises"]
    messages = " ".join(e.get("message", "") for e in result["exercises"].values())
    assert CJK.search(messages), f"the grader's messages are not Chinese: {messages[:200]}"


# Two chapters in the main run (the code is the English edition's, which test_student runs in
# full); every chapter in the grader suite (make test-grader).
@pytest.mark.parametrize("name", ["01_derivatives.ipynb", "05_optimizers.ipynb"])
def test_chinese_student_notebooks_run_and_score_zero(student_zh, name):
    _runs_and_scores_zero_in_chinese(student_zh, name)


@pytest.mark.grader
@pytest.mark.parametrize("path", CHINESE, ids=lambda p: p.name)
def test_every_chinese_student_notebook_runs_and_scores_zero(student_zh, path):
    nb = nbformat.read(path, as_version=4)
    if not grade.expected_checks(nb):
        pytest.skip("no exercises in this part of the chapter")
    _runs_and_scores_zero_in_chinese(student_zh, path.name)


def test_the_chinese_student_edition_builds_as_a_book(student_zh):
    proc = build_unexecuted(student_zh)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    page = (student_zh / "_build" / "html" / "chapters" / "01_derivatives.html").read_text()
    assert "solution-start" not in page and "NotImplementedError" in page
    assert '<html lang="zh-CN"' in page and "language-switch" not in page
