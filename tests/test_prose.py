"""The prose never hand-types a number the code measures.

A number a cell computes and the text repeats (a rate, an error, a count, a best step, κ) either
comes from the computation (myst-nb's ``{glue:text}`` role) or the sentence points to the printed
output. This scans the markdown of every page for numbers that look measured — a decimal of three
or more significant digits, or a whole number of three or more digits after "about", "≈" or "~" —
and fails on any that is neither glued nor on the allow-list below, whose entries say why a number
is a definition rather than a measurement.
"""

import re

import nbformat
import pytest
from paths import ROOT, toc_pages

# (page, number as written): why it is not a measurement the code makes.
ALLOWED = {
    ("chapters/04b_vanishing_exploding", "0.693"): "log 2, a constant",
    ("chapters/04b_vanishing_exploding", "1.02"): "the target the text defines (y = 1.02^T)",
    ("chapters/05_optimizers", "0.999"): "Adam's default beta2 (torch.optim.Adam)",
    ("chapters/05b_adam_schedules", "0.999"): "Adam's default beta2 (torch.optim.Adam)",
    ("chapters/05d_digits_distributed", "25.6"): "ResNet-50's parameter count (He et al. 2016)",
}

DECIMAL = re.compile(r"(?<![\w.])\d+\.\d+(?:[eE][-+]?\d+)?(?![\w.])")
APPROX = re.compile(
    r"(?:about|approximately|roughly|nearly|≈|\\approx|~)\s*\$?\s*(\d{3,})(?![\w.])")
# Parts of the markdown whose numbers are not prose: code, glued values, roles, links, comments.
STRIP = [
    re.compile(r"```.*?```|~~~.*?~~~", re.S),
    re.compile(r"\{glue(?::\w+)?\}`[^`]*`"),
    re.compile(r"\{\w+\}`[^`]*`"),
    re.compile(r"`[^`\n]*`"),
    re.compile(r"\]\([^)]*\)|https?://\S+"),
    re.compile(r"<!--.*?-->", re.S),
    re.compile(r":label:.*|:name:.*"),
]


def significant_digits(number: str) -> int:
    mantissa = re.split(r"[eE]", number)[0].replace(".", "")
    return len(mantissa.lstrip("0"))


def markdown_of(page: str) -> str:
    path = ROOT / f"{page}.ipynb"
    if path.exists():
        nb = nbformat.read(path, as_version=4)
        return "\n\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    return (ROOT / f"{page}.md").read_text(encoding="utf-8")


def measured_looking_numbers(text: str) -> list[str]:
    for pattern in STRIP:
        text = pattern.sub(" ", text)
    found = [m.group(0) for m in DECIMAL.finditer(text) if significant_digits(m.group(0)) >= 3]
    return found + [m.group(1) for m in APPROX.finditer(text)]


@pytest.mark.parametrize("text, expected", [
    ("rates 0.9802 and 0.99980, so about 690 steps", ["0.9802", "0.99980", "690"]),
    ("$\\eta^* \\approx 1.82$ and η = 0.5, 1e-3, 2.5e-4", ["1.82"]),
    ("the glued {glue:text}`rate:.4f`, the code `lr=0.001`, the year 2014", []),
    ("a 3.14e-5 error ≈ 7400", ["3.14e-5", "7400"]),
])
def test_the_scanner_finds_measured_looking_numbers(text, expected):
    assert measured_looking_numbers(text) == expected


@pytest.mark.parametrize("page", [p for p in toc_pages() if p != "chapters/bibliography"])
def test_prose_numbers_are_glued_or_allowed(page):
    found = measured_looking_numbers(markdown_of(page))
    unexplained = [n for n in found if (page, n) not in ALLOWED]
    assert not unexplained, (
        f"{page}: numbers typed into the prose {unexplained}; glue them from the cell that "
        "computes them ({glue:text}`name`), refer to the printed output, or, for a definition, "
        "add an entry saying why to ALLOWED in tests/test_prose.py")


def test_allow_list_entries_are_still_used():
    for page, number in ALLOWED:
        assert number in measured_looking_numbers(markdown_of(page)), (page, number)
