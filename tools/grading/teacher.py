"""The exercises of the teacher's edition: which checker, called with what, worth how much.

An exercise is a code cell (not tagged ``solution``) of ``chapters/*.ipynb`` that calls
``gd.checks.<topic>.check_<name>(<arguments>)``. Its metadata carries the grading key, declared
once, in the teacher's edition:

    "grading": {"exercise": "<label of the exercise directive>", "points": 2,
                "forbid": ["gdcore.numdiff.central_difference"]}

``forbid`` (optional) lists the gdcore functions the exercise asks the student to write; they are
switched off while that exercise is graded. Without it, the gdcore functions whose name is the
name of the student's function are (``derived_forbid``). A checker cell without the key is worth
1 point and takes its label from the nearest ``{exercise}`` directive above it.
"""

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

LABEL = re.compile(r"^:label:\s*(\S+)", re.MULTILINE)
NUMERIC_MODULES = ("numdiff", "functions", "optimizers", "schedules", "clipping", "descent",
                   "autodiff", "mlp", "data", "curvature", "linesearch", "lbfgs")


@dataclass
class Exercise:
    label: str
    topic: str          # gdcore.checks.<topic>
    checker: str        # check_<name>
    args: list          # source of each positional argument, evaluated in the student's kernel
    kwargs: dict        # name -> source
    points: int
    forbid: list = field(default_factory=list)
    cell: int = 0       # index of the checker cell in the teacher's notebook

    def as_dict(self):
        return dict(self.__dict__)


def _checker_call(node):
    """(topic, checker) for ``gd.checks.<topic>.check_x(...)`` / ``gdcore.checks....``."""
    func = node.func
    chain = []
    while isinstance(func, ast.Attribute):
        chain.append(func.attr)
        func = func.value
    if not isinstance(func, ast.Name):
        return None
    chain.append(func.id)
    chain.reverse()
    if len(chain) == 4 and chain[0] in ("gd", "gdcore") and chain[1] == "checks" \
            and chain[3].startswith("check_"):
        return chain[2], chain[3]
    return None


def derived_forbid(names):
    """gdcore functions named like the student's functions (e.g. numdiff.central_difference)."""
    import importlib

    found = []
    for module in NUMERIC_MODULES:
        try:
            mod = importlib.import_module(f"gdcore.{module}")
        except ImportError:
            continue
        found += [f"gdcore.{module}.{n}" for n in names if callable(getattr(mod, n, None))]
    return found


def exercises(nb) -> list[Exercise]:
    """The checked exercises of a teacher's notebook, in order."""
    found, label = [], None
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown" and "{exercise}" in cell.source:
            match = LABEL.search(cell.source)
            label = match.group(1) if match else None
        if cell.cell_type != "code" or "solution" in cell.metadata.get("tags", []):
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not (where := _checker_call(node)):
                continue
            meta = cell.metadata.get("grading", {})
            args = [ast.unparse(a) for a in node.args]
            kwargs = {k.arg: ast.unparse(k.value) for k in node.keywords if k.arg}
            names = [a for a in args + list(kwargs.values()) if a.isidentifier()]
            forbid = meta.get("forbid")
            found.append(Exercise(
                label=meta.get("exercise") or label or where[1], topic=where[0], checker=where[1],
                args=args, kwargs=kwargs, points=int(meta.get("points", 1)),
                forbid=list(forbid) if forbid is not None else derived_forbid(names),
                cell=index))
    return found


def teacher_notebooks(course: Path) -> dict[str, Path]:
    return {p.name: p for p in sorted((course / "chapters").glob("*.ipynb"))}


def match(submission: Path, teachers: dict[str, Path]):
    """The teacher's notebook a submission answers: same file name, else the longest chapter
    name contained in its name (``alice-01_derivatives.ipynb``); None when there is none."""
    if submission.name in teachers:
        return submission.name
    stems = [n for n in teachers if Path(n).stem in submission.stem]
    return max(stems, key=len) if stems else None


def read_exercises(path: Path) -> list[Exercise]:
    return exercises(nbformat.read(path, as_version=4))
