r"""A tiny reverse-mode automatic differentiation engine on scalars (in the spirit of micrograd).

Every operation creates a ``Value`` node that remembers its parents and the *local* partial
derivatives ∂(node)/∂(parent), computed right next to the forward value. ``backward()`` visits
the graph once in reverse topological order and applies the chain rule

    parent.grad += (∂node/∂parent) · node.grad,

so one backward pass gives the derivative of the output with respect to *every* input. The same
stored local derivatives also give forward mode (one tangent sweep per input direction), which
is how the chapter compares the two costs.

API summary
-----------
``Value(data, label="")``: ``.data``, ``.grad``, ``.op``, ``.parents``, ``.local_grads``;
    operators ``+ - * / **`` (number exponent), unary ``-``, ``abs``; methods ``exp``, ``log``,
    ``tanh``, ``sigmoid``, ``relu``, ``sin``, ``cos``, ``sqrt``; ``backward()`` (returns the
    number of edges visited), ``zero_grad()``.
Module-level ``exp, log, tanh, sigmoid, relu, sin, cos, sqrt`` accept a Value or a number/array
    (then they are numpy's), so one ``f`` serves both.
``make_unary(name, fn, dfn)`` → a new operation x ↦ fn(x) with local derivative dfn(x).
``topological_order(root)`` → list of nodes, inputs first.
``graph(root)`` → (nodes, edges): nodes are dicts {id, label, op, data, grad, depth}, edges are
    (parent_id, child_id, local_grad); gdcore.plotting.backprop lays it out (no graphviz).
``grad(f, x)`` → (f(x), ∇f(x)) in one reverse sweep; ``forward_mode_grad(f, x)`` → same by
    n tangent sweeps; ``cost(f, x)`` → dict of edge visits of both modes (deterministic counts).
"""

import math

import numpy as np

__all__ = [
    "Value", "make_unary", "topological_order", "graph", "grad", "forward_mode_grad", "cost",
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
        """Set ``.grad`` = ∂self/∂node on every node of the graph (reset first); returns edges."""
        order = topological_order(self)
        for v in order:
            v.grad = 0.0
        self.grad = 1.0
        edges = 0
        for v in reversed(order):
            for parent, d in zip(v.parents, v.local_grads, strict=True):
                parent.grad += d * v.grad
                edges += 1
        return edges

    def zero_grad(self):
        """Reset ``.grad`` to 0 on every node of this graph."""
        for v in topological_order(self):
            v.grad = 0.0


def _lift(x):
    return x if isinstance(x, Value) else Value(x, op="const", label=f"{float(x):g}")


def _unary_dispatch(name, numpy_fn):
    def fn(x):
        if isinstance(x, Value):
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


def _inputs(x):
    x = np.asarray(x, dtype=float)
    if x.ndim != 1:
        raise ValueError(f"x must be a 1-D array of inputs, got shape {x.shape}")
    return [Value(xi, op="input", label=f"x{i + 1}") for i, xi in enumerate(x)]


def grad(f, x):
    """(f(x), ∇f(x)) for f taking a list of Values and returning a Value: one reverse sweep."""
    xs = _inputs(x)
    out = _lift(f(xs))
    out.backward()
    return out.data, np.array([v.grad for v in xs])


def forward_mode_grad(f, x):
    """(f(x), ∇f(x)) by forward mode: one tangent sweep u̇ = Σ (∂u/∂p) ṗ per input coordinate."""
    xs = _inputs(x)
    out = _lift(f(xs))
    order = topological_order(out)
    g = np.zeros(len(xs))
    for i, xi in enumerate(xs):
        tangent = {id(xi): 1.0}
        for v in order:
            if v.parents:
                tangent[id(v)] = sum(d * tangent.get(id(p), 0.0)
                                     for p, d in zip(v.parents, v.local_grads, strict=True))
        g[i] = tangent.get(id(out), 0.0)
    return out.data, g


def cost(f, x):
    """Multiply-adds of the derivative sweeps for f: ℝⁿ → ℝ, counted edge by edge.

    Returns {"n_inputs", "nodes", "edges", "reverse": edges (one backward sweep),
    "forward": n · edges (one tangent sweep per input)}. Both modes first evaluate f once.
    """
    xs = _inputs(x)
    out = _lift(f(xs))
    order = topological_order(out)
    edges = sum(len(v.parents) for v in order)
    return {"n_inputs": len(xs), "nodes": len(order), "edges": edges, "reverse": edges,
            "forward": len(xs) * edges}
