"""Reference of the small NumPy master used by the tests (not a course assignment)."""

import numpy as np


def sigmoid(x):
    x = np.asarray(x, dtype=float)
    return np.exp(-np.logaddexp(0.0, -x))


def relu(x):
    return np.maximum(np.asarray(x, dtype=float), 0.0)


def shift(w, b, lr):
    return np.asarray(w, dtype=float) + lr, b - lr


def stats(x):
    x = np.asarray(x, dtype=float)
    return {"mean": float(x.mean()), "max": float(x.max())}
