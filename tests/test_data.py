"""Tests of gdcore.data: seeded generators, the design matrix and the digits split."""

import numpy as np
import pytest

from gdcore import data


def test_linear_data_shapes_range_and_seed():
    x, y = data.linear_data()
    assert x.shape == (100,) and y.shape == (100,)
    assert np.all((0 <= x) & (x <= 2))
    x2, y2 = data.linear_data(seed=0)
    np.testing.assert_array_equal(x, x2)
    np.testing.assert_array_equal(y, y2)
    assert not np.array_equal(y, data.linear_data(seed=1)[1])


def test_linear_data_follows_the_line():
    x, y = data.linear_data(n=20, noise=0.0, intercept=-1.0, slope=0.5)
    np.testing.assert_allclose(y, -1.0 + 0.5 * x, rtol=1e-15)
    # With noise, least squares recovers (4, 3) within a few standard errors (σ/√n ≈ 0.01).
    x, y = data.linear_data(n=20_000, seed=5)
    theta = np.linalg.lstsq(data.design_matrix(x), y, rcond=None)[0]
    np.testing.assert_allclose(theta, [4.0, 3.0], atol=0.05)
    residual = y - data.design_matrix(x) @ theta
    assert np.std(residual) == pytest.approx(1.0, rel=0.03)


def test_design_matrix():
    X = data.design_matrix(np.array([0.5, 1.0, 2.0]))
    np.testing.assert_array_equal(X, [[1.0, 0.5], [1.0, 1.0], [1.0, 2.0]])
    assert data.design_matrix(np.ones((4, 3))).shape == (4, 4)
    with pytest.raises(ValueError, match="x must have shape"):
        data.design_matrix(np.ones((2, 2, 2)))
    with pytest.raises(ValueError, match="n must be a positive integer"):
        data.linear_data(n=0)


def test_digits_split_is_standardized_with_training_statistics():
    pytest.importorskip("sklearn")
    split = data.digits()
    X_train, X_test, y_train, y_test = split
    assert X_train.shape == (1348, 64) and X_test.shape == (449, 64)
    assert y_train.shape == (1348,) and set(np.unique(y_test)) == set(range(10))
    np.testing.assert_allclose(X_train.mean(axis=0), 0.0, atol=1e-12)
    std = X_train.std(axis=0)
    assert np.all(np.isclose(std, 1.0) | np.isclose(std, 0.0))
    assert np.sum(np.isclose(std, 0.0)) >= 1  # some pixels are always blank
    assert not np.allclose(X_test.mean(axis=0), 0.0, atol=1e-3)  # test statistics not used
    from sklearn.datasets import load_digits

    _, y_all = load_digits(return_X_y=True)
    np.testing.assert_array_equal(np.bincount(np.concatenate([y_train, y_test])),
                                  np.bincount(y_all))
    # Images and labels stay aligned: a nearest-centroid classifier beats chance (10%) by far.
    centroids = np.stack([X_train[y_train == c].mean(axis=0) for c in range(10)])
    distances = np.linalg.norm(X_test[:, None, :] - centroids, axis=-1)
    assert np.mean(np.argmin(distances, axis=1) == y_test) > 0.85
    assert split.X_train is X_train


def test_digits_is_seeded():
    pytest.importorskip("sklearn")
    a, b, c = data.digits(seed=0), data.digits(seed=0), data.digits(seed=1)
    np.testing.assert_array_equal(a.X_train, b.X_train)
    np.testing.assert_array_equal(a.y_test, b.y_test)
    assert not np.array_equal(a.y_test, c.y_test)
    assert data.digits(test_size=0.5).X_test.shape == (898, 64)  # round(0.5 · 1797)
    with pytest.raises(ValueError, match="test_size"):
        data.digits(test_size=1.5)


def test_breast_cancer_is_standardized_with_an_intercept_column():
    pytest.importorskip("sklearn")
    from sklearn.datasets import load_breast_cancer

    X, y = data.breast_cancer()
    assert X.shape == (569, 31) and y.shape == (569,) and y.dtype == float
    np.testing.assert_array_equal(X[:, 0], 1.0)
    np.testing.assert_allclose(X[:, 1:].mean(axis=0), 0.0, atol=1e-13)
    np.testing.assert_allclose(X[:, 1:].std(axis=0), 1.0, rtol=1e-13)
    assert set(np.unique(y)) == {0.0, 1.0} and int(y.sum()) == 357  # 357 benign, 212 malignant
    raw, target = load_breast_cancer(return_X_y=True)
    np.testing.assert_array_equal(y, target)
    # Rows stay aligned: each standardized column is an increasing affine map of the raw one.
    for j in range(30):
        slope = np.polyfit(raw[:, j], X[:, j + 1], 1)[0]
        np.testing.assert_allclose(X[:, j + 1], slope * (raw[:, j] - raw[:, j].mean()),
                                   rtol=1e-10, atol=1e-10)
    np.testing.assert_array_equal(data.breast_cancer()[0], X)


def test_breast_cancer_read_directly_equals_scikit_learns_loader(monkeypatch):
    # breast_cancer() reads the CSV that load_breast_cancer parses, without importing
    # sklearn.datasets (seconds of a chapter's budget); both routes give the same bits.
    pytest.importorskip("sklearn")
    assert data._sklearn_table("breast_cancer.csv") is not None
    assert data._sklearn_table("no_such_table.csv") is None
    direct = data.breast_cancer()
    monkeypatch.setattr(data, "_sklearn_table", lambda name: None)
    loader = data.breast_cancer()
    np.testing.assert_array_equal(direct[0], loader[0])
    np.testing.assert_array_equal(direct[1], loader[1])


def test_breast_cancer_classes_are_linearly_separable():
    # The claim of the docstring (and of the rates chapter: the unregularized loss has infimum 0,
    # not attained): a linear program finds θ with sᵢxᵢᵀθ ≥ 1 for every row.
    pytest.importorskip("sklearn")
    from scipy.optimize import linprog

    X, y = data.breast_cancer()
    s = 2 * y - 1
    res = linprog(np.zeros(31), A_ub=-(s[:, None] * X), b_ub=-np.ones(569),
                  bounds=[(None, None)] * 31)
    assert res.status == 0
    assert np.all(s * (X @ res.x) >= 1 - 1e-7)
