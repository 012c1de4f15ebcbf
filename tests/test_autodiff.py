"""gdcore.autodiff against independent sources: finite differences and analytic gradients."""

import subprocess
import sys

import numpy as np
import pytest

import gdcore.autodiff as ad
from gdcore import functions, numdiff

# --- random expressions, checked against central differences ---------------------------------
# Unary ops on safe domains: log/sqrt/÷ only ever see arguments bounded away from 0.
UNARY = [
    lambda a: ad.tanh(a),
    lambda a: ad.sigmoid(a),
    lambda a: ad.exp(0.3 * a),
    lambda a: ad.log(1.0 + a * a),
    lambda a: ad.sqrt(0.5 + a * a),
    lambda a: ad.sin(a),
    lambda a: ad.cos(a),
    lambda a: -a,
    lambda a: a ** 3,
    lambda a: 1.0 / (1.0 + a * a),
]
BINARY = [
    lambda a, b: a + b,
    lambda a, b: a - b,
    lambda a, b: a * b,
    lambda a, b: a / (2.0 + b * b),
    lambda a, b: 2.0 - a * 0.5 + b,
]


def random_expression(seed, n_inputs, n_ops=12):
    """A random function of a list of inputs built from the ops above (deterministic per seed)."""
    rng = np.random.default_rng(seed)
    plan = []
    for k in range(n_ops):
        if rng.random() < 0.5:
            plan.append(("u", int(rng.integers(len(UNARY))), int(rng.integers(n_inputs + k))))
        else:
            plan.append(("b", int(rng.integers(len(BINARY))), int(rng.integers(n_inputs + k)),
                         int(rng.integers(n_inputs + k))))

    def f(xs):
        vals = list(xs)
        for step in plan:
            if step[0] == "u":
                vals.append(UNARY[step[1]](vals[step[2]]))
            else:
                vals.append(BINARY[step[1]](vals[step[2]], vals[step[3]]))
        return sum(vals[n_inputs:]) * 0.1 + vals[-1]

    return f


@pytest.mark.parametrize("seed", range(25))
def test_random_expressions_match_finite_differences(seed):
    n = 1 + seed % 4
    f = random_expression(seed, n)
    x = np.random.default_rng(100 + seed).uniform(-1.5, 1.5, n)
    value, g = ad.grad(f, x)
    assert value == pytest.approx(f(list(x)), rel=1e-12)  # the numbers path gives the same value
    rel = numdiff.grad_check(lambda z: f(list(z)), g, x)
    assert rel < 1e-7, rel


@pytest.mark.parametrize("seed", range(10))
def test_forward_mode_equals_reverse_mode(seed):
    n = 2 + seed % 5
    f = random_expression(seed, n)
    x = np.random.default_rng(seed).uniform(-1, 1, n)
    v1, g1 = ad.grad(f, x)
    v2, g2 = ad.forward_mode_grad(f, x)
    assert v1 == v2
    np.testing.assert_allclose(g1, g2, rtol=1e-12, atol=1e-14)


# --- the test functions of chapters 1-3, written with Values ----------------------------------
def rosenbrock(v):
    x, y = v
    return (1.0 - x) ** 2 + 100.0 * (y - x ** 2) ** 2


def beale(v):
    x, y = v
    return ((1.5 - x + x * y) ** 2 + (2.25 - x + x * y ** 2) ** 2
            + (2.625 - x + x * y ** 3) ** 2)


def himmelblau(v):
    x, y = v
    return (x ** 2 + y - 11.0) ** 2 + (x + y ** 2 - 7.0) ** 2


def booth(v):
    x, y = v
    return (x + 2.0 * y - 7.0) ** 2 + (2.0 * x + y - 5.0) ** 2


def saddle(v):
    x, y = v
    return x ** 2 - y ** 2


def monkey_saddle(v):
    x, y = v
    return x ** 3 - 3.0 * x * y ** 2


@pytest.mark.parametrize("expr, problem", [
    (rosenbrock, functions.rosenbrock()), (beale, functions.beale()),
    (himmelblau, functions.himmelblau()), (booth, functions.booth()),
    (saddle, functions.saddle()), (monkey_saddle, functions.monkey_saddle()),
], ids=lambda p: getattr(p, "__name__", ""))
def test_analytic_gradients_of_course_functions(expr, problem):
    rng = np.random.default_rng(7)
    (xlo, xhi), (ylo, yhi) = problem.bounds
    for _ in range(5):
        x = np.array([rng.uniform(xlo, xhi), rng.uniform(ylo, yhi)])
        value, g = ad.grad(expr, x)
        assert value == pytest.approx(float(problem.f(x)), rel=1e-12, abs=1e-12)
        np.testing.assert_allclose(g, problem.grad(x), rtol=1e-12, atol=1e-10)


# --- structure: local derivatives, counts, graph export ----------------------------------------
def test_hand_example_local_derivatives():
    # f = (x·y + sin x), x = 2, y = 3: ∂f/∂x = y + cos x, ∂f/∂y = x
    x, y = ad.Value(2.0, label="x"), ad.Value(3.0, label="y")
    f = x * y + x.sin()
    f.backward()
    assert x.grad == pytest.approx(3.0 + np.cos(2.0))
    assert y.grad == pytest.approx(2.0)


def test_shared_node_accumulates_and_backward_is_repeatable():
    x = ad.Value(3.0)
    f = x * x + x  # df/dx = 2x + 1 = 7, x is used three times
    f.backward()
    assert x.grad == 7.0
    f.backward()  # a second call resets instead of doubling
    assert x.grad == 7.0


@pytest.mark.parametrize("n, f, expected", [
    # x1·x2 + sin x1: 3 operations; × has 2 edges, sin 1, + 2: 5 multiply-adds per sweep
    (2, lambda v: v[0] * v[1] + ad.sin(v[0]),
     {"evaluation": 3, "edges": 5, "reverse": 5, "forward": 2 * 5}),
    # 0.5·x1·x2: the tape keeps the edge to the constant 0.5, the dual numbers do not
    (2, lambda v: 0.5 * v[0] * v[1],
     {"evaluation": 2, "edges": 4, "reverse": 4, "forward": 2 * 3}),
    # x1 + x2 + x3 (sum starts from the constant 0): 3 additions, 5 edges from inputs
    (3, lambda v: sum(v),
     {"evaluation": 3, "edges": 6, "reverse": 6, "forward": 3 * 5}),
])
def test_cost_counts_match_hand_counts(n, f, expected):
    c = ad.cost(f, np.linspace(0.3, 0.9, n))
    assert {k: c[k] for k in expected} == expected
    assert c["n_inputs"] == n


def test_cost_counts_are_measured_by_the_sweeps():
    f = random_expression(3, 6, n_ops=30)
    x = np.linspace(-1, 1, 6)
    c = ad.cost(f, x)
    out = f([ad.Value(v) for v in x])
    assert out.backward() == c["reverse"] == c["edges"]
    # a tangent sweep skips the edges from constants, so it costs at most a backward sweep
    assert c["n_inputs"] * c["reverse"] >= c["forward"] > 0


@pytest.mark.parametrize("seed", range(10))
def test_jvp_is_the_gradient_times_the_direction(seed):
    n = 1 + seed % 4
    f = random_expression(seed, n)
    rng = np.random.default_rng(50 + seed)
    x, v = rng.uniform(-1, 1, n), rng.standard_normal(n)
    value, tangent = ad.jvp(f, x, v)
    value_r, g = ad.grad(f, x)
    assert value == value_r
    assert tangent == pytest.approx(g @ v, rel=1e-12, abs=1e-13)


def test_dual_counts_operations_and_multiply_adds():
    x = ad.Dual(2.0, 1.0)
    y = ad.Dual(3.0, 0.0, x._tally)
    f = x * y + ad.sin(x) - 1.0
    assert f.value == pytest.approx(6.0 + np.sin(2.0) - 1.0)
    assert f.tangent == pytest.approx(3.0 + np.cos(2.0))
    assert (f.ops, f.madds) == (4, 2 + 1 + 2 + 1)


def test_dual_make_unary_and_constant_function():
    softplus = ad.make_unary("softplus", lambda z: np.log1p(np.exp(z)),
                             lambda z: 1.0 / (1.0 + np.exp(-z)))
    _, t = ad.jvp(lambda v: softplus(v[0] * v[1]), np.array([0.7, -1.3]), np.array([1.0, 0.0]))
    assert t == pytest.approx(-1.3 / (1.0 + np.exp(0.7 * 1.3)), rel=1e-14)
    value, g = ad.forward_mode_grad(lambda v: 4.0, np.array([1.0, 2.0]))
    assert value == 4.0 and np.all(g == 0.0)


def test_graph_nodes_edges_and_depths():
    x, y = ad.Value(1.0, label="x"), ad.Value(2.0, label="y")
    f = (x * y).tanh()
    nodes, edges = ad.graph(f)
    assert [n["op"] for n in nodes] == ["", "", "×", "tanh"]
    assert [n["depth"] for n in nodes] == [0, 0, 1, 2]
    t = np.tanh(2.0)
    assert sorted(edges) == sorted([(0, 2, 2.0), (1, 2, 1.0), (2, 3, 1 - t * t)])


def test_deep_chain_has_no_recursion_limit():
    x = ad.Value(0.5)
    h = x
    for _ in range(5000):
        h = h * 1.0 + 0.0
    h.backward()
    assert x.grad == 1.0


def test_make_unary_softplus():
    softplus = ad.make_unary("softplus", lambda z: np.log1p(np.exp(z)),
                             lambda z: 1.0 / (1.0 + np.exp(-z)))
    _, g = ad.grad(lambda v: softplus(v[0] * v[1]), np.array([0.7, -1.3]))
    s = 1.0 / (1.0 + np.exp(0.7 * 1.3))
    np.testing.assert_allclose(g, [s * -1.3, s * 0.7], rtol=1e-14)
    assert softplus(0.0) == pytest.approx(np.log(2.0))


def test_numbers_and_arrays_pass_through_to_numpy():
    np.testing.assert_allclose(ad.tanh(np.array([0.0, 1.0])), np.tanh([0.0, 1.0]))
    assert ad.relu(-2.0) == 0.0


@pytest.mark.parametrize("call, exc, match", [
    (lambda: ad.Value(2.0) ** ad.Value(3.0), TypeError, "number exponent"),
    (lambda: ad.grad(lambda v: v[0], np.zeros((2, 2))), ValueError, "x must be a 1-D"),
    (lambda: ad.Dual(2.0) ** ad.Dual(3.0), TypeError, "number exponent"),
    (lambda: ad.jvp(lambda v: v[0], np.zeros(2), np.zeros(3)), ValueError, "v must have"),
    (lambda: ad.jvp(lambda v: v[0], np.zeros(2), np.zeros((2, 1))), ValueError, "v must be"),
    (lambda: ad.forward_mode_grad(lambda v: 1.0, np.zeros(0)), ValueError, "at least one"),
])
def test_bad_input(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_core_does_not_import_matplotlib():
    code = ("import sys, gdcore.autodiff, gdcore.mlp; "
            "assert 'matplotlib' not in sys.modules, 'matplotlib imported'")
    subprocess.run([sys.executable, "-c", code], check=True)
