"""Hidden checks of `make_model(hidden=64)`: Linear(64, hidden), ReLU, Linear(hidden, 10),
read back as data, and its forward pass (logits, no softmax) with fixed parameters."""

from __future__ import annotations

import numpy as np
import torch

from autograder.checks import CheckFailed, Mistake, RemoteObject, check, expect_close, fail, shown_type, tensor
from autograder.checks.training import architecture

HINT = ("Build nn.Sequential(nn.Linear(64, hidden), nn.ReLU(), nn.Linear(hidden, 10)): no softmax at the end "
        "(nn.CrossEntropyLoss applies log-softmax itself).",
        "Соберите nn.Sequential(nn.Linear(64, hidden), nn.ReLU(), nn.Linear(hidden, 10)): без softmax в конце "
        "(nn.CrossEntropyLoss сама применяет log-softmax).")


ALLOWED = ("Linear", "ReLU", "Flatten", "Identity")  # ReLU may also be torch.relu in a forward of your own


def _expect_layers(submission, hidden: int | None) -> None:
    call = "make_model()" if hidden is None else f"make_model({hidden})"
    size = 64 if hidden is None else hidden
    got = architecture(submission, submission.make_model() if hidden is None else submission.make_model(hidden), call)
    linear = [layer.shapes for layer in got.layers if layer.type == "Linear"]
    other = [layer.type for layer in got.layers if layer.type not in ALLOWED]
    if linear != [((size, 64), (size,)), ((10, size), (10,))] or other or got.parameters != 75 * size + 10:
        raise fail("`{call}` has the layers {got} ({count} parameters); expected Linear(64, {size}), ReLU, "
                   "Linear({size}, 10) ({want} parameters). ",
                   "Слои `{call}`: {got} ({count} параметров), а ожидались Linear(64, {size}), ReLU, Linear({size}, 10) "
                   "({want} параметров). ", call=call, got=got.describe() or "-", count=got.parameters, size=size,
                   want=75 * size + 10) if not other else fail(
            "`{call}` has the layers {got}: {extra} does not belong there. ",
            "Слои `{call}`: {got} — {extra} здесь лишний. ", call=call, got=got.describe(), extra=", ".join(other))


@check("make_model", en="Linear(64, hidden), ReLU, Linear(hidden, 10), hidden=64 by default",
       ru="Linear(64, hidden), ReLU, Linear(hidden, 10), по умолчанию hidden=64")
def test_make_model_layers(submission):
    try:
        _expect_layers(submission, 32)
        _expect_layers(submission, None)
    except CheckFailed as error:
        raise CheckFailed(error.text + fail(*HINT).text) from None


def _logits(state, X):
    h = X @ state["0.weight"].T.astype(float) + state["0.bias"]
    return h, lambda a: a @ state["2.weight"].T.astype(float) + state["2.bias"]


@check("make_model", en="its forward pass gives the logits of the reference with the same parameters",
       ru="прямой проход даёт логиты эталона с теми же параметрами", weight=2)
def test_make_model_forward(submission, reference, state_of_remote, values, rng, tol):
    state = reference.init_state(hidden=16, seed=int(rng.integers(1000)))
    net = submission.make_model(16)
    if not isinstance(net, RemoteObject):
        raise fail("`make_model(16)` returned {got}, not a network.", "`make_model(16)` вернула {got}, а не сеть.",
                   got=shown_type(net))
    names = list(state_of_remote(net))
    if len(names) != 4:
        raise fail("`make_model(16)` must have two Linear layers (4 parameters); it has {got}.",
                   "В `make_model(16)` должно быть два слоя Linear (4 параметра), а параметры такие: {got}.",
                   got=", ".join(names) or "-")
    net.load_state_dict({name: tensor(state[key]) for name, key in zip(net.state_dict(), state)})
    X = rng.uniform(0, 1, size=(8, 64)).astype(np.float32)
    want = reference.model_from(state)(torch.from_numpy(X)).detach().double().numpy()
    h, out = _logits(state, X.astype(float))
    softmax = np.exp(want - want.max(axis=1, keepdims=True))
    softmax /= softmax.sum(axis=1, keepdims=True)
    expect_close("make_model(16)(X)", {"X.shape": X.shape}, values("model(X)", net(tensor(X))), want, tol, [
        Mistake(softmax, en="the network ends with a softmax; return the logits (nn.CrossEntropyLoss applies "
                            "log-softmax itself).",
                ru="сеть заканчивается softmax, а нужно возвращать логиты (nn.CrossEntropyLoss сама применяет "
                   "log-softmax)."),
        Mistake(out(h), en="there is no ReLU between the layers.", ru="между слоями нет ReLU."),
        Mistake(out(1 / (1 + np.exp(-h))), en="the hidden layer uses the sigmoid; use nn.ReLU().",
                ru="на скрытом слое сигмоида, а нужна nn.ReLU()."),
    ])
