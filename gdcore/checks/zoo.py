"""Checkers for the exercises of Chapter 5, the optimizer zoo.

Each checker runs the student's function on seeded random inputs and compares it with
``gdcore.optimizers`` (the torch-exact reference). When the answer is wrong, it is compared
with a table of typical mistakes computed on the same inputs, so that the verdict can name the
mistake ("forgot bias correction", "wrong sign", "off-by-one in the step count t", ...).
"""

import numpy as np

from .. import optimizers
from ..i18n import N_, _
from ._core import (
    NotSolved,
    Wrong,
    call_safely,
    expect_array,
    expect_number,
    is_stub,
    require_function,
    run_checks,
)

__all__ = [
    "check_nesterov_step", "check_optimal_momentum", "check_adagrad_lr", "check_adam_step",
    "check_soft_threshold",
]

_RTOL = 1e-8


def _function(answer, what):
    """The answer as a callable, or NotSolved (stub) / Wrong (not a function)."""
    return require_function(answer, what, _("write the function {what}").format(what=what),
                            N_("{what} must be a function, got {type}"))


def _close(a, b) -> bool:
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=_RTOL, atol=1e-12, equal_nan=True))


def _raw(value, shape):
    """``value`` as a float array of ``shape`` (NaN allowed, to diagnose), or Wrong."""
    if is_stub(value):
        raise NotSolved(_("your function returned a placeholder"))
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError) as exc:
        raise Wrong(_("your function must return numbers, got {type}").format(
            type=type(value).__name__)) from exc
    if arr.shape != tuple(shape):
        raise Wrong(_("shape {got} where {want} was expected").format(
            got=arr.shape, want=tuple(shape)))
    return arr


def _diagnose(got, expected, mistakes, generic):
    """Pass if ``got`` matches ``expected``; else raise Wrong naming the first matching mistake."""
    if _close(got, expected):
        return
    for candidate, message in mistakes:
        if _close(got, candidate):
            raise Wrong(message)
    expect_array(got)  # NaN or inf gets its own message
    raise Wrong(generic)


def _pair(value, what):
    if is_stub(value):
        raise NotSolved(_("your function returned a placeholder"))
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        raise Wrong(_("{what} must return a pair, got {type}").format(
            what=what, type=type(value).__name__))
    return value


# ----------------------------------------------------------------------------------------------
# Exercise: Nesterov momentum from its equation

def check_nesterov_step(nesterov_step=None) -> bool:
    """``nesterov_step(theta, b, g, lr, momentum) -> (theta_new, b_new)``, torch semantics.

    Compared with ``gdcore.optimizers.SGD(lr, momentum, nesterov=True)`` from random states.
    """

    def check():
        fn = _function(nesterov_step, "nesterov_step(theta, b, g, lr, momentum)")
        rng = np.random.default_rng(5)
        for trial in range(4):
            d = 3 + trial
            theta, b, g = rng.normal(size=(3, d))
            if trial == 3:
                b = np.zeros(d)  # the first step: b₀ = 0 gives torch's b₁ = g₁
            lr, mu = float(rng.uniform(0.05, 0.5)), float(rng.uniform(0.5, 0.95))
            opt = optimizers.SGD(lr=lr, momentum=mu, nesterov=True)
            state = optimizers.SGDState(step=1, momentum_buffer=b.copy())
            want_theta, want_state = opt.update(theta, g, state)
            want_b = want_state.momentum_buffer
            out = _pair(call_safely(fn, theta.copy(), b.copy(), g.copy(), lr, mu),
                        "nesterov_step")
            got_theta, got_b = _raw(out[0], (d,)), _raw(out[1], (d,))
            _diagnose(got_b, want_b, [
                (b, _("the buffer you return was not updated: b_t = β b_{t-1} + g_t")),
                (mu * b + (1 - mu) * g,
                 _("you damped the gradient, b = β b + (1 − β) g: torch's momentum adds g "
                   "undamped")),
                (-(mu * b + g), _("wrong sign in the buffer: b_t = β b_{t-1} + g_t")),
            ], _("the buffer b_t does not match β b_{t-1} + g_t"))
            _diagnose(got_theta, want_theta, [
                (theta + lr * (g + mu * want_b), _("wrong sign: the step must go against g")),
                (theta - lr * want_b,
                 _("that is heavy-ball momentum, θ − η b_t (the same as g + β b with the old "
                   "buffer b_{t-1}); Nesterov looks ahead with the new one: θ − η (g + β b_t)")),
                (theta - lr * (want_b + mu * want_b),
                 _("momentum applied twice: add β b_t to the gradient g_t, not to b_t")),
                (theta - (g + mu * want_b), _("the learning rate η is missing from the step")),
            ], _("θ_t does not match θ_{t-1} − η (g_t + β b_t)"))

    return run_checks("check_nesterov_step", check)


# ----------------------------------------------------------------------------------------------
# Exercise: tune heavy-ball momentum for a quadratic with eigenvalues in [μ, L]

def check_optimal_momentum(optimal_momentum=None) -> bool:
    """``optimal_momentum(L, mu) -> (lr, momentum)``: the fastest worst-case tuning."""

    def check():
        fn = _function(optimal_momentum, "optimal_momentum(L, mu)")
        rng = np.random.default_rng(7)
        for _k in range(4):
            L = float(rng.uniform(1.0, 50.0))
            kappa = float(10 ** rng.uniform(1.0, 4.0))
            mu = L / kappa
            sk = np.sqrt(kappa)
            alpha = 4.0 / (np.sqrt(L) + np.sqrt(mu)) ** 2
            beta = ((sk - 1) / (sk + 1)) ** 2
            out = _pair(call_safely(fn, L, mu), "optimal_momentum")
            got = np.array([expect_number(out[0], what="lr"),
                            expect_number(out[1], what="momentum")])
            _diagnose(got, [alpha, beta], [
                ([beta, alpha], _("you returned (momentum, lr): return (lr, momentum)")),
                ([alpha, (sk - 1) / (sk + 1)], _("β* needs the square: ((√κ − 1)/(√κ + 1))²")),
                ([alpha, ((kappa - 1) / (kappa + 1)) ** 2], _("you used κ where √κ belongs in β*")),
                ([alpha, (kappa - 1) / (kappa + 1)], _("you used κ where √κ belongs in β*")),
                ([2.0 / (L + mu), beta],
                 _("2/(L + μ) is plain GD's optimal step; with momentum α* = 4/(√L + √μ)²")),
                ([1.0 / L, beta], _("1/L is GD's safe step; with momentum α* = 4/(√L + √μ)²")),
                ([1.0 / (np.sqrt(L) + np.sqrt(mu)) ** 2, beta],
                 _("off by a factor 4 in the step: α* = 4/(√L + √μ)²")),
            ], _("expected (lr, momentum) = ({alpha:.4g}, {beta:.4g}) for L = "
                 "{L:.3g}, μ = {mu:.3g}, got ({got0:.4g}, {got1:.4g})").format(
                     alpha=alpha, beta=beta, L=L, mu=mu, got0=got[0], got1=got[1]))

    return run_checks("check_optimal_momentum", check)


# ----------------------------------------------------------------------------------------------
# Exercise: Adagrad's effective learning rate (why it stalls)

def check_adagrad_lr(adagrad_effective_lr=None) -> bool:
    """``adagrad_effective_lr(grads, lr, eps) -> (T,)``: the step size of each update.

    The reference is the step Adagrad actually takes, −Δθ_t / g_t, from
    ``gdcore.optimizers.Adagrad`` fed the same gradients.
    """

    def check():
        fn = _function(adagrad_effective_lr, "adagrad_effective_lr(grads, lr, eps)")
        rng = np.random.default_rng(11)
        # The last case has gradients so small that ε matters: it tells ε outside the root
        # (torch's η/(√G_t + ε)) from ε inside it.
        for T, scale, eps in ((6, 1.0, 1e-10), (15, 1.0, 1e-10), (40, 1.0, 1e-10),
                              (10, 1e-6, 1e-8)):
            grads = scale * (rng.normal(size=T) + np.sign(rng.normal(size=T)) * 0.5)
            lr = float(rng.uniform(0.05, 1.0))
            opt = optimizers.Adagrad(lr=lr, eps=eps)
            theta, state, want = np.zeros(1), opt.init(np.zeros(1)), []
            for g in grads:
                new, state = opt.update(theta, np.array([g]), state)
                want.append(float((theta - new)[0] / g))
                theta = new
            got = _raw(call_safely(fn, grads.copy(), lr, eps), (T,))
            G = np.cumsum(grads**2)
            G_prev = np.concatenate([[0.0], G[:-1]])
            _diagnose(got, want, [
                (lr / (np.abs(grads) + eps),
                 _("you used only the current gradient: Adagrad divides by the "
                   "root of the sum of all squared gradients so far")),
                (lr / (G + eps), _("the square root is missing: η/(√G_t + ε)")),
                (lr / (np.sqrt(G_prev) + eps),
                 _("off-by-one in the step count t: G_t already includes the current g_t²")),
                (lr / (np.sqrt(G / np.arange(1, T + 1)) + eps),
                 _("you averaged the squared gradients (RMSprop-like); Adagrad "
                   "sums them, which is why its steps shrink like 1/√t")),
                (lr * np.sqrt(G), _("you multiplied by √G_t; Adagrad divides by it")),
                (lr / np.sqrt(G + eps),
                 _("ε is inside the square root; torch adds it outside: η/(√G_t + ε)")),
            ], _("does not match η/(√G_t + ε) with G_t = g_1² + … + g_t²"))

    return run_checks("check_adagrad_lr", check)


# ----------------------------------------------------------------------------------------------
# Exercise: one Adam step with bias correction

def _adam_theta(theta, m, v, lr, eps, beta1, beta2, p1, p2, inside=False, sign=1.0):
    """θ − sign·η m̂/(√v̂ + ε), m̂ = m/(1 − β₁^p1), v̂ = v/(1 − β₂^p2); p = None: no correction."""
    m_hat = m if p1 is None else m / (1 - beta1**p1)
    v_hat = v if p2 is None else v / (1 - beta2**p2)
    denom = np.sqrt(v_hat + eps) if inside else np.sqrt(v_hat) + eps
    return theta - sign * lr * m_hat / denom


def check_adam_step(adam_step=None) -> bool:
    """``adam_step(theta, m, v, g, t, lr, beta1, beta2, eps) -> (theta, m, v)``, t 1-based.

    Compared with ``gdcore.optimizers.Adam`` from random states at steps t = 5, 2, 37, 1.
    """

    def check():
        fn = _function(adam_step, "adam_step(theta, m, v, g, t, lr, beta1, beta2, eps)")
        rng = np.random.default_rng(13)
        for t in (5, 2, 37, 1):
            d = 4
            theta, g = rng.normal(size=(2, d))
            m = 0.3 * rng.normal(size=d) if t > 1 else np.zeros(d)
            v = 0.2 * rng.uniform(0.1, 1.0, size=d) if t > 1 else np.zeros(d)
            lr = float(rng.uniform(0.01, 0.3))
            beta1, beta2 = float(rng.uniform(0.8, 0.95)), float(rng.uniform(0.9, 0.99))
            eps = float(rng.uniform(0.05, 0.2))  # large, so that its place is visible
            opt = optimizers.Adam(lr=lr, betas=(beta1, beta2), eps=eps)
            state = optimizers.AdamState(step=t - 1, exp_avg=m.copy(), exp_avg_sq=v.copy(),
                                         max_exp_avg_sq=None)
            want_theta, want_state = opt.update(theta, g, state)
            m_new, v_new = want_state.exp_avg, want_state.exp_avg_sq
            out = call_safely(fn, theta.copy(), m.copy(), v.copy(), g.copy(), t, lr, beta1,
                              beta2, eps)
            if is_stub(out):
                raise NotSolved(_("your function returned a placeholder"))
            if not isinstance(out, (tuple, list)) or len(out) != 3:
                raise Wrong(_("adam_step must return (theta, m, v), got {type}").format(
                    type=type(out).__name__))
            got_theta, got_m, got_v = (_raw(x, (d,)) for x in out)
            _diagnose(got_m, m_new, [
                (m, _("m was not updated: m_t = β₁ m_{t-1} + (1 − β₁) g_t")),
                (beta1 * m + g, _("m_t needs the factor (1 − β₁) on g_t")),
                (m_new / (1 - beta1**t),
                 _("return the raw moment m_t; the bias correction is applied only in the step")),
            ], _("m_t does not match β₁ m_{t-1} + (1 − β₁) g_t"))
            _diagnose(got_v, v_new, [
                (beta2 * v + (1 - beta2) * g, _("v must average g², not g")),
                (v, _("v was not updated: v_t = β₂ v_{t-1} + (1 − β₂) g_t²")),
                (v_new / (1 - beta2**t),
                 _("return the raw moment v_t; the bias correction is applied only in the step")),
            ], _("v_t does not match β₂ v_{t-1} + (1 − β₂) g_t²"))

            a = (theta, m_new, v_new, lr, eps, beta1, beta2)
            off_by_one = (_("off-by-one in the step count t: use β^t with t the "
                            "number of this update (t = 1 for the first)"))
            with np.errstate(all="ignore"):
                mistakes = [
                    (_adam_theta(*a, None, None),
                     _("forgot bias correction: divide m_t by 1 − β₁^t and v_t by 1 − β₂^t")),
                    (_adam_theta(*a, t, None),
                     _("forgot bias correction of v_t (divide by 1 − β₂^t)")),
                    (_adam_theta(*a, None, t),
                     _("forgot bias correction of m_t (divide by 1 − β₁^t)")),
                    (_adam_theta(*a, t - 1, t - 1), off_by_one),
                    (_adam_theta(*a, t + 1, t + 1), off_by_one),
                    (_adam_theta(*a, t, t, inside=True),
                     _("ε belongs outside the square root: m̂/(√v̂ + ε)")),
                    (_adam_theta(*a, t, t, sign=-1.0), _("wrong sign: the step must go against m̂")),
                ]
            _diagnose(got_theta, want_theta, mistakes,
                      _("θ_t does not match θ_{t-1} − η m̂_t/(√v̂_t + ε)"))

    return run_checks("check_adam_step", check)


# ----------------------------------------------------------------------------------------------
# Exercise: the proximal operator of τ‖·‖₁ (soft thresholding)

def check_soft_threshold(soft_threshold=None) -> bool:
    """``soft_threshold(z, tau)``: the proximal operator of τ|·|, elementwise, any shape."""

    def check():
        fn = _function(soft_threshold, "soft_threshold(z, tau)")
        rng = np.random.default_rng(17)
        for shape in ((9,), (3, 4), (2, 2, 5)):
            z = rng.normal(scale=2.0, size=shape)
            tau = float(rng.uniform(0.3, 1.5))
            want = np.sign(z) * np.maximum(np.abs(z) - tau, 0.0)
            got = _raw(call_safely(fn, z.copy(), tau), shape)
            _diagnose(got, want, [
                (z * (np.abs(z) > tau),
                 _("that is hard thresholding: the survivors must also shrink by τ")),
                (np.maximum(np.abs(z) - tau, 0.0),
                 _("lost the sign: negative entries must stay negative (multiply by sign(z))")),
                (z - tau * np.sign(z),
                 _("entries with |z| < τ crossed zero: clamp them to exactly 0")),
                (np.sign(z) * np.maximum(np.abs(z) - tau / 2, 0.0),
                 _("off by a factor 2 in the threshold: the prox of τ‖·‖₁ shrinks by τ")),
                (np.sign(z) * np.maximum(np.abs(z) - 2 * tau, 0.0),
                 _("off by a factor 2 in the threshold: the prox of τ‖·‖₁ shrinks by τ")),
                (z / (1 + tau), _("that is the ridge (L2) prox z/(1 + τ), not the L1 prox")),
            ], _("does not match sign(z) · max(|z| − τ, 0)"))
        zero = _raw(call_safely(fn, np.array([-1.0, 0.5]), 0.0), (2,))
        if not _close(zero, [-1.0, 0.5]):
            raise Wrong(_("with τ = 0 the prox must return z unchanged"))

    return run_checks("check_soft_threshold", check)
