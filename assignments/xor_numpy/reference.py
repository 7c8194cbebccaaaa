"""Trusted reference for `xor_numpy`: a 2-H-1 sigmoid network trained on XOR with NumPy.

Imported only on the grader side (checks, public examples); never shipped to students.
Semantics follow CONTRACT.md §1 to the letter: the MSE is the mean over all n outputs,
so its gradient carries the factor 2/n, and ``train_xor`` records the loss of the
parameters *before* each update and never touches the caller's dict.
"""

from __future__ import annotations

from typing import Any

import numpy as np

Params = dict[str, np.ndarray]

KEYS = ("W1", "b1", "W2", "b2")
XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_Y = np.array([[0.0], [1.0], [1.0], [0.0]])


def sigmoid(z: Any) -> np.ndarray:
    """Stable logistic function: never exponentiates a large positive number."""
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _as_params(params: dict[str, Any]) -> Params:
    return {k: np.array(params[k], dtype=float) for k in KEYS}


def _layers(params: dict[str, Any], X: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    p = _as_params(params)
    X = np.asarray(X, dtype=float)
    a1 = sigmoid(X @ p["W1"] + p["b1"])
    a2 = sigmoid(a1 @ p["W2"] + p["b2"])
    return X, a1, a2


def forward(params: dict[str, Any], X: Any) -> np.ndarray:
    """y_hat (n, 1) = sigmoid(sigmoid(X @ W1 + b1) @ W2 + b2)."""
    return _layers(params, X)[2]


def mse_loss(y_hat: Any, y: Any) -> float:
    """Mean of the squared errors over all outputs, as a Python float."""
    diff = np.asarray(y_hat, dtype=float) - np.asarray(y, dtype=float)
    return float(np.mean(diff ** 2))


def backward(params: dict[str, Any], X: Any, y: Any) -> Params:
    """Exact gradient of mse_loss(forward(params, X), y): chain rule through both sigmoids."""
    p = _as_params(params)
    X, a1, a2 = _layers(p, X)
    y = np.asarray(y, dtype=float)
    d_a2 = 2.0 * (a2 - y) / y.size          # d mean((a2 - y)^2) / d a2
    d_z2 = d_a2 * a2 * (1.0 - a2)            # sigmoid'(z2) = a2 (1 - a2)
    d_a1 = d_z2 @ p["W2"].T
    d_z1 = d_a1 * a1 * (1.0 - a1)
    return {
        "W1": X.T @ d_z1,
        "b1": d_z1.sum(axis=0),
        "W2": a1.T @ d_z2,
        "b2": d_z2.sum(axis=0),
    }


def train_xor(params: dict[str, Any], X: Any, y: Any, lr: float, epochs: int
              ) -> tuple[Params, list[float]]:
    """Full-batch gradient descent on copies; losses[i] is the loss before update i."""
    current = _as_params(params)
    losses: list[float] = []
    for _ in range(int(epochs)):
        losses.append(mse_loss(forward(current, X), y))
        grads = backward(current, X, y)
        current = {k: current[k] - lr * grads[k] for k in KEYS}
    return current, losses


# ---- helpers for the checks and public examples (not part of the assignment) ----------


def init_params(H: int = 4, seed: int = 0, scale: float = 1.0) -> Params:
    """Reproducible starting parameters: normal weights, zero biases."""
    rng = np.random.default_rng(seed)
    return {
        "W1": rng.normal(scale=scale, size=(2, H)),
        "b1": np.zeros(H),
        "W2": rng.normal(scale=scale, size=(H, 1)),
        "b2": np.zeros(1),
    }


def numerical_gradient(params: dict[str, Any], X: Any, y: Any, eps: float = 1e-6) -> Params:
    """Central finite differences of the loss: a gradient that does not trust ``backward``."""
    p = _as_params(params)
    grads: Params = {}
    for key in KEYS:
        grad = np.zeros_like(p[key])
        for index in np.ndindex(p[key].shape):
            saved = p[key][index]
            p[key][index] = saved + eps
            up = mse_loss(forward(p, X), y)
            p[key][index] = saved - eps
            down = mse_loss(forward(p, X), y)
            p[key][index] = saved
            grad[index] = (up - down) / (2 * eps)
        grads[key] = grad
    return grads


def solves_xor(params: dict[str, Any]) -> bool:
    """Every XOR point on the right side of 0.5."""
    return bool(np.array_equal(forward(params, XOR_X) >= 0.5, XOR_Y >= 0.5))
