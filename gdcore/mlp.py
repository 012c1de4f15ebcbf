r"""A multilayer perceptron in numpy, trained by the matrix equations of backpropagation.

Parameters are a list ``params = [(W_0, b_0), ..., (W_{L-1}, b_{L-1})]`` with ``W_l`` of shape
``(n_l, n_{l+1})`` and ``b_l`` of shape ``(n_{l+1},)`` (the PyTorch reference data uses the same
layout). Rows of ``X`` are samples. The forward pass is

    h_0 = X,   z_l = h_l W_l + b_l,   h_{l+1} = φ(z_l)  (+ h_l if residual)   for l < L-1,
    out = z_{L-1}                     (no activation on the last layer),

and the backward pass, with δ_l = ∂L/∂z_l and δ_{L-1} = ∂L/∂out,

    ∂L/∂W_l = h_lᵀ δ_l,   ∂L/∂b_l = Σ_samples δ_l,
    ∂L/∂h_l = δ_l W_lᵀ (+ ∂L/∂h_{l+1} if residual),   δ_{l-1} = ∂L/∂h_l ⊙ φ'(z_{l-1}).

API summary
-----------
``init_params(layer_sizes, init="xavier_uniform", seed=0, sigma=0.01, gain=1.0)``
    → params. ``init`` ∈ INITS: "normal" (N(0, σ²)), "standard" (Glorot & Bengio's
    U[−1/√n_in, 1/√n_in]), "xavier_uniform", "xavier_normal" (Var = gain²·2/(n_in+n_out)),
    "he_normal", "he_uniform" (Var = 2/n_in, fan-in). Biases start at 0.
``forward(params, X, activation="tanh", residual=False)`` → (out, cache).
``loss(out, y, kind="mse")`` → float; ``loss_grad(out, y, kind)`` → ∂L/∂out.
    "mse": mean over samples of ½‖out − y‖²; "cross_entropy": mean softmax cross-entropy of
    integer labels, computed with log-sum-exp.
``backward(params, cache, dout)`` → grads, a list of (dW, db) shaped like params.
``backprop_signals(params, cache, dout)`` → Signals(deltas=[∂L/∂z_l], dh=[∂L/∂h_l]).
``loss_and_grads(params, X, y, activation="tanh", loss="mse", residual=False)`` → (loss, grads).
``grad_norms(grads, include_bias=False)`` → array (L,) of per-layer Frobenius norms.
``flatten(params)`` → vector; ``unflatten(theta, layer_sizes)`` → params (views of theta);
``n_params(layer_sizes)``; ``layer_sizes_of(params)``.
``activate(z, activation)``, ``activation_derivative(z, activation)``, ``logsumexp``,
``softmax``, ``log_softmax``, ``predict``, ``accuracy``.
``layer_stats(params, X, activation, residual=False, seed=0)`` → LayerStats (per-layer
    pre-activation/activation/gradient variances, weight-gradient norms, hidden activations) for
    a random output gradient; ``gradient_flow(depth, activation, init, width=100, ...)`` builds a
    deep square network on Gaussian inputs and returns its LayerStats (the chapter's probe of
    vanishing/exploding gradients and of initialisation).
``activation_second_derivative(z, activation)`` → φ''(z).
``hessian_vector_product(params, X, y, vectors, activation="tanh", loss="mse", residual=False)``
    → (∇²L) V, shaped like params, exactly (Pearlmutter's R-operator: the forward and backward
    passes differentiated along the direction V, one extra pass each, no finite difference).
``MLPProblem(X, y, layer_sizes, activation="tanh", loss="mse", init=..., seed=0)``: a Problem
    for ``gd.descend`` and the optimizers: ``f(theta)``, ``grad(theta)`` (theta (d,) or (..., d)),
    ``f_batch(theta, idx)``, ``grad_batch(theta, idx)``, ``n_samples``, ``dim``, ``theta0``;
    ``f_and_grad(theta)`` both from one forward pass; ``hvp(theta, v)`` the exact H v (θ (d,)).

Bad input raises ValueError naming the argument (X's width ≠ layer_sizes[0], labels out of range,
unknown activation/init/loss names).
"""

from typing import NamedTuple

import numpy as np

__all__ = [
    "ACTIVATIONS", "INITS", "LOSSES", "Cache", "Signals", "MLPProblem",
    "init_params", "forward", "loss", "loss_grad", "backward", "backprop_signals",
    "loss_and_grads", "grad_norms", "flatten", "unflatten", "n_params", "layer_sizes_of",
    "activate", "activation_derivative", "logsumexp", "softmax", "log_softmax", "predict",
    "accuracy", "LayerStats", "layer_stats", "gradient_flow", "activation_second_derivative",
    "hessian_vector_product",
]

ACTIVATIONS = ("identity", "sigmoid", "tanh", "relu")
INITS = ("normal", "standard", "xavier_uniform", "xavier_normal", "he_normal", "he_uniform")
LOSSES = ("mse", "cross_entropy")


class Cache(NamedTuple):
    """What the forward pass keeps for the backward pass."""

    hs: list        # inputs of each layer: h_0 = X, h_1, ..., h_{L-1}
    zs: list        # pre-activations z_0, ..., z_{L-1} (z_{L-1} is the output)
    activation: str
    skips: list     # skips[l]: layer l adds its input to its output (residual connection)


class Signals(NamedTuple):
    """Back-propagated signals: deltas[l] = ∂L/∂z_l, dh[l] = ∂L/∂h_l (dh[0] = ∂L/∂X)."""

    deltas: list
    dh: list


def _check_name(value, allowed, argument):
    if value not in allowed:
        raise ValueError(f"{argument} must be one of {allowed}, got {value!r}")


def _check_sizes(layer_sizes):
    sizes = [int(n) for n in layer_sizes]
    if len(sizes) < 2 or min(sizes) < 1 or any(int(n) != n for n in layer_sizes):
        raise ValueError(f"layer_sizes must list at least two positive integers, got {layer_sizes}")
    return sizes


# ----------------------------------------------------------------------------- activations
def activate(z, activation):
    """φ(z) elementwise for φ in ACTIVATIONS."""
    _check_name(activation, ACTIVATIONS, "activation")
    if activation == "identity":
        return z
    if activation == "tanh":
        return np.tanh(z)
    if activation == "relu":
        return np.maximum(z, 0.0)
    # σ(z) = ½(1 + tanh(z/2)): no overflow warning for large |z|, unlike 1/(1 + e^{−z})
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def activation_derivative(z, activation):
    """φ'(z): identity 1, sigmoid σ(1−σ) ≤ ¼, tanh 1−tanh² ≤ 1, relu 1[z > 0] (0 at 0, as torch)."""
    _check_name(activation, ACTIVATIONS, "activation")
    if activation == "identity":
        return np.ones_like(z)
    if activation == "tanh":
        return 1.0 - np.tanh(z) ** 2
    if activation == "relu":
        z = np.asarray(z)
        return (z > 0).astype(z.dtype if np.issubdtype(z.dtype, np.floating) else float)
    s = activate(z, "sigmoid")
    return s * (1.0 - s)


# ----------------------------------------------------------------------------- initialisation
def init_params(layer_sizes, init="xavier_uniform", seed=0, sigma=0.01, gain=1.0):
    """Weights drawn by scheme ``init`` (see INITS), zero biases; ``seed`` int or Generator.

    Variances per scheme (n_in = fan-in, n_out = fan-out):
    normal σ²; standard 1/(3 n_in) (U[−1/√n_in, 1/√n_in]); xavier 2 gain²/(n_in + n_out)
    (Glorot & Bengio 2010); he 2/n_in (He et al. 2015).
    """
    sizes = _check_sizes(layer_sizes)
    _check_name(init, INITS, "init")
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    params = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True):
        shape = (n_in, n_out)
        if init == "normal":
            W = sigma * rng.standard_normal(shape)
        elif init == "standard":
            a = 1.0 / np.sqrt(n_in)
            W = rng.uniform(-a, a, shape)
        elif init == "xavier_uniform":
            a = gain * np.sqrt(6.0 / (n_in + n_out))
            W = rng.uniform(-a, a, shape)
        elif init == "xavier_normal":
            W = gain * np.sqrt(2.0 / (n_in + n_out)) * rng.standard_normal(shape)
        elif init == "he_normal":
            W = np.sqrt(2.0 / n_in) * rng.standard_normal(shape)
        else:  # he_uniform
            a = np.sqrt(6.0 / n_in)
            W = rng.uniform(-a, a, shape)
        params.append((W, np.zeros(n_out)))
    return params


def layer_sizes_of(params):
    """[n_0, n_1, ..., n_L] read off the weight shapes."""
    return [params[0][0].shape[0]] + [W.shape[1] for W, _ in params]


# ----------------------------------------------------------------------------- forward
def _check_X(params, X):
    X = np.asarray(X)
    if not np.issubdtype(X.dtype, np.floating):
        X = X.astype(float)
    if X.ndim != 2:
        raise ValueError(f"X must be a 2-D array (n_samples, n_features), got shape {X.shape}")
    n_in = params[0][0].shape[0]
    if X.shape[1] != n_in:
        raise ValueError(f"X has {X.shape[1]} columns but the first layer expects {n_in} "
                         f"inputs (layer_sizes[0] = {n_in})")
    return X


def forward(params, X, activation="tanh", residual=False):
    """Output z_{L-1} (n, n_L) and the Cache; φ after every layer but the last.

    ``residual=True`` adds a skip connection h_{l+1} = h_l + φ(z_l) to every hidden layer whose
    input and output widths agree (never the output layer).
    """
    _check_name(activation, ACTIVATIONS, "activation")
    h = _check_X(params, X)
    hs, zs, skips = [], [], []
    last = len(params) - 1
    for l, (W, b) in enumerate(params):
        z = h @ W + b
        hs.append(h)
        zs.append(z)
        skip = bool(residual) and l < last and W.shape[0] == W.shape[1]
        skips.append(skip)
        if l < last:
            h = activate(z, activation) + (h if skip else 0.0)
    return zs[-1], Cache(hs, zs, activation, skips)


def predict(params, X, activation="tanh", residual=False):
    """The network's output for X (logits for classification)."""
    return forward(params, X, activation, residual)[0]


# ----------------------------------------------------------------------------- losses
def logsumexp(z, axis=-1):
    """log Σ exp(z) along ``axis`` computed as m + log Σ exp(z − m), m = max z: never overflows."""
    z = np.asarray(z)
    m = np.max(z, axis=axis, keepdims=True)
    m = np.where(np.isfinite(m), m, 0.0)
    return np.squeeze(m, axis=axis) + np.log(np.sum(np.exp(z - m), axis=axis))


def log_softmax(z, axis=-1):
    """z − logsumexp(z): stable log-probabilities."""
    return z - np.expand_dims(logsumexp(z, axis=axis), axis)


def softmax(z, axis=-1):
    """exp(z − max z) / Σ exp(z − max z): the stable softmax."""
    return np.exp(log_softmax(z, axis=axis))


def _check_targets(out, y, kind):
    _check_name(kind, LOSSES, "loss")
    y = np.asarray(y)
    if kind == "mse":
        if y.ndim == 1 and out.shape[1] == 1:
            y = y[:, None]  # a single output may come with 1-D targets; never broadcast (n, n)
        if y.shape != out.shape:
            raise ValueError(f"y has shape {y.shape} but the network output has shape {out.shape}")
        return y
    if y.ndim != 1 or y.shape[0] != out.shape[0]:
        raise ValueError(f"y must be a 1-D array of {out.shape[0]} integer labels, "
                         f"got shape {y.shape}")
    if y.size and not np.issubdtype(y.dtype, np.integer):
        if not np.all(np.mod(y, 1) == 0):
            raise ValueError("y must hold integer class labels for cross_entropy")
        y = y.astype(int)
    k = out.shape[1]
    if y.size and (y.min() < 0 or y.max() >= k):
        raise ValueError(f"y: labels must lie in [0, {k}) for {k} outputs, "
                         f"got values in [{y.min()}, {y.max()}]")
    return y


def loss(out, y, kind="mse"):
    """MSE: mean_i ½‖out_i − y_i‖²; cross_entropy: mean_i (logsumexp(out_i) − out_i[y_i])."""
    out = np.asarray(out)
    y = _check_targets(out, y, kind)
    n = out.shape[0]
    if kind == "mse":
        return float(0.5 * np.sum((out - y) ** 2) / n)
    return float(np.mean(logsumexp(out) - out[np.arange(n), y]))


_loss_value = loss  # loss_and_grads' argument ``loss`` (a name) shadows the function


def loss_grad(out, y, kind="mse"):
    """∂L/∂out: MSE (out − y)/n; cross_entropy (softmax(out) − onehot(y))/n."""
    out = np.asarray(out)
    y = _check_targets(out, y, kind)
    n = out.shape[0]
    if kind == "mse":
        return (out - y) / n
    p = softmax(out)
    p[np.arange(n), y] -= 1.0
    return p / n


# ----------------------------------------------------------------------------- backward
def backprop_signals(params, cache, dout):
    """δ_l = ∂L/∂z_l for every layer and ∂L/∂h_l for every layer input (dh[0] = ∂L/∂X)."""
    L = len(params)
    deltas, dh = [None] * L, [None] * L
    g = np.asarray(dout)  # ∂L/∂(output of layer l): the output layer has no activation
    for l in range(L - 1, -1, -1):
        W = params[l][0]
        delta = g if l == L - 1 else g * activation_derivative(cache.zs[l], cache.activation)
        deltas[l] = delta
        dh[l] = delta @ W.T + (g if cache.skips[l] else 0.0)
        g = dh[l]
    return Signals(deltas, dh)


def backward(params, cache, dout):
    """Gradients [(∂L/∂W_l, ∂L/∂b_l)] = [(h_lᵀ δ_l, Σ_i δ_l[i])] from ∂L/∂out = ``dout``."""
    deltas = backprop_signals(params, cache, dout).deltas
    return [(h.T @ d, d.sum(axis=0)) for h, d in zip(cache.hs, deltas, strict=True)]


def loss_and_grads(params, X, y, activation="tanh", loss="mse", residual=False):
    """(loss value, grads) in one forward and one backward pass."""
    out, cache = forward(params, X, activation, residual)
    value = _loss_value(out, y, loss)
    return value, backward(params, cache, loss_grad(out, y, loss))


def grad_norms(grads, include_bias=False):
    """Per-layer Frobenius norms ‖∂L/∂W_l‖ (and of ∂L/∂b_l too if include_bias)."""
    if include_bias:
        return np.array([np.sqrt(np.sum(dW ** 2) + np.sum(db ** 2)) for dW, db in grads])
    return np.array([np.linalg.norm(dW) for dW, _ in grads])


# ----------------------------------------------------------------------------- flat view
def n_params(layer_sizes):
    """Number of scalars in the parameters: Σ (n_in + 1) n_out."""
    sizes = _check_sizes(layer_sizes)
    return sum((a + 1) * b for a, b in zip(sizes[:-1], sizes[1:], strict=True))


def flatten(params):
    """One vector θ = [W_0.ravel(), b_0, W_1.ravel(), b_1, ...]."""
    return np.concatenate([np.concatenate([W.ravel(), b.ravel()]) for W, b in params])


def unflatten(theta, layer_sizes):
    """Inverse of ``flatten``; the arrays are views of ``theta`` (copy before mutating)."""
    sizes = _check_sizes(layer_sizes)
    theta = np.asarray(theta)
    if theta.shape != (n_params(sizes),):
        raise ValueError(f"theta must have shape ({n_params(sizes)},) for layer_sizes {sizes}, "
                         f"got {theta.shape}")
    params, k = [], 0
    for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True):
        W = theta[k:k + n_in * n_out].reshape(n_in, n_out)
        k += n_in * n_out
        b = theta[k:k + n_out]
        k += n_out
        params.append((W, b))
    return params


def accuracy(params, X, y, activation="tanh", residual=False):
    """Fraction of rows whose largest output is the label y."""
    return float(np.mean(np.argmax(predict(params, X, activation, residual), axis=1)
                         == np.asarray(y)))


# ----------------------------------------------------------------------------- curvature
def activation_second_derivative(z, activation):
    """φ''(z): tanh −2 tanh (1 − tanh²), sigmoid σ(1−σ)(1−2σ), identity and relu 0 (a.e.)."""
    _check_name(activation, ACTIVATIONS, "activation")
    z = np.asarray(z, dtype=float)
    if activation in ("identity", "relu"):
        return np.zeros_like(z)
    if activation == "tanh":
        t = np.tanh(z)
        return -2.0 * t * (1.0 - t * t)
    s = activate(z, "sigmoid")
    return s * (1.0 - s) * (1.0 - 2.0 * s)


def hessian_vector_product(params, X, y, vectors, activation="tanh", loss="mse",
                           residual=False):
    r"""(∇²L) V exactly, by Pearlmutter's R-operator R{·} = d/dt(·)(θ + tV) at t = 0.

    ``vectors`` is a direction shaped like params, [(V_l, c_l)]. The forward pass along it,

        R z_l = R h_l W_l + h_l V_l + c_l,   R h_{l+1} = φ'(z_l) ⊙ R z_l (+ R h_l),   R h_0 = 0,

    then the backward pass differentiated by the product rule,

        R δ_l = R g ⊙ φ'(z_l) + g ⊙ φ''(z_l) ⊙ R z_l   (g = ∂L/∂h_{l+1}; R δ_{L-1} = R ∂L/∂out),
        R ∂L/∂W_l = R h_lᵀ δ_l + h_lᵀ R δ_l,   R ∂L/∂b_l = Σ_i R δ_l,
        R ∂L/∂h_l = R δ_l W_lᵀ + δ_l V_lᵀ (+ R g),

    with R ∂L/∂out = R out / n (MSE) or (p ⊙ R out − p (pᵀ R out)) / n (softmax p). Returns
    [(R ∂L/∂W_l, R ∂L/∂b_l)] = H V in the layout of params: the second method against which
    the central difference of gradients (``gd.curvature.hvp``) is checked.
    """
    out, cache = forward(params, X, activation, residual)
    y = _check_targets(out, y, loss)
    n = out.shape[0]
    L = len(params)
    Rh, Rhs, Rzs = np.zeros_like(cache.hs[0]), [], []
    for l, ((W, _), (V, c)) in enumerate(zip(params, vectors, strict=True)):
        Rhs.append(Rh)
        Rz = Rh @ W + cache.hs[l] @ V + c
        Rzs.append(Rz)
        if l < L - 1:
            skip = Rh if cache.skips[l] else 0.0
            Rh = activation_derivative(cache.zs[l], activation) * Rz + skip
    g = loss_grad(out, y, loss)
    if loss == "mse":
        Rg = Rzs[-1] / n
    else:
        p = softmax(out)
        Rg = (p * Rzs[-1] - p * np.sum(p * Rzs[-1], axis=1, keepdims=True)) / n
    result = [None] * L
    for l in range(L - 1, -1, -1):
        W, V = params[l][0], vectors[l][0]
        if l == L - 1:
            delta, Rdelta = g, Rg
        else:
            d1 = activation_derivative(cache.zs[l], activation)
            d2 = activation_second_derivative(cache.zs[l], activation)
            delta, Rdelta = g * d1, Rg * d1 + g * d2 * Rzs[l]
        result[l] = (Rhs[l].T @ delta + cache.hs[l].T @ Rdelta, Rdelta.sum(axis=0))
        skip = cache.skips[l]
        g, Rg = (delta @ W.T + (g if skip else 0.0),
                 Rdelta @ W.T + delta @ V.T + (Rg if skip else 0.0))
    return result


# ----------------------------------------------------------------------------- deep-network probe
class LayerStats(NamedTuple):
    """Per-layer statistics of one forward/backward pass (layer l = 0 is nearest the input)."""

    z_var: np.ndarray        # (L,) Var z_l, the pre-activations
    act_var: np.ndarray      # (L-1,) Var h_{l+1}, the hidden outputs
    delta_var: np.ndarray    # (L,) Var ∂L/∂z_l, the back-propagated gradients
    grad_norms: np.ndarray   # (L,) ‖∂L/∂W_l‖_F
    activations: list        # the hidden outputs h_1, ..., h_{L-1} (for histograms)


def layer_stats(params, X, activation, residual=False, seed=0):
    """Statistics of a forward pass on X and a backward pass of a random ∂L/∂out ~ N(0, 1)/n.

    The output gradient is random so that the statistics measure what the *network* does to a
    signal, as in Glorot & Bengio (2010) and He et al. (2015), not what a particular loss does.
    """
    out, cache = forward(params, X, activation, residual)
    rng = np.random.default_rng(seed)
    dout = rng.standard_normal(out.shape) / out.shape[0]
    deltas = backprop_signals(params, cache, dout).deltas
    grads = [(h.T @ d, d.sum(axis=0)) for h, d in zip(cache.hs, deltas, strict=True)]
    return LayerStats(
        z_var=np.array([z.var() for z in cache.zs]),
        act_var=np.array([h.var() for h in cache.hs[1:]]),
        delta_var=np.array([d.var() for d in deltas]),
        grad_norms=grad_norms(grads),
        activations=list(cache.hs[1:]),
    )


def gradient_flow(depth, activation="tanh", init="xavier_normal", width=100, n_samples=200,
                  seed=0, sigma=0.01, residual=False):
    """LayerStats of a network of ``depth`` square hidden layers (width → width) plus a linear
    output layer (width → width), on inputs X ~ N(0, 1) of shape (n_samples, width)."""
    if int(depth) != depth or depth < 1:
        raise ValueError(f"depth must be a positive integer, got {depth}")
    rng = np.random.default_rng(seed)
    params = init_params([width] * (int(depth) + 2), init=init, seed=rng, sigma=sigma)
    X = rng.standard_normal((n_samples, width))
    return layer_stats(params, X, activation, residual, seed=seed + 1)


# ----------------------------------------------------------------------------- problem adapter
class MLPProblem:
    """The training loss of an MLP as a function of the flat parameter vector θ.

    ``f(θ)`` = loss over all samples, ``grad(θ)`` its gradient (backprop); both accept θ of
    shape (d,) or (..., d): leading axes are lanes (seeds, learning rates), evaluated together
    by stacked matrix products, each lane equal to its own (d,) evaluation up to rounding.
    ``f_batch``/``grad_batch(θ, idx)`` use the rows ``idx`` only (minibatch SGD). ``theta0``
    is the flattened ``init_params(...)``.
    """

    def __init__(self, X, y, layer_sizes, activation="tanh", loss="mse",
                 init="xavier_uniform", seed=0, sigma=0.01, residual=False, name=None):
        self.layer_sizes = _check_sizes(layer_sizes)
        _check_name(activation, ACTIVATIONS, "activation")
        _check_name(loss, LOSSES, "loss")
        self.activation, self.loss, self.residual = activation, loss, residual
        params0 = init_params(self.layer_sizes, init=init, seed=seed, sigma=sigma)
        self.X = _check_X(params0, X)
        out0 = forward(params0, self.X, activation, residual)[0]
        self.y = _check_targets(out0, y, loss)
        self.theta0 = flatten(params0)
        self.dim = self.theta0.size
        self.n_samples = self.X.shape[0]
        self.name = name or f"MLP {self.layer_sizes} {activation} {loss}"
        self.bounds = None
        self.minimizers = np.empty((0, self.dim))
        self.saddles = np.empty((0, self.dim))
        self.f_min = None

    def params(self, theta):
        """The list of (W, b) for a flat θ (views)."""
        return unflatten(theta, self.layer_sizes)

    def _check_theta(self, theta):
        theta = np.asarray(theta, dtype=float)
        if theta.shape[-1] != self.dim:
            raise ValueError(f"theta must have last axis {self.dim}, got shape {theta.shape}")
        return theta

    def _value_and_grad(self, theta, idx):
        X = self.X if idx is None else self.X[idx]
        y = self.y if idx is None else self.y[idx]
        return loss_and_grads(self.params(theta), X, y, self.activation, self.loss, self.residual)

    def _lanes_value_and_grad(self, theta, idx, need_grad):
        """Loss (B,) and flat gradient (B, d) of B parameter vectors θ (B, d) at once.

        The same equations as ``loss_and_grads``, with every weight carrying a leading lane axis
        (W_l of shape (B, n_in, n_out)), so that a batch of seeds or learning rates costs a few
        stacked matrix products instead of a Python loop over lanes.
        """
        X = self.X if idx is None else self.X[idx]
        y = self.y if idx is None else self.y[idx]
        n_lanes, n = theta.shape[0], X.shape[0]
        params, k = [], 0
        for n_in, n_out in zip(self.layer_sizes[:-1], self.layer_sizes[1:], strict=True):
            W = theta[:, k:k + n_in * n_out].reshape(n_lanes, n_in, n_out)
            k += n_in * n_out
            params.append((W, theta[:, k:k + n_out]))
            k += n_out
        last = len(params) - 1
        h, hs, zs, acts, skips = X, [], [], [], []
        for l, (W, b) in enumerate(params):
            z = h @ W + b[:, None, :]                      # (B, n, n_out)
            hs.append(h)
            zs.append(z)
            skips.append(bool(self.residual) and l < last and W.shape[1] == W.shape[2])
            if l < last:
                acts.append(activate(z, self.activation))
                h = acts[-1] + (h if skips[-1] else 0.0)
        out = zs[-1]
        if self.loss == "mse":
            value = 0.5 * np.sum((out - y) ** 2, axis=(1, 2)) / n   # y is (n, n_L)
        else:
            value = np.mean(logsumexp(out) - out[:, np.arange(n), y], axis=1)
        if not need_grad:
            return value, None
        if self.loss == "mse":
            g = (out - y) / n
        else:
            g = softmax(out)
            g[:, np.arange(n), y] -= 1.0
            g = g / n
        grads = [None] * len(params)
        for l in range(last, -1, -1):
            W = params[l][0]
            delta = g if l == last else g * self._derivative(zs[l], acts[l])
            grads[l] = (np.swapaxes(hs[l], -1, -2) @ delta, delta.sum(axis=1))
            if l > 0:
                g = delta @ np.swapaxes(W, 1, 2) + (g if skips[l] else 0.0)
        flat = np.concatenate([part for dW, db in grads
                               for part in (dW.reshape(n_lanes, -1), db)], axis=1)
        return value, flat

    def _derivative(self, z, a):
        """φ'(z) from a = φ(z) where that saves a tanh: the values of activation_derivative."""
        if self.activation == "sigmoid":
            return a * (1.0 - a)
        if self.activation == "tanh":
            return 1.0 - a ** 2
        return activation_derivative(z, self.activation)

    def _evaluate(self, theta, idx, want_grad):
        theta = self._check_theta(theta)
        if theta.ndim == 1:
            value, grads = self._value_and_grad(theta, idx)
            return flatten(grads) if want_grad else value
        batch = theta.shape[:-1]
        value, grad = self._lanes_value_and_grad(theta.reshape(-1, self.dim), idx, want_grad)
        return grad.reshape(theta.shape) if want_grad else value.reshape(batch)

    def f(self, theta):
        return self._evaluate(theta, None, False)

    def grad(self, theta):
        return self._evaluate(theta, None, True)

    def f_batch(self, theta, idx):
        return self._evaluate(theta, idx, False)

    def grad_batch(self, theta, idx):
        return self._evaluate(theta, idx, True)

    def f_and_grad(self, theta):
        """(f(θ), ∇f(θ)) from one forward pass (θ of shape (d,) or (..., d))."""
        theta = self._check_theta(theta)
        if theta.ndim == 1:
            value, grads = self._value_and_grad(theta, None)
            return value, flatten(grads)
        value, grad = self._lanes_value_and_grad(theta.reshape(-1, self.dim), None, True)
        return value.reshape(theta.shape[:-1]), grad.reshape(theta.shape)

    def hvp(self, theta, v):
        """The exact Hessian-vector product ∇²f(θ) v (``hessian_vector_product``), θ, v (d,)."""
        theta = self._check_theta(theta)
        v = np.asarray(v, dtype=float)
        if theta.ndim != 1 or v.shape != theta.shape:
            raise ValueError(f"theta and v must both have shape ({self.dim},), got {theta.shape} "
                             f"and {v.shape}")
        Hv = hessian_vector_product(self.params(theta), self.X, self.y, self.params(v),
                                    self.activation, self.loss, self.residual)
        return flatten(Hv)

    def predict(self, theta, X):
        return predict(self.params(theta), X, self.activation, self.residual)

    def accuracy(self, theta, X, y):
        return accuracy(self.params(theta), X, y, self.activation, self.residual)
