"""Cutting markdown into messages (one per paragraph, list, table, heading or directive header;
math, code and labels are not messages), and putting the translations back."""

import re
import textwrap
from dataclasses import dataclass

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
    return len(stripped) >= len(mark) and set(stripped) == {mark[0]}


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
