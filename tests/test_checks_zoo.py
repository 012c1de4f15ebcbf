"""Mutation tests of the Chapter 5 checkers: typical wrong answers are rejected with a message
that names the mistake, the reference solutions are accepted, stubs and garbage never raise."""

import numpy as np
import pytest

from gdcore.checks import zoo

# ---- reference solutions (what the notebooks' solution cells contain) ------------------------


def nesterov_step(theta, b, g, lr, momentum):
    b = momentum * b + g
    return theta - lr * (g + momentum * b), b


def optimal_momentum(L, mu):
    sk = np.sqrt(L / mu)
    return 4 / (np.sqrt(L) + np.sqrt(mu)) ** 2, ((sk - 1) / (sk + 1)) ** 2


def adagrad_effective_lr(grads, lr, eps=1e-10):
    return lr / (np.sqrt(np.cumsum(np.asarray(grads) ** 2)) + eps)


def adam_step(theta, m, v, g, t, lr, beta1, beta2, eps):
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * g**2
    m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)
    return theta - lr * m_hat / (np.sqrt(v_hat) + eps), m, v


def soft_threshold(z, tau):
    return np.sign(z) * np.maximum(np.abs(z) - tau, 0.0)


SOLUTIONS = {
    "check_nesterov_step": nesterov_step,
    "check_optimal_momentum": optimal_momentum,
    "check_adagrad_lr": adagrad_effective_lr,
    "check_adam_step": adam_step,
    "check_soft_threshold": soft_threshold,
}

# ---- mutants --------------------------------------------------------------------------------


def _adam(correct_m=True, correct_v=True, shift=0, inside=False, sign=1.0, v_of_g=False):
    def step(theta, m, v, g, t, lr, beta1, beta2, eps):
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * (g if v_of_g else g**2)
        s = t + shift
        m_hat = m / (1 - beta1**s) if correct_m else m
        v_hat = v / (1 - beta2**s) if correct_v else v
        denom = np.sqrt(v_hat + eps) if inside else np.sqrt(v_hat) + eps
        return theta - sign * lr * m_hat / denom, m, v

    return step


MUTANTS = [
    # Nesterov
    ("check_nesterov_step", lambda th, b, g, lr, mu: (th - lr * (mu * b + g), mu * b + g),
     "heavy-ball"),
    ("check_nesterov_step",
     lambda th, b, g, lr, mu: (th + lr * (g + mu * (mu * b + g)), mu * b + g), "sign"),
    ("check_nesterov_step",
     lambda th, b, g, lr, mu: (th - lr * (1 + mu) * (mu * b + g), mu * b + g),
     "momentum applied twice"),
    ("check_nesterov_step", lambda th, b, g, lr, mu: (th - (g + mu * (mu * b + g)), mu * b + g),
     "learning rate"),
    ("check_nesterov_step",
     lambda th, b, g, lr, mu: (th - lr * (g + mu * (mu * b + (1 - mu) * g)),
                               mu * b + (1 - mu) * g), "damped"),
    ("check_nesterov_step", lambda th, b, g, lr, mu: (th - lr * (g + mu * (mu * b + g)), b),
     "not updated"),
    ("check_nesterov_step", lambda th, b, g, lr, mu: (th[None, :], mu * b + g), "shape"),
    # optimal momentum
    ("check_optimal_momentum", lambda L, mu: optimal_momentum(L, mu)[::-1], "(lr, momentum)"),
    ("check_optimal_momentum",
     lambda L, mu: (optimal_momentum(L, mu)[0], np.sqrt(optimal_momentum(L, mu)[1])),
     "needs the square"),
    ("check_optimal_momentum",
     lambda L, mu: (optimal_momentum(L, mu)[0], ((L / mu - 1) / (L / mu + 1)) ** 2), "κ where √κ"),
    ("check_optimal_momentum", lambda L, mu: (2 / (L + mu), optimal_momentum(L, mu)[1]),
     "plain GD"),
    ("check_optimal_momentum",
     lambda L, mu: (optimal_momentum(L, mu)[0] / 4, optimal_momentum(L, mu)[1]), "factor 4"),
    ("check_optimal_momentum", lambda L, mu: 0.5, "pair"),
    # Adagrad effective learning rate
    ("check_adagrad_lr", lambda gs, lr, eps: lr / (np.abs(gs) + eps), "only the current"),
    ("check_adagrad_lr", lambda gs, lr, eps: lr / (np.cumsum(gs**2) + eps), "square root"),
    ("check_adagrad_lr",
     lambda gs, lr, eps: lr / (np.sqrt(np.concatenate([[0], np.cumsum(gs**2)[:-1]])) + eps),
     "off-by-one"),
    ("check_adagrad_lr",
     lambda gs, lr, eps: lr / (np.sqrt(np.cumsum(gs**2) / np.arange(1, gs.size + 1)) + eps),
     "averaged"),
    ("check_adagrad_lr", lambda gs, lr, eps: (lr / (np.sqrt(np.cumsum(gs**2)) + eps))[:-1],
     "shape"),
    ("check_adagrad_lr", lambda gs, lr, eps: lr / np.sqrt(np.cumsum(gs**2) + eps),
     "inside the square root"),
    # Adam
    ("check_adam_step", _adam(correct_m=False, correct_v=False), "forgot bias correction"),
    ("check_adam_step", _adam(correct_v=False), "bias correction"),
    ("check_adam_step", _adam(correct_m=False), "bias correction"),
    ("check_adam_step", _adam(shift=-1), "off-by-one in the step count t"),
    ("check_adam_step", _adam(shift=1), "off-by-one in the step count t"),
    ("check_adam_step", _adam(inside=True), "outside the square root"),
    ("check_adam_step", _adam(sign=-1.0), "wrong sign"),
    ("check_adam_step", _adam(v_of_g=True), "g²"),
    # soft thresholding
    ("check_soft_threshold", lambda z, tau: z * (np.abs(z) > tau), "hard thresholding"),
    ("check_soft_threshold", lambda z, tau: np.maximum(np.abs(z) - tau, 0), "sign"),
    ("check_soft_threshold", lambda z, tau: z - tau * np.sign(z), "clamp"),
    ("check_soft_threshold", lambda z, tau: soft_threshold(z, tau / 2), "factor 2"),
    ("check_soft_threshold", lambda z, tau: z / (1 + tau), "ridge"),
    ("check_soft_threshold", lambda z, tau: soft_threshold(z, tau).ravel(), "shape"),
]


def _verdict(capsys, checker, answer):
    ok = getattr(zoo, checker)(answer)
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1, lines
    return ok, lines[0]


@pytest.mark.parametrize("checker", sorted(SOLUTIONS))
def test_solution_accepted(capsys, checker):
    ok, line = _verdict(capsys, checker, SOLUTIONS[checker])
    assert ok is True
    assert line == f"✓ {checker}: correct"


@pytest.mark.parametrize(("checker", "mutant", "mistake"), MUTANTS,
                         ids=[f"{c}-{m}" for c, _, m in MUTANTS])
def test_mutant_rejected_with_named_mistake(capsys, checker, mutant, mistake):
    ok, line = _verdict(capsys, checker, mutant)
    assert ok is False
    assert line.startswith(f"✗ {checker}: ")
    assert mistake in line


def test_at_least_three_mutants_per_checker():
    counts = {name: sum(c == name for c, _, _ in MUTANTS) for name in SOLUTIONS}
    assert min(counts.values()) >= 3, counts


def _stub(*args):
    raise NotImplementedError


@pytest.mark.parametrize("checker", sorted(SOLUTIONS))
@pytest.mark.parametrize("stub", [..., None, _stub], ids=["ellipsis", "none", "raises"])
def test_stub_is_not_yet_solved(capsys, checker, stub):
    ok, line = _verdict(capsys, checker, stub)
    assert ok is False
    assert line.startswith(f"… {checker}: not yet solved")


def _crash(*args):
    raise ValueError("boom")


@pytest.mark.parametrize("checker", sorted(SOLUTIONS))
@pytest.mark.parametrize("garbage", ["adam", 3.0, _crash, lambda *a: "text",
                                     lambda *a: (np.nan, np.nan, np.nan)],
                         ids=["string", "number", "crash", "returns-text", "returns-nan"])
def test_garbage_gets_a_verdict_not_a_traceback(capsys, checker, garbage):
    ok, line = _verdict(capsys, checker, garbage)
    assert ok is False
    assert line.startswith(f"✗ {checker}: ")
