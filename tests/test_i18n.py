"""The Chinese edition cannot drift: complete, current, generated, and faithful in structure.

``locales/zh_CN/LC_MESSAGES/*.po`` translate every message of the English sources;
``zh_CN/`` is exactly what ``tools/i18n.py build`` writes from them; code cells and outputs are
the English ones; the glossary holds; and the errata quote the seed articles in their own words.
"""

import json
import re
import shutil
import sys
import unicodedata

import pytest
from paths import ROOT

sys.path.insert(0, str(ROOT / "tools"))
import i18n  # noqa: E402

SEEDS = ROOT / "tests" / "data" / "seeds"
CJK = re.compile(r"[\u4e00-\u9fff]")


def test_every_message_is_translated_and_sound():
    """100 %: no message untranslated or fuzzy, and none breaking structure or glossary."""
    terms = i18n.glossary()
    found = [line for page in i18n.all_pages() for line in i18n.problems(page, terms)]
    total = sum(len(i18n.extract(page)) for page in i18n.all_pages())
    assert total > 900  # every page was cut into messages (not an empty extraction)
    assert not found, f"{len(found)} of {total} messages need work:\n" + "\n".join(found[:60])


def test_the_committed_edition_is_what_the_tool_generates():
    stale = i18n.stale(i18n.edition())
    assert not stale, ("zh_CN/ is not what `python tools/i18n.py build` writes from the current "
                       f"English sources and catalogues: {stale}")


@pytest.fixture
def edited_page(tmp_path, monkeypatch):
    """A copy of the sources in which one English paragraph of chapter 1 was edited."""
    page = "chapters/01_derivatives"
    (tmp_path / "chapters").mkdir()
    for name in ("_toc.yml", "_config.yml"):
        shutil.copyfile(ROOT / name, tmp_path / name)
    nb = json.loads((ROOT / f"{page}.ipynb").read_text(encoding="utf-8"))
    cell = next(c for c in nb["cells"] if c["cell_type"] == "markdown"
                and "walks downhill" in "".join(c["source"]))
    old = "".join(cell["source"])
    cell["source"] = old.replace("walks downhill", "always walks downhill")
    (tmp_path / f"{page}.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    locales = tmp_path / "locales"
    shutil.copytree(i18n.paths.LOCALES, locales)
    monkeypatch.setattr(i18n.paths, "ROOT", tmp_path)
    monkeypatch.setattr(i18n.paths, "LOCALES", locales)
    return page


def test_an_edited_english_paragraph_fails_the_check_by_name(edited_page):
    found = i18n.problems(edited_page)
    assert len(found) == 1 and "untranslated" in found[0]
    assert "always walks downhill" in found[0]  # the message is named


def test_update_keeps_the_old_translation_as_fuzzy_which_still_fails(edited_page):
    before = i18n.table(edited_page)
    i18n.update(edited_page)
    entry = next(m for m in i18n.load(edited_page) if m.id and "always walks downhill" in m.id)
    assert entry.fuzzy
    # The old English is kept beside it (`#| msgid`), so the translator sees what changed.
    po = i18n.catalogue_path(edited_page).read_text(encoding="utf-8")
    assert any(line.startswith("#| ") and "Gradient descent walks downhill" in line
               for line in po.splitlines())
    assert entry.string in before.values()  # the translator starts from the old Chinese
    found = i18n.problems(edited_page)
    assert len(found) == 1 and "fuzzy" in found[0] and "always walks downhill" in found[0]


def test_an_english_paragraph_that_comes_back_gets_its_translation_back(edited_page):
    """Edit, update, revert, update: the translation is kept as obsolete in between."""
    i18n.update(edited_page)  # the old paragraph's translation is now on the fuzzy new one
    source = i18n.paths.ROOT / f"{edited_page}.ipynb"
    source.write_text((ROOT / f"{edited_page}.ipynb").read_text(encoding="utf-8"), encoding="utf-8")
    i18n.update(edited_page)
    assert i18n.problems(edited_page) == []


def test_update_is_a_no_op_on_the_committed_catalogues(tmp_path, monkeypatch):
    locales = tmp_path / "locales"
    shutil.copytree(i18n.paths.LOCALES, locales)
    monkeypatch.setattr(i18n.paths, "LOCALES", locales)
    for page in i18n.all_pages():
        i18n.update(page)
    changed = [str(p.relative_to(locales)) for p in sorted(locales.rglob("*.po"))
               if p.read_bytes() != (ROOT / "locales" / "zh_CN" / "LC_MESSAGES"
                                     / p.relative_to(locales)).read_bytes()]
    assert not changed, f"run `python tools/i18n.py update` and commit: {changed}"


def test_joined_lines_look_through_markup():
    assert i18n.join_wide_lines("这就是\n**梯度消失**") == "这就是**梯度消失**"
    assert i18n.join_wide_lines("见\n{ref}`勘误页 <errata>`。") == "见{ref}`勘误页 <errata>`。"
    assert i18n.join_wide_lines("改编自\n{cite}`cs231n`") == "改编自\n{cite}`cs231n`"
    assert i18n.join_wide_lines("文字\n**“引号”**") == "文字\n**“引号”**"  # flanking rule


def test_cutting_is_lossless_and_identity_translation_is_the_source():
    for page in i18n.toc_pages():
        path = i18n.source_of(page)
        if path.suffix == ".md":
            texts = [path.read_text(encoding="utf-8")]
        else:
            nb = json.loads(path.read_text(encoding="utf-8"))
            texts = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown"]
        for text in texts:
            assert "".join(p.text for p in i18n.pieces(text)) == text
            assert i18n.translate_text(text, {}) == text


def test_structure_check_catches_what_a_translation_must_keep():
    english = "The step $\\eta$ of `gd.descend` is in {numref}`fig-x`, see [here](a.html)."
    good = "`gd.descend` 的步长 $\\eta$ 见 {numref}`fig-x`，参见[这里](a.html)。"
    assert i18n.structure_errors(english, good) == []
    for broken in (good.replace("\\eta", "\\alpha"), good.replace("`gd.descend`", "gd.descend"),
                   good.replace("fig-x", "fig-y"), good.replace("a.html", "b.html")):
        assert i18n.structure_errors(english, broken), broken
    wrapped = "speed $\\rho = \\max_i |1-\\eta\\lambda_i| =\n  \\max(a, b)$ here."
    rewrapped = "速度 $\\rho = \\max_i |1-\\eta\\lambda_i| = \\max(a, b)$。"
    assert i18n.structure_errors(wrapped, rewrapped) == []  # white space inside math is free
    assert i18n.structure_errors(wrapped, rewrapped.replace("max_i", "min_i"))
    terms = i18n.glossary()
    assert i18n.translation_problems("The learning rate.", "学习率。", terms) == []
    assert i18n.translation_problems("The learning rate.", "学习速率。", terms)  # a variant
    assert i18n.translation_problems("The learning rate.", "步长。", terms)      # not the term


def test_the_glossary_fixes_the_standard_terms():
    terms = {t.label.strip("/"): t.chinese for t in i18n.glossary()}
    required = {"gradient descent": "梯度下降", "directional derivative": "方向导数",
                "learning rate": "学习率", "momentum": "动量", "backpropagation": "反向传播",
                "vanishing gradients?": "梯度消失", "exploding gradients?": "梯度爆炸",
                "condition number": "条件数", "Hessians?": "海森矩阵"}
    for english, chinese in required.items():
        assert terms.get(english) == chinese, english


def _code_cells(nb):
    return [c for c in nb["cells"] if c["cell_type"] == "code"
            and c.get("id") != i18n.LANGUAGE_CELL["id"]]


@pytest.mark.parametrize("page", [p for p in i18n.toc_pages()
                                  if i18n.source_of(p).suffix == ".ipynb"])
def test_chinese_notebooks_share_the_code_and_outputs(page):
    from gdcore import i18n as messages

    english = json.loads(i18n.source_of(page).read_text(encoding="utf-8"))
    chinese = json.loads((i18n.paths.OUT / f"{page}.ipynb").read_text(encoding="utf-8"))
    assert chinese["metadata"]["language"] == "zh_CN"
    kinds = [c["cell_type"] for c in english["cells"]]
    assert [c["cell_type"] for c in chinese["cells"] if c.get("id") != i18n.LANGUAGE_CELL["id"]] \
        == kinds
    setup = next(i for i, c in enumerate(chinese["cells"]) if c["cell_type"] == "code")
    assert chinese["cells"][setup + 1]["id"] == i18n.LANGUAGE_CELL["id"]
    for en, zh in zip(_code_cells(english), _code_cells(chinese), strict=True):
        assert zh["source"] == en["source"]
        assert len(zh["outputs"]) == len(en["outputs"])
        for out_en, out_zh in zip(en["outputs"], zh["outputs"], strict=True):
            if out_en.get("output_type") == "stream":
                text = messages.translate_output("".join(out_en["text"]), "zh_CN")
                assert "".join(out_zh["text"]) == text
            else:
                assert out_zh == out_en
    markdown = [("".join(en["source"]), "".join(zh["source"]))
                for en, zh in zip(english["cells"], [c for c in chinese["cells"]
                                                     if c.get("id") != i18n.LANGUAGE_CELL["id"]],
                                  strict=True) if en["cell_type"] == "markdown"]
    assert all(CJK.search(zh) for en, zh in markdown if i18n.messages(en))


def _normal(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _quoted_chinese(page_text: str) -> list[str]:
    """The Chinese of every blockquote line, in fragments split at the errata's omissions."""
    fragments = []
    for line in page_text.splitlines():
        if not line.startswith(">") or not CJK.search(line):
            continue
        body = re.sub(r"^>\s*(（00\d）|\(00\d\))?\s*", "", line)
        fragments += [f for f in re.split(r"……|…", body) if CJK.search(f)]
    return fragments


@pytest.mark.parametrize("edition", ["chapters/errata.md", "zh_CN/chapters/errata.md"])
def test_the_errata_quote_the_seed_articles_verbatim(edition):
    seeds = _normal("".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))))
    quotes = _quoted_chinese((ROOT / edition).read_text(encoding="utf-8"))
    assert len(quotes) > 30
    missing = [q for q in quotes if _normal(q.strip("“”\"「」 ")) not in seeds]
    assert not missing, f"quoted lines not in any seed article: {missing[:10]}"


def test_the_chinese_errata_drop_the_english_translations_of_the_quotes():
    text = (ROOT / "zh_CN" / "chapters" / "errata.md").read_text(encoding="utf-8")
    words = re.compile(r"[A-Za-z]{4,}\s+[A-Za-z]{3,}\s+[A-Za-z]{3,}")
    english = [ln for ln in text.splitlines() if ln.startswith(">") and not CJK.search(ln)
               and words.search(re.sub(r"`[^`]*`|\$[^$]*\$", "", ln))]
    assert not english, f"English inside the Chinese errata's quotes: {english[:5]}"


def test_the_workbench_round_trip_approves_only_what_was_looked_at(edited_page, tmp_path):
    """Exporting and importing unread keeps a fuzzy message fuzzy; editing it approves it."""
    i18n.update(edited_page)
    bench = tmp_path / "page.txt"
    i18n.export(edited_page, bench)
    assert i18n.import_workbench(bench) == []
    assert any("fuzzy" in p for p in i18n.problems(edited_page))
    text = bench.read_text(encoding="utf-8")
    head = next(line for line in text.splitlines() if line.endswith(" fuzzy"))
    bench.write_text(text.replace(head, head.removesuffix(" fuzzy")), encoding="utf-8")
    assert i18n.import_workbench(bench) == []
    assert i18n.problems(edited_page) == []


def test_gdcore_messages_keep_their_structure_and_the_glossary():
    """The checkers' Chinese (gdcore/locale/zh_CN.po) follows the same rules as the book's."""
    from babel.messages.pofile import read_po

    terms = i18n.glossary()
    with (ROOT / "gdcore" / "locale" / "zh_CN.po").open("rb") as fh:
        catalog = read_po(fh, locale="zh_CN")
    found = [f"{m.id!r}: {problem}" for m in catalog if m.id
             for problem in i18n.translation_problems(m.id, m.string, terms,
                                                      " ".join(m.user_comments))]
    assert len(catalog) > 300 and not found, "\n".join(found)
