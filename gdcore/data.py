r"""Small, seeded data sets for the course.

- :func:`linear_data`: noisy points on the line y = 4 + 3x (the classic first regression problem);
- :func:`design_matrix`: prepend the column of ones that carries the intercept;
- :func:`digits`: scikit-learn's bundled 8×8 handwritten digits (no download), split and
  standardized with statistics of the training part only (so nothing leaks from the test part);
- :func:`breast_cancer`: scikit-learn's bundled Wisconsin breast-cancer table (no download),
  standardized, with the intercept column, for logistic regression.
"""

from typing import NamedTuple

import numpy as np

__all__ = ["linear_data", "design_matrix", "digits", "breast_cancer", "Split"]


def linear_data(n=100, seed=0, intercept=4.0, slope=3.0, noise=1.0):
    r"""n points x ~ U[0, 2], y = intercept + slope·x + noise·ε with ε ~ N(0, 1).

    Returns ``(x, y)``, both of shape (n,). Least squares on ``design_matrix(x)`` recovers
    (intercept, slope) up to the noise.
    """
    if int(n) != n or n < 1:
        raise ValueError(f"n must be a positive integer, got {n!r}")
    rng = np.random.default_rng(seed)
    x = 2.0 * rng.random(int(n))
    y = intercept + slope * x + noise * rng.standard_normal(int(n))
    return x, y


def design_matrix(x):
    r"""X = [1 | x]: shape (n, 2) for x of shape (n,) (or (n, 1 + k) for x of shape (n, k)).

    With θ = (b, w), Xθ = b + w·x, so the intercept is just another parameter.
    """
    x = np.asarray(x, dtype=float)
    if x.ndim == 1:
        x = x[:, None]
    if x.ndim != 2:
        raise ValueError(f"x must have shape (n,) or (n, k), got {x.shape}")
    return np.column_stack([np.ones(len(x)), x])


class Split(NamedTuple):
    """A train/test split; unpacks like sklearn: ``X_train, X_test, y_train, y_test = split``."""

    X_train: np.ndarray
    X_test: np.ndarray
    y_train: np.ndarray
    y_test: np.ndarray


def digits(test_size=0.25, seed=0):
    r"""The 1797 8×8 digit images of scikit-learn (``load_digits``), as a standardized split.

    X has 64 features (pixel intensities 0–16), y the labels 0–9. The rows are shuffled with
    ``np.random.default_rng(seed)``; the last ``round(test_size · n)`` go to the test part. Each
    feature is standardized, x ← (x − m)/s, with mean m and standard deviation s of the
    *training* part (s = 1 where a pixel is constant, e.g. the always-blank corners).
    Returns a :class:`Split` (X_train, X_test, y_train, y_test).
    """
    if not 0 < test_size < 1:
        raise ValueError(f"test_size must be in (0, 1), got {test_size!r}")
    from sklearn.datasets import load_digits  # lazy: only this function needs scikit-learn

    X, y = load_digits(return_X_y=True)
    X = X.astype(float)
    order = np.random.default_rng(seed).permutation(len(y))
    n_test = int(round(test_size * len(y)))
    train, test = order[:-n_test], order[-n_test:]
    mean = X[train].mean(axis=0)
    std = X[train].std(axis=0)
    std[std == 0] = 1.0
    return Split((X[train] - mean) / std, (X[test] - mean) / std, y[train], y[test])


def _sklearn_table(name):
    """Path of a data file that scikit-learn ships in sklearn/datasets/data, found without
    importing scikit-learn; None if scikit-learn is missing or keeps its files elsewhere."""
    import importlib.util
    import os

    spec = importlib.util.find_spec("sklearn")  # a top-level spec: sklearn is not imported
    if spec is None or not spec.submodule_search_locations:
        return None
    path = os.path.join(list(spec.submodule_search_locations)[0], "datasets", "data", name)
    return path if os.path.isfile(path) else None


def breast_cancer():
    r"""The 569 tumours × 30 features of scikit-learn's ``load_breast_cancer``, ready for
    logistic regression.

    Each feature is standardized over all 569 rows, x ← (x − m)/s (mean 0, standard deviation 1,
    ``ddof=0``), and a leading column of ones carries the intercept, so X has shape (569, 31).
    y ∈ {0., 1.} (1 = benign, 0 = malignant, as in scikit-learn), shape (569,). There is no split:
    the convergence chapters study the optimization of the training loss. Note that these classes
    are linearly separable, so the unregularized logistic loss has infimum 0 and no minimizer.
    Returns ``(X, y)``.
    """
    path = _sklearn_table("breast_cancer.csv")
    if path is None:  # a scikit-learn whose files we cannot find: its loader, same numbers
        from sklearn.datasets import load_breast_cancer

        X, y = load_breast_cancer(return_X_y=True)
    else:
        # The file load_breast_cancer parses (a header row "569,30,malignant,benign", then 30
        # features and the label per row), read directly: importing sklearn.datasets takes
        # over a second, a large share of a chapter's 20-second budget.
        table = np.loadtxt(path, delimiter=",", skiprows=1)
        X, y = table[:, :-1], table[:, -1]
    X = X.astype(float)
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    return design_matrix(X), y.astype(float)
