"""Trusted reference for the `perceptron` assignment (never shipped to students).

Labels are 0/1; a point exactly on the boundary (x @ w + b == 0) is class 1.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def perceptron_predict(w: Any, b: Any, X: Any) -> np.ndarray:
    scores = np.asarray(X, dtype=np.float64) @ np.asarray(w, dtype=np.float64) + float(b)
    return np.where(scores >= 0, 1.0, 0.0)


def perceptron_step(w: Any, b: Any, x: Any, y: Any, lr: float) -> tuple[np.ndarray, float]:
    w = np.array(w, dtype=np.float64)
    x = np.asarray(x, dtype=np.float64)
    y_hat = 1.0 if float(x @ w + float(b)) >= 0 else 0.0
    err = float(y) - y_hat
    return w + lr * err * x, float(b) + lr * err


def perceptron_train(X: Any, y: Any, lr: float = 0.1, epochs: int = 10) -> tuple[np.ndarray, float]:
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    w, b = np.zeros(X.shape[1]), 0.0
    for _ in range(epochs):
        for i in range(X.shape[0]):
            w, b = perceptron_step(w, b, X[i], y[i], lr)
    return w, b
