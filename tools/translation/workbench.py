"""The translator's plain-text workbench: every message of a page with its English and Chinese,
no escaping (TeX's backslashes stay as they are)."""

import re
from pathlib import Path

from .catalogue import load, save
from .check import glossary, translation_problems
from .sources import extract

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
