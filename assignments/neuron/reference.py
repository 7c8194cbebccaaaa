"""Trusted reference for the `neuron` assignment (never shipped to students).

The perceptron as a class, as the course's own seminar teaches it: `w` is a column
(m, 1), the activation is 1 where x > 0 (strictly: activate(0) is 0), and `fit`
starts from zeros, records the loss before each update, and returns the losses.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def Loss(y_pred: Any, y: Any) -> float:
    """0.5 * mean((y_pred - y) ** 2), both as columns (y may be a list, (n,) or (n, 1))."""
    y_pred = np.asarray(y_pred, dtype=np.float64).reshape(-1, 1)
    y = np.asarray(y, dtype=np.float64).reshape(-1, 1)
    return 0.5 * float(np.mean((y_pred - y) ** 2))


class Perceptron:
    def __init__(self, w: Any = None, b: Any = 0) -> None:
        self.w = w
        self.b = b

    def activate(self, x: Any) -> np.ndarray:
        """1 where x > 0, else 0, of the shape of x."""
        return np.array(np.asarray(x) > 0, dtype=np.int64)

    def forward_pass(self, X: Any) -> np.ndarray:
        """Answers (n, 1) of 0/1 for the objects X (n, m)."""
        X = np.asarray(X, dtype=np.float64)
        m = X.shape[1]
        return self.activate(X @ np.asarray(self.w, dtype=np.float64).reshape(m, 1) + self.b)

    def backward_pass(self, X: Any, y: Any, y_pred: Any, learning_rate: float = 0.005) -> None:
        """One gradient step on self.w and self.b, in place, with the caller's y_pred."""
        X = np.asarray(X, dtype=np.float64)
        n = X.shape[0]
        y = np.asarray(y, dtype=np.float64).reshape(-1, 1)
        y_pred = np.asarray(y_pred, dtype=np.float64).reshape(-1, 1)
        self.w = self.w - learning_rate * (X.T @ (y_pred - y)) / n
        self.b = self.b - learning_rate * np.mean(y_pred - y)

    def fit(self, X: Any, y: Any, num_epochs: int = 300) -> list[float]:
        """From w = 0, b = 0: num_epochs times forward, record the loss, update."""
        X = np.asarray(X, dtype=np.float64)
        self.w = np.zeros((X.shape[1], 1))
        self.b = 0
        losses = []
        for _ in range(num_epochs):
            y_pred = self.forward_pass(X)
            losses.append(Loss(y_pred, y))
            self.backward_pass(X, y, y_pred)
        return losses
