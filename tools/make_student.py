"""Write the student edition of the course into ``student/`` (``make student``).

The student edition is the same book with the answers taken out:

- every code cell tagged ``solution`` becomes a stub: imports stay, each top-level function keeps
  its signature and docstring and raises ``NotImplementedError``, each top-level assignment
  becomes ``name = ...``; the checker cell after it stays, and reports "not yet solved" until the
  student fills the stub in;
- the markdown cells that open and close a solution dropdown (``{solution-start}`` /
  ``{solution-end}``, or a whole ``{solution}`` directive) are removed;
- all outputs and execution counts are cleared, except the values glued into the prose
  (``myst_nb.glue`` records), so that the edition renders as a book without executing.

``student/`` is a repository of its own, ready to push for a class (GitHub Classroom, Binder,
Colab): the book's pages and configuration; a copy of ``gdcore`` with its ``pyproject.toml`` (a
copy, not a pinned install from the teacher's repository: the student repository then runs
without the teacher's, which may be private, and Colab's ``pip install git+<student repo>``
works); ``requirements.txt`` with the book's pins minus the test tools; ``runtime.txt`` for
Binder; a README for students; the grader (``tools/``) and, in ``.github/``, a GitHub Classroom
workflow with one test per exercise worth the points of the teacher's edition.

The repository URL of the student edition is the student repository's, set with
``tools/set_repository.py --student URL`` (kept in ``tools/student_repo/repository.yml``): the
launch buttons and Colab lines of the student book then never open the teacher's fork. Without
one, the student book has no launch or repository buttons.

The output is deterministic (same input, same bytes) and the tool is idempotent (running it on the
student edition changes nothing).

The Chinese edition (``--edition zh_CN``, ``make student-zh``) is written the same way from the
Chinese book ``zh_CN/`` (tools/i18n.py) into ``student-zh/``: Chinese pages and notebooks, the
same gdcore, grader and Classroom workflow; its checkers answer in Chinese (the notebooks set
``gdcore.set_language("zh_CN")``, the grader reads their ``language`` metadata).

Usage: python tools/make_student.py [--source .] [--out student] [--edition en|zh_CN]
"""

import argparse
import ast
import json
import re
import shutil
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "tools" / "student_repo"
STUDENT_CONFIG = TEMPLATES / "repository.yml"  # written by tools/set_repository.py --student
BOOK_FILES = ["_config.yml", "_toc.yml", "intro.md"]  # from the edition's book folder
COPIED = ["references.bib", "_assets", "_ext", "runtime.txt", "LICENSE"]  # from the repository
EDITIONS = {"en": ".", "zh_CN": "zh_CN"}  # edition → its book folder in the repository
GRADER = ["grade.py", "grading"]  # copied from tools/ into the student repository's tools/
TEST_TOOLS = {"nbval", "pytest", "pytest-xdist"}  # in requirements.txt, not needed by students
PYPROJECT_SECTIONS = re.compile(r"^\[(build-system|project(\.[\w-]+)?|tool\.setuptools[\w.-]*)\]$")
STUB_HEADER = "# Your answer. Run the checker cell below to see whether it is right."
SOLUTION_MARKERS = ("{solution-start}", "{solution-end}", "{solution}")
EXERCISE = re.compile(r"^`{3,}\{exercise\}\s*(.*?)\s*\n:label:\s*(\S+)", re.MULTILINE)
CHECKER_CALL = re.compile(r"\bgd\.checks\.(\w+)\.(check_\w+)\s*\(")
PLAIN_CHECK = re.compile(r"_\s*=\s*gd\.checks\.\w+\.check_\w+\(\s*\w+\s*\)")  # a bare call
INSTALL_URL = re.compile(r"git\+https://[^\"'\s]+")
CONFIG_URL = re.compile(r"^(  url: ).*$", re.MULTILINE)


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


def marked_solution(source: str, begin: str, end: str) -> str:
    """``source`` with each answer between ``begin`` and ``end`` lines (Otter's, nbgrader's).

    What the marks enclose is what those tools take out: the bodies of the top-level functions
    after their docstrings, and top-level statements other than imports and definitions — so that
    their student versions keep the signatures and docstrings the student edition keeps.
    """
    tree = ast.parse(source)
    lines = source.splitlines()
    regions = []  # (first line, last line, indentation), 1-based and inclusive
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            continue
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body[1:] if ast.get_docstring(node) is not None else node.body
            if body:
                regions.append((body[0].lineno, node.end_lineno, body[0].col_offset))
        else:
            regions.append((node.lineno, node.end_lineno, 0))
    for first, last, indent in reversed(regions):
        lines[last:last] = [" " * indent + end]
        lines[first - 1:first - 1] = [" " * indent + begin]
    return "\n".join(lines) + ("\n" if source.endswith("\n") else "")


def is_glue_record(output) -> bool:
    """A ``myst_nb.glue`` record: a display_data output holding only a named value for the prose."""
    return (output.get("output_type") == "display_data"
            and "scrapbook" in output.get("metadata", {})
            and all(k.startswith("application/papermill.record/") for k in output.get("data", {})))


def is_solution_markup(cell) -> bool:
    """Markdown cells that open, close or hold a solution dropdown."""
    return cell.cell_type == "markdown" and any(m in cell.source for m in SOLUTION_MARKERS)


def exercises(nb) -> list[dict]:
    """The graded exercises of a notebook, in order, from the teacher's (or student) edition.

    Each is ``{"exercise", "title", "checker", "points", "forbid", "solution", "check"}``: the
    exercise's label, its title, the dotted name of its checker, its points (the checker cell's
    ``grading`` metadata; 1 where it has none), the gdcore functions the answer may not call (the
    ones the exercise asks to write; ``grading.forbid``) and the indices of its answer and checker
    cells. The student
    edition gives the same list (it keeps the exercise directives and the checker cells).
    """
    found, label, title, solution = [], None, "", None
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown" and (m := EXERCISE.search(cell.source)):
            title, label = m.group(1), m.group(2)
        elif cell.cell_type == "code" and "solution" in cell.metadata.get("tags", []):
            solution = i
        elif cell.cell_type == "code" and solution is not None:
            call = CHECKER_CALL.search(cell.source)
            if call is None:
                continue
            grading = cell.metadata.get("grading", {})
            found.append({"exercise": grading.get("exercise", label), "title": title,
                          "checker": f"gdcore.checks.{call.group(1)}.{call.group(2)}",
                          "points": int(grading.get("points", 1)),
                          "forbid": list(grading.get("forbid", [])),
                          "solution": solution, "check": i})
            solution = None
    return found


def student_notebook(nb, url: str | None = None):
    """A new notebook: the student version of ``nb`` (``nb`` itself is not modified).

    With ``url``, the Colab install line of the first code cell installs gdcore from there.
    """
    nb = nbformat.from_dict(nb)
    cells = []
    for cell in nb.cells:
        if is_solution_markup(cell):
            continue
        cell.metadata.pop("execution", None)  # timings from the last run: not deterministic
        if cell.cell_type == "code":
            if "solution" in cell.metadata.get("tags", []):
                cell.source = stub_source(cell.source)
            # Glued values stay (numbers the prose shows, computed before any exercise), so that
            # the edition renders as a book without executing; every other output goes.
            keep = [] if "solution" in cell.metadata.get("tags", []) else [
                o for o in cell.outputs if is_glue_record(o)]
            cell.outputs = keep
            cell.execution_count = None
        cells.append(cell)
    if url:
        first = next((c for c in cells if c.cell_type == "code"), None)
        if first is not None:
            first.source = INSTALL_URL.sub(f"git+{url}", first.source)
    nb.cells = cells
    nb.metadata.pop("widgets", None)
    return nb


def student_url(config: Path = STUDENT_CONFIG) -> str | None:
    """The student repository's URL set by ``set_repository.py --student``, or None."""
    if not config.exists():
        return None
    m = re.search(r"^url:\s*(\S+)\s*$", config.read_text(), re.MULTILINE)
    return m.group(1) if m else None


def student_config(text: str, url: str | None) -> str:
    """The book configuration of the student edition: its own repository, or no buttons.

    The student repository holds one edition at its root: the Chinese book's paths into the
    course repository (``../_ext``) become local, and there is no other language to switch to.
    """
    text = re.sub(r"(?m)^(\s*(?:- |[\w_]+: ))\.\./", r"\1", text)
    text = re.sub(r"(?m)^(  path_to_book:) *(?![\"']{2})\S.*$", r"\1 ''", text)
    text = re.sub(r"\A# Generated by tools/i18n.py.*\n(#.*\n)*", "", text)
    text = re.sub(r"(?m)^    language_switch:\n(?:      .*\n)+", "", text)
    text = re.sub(r"(?m)^    language_switch: _ext.*\n", "", text)
    if url:
        return CONFIG_URL.sub(lambda m: m.group(1) + url, text, count=1)
    for key in ("binderhub_url", "colab_url"):
        text = re.sub(rf"^(  {key}:).*$", r'\1 ""', text, flags=re.MULTILINE)
    for key in ("use_repository_button", "use_issues_button"):
        text = re.sub(rf"^(  {key}:).*$", r"\1 false", text, flags=re.MULTILINE)
    return text


def student_requirements(text: str) -> str:
    """The book's pins without the test tools, then gdcore itself (the copy in gdcore/)."""
    pins = [line for line in text.splitlines()
            if line.strip() and not line.startswith(("#", "-"))
            and re.split(r"[=<>~!\[ ]", line, maxsplit=1)[0].lower() not in TEST_TOOLS]
    return "\n".join([
        "# What the student edition needs, pinned as the course's book is (written by",
        "# tools/make_student.py from the course's requirements.txt, without its test tools).",
        *pins,
        "# gdcore, the course's library: the copy in gdcore/, editable (Binder installs this).",
        "-e .",
    ]) + "\n"


def student_pyproject(text: str) -> str:
    """gdcore's packaging (build system, project, package list) without the dev tools' config."""
    keep, out = False, []
    for line in text.splitlines():
        if line.startswith("["):
            keep = bool(PYPROJECT_SECTIONS.match(line.strip()))
        if keep:
            out.append(line)
    return "\n".join(out).strip() + "\n"


def _links(url: str | None, first: str) -> dict:
    if not url:
        missing = "#open-it"  # no repository yet: the links stay inside the README
        return {"repository": "(not set: tools/set_repository.py --student URL)",
                "binder": missing, "colab": missing}
    path = url.split("://", 1)[1].split("/", 1)[1]  # owner/name
    return {"repository": url,
            "binder": f"https://mybinder.org/v2/gh/{path}/HEAD?urlpath=lab/tree/chapters",
            "colab": f"https://colab.research.google.com/github/{path}/blob/main/chapters/{first}"}


def _title(nb, fallback: str) -> str:
    for cell in nb.cells:
        for line in cell.source.splitlines():
            if cell.cell_type == "markdown" and line.startswith("# "):
                return line[2:].strip()
    return fallback


def classroom_files(manifest: dict, url: str | None) -> dict[str, str]:
    """GitHub Classroom's autograding: the workflow (one test per exercise) and the legacy JSON.

    The grader and the exercise list come from a clone of the course's student repository, so a
    student who edits their copy of gdcore, the grader or exercises.json changes nothing; without
    a URL (or when the clone fails, e.g. a private template) the repository's own copies are used.
    """
    fallback = "mkdir -p _course && git archive HEAD | tar -x -C _course"
    fetch = (f"git clone --depth 1 {url} _course || {{ echo '::warning::cannot clone {url}: "
             f"grading with this repository's copy'; {fallback}; }}" if url else fallback)
    setup = f"{fetch} && python -m pip install -q -r _course/requirements.txt"
    tests, steps, ids = [], [], []
    for notebook, entries in manifest["notebooks"].items():
        for e in entries:
            step_id = re.sub(r"[^A-Za-z0-9_-]", "-", f"t{notebook[:3]}{e['exercise']}")
            command = (f"python _course/tools/classroom.py chapters/{notebook} {e['exercise']} "
                       "--grader _course")
            name = f"{notebook.removesuffix('.ipynb')}: {e['title'] or e['exercise']}"
            tests.append({"name": name, "setup": "" if tests else setup, "run": command,
                          "input": "", "output": "", "comparison": "included", "timeout": 10,
                          "points": e["points"]})
            ids.append(step_id)
            steps.append(
                f"      - name: {json.dumps(name, ensure_ascii=False)}\n"
                f"        id: {step_id}\n"
                "        uses: classroom-resources/autograding-command-grader@v1\n"
                "        with:\n"
                f"          test-name: {json.dumps(name, ensure_ascii=False)}\n"
                f"          command: {command}\n"
                "          timeout: 10\n"
                f"          max-score: {e['points']}\n")
    env = "".join(f"          {i.upper()}_RESULTS: \"${{{{steps.{i}.outputs.result}}}}\"\n"
                  for i in ids)
    workflow = (
        "# GitHub Classroom autograding, written by the course's tools/make_student.py: one test\n"
        "# per exercise, worth the points the teacher's edition gives it. The grader, gdcore and\n"
        "# the list of exercises come from the course's student repository (cloned below), not\n"
        "# from this one, so that editing them here changes no grade.\n"
        "name: Autograding Tests\n"
        "on: [push, workflow_dispatch, repository_dispatch]\n"
        "permissions:\n  checks: write\n  actions: read\n  contents: read\n"
        "jobs:\n  run-autograding-tests:\n    runs-on: ubuntu-latest\n"
        "    if: github.actor != 'github-classroom[bot]'\n"
        "    steps:\n"
        "      - uses: actions/checkout@v4\n"
        "      - uses: actions/setup-python@v5\n"
        "        with:\n          python-version: \"3.11\"\n"
        "      - name: The course's grader\n"
        f"        run: |\n          {setup}\n"
        + "".join(steps) +
        "      - name: Autograding Reporter\n"
        "        uses: classroom-resources/autograding-grading-reporter@v1\n"
        "        env:\n" + env +
        "        with:\n"
        f"          runners: {','.join(ids)}\n")
    return {".github/workflows/classroom.yml": workflow,
            ".github/classroom/autograding.json":
                json.dumps({"tests": tests}, indent=2, ensure_ascii=False) + "\n"}


def write_repository(source: Path, out: Path, notebooks: dict, url: str | None,
                     book: Path | None = None, edition: str = "en") -> None:
    """What makes ``out`` a repository that runs by itself (see the module docstring)."""
    for name in ("gdcore", "tools"):
        shutil.rmtree(out / name, ignore_errors=True)  # no stale modules from an older run
    shutil.copytree(source / "gdcore", out / "gdcore",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info"))
    (out / "tools").mkdir()
    for name in GRADER:
        src = source / "tools" / name
        if src.is_dir():
            shutil.copytree(src, out / "tools" / name,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        elif src.exists():
            shutil.copyfile(src, out / "tools" / name)
    shutil.copyfile(TEMPLATES / "classroom.py", out / "tools" / "classroom.py")
    shutil.copyfile(TEMPLATES / "gitignore", out / ".gitignore")
    (out / "requirements.txt").write_text(
        student_requirements((source / "requirements.txt").read_text()))
    (out / "pyproject.toml").write_text(student_pyproject((source / "pyproject.toml").read_text()))
    book = book or source
    (out / "_config.yml").write_text(student_config((book / "_config.yml").read_text(), url))

    keys = ("exercise", "title", "checker", "points", "forbid")
    manifest = {"notebooks": {name: [{k: e[k] for k in keys} for e in exercises(nb)]
                              for name, nb in notebooks.items() if exercises(nb)}}
    files = {".github/classroom/exercises.json":
             json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"}
    files.update(classroom_files(manifest, url))
    chapters = "\n".join(f"- [{_title(nb, name)}](chapters/{name})"
                         for name, nb in notebooks.items())
    title = re.search(r'^title:\s*"?(.*?)"?\s*$', (book / "_config.yml").read_text(),
                      re.MULTILINE).group(1).split(" — ")[0].split("——")[0]
    readme = TEMPLATES / f"README.{edition}.md"  # the students' language, if there is one
    readme = readme if readme.exists() else TEMPLATES / "README.md"
    files["README.md"] = readme.read_text(encoding="utf-8").format(
        title=title, chapters=chapters, **_links(url, next(iter(notebooks), "")))
    for name, text in files.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_text(text)


def make_student(source: Path, out: Path, url: str | None = None,
                 edition: str = "en") -> list[Path]:
    """Write the student edition of ``source`` into ``out``; returns the notebooks written.

    ``url``: the student repository (default: the one set with ``set_repository.py --student``).
    ``edition``: ``en`` (the book at ``source``) or ``zh_CN`` (the Chinese book ``source/zh_CN``).
    """
    if edition not in EDITIONS:
        raise ValueError(f"Invalid edition: {edition!r} (allowed: {', '.join(EDITIONS)})")
    url = url or student_url()
    book = source / EDITIONS[edition]
    out.mkdir(parents=True, exist_ok=True)
    for folder, names in ((book, BOOK_FILES), (source, COPIED)):
        for name in names:
            src = folder / name
            if src.is_dir():
                shutil.copytree(src, out / name, dirs_exist_ok=True)
            elif src.exists():
                shutil.copyfile(src, out / name)
    (out / "chapters").mkdir(exist_ok=True)
    written, notebooks = [], {}
    pages = {p.name for p in (book / "chapters").iterdir()}
    for stale in sorted((out / "chapters").iterdir()):  # a chapter the teacher has removed
        if stale.suffix in (".ipynb", ".md") and stale.name not in pages:
            stale.unlink()
    for page in sorted((book / "chapters").iterdir()):
        target = out / "chapters" / page.name
        if page.suffix == ".ipynb":
            nb = student_notebook(nbformat.read(page, as_version=4), url)
            nbformat.write(nb, target)
            written.append(target)
            notebooks[page.name] = nb
        elif page.suffix == ".md":
            shutil.copyfile(page, target)
    write_repository(source, out, notebooks, url, book, edition)
    return written


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=ROOT)
    parser.add_argument("--out", type=Path, default=ROOT / "student")
    parser.add_argument("--url", help="the student repository (default: set_repository.py's)")
    parser.add_argument("--edition", choices=sorted(EDITIONS), default="en",
                        help="the language of the edition (default: en; zh_CN writes the "
                             "Chinese book, by default into student-zh/)")
    args = parser.parse_args(argv)
    if args.edition != "en" and args.out == ROOT / "student":
        args.out = ROOT / "student-zh"
    written = make_student(args.source, args.out, args.url, args.edition)
    url = args.url or student_url()
    print(f"student edition: {len(written)} notebooks in {args.out}, repository "
          + (url or "not set (no launch buttons; tools/set_repository.py --student URL)"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
