"""What the two grader exports share (``tools/make_otter.py``, ``tools/make_nbgrader.py``).

Both turn each chapter with exercises into one assignment notebook: they take the chapter's cells
the same way (``assignment_cells``, ``assignment_notebook``), write one notebook per chapter
(``write_assignments``) and have the same command line (``main``).
"""

import argparse
from collections.abc import Callable, Iterator
from pathlib import Path

import make_student
import nbformat

ROOT = Path(__file__).resolve().parents[1]


def assignment_cells(nb) -> Iterator[tuple[int, nbformat.NotebookNode]]:
    """(index in the chapter, copy of the cell) of the cells an assignment starts from: outputs
    and execution times cleared (they are the teacher's), the solution dropdowns left out."""
    for i, cell in enumerate(nb.cells):
        cell = nbformat.from_dict(cell)
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        if not make_student.is_solution_markup(cell):
            yield i, cell


def assignment_notebook(nb, cells: list) -> nbformat.NotebookNode:
    """A notebook of ``cells`` with the chapter's metadata, less the saved widget state."""
    out = nbformat.v4.new_notebook(cells=cells, metadata=nb.metadata)
    out.metadata.pop("widgets", None)
    return out


def write_assignments(source: Path, notebooks, convert: Callable, folder_of: Callable[[Path], Path],
                      ) -> list[Path]:
    """Write ``convert(chapter notebook, path)`` to ``folder_of(path) / path.name`` for every
    chapter (or the given notebooks) it does not turn into None; returns the paths written."""
    written = []
    for path in notebooks or sorted((source / "chapters").glob("*.ipynb")):
        nb = convert(nbformat.read(path, as_version=4), path)
        if nb is None:
            continue
        folder = folder_of(path)
        folder.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, folder / path.name)
        written.append(folder / path.name)
    return written


def main(argv, doc: str, make: Callable, default_out: Path, done: str) -> int:
    """``[--source .] [--out DIR] [NOTEBOOK ...]``: runs ``make(source, out, notebooks)``, then
    prints ``done`` formatted with n (the number of notebooks written) and out."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--source", type=Path, default=ROOT)
    parser.add_argument("--out", type=Path, default=default_out)
    args = parser.parse_args(argv)
    written = make(args.source, args.out, args.notebooks or None)
    print(done.format(n=len(written), out=args.out))
    return 0
