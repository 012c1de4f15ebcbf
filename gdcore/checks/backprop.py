"""Checkers for the exercises of chapter 4 (backpropagation, autodiff, initialisation, stability).

Each checker runs the answer on seeded random inputs, compares with gdcore's own computation
(``gdcore.mlp``, ``gdcore.autodiff``, finite differences) and, when the answer is wrong, tries
the typical mistakes to name what went wrong.
"""

import numpy as np

from .. import autodiff, mlp, numdiff
from ..i18n import _
from ._core import (
    Wrong,
    call_safely,
    expect_array,
    expect_number,
    is_stub,
    require_function,
    run_checks,
)

__all__ = ["check_two_layer_grads", "check_softplus_derivative", "check_tanh_init_std",
           "check_sigmoid_init_std", "check_stable_cross_entropy"]

_SEEDS = (0, 1, 2)


def _close(a, b, rtol=1e-6):
    return np.linalg.norm(a - b) <= rtol * max(np.linalg.norm(b), 1e-12)


def _ratio(a, b):
    """The constant c with a ≈ c·b, or None if a is not a multiple of b."""
    nb = float(np.vdot(b, b))
    if nb == 0.0:
        return None
    c = float(np.vdot(a, b)) / nb
    return c if _close(a, c * b) else None


def _factor_message(name, c):
    if np.isclose(c, -1.0):
        return _("{name} has the wrong sign: it points uphill (you computed −{name})").format(
            name=name)
    return (_("{name} is off by a factor {c:.3g}: check the ½ of "
              "the loss and the mean (1/n) over samples").format(name=name, c=c))


def _need_callable(answer, what):
    require_function(answer, what, _("write the function {what}").format(what=what))


# ----------------------------------------------------------------------------- exercise 1
def _two_layer_reference(W1, b1, W2, b2, X, y):
    _loss, grads = mlp.loss_and_grads([(W1, b1), (W2, b2)], X, y, activation="tanh", loss="mse")
    (dW1, db1), (dW2, db2) = grads
    return dW1, db1, dW2, db2


def _two_layer_instance(seed):
    rng = np.random.default_rng(seed)
    n, d, m, k = 5 + seed, 3, 4, 2
    return (rng.standard_normal((d, m)), rng.standard_normal(m), rng.standard_normal((m, k)),
            rng.standard_normal(k), rng.standard_normal((n, d)), rng.standard_normal((n, k)))


def _check_two_layer(answer):
    _need_callable(answer, "two_layer_grads(W1, b1, W2, b2, X, y)")
    names = ("dW1", "db1", "dW2", "db2")
    for seed in _SEEDS:
        W1, b1, W2, b2, X, y = _two_layer_instance(seed)
        result = call_safely(answer, W1.copy(), b1.copy(), W2.copy(), b2.copy(), X.copy(),
                             y.copy())
        if not isinstance(result, (tuple, list)) or len(result) != 4:
            raise Wrong(_("return the four gradients as a tuple (dW1, db1, dW2, db2)"))
        ref = _two_layer_reference(W1, b1, W2, b2, X, y)
        z = X @ W1 + b1
        h = np.tanh(z)
        delta2 = (h @ W2 + b2 - y) / X.shape[0]
        for name, got, want in zip(names, result, ref, strict=True):
            got_arr = np.asarray(got, dtype=float) if not is_stub(got) else got
            if not is_stub(got) and got_arr.shape == want.T.shape != want.shape:
                raise Wrong(_("{name} is transposed: shape {got} "
                              "where {want} was expected").format(
                                  name=name, got=got_arr.shape, want=want.shape))
            if not is_stub(got) and got_arr.ndim == 2 and name.startswith("db"):
                raise Wrong(_("{name}: shape {got} where {want} was "
                              "expected — sum δ over the samples (axis 0)").format(
                                  name=name, got=got_arr.shape, want=want.shape))
            got = expect_array(got, want.shape, what=name)
            if _close(got, want):
                continue
            c = _ratio(got, want)
            if c is not None:
                raise Wrong(_factor_message(name, c))
            if name == "dW2" and _close(got, z.T @ delta2):
                raise Wrong(_("dW2 uses the pre-activations z; it needs the "
                              "activations h = tanh(z) that W2 multiplies"))
            if name in ("dW1", "db1"):
                no_deriv = delta2 @ W2.T
                plain = X.T @ no_deriv if name == "dW1" else no_deriv.sum(axis=0)
                if _close(got, plain):
                    raise Wrong(_("{name} is missing the activation derivative: multiply "
                                  "δ₂W₂ᵀ elementwise by tanh'(z) = 1 − tanh²(z)").format(name=name))
                wrong_d = delta2 @ W2.T * (1 - z ** 2)
                variant = X.T @ wrong_d if name == "dW1" else wrong_d.sum(axis=0)
                if _close(got, variant):
                    raise Wrong(_("{name} uses 1 − z² as the activation "
                                  "derivative: tanh'(z) = 1 − tanh²(z) = 1 − h²").format(name=name))
            rel = np.linalg.norm(got - want) / max(np.linalg.norm(want), 1e-12)
            raise Wrong(_("{name} is wrong (relative error {rel:.2g}); "
                          "apply the chain rule from the output back").format(name=name, rel=rel))


def check_two_layer_grads(answer=None) -> bool:
    """Exercise ex-backprop-two-layer: gradients of a tanh–linear net with loss mean ½‖out − y‖²."""
    return run_checks("check_two_layer_grads", lambda: _check_two_layer(answer))


# ----------------------------------------------------------------------------- exercise 2
def _softplus(x):
    return np.logaddexp(0.0, x)


def _sigmoid(x):
    return 0.5 * (1.0 + np.tanh(0.5 * x))


def _check_softplus(answer):
    _need_callable(answer, "softplus_derivative(x)")
    rng = np.random.default_rng(4)
    x = np.concatenate([rng.uniform(-6, 6, 20), [0.0, -50.0, 50.0]])
    got = expect_array(call_safely(answer, x.copy()), x.shape, what="softplus_derivative(x)")
    want = _sigmoid(x)
    if not _close(got, want, 1e-8):
        if _close(got, _softplus(x)):
            raise Wrong(_("this is softplus itself, log(1 + eˣ), not its derivative"))
        if _close(got, _sigmoid(-x)):
            raise Wrong(_("wrong sign of x: the derivative of log(1 + "
                          "eˣ) is eˣ/(1 + eˣ) = σ(x), not σ(−x)"))
        c = _ratio(got, want)
        if c is not None:
            raise Wrong(_("off by a factor {c:.3g}").format(c=c))
        numeric = numdiff.central_difference(_softplus, x)
        rel = np.max(np.abs(got - numeric))
        raise Wrong(_("does not match the finite-difference derivative (max error "
                      "{rel:.2g})").format(rel=rel))
    big = np.array([800.0, -800.0, 1e4])
    with np.errstate(all="ignore"):
        got_big = np.asarray(call_safely(answer, big.copy()), dtype=float)
    if got_big.shape != big.shape or not np.all(np.isfinite(got_big)):
        raise Wrong(_("overflow: NaN or inf for x = 800 (eˣ "
                      "overflows); write it as 1/(1 + e⁻ˣ) or with tanh"))
    if not _close(got_big, _sigmoid(big), 1e-8):
        raise Wrong(_("wrong for large |x|: the derivative tends to 1 as x → ∞ and 0 as x → −∞"))
    # The new op inside a graph: gradient of softplus(x·y) + x matches finite differences.
    op = autodiff.make_unary("softplus", _softplus,
                             lambda v: float(np.ravel(call_safely(answer, np.array([v])))[0]))
    point = np.array([0.7, -1.3])
    _value, g = autodiff.grad(lambda v: op(v[0] * v[1]) + v[0], point)
    if numdiff.grad_check(lambda p: _softplus(p[0] * p[1]) + p[0], g, point) > 1e-7:
        raise Wrong(_("inside an autodiff graph the derivative does not match finite differences"))


def check_softplus_derivative(answer=None) -> bool:
    """Exercise ex-backprop-softplus: the local derivative of softplus for gdcore.autodiff."""
    return run_checks("check_softplus_derivative", lambda: _check_softplus(answer))


# ----------------------------------------------------------------------------- exercise 3
def _init_stds(answer, name, argument, ns, not_scaling):
    """σ(n) for each n of ``ns``: positive numbers that change with n, else Wrong."""
    _need_callable(answer, f"{name}({argument})")
    sigmas = [expect_number(call_safely(answer, n), what=f"{name}({n})") for n in ns]
    if any(s <= 0 for s in sigmas):
        raise Wrong(_("a standard deviation must be positive"))
    if np.allclose(sigmas, sigmas[0]):
        raise Wrong(not_scaling)
    return sigmas


def _check_tanh_init(answer):
    ns = (16, 100, 400)
    sigmas = _init_stds(answer, "tanh_init_std", "n_in", ns,
                        _("your σ does not scale with n_in: z = Σᵢ wᵢ hᵢ "
                          "sums n_in terms, so Var z = n_in σ² Var h"))
    gains = np.array([s * s * n for s, n in zip(sigmas, ns, strict=True)])  # n σ², want 1
    if np.allclose(gains, 1.0, rtol=0.15):
        return
    if np.allclose(gains, 2.0, rtol=0.15):
        raise Wrong(_("factor 2 too large: σ² = 2/n_in is He's choice for ReLU, which "
                      "zeroes half its inputs; tanh'(0) = 1, so σ² = 1/n_in"))
    if np.allclose(np.array(sigmas) * np.array(ns), 1.0, rtol=0.15):
        raise Wrong(_("you returned 1/n_in, the variance; the standard "
                      "deviation is its square root, 1/√n_in"))
    raise Wrong(_("wrong scale: n_in·σ² = {gain:.3g} for n_in = 100, "
                  "but keeping Var z constant needs n_in·σ² = 1").format(gain=gains[1]))


def check_tanh_init_std(answer=None) -> bool:
    """Exercise ex-backprop-tanh-init: σ(n_in) of N(0, σ²) weights that keeps the variance."""
    return run_checks("check_tanh_init_std", lambda: _check_tanh_init(answer))


# ----------------------------------------------------------------------------- exercise 3b
def _check_sigmoid_init(answer):
    ns = (16, 100, 400)
    sigmas = _init_stds(answer, "sigmoid_init_std", "n", ns,
                        _("your σ does not scale with n: δ_l W_lᵀ sums n terms, so "
                          "its variance is n σ² times that of one term"))
    sigmas, ns = np.array(sigmas), np.array(ns)
    # per-layer factor of Var δ near z = 0: n σ² σ'(0)², with σ'(0) = 1/4
    factor = ns * sigmas ** 2 / 16.0
    if np.allclose(factor, 1.0, rtol=0.05):
        return
    if np.allclose(factor, 1.0 / 16.0, rtol=0.05):
        raise Wrong(_("this keeps n σ² = 1, as for tanh; but each sigmoid layer also "
                      "multiplies δ by σ'(z) ≈ 1/4 near z = 0, so Var δ still falls 16× per "
                      "layer"))
    if np.allclose(factor, 1.0 / 4.0, rtol=0.05):
        raise Wrong(_("Var δ falls 4× per layer with this σ: the derivative σ'(0) = "
                      "1/4 multiplies δ, so it enters the variance squared"))
    if np.allclose(factor, 2.0 / 16.0, rtol=0.05):
        raise Wrong(_("this is He's σ² = 2/n for ReLU; the sigmoid's "
                      "derivative near 0 is 1/4, not a ReLU's 0-or-1"))
    if np.allclose(sigmas, 16.0 / ns, rtol=0.05):
        raise Wrong(_("you returned the variance σ²; the standard deviation is its square root"))
    raise Wrong(_("wrong scale: with n = 100, Var δ_(l−1)/Var δ_l = {factor:.3g} near z "
                  "= 0, but keeping the back-propagated variance needs 1").format(
                      factor=factor[1]))


def check_sigmoid_init_std(answer=None) -> bool:
    """Exercise ex-backprop-sigmoid-init: σ(n) of N(0, σ²) weights for square sigmoid layers."""
    return run_checks("check_sigmoid_init_std", lambda: _check_sigmoid_init(answer))


# ----------------------------------------------------------------------------- exercise 4
def _ce_reference(logits, labels):
    return mlp.loss(logits, labels, "cross_entropy")


def _check_stable_ce(answer):
    _need_callable(answer, "cross_entropy(logits, labels)")
    rng = np.random.default_rng(5)
    for scale in (1.0, 3.0):
        logits = scale * rng.standard_normal((6, 4))
        labels = rng.integers(0, 4, 6)
        raw = call_safely(answer, logits.copy(), labels.copy())
        if np.ndim(raw) != 0 and np.size(raw) == labels.size:
            raise Wrong(_("shape {shape} where () was expected: return "
                          "the mean over the samples, one number").format(shape=np.shape(raw)))
        got = expect_number(raw, what="cross_entropy(logits, labels)")
        want = _ce_reference(logits, labels)
        if np.isclose(got, want, rtol=1e-8):
            continue
        if np.isclose(got, -want, rtol=1e-8):
            raise Wrong(_("wrong sign: the loss is −log p(label), which is ≥ 0"))
        if np.isclose(got, want * labels.size, rtol=1e-8):
            raise Wrong(_("off by a factor n = {size}: take the "
                          "mean over samples, not the sum").format(size=labels.size))
        shifted = (labels + 1) % 4
        if np.isclose(got, _ce_reference(logits, shifted), rtol=1e-8):
            raise Wrong(_("picks the wrong class: an off-by-one in the label index"))
        wrong_axis = np.mean(-(logits - mlp.logsumexp(logits, axis=0)[None, :])[
            np.arange(labels.size), labels])
        if np.isclose(got, wrong_axis, rtol=1e-8):
            raise Wrong(_("normalised over the wrong axis: the softmax runs "
                          "over the classes of each sample (axis=1)"))
        raise Wrong(_("wrong value {got:.6g}, expected {want:.6g}").format(got=got, want=want))
    logits = np.array([[1000.0, 0.0, -1000.0], [0.0, 800.0, 0.0], [-900.0, -1000.0, -950.0]])
    labels = np.array([0, 2, 1])
    with np.errstate(all="ignore"):
        raw = call_safely(answer, logits.copy(), labels.copy())
    want = _ce_reference(logits, labels)
    if not np.all(np.isfinite(np.asarray(raw, dtype=float))):
        raise Wrong(_("overflow: NaN or inf for logits of size 1000; subtract each "
                      "row's maximum before exponentiating (log-sum-exp)"))
    if not np.isclose(float(np.asarray(raw, dtype=float)), want, rtol=1e-8):
        raise Wrong(_("inaccurate for large logits: {raw:.6g} where "
                      "{want:.6g} was expected (log-sum-exp keeps it exact)").format(
                          raw=float(raw), want=want))


def check_stable_cross_entropy(answer=None) -> bool:
    """Exercise ex-backprop-stable-ce: mean softmax cross-entropy that never overflows."""
    return run_checks("check_stable_cross_entropy", lambda: _check_stable_ce(answer))
