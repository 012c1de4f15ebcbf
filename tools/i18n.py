"""The Chinese edition: English sources + gettext catalogues → the ``zh_CN/`` book.

One source, two languages. The English notebooks and pages are the source; their prose is cut into
messages (one per paragraph, list, table, heading or directive header; math, code and labels are
not messages), and ``locales/zh_CN/LC_MESSAGES/<page>.po`` holds each message's translation. From
these two, ``build`` writes the Chinese book ``zh_CN/``: the same notebooks cell for cell — code
cells and their outputs copied by this tool, never by hand — with the markdown cells, figure alt
texts, table-of-contents captions and book title translated. ``zh_CN/`` is committed (so that
Binder, Colab and "download .ipynb" give Chinese readers Chinese notebooks) and a test checks that
it is exactly what ``build`` writes from the current sources.

The work is done by the modules of ``tools/translation/`` (one idea each; see its ``__init__``);
this file is their command line.

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

import argparse
import sys
from pathlib import Path

from translation import paths  # noqa: F401 — tests point it at a copy of the sources
from translation.catalogue import catalogue_path, load, save, table, update  # noqa: F401
from translation.check import glossary, invariants, problems, structure_errors, translation_problems  # noqa: F401
from translation.edition import (  # noqa: F401
    LANGUAGE_CELL,
    build,
    config_text,
    edition,
    notebook,
    stale,
    toc_text,
)
from translation.markdown import join_wide_lines, messages, pieces, translate_text  # noqa: F401
from translation.paths import LANG  # noqa: F401
from translation.sources import BOOK, all_pages, extract, source_of, toc_pages  # noqa: F401
from translation.workbench import export, import_workbench, lint_workbench, parse_workbench  # noqa: F401


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
