"""Helpers shared by the `digits` checks, handed out as fixtures.

``plain_net`` builds, inside the worker, the reference architecture from torch's own
layers holding given parameters, so the checks of ``train`` and ``predict`` do not
depend on the student's ``make_model``: a mistake there costs points once, in its own
question. The training split is read here, on the grader, from the assignment's data.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from autograder.checks import RemoteObject, TensorValue, fail, fixture, show, tensor

DATA = Path(__file__).resolve().parent.parent / "data" / "digits_train.npz"
KEYS = ("0.weight", "0.bias", "2.weight", "2.bias")


def build_plain_net(submission: Any, state: Mapping[str, np.ndarray]) -> RemoteObject:
    """Sequential(Linear(64, h), ReLU, Linear(h, 10)) in the worker, holding ``state``."""
    torch = submission.value("torch")
    if not isinstance(torch, RemoteObject):
        raise fail("The notebook must import torch (`import torch`) at the top level.",
                   "В блокноте должен быть импорт torch (`import torch`) на верхнем уровне.")
    nn = torch.nn
    hidden = int(state["0.weight"].shape[0])
    net = nn.Sequential(nn.Linear(64, hidden), nn.ReLU(), nn.Linear(hidden, 10))
    net.load_state_dict({key: tensor(state[key]) for key in KEYS})
    return net


def remote_state(net: RemoteObject) -> dict[str, np.ndarray]:
    """A remote network's parameters as NumPy arrays, under the reference's names when
    it has four (matched in order)."""
    raw = net.state_dict()
    arrays = [np.asarray(v.array if isinstance(v, TensorValue) else v) for v in raw.values()]
    names = KEYS if len(arrays) == len(KEYS) else tuple(raw)
    return dict(zip(names, arrays))


def as_values(call: str, got: Any) -> np.ndarray:
    if got is None:
        raise fail("`{call}` returned None: is the `return` missing?", "`{call}` вернула None: не забыт ли `return`?",
                   call=call)
    if isinstance(got, TensorValue):
        return got.array.astype(float)
    try:
        return np.asarray([v.array if isinstance(v, TensorValue) else v for v in got]
                          if isinstance(got, (list, tuple)) else got, dtype=float)
    except (TypeError, ValueError):
        raise fail("`{call}` returned {got}; expected numbers.", "`{call}` вернула {got}, а ожидались числа.",
                   call=call, got=show(got, 120)) from None


@fixture
def plain_net(submission: Any) -> Callable[[Mapping[str, np.ndarray]], RemoteObject]:
    return lambda state: build_plain_net(submission, state)


@fixture(scope="session")  # pure helpers and fixed data: the same for every submission
def state_of_remote() -> Callable[[RemoteObject], dict[str, np.ndarray]]:
    return remote_state


@fixture(scope="session")
def values() -> Callable[[str, Any], np.ndarray]:
    return as_values


@fixture(scope="session")
def digits() -> tuple[np.ndarray, np.ndarray]:
    """The training split (X float32 (1438, 64), y int64), as the notebook reads it."""
    with np.load(DATA, allow_pickle=False) as data:
        return np.asarray(data["X_train"]), np.asarray(data["y_train"])
