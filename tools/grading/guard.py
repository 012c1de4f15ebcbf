"""The switch-off guard: an audit hook installed in the kernel before the student's first cell.

Switching off a gdcore function inside the student's own process can be undone by the student's
code (keep ``f.__code__`` and put it back, ``types.FunctionType(f.__code__, ...)``, re-execute
gdcore's file with importlib, reach the helper's list of switched-off functions through ``gc``).
``sys.addaudithook`` gives a hook that Python code cannot remove, and CPython raises audit events
for each of those moves (``object.__setattr__`` of ``__code__``, ``function.__new__``,
``code.__new__``, ``exec``, ``gc.get_objects`` …). So the switch-off lives in the hook:

- ``boot(secret)`` runs first, in a namespace of its own; the secret arrives through ``input()``
  (never in a cell's source, which IPython keeps in ``linecache``) and stays in closures only
  reachable through ``gc``, which the hook refuses to the student's code;
- the helper asks for a switch-off with ``sys.audit("gdcore.grader.forbid", nonce, codes,
  prints, message, proof)``: the hook switches off every function (any copy, any re-import)
  whose code has one of the grader's fingerprints, arms itself, and appends HMAC(secret, nonce)
  to ``proof`` — the grader checks it, so a faked ``sys.audit`` or helper earns nothing;
- armed, it refuses to set ``__code__`` and to build a function or an ``exec`` from a forbidden
  code; always, it refuses ``gc``'s object walks, new code objects (``code.replace``) and
  re-running a gdcore file that was already imported, and ctypes at an address; armed, all of
  ctypes. Not covered: a C function called through ctypes while the notebook runs (chapters 5d
  and 5e need ctypes then) could still write memory; a pasted and edited copy of gdcore's source;
- ``restore`` needs HMAC(secret, "restore:" + nonce), which only the grader can compute.
"""

# ruff: noqa: N802, N806, A001 — the names of CPython's audit events; builtins bound as locals

# ctypes events refused at any time: reading or writing memory at an address. The rest of ctypes
# (loading a library, calling it: threadpoolctl in chapters 5d and 5e does) is refused only while
# an exercise is graded, so that the answer cannot reach the hook's memory through it.
RAW_MEMORY = {"ctypes.cdata", "ctypes.cdata/buffer", "ctypes.addressof"}


def make_fingerprint(sha256, repr=repr, sorted=sorted, map=map, tuple=tuple, hasattr=hasattr,
                     isinstance=isinstance, frozenset=frozenset):
    """fingerprint(code): what a function's code computes, without its name or place — the same
    for a copy of it (``types.FunctionType(f.__code__, ...)``, the module re-executed from its
    file, the source pasted in), different for anything that computes otherwise.

    The one definition, for the grader (``worker``) and for the guard in the kernel. Its helpers
    are bound when this runs — the defaults when the guard's source is executed, before any
    student cell; ``sha256`` is passed in — so rebinding ``builtins.repr`` or ``hashlib.sha256``
    later changes nothing.
    """
    def fingerprint(code):
        consts = tuple(fingerprint(c) if hasattr(c, "co_code")
                       else repr(sorted(map(repr, c))) if isinstance(c, frozenset) else repr(c)
                       for c in code.co_consts)  # a frozenset's order changes with the hash seed
        return sha256(repr((code.co_code, consts, code.co_names)).encode()).hexdigest()

    return fingerprint


def boot(secret):
    import builtins
    import gc
    import hashlib
    import hmac
    import sys
    import types

    import gdcore

    # Bound once, here: the student's code can rebind names in modules and in builtins
    # (``hmac.compare_digest = lambda *a: True`` would forge a restore, ``hashlib.sha256`` or
    # ``builtins.repr`` would change every fingerprint, ``types.CodeType`` would hide an exec),
    # but not the closure cells of these functions, which gc's walks (refused) would reach.
    compare_digest, hmac_new, sha256 = hmac.compare_digest, hmac.new, hashlib.sha256
    CodeType, FunctionType = types.CodeType, types.FunctionType
    raw_memory = frozenset(RAW_MEMORY)
    (any, getattr, hasattr, isinstance, list, map, repr, set, sorted, str, tuple,
     RuntimeError) = (builtins.any, builtins.getattr, builtins.hasattr, builtins.isinstance,
                      builtins.list, builtins.map, builtins.repr, builtins.set, builtins.sorted,
                      builtins.str, builtins.tuple, builtins.RuntimeError)

    gdcore_dir = gdcore.__file__.rsplit("/", 1)[0] + "/"
    walk = gc.get_objects
    state = {"armed": None, "privileged": False, "prints": set(), "codes": set(), "off": [],
             "message": "", "seen": {m.__file__ for m in list(sys.modules.values())
                                     if isinstance(getattr(m, "__file__", None), str)}}

    fingerprint = make_fingerprint(sha256, repr, sorted, map, tuple, hasattr, isinstance,
                                   builtins.frozenset)

    def forbidden(code, nested=True):
        if code.co_code in state["codes"] and fingerprint(code) in state["prints"]:
            return True
        return nested and any(forbidden(c) for c in code.co_consts
                              if isinstance(c, CodeType))

    def refuse(what):
        raise RuntimeError(f"{state['message'] or 'write it yourself'} (refused by the grader: "
                           f"{what})")

    def mac(text):
        return hmac_new(secret.encode(), text.encode(), sha256).hexdigest()

    def forbid(nonce, codes, prints, message, proof):
        state["privileged"] = True
        try:
            state["codes"] = {bytes.fromhex(c) for c in codes}
            state["prints"] = set(prints)
            state["message"] = str(message)
            stub = compile(f"def stub(*args, **kwargs):\n    raise RuntimeError({message!r})\n",
                           "<switched off>", "exec").co_consts[0]
            for obj in walk():
                if isinstance(obj, FunctionType) and forbidden(obj.__code__, False) \
                        and not obj.__code__.co_freevars:
                    state["off"].append((obj, obj.__code__))
                    obj.__code__ = stub
            state["armed"] = str(nonce)
        finally:
            state["privileged"] = False
        proof.append(mac(f"forbid:{nonce}:{len(state['off'])}"))
        proof.append(len(state["off"]))

    def restore(token, proof):
        if state["armed"] is None or not compare_digest(
                str(token), mac(f"restore:{state['armed']}")):
            return
        state["privileged"] = True
        try:
            while state["off"]:
                fn, code = state["off"].pop()
                fn.__code__ = code
            state["armed"], state["prints"], state["codes"] = None, set(), set()
        finally:
            state["privileged"] = False
        proof.append(mac(f"restored:{token}"))

    def hook(event, args):
        if event.startswith("gdcore.grader."):
            if event == "gdcore.grader.forbid":
                forbid(*args)
            elif event == "gdcore.grader.restore":
                restore(*args)
            return
        if state["privileged"]:
            return
        if event in ("gc.get_objects", "gc.get_referrers", "gc.get_referents"):
            refuse("the garbage collector's object lists are off limits")
        elif event == "code.__new__":
            refuse("no new code objects (an edited copy of gdcore's code is still gdcore's)")
        elif event in raw_memory or (event.startswith("ctypes.") and state["armed"] is not None):
            refuse("no raw memory access while an exercise is graded" if state["armed"]
                   else "no raw memory access")
        elif event == "exec" and isinstance(args[0], CodeType):
            code = args[0]
            name = code.co_filename
            if code.co_name == "<module>" and name.startswith(gdcore_dir):
                if name in state["seen"]:
                    refuse(f"{name} is imported once")
                state["seen"].add(name)
            if state["armed"] is not None and forbidden(code):
                refuse("a copy of a switched-off function")
        elif state["armed"] is None:
            return
        elif event == "object.__setattr__" and len(args) > 1 and args[1] == "__code__":
            refuse("a function's code cannot change")
        elif event == "function.__new__" and forbidden(args[0]):
            refuse("a copy of a switched-off function")

    sys.addaudithook(hook)
