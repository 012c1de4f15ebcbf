"""Write the student edition of the course into ``student/`` (``make student``).

The student edition is the same book with the answers taken out:

- every code cell tagged ``solution`` becomes a stub: imports stay, each top-level function keeps
  its signature and docstring and raises ``NotImplementedError``, each top-level assignment
  becomes ``name = ...``; the checker cell after it stays, and reports "not yet solved" until the
  student fills the stub in;
- the markdown cells that open and close a solution dropdown (``{solution-start}`` /
  ``{solution-end}``, or a whole ``{solution}`` directive) are removed;
- all outputs and execution counts are cleared.

The output is deterministic (same input, same bytes) and the tool is idempotent (running it on the
student edition changes nothing). The pages around the notebooks (configuration, table of
contents, intro, appendix) are copied so that ``jupyter-book build student/`` publishes it.

Usage: python tools/make_student.py [--source .] [--out student]
"""

import argparse
import ast
import shutil
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
COPIED = ["_config.yml", "_toc.yml", "intro.md", "references.bib", "_assets", "_ext"]
STUB_HEADER = "# Your answer. Run the checker cell below to see whether it is right."
SOLUTION_MARKERS = ("{solution-start}", "{solution-end}", "{solution}")


def stub_source(source: str) -> str:
    """The stub of a solution cell: signatures and names kept, bodies and values removed."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return f"{STUB_HEADER}\n...\n"
    parts = [STUB_HEADER]
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            parts.append(ast.unparse(node))
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            parts.append(_stub_definition(node))
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = " = ".join(ast.unparse(t) for t in targets)
            parts.append(f"{names} = ...  # TODO")
    return "\n".join(parts) + "\n"


def _stub_definition(node) -> str:
    docstring = ast.get_docstring(node, clean=False)
    body = [ast.Expr(ast.Constant(docstring))] if docstring else []
    if isinstance(node, ast.ClassDef):
        methods = [n for n in node.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
        stubbed = ast.parse("\n\n".join(_stub_definition(m) for m in methods)).body
        node.body = body + (stubbed or [ast.Pass()])
    else:
        todo = ast.parse('raise NotImplementedError("TODO: write this function")').body
        node.body = body + todo
    return ast.unparse(node)


def is_solution_markup(cell) -> bool:
    """Markdown cells that open, close or hold a solution dropdown."""
    return cell.cell_type == "markdown" and any(m in cell.source for m in SOLUTION_MARKERS)


def student_notebook(nb):
    """A new notebook: the student version of ``nb`` (``nb`` itself is not modified)."""
    nb = nbformat.from_dict(nb)
    cells = []
    for cell in nb.cells:
        if is_solution_markup(cell):
            continue
        cell.metadata.pop("execution", None)  # timings from the last run: not deterministic
        if cell.cell_type == "code":
            if "solution" in cell.metadata.get("tags", []):
                cell.source = stub_source(cell.source)
            cell.outputs = []
            cell.execution_count = None
        cells.append(cell)
    nb.cells = cells
    nb.metadata.pop("widgets", None)
    return nb


def make_student(source: Path, out: Path) -> list[Path]:
    """Write the student edition of ``source`` into ``out``; returns the notebooks written."""
    out.mkdir(parents=True, exist_ok=True)
    for name in COPIED:
        src = source / name
        if src.is_dir():
            shutil.copytree(src, out / name, dirs_exist_ok=True)
        elif src.exists():
            shutil.copyfile(src, out / name)
    (out / "chapters").mkdir(exist_ok=True)
    written = []
    for page in sorted((source / "chapters").iterdir()):
        target = out / "chapters" / page.name
        if page.suffix == ".ipynb":
            nb = student_notebook(nbformat.read(page, as_version=4))
            nbformat.write(nb, target)
            written.append(target)
        elif page.suffix == ".md":
            shutil.copyfile(page, target)
    return written


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=ROOT)
    parser.add_argument("--out", type=Path, default=ROOT / "student")
    args = parser.parse_args(argv)
    written = make_student(args.source, args.out)
    print(f"student edition: {len(written)} notebooks in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
