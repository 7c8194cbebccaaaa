"""Trusted reference for `torch_basics`: the chapter's PyTorch seminar (CONTRACT §1).

Imported only on the grader side. ``normalize_pictures`` standardises every channel
over the whole batch, ``forward_pass`` is one neuron with the sigmoid, and
``train_linear`` is gradient descent written by hand with autograd's gradients.
"""

from __future__ import annotations

import torch


def normalize_pictures(A: torch.Tensor) -> torch.Tensor:
    """Every channel to mean 0 and (unbiased) std 1 over all images and pixels; A untouched."""
    mean = A.mean(dim=(0, 2, 3), keepdim=True)
    std = A.std(dim=(0, 2, 3), keepdim=True)
    return (A - mean) / std


def forward_pass(X: torch.Tensor, w: torch.Tensor) -> torch.Tensor:
    """sigmoid(X @ w): X (n, m), w (m, 1) -> (n, 1)."""
    return torch.sigmoid(X @ w)


def train_linear(x: torch.Tensor, y: torch.Tensor, lr: float = 0.05,
                 steps: int = 100) -> tuple[float, float, list[float]]:
    """y ~ w * x + b by gradient descent on the MSE from w = b = 0; the loss of every step."""
    w = torch.zeros(1, requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    losses: list[float] = []
    for _ in range(steps):
        y_pred = w * x + b
        loss = torch.mean((y_pred - y) ** 2)
        loss.backward()
        with torch.no_grad():
            w -= lr * w.grad
            b -= lr * b.grad
        w.grad.zero_()
        b.grad.zero_()
        losses.append(loss.item())
    return w.item(), b.item(), losses
