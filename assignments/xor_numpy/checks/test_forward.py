"""Hidden checks of `forward(params, X)`: the values of both sigmoid layers, the shape."""

from __future__ import annotations

import numpy as np

from autograder.checks import Mistake, check, expect_close, expect_shape


def _random_params(rng: np.random.Generator, H: int) -> dict[str, np.ndarray]:
    return {"W1": rng.normal(scale=1.5, size=(2, H)), "b1": rng.normal(size=H),
            "W2": rng.normal(scale=1.5, size=(H, 1)), "b2": rng.normal(size=1)}


def _wrong_versions(reference, p: dict[str, np.ndarray], X: np.ndarray) -> list[Mistake]:
    sig = reference.sigmoid
    z1 = X @ p["W1"] + p["b1"]
    z2_of = lambda a1: a1 @ p["W2"] + p["b2"]  # noqa: E731 - tiny local helper
    return [
        Mistake(np.maximum(z2_of(sig(z1)), 0),
                en="the output layer uses ReLU; both layers use the sigmoid.",
                ru="на выходном слое стоит ReLU, а нужна сигмоида: оба слоя сигмоидные."),
        Mistake(z2_of(sig(z1)),
                en="the output layer has no activation; apply the sigmoid to a1 @ W2 + b2 too.",
                ru="на выходном слое нет активации: примените сигмоиду и к a1 @ W2 + b2."),
        Mistake(sig(z2_of(np.maximum(z1, 0))),
                en="the hidden layer uses ReLU; both layers use the sigmoid.",
                ru="на скрытом слое стоит ReLU, а нужна сигмоида: оба слоя сигмоидные."),
        Mistake(sig(z2_of(np.tanh(z1))),
                en="the hidden layer uses tanh; both layers use the sigmoid.",
                ru="на скрытом слое стоит tanh, а нужна сигмоида: оба слоя сигмоидные."),
        Mistake(sig(z2_of(z1)),
                en="the hidden layer has no activation; without it two layers are one linear map.",
                ru="на скрытом слое нет активации: без неё два слоя сводятся к одному линейному."),
        Mistake(sig(sig(X @ p["W1"]) @ p["W2"]),
                en="the biases b1 and b2 are not added.",
                ru="не прибавлены смещения b1 и b2."),
    ]


@check("forward", en="matches the reference on random parameters",
       ru="совпадает с эталоном на случайных параметрах", weight=2)
def test_forward_values(submission, reference, rng, tol):
    params = _random_params(rng, H=3)
    X = rng.normal(size=(6, 2))
    # centre the output layer's input on 0, so that ReLU and "no activation" differ there
    a1 = reference.sigmoid(X @ params["W1"] + params["b1"])
    params["b2"] = -np.median(a1 @ params["W2"], axis=0) + 0.1
    got = submission.forward(params, X)
    if np.size(got) == 6:  # the shape has its own check
        got = np.reshape(np.asarray(got, dtype=float), (6, 1))
    expect_close("forward(params, X)", {"params": params, "X": X}, got,
                 reference.forward(params, X), tol, _wrong_versions(reference, params, X))


@check("forward", en="returns an array of shape (n, 1)", ru="возвращает массив формы (n, 1)", kind="form")
def test_forward_shape(submission, reference, rng):
    params = _random_params(rng, H=5)
    X = rng.normal(size=(7, 2))
    expect_shape("forward(params, X)", submission.forward(params, X), (7, 1))
