"""Trusted reference for `digits`: an MLP on scikit-learn's handwritten digits (CONTRACT §1).

Imported only on the grader side. The helpers at the end build reproducible starting
parameters as NumPy arrays, so a check can start the student's training and this one
from the same network.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import torch
from torch import nn

STATE_KEYS = ("0.weight", "0.bias", "2.weight", "2.bias")


def make_model(hidden: int = 64) -> nn.Module:
    """(n, 64) -> (n, 10) logits: Linear(64, hidden), ReLU, Linear(hidden, 10)."""
    return nn.Sequential(nn.Linear(64, hidden), nn.ReLU(), nn.Linear(hidden, 10))


def train(model: nn.Module, X: torch.Tensor, y: torch.Tensor, epochs: int = 30, lr: float = 0.1,
          batch_size: int = 64) -> list[float]:
    """SGD on the cross-entropy over shuffled mini-batches; the mean batch loss of each epoch."""
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    history = []
    for _ in range(epochs):
        order = torch.randperm(len(X))
        total, batches = 0.0, 0
        for start in range(0, len(X), batch_size):
            rows = order[start:start + batch_size]
            optimizer.zero_grad()
            loss = loss_fn(model(X[rows]), y[rows])
            loss.backward()
            optimizer.step()
            total += loss.item()
            batches += 1
        history.append(total / batches)
    return history


def predict(model: nn.Module, X: torch.Tensor) -> torch.Tensor:
    """The (n,) int64 class of each row: the index of the largest logit."""
    with torch.no_grad():
        return model(X).argmax(dim=1)


# ---- helpers for the checks (not part of the assignment) -------------------------------


def init_state(hidden: int = 16, seed: int = 0) -> dict[str, np.ndarray]:
    """The parameters of ``make_model(hidden)`` built after ``torch.manual_seed(seed)``."""
    torch.manual_seed(seed)
    return {k: v.detach().numpy().copy() for k, v in make_model(hidden).state_dict().items()}


def model_from(state: Mapping[str, Any]) -> nn.Module:
    arrays = {k: torch.from_numpy(np.asarray(state[k], dtype=np.float32).copy()) for k in STATE_KEYS}
    model = make_model(arrays["0.weight"].shape[0])
    model.load_state_dict(arrays)
    return model


def state_of(model: nn.Module) -> dict[str, np.ndarray]:
    return {k: v.detach().numpy().copy() for k, v in model.state_dict().items()}
