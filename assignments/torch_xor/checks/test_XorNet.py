"""Hidden checks of `XorNet`: an nn.Module with layers fc1/fc2 of the right sizes and
forward = sigmoid(fc2(tanh(fc1(x))))."""

from __future__ import annotations

import numpy as np

from autograder.checks import Mistake, check, expect_close, fail, tensor

STATE_KEYS = ("fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias")


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def _wrong_versions(state: dict[str, np.ndarray], X: np.ndarray) -> list[Mistake]:
    z1 = X @ state["fc1.weight"].T.astype(float) + state["fc1.bias"]
    fc2 = lambda h: h @ state["fc2.weight"].T.astype(float) + state["fc2.bias"]  # noqa: E731
    return [
        Mistake(_sigmoid(fc2(np.maximum(z1, 0))),
                en="the hidden layer uses ReLU; XorNet asks for torch.tanh after fc1.",
                ru="на скрытом слое ReLU, а в XorNet после fc1 нужен torch.tanh."),
        Mistake(_sigmoid(fc2(_sigmoid(z1))),
                en="the hidden layer uses the sigmoid; XorNet asks for torch.tanh after fc1.",
                ru="на скрытом слое сигмоида, а в XorNet после fc1 нужен torch.tanh."),
        Mistake(_sigmoid(fc2(z1)),
                en="there is no activation after fc1; apply torch.tanh to it.",
                ru="после fc1 нет активации: примените к нему torch.tanh."),
        Mistake(fc2(np.tanh(z1)),
                en="the output has no sigmoid: BCELoss needs probabilities, so return torch.sigmoid(self.fc2(...)).",
                ru="на выходе нет сигмоиды: BCELoss нужны вероятности, верните torch.sigmoid(self.fc2(...))."),
        Mistake(np.maximum(fc2(np.tanh(z1)), 0),
                en="the output uses ReLU; it must be the sigmoid.",
                ru="на выходе ReLU, а нужна сигмоида."),
    ]


@check("XorNet", en="is an nn.Module with layers fc1 and fc2", ru="это nn.Module со слоями fc1 и fc2")
def test_xornet_layers(student_net):
    names = list(student_net(3).state_dict())
    if sorted(names) != sorted(STATE_KEYS):
        raise fail(
            "XorNet's parameters are {got}; expected fc1.weight, fc1.bias, fc2.weight, fc2.bias: "
            "name the layers self.fc1 = nn.Linear(2, hidden) and self.fc2 = nn.Linear(hidden, 1).",
            "Параметры XorNet называются {got}, а ожидались fc1.weight, fc1.bias, fc2.weight, fc2.bias: "
            "назовите слои self.fc1 = nn.Linear(2, hidden) и self.fc2 = nn.Linear(hidden, 1).",
            got=", ".join(names) or "-")


@check("XorNet", en="layer sizes follow `hidden` (default 4)", ru="размеры слоёв задаются `hidden` (по умолчанию 4)")
def test_xornet_sizes(student_net, shapes):
    for hidden in (3, None):
        size = 4 if hidden is None else hidden
        call = "XorNet()" if hidden is None else f"XorNet({hidden})"
        got = shapes(student_net(hidden))
        want = [(size, 2), (size,), (1, size), (1,)]
        if got != want:
            raise fail(
                "`{call}` has parameters of shapes {got}; expected {want}: fc1 = nn.Linear(2, hidden), "
                "fc2 = nn.Linear(hidden, 1), with hidden=4 by default.",
                "У `{call}` параметры формы {got}, а ожидались {want}: fc1 = nn.Linear(2, hidden), "
                "fc2 = nn.Linear(hidden, 1), по умолчанию hidden=4.",
                call=call, got=got, want=want)


@check("XorNet", en="forward matches the reference", ru="forward совпадает с эталоном", weight=2)
def test_xornet_forward(student_net, values, reference, rng, tol):
    state = reference.init_state(hidden=4, seed=int(rng.integers(1000)), scale=2.0)
    X = rng.normal(size=(6, 2)).astype(np.float32)
    net = student_net(4, state)
    got = values("model(X)", net(tensor(X)))
    shape = got.shape
    if got.size == 6:  # values first; a (6,) result is reported below
        got = got.reshape(6, 1)
    expect_close("model(X)", X, got, reference.outputs(state, X), tol, _wrong_versions(state, X.astype(float)))
    if shape != (6, 1):
        raise fail("`model(X)` for X of shape (6, 2) returned shape {got}; expected (6, 1) (do not squeeze).",
                   "`model(X)` для X формы (6, 2) вернула форму {got}, а нужна (6, 1) (не делайте squeeze).",
                   got=shape)
