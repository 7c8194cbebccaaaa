"""Reference solution of `linear` (trusted: runs in the grader, never shipped to students)."""

import numpy as np


def standardize(X):
    """Each column of X shifted to mean 0 and scaled to standard deviation 1."""
    X = np.asarray(X, dtype=float)
    return (X - X.mean(axis=0)) / X.std(axis=0)


def mse_loss(y_pred, y):
    """Mean squared error as a Python float."""
    y_pred, y = np.asarray(y_pred, dtype=float), np.asarray(y, dtype=float)
    return float(np.mean((y_pred - y) ** 2))


def fit_line(x, y):
    """Least-squares line y = w * x + b through the points (x, y); returns (w, b)."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    w = np.sum((x - x.mean()) * (y - y.mean())) / np.sum((x - x.mean()) ** 2)
    return float(w), float(y.mean() - w * x.mean())
