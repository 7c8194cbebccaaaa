"""Hidden checks of `Perceptron.forward_pass(X)`: activate(X @ self.w + self.b), a column
(n, 1) of 0/1, with the instance's own weights."""

from __future__ import annotations

import numpy as np

from autograder.checks import Mistake, as_numeric_array, check, expect_close, fail


def _wrong_versions(X: np.ndarray, w: np.ndarray, b: float) -> list[Mistake]:
    scores = X @ w + b
    step = lambda z: (z > 0).astype(float)  # noqa: E731
    return [
        Mistake(step(X @ w), en="The bias is missing: activate(X @ self.w + self.b).",
                ru="Пропущено смещение: activate(X @ self.w + self.b)."),
        Mistake(scores, en="The scores are not passed through the activation: return self.activate(X @ self.w + self.b).",
                ru="Суммы не пропущены через активацию: верните self.activate(X @ self.w + self.b)."),
        Mistake(1.0 - step(scores), en="The classes are swapped: 1 where X @ w + b > 0.",
                ru="Классы перепутаны: 1 там, где X @ w + b > 0."),
    ]


@check("Perceptron.forward_pass", en="matches the reference on random data and weights",
       ru="совпадает с эталоном на случайных данных и весах", weight=2)
def test_forward_random(perceptron, reference, rng, tol):
    for n, m in ((25, 2), (10, 3)):
        X, w, b = rng.normal(size=(n, m)), rng.normal(size=(m, 1)), float(rng.normal())
        want = reference.Perceptron(w=w, b=b).forward_pass(X)
        call = f"Perceptron(w, b={b:.3f}).forward_pass(X)"
        got = as_numeric_array(call, perceptron(w, b).forward_pass(X))
        if got.size == n:  # values here; the shape is test_forward_shape's
            got = got.reshape(n, 1)
        expect_close(call, {"X.shape": X.shape, "w.shape": w.shape}, got, want, tol, _wrong_versions(X, w, b))


@check("Perceptron.forward_pass", en="returns a column (n, 1), also for one object",
       ru="возвращает столбец (n, 1), в том числе для одного объекта", kind="form")
def test_forward_shape(perceptron, fruits):
    X_all, _ = fruits
    w, b = np.array([[-1.0], [1.0]]), -0.2
    for n in (1, 5):
        X = X_all[:n]
        call = f"Perceptron(w=np.array([[-1.0], [1.0]]), b=-0.2).forward_pass(X[:{n}])"
        got = as_numeric_array(call, perceptron(w, b).forward_pass(X))
        if got.shape != (n, 1):
            raise fail("`{call}` returned shape {shape}; expected ({n}, 1): one answer per object, as a column. "
                       "With w of shape (m, 1), X @ self.w + self.b already is (n, 1): do not flatten it.",
                       "`{call}` вернула форму {shape}, а нужна ({n}, 1): по ответу на объект, столбцом. "
                       "При w формы (m, 1) X @ self.w + self.b уже имеет форму (n, 1): не вытягивайте его.",
                       call=call, shape=got.shape, n=n)


@check("Perceptron.forward_pass", en="is activate(X @ self.w + self.b), with your own activate",
       ru="равен activate(X @ self.w + self.b) с вашей же activate")
def test_forward_uses_activate(perceptron, rng, tol):
    """Right even when activate is wrong: that costs points in activate's own question."""
    X, w, b = rng.normal(size=(30, 2)), rng.normal(size=(2, 1)), 0.75
    model = perceptron(w, b)
    call = "Perceptron(w, b=0.75).forward_pass(X)"
    got = as_numeric_array(call, model.forward_pass(X))
    want = as_numeric_array("activate", model.activate(X @ w + b))
    if got.size == want.size:  # the shape is test_forward_shape's
        got = got.reshape(want.shape)
    expect_close(call, {"X.shape": X.shape, "w.shape": w.shape}, got, want, tol, _wrong_versions(X, w, b))
