r"""A tiny reverse-mode automatic differentiation engine on scalars (in the spirit of micrograd).

Every operation creates a ``Value`` node that remembers its parents and the *local* partial
derivatives ∂(node)/∂(parent), computed right next to the forward value. ``backward()`` visits
the graph once in reverse topological order and applies the chain rule

    parent.grad += (∂node/∂parent) · node.grad,

so one backward pass gives the derivative of the output with respect to *every* input. Forward
mode is implemented independently, by operator overloading on dual numbers ``Dual(v, v̇)``: each
operation pushes a tangent v̇ = Σ (∂v/∂p) ṗ along with the value, one sweep per input direction.
Both sweeps count the chain-rule multiply-adds they execute (a local derivative times an incoming
tangent or adjoint, added to a sum), which is how the chapter compares the two costs.

API summary
-----------
``Value(data, label="")``: ``.data``, ``.grad``, ``.op``, ``.parents``, ``.local_grads``;
    operators ``+ - * / **`` (number exponent), unary ``-``, ``abs``; methods ``exp``, ``log``,
    ``tanh``, ``sigmoid``, ``relu``, ``sin``, ``cos``, ``sqrt``; ``backward()`` (returns the
    number of multiply-adds it executed: one per edge), ``zero_grad()``.
``Dual(value, tangent=0.0)``: a dual number v + v̇ε (ε² = 0) with the same operators and methods;
    ``.value``, ``.tangent``, ``.ops`` (elementary operations executed so far in its sweep),
    ``.madds`` (tangent multiply-adds executed so far). Constants carry no tangent and cost none.
Module-level ``exp, log, tanh, sigmoid, relu, sin, cos, sqrt`` accept a Value or a number/array
    (then they are numpy's), so one ``f`` serves both.
``make_unary(name, fn, dfn)`` → a new operation x ↦ fn(x) with local derivative dfn(x).
``topological_order(root)`` → list of nodes, inputs first.
``graph(root)`` → (nodes, edges): nodes are dicts {id, label, op, data, grad, depth}, edges are
    (parent_id, child_id, local_grad); gdcore.plotting.backprop lays it out (no graphviz).
``grad(f, x)`` → (f(x), ∇f(x)) in one reverse sweep; ``jvp(f, x, v)`` → (f(x), ∇f(x)·v) in one
    tangent sweep; ``forward_mode_grad(f, x)`` → (f(x), ∇f(x)) by n tangent sweeps;
    ``cost(f, x)`` → dict of the operations both modes execute, counted while they run.
"""

import math

import numpy as np

__all__ = [
    "Value", "Dual", "make_unary", "topological_order", "graph", "grad", "jvp",
    "forward_mode_grad", "cost",
    "exp", "log", "tanh", "sigmoid", "relu", "sin", "cos", "sqrt",
]


class Value:
    """A scalar node of a computational graph: a value, its parents and local derivatives."""

    __slots__ = ("data", "grad", "parents", "local_grads", "op", "label")

    def __init__(self, data, parents=(), local_grads=(), op="", label=""):
        self.data = float(data)
        self.grad = 0.0
        self.parents = tuple(parents)
        self.local_grads = tuple(float(d) for d in local_grads)
        self.op = op
        self.label = label

    def __repr__(self):
        name = f"{self.label}=" if self.label else ""
        return f"Value({name}{self.data:.6g}, grad={self.grad:.6g})"

    # --- arithmetic: each op states its local derivatives next to its forward value
    def __add__(self, other):
        other = _lift(other)
        return Value(self.data + other.data, (self, other), (1.0, 1.0), "+")

    def __mul__(self, other):
        other = _lift(other)
        # ∂(xy)/∂x = y, ∂(xy)/∂y = x
        return Value(self.data * other.data, (self, other), (other.data, self.data), "×")

    def __pow__(self, k):
        if isinstance(k, Value):
            raise TypeError("only a number exponent is supported: write exp(k * log(x))")
        k = float(k)
        # d(x^k)/dx = k x^(k-1)
        return Value(self.data ** k, (self,), (k * self.data ** (k - 1),), f"^{k:g}")

    def __neg__(self):
        return Value(-self.data, (self,), (-1.0,), "neg")

    def __sub__(self, other):
        other = _lift(other)
        return Value(self.data - other.data, (self, other), (1.0, -1.0), "−")

    def __truediv__(self, other):
        other = _lift(other)
        # ∂(x/y)/∂x = 1/y, ∂(x/y)/∂y = −x/y²
        q = self.data / other.data
        return Value(q, (self, other), (1.0 / other.data, -q / other.data), "÷")

    def __radd__(self, other):
        return self + other

    def __rmul__(self, other):
        return self * other

    def __rsub__(self, other):
        return _lift(other) - self

    def __rtruediv__(self, other):
        return _lift(other) / self

    def __abs__(self):
        slope = math.copysign(1.0, self.data) if self.data else 0.0
        return Value(abs(self.data), (self,), (slope,), "abs")

    # --- elementary functions
    def exp(self):
        e = math.exp(self.data)
        return Value(e, (self,), (e,), "exp")                      # (eˣ)' = eˣ

    def log(self):
        return Value(math.log(self.data), (self,), (1.0 / self.data,), "log")   # (ln x)' = 1/x

    def sqrt(self):
        r = math.sqrt(self.data)
        return Value(r, (self,), (0.5 / r,), "sqrt")               # (√x)' = 1/(2√x)

    def tanh(self):
        t = math.tanh(self.data)
        return Value(t, (self,), (1.0 - t * t,), "tanh")           # tanh' = 1 − tanh²

    def sigmoid(self):
        s = 0.5 * (1.0 + math.tanh(0.5 * self.data))
        return Value(s, (self,), (s * (1.0 - s),), "σ")             # σ' = σ(1 − σ) ≤ ¼

    def relu(self):
        return Value(max(self.data, 0.0), (self,), (1.0 if self.data > 0 else 0.0,), "relu")

    def sin(self):
        return Value(math.sin(self.data), (self,), (math.cos(self.data),), "sin")

    def cos(self):
        return Value(math.cos(self.data), (self,), (-math.sin(self.data),), "cos")

    # --- the two sweeps
    def backward(self):
        """Set ``.grad`` = ∂self/∂node on every node (reset first); return the multiply-adds."""
        order = topological_order(self)
        for v in order:
            v.grad = 0.0
        self.grad = 1.0
        madds = 0
        for v in reversed(order):
            for parent, d in zip(v.parents, v.local_grads, strict=True):
                parent.grad += d * v.grad
                madds += 1
        return madds

    def zero_grad(self):
        """Reset ``.grad`` to 0 on every node of this graph."""
        for v in topological_order(self):
            v.grad = 0.0


class _Tally:
    """Operations executed by one forward-mode sweep (shared by every Dual of the sweep)."""

    __slots__ = ("ops", "madds")

    def __init__(self):
        self.ops = 0
        self.madds = 0


_NUMBER = (int, float, np.integer, np.floating)


class Dual:
    """A dual number v + v̇ε (ε² = 0): the value and the tangent of one forward-mode sweep.

    Each operation computes its value and local derivatives ∂v/∂p, then the tangent
    v̇ = Σ_p (∂v/∂p) ṗ over its Dual operands, one counted multiply-add per operand; plain
    numbers are constants (no tangent, no multiply-add).
    """

    __slots__ = ("value", "tangent", "_tally")

    def __init__(self, value, tangent=0.0, _tally=None):
        self.value = float(value)
        self.tangent = float(tangent)
        self._tally = _Tally() if _tally is None else _tally

    @property
    def ops(self):
        """Elementary operations executed so far in this sweep."""
        return self._tally.ops

    @property
    def madds(self):
        """Tangent multiply-adds executed so far in this sweep."""
        return self._tally.madds

    def __repr__(self):
        return f"Dual({self.value:.6g}, tangent={self.tangent:.6g})"

    def _new(self, value, *pairs):
        """The result of one operation: pairs are (local derivative, operand)."""
        tally = self._tally
        tally.ops += 1
        tangent = 0.0
        for d, p in pairs:
            if isinstance(p, Dual):
                tangent += d * p.tangent
                tally.madds += 1
        return Dual(value, tangent, tally)

    # --- arithmetic (other may be a number: a constant)
    def __add__(self, other):
        if not isinstance(other, (Dual, *_NUMBER)):
            return NotImplemented
        return self._new(self.value + _val(other), (1.0, self), (1.0, other))

    def __mul__(self, other):
        if not isinstance(other, (Dual, *_NUMBER)):
            return NotImplemented
        b = _val(other)
        return self._new(self.value * b, (b, self), (self.value, other))

    def __sub__(self, other):
        if not isinstance(other, (Dual, *_NUMBER)):
            return NotImplemented
        return self._new(self.value - _val(other), (1.0, self), (-1.0, other))

    def __truediv__(self, other):
        if not isinstance(other, (Dual, *_NUMBER)):
            return NotImplemented
        b = _val(other)
        q = self.value / b
        return self._new(q, (1.0 / b, self), (-q / b, other))

    def __radd__(self, other):
        return self + other

    def __rmul__(self, other):
        return self * other

    def __rsub__(self, other):
        if not isinstance(other, _NUMBER):
            return NotImplemented
        return self._new(other - self.value, (-1.0, self))

    def __rtruediv__(self, other):
        if not isinstance(other, _NUMBER):
            return NotImplemented
        q = other / self.value
        return self._new(q, (-q / self.value, self))

    def __pow__(self, k):
        if isinstance(k, Dual):
            raise TypeError("only a number exponent is supported: write exp(k * log(x))")
        k = float(k)
        return self._new(self.value ** k, (k * self.value ** (k - 1), self))

    def __neg__(self):
        return self._new(-self.value, (-1.0, self))

    def __abs__(self):
        slope = math.copysign(1.0, self.value) if self.value else 0.0
        return self._new(abs(self.value), (slope, self))

    # --- elementary functions
    def exp(self):
        e = math.exp(self.value)
        return self._new(e, (e, self))

    def log(self):
        return self._new(math.log(self.value), (1.0 / self.value, self))

    def sqrt(self):
        r = math.sqrt(self.value)
        return self._new(r, (0.5 / r, self))

    def tanh(self):
        t = math.tanh(self.value)
        return self._new(t, (1.0 - t * t, self))

    def sigmoid(self):
        s = 0.5 * (1.0 + math.tanh(0.5 * self.value))
        return self._new(s, (s * (1.0 - s), self))

    def relu(self):
        return self._new(max(self.value, 0.0), (1.0 if self.value > 0 else 0.0, self))

    def sin(self):
        return self._new(math.sin(self.value), (math.cos(self.value), self))

    def cos(self):
        return self._new(math.cos(self.value), (-math.sin(self.value), self))


def _val(x):
    return x.value if isinstance(x, Dual) else float(x)


def _lift(x):
    return x if isinstance(x, Value) else Value(x, op="const", label=f"{float(x):g}")


def _unary_dispatch(name, numpy_fn):
    def fn(x):
        if isinstance(x, (Value, Dual)):
            return getattr(x, name)()
        return numpy_fn(x)

    fn.__name__ = name
    fn.__doc__ = f"{name}(x): the Value method for a Value, numpy's {name} for numbers/arrays."
    return fn


exp = _unary_dispatch("exp", np.exp)
log = _unary_dispatch("log", np.log)
sqrt = _unary_dispatch("sqrt", np.sqrt)
tanh = _unary_dispatch("tanh", np.tanh)
sin = _unary_dispatch("sin", np.sin)
cos = _unary_dispatch("cos", np.cos)
sigmoid = _unary_dispatch("sigmoid", lambda x: 0.5 * (1.0 + np.tanh(0.5 * np.asarray(x))))
relu = _unary_dispatch("relu", lambda x: np.maximum(x, 0.0))


def make_unary(name, fn, dfn):
    """A new operation: Value x ↦ Value(fn(x)) with local derivative dfn(x); numbers pass to fn.

    >>> softplus = make_unary("softplus", lambda x: np.log1p(np.exp(x)), lambda x: 1/(1+np.exp(-x)))
    """

    def op(x):
        if isinstance(x, Value):
            return Value(fn(x.data), (x,), (dfn(x.data),), name)
        if isinstance(x, Dual):
            return x._new(fn(x.value), (dfn(x.value), x))
        return fn(x)

    op.__name__ = name
    return op


def topological_order(root):
    """All nodes feeding ``root``, each after its parents (iterative: deep graphs are fine)."""
    order, seen = [], set()
    stack = [(root, False)]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            order.append(node)
            continue
        if id(node) in seen:
            continue
        seen.add(id(node))
        stack.append((node, True))
        for p in reversed(node.parents):
            if id(p) not in seen:
                stack.append((p, False))
    return order


def graph(root):
    """(nodes, edges) of the graph of ``root`` for drawing.

    nodes: list of dicts {id, label, op, data, grad, depth} in topological order, depth = length
    of the longest path from an input; edges: (parent_id, child_id, local_grad).
    """
    order = topological_order(root)
    index = {id(v): i for i, v in enumerate(order)}
    depth = {}
    nodes, edges = [], []
    for i, v in enumerate(order):
        depth[i] = 1 + max((depth[index[id(p)]] for p in v.parents), default=-1)
        nodes.append({"id": i, "label": v.label, "op": v.op, "data": v.data, "grad": v.grad,
                      "depth": depth[i]})
        for p, d in zip(v.parents, v.local_grads, strict=True):
            edges.append((index[id(p)], i, d))
    return nodes, edges


def _vector(x, name):
    x = np.asarray(x, dtype=float)
    if x.ndim != 1:
        raise ValueError(f"{name} must be a 1-D array of inputs, got shape {x.shape}")
    return x


def _inputs(x):
    x = _vector(x, "x")
    return [Value(xi, op="input", label=f"x{i + 1}") for i, xi in enumerate(x)]


def grad(f, x):
    """(f(x), ∇f(x)) for f taking a list of Values and returning a Value: one reverse sweep."""
    xs = _inputs(x)
    out = _lift(f(xs))
    out.backward()
    return out.data, np.array([v.grad for v in xs])


def _sweep(f, x, v):
    """One forward-mode sweep of f at x in direction v: (f(x), ∇f(x)·v, ops, madds)."""
    tally = _Tally()
    out = f([Dual(xi, vi, tally) for xi, vi in zip(x, v, strict=True)])
    if not isinstance(out, Dual):  # f does not depend on its inputs
        return float(out), 0.0, tally.ops, tally.madds
    return out.value, out.tangent, tally.ops, tally.madds


def jvp(f, x, v):
    """(f(x), ∇f(x)·v): one forward-mode sweep with dual numbers, f: list of inputs → scalar."""
    x = _vector(x, "x")
    v = _vector(v, "v")
    if v.shape != x.shape:
        raise ValueError(f"v must have the shape of x {x.shape}, got {v.shape}")
    value, tangent, _, _ = _sweep(f, x, v)
    return value, tangent


def forward_mode_grad(f, x):
    """(f(x), ∇f(x)) by forward mode: one dual-number sweep per input direction e_i."""
    x = _vector(x, "x")
    g = np.zeros(x.size)
    value = None
    for i, e_i in enumerate(np.eye(x.size)):
        value, g[i], _, _ = _sweep(f, x, e_i)
    if value is None:
        raise ValueError("x must have at least one input")
    return value, g


def cost(f, x):
    """The operations of both derivative modes for f: ℝⁿ → ℝ at x, counted while they run.

    Returns {"n_inputs", "nodes", "edges" (of the reverse-mode graph), "evaluation": elementary
    operations of one evaluation of f, "reverse": multiply-adds executed by one backward sweep,
    "forward": tangent multiply-adds executed by the n dual-number sweeps of
    ``forward_mode_grad``}. Both modes also evaluate f (reverse once, forward in every sweep).
    """
    x = _vector(x, "x")
    xs = _inputs(x)
    out = _lift(f(xs))
    order = topological_order(out)
    edges = sum(len(v.parents) for v in order)
    reverse = out.backward()
    forward, evaluation = 0, 0
    for e_i in np.eye(x.size):
        _, _, evaluation, madds = _sweep(f, x, e_i)
        forward += madds
    return {"n_inputs": x.size, "nodes": len(order), "edges": edges, "evaluation": evaluation,
            "reverse": reverse, "forward": forward}
