"""The data-only format between the grader and a student's kernel (JSON, never pickle).

Both sides use this file: the grader imports it, and the kernel gets its source once. Values
travel as JSON with a few tagged objects: arrays of numbers (``{"$": "array"}``, raw bytes in
base64 with a numeric dtype), tuples, dicts, ``...``, complex numbers. Anything else becomes a
*handle*: ``{"$": "handle", "id": n}`` names an object that stays in the grader (a test function,
a problem, an rng: the kernel calls it back), ``{"$": "remote", "id": n}`` one that stays in the
kernel (a function the student returned). ``decode`` builds nothing but numbers, strings,
containers and the handles its ``resolve`` returns, so a hostile kernel can only send data.
"""

import base64
import json

import numpy as np

MAX_BYTES = 256 * 2**20  # one array; a larger one is an error, not a memory blow-up
NUMERIC_KINDS = "biufc"


class Opaque:
    """Stands for a value the kernel could not send as data (a checker sees a wrong type)."""

    def __repr__(self):
        return f"<{type(self).__name__}>"


def opaque(type_name):
    """An instance of a fresh subclass of Opaque named like the kernel's type."""
    name = type_name if str(type_name).isidentifier() else "object"
    return type(name, (Opaque,), {})()


def encode(obj, handle=None):
    """A JSON-able form of ``obj``; ``handle(obj) -> dict`` tags what is not data."""
    if obj is None or isinstance(obj, (bool, str)):
        return obj
    if isinstance(obj, int):
        return obj if abs(obj) < 2**63 else float(obj)
    if isinstance(obj, float):
        return {"$": "float", "repr": repr(obj)} if not np.isfinite(obj) else obj
    if obj is Ellipsis:
        return {"$": "ellipsis"}
    if isinstance(obj, complex):
        return {"$": "complex", "re": encode(obj.real), "im": encode(obj.imag)}
    if isinstance(obj, (np.ndarray, np.generic)) and np.asarray(obj).dtype.kind in NUMERIC_KINDS:
        arr = np.ascontiguousarray(obj)
        return {"$": "array" if isinstance(obj, np.ndarray) else "scalar", "dtype": arr.dtype.str,
                "shape": list(arr.shape), "data": base64.b64encode(arr.tobytes()).decode()}
    if isinstance(obj, tuple):
        return {"$": "tuple", "items": [encode(v, handle) for v in obj]}
    if isinstance(obj, list):
        return [encode(v, handle) for v in obj]
    if isinstance(obj, dict):
        return {"$": "dict", "items": [[encode(k, handle), encode(v, handle)]
                                       for k, v in obj.items()]}
    if handle is not None:
        return handle(obj)
    return {"$": "opaque", "type": type(obj).__name__}


def decode(data, resolve=None, remote=None):
    """The value encoded by ``encode``; handles through ``resolve(id)``, ``remote(id)``."""
    if data is None or isinstance(data, (bool, int, float, str)):
        return data
    if isinstance(data, list):
        return [decode(v, resolve, remote) for v in data]
    if not isinstance(data, dict):
        raise ValueError(f"not wire data: {type(data).__name__}")
    tag = data.get("$")
    if tag == "float":
        return float(str(data["repr"])) if data["repr"] in ("nan", "inf", "-inf") else np.nan
    if tag == "ellipsis":
        return Ellipsis
    if tag == "complex":
        return complex(float(decode(data["re"])), float(decode(data["im"])))
    if tag in ("array", "scalar"):
        dtype = np.dtype(str(data["dtype"]))
        if dtype.kind not in NUMERIC_KINDS:
            raise ValueError(f"refused dtype {dtype}")
        shape = tuple(int(n) for n in data["shape"])
        raw = base64.b64decode(str(data["data"]))
        if len(raw) > MAX_BYTES or len(raw) != dtype.itemsize * int(np.prod(shape, dtype=float)):
            raise ValueError("array bytes do not match its shape")
        arr = np.frombuffer(raw, dtype=dtype).reshape(shape).copy()
        return arr if tag == "array" else arr[()]
    if tag == "tuple":
        return tuple(decode(v, resolve, remote) for v in data["items"])
    if tag == "dict":
        out = {}
        for k, v in data["items"]:
            key = decode(k, resolve, remote)
            out[key if isinstance(key, (str, int, float, bool, tuple)) or key is None
                else repr(key)] = decode(v, resolve, remote)
        return out
    if tag == "handle" and resolve is not None:
        return resolve(int(data["id"]))
    if tag == "remote" and remote is not None:
        return remote(int(data["id"]))
    if tag == "opaque":
        return opaque(str(data.get("type", "object")))
    return opaque("object")


def dumps(obj):
    return json.dumps(obj, allow_nan=False, separators=(",", ":"))


def loads(text):
    return json.loads(text)
