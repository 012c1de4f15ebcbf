"""The grader's helper inside the student's kernel (its source is sent after the notebook ran).

It only relays: the grader asks it to look up a name, call a function of the student's with
arguments, or switch off the gdcore functions an exercise asks the student to write. Every
answer and every call back to the grader goes through ``input()`` (Jupyter's stdin channel),
in the data-only format of ``wire`` (prepended to this source). Nothing here decides a verdict:
whatever the student's code does to this helper, the grader only ever receives data.
"""

# ``encode``/``decode``/``dumps``/``loads`` come from wire.py, prepended to this source:
# ruff: noqa: F821
import builtins
import types

import numpy as np

_objects = {}


def _keep(obj):
    """A kernel object the grader may call later (a function the student returned)."""
    key = len(_objects) + 1
    _objects[key] = obj
    return {"$": "remote", "id": key}


def _tag(obj):
    if isinstance(obj, _Callback):
        return {"$": "handle", "id": obj._id}
    if callable(obj):
        return _keep(obj)
    if isinstance(obj, (types.GeneratorType, range, map, filter, zip)):
        return encode(list(obj), _tag)
    return {"$": "opaque", "type": type(obj).__name__}


def _send(message):
    # looked up per call: ipykernel installs its stdin-channel input() for each request
    return loads(builtins.input(dumps(message)))


class _CallbackError(Exception):
    pass


def _exception(name, message):
    cls = getattr(builtins, name, None)
    if not (isinstance(cls, type) and issubclass(cls, Exception)):
        cls = type(name if name.isidentifier() else "GraderError", (_CallbackError,), {})
    return cls(message)


def _reply(reply):
    if "error" in reply:
        raise _exception(*reply["error"])
    return decode(reply["ok"], _callback, _objects.__getitem__)


class _Callback:
    """A grader object (test function, problem, rng): calls and attributes go to the grader."""

    def __init__(self, id_):
        self._id = id_

    def __call__(self, *args, **kwargs):
        return _reply(_send({"op": "call", "id": self._id, "args": encode(list(args), _tag),
                             "kwargs": encode(kwargs, _tag)}))

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return _reply(_send({"op": "getattr", "id": self._id, "name": name}))

    def __repr__(self):
        return "<grader object>"


def _callback(id_):
    return _Callback(id_)


def _user_namespace():
    return get_ipython().user_ns  # noqa: F821 — the kernel's IPython shell


def _target(spec):
    if "id" in spec:
        return _objects[int(spec["id"])]
    return eval(spec["expr"], _user_namespace())  # the teacher's argument expression


def fetch(expr):
    """The value of ``expr`` in the student's namespace: data, or a handle to a callable."""
    try:
        value = eval(expr, _user_namespace())
    except NameError as exc:
        _send({"op": "result", "error": ["NameError", str(exc)]})
        return
    except Exception as exc:  # noqa: BLE001
        _send({"op": "result", "error": [type(exc).__name__, str(exc)]})
        return
    _send({"op": "result", "ok": _keep(value) if callable(value) else encode(value, _tag)})


def call(request):
    """Call the student's function with decoded arguments; send its result and mutated args."""
    request = loads(request)
    args = decode(request["args"], _callback, _objects.__getitem__)
    kwargs = decode(request["kwargs"], _callback, _objects.__getitem__)
    before = {i: a.copy() for i, a in enumerate(args) if isinstance(a, np.ndarray)}
    try:
        value = _target(request["target"])(*args, **kwargs)
        result = {"op": "result", "ok": encode(value, _tag)}
    except BaseException as exc:  # noqa: BLE001 — the student's code may raise anything
        result = {"op": "result", "error": [type(exc).__name__, str(exc)[:2000]]}
    mutated = {str(i): encode(args[i]) for i, old in before.items()
               if args[i].shape != old.shape or not np.array_equal(args[i], old, equal_nan=True)}
    result["mutated"] = mutated
    _send(result)


def forbid(nonce, codes, prints, message):
    """Ask the guard (``guard.py``, an audit hook since the kernel started) to switch off every
    function whose code has one of the grader's fingerprints; its proof goes to the grader."""
    import sys

    proof = []
    sys.audit("gdcore.grader.forbid", nonce, codes, prints, message, proof)
    _send({"op": "result", "ok": proof})


def restore(token):
    import sys

    proof = []
    sys.audit("gdcore.grader.restore", token, proof)
    _send({"op": "result", "ok": proof})
