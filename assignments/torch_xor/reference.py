"""Trusted reference for `torch_xor`: XorNet, its SGD/BCE training loop and predict.

Imported only on the grader side. Semantics follow CONTRACT.md §1; the helpers at the
end build reproducible states as NumPy arrays, so the checks can send the same
starting parameters to the student's network and to this one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import torch
from torch import nn

XOR_X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
XOR_Y = np.array([[0], [1], [1], [0]], dtype=np.float32)
STATE_KEYS = ("fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias")


class XorNet(nn.Module):
    """2 -> hidden (tanh) -> 1 (sigmoid): the output is a probability for BCELoss."""

    def __init__(self, hidden: int = 4) -> None:
        super().__init__()
        self.fc1 = nn.Linear(2, hidden)
        self.fc2 = nn.Linear(hidden, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.sigmoid(self.fc2(torch.tanh(self.fc1(x))))


def train_model(model: nn.Module, X: torch.Tensor, y: torch.Tensor, epochs: int = 1000,
                lr: float = 0.5) -> list[float]:
    """Full-batch SGD on BCE; returns the loss of every epoch (before its step)."""
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    loss_fn = nn.BCELoss()
    losses: list[float] = []
    for _ in range(epochs):
        optimizer.zero_grad()
        loss = loss_fn(model(X), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses


def predict(model: nn.Module, X: torch.Tensor) -> torch.Tensor:
    """0.0/1.0 float tensor: 1.0 where the predicted probability is at least 0.5."""
    with torch.no_grad():
        return (model(X) >= 0.5).float()


# ---- helpers for the checks and public examples (not part of the assignment) ----------


def init_state(hidden: int = 4, seed: int = 0, scale: float = 1.0) -> dict[str, np.ndarray]:
    """The parameters of ``XorNet(hidden)`` built after ``torch.manual_seed(seed)``,
    multiplied by ``scale``, as float32 NumPy arrays."""
    torch.manual_seed(seed)
    net = XorNet(hidden)
    return {k: v.detach().numpy().copy() * np.float32(scale) for k, v in net.state_dict().items()}


def net_from(state: Mapping[str, Any], hidden: int | None = None) -> XorNet:
    """A reference XorNet holding ``state`` (arrays or anything np.asarray accepts)."""
    arrays = {k: np.asarray(state[k], dtype=np.float32) for k in STATE_KEYS}
    net = XorNet(hidden or arrays["fc1.weight"].shape[0])
    net.load_state_dict({k: torch.from_numpy(v.copy()) for k, v in arrays.items()})
    return net


def state_of(net: nn.Module) -> dict[str, np.ndarray]:
    return {k: v.detach().numpy().copy() for k, v in net.state_dict().items()}


def outputs(state: Mapping[str, Any], X: Any) -> np.ndarray:
    """model(X) of a reference network holding ``state``, as float64 NumPy."""
    with torch.no_grad():
        return net_from(state)(torch.as_tensor(np.asarray(X, dtype=np.float32))).double().numpy()
