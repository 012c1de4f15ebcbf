"""The Chinese edition: English sources + gettext catalogues → the ``zh_CN/`` book.

One source, two languages. The English notebooks and pages are the source; their prose is cut into
messages (one per paragraph, list, table, heading or directive header; math, code and labels are
not messages), and ``locales/zh_CN/LC_MESSAGES/<page>.po`` holds each message's translation. From
these two, ``build`` writes the Chinese book ``zh_CN/``: the same notebooks cell for cell — code
cells and their outputs copied by this tool, never by hand — with the markdown cells, figure alt
texts, table-of-contents captions and book title translated. ``zh_CN/`` is committed (so that
Binder, Colab and "download .ipynb" give Chinese readers Chinese notebooks) and a test checks that
it is exactly what ``build`` writes from the current sources.

Why not Sphinx's own gettext builder: MyST-NB re-parses a translated message of an ``.ipynb``
source with the notebook parser and fails (executablebooks/MyST-NB#587, ``NotJSONError``), and a
Sphinx-side translation would leave the downloadable notebooks in English.

Commands (``python tools/i18n.py …``):

``update``  extract the messages and merge them into the catalogues, like ``msgmerge``: a new
            message is added untranslated; a changed one keeps its old translation marked
            *fuzzy*, with the old English as ``#| msgid`` so the translator sees what changed; a
            message no longer in the source is dropped.
``check``   fail, naming each message, when one is untranslated, fuzzy, breaks the structure (math,
            code, roles, labels, links must survive translation unchanged) or ignores the glossary.
``build``   write ``zh_CN/`` (``--check``: only report whether the committed one is current).
``export PAGE FILE`` / ``import FILE``  a plain-text workbench for translators: every message of
            a page with its English and Chinese, no escaping (TeX's backslashes stay as they are);
            ``lint FILE`` reports its problems without importing anything.
"""

from __future__ import annotations

import argparse
import copy
import difflib
import json
import re
import sys
import textwrap
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import yaml
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
LANG = "zh_CN"
LOCALES = ROOT / "locales" / LANG / "LC_MESSAGES"
OUT = ROOT / LANG
GLOSSARY = ROOT / "locales" / LANG / "GLOSSARY.md"
HEADER_COMMENT = ("# Chinese translation of the course's prose (see tools/i18n.py).\n"
                  "# Math, code, roles, labels and links stay exactly as in the English;\n"
                  "# the terms follow locales/zh_CN/GLOSSARY.md.")
BOOK = "book"  # the catalogue of _config.yml's title and _toc.yml's captions

# --- cutting markdown into messages -------------------------------------------------------------

FENCE = re.compile(r"^(?P<indent>\s*)(?P<mark>`{3,}|~{3,}|:{3,})(?P<rest>.*)$")
DIRECTIVE = re.compile(r"^\{(?P<name>[\w:.-]+)\}(?P<arg>.*)$")
# Directives whose body is not prose: kept whole, never a message.
VERBATIM = {"math", "code-cell", "code", "code-block", "raw", "bibliography", "eval-rst",
            "glue:math", "tableofcontents", "literalinclude"}
OPTION = re.compile(r"^\s*:[\w-]+:")
MATH_END = re.compile(r"\$\$[ \t]*(?:\([\w:.-]+\))?[ \t]*$")  # $$, or MyST's $$ (label)


@dataclass
class Piece:
    text: str           # verbatim source text of this piece (ends with a newline unless last)
    message: bool       # a translatable block?


def _closes(line: str, mark: str) -> bool:
    stripped = line.strip()
    return (len(stripped) >= len(mark) and set(stripped) == {mark[0]}
            and len(stripped) >= len(mark))


def pieces(text: str) -> list[Piece]:
    """Cut markdown into pieces whose concatenation is ``text`` exactly.

    A block is a run of non-blank lines; directive headers (the fence line and its ``:option:``
    lines) and closing fences are blocks of their own; code fences, verbatim directives and
    ``$$`` math stay whole (blank lines inside them do not split them).
    """
    lines = text.splitlines(keepends=True)
    out: list[Piece] = []
    block: list[str] = []
    stack: list[str] = []  # open prose directives' fence marks

    def flush():
        if block:
            body = "".join(block)
            out.append(Piece(body, is_prose(body)))
            block.clear()

    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            flush()
            out.append(Piece(line, False))
            i += 1
            continue
        if stack and _closes(line, stack[-1]) and not FENCE.match(line).group("rest").strip():
            flush()
            stack.pop()
            out.append(Piece(line, False))
            i += 1
            continue
        fence = FENCE.match(line)
        if fence:
            mark, rest = fence.group("mark"), fence.group("rest").strip()
            directive = DIRECTIVE.match(rest)
            if directive and directive.group("name") not in VERBATIM:
                flush()
                header = [line]
                i += 1
                while i < len(lines) and OPTION.match(lines[i]):
                    header.append(lines[i])
                    i += 1
                body = "".join(header)
                out.append(Piece(body, is_prose(body)))
                stack.append(mark)
                continue
            flush()
            verbatim = [line]
            i += 1
            while i < len(lines):
                verbatim.append(lines[i])
                i += 1
                if _closes(verbatim[-1], mark) and not verbatim[-1].strip().strip(mark[0]):
                    break
            out.append(Piece("".join(verbatim), False))
            continue
        if line.lstrip().startswith("$$") and not block:
            # display math: one piece up to the closing $$ (which may be on the same line)
            math = [line]
            i += 1
            closed = line.strip() != "$$" and bool(MATH_END.search(line)) and len(line.strip()) > 2
            while not closed and i < len(lines):
                math.append(lines[i])
                closed = bool(MATH_END.search(lines[i]))
                i += 1
            body = "".join(math)
            out.append(Piece(body, is_prose(re.sub(r"\$\$[ \t]*\([\w:.-]+\)", "$$", body))))
            continue
        block.append(line)
        i += 1
    flush()
    assert "".join(p.text for p in out) == text
    return out


# Inline math may wrap onto the next line (20 messages do); it never spans a blank line.
MATH = re.compile(r"\$\$.+?\$\$|(?<![\\$])\$(?!\s)(?:[^$\n]|\n(?![ \t]*\n))+?(?<![\s\\])\$",
                  re.DOTALL)
ROLE = re.compile(r"\{(?P<name>[\w:.-]+)\}`(?P<body>[^`]*)`")
CODE = re.compile(r"(?<![`}])(`+)(?!`)(?P<body>.+?)(?<!`)\1(?!`)", re.DOTALL)
LINK = re.compile(r"\]\((?P<url>[^)\s]+)\)")
LABEL = re.compile(r"^\s*\((?P<label>[\w:.-]+)\)=\s*$", re.MULTILINE)
HEADING = re.compile(r"^(#+) ", re.MULTILINE)
COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
TAG = re.compile(r"</?[a-zA-Z][^>]*>")
# Option lines kept as they are (names, labels, classes); :alt: and titles are prose.
FIXED_OPTION = re.compile(r"^\s*:(?!alt:)[\w-]+:.*$", re.MULTILINE)
FENCE_LINE = re.compile(r"^\s*(?:`{3,}|~{3,}|:{3,})\{(?P<name>[\w:.-]+)\}", re.MULTILINE)
# Directives whose argument is a label, not a title: their header has nothing to translate.
LABEL_ARGUMENT = re.compile(r"^\s*(?:`{3,}|~{3,}|:{3,})\{(?:solution|solution-start|solution-end)\}"
                            r".*$", re.MULTILINE)


def is_prose(block: str) -> bool:
    """Does ``block`` hold words once math, code, roles, labels and markup are taken out?"""
    rest = block
    for pattern in (LABEL_ARGUMENT, COMMENT, MATH, ROLE, CODE, LABEL, FIXED_OPTION, TAG):
        rest = pattern.sub(" ", rest)
    rest = FENCE_LINE.sub(" ", rest)
    rest = re.sub(r"https?://\S+", " ", rest)
    return re.search(r"[A-Za-z]{2,}", rest) is not None


def messages(text: str) -> list[str]:
    return [dedent(p.text) for p in pieces(text) if p.message]


def dedent(block: str) -> str:
    return textwrap.dedent(block).rstrip("\n")


def _indent_of(block: str) -> str:
    lines = [ln for ln in block.splitlines() if ln.strip()]
    if not lines:
        return ""
    width = min(len(ln) - len(ln.lstrip()) for ln in lines)
    return lines[0][:width]


# Chinese characters, and the full-width punctuation that goes with them.
HAN = "\u4e00-\u9fff"
WIDE_PUNCT = "\u3000-\u303f\uff00-\uffef\u2014\u2026\u201c\u201d"
WIDE = HAN + WIDE_PUNCT
# A line that starts a block of its own (list item, table row, quote, heading, math, fence,
# directive option, label): the line break before it is structure, never joined.
BLOCK_START = re.compile(r"[-*+] |\d+[.)] |[|>#:%<]|\$\$|`{3}|~{3}|\([\w:.-]+\)=|[-=]{3,}\s*$"
                         r"|\[\^|\+\+\+")
HEADING_LINE = re.compile(r"[ \t]*#{1,6} ")
BREAK = re.compile(r"\n[ \t]*")
# Markup that can open a line of prose and shows no character of its own ({cite} shows a
# bracketed Latin citation, which keeps its space).
LEADING_MARKUP = re.compile(r"(?:\*{1,2}|_{1,2}|\[|\{(?!cite)[\w:.-]+\}`)*")


def join_wide_lines(text: str) -> str:
    """Remove the line breaks that would show as a space inside Chinese text.

    Markdown turns a line break into a space. Chinese has none between words, nor next to
    full-width punctuation; a space stays right between a Chinese character and math or a Latin
    word. So a break goes when both sides are Chinese, or one side is full-width punctuation —
    unless the next line starts a block (a list item after 如下：, say).
    """
    def join(match):
        before, after = text[match.start() - 1:match.start()], text[match.end():]
        line = text[text.rfind("\n", 0, match.start()) + 1:match.start()]
        if not before or not after or BLOCK_START.match(after) or HEADING_LINE.match(line):
            return match.group(0)  # a heading ends at its line
        # look through the markup that opens the next line (**bold**, [link](…), {ref}`…`):
        # what the reader sees next to the break is its text
        markup = LEADING_MARKUP.match(after).group(0)
        first = after[len(markup):len(markup) + 1] or after[0]
        if re.search(r"[*_]", markup) and re.match(f"[{WIDE_PUNCT}]", first) \
                and not re.match(f"[{WIDE_PUNCT}]", before):
            return match.group(0)  # 字**“…”** would not open the emphasis (CommonMark flanking)
        if re.match(f"[{WIDE_PUNCT}]", first) or re.match(f"[{WIDE_PUNCT}]", before) or (
                re.match(f"[{HAN}]", before) and re.match(f"[{HAN}]", first)):
            return ""
        return match.group(0)

    return BREAK.sub(join, text)


def translate_text(text: str, table: dict[str, str]) -> str:
    """``text`` with each message replaced by its translation (missing ones stay English)."""
    out = []
    for p in pieces(text):
        if not p.message:
            out.append(p.text)
            continue
        key = dedent(p.text)
        zh = join_wide_lines(table[key]) if table.get(key) else key
        indent = _indent_of(p.text)
        lines = [(indent + ln) if ln.strip() else ln for ln in zh.split("\n")]
        trailing = p.text[len(p.text.rstrip("\n")):]
        out.append("\n".join(lines) + trailing)
    return "".join(out)


# --- the sources ----------------------------------------------------------------------------------

ALT = ("mystnb", "image", "alt")


def toc_pages() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    pages = [toc["root"]]

    def walk(entries):
        for entry in entries:
            pages.append(entry["file"])
            walk(entry.get("sections", []))

    for part in toc["parts"]:
        walk(part["chapters"])
    return pages


def source_of(page: str) -> Path:
    for suffix in (".ipynb", ".md"):
        if (ROOT / f"{page}{suffix}").exists():
            return ROOT / f"{page}{suffix}"
    raise FileNotFoundError(page)


def _alt(cell):
    node = cell.get("metadata", {})
    for key in ALT:
        node = node.get(key) if isinstance(node, dict) else None
    return node if isinstance(node, str) else None


def extract(page: str) -> list[tuple[str, str]]:
    """(message, location) of every message of ``page`` (or of the book's own strings)."""
    if page == BOOK:
        found = [(_config_title(), "_config.yml:title")]
        toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
        found += [(part["caption"], "_toc.yml:caption") for part in toc["parts"]]
        return found
    path = source_of(page)
    if path.suffix == ".md":
        return [(m, path.name) for m in messages(path.read_text(encoding="utf-8"))]
    nb = json.loads(path.read_text(encoding="utf-8"))
    found = []
    for number, cell in enumerate(nb["cells"], 1):  # cell 1 is the first (po locations: N > 0)
        where = f"{path.name}:cell{number}"
        if cell["cell_type"] == "markdown":
            found += [(m, where) for m in messages("".join(cell["source"]))]
        elif (alt := _alt(cell)) is not None:
            found.append((alt, f"{where}:alt"))
    return found


def _config_title() -> str:
    return yaml.safe_load((ROOT / "_config.yml").read_text())["title"]


def catalogue_path(page: str) -> Path:
    return LOCALES / f"{page}.po"


def load(page: str) -> Catalog:
    path = catalogue_path(page)
    if not path.exists():
        return Catalog(locale=LANG, domain=page.split("/")[-1], fuzzy=False,
                       header_comment=HEADER_COMMENT)
    with path.open("rb") as fh:
        return read_po(fh, locale=LANG)


def save(page: str, catalog: Catalog) -> None:
    path = catalogue_path(page)
    path.parent.mkdir(parents=True, exist_ok=True)
    # A fixed header: the catalogue changes only when a message does.
    catalog.project = "Gradient Descent — an executable course"
    catalog.version = "1"
    catalog.copyright_holder = "the gdcore authors"
    catalog.msgid_bugs_address = "https://github.com/gdcore-course/gradient-descent-course/issues"
    catalog.last_translator = "the gdcore authors"
    catalog.language_team = "zh_CN <gdcore-course>"
    catalog.creation_date = catalog.revision_date = datetime(2026, 12, 1, tzinfo=UTC)
    catalog.fuzzy = False
    with path.open("wb") as fh:
        write_po(fh, catalog, width=0, omit_header=False, sort_output=False,
                 include_previous=True, ignore_obsolete=False)


def table(page: str) -> dict[str, str]:
    """msgid → msgstr for the translated, non-fuzzy messages of ``page``."""
    return {m.id: m.string for m in load(page) if m.id and m.string and not m.fuzzy}


def all_pages() -> list[str]:
    return [BOOK, *toc_pages()]


# --- update (msgmerge) --------------------------------------------------------------------------

def _location(where: str) -> tuple[str, int | None]:
    """A message's place as a .po location that survives reading and writing: babel keeps
    ``file:N`` (N a number) or a bare ``file``, so cell 8 is ``01_derivatives.ipynb#cell:8``
    and the alt text of cell 9 ``01_derivatives.ipynb#alt:9``."""
    cell = re.fullmatch(r"(.*):cell(\d+)(:alt)?", where)
    if cell:
        return f"{cell.group(1)}#{'alt' if cell.group(3) else 'cell'}", int(cell.group(2))
    return where.split(":")[0], None


def update(page: str) -> tuple[int, int]:
    """Merge the current messages of ``page`` into its catalogue: (new, fuzzy) counts."""
    old = load(page)
    known = {m.id: m for m in old if m.id}
    # like msgmerge, a message gone from the source is kept as obsolete (#~): an English
    # paragraph that comes back (a revert) gets its translation back
    known.update({m.id: m for m in old.obsolete.values() if m.id and m.id not in known})
    fresh = Catalog(locale=LANG, domain=old.domain, header_comment=HEADER_COMMENT, fuzzy=False)
    new = fuzzy = 0
    gone = [m for m in known.values()]
    current = extract(page)
    ids = {msg for msg, _ in current}
    orphans = [m for m in gone if m.id not in ids and m.string]
    for msg, where in current:
        if msg in fresh:
            fresh[msg].locations.append(_location(where))
            continue
        before = known.get(msg)
        if before is not None:
            fresh.add(msg, before.string, locations=[_location(where)], flags=before.flags,
                      user_comments=before.user_comments, previous_id=before.previous_id)
            continue
        # A changed paragraph keeps its closest old translation, marked fuzzy.
        close = difflib.get_close_matches(msg, [m.id for m in orphans], n=1, cutoff=0.6)
        if close:
            match = known[close[0]]
            fresh.add(msg, match.string, locations=[_location(where)], flags={"fuzzy"},
                      previous_id=match.id, user_comments=match.user_comments)
            fuzzy += 1
        else:
            fresh.add(msg, "", locations=[_location(where)])
            new += 1
    for m in orphans:
        if m.id not in fresh:
            fresh.obsolete[m.id] = m
    save(page, fresh)
    return new, fuzzy


# --- check ----------------------------------------------------------------------------------------

CJK = re.compile(r"[\u4e00-\u9fff]")


def invariants(text: str) -> dict[str, list[str]]:
    """What a translation must keep exactly: math, code, role targets, links, labels, markup."""
    text = COMMENT.sub("", text)
    roles = []
    for m in ROLE.finditer(text):
        body = m.group("body")
        target = re.search(r"<([^>]+)>\s*$", body)
        roles.append(f"{m.group('name')}:{target.group(1) if target else body}")
    no_roles = ROLE.sub(" ", text)
    return {
        # compared up to white space: a translation may wrap a formula at another place
        "math": sorted(" ".join(m.group(0).split()) for m in MATH.finditer(no_roles)),
        "code": sorted(m.group("body") for m in CODE.finditer(MATH.sub(" ", no_roles))),
        "roles": sorted(roles),
        "links": sorted(LINK.findall(text)),
        "labels": LABEL.findall(text),
        "headings": HEADING.findall(text),
        "directives": FENCE_LINE.findall(text),
        "options": [ln.strip() for ln in FIXED_OPTION.findall(text)],
    }


def _without_quote_translations(text: str) -> str:
    """``text`` without the English lines of a blockquote that quotes Chinese: the errata give
    each seed quote with its English translation, and the Chinese edition keeps only the
    original, so math or code that the translation repeats is not required twice."""
    out, block = [], []

    def flush():
        if any(CJK.search(line) for line in block):
            block[:] = [line for line in block if CJK.search(line) or not line.strip(" >")]
        out.extend(block)
        block.clear()

    for line in text.split("\n"):
        if line.lstrip().startswith(">"):
            block.append(line)
        else:
            flush()
            out.append(line)
    flush()
    return "\n".join(out)


def structure_errors(msgid: str, msgstr: str) -> list[str]:
    want, got = invariants(_without_quote_translations(msgid)), invariants(msgstr)
    return [f"{key} differ: {want[key]} → {got[key]}" for key in want if want[key] != got[key]]


@dataclass
class Term:
    english: re.Pattern
    chinese: str
    avoid: list[str]
    label: str


def glossary() -> list[Term]:
    """The terms of GLOSSARY.md's table: | English | 中文 | avoid | (regex in the English column
    where it is written /…/)."""
    terms = []
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        cells = [c.strip().replace(r"\|", "|")
                 for c in re.split(r"(?<!\\)\|", line.strip().strip("|"))]
        if len(cells) < 3 or not CJK.search(cells[1]) or cells[0] in ("English", ""):
            continue
        english = cells[0].strip("*")
        pattern = (english[1:-1] if english.startswith("/") and english.endswith("/")
                   else r"\b" + re.escape(english) + r"\b")
        avoid = [a.strip() for a in cells[2].split(",") if a.strip() and a.strip() != "—"]
        terms.append(Term(re.compile(pattern, re.IGNORECASE), cells[1], avoid, english))
    return terms


QUOTE = re.compile(r"^\s*>.*$", re.MULTILINE)


def _prose_only(text: str) -> str:
    """The words the glossary applies to: not math or code, and not quoted lines (the errata
    quote the seed articles in their own words, which the glossary must not change)."""
    for pattern in (COMMENT, MATH, ROLE, CODE, LINK, TAG, QUOTE, LABEL, FENCE_LINE):
        text = pattern.sub(" ", text)
    return text


def translation_problems(msg: str, zh: str, terms: list[Term], exempt: str = "") -> list[str]:
    """What is wrong with ``zh`` as the translation of ``msg`` (empty: nothing)."""
    found = []
    if not CJK.search(zh):
        found.append("translation has no Chinese")
    found += structure_errors(msg, zh)
    english_prose, zh_prose = _prose_only(msg), _prose_only(zh)
    for term in terms:
        if term.english.search(english_prose) and term.chinese not in zh_prose \
                and f"glossary: {term.label}" not in exempt:
            found.append(f"glossary: {term.label!r} is {term.chinese}")
        found += [f"glossary: {bad} should be {term.chinese}" for bad in term.avoid
                  if bad in zh_prose]
    return found


def problems(page: str, terms: list[Term] | None = None) -> list[str]:
    """Everything wrong with the translation of ``page``, one line per message."""
    terms = glossary() if terms is None else terms
    catalog = load(page)
    found = []
    for msg, where in extract(page):
        entry = catalog.get(msg)
        short = msg.replace("\n", " ")[:90]
        if entry is None or not entry.string:
            found.append(f"{page}: untranslated ({where}): {short!r}")
        elif entry.fuzzy:
            found.append(f"{page}: fuzzy — the English changed ({where}): {short!r}")
        else:
            found += [f"{page}: {problem} ({where}): {short!r}" for problem in
                      translation_problems(msg, entry.string, terms, " ".join(entry.user_comments))]
    return found


# --- build ----------------------------------------------------------------------------------------

LANGUAGE_CELL = {
    "cell_type": "code",
    "execution_count": None,
    "id": "gdcore-language-zh-cn",
    "metadata": {"tags": ["remove-cell"]},
    "outputs": [],
    "source": ["# 中文版：练习检查函数的判定与提示用中文输出。\n",
               "import gdcore\n",
               "\n",
               "gdcore.set_language(\"zh_CN\")"],
}


def _verdict_translator():
    """English verdict line → the line gdcore prints in Chinese (for committed outputs)."""
    sys.path.insert(0, str(ROOT))
    from gdcore import i18n

    return i18n.translate_output


def notebook(page: str, tab: dict[str, str]) -> dict:
    nb = json.loads(source_of(page).read_text(encoding="utf-8"))
    zh = copy.deepcopy(nb)
    verdict = _verdict_translator()
    cells = []
    for cell in zh["cells"]:
        if cell["cell_type"] == "markdown":
            cell["source"] = _lines(translate_text("".join(cell["source"]), tab))
        elif cell["cell_type"] == "code":
            if (alt := _alt(cell)) is not None:
                cell["metadata"]["mystnb"]["image"]["alt"] = tab.get(alt, alt)
            for output in cell.get("outputs", []):
                if output.get("output_type") == "stream":
                    text = "".join(output["text"])
                    output["text"] = _lines(verdict(text, LANG))
        cells.append(cell)
        if cell["cell_type"] == "code" and not any(c.get("id") == LANGUAGE_CELL["id"]
                                                   for c in cells):
            cells.append(copy.deepcopy(LANGUAGE_CELL))  # right after the setup cell
    zh["cells"] = cells
    zh["metadata"]["language"] = LANG  # the edition, read by tools/grade.py and make_student
    return zh


def _lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def _dump(nb: dict) -> str:
    return json.dumps(nb, indent=1, ensure_ascii=False) + "\n"


def config_text() -> str:
    """zh_CN/_config.yml: the English configuration, translated and pointed at shared files."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    tab = table(BOOK)
    config["title"] = tab.get(config["title"], config["title"])
    config["exclude_patterns"] = [p for p in config["exclude_patterns"] if p != LANG]
    config["bibtex_bibfiles"] = ["../references.bib"]
    config["repository"]["path_to_book"] = LANG
    config["html"]["favicon"] = "../_assets/favicon.png"
    sphinx = config["sphinx"]
    sphinx["local_extensions"] = {k: f"../{v}" for k, v in sphinx["local_extensions"].items()}
    sphinx["config"]["html_static_path"] = ["../_assets"]
    sphinx["config"]["language"] = LANG
    # The theme's own strings its zh_CN catalogue lacks (button labels of the header menus).
    sphinx["config"]["language_switch"] = {"root": "../", "text": "English",
                                           "tooltip": "This page in English", "hreflang": "en",
                                           "labels": {"Repository": "源代码仓库",
                                                      "Open issue": "提交问题"}}
    # sphinx-togglebutton picks its hint before Sphinx knows the language: say it here.
    sphinx["config"]["togglebutton_hint"] = "点击显示"
    sphinx["config"]["togglebutton_hint_hide"] = "点击隐藏"
    # Sphinx cuts the index into words with jieba but a query only at spaces: zh_search.js
    # (in ../_assets) cuts a Chinese query into the index's words, so 梯度下降 finds pages.
    sphinx["config"]["html_js_files"] = ["zh_search.js"]
    # Chinese search: Sphinx segments words with jieba (installed from requirements.txt).
    sphinx["config"]["html_search_language"] = "zh"
    head = ("# Generated by tools/i18n.py from ../_config.yml: edit that file, then run\n"
            "# `python tools/i18n.py build`. The Chinese edition of the book (make book-zh).\n")
    return head + yaml.safe_dump(config, allow_unicode=True, sort_keys=False, width=100)


def toc_text() -> str:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    tab = table(BOOK)
    for part in toc["parts"]:
        part["caption"] = tab.get(part["caption"], part["caption"])
    head = ("# Generated by tools/i18n.py from ../_toc.yml (captions from "
            "locales/zh_CN/LC_MESSAGES/book.po).\n")
    return head + yaml.safe_dump(toc, allow_unicode=True, sort_keys=False)


def edition() -> dict[str, str]:
    """Every file of ``zh_CN/``, relative path → text."""
    files = {"_config.yml": config_text(), "_toc.yml": toc_text()}
    for page in toc_pages():
        path = source_of(page)
        tab = table(page)
        if path.suffix == ".ipynb":
            files[f"{page}.ipynb"] = _dump(notebook(page, tab))
        else:
            files[f"{page}.md"] = translate_text(path.read_text(encoding="utf-8"), tab)
    return files


def stale(files: dict[str, str]) -> list[str]:
    """Files of ``zh_CN/`` that differ from ``files`` (missing, changed or extra)."""
    out = [name for name, text in files.items()
           if not (OUT / name).exists() or (OUT / name).read_text(encoding="utf-8") != text]
    ignored = {"_build", ".ipynb_checkpoints", "__pycache__", ".jupyter_cache"}
    extra = [str(p.relative_to(OUT)) for p in OUT.rglob("*")
             if p.is_file() and not ignored & set(p.relative_to(OUT).parts)
             and str(p.relative_to(OUT)) not in files]
    return out + extra


def build(check_only: bool = False) -> int:
    files = edition()
    changed = stale(files)
    if check_only:
        for name in changed:
            print(f"{LANG}/{name} is not what tools/i18n.py build writes")
        return 1 if changed else 0
    for name, text in files.items():
        (OUT / name).parent.mkdir(parents=True, exist_ok=True)
        (OUT / name).write_text(text, encoding="utf-8")
    for name in changed:
        if name not in files:
            (OUT / name).unlink()
    print(f"{LANG}/: {len(files)} files, {len(changed)} changed")
    return 0


# --- the translator's workbench ---------------------------------------------------------------

SEPARATOR = "=" * 30
ZH_MARK = "----- zh -----"


def export(page: str, dest: Path) -> None:
    catalog = load(page)
    chunks = [f"# page: {page}\n# Fill in the text under each '{ZH_MARK}' line; keep math, code,\n"
              f"# roles, labels and links exactly. A 'fuzzy' message's English changed: edit its\n"
              f"# Chinese, or delete the word 'fuzzy' from its header if it is still right.\n"
              f"# Then: python tools/i18n.py import {dest}\n"]
    seen = set()
    for msg, where in extract(page):
        if msg in seen:
            continue
        seen.add(msg)
        entry = catalog.get(msg)
        zh = entry.string if entry is not None and entry.string else ""
        fuzzy = " fuzzy" if entry is not None and entry.fuzzy else ""
        chunks.append(f"{SEPARATOR} {where}{fuzzy}\n{msg}\n{ZH_MARK}\n{zh}\n")
    dest.write_text("".join(chunks), encoding="utf-8")


def parse_workbench(text: str, with_flags: bool = False) -> tuple[str, list]:
    """(page, [(english, chinese)]) of a workbench file; with ``with_flags`` each pair also says
    whether its header line still says ``fuzzy``."""
    page = re.match(r"# page: (\S+)", text).group(1)
    pairs = []
    for chunk in text.split(SEPARATOR + " ")[1:]:
        head, _, body = chunk.partition("\n")
        english, sep, zh = body.partition(f"\n{ZH_MARK}\n")
        if not sep:
            raise ValueError(f"{page}: no '{ZH_MARK}' line after {head}")
        pair = (english, zh.strip("\n"))
        pairs.append((*pair, head.endswith(" fuzzy")) if with_flags else pair)
    return page, pairs


def lint_workbench(path: Path) -> list[str]:
    """The problems of a workbench file's filled-in translations (nothing is imported)."""
    page, pairs = parse_workbench(path.read_text(encoding="utf-8"))
    known = {msg for msg, _ in extract(page)}
    terms = glossary()
    found = []
    for english, zh in pairs:
        short = english.replace("\n", " ")[:70]
        if english not in known:
            found.append(f"not a message of {page} (English edited?): {short!r}")
        elif zh:
            found += [f"{problem}: {short!r}"
                      for problem in translation_problems(english, zh, terms)]
    empty = sum(1 for _, zh in pairs if not zh)
    found += [f"{empty} of {len(pairs)} messages still empty"] if empty else []
    return found


def import_workbench(path: Path) -> list[str]:
    page, pairs = parse_workbench(path.read_text(encoding="utf-8"), with_flags=True)
    catalog = load(page)
    unknown = []
    for english, zh, marked_fuzzy in pairs:
        entry = catalog.get(english)
        if entry is None:
            unknown.append(english[:80])
            continue
        # A fuzzy translation stays fuzzy until it is edited or its header loses "fuzzy":
        # importing an exported file unread must not approve it.
        if zh and (zh != entry.string or not marked_fuzzy):
            entry.string = zh
            entry.flags.discard("fuzzy")
            entry.previous_id = []
    save(page, catalog)
    return unknown


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("update")
    sub.add_parser("check")
    b = sub.add_parser("build")
    b.add_argument("--check", action="store_true")
    e = sub.add_parser("export")
    e.add_argument("page")
    e.add_argument("file", type=Path)
    i = sub.add_parser("import")
    i.add_argument("file", type=Path)
    lint = sub.add_parser("lint")
    lint.add_argument("file", type=Path)
    args = parser.parse_args(argv)
    if args.command == "update":
        for page in all_pages():
            new, fuzzy = update(page)
            if new or fuzzy:
                print(f"{page}: {new} new, {fuzzy} fuzzy")
        return 0
    if args.command == "check":
        terms = glossary()
        found = [line for page in all_pages() for line in problems(page, terms)]
        for line in found:
            print(line)
        total = sum(len(extract(p)) for p in all_pages())
        print(f"{total} messages, {len(found)} problems")
        return 1 if found else 0
    if args.command == "build":
        return build(args.check)
    if args.command == "export":
        export(args.page, args.file)
        return 0
    if args.command == "lint":
        found = lint_workbench(args.file)
        print("\n".join(found) or "no problems")
        return 1 if found else 0
    unknown = import_workbench(args.file)
    for english in unknown:
        print(f"not a message of the page (was the English edited?): {english!r}")
    return 1 if unknown else 0


if __name__ == "__main__":
    sys.exit(main())
