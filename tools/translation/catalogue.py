"""The gettext catalogues ``locales/zh_CN/LC_MESSAGES/<page>.po``: reading, writing, and
merging the current messages into them (``update``, like ``msgmerge``)."""

import difflib
import re
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from . import paths
from .paths import LANG
from .sources import extract

HEADER_COMMENT = ("# Chinese translation of the course's prose (see tools/i18n.py).\n"
                  "# Math, code, roles, labels and links stay exactly as in the English;\n"
                  "# the terms follow locales/zh_CN/GLOSSARY.md.")


def catalogue_path(page: str) -> Path:
    return paths.LOCALES / f"{page}.po"


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
