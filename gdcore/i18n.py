"""The reader's language: English by default, Chinese for the Chinese edition.

gdcore's user-facing messages (the homework checkers' verdicts and hints) are English templates
looked up in a gettext catalogue, ``gdcore/locale/<lang>.po``, and formatted *after* the lookup::

    raise Wrong(_("shape {got} where {want} was expected").format(got=..., want=...))

so that the translator sees the placeholders, never a formatted value. The language is the one
set with ``set_language`` if any, else the environment variable ``GDCORE_LANG``, else English.
A template stored in a table before the language is known is marked with ``N_`` (returned
unchanged, but found by the extractor) and looked up with ``_`` where it is shown.

The catalogue is read by the small parser below (the subset of the ``.po`` format gdcore writes:
``msgid``/``msgstr``, multi-line quoted strings, escapes, comments, ``#, fuzzy``), once, on first
use: gdcore depends on numpy alone.
"""

import os
import re
import string
from pathlib import Path

__all__ = ["set_language", "language", "parse_language", "gettext", "translate", "_", "N_",
           "translate_output", "LANGUAGES"]

LANGUAGES = ("en", "zh_CN")
ENV = "GDCORE_LANG"
_ALIASES = {"en": "en", "zh_cn": "zh_CN", "zh": "zh_CN", "zh_hans": "zh_CN"}
_LOCALE = Path(__file__).resolve().parent / "locale"

_chosen = None      # the language set with set_language, or None for the default
_catalogues = {}    # lang → {msgid: msgstr}, loaded on first use


def _normalize(lang, where=""):
    key = lang.replace("-", "_").lower() if isinstance(lang, str) else None
    if key not in _ALIASES:
        allowed = ", ".join(repr(x) for x in LANGUAGES)
        raise ValueError(f"Invalid language: {lang!r} (allowed: {allowed}){where}")
    return _ALIASES[key]


def parse_language(lang) -> str:
    """``lang`` normalized to "en" or "zh_CN"; ValueError for anything else."""
    return _normalize(lang)


def set_language(lang):
    """Use ``lang`` for every message from now on ('en', 'zh_CN'; also 'zh', 'zh-CN',
    'zh_Hans'); ``None`` goes back to the default (``GDCORE_LANG``, else English)."""
    global _chosen
    _chosen = None if lang is None else _normalize(lang)


def language() -> str:
    """The current language, ``"en"`` or ``"zh_CN"``."""
    if _chosen is not None:
        return _chosen
    env = os.environ.get(ENV, "")
    # read at every call, so that a notebook or a test can change it; a bad value is an error
    # rather than a silent fall back to English, naming the variable that holds it
    return _normalize(env, f" in the environment variable {ENV}") if env else "en"


def gettext(message: str) -> str:
    """The translation of the English template ``message`` in the current language (the
    template itself in English, or when the catalogue has no translation of it)."""
    return translate(message, language())


def translate(message: str, lang: str) -> str:
    """``gettext`` for a given language ("en" or "zh_CN") rather than the current one: for a
    report on several submissions, each in its own language."""
    if lang == "en":
        return message
    return catalogue(lang).get(message) or message


_ = gettext


def N_(message: str) -> str:
    """Mark a template for the catalogue without translating it yet (``gettext_noop``)."""
    return message


def catalogue(lang: str) -> dict:
    """{English template: translation} of ``lang`` (fuzzy and empty entries left out)."""
    if lang not in _catalogues:
        path = _LOCALE / f"{lang}.po"
        _catalogues[lang] = read_po(path.read_text(encoding="utf-8")) if path.exists() else {}
    return _catalogues[lang]


# --- the .po subset -------------------------------------------------------------------------

_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
_QUOTED = re.compile(r'^"((?:[^"\\]|\\.)*)"$')


def _unquote(text: str, lineno: int) -> str:
    match = _QUOTED.match(text.strip())
    if not match:
        raise ValueError(f"line {lineno} of the catalogue: expected a quoted string, got {text!r}")
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), "\\" + m.group(1)),
                  match.group(1))


def read_po(text: str, *, fuzzy: bool = False) -> dict:
    """{msgid: msgstr} of a ``.po`` text; the header (msgid "") and empty msgstrs are left out,
    and fuzzy entries too unless ``fuzzy``."""
    entries, entry, field, flags = {}, {}, None, set()

    def finish():
        nonlocal entry, field, flags
        if "msgid" in entry and entry["msgid"] and entry.get("msgstr") and \
                (fuzzy or "fuzzy" not in flags):
            entries[entry["msgid"]] = entry["msgstr"]
        entry, field, flags = {}, None, set()

    for lineno, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped:
            finish()
        elif stripped.startswith("#"):
            if "msgid" in entry and "msgstr" in entry:
                finish()  # a comment starts the next entry
            if stripped.startswith("#,"):
                flags |= {f.strip() for f in stripped[2:].split(",")}
        elif stripped.startswith('"'):
            if field is None:
                raise ValueError(f"line {lineno} of the catalogue: a string outside an entry")
            entry[field] += _unquote(stripped, lineno)
        else:
            keyword, _, rest = stripped.partition(" ")
            if keyword not in ("msgid", "msgstr", "msgctxt"):
                raise ValueError(f"line {lineno} of the catalogue: unknown keyword {keyword!r}")
            if keyword in ("msgid", "msgctxt") and "msgstr" in entry:
                finish()
            field = keyword
            entry[field] = _unquote(rest, lineno)
    finish()
    return entries


# --- committed outputs of the Chinese edition -----------------------------------------------

_VERDICT = re.compile(r"^(?P<mark>[✓✗…]) (?P<name>\S+): (?P<message>.*)$")
_FIELD = re.compile(r"\{([^{}]*)\}")
_pattern_cache = {}


def _fields(template):
    """The names of the replacement fields of a template, in order (None: not a template)."""
    try:
        return [(name, spec, conv) for _, name, spec, conv in string.Formatter().parse(template)
                if name is not None]
    except ValueError:
        return None


def _patterns(lang):
    """(regex, English template, translation) for each template with fields, longest first, so
    that a formatted English message can be matched and re-formatted in ``lang``."""
    if lang in _pattern_cache:
        return _pattern_cache[lang]
    out = []
    for msgid, msgstr in catalogue(lang).items():
        fields = _fields(msgid)
        if not fields or any(not name.isidentifier() for name, _, _ in fields):
            continue
        regex, seen = "", set()
        for literal, name, _, _ in string.Formatter().parse(msgid):
            regex += re.escape(literal)
            if name is not None:
                regex += f"(?P={name})" if name in seen else f"(?P<{name}>.+?)"
                seen.add(name)
        out.append((re.compile(f"^{regex}$", re.DOTALL), msgid, msgstr))
    out.sort(key=lambda p: -len(p[1]))
    _pattern_cache[lang] = out
    return out


def _translate_message(message, lang, depth=0):
    """``message`` (an English message as gdcore formats it) in ``lang``, or None."""
    table = catalogue(lang)
    if message in table:
        return table[message]
    if depth > 2:
        return None
    for regex, _, msgstr in _patterns(lang):
        match = regex.match(message)
        if not match:
            continue
        # the values were formatted once already: put their text back, translated when a value
        # is itself a message (a hint inside a sentence)
        values = {k: _translate_message(v, lang, depth + 1) or v
                  for k, v in match.groupdict().items()}
        return _FIELD.sub(lambda m, values=values: values.get(re.split(r"[!:]", m.group(1))[0],
                                                              m.group(0)),
                          msgstr.replace("{{", "\0").replace("}}", "\1")
                          ).replace("\0", "{").replace("\1", "}")
    return None


def _translate_line(line, lang):
    match = _VERDICT.match(line)
    if not match:
        return line
    mark, name, message = match.group("mark", "name", "message")
    table = catalogue(lang)
    if mark == "✓":
        return f"✓ {name}: {table.get('correct', 'correct')}" if message == "correct" else line
    if mark == "…":
        head, sep, hint = message.partition(" — ")
        if head != "not yet solved" or not sep:
            return line
        hint = _translate_message(hint, lang)
        if hint is None:
            return line
        return f"… {name}: {table.get('not yet solved', 'not yet solved')} — {hint}"
    translated = _translate_message(message, lang)
    return line if translated is None else f"✗ {name}: {translated}"


def translate_output(text: str, lang: str) -> str:
    """``text`` (a stream output of an English notebook) with every verdict line of
    ``gdcore.checks`` replaced by the line it prints in ``lang``; other lines unchanged.

    Every ``✓ name: correct`` line is translated; a ``✗``/``…`` line when its message is one of
    the catalogue's messages (or a template of it with the values filled in). A line that cannot
    be matched stays English."""
    lang = _normalize(lang)
    if lang == "en":
        return text
    return "".join(_translate_line(line.rstrip("\n"), lang) + line[len(line.rstrip("\n")):]
                   for line in text.splitlines(keepends=True))
