"""Hidden checks of `predict(model, X)`: the threshold 0.5 (tested with outputs close to
it, one exactly 0.5), the result's type (float, no gradient tracking, shape (n, 1)),
and XOR labels from a trained network."""

from __future__ import annotations

import numpy as np
import torch

from autograder.checks import Mistake, TensorValue, check, expect_close, fail, show, tensor

# fc1 = identity, fc2 reads only the first hidden unit: model(x) = sigmoid(tanh(x0)).
TIMEOUT_S = 5.0  # predict on a few rows takes milliseconds; a loop that never ends costs 5 s, not the limit


def _predict(submission, net, X: np.ndarray):
    return submission.call_ex("predict", (net, tensor(X)), timeout=TIMEOUT_S).value


NEAR_STATE = {
    "fc1.weight": np.eye(2, dtype=np.float32), "fc1.bias": np.zeros(2, dtype=np.float32),
    "fc2.weight": np.array([[1.0, 0.0]], dtype=np.float32), "fc2.bias": np.zeros(1, dtype=np.float32),
}
# model outputs about 0.30, 0.42, 0.45, 0.48, 0.5 (exactly), 0.52, 0.55, 0.58, 0.70
NEAR_X = np.array([[-1.2, 0.3], [-0.34, 1.0], [-0.2, -2.0], [-0.08, 0.5], [0.0, 0.7],
                   [0.08, -0.4], [0.2, 0.0], [0.34, 1.5], [1.2, -1.0]], dtype=np.float32)


@check("predict", en="thresholds the model's output at 0.5 (>= 0.5 is 1)",
       ru="порог по выходу модели равен 0.5 (>= 0.5 даёт 1)")
def test_predict_threshold(submission, reference, plain_net, values, tol):
    out = reference.outputs(NEAR_STATE, NEAR_X)
    got = values("predict(model, X)", _predict(submission, plain_net(NEAR_STATE), NEAR_X))
    if got.size == out.size:  # the shape has its own check
        got = got.reshape(out.shape)
    expect_close("predict(model, X)", f"model(X) = {np.round(out.reshape(-1), 3).tolist()}", got,
                 (out >= 0.5).astype(float), tol, [
        Mistake((out > 0.5).astype(float),
                en="an output of exactly 0.5 must give 1.0: use >= 0.5 (torch.round rounds 0.5 down to 0).",
                ru="выход, равный ровно 0.5, должен давать 1.0: используйте >= 0.5 (torch.round округляет 0.5 вниз, к 0)."),
        Mistake(np.ones_like(out),
                en="every output is above 0 after the sigmoid: threshold at 0.5, not at 0.",
                ru="после сигмоиды все выходы больше 0: порог должен быть 0.5, а не 0."),
        Mistake((out >= 0.4).astype(float),
                en="the threshold is 0.4; it must be 0.5.", ru="порог равен 0.4, а должен быть 0.5."),
        Mistake(out, en="these are the probabilities; compare them with 0.5 to get 0.0/1.0.",
                ru="это вероятности; сравните их с 0.5, чтобы получить 0.0/1.0."),
    ])


@check("predict", en="returns a float tensor of shape (n, 1) without gradient tracking",
       ru="возвращает тензор float формы (n, 1) без отслеживания градиентов", kind="form")
def test_predict_type(submission, reference, plain_net):
    got = _predict(submission, plain_net(reference.init_state(hidden=4, seed=2)), reference.XOR_X)
    if not isinstance(got, TensorValue):
        raise fail("`predict(model, X)` must return a torch tensor; it returned {got}.",
                   "`predict(model, X)` должна вернуть тензор torch, а вернула {got}.", got=show(got, 80))
    if got.dtype not in ("torch.float32", "torch.float64"):
        raise fail("`predict(model, X)` returned a tensor of {dtype}; convert the comparison with .float() "
                   "to get 0.0/1.0.",
                   "`predict(model, X)` вернула тензор типа {dtype}; преобразуйте результат сравнения через "
                   ".float(), чтобы получить 0.0/1.0.", dtype=got.dtype)
    if got.requires_grad:
        raise fail("`predict(model, X)` returned a tensor with requires_grad=True: run the model inside "
                   "`with torch.no_grad():` (prediction needs no gradients).",
                   "`predict(model, X)` вернула тензор с requires_grad=True: вызывайте модель внутри "
                   "`with torch.no_grad():` (для предсказания градиенты не нужны).")
    if got.shape != (4, 1):
        raise fail("`predict(model, X)` for X of shape (4, 2) returned shape {got}; expected (4, 1), "
                   "the shape of model(X).",
                   "`predict(model, X)` для X формы (4, 2) вернула форму {got}, а нужна (4, 1), как у model(X).",
                   got=got.shape)


def _trained(reference) -> dict[str, np.ndarray]:
    """The reference network after 200 epochs from a start where it learns XOR."""
    net = reference.net_from(reference.init_state(hidden=4, seed=3))
    reference.train_model(net, torch.from_numpy(reference.XOR_X), torch.from_numpy(reference.XOR_Y), 200, 1.0)
    return reference.state_of(net)


@check("predict", en="gives the XOR labels with a trained network",
       ru="даёт метки XOR для обученной сети")
def test_predict_xor(submission, reference, plain_net, values, tol, once):
    trained = once("trained", lambda: _trained(reference))
    got = values("predict(model, X_xor)", _predict(submission, plain_net(trained), reference.XOR_X))
    if got.size == 4:
        got = got.reshape(4, 1)
    out = reference.outputs(trained, reference.XOR_X)
    expect_close("predict(model, X_xor)", reference.XOR_X, got, reference.XOR_Y, tol, [
        Mistake(out, en="these are the probabilities; compare them with 0.5 to get 0.0/1.0.",
                ru="это вероятности; сравните их с 0.5, чтобы получить 0.0/1.0."),
        Mistake(1 - reference.XOR_Y, en="the labels are inverted: 1.0 where model(X) >= 0.5.",
                ru="метки перевёрнуты: 1.0 там, где model(X) >= 0.5."),
    ])
