"""What a translation must keep (math, code, roles, links, labels, headings), and the glossary."""

import re
from dataclasses import dataclass

from . import paths
from .catalogue import load
from .markdown import CODE, COMMENT, FENCE_LINE, FIXED_OPTION, HEADING, LABEL, LINK, MATH, ROLE, TAG
from .sources import extract

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
    for line in paths.GLOSSARY.read_text(encoding="utf-8").splitlines():
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
