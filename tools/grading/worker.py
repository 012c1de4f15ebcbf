"""Grade one submission (run in its own process by the CLI; prints JSON lines).

1. The exercises, their checkers, arguments and points come from the teacher's notebook of the
   same name; the submission only supplies code.
2. The submission's code cells run top to bottom in a sandboxed kernel (``kernel.Session``):
   a cell past the time limit is interrupted and recorded as an error; a cell that kills the
   kernel is skipped, and the kernel restarted with the cells before it, so that what the student
   did write is still graded.
3. For each exercise the checker runs *here*, in the grader's process, on proxies of the
   student's objects: a call goes to the kernel, the result comes back as data (``wire``).
   The gdcore functions the exercise asks the student to write are switched off in the kernel
   meanwhile. The verdict is the checker's return value in this process; what the submission
   printed is never read.
"""

import contextlib
import hashlib
import hmac
import io
import json
import os
import secrets
import shutil
import stat
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from gdcore import i18n
from gdcore.i18n import N_, _

from . import guard, kernel, sandbox, teacher, wire

VERDICTS = {"✓": "correct", "✗": "wrong", "…": "not solved"}
FINGERPRINT = guard.make_fingerprint(hashlib.sha256)  # the guard's, in the kernel, is the same
# The verdicts as a student reads them in a feedback notebook (the JSON keeps the English keys).
VERDICT_WORDS = {"correct": N_("correct"), "wrong": N_("wrong"), "not solved": N_("not solved"),
                 "missing": N_("missing"), "error": N_("error")}


def submission_language(nb, requested="auto"):
    """The language of a submission's verdicts: ``requested`` unless "auto", else "zh_CN" for a
    notebook of the Chinese edition (top-level metadata ``"language": "zh_CN"``), else "en".
    A submission's metadata is the student's to edit: anything but a known language is English."""
    if requested and requested != "auto":
        return i18n.parse_language(requested)
    declared = (nb.get("metadata") or {}).get("language") if isinstance(nb, dict) else None
    try:
        return i18n.parse_language(declared) if isinstance(declared, str) else "en"
    except ValueError:
        return "en"


# Attributes of a grader object that hold what an answer must find (gdcore.functions.Problem's
# known stationary points): never read through a handle, whatever object a checker passes.
ANSWERS = {"minimizers", "minimizer", "saddles", "maximizers", "f_min", "solution", "answer"}


class StudentError(Exception):
    """An exception the student's code raised in the kernel (same name as there)."""


def _exception(name, message):
    import builtins

    cls = getattr(builtins, str(name), None)
    if not (isinstance(cls, type) and issubclass(cls, Exception)):
        cls = type(str(name) if str(name).isidentifier() else "StudentError", (StudentError,), {})
    return cls(message)


class Remote:
    """A function of the submission: calling it runs it in the kernel, on data."""

    def __init__(self, grading, spec, what):
        self._grading, self._spec, self._what = grading, spec, what

    def __call__(self, *args, **kwargs):
        return self._grading.call(self._spec, args, kwargs)

    def __repr__(self):
        return f"<{self._what} of the submission>"


class Grading:
    """The grader's side of one kernel: handles of grader objects, calls into the kernel."""

    def __init__(self, run):
        self.run = run          # the Run (restarts the kernel when it dies)
        self.objects = {}
        self.last_exception = None
        self.deadline = None

    def _handle(self, obj):
        key = id(obj)
        self.objects[key] = obj
        return {"$": "handle", "id": key}

    def _remote(self, key):
        return Remote(self, {"id": key}, "function")

    def _resolve(self, key):
        if key not in self.objects:
            raise ValueError("unknown grader object")
        return self.objects[key]

    def serve(self, message):
        """Answer the kernel: call a grader object, or read one of its public attributes."""
        op = message.get("op")
        try:
            obj = self._resolve(int(message["id"]))
            if op == "call":
                args = wire.decode(message["args"], self._resolve, self._remote)
                kwargs = wire.decode(message["kwargs"], self._resolve, self._remote)
                if not isinstance(kwargs, dict) or not all(isinstance(k, str) for k in kwargs):
                    raise TypeError("keyword names must be strings")
                value = obj(*args, **kwargs)
            elif op == "getattr":
                name = str(message["name"])
                if name.startswith("_") or name in ANSWERS:
                    raise AttributeError(name)
                value = getattr(obj, name)
            else:
                raise ValueError(f"unknown request {op!r}")
            return {"ok": wire.encode(value, self._handle)}
        except Exception as exc:  # noqa: BLE001 — reported to the student's code
            self.last_exception = exc
            return {"error": [type(exc).__name__, str(exc)]}

    def _timeout(self):
        left = self.run.call_timeout
        if self.deadline is not None:
            left = min(left, self.deadline - time.monotonic())
        if left <= 0:
            raise TimeoutError(_("the time for this exercise is up"))
        return left

    def request(self, call):
        try:
            return self.run.session.request(call, self.serve, self._timeout())
        except kernel.CellTimeout as exc:
            raise TimeoutError(_("your code did not return: {exc}").format(exc=exc)) from None
        except kernel.KernelDied as exc:
            self.run.kernel_lost = True
            raise RuntimeError(_("your code stopped the kernel ({exc})").format(exc=exc)) from None

    def call(self, spec, args, kwargs):
        self.last_exception = None
        payload = wire.dumps({"target": spec, "args": wire.encode(list(args), self._handle),
                              "kwargs": wire.encode(dict(kwargs), self._handle)})
        result = self.request(f"call({payload!r})")
        for index, value in (result.get("mutated") or {}).items():
            i = int(index)
            new = wire.decode(value)
            if 0 <= i < len(args) and hasattr(args[i], "shape") and \
                    getattr(new, "shape", None) == args[i].shape and args[i].flags.writeable:
                args[i][...] = new  # the student's function changed this argument in place
        if "error" in result:
            name, message = (list(result["error"]) + ["", ""])[:2]
            stored = self.last_exception
            if stored is not None and type(stored).__name__ == name:
                raise stored  # a grader object's exception the student's code let through
            raise _exception(name, message)
        return wire.decode(result.get("ok"), self._resolve, self._remote)

    def fetch(self, expr):
        result = self.request(f"fetch({expr!r})")
        if "error" in result:
            return None, f"{result['error'][0]}: {result['error'][1]}"
        return wire.decode(result.get("ok"), self._resolve,
                           lambda key: Remote(self, {"id": key}, expr)), None


class Run:
    """A submission's kernel with its executed cells (restarted if it dies)."""

    def __init__(self, nb, root, level, cell_timeout, deadline, memory_mb):
        self.nb, self.root, self.level = nb, root, level
        self.cell_timeout, self.call_timeout, self.deadline = cell_timeout, cell_timeout, deadline
        self.memory_mb = memory_mb
        self.session = None
        self.good = []          # sources of the cells that ran without killing the kernel
        self.errors = []
        self.kernel_lost = False
        self.restarts = 0

    def _start(self):
        if self.session is not None:
            self.session.shutdown()
        cpu = max(30, int(self.deadline - time.monotonic()) + 30)
        self.session = kernel.Session(self.root / f"k{self.restarts}", self.level, cpu,
                                      self.memory_mb)
        self.session.start()
        self.kernel_lost = False

    def execute(self):
        self._start()
        for index, cell in enumerate(self.nb.cells):
            if cell.cell_type != "code":
                continue
            cell.outputs, cell.execution_count = [], None
            left = self.deadline - time.monotonic()
            if left <= 0:
                self.errors.append(f"cell {index}: not run, the submission's time is up")
                continue
            try:
                outputs, reply = self.session.run(cell.source, min(self.cell_timeout, left))
                cell.outputs = outputs
                cell.execution_count = reply.get("execution_count")
                if reply.get("status") == "error":
                    self.errors.append(f"cell {index}: {reply.get('ename')}: "
                                       f"{reply.get('evalue')}"[:300])
                self.good.append(cell.source)
            except kernel.CellTimeout as exc:
                self.errors.append(f"cell {index}: timeout, {exc}")
                cell.outputs = [nbformat.v4.new_output(
                    "error", ename="CellTimeout", evalue=f"stopped by the grader: {exc}",
                    traceback=[])]
            except kernel.KernelDied as exc:
                self.errors.append(f"cell {index}: {exc}; the cell was skipped")
                cell.outputs = [nbformat.v4.new_output(
                    "error", ename="DeadKernel", evalue=str(exc), traceback=[])]
                if not self.restart():
                    break

    def restart(self):
        """A fresh kernel with the good cells re-run (quietly); False when that fails."""
        if self.restarts >= 2:
            return False
        self.restarts += 1
        try:
            self._start()
            for source in self.good:
                self.session.run(source, self.cell_timeout)
            return True
        except (kernel.CellTimeout, kernel.KernelDied) as exc:
            self.errors.append(f"restarting the kernel failed: {exc}")
            return False

    def ensure(self):
        if self.kernel_lost or not self.session.alive():
            return self.restart()
        return True

    def close(self):
        if self.session is not None:
            self.session.shutdown()


def _verdict(printed, ok, forbidden=None):
    """(verdict, message) from the checker's return value and the mark of its printed line;
    ``forbidden``: the switch-off message, whose presence makes a verdict "wrong" whatever the
    checker said (it is in the submission's language, so no English word is looked for)."""
    line = printed.strip().splitlines()[-1] if printed.strip() else ""
    mark, _, rest = line.partition(" ")
    message = rest.partition(": ")[2]
    verdict = VERDICTS.get(mark, "correct" if ok else "wrong")
    if ok:
        return "correct", ""
    if verdict == "correct":
        verdict = "wrong"
    if forbidden and forbidden in message:
        verdict = "wrong"
    return verdict, message


def forbidden_code(paths):
    """(co_code hex, fingerprints) of the functions switched off for an exercise: ``paths`` and
    every function of ``gdcore.checks`` (an answer has no business calling the checkers'
    reference code), taken from the grader's own gdcore, never from the kernel's."""
    import importlib
    import inspect
    import types

    import gdcore.checks

    functions = []
    for topic in getattr(gdcore.checks, "_TOPICS", ()):
        with contextlib.suppress(ImportError):
            importlib.import_module(f"gdcore.checks.{topic}")
    for module_name, module in list(sys.modules.items()):
        if module_name.startswith("gdcore.checks.") and module is not None:
            functions += [obj for obj in vars(module).values()
                          if isinstance(obj, types.FunctionType) and obj.__module__ == module_name]
    for path in paths:
        parts, obj = path.split("."), None
        for i in range(len(parts) - 1, 0, -1):
            try:
                obj = importlib.import_module(".".join(parts[:i]))
            except ImportError:
                continue
            try:
                for attr in parts[i:]:
                    obj = getattr(obj, attr)
            except AttributeError:
                obj = None
            break
        obj = getattr(obj, "__func__", obj)
        if callable(obj):
            functions += [obj, inspect.unwrap(obj)]
    codes = [f.__code__ for f in functions if isinstance(f, types.FunctionType)]
    return ({c.co_code.hex() for c in codes}, {FINGERPRINT(c) for c in codes})


def grade_exercise(grading, ex):
    """(verdict, message) of one exercise, computed in this process."""
    import importlib

    args, missing = [], []
    for source in ex.args:
        value, error = grading.fetch(source)
        if error and error.startswith("NameError"):
            missing.append(source)
        args.append(value)
    kwargs = {}
    for name, source in ex.kwargs.items():
        value, error = grading.fetch(source)
        if error and error.startswith("NameError"):
            missing.append(source)
        kwargs[name] = value
    if missing:
        return "missing", _("{names} is not defined: was its cell deleted, renamed or not "
                            "run?").format(names=", ".join(missing))
    module = importlib.import_module(f"gdcore.checks.{ex.topic}")
    checker = getattr(module, ex.checker)
    names = [s for s in ex.args if s.isidentifier()]
    session = grading.run.session
    nonce = secrets.token_hex(16)
    codes, prints = forbidden_code(ex.forbid)
    message = _("write it yourself: this exercise asks you to write {names}; the gdcore functions "
                "it asks for are switched off while grading").format(
                    names=" / ".join(names) or ex.label)
    proof = grading.request(f"forbid({nonce!r}, {sorted(codes)!r}, {sorted(prints)!r}, "
                            f"{message!r})").get("ok")
    if not (isinstance(proof, list) and len(proof) == 2 and isinstance(proof[1], int)
            and hmac.compare_digest(str(proof[0]), session.mac(f"forbid:{nonce}:{proof[1]}"))):
        grading.run.kernel_lost = True  # the next exercise gets a fresh kernel
        return "error", _("the grader's switch-off did not answer: was the kernel tampered with?")
    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed):
            ok = checker(*args, **kwargs) is True
    finally:
        if grading.run.kernel_lost or not grading.run.session.alive():
            grading.run.restart()  # a fresh kernel has nothing switched off
        else:
            token = session.mac(f"restore:{nonce}")
            try:
                proof = grading.request(f"restore({token!r})").get("ok")
            except Exception:  # noqa: BLE001
                proof = None
            if proof != [session.mac(f"restored:{token}")]:
                grading.run.kernel_lost = True  # switched-off functions stay off: start afresh
    return _verdict(printed.getvalue(), ok, forbidden=message)


def _word(verdict):
    return _(VERDICT_WORDS[verdict]) if verdict in VERDICT_WORDS else verdict


def _feedback(nb, row, path: Path):
    """The executed notebook with the grader's verdicts: a summary first, one note per checker."""
    nb = nbformat.from_dict(json.loads(json.dumps(nb)))
    lines = [_("**Grader**: {score}/{max_score} points (isolation: {isolation})").format(
        score=row["score"], max_score=row["max_score"], isolation=row["isolation"]), ""]
    for ex in row["exercises"]:
        lines.append(f"- `{ex['name']}` ({ex['checker']}): **{_word(ex['verdict'])}** — "
                     f"{ex['points']}/{ex['max_points']}" + (f" — {ex['message']}"
                                                             if ex["message"] else ""))
    if row.get("error"):
        lines.append("\n" + _("**Error**: {error}").format(error=row["error"]))
    by_checker = {ex["checker"]: ex for ex in row["exercises"]}
    cells = [nbformat.v4.new_markdown_cell("\n".join(lines))]
    for cell in nb.cells:
        cells.append(cell)
        if cell.cell_type == "code":
            for name, ex in by_checker.items():
                if f"{name}(" in cell.source:
                    cells.append(nbformat.v4.new_markdown_cell(
                        _("**Grader**, `{name}`: {verdict}, {points}/{max_points} points").format(
                            name=ex["name"], verdict=_word(ex["verdict"]), points=ex["points"],
                            max_points=ex["max_points"])
                        + (f" — {ex['message']}" if ex["message"] else "")))
    nb.cells = cells
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)


def grade(job, emit=lambda event: None):
    """The result row of one submission (``job``: see ``cli.jobs``)."""
    start = time.monotonic()
    course = Path(job["course"])
    path = Path(job["submission"])
    level = job.get("isolation") or sandbox.isolation()
    teachers = teacher.teacher_notebooks(course)
    name = job.get("notebook") or teacher.match(path, teachers)
    requested = job.get("lang") or "auto"
    i18n.set_language(None if requested == "auto" else requested)
    row = {"submission": str(path), "student": job.get("student", ""), "notebook": name,
           "isolation": level, "exercises": [], "score": 0, "max_score": 0, "errors": [],
           "error": None, "language": i18n.language()}
    if name is None:
        row["error"] = "no chapter of the course has this notebook's name"
        return row
    for ex in teacher.read_exercises(teachers[name]):
        row["exercises"].append({"name": ex.label, "checker": ex.checker, "points": 0,
                                 "max_points": ex.points, "verdict": "missing",
                                 "message": N_("not graded"), "_ex": ex})
    row["max_score"] = sum(e["max_points"] for e in row["exercises"])

    def finish():
        for e in row["exercises"]:
            e.pop("_ex", None)
            if e["message"] == "not graded":
                e["message"] = _("not graded")
        row["score"] = sum(e["points"] for e in row["exercises"])
        row["seconds"] = round(time.monotonic() - start, 2)
        return row

    if not path.exists() and not path.is_symlink():
        row["error"] = "missing: no such notebook"
        return finish()
    # A symbolic link could point at the teacher's own edition (../../chapters/…), a FIFO would
    # block the reader: only a regular file, read without following links, is a submission.
    if path.is_symlink() or not stat.S_ISREG(os.lstat(path).st_mode):
        row["error"] = "refused: a submission must be a regular file, not a link or a device"
        return finish()
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
        with os.fdopen(fd, encoding="utf-8") as handle:
            nb = nbformat.read(handle, as_version=4)
    except Exception as exc:  # noqa: BLE001 — NotJSONError, validation, encoding, …
        row["error"] = f"malformed notebook: {type(exc).__name__}: {str(exc)[:300]}"
        return finish()
    # The checkers run in this process: their verdicts come out in the submission's language.
    row["language"] = submission_language(nb, requested)
    i18n.set_language(row["language"])
    deadline = start + float(job.get("submission_timeout", 900))
    tmp = Path(tempfile.mkdtemp(prefix="grade-"))
    run = Run(nb, tmp, level, float(job.get("timeout", 120)), deadline,
              int(job.get("memory_mb", 4096)))
    try:
        run.execute()
        row["execute_seconds"] = round(time.monotonic() - start, 2)
        grading = Grading(run)
        for e in row["exercises"]:
            if time.monotonic() > deadline:
                e["verdict"], e["message"] = "error", _("the submission's time is up")
                continue
            if not run.ensure():
                e["verdict"], e["message"] = "error", _("the kernel died and did not restart")
                continue
            try:
                run.session.install_helper() if not getattr(run.session, "_helper", False) \
                    else None
                run.session._helper = True
                grading.deadline = min(deadline, time.monotonic() + float(job.get("timeout", 120)))
                e["verdict"], e["message"] = grade_exercise(grading, e["_ex"])
            except Exception as exc:  # noqa: BLE001 — one exercise's trouble is its own row
                e["verdict"], e["message"] = "error", f"{type(exc).__name__}: {exc}"[:300]
            e["points"] = e["max_points"] if e["verdict"] == "correct" else 0
            emit({"event": "exercise", "submission": row["submission"],
                  **{k: v for k, v in e.items() if k != "_ex"}})
    except Exception as exc:  # noqa: BLE001
        row["error"] = f"{type(exc).__name__}: {exc}"[:300]
    finally:
        run.close()
        shutil.rmtree(tmp, ignore_errors=True)
    row["errors"] = run.errors
    finish()
    if job.get("feedback"):
        _feedback(nb, row, Path(job["feedback"]))
    return row


def main():
    """``python -c 'from grading.worker import main; main()' JOB_JSON``: JSON lines on stdout."""
    job = json.loads(sys.argv[1])
    out = sys.stdout

    def emit(event):
        out.write(json.dumps(event, ensure_ascii=False) + "\n")
        out.flush()

    with contextlib.redirect_stdout(sys.stderr):
        row = grade(job, emit)
    emit({"event": "row", "row": row})
