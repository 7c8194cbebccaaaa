"""Helpers shared by the `torch_xor` checks, handed out as fixtures.

``plain_net`` builds, inside the worker, a network with XorNet's architecture from
torch's own layers (``nn.Sequential``), so the checks of ``train_model`` and
``predict`` do not depend on the student's ``XorNet``: a mistake there costs points
once, in its own question.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from autograder.checks import RemoteObject, TensorValue, fail, fixture, isinstance_of, show, tensor

STATE_KEYS = ("fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias")
SEQUENTIAL_KEYS = {"0.weight": "fc1.weight", "0.bias": "fc1.bias", "2.weight": "fc2.weight", "2.bias": "fc2.bias"}


def build_plain_net(submission: Any, state: Mapping[str, np.ndarray]) -> RemoteObject:
    """Sequential(Linear, Tanh, Linear, Sigmoid) in the worker, holding ``state``."""
    torch = submission.value("torch")
    if not isinstance(torch, RemoteObject):
        raise fail("The notebook must import torch (`import torch`) at the top level.",
                   "В блокноте должен быть импорт torch (`import torch`) на верхнем уровне.")
    nn = torch.nn
    hidden = int(state["fc1.weight"].shape[0])
    net = nn.Sequential(nn.Linear(2, hidden), nn.Tanh(), nn.Linear(hidden, 1), nn.Sigmoid())
    net.load_state_dict({key: tensor(state[name]) for key, name in SEQUENTIAL_KEYS.items()})
    return net


def remote_state(net: RemoteObject) -> dict[str, np.ndarray]:
    """A remote network's parameters under XorNet's names, as NumPy arrays."""
    raw = net.state_dict()
    names = SEQUENTIAL_KEYS if set(raw) == set(SEQUENTIAL_KEYS) else {k: k for k in raw}
    return {names[k]: np.asarray(v.array if isinstance(v, TensorValue) else v) for k, v in raw.items()}


def build_student_net(submission: Any, hidden: int | None, state: Mapping[str, np.ndarray] | None = None
                      ) -> RemoteObject:
    """The student's ``XorNet(hidden)`` (or ``XorNet()``), with ``state`` loaded when given.

    Layers named other than fc1/fc2 are matched by position (four parameters in the
    order of XorNet's), so a naming mistake costs the naming check, not every check.
    """
    net = submission.XorNet() if hidden is None else submission.XorNet(hidden)
    if not isinstance_of(net, "torch.nn.Module"):
        raise fail("`XorNet(...)` must be a subclass of nn.Module (class XorNet(nn.Module) with super().__init__()); "
                   "got {got}.",
                   "`XorNet(...)` должен наследовать nn.Module (class XorNet(nn.Module) и вызов super().__init__()), "
                   "а получено {got}.", got=show(net))
    if state is not None:
        names = list(net.state_dict())
        if len(names) != len(STATE_KEYS):
            raise fail("XorNet must have exactly two nn.Linear layers, fc1 and fc2; its parameters are {got}.",
                       "В XorNet должно быть ровно два слоя nn.Linear, fc1 и fc2; его параметры: {got}.",
                       got=", ".join(names) or "-")
        pairs = zip(STATE_KEYS, STATE_KEYS) if set(names) == set(STATE_KEYS) else zip(names, STATE_KEYS)
        net.load_state_dict({name: tensor(state[key]) for name, key in pairs})
    return net


def student_shapes(net: RemoteObject) -> list[tuple[int, ...]]:
    """The shapes of a remote network's parameters, in order."""
    return [tuple(np.shape(v.array if isinstance(v, TensorValue) else v)) for v in net.state_dict().values()]


def as_values(call: str, got: Any) -> np.ndarray:
    """A tensor, array or list of numbers/tensors as float64 NumPy; else a failure."""
    if got is None:
        raise fail("`{call}` returned None: is the `return` missing?",
                   "`{call}` вернула None: не забыт ли `return`?", call=call)
    if isinstance(got, TensorValue):
        return got.array.astype(float)
    if isinstance(got, (list, tuple)):
        got = [g.array if isinstance(g, TensorValue) else g for g in got]
    try:
        array = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        raise fail("`{call}` returned {got}; expected numbers.", "`{call}` вернула {got}, а ожидались числа.",
                   call=call, got=show(got, 120)) from None
    return array


@fixture
def plain_net(submission: Any) -> Callable[[Mapping[str, np.ndarray]], RemoteObject]:
    return lambda state: build_plain_net(submission, state)


@fixture
def student_net(submission: Any) -> Callable[..., RemoteObject]:
    return lambda hidden, state=None: build_student_net(submission, hidden, state)


@fixture(scope="session")  # a pure helper: the same for every submission
def shapes() -> Callable[[RemoteObject], list[tuple[int, ...]]]:
    return student_shapes


@fixture(scope="session")  # a pure helper: the same for every submission
def values() -> Callable[[str, Any], np.ndarray]:
    return as_values


@fixture(scope="session")  # a pure helper: the same for every submission
def state_of_remote() -> Callable[[RemoteObject], dict[str, np.ndarray]]:
    return remote_state
