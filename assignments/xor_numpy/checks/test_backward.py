"""Hidden checks of `backward(params, X, y)`: keys and shapes, the reference gradient,
and a numerical gradient (central differences) that does not trust any backward pass."""

from __future__ import annotations

import numpy as np

from autograder.checks import check, fail, show
from autograder.config import Tolerance

KEYS = ("W1", "b1", "W2", "b2")


def _scaled(grads: dict[str, np.ndarray], factor: float) -> dict[str, np.ndarray]:
    return {k: v * factor for k, v in grads.items()}


def _no_output_derivative(reference, p, X, y) -> dict[str, np.ndarray]:
    """The gradient when the sigmoid's derivative of the output layer is left out."""
    a1 = reference.sigmoid(X @ p["W1"] + p["b1"])
    a2 = reference.sigmoid(a1 @ p["W2"] + p["b2"])
    d_z2 = 2 * (a2 - y) / y.size
    d_z1 = (d_z2 @ p["W2"].T) * a1 * (1 - a1)
    return {"W1": X.T @ d_z1, "b1": d_z1.sum(0), "W2": a1.T @ d_z2, "b2": d_z2.sum(0)}


def _mistakes(reference, params, X, y, grads):
    n = y.size
    return [
        (_scaled(grads, 0.5), "the gradient is half the right one: d/dy_hat of (y_hat - y)^2 is 2 (y_hat - y); keep the factor 2.",
         "градиент вдвое меньше верного: производная (y_hat - y)^2 равна 2 (y_hat - y), множитель 2 потерян."),
        (_scaled(grads, n), "the gradient is n times too large: the loss is a mean, so divide by n (the number of outputs).",
         "градиент в n раз больше верного: потеря это среднее, поэтому делите на n (число выходов)."),
        (_scaled(grads, n / 2), "both the factor 2 and the division by n are missing from dL/dy_hat = 2 (y_hat - y) / n.",
         "в dL/dy_hat = 2 (y_hat - y) / n потеряны и множитель 2, и деление на n."),
        (_scaled(grads, -1), "the gradient has the wrong sign: use y_hat - y, not y - y_hat.",
         "у градиента неверный знак: нужно y_hat - y, а не y - y_hat."),
        (_no_output_derivative(reference, params, X, y),
         "the derivative of the output sigmoid, y_hat * (1 - y_hat), is missing.",
         "пропущена производная выходной сигмоиды y_hat * (1 - y_hat)."),
    ]


@check("backward", en="returns a dict with the keys and shapes of params",
       ru="возвращает словарь с теми же ключами и формами, что у params", kind="form")
def test_backward_keys_and_shapes(submission, reference, rng):
    params = reference.init_params(H=5, seed=int(rng.integers(1000)))
    X = rng.normal(size=(6, 2))
    y = rng.integers(0, 2, size=(6, 1)).astype(float)
    got = submission.backward(params, X, y)
    if not isinstance(got, dict) or set(got) != set(KEYS):
        raise fail("`backward(params, X, y)` must return a dict with exactly the keys W1, b1, W2, b2; it returned {got}.",
                   "`backward(params, X, y)` должна вернуть словарь ровно с ключами W1, b1, W2, b2, а вернула {got}.",
                   got=show(got, 120))
    for key in KEYS:
        shape = np.shape(got[key])
        if shape != params[key].shape:
            raise fail(
                "`backward(params, X, y)['{key}']` has shape {got}; it must have the shape of params['{key}'], {want}. "
                "(For biases, sum over the samples without keepdims.)",
                "`backward(params, X, y)['{key}']` имеет форму {got}, а должна совпадать с формой params['{key}'], {want}. "
                "(Для смещений суммируйте по примерам без keepdims.)",
                key=key, got=shape, want=params[key].shape)


@check("backward", en="matches the reference gradient", ru="совпадает с эталонным градиентом", weight=2)
def test_backward_matches_reference(submission, reference, rng, tol, expect_params):
    params = reference.init_params(H=3, seed=int(rng.integers(1000)), scale=1.5)
    X = rng.normal(size=(6, 2))
    y = rng.integers(0, 2, size=(6, 1)).astype(float)
    grads = reference.backward(params, X, y)
    expect_params("backward(params, X, y)", {"params": params, "X": X, "y": y},
                  submission.backward(params, X, y), grads, tol, _mistakes(reference, params, X, y, grads))


@check("backward", en="agrees with the numerical gradient on XOR",
       ru="совпадает с численным градиентом на XOR", weight=2)
def test_backward_numerical(submission, reference, rng, tol, expect_params):
    params = reference.init_params(H=4, seed=int(rng.integers(1000)), scale=2.0)
    X, y = reference.XOR_X, reference.XOR_Y
    numeric = reference.numerical_gradient(params, X, y)
    loose = Tolerance(rtol=1e-4, atol=1e-7)  # central differences are exact to about 1e-9 here
    expect_params("backward(params, X_xor, y_xor)", {"params": params, "X": X, "y": y},
                  submission.backward(params, X, y), numeric, loose, _mistakes(reference, params, X, y, numeric))
