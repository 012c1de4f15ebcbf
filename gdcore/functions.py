r"""The test problems of the course: functions with analytic gradients and Hessians.

Every problem is a :class:`Problem` with ``f(x)``, ``grad(x)`` and ``hess(x)``. The point ``x`` has
shape ``(..., d)``: any leading axes are a batch (many starting points, many runs), so

    f: (..., d) -> (...),    grad: (..., d) -> (..., d),    hess: (..., d) -> (..., d, d).

One-dimensional problems have ``d = 1``, i.e. ``x`` of shape ``(..., 1)``. Each problem also knows
its stationary points (``minimizers``, ``saddles``, ``maximizers``, arrays of shape ``(k, d)``),
its minimum value ``f_min`` (``None`` if unbounded below or unknown) and a plotting box ``bounds``.
"""

import numpy as np

__all__ = [
    "Problem", "Quadratic", "LinearRegression",
    "quadratic", "rosenbrock", "beale", "himmelblau", "booth", "saddle", "monkey_saddle",
    "square", "quartic", "cubic", "linear_regression", "LogisticRegression",
    "logistic_regression",
]


def _points(points, dim):
    """Stationary points as a float array of shape (k, dim) (k may be 0)."""
    return np.asarray(points, dtype=float).reshape(-1, dim)


class Problem:
    """A differentiable function with its analytic derivatives and known landmarks.

    ``f``, ``grad`` and ``hess`` check that the last axis of ``x`` has length ``dim`` and then call
    the formulas given to the constructor, which receive a float array of shape ``(..., dim)``.
    """

    def __init__(self, name, dim, f, grad, hess, bounds, minimizers=(), saddles=(),
                 maximizers=(), f_min=None):
        self.name = name
        self.dim = dim
        self._f, self._grad, self._hess = f, grad, hess
        self.bounds = tuple((float(lo), float(hi)) for lo, hi in bounds)
        self.minimizers = _points(minimizers, dim)
        self.saddles = _points(saddles, dim)
        self.maximizers = _points(maximizers, dim)
        self.f_min = None if f_min is None else float(f_min)

    def _check(self, x):
        x = np.asarray(x, dtype=float)
        if x.ndim == 0 or x.shape[-1] != self.dim:
            raise ValueError(
                f"x must have shape (..., {self.dim}) for {self.name}, got shape {x.shape}"
                + (" (1-D problems take x[..., None])" if self.dim == 1 else ""))
        return x

    def f(self, x):
        """Value f(x), shape (...)."""
        return self._f(self._check(x))

    def grad(self, x):
        """Gradient ∇f(x), shape (..., d)."""
        return self._grad(self._check(x))

    def hess(self, x):
        """Hessian ∇²f(x), shape (..., d, d)."""
        return self._hess(self._check(x))

    def __call__(self, x):
        return self.f(x)

    def __repr__(self):
        return f"<Problem {self.name} (d={self.dim})>"


def _stack_hess(hxx, hxy, hyy):
    """Assemble symmetric 2×2 Hessians from their three distinct entries, shape (..., 2, 2)."""
    hxx, hxy, hyy = np.broadcast_arrays(hxx, hxy, hyy)
    return np.stack([np.stack([hxx, hxy], -1), np.stack([hxy, hyy], -1)], -2)


# ---------------------------------------------------------------------------------------------
# Quadratics


class Quadratic(Problem):
    r"""f(x) = ½ xᵀAx − bᵀx + c with symmetric A.

    ∇f(x) = Ax − b,   ∇²f(x) = A.   The stationary point solves Ax = b. With eigenvalues
    μ = λ_min ≤ … ≤ λ_max = L of A: L is the Lipschitz constant of ∇f, μ the strong convexity
    constant, κ = L/μ the condition number (inf when μ ≤ 0). Gradient descent converges iff
    0 < η < 2/L (for μ > 0), fastest with η = 2/(L+μ), contracting ‖x − x*‖ by (κ−1)/(κ+1).
    """

    def __init__(self, A, b=None, c=0.0):
        A = np.array(A, dtype=float)
        if A.ndim == 0:
            A = A.reshape(1, 1)
        if A.ndim != 2 or A.shape[0] != A.shape[1]:
            raise ValueError(f"A must be a square matrix, got shape {A.shape}")
        if not np.all(np.isfinite(A)):
            raise ValueError("A must be finite")
        if not np.allclose(A, A.T, rtol=1e-12, atol=1e-12):
            raise ValueError("A must be symmetric (f only sees the symmetric part (A + Aᵀ)/2)")
        A = (A + A.T) / 2  # exactly symmetric, e.g. for Q @ diag(λ) @ Q.T built by a reader
        d = A.shape[0]
        b = np.zeros(d) if b is None else np.array(b, dtype=float).reshape(-1)
        if b.shape != (d,):
            raise ValueError(f"b must have shape ({d},) to match A, got {np.shape(b)}")
        self.A, self.b, self.c = A, b, float(c)
        self.eigenvalues = np.linalg.eigvalsh(A)
        self.mu, self.L = float(self.eigenvalues[0]), float(self.eigenvalues[-1])
        self.condition_number = self.L / self.mu if self.mu > 0 else np.inf
        # Minimum-norm solution of Ax = b: the unique stationary point when A is invertible.
        self.minimizer = np.linalg.lstsq(A, b, rcond=None)[0]
        stationary = np.allclose(A @ self.minimizer, b)
        kind = {"minimizers": (), "saddles": (), "maximizers": ()}
        if stationary and self.mu >= 0:
            kind["minimizers"] = [self.minimizer]
        elif stationary and self.L <= 0:
            kind["maximizers"] = [self.minimizer]
        elif stationary:
            kind["saddles"] = [self.minimizer]
        f_min = self._value(self.minimizer) if kind["minimizers"] else None
        half = 2.0 * max(1.0, float(np.max(np.abs(self.minimizer), initial=0.0)))
        bounds = [(m - half, m + half) for m in self.minimizer]
        name = "quadratic" if self.mu > 0 else "quadratic (indefinite)" if self.mu < 0 < self.L \
            else "quadratic (degenerate)"
        super().__init__(name, d, self._value, self._gradient, self._hessian, bounds,
                         f_min=f_min, **kind)

    def _Ax(self, x):
        # Row-wise products summed over the last axis (not a BLAS matmul), so that each run of a
        # batch is computed exactly as it would be on its own.
        return np.sum(x[..., None, :] * self.A, axis=-1)

    def _value(self, x):
        x = np.asarray(x, dtype=float)
        return 0.5 * np.sum(x * self._Ax(x), axis=-1) - np.sum(self.b * x, axis=-1) + self.c

    def _gradient(self, x):
        return self._Ax(x) - self.b

    def _hessian(self, x):
        return np.broadcast_to(self.A, x.shape[:-1] + self.A.shape).copy()


def quadratic(A, b=None, c=0.0):
    r"""The quadratic f(x) = ½ xᵀAx − bᵀx + c (see :class:`Quadratic`); A may be indefinite."""
    return Quadratic(A, b, c)


# ---------------------------------------------------------------------------------------------
# Classic two-dimensional test functions


def rosenbrock(a=1.0, b=100.0):
    r"""Rosenbrock's banana f(x, y) = (a − x)² + b(y − x²)², minimum 0 at (a, a²).

    ∇f = (−2(a − x) − 4bx(y − x²),  2b(y − x²)),
    ∇²f = [[2 − 4b(y − x²) + 8bx², −4bx], [−4bx, 2b]].
    """
    def f(p):
        x, y = p[..., 0], p[..., 1]
        return (a - x) ** 2 + b * (y - x**2) ** 2

    def grad(p):
        x, y = p[..., 0], p[..., 1]
        return np.stack([-2 * (a - x) - 4 * b * x * (y - x**2), 2 * b * (y - x**2)], -1)

    def hess(p):
        x, y = p[..., 0], p[..., 1]
        return _stack_hess(2 - 4 * b * (y - x**2) + 8 * b * x**2, -4 * b * x, 2.0 * b)

    # The classic box [−2, 2] × [−1, 3] for a = 1, widened so that it always holds (a, a²).
    r = 2.0 * max(1.0, abs(a))
    return Problem("rosenbrock", 2, f, grad, hess, [(-r, r), (-1.0, max(3.0, a * a + 1.0))],
                   minimizers=[(a, a * a)], f_min=0.0)


_BEALE_C = (1.5, 2.25, 2.625)


def beale():
    r"""Beale's function f(x, y) = Σᵢ tᵢ² with tᵢ = cᵢ − x + x yⁱ, c = (1.5, 2.25, 2.625).

    Minimum 0 at (3, 0.5). With ∇tᵢ = (yⁱ − 1, i x yⁱ⁻¹):
    ∇f = Σᵢ 2 tᵢ ∇tᵢ,   ∇²f = Σᵢ 2 (∇tᵢ ∇tᵢᵀ + tᵢ ∇²tᵢ),
    ∇²tᵢ = [[0, i yⁱ⁻¹], [i yⁱ⁻¹, i(i−1) x yⁱ⁻²]].
    """
    def terms(p):
        x, y = p[..., 0], p[..., 1]
        for i, c in enumerate(_BEALE_C, start=1):
            t = c - x + x * y**i
            yield i, x, y, t, y**i - 1, i * x * y ** (i - 1)

    def f(p):
        return sum(t**2 for _, _, _, t, _, _ in terms(p))

    def grad(p):
        return sum(2 * t[..., None] * np.stack([tx, ty], -1) for _, _, _, t, tx, ty in terms(p))

    def hess(p):
        total = 0.0
        for i, x, y, t, tx, ty in terms(p):
            txy = i * y ** (i - 1)
            tyy = i * (i - 1) * x * y ** (i - 2) if i >= 2 else 0.0 * x
            total = total + 2 * _stack_hess(tx * tx, tx * ty + t * txy, ty * ty + t * tyy)
        return total

    return Problem("beale", 2, f, grad, hess, [(-4.5, 4.5), (-4.5, 4.5)],
                   minimizers=[(3.0, 0.5)], f_min=0.0)


# Stationary points of Himmelblau's function, refined by Newton's method to machine precision.
_HIMMELBLAU_MINIMA = [
    (3.0, 2.0),
    (-2.805118086952745, 3.131312518250573),
    (-3.779310253377747, -3.283185991286169),
    (3.5844283403304917, -1.8481265269644036),
]
_HIMMELBLAU_SADDLES = [
    (0.08667750455539634, 2.884254701174776),
    (-3.0730257507643897, -0.08135304428796751),
    (3.385154183607021, 0.07385187983774928),
    (-0.12796134673068005, -1.9537149802445766),
]
_HIMMELBLAU_MAXIMUM = [(-0.2708445906673476, -0.9230385564799813)]


def himmelblau():
    r"""Himmelblau's function f(x, y) = (x² + y − 11)² + (x + y² − 7)².

    Four minima with f = 0 — (3, 2), (−2.8051, 3.1313), (−3.7793, −3.2832), (3.5844, −1.8481) —
    four saddles and one local maximum near (−0.2708, −0.9230).
    With u = x² + y − 11, v = x + y² − 7:
    ∇f = (4xu + 2v, 2u + 4yv),   ∇²f = [[12x² + 4y − 42, 4x + 4y], [4x + 4y, 4x + 12y² − 26]].
    """
    def f(p):
        x, y = p[..., 0], p[..., 1]
        return (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2

    def grad(p):
        x, y = p[..., 0], p[..., 1]
        u, v = x**2 + y - 11, x + y**2 - 7
        return np.stack([4 * x * u + 2 * v, 2 * u + 4 * y * v], -1)

    def hess(p):
        x, y = p[..., 0], p[..., 1]
        return _stack_hess(12 * x**2 + 4 * y - 42, 4 * x + 4 * y, 4 * x + 12 * y**2 - 26)

    return Problem("himmelblau", 2, f, grad, hess, [(-5.0, 5.0), (-5.0, 5.0)],
                   minimizers=_HIMMELBLAU_MINIMA, saddles=_HIMMELBLAU_SADDLES,
                   maximizers=_HIMMELBLAU_MAXIMUM, f_min=0.0)


def booth():
    r"""Booth's function f(x, y) = (x + 2y − 7)² + (2x + y − 5)², minimum 0 at (1, 3).

    A quadratic in disguise: ∇f = (10x + 8y − 34, 8x + 10y − 38), ∇²f = [[10, 8], [8, 10]]
    (eigenvalues 2 and 18, condition number 9).
    """
    def f(p):
        x, y = p[..., 0], p[..., 1]
        return (x + 2 * y - 7) ** 2 + (2 * x + y - 5) ** 2

    def grad(p):
        x, y = p[..., 0], p[..., 1]
        return np.stack([10 * x + 8 * y - 34, 8 * x + 10 * y - 38], -1)

    def hess(p):
        return _stack_hess(10.0 + 0 * p[..., 0], 8.0, 10.0)

    return Problem("booth", 2, f, grad, hess, [(-10.0, 10.0), (-10.0, 10.0)],
                   minimizers=[(1.0, 3.0)], f_min=0.0)


def saddle():
    r"""The saddle f(x, y) = x² − y²: ∇f = (2x, −2y), ∇²f = diag(2, −2).

    A saddle point at the origin; unbounded below along y.
    """
    def f(p):
        return p[..., 0] ** 2 - p[..., 1] ** 2

    def grad(p):
        return np.stack([2 * p[..., 0], -2 * p[..., 1]], -1)

    def hess(p):
        return _stack_hess(2.0 + 0 * p[..., 0], 0.0, -2.0)

    return Problem("saddle", 2, f, grad, hess, [(-2.0, 2.0), (-2.0, 2.0)], saddles=[(0.0, 0.0)])


def monkey_saddle():
    r"""The monkey saddle f(x, y) = x³ − 3xy²: three valleys meet at the origin.

    ∇f = (3x² − 3y², −6xy), ∇²f = [[6x, −6y], [−6y, −6x]] — zero at the origin, so the
    second-order test says nothing there (a degenerate saddle).
    """
    def f(p):
        x, y = p[..., 0], p[..., 1]
        return x**3 - 3 * x * y**2

    def grad(p):
        x, y = p[..., 0], p[..., 1]
        return np.stack([3 * x**2 - 3 * y**2, -6 * x * y], -1)

    def hess(p):
        x, y = p[..., 0], p[..., 1]
        return _stack_hess(6 * x, -6 * y, -6 * x)

    return Problem("monkey_saddle", 2, f, grad, hess, [(-1.5, 1.5), (-1.5, 1.5)],
                   saddles=[(0.0, 0.0)])


# ---------------------------------------------------------------------------------------------
# One-dimensional examples (x of shape (..., 1))


def _one_d(name, f, df, d2f, bounds, **landmarks):
    return Problem(name, 1, lambda x: f(x[..., 0]), lambda x: df(x[..., 0])[..., None],
                   lambda x: d2f(x[..., 0])[..., None, None], [bounds], **landmarks)


def square():
    r"""f(x) = x², f'(x) = 2x, f''(x) = 2; minimum 0 at 0. GD converges iff 0 < η < 1."""
    return _one_d("square", lambda x: x**2, lambda x: 2 * x, lambda x: 2.0 + 0 * x,
                  (-2.0, 2.0), minimizers=[0.0], f_min=0.0)


def quartic():
    r"""f(x) = x⁴, f'(x) = 4x³, f''(x) = 12x²; minimum 0 at 0, where f'' = 0 (GD slows down)."""
    return _one_d("quartic", lambda x: x**4, lambda x: 4 * x**3, lambda x: 12 * x**2,
                  (-1.5, 1.5), minimizers=[0.0], f_min=0.0)


def cubic():
    r"""f(x) = x³ − 3x, f'(x) = 3x² − 3, f''(x) = 6x.

    Local minimum at 1 (f = −2), local maximum at −1 (f = 2); unbounded below, so ``f_min`` is None.
    """
    return _one_d("cubic", lambda x: x**3 - 3 * x, lambda x: 3 * x**2 - 3, lambda x: 6 * x,
                  (-2.5, 2.5), minimizers=[1.0], maximizers=[-1.0])


# ---------------------------------------------------------------------------------------------
# Least squares


class LinearRegression(Problem):
    r"""Mean squared error of a linear model, as a function of the parameters θ ∈ ℝᵈ.

        L(θ) = (1/n) ‖Xθ − y‖² = mean((Xθ − y)²)        (no factor ½)
        ∇L(θ) = (2/n) Xᵀ(Xθ − y),        ∇²L = (2/n) XᵀX

    X is (n, d) — add a column of ones yourself for an intercept (``gd.data.design_matrix``) —
    and y is (n,). θ may carry leading batch axes, (..., d). The minimizer solves the normal
    equations XᵀXθ = Xᵀy (computed with ``np.linalg.lstsq``). For minibatch methods,
    ``f_batch(theta, idx)`` and ``grad_batch(theta, idx)`` use only the rows ``idx`` (mean over
    the batch, so the minibatch gradient is an unbiased estimate of ∇L).
    """

    def __init__(self, X, y):
        X = np.asarray(X, dtype=float)
        y = np.asarray(y, dtype=float)
        if X.ndim != 2:
            raise ValueError(f"X must have shape (n, d), got {X.shape} "
                             "(for one feature use gd.data.design_matrix(x))")
        n, d = X.shape
        if y.ndim == 2 and y.shape[1] == 1:
            raise ValueError(
                f"y must have shape ({n},), got {y.shape}. With y of shape (n, 1), the residual "
                f"Xθ − y of shapes ({n},) − ({n}, 1) broadcasts to an ({n}, {n}) matrix: the "
                "loss and gradient are silently wrong. Pass y.ravel() (or y[:, 0]).")
        if y.shape != (n,):
            raise ValueError(f"y must have shape ({n},) to match X of shape {X.shape}, "
                             f"got {y.shape}")
        self.X, self.y, self.n_samples, self.dim = X, y, n, d
        self.minimizer = np.linalg.lstsq(X, y, rcond=None)[0]
        center = self.minimizer
        half = 1.5 * max(1.0, float(np.max(np.abs(center))))
        super().__init__("linear_regression", d, self.f_batch, self.grad_batch,
                         self._hessian, [(c - half, c + half) for c in center],
                         minimizers=[center], f_min=self.f_batch(center))

    def _rows(self, idx):
        if idx is None:
            return self.X, self.y
        return self.X[idx], self.y[idx]

    # Products summed explicitly rather than a BLAS matmul: BLAS picks different kernels (and
    # summation orders) for one θ and for a batch of θ, and a batched sweep must reproduce the
    # single runs exactly.
    def residual(self, theta, idx=None):
        """r = Xθ − y (rows ``idx`` only, if given), shape (..., n)."""
        X, y = self._rows(idx)
        return np.sum(np.asarray(theta, dtype=float)[..., None, :] * X, axis=-1) - y

    def f_batch(self, theta, idx=None):
        """Minibatch loss (1/B) Σ_{i∈idx} (xᵢᵀθ − yᵢ)², shape (...)."""
        r = self.residual(self._check(theta), idx)
        return np.mean(r**2, axis=-1)

    def grad_batch(self, theta, idx=None):
        """Minibatch gradient (2/B) X_idxᵀ(X_idx θ − y_idx), shape (..., d)."""
        X, _ = self._rows(idx)
        r = self.residual(self._check(theta), idx)
        return (2.0 / X.shape[0]) * np.sum(r[..., None] * X, axis=-2)

    def _hessian(self, theta):
        H = (2.0 / self.n_samples) * (self.X.T @ self.X)
        return np.broadcast_to(H, theta.shape[:-1] + H.shape).copy()


def linear_regression(X, y):
    r"""MSE loss of least squares, L(θ) = mean((Xθ − y)²), ∇L = (2/n) Xᵀ(Xθ − y).

    See :class:`LinearRegression`; y must be (n,), not (n, 1).
    """
    return LinearRegression(X, y)


# ---------------------------------------------------------------------------------------------
# Logistic regression


def _sigmoid(t):
    """σ(t) = 1/(1 + e^{−t}) computed as exp(−log(1 + e^{−t})): no overflow for any t."""
    return np.exp(-np.logaddexp(0.0, -t))


class LogisticRegression(Problem):
    r"""Mean logistic loss of a linear classifier, with an optional L2 term.

        f(θ) = (1/n) Σᵢ log(1 + exp(−mᵢ)) + (λ/2)‖θ‖²,     mᵢ = sᵢ xᵢᵀθ,  sᵢ = 2yᵢ − 1 ∈ {±1}
        ∇f(θ) = −(1/n) Σᵢ σ(−mᵢ) sᵢ xᵢ + λθ
        ∇²f(θ) = (1/n) Σᵢ σ(mᵢ)σ(−mᵢ) xᵢxᵢᵀ + λI

    with σ(t) = 1/(1 + e^{−t}) and λ = ``l2``. Because 0 < σ(m)σ(−m) ≤ ¼ (equality at m = 0),
    ∇²f(θ) ≼ XᵀX/(4n) + λI for every θ, with equality at θ = 0: the smoothness constant
    ``L = ‖X‖₂²/(4n) + λ`` (spectral norm) is the top Hessian eigenvalue at θ = 0 and an upper
    bound everywhere; ``mu = λ`` is a strong-convexity constant. For λ > 0 the unique
    ``minimizer`` and ``f_min`` are computed by Newton's method to round-off; for λ = 0 they are
    left unknown (for separable classes, as in ``gd.data.breast_cancer()``, the infimum 0 is not
    attained). X is (n, d) with the intercept column if wanted, y ∈ {0, 1} of shape (n,);
    θ may carry leading batch axes. ``f_batch(theta, idx)`` / ``grad_batch(theta, idx)`` use the
    rows ``idx`` only (the L2 term in full), as in :class:`LinearRegression`.
    """

    def __init__(self, X, y, l2=0.0):
        X = np.asarray(X, dtype=float)
        y = np.asarray(y, dtype=float)
        if X.ndim != 2:
            raise ValueError(f"X must have shape (n, d), got {X.shape}")
        n, d = X.shape
        if y.shape != (n,):
            raise ValueError(f"y must have shape ({n},) to match X of shape {X.shape}, "
                             f"got {y.shape}")
        if not np.all((y == 0) | (y == 1)):
            raise ValueError("y must hold class labels 0 and 1 only")
        if not np.all(np.isfinite(X)):
            raise ValueError("X must be finite")
        if not (np.isfinite(l2) and l2 >= 0):
            raise ValueError(f"Invalid l2 value: {l2}")
        self.X, self.y, self.n_samples, self.l2 = X, y, n, float(l2)
        self.signs = 2.0 * y - 1.0
        self.L = float(np.linalg.norm(X, 2) ** 2 / (4 * n)) + self.l2
        self.mu = self.l2
        self.dim = d
        super().__init__("logistic_regression", d, self.f_batch, self.grad_batch,
                         self.hess_batch, [(-3.0, 3.0)] * d)
        if self.l2 > 0:
            self.minimizer = self._newton()
            self.minimizers = self.minimizer[None, :]
            self.f_min = float(self.f(self.minimizer))
            half = 1.5 * max(1.0, float(np.max(np.abs(self.minimizer))))
            self.bounds = tuple((c - half, c + half) for c in self.minimizer)
        else:
            self.minimizer = None

    def _rows(self, idx):
        if idx is None:
            return self.X, self.signs
        return self.X[idx], self.signs[idx]

    # Row-wise sums rather than a BLAS matmul, so that a batch of θ gives bit-for-bit the
    # results of each θ alone (see LinearRegression).
    def margins(self, theta, idx=None):
        """Margins mᵢ = sᵢ xᵢᵀθ (rows ``idx`` only, if given), shape (..., n); > 0: right class."""
        X, s = self._rows(idx)
        return s * np.sum(np.asarray(theta, dtype=float)[..., None, :] * X, axis=-1)

    def f_batch(self, theta, idx=None):
        """Minibatch loss (1/B) Σ_{i∈idx} log(1 + exp(−mᵢ)) + (λ/2)‖θ‖², shape (...)."""
        theta = self._check(theta)
        m = self.margins(theta, idx)
        return np.mean(np.logaddexp(0.0, -m), axis=-1) + 0.5 * self.l2 * np.sum(theta**2, -1)

    def grad_batch(self, theta, idx=None):
        """Minibatch gradient −(1/B) Σ_{i∈idx} σ(−mᵢ) sᵢ xᵢ + λθ, shape (..., d)."""
        theta = self._check(theta)
        X, s = self._rows(idx)
        c = _sigmoid(-self.margins(theta, idx)) * s
        return -np.sum(c[..., None] * X, axis=-2) / X.shape[0] + self.l2 * theta

    def hess_batch(self, theta, idx=None):
        """Minibatch Hessian (1/B) Σ_{i∈idx} σ(mᵢ)σ(−mᵢ) xᵢxᵢᵀ + λI, shape (..., d, d)."""
        theta = self._check(theta)
        X, _ = self._rows(idx)
        m = self.margins(theta, idx)
        w = _sigmoid(m) * _sigmoid(-m)
        H = np.einsum("...n,ni,nj->...ij", w, X, X)  # no (..., n, d, d) temporary
        H = 0.5 * (H + np.swapaxes(H, -1, -2))  # einsum's order of summation is not symmetric
        return H / X.shape[0] + self.l2 * np.eye(self.dim)

    def _newton(self, max_iter=100):
        """The minimizer (λ > 0) by Newton's method, halving the step until f decreases, until
        the Newton decrement gᵀH⁻¹g is at round-off level."""
        theta = np.zeros(self.dim)
        for _ in range(max_iter):
            g = self.grad(theta)
            step = np.linalg.solve(self.hess(theta), g)
            decrement = float(g @ step)
            if decrement <= 1e-30:
                break
            t, f0 = 1.0, self.f(theta)
            while self.f(theta - t * step) > f0 - 1e-4 * t * decrement and t > 1e-12:
                t *= 0.5
            theta = theta - t * step
        return theta


def logistic_regression(X, y, l2=0.0):
    r"""Mean logistic loss f(θ) = mean(log(1 + exp(−sᵢxᵢᵀθ))) + (l2/2)‖θ‖², sᵢ = 2yᵢ − 1.

    See :class:`LogisticRegression`: exact gradient and Hessian, ``L = ‖X‖₂²/(4n) + l2``,
    ``mu = l2``, and for l2 > 0 the ``minimizer`` and ``f_min`` (Newton's method).
    """
    return LogisticRegression(X, y, l2)
