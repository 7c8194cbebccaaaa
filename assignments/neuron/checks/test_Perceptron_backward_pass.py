"""Hidden checks of `Perceptron.backward_pass(X, y, y_pred, learning_rate=0.005)`: one
step on self.w and self.b, in place, with the caller's y_pred; returns None.

The state after the call is read back from the jail as data (``self.w``, ``self.b``)
and compared with the reference from the same start.
"""

from __future__ import annotations

import numpy as np

from autograder.checks import Mistake, check, expect_close, fail, show


def _start(rng, n=20, m=2):
    X = rng.normal(size=(n, m))
    w, b = rng.normal(size=(m, 1)), float(rng.normal())
    y = rng.integers(0, 2, size=(n, 1))
    return X, y, w, b


def _step(X, y, y_pred, w, b, lr, *, sign=1.0, mean=True, bias=True):
    """The update, or a common wrong variant of it (flipped sign, sum instead of mean, frozen bias)."""
    n = len(X)
    d = np.asarray(y_pred, dtype=float).reshape(-1, 1) - np.asarray(y, dtype=float).reshape(-1, 1)
    new_w = w - sign * lr * (X.T @ d) / (n if mean else 1)
    new_b = b - sign * lr * (np.mean(d) if mean else np.sum(d)) if bias else b
    return new_w, new_b


def _mistakes(X, y, y_pred, w, b, lr):
    """(w, b) after the usual wrong updates, each with its hint (en, ru)."""
    n = len(X)
    d = np.asarray(y_pred, dtype=float).reshape(-1, 1) - np.asarray(y, dtype=float).reshape(-1, 1)
    return [
        ((w, b), "self.w and self.b did not change: backward_pass must update the perceptron in place "
                 "(self.w = self.w - ..., self.b = self.b - ...), not return new values.",
         "self.w и self.b не изменились: backward_pass должен менять сам перцептрон "
         "(self.w = self.w - ..., self.b = self.b - ...), а не возвращать новые значения."),
        (_step(X, y, y_pred, w, b, lr, sign=-1.0), "The update has the wrong sign: w - learning_rate * X.T @ (y_pred - y) / n.",
         "Неверный знак обновления: w - learning_rate * X.T @ (y_pred - y) / n."),
        (_step(X, y, y_pred, w, b, lr, mean=False), "The gradient is not divided by n: X.T @ (y_pred - y) / n and np.mean(y_pred - y).",
         "Градиент не поделён на n: X.T @ (y_pred - y) / n и np.mean(y_pred - y)."),
        ((w - lr * (X.T @ d), b - lr * np.mean(d)), "The gradient for w is not divided by n: X.T @ (y_pred - y) / n.",
         "Градиент по w не поделён на n: X.T @ (y_pred - y) / n."),
        ((w - (X.T @ d) / n, b - np.mean(d)), "The learning rate is not used: multiply the step by learning_rate.",
         "Скорость обучения не используется: умножьте шаг на learning_rate."),
        (_step(X, y, y_pred, w, b, lr, bias=False), "self.b is not updated: self.b = self.b - learning_rate * np.mean(y_pred - y).",
         "self.b не обновляется: self.b = self.b - learning_rate * np.mean(y_pred - y)."),
    ]


def _expect_state(perceptron, state, tol, X, y, y_pred, w, b, lr, call, args, kwargs, extra=()):
    """Call backward_pass on Perceptron(w, b) and compare self.w, self.b with the reference."""
    model = perceptron(w, b)
    model.backward_pass(*args, **kwargs)
    got_w, got_b = state(model, call)
    want_w, want_b = _step(X, y, y_pred, w, b, lr)
    wrong = [*extra, *_mistakes(X, y, y_pred, w, b, lr)]
    if got_w.size == want_w.size and got_w.shape != want_w.shape and got_w.ndim <= 2:
        raise fail("After `{call}`, self.w has shape {shape}; it must stay a column {want}.",
                   "После `{call}` self.w имеет форму {shape}, а должен остаться столбцом {want}.",
                   call=call, shape=got_w.shape, want=want_w.shape)
    if got_w.shape != want_w.shape:
        raise fail("After `{call}`, self.w has shape {shape} instead of {want}. y_pred (n, 1) - y (n,) is an "
                   "(n, n) matrix: reshape y to a column first, y = np.array(y).reshape(-1, 1).",
                   "После `{call}` self.w имеет форму {shape} вместо {want}. y_pred (n, 1) - y (n,) — это "
                   "матрица (n, n): сначала приведите y к столбцу, y = np.array(y).reshape(-1, 1).",
                   call=call, shape=got_w.shape, want=want_w.shape)
    inputs = {f"{name}.shape": np.shape(value) for name, value in zip(("X", "y", "y_pred"), args)}
    inputs.update({"w.shape": np.shape(w), "b": b})
    expect_close(f"{call}: self.w", inputs, got_w, want_w, tol,
                 [Mistake(v[0], en=en, ru=ru) for v, en, ru in wrong])
    b_hints = [Mistake(np.reshape(v[1], ()), en=en, ru=ru) for v, en, ru in wrong] + [
        Mistake(np.reshape(want_b, (1,) * k), en="self.b must stay a number: np.mean(y_pred - y), without axis=.",
                ru="self.b должно оставаться числом: np.mean(y_pred - y), без axis=.") for k in (1, 2)]
    expect_close(f"{call}: self.b", inputs, got_b, want_b, tol, b_hints)


@check("Perceptron.backward_pass", en="updates self.w and self.b like the reference",
       ru="обновляет self.w и self.b как эталон", weight=2)
def test_backward_updates_state(perceptron, reference, state, rng, tol):
    for n, m, lr in ((20, 2, 0.1), (12, 3, 0.5)):
        X, y, w, b = _start(rng, n, m)
        y_pred = reference.Perceptron(w=w, b=b).forward_pass(X)
        call = f"Perceptron(w, b).backward_pass(X, y, y_pred, learning_rate={lr})"
        _expect_state(perceptron, state, tol, X, y, y_pred, w, b, lr, call, (X, y, y_pred), {"learning_rate": lr})


@check("Perceptron.backward_pass", en="returns nothing (None): it changes the perceptron",
       ru="ничего не возвращает (None): он меняет сам перцептрон", kind="form")
def test_backward_returns_none(perceptron, reference, rng):
    X, y, w, b = _start(rng)
    y_pred = reference.Perceptron(w=w, b=b).forward_pass(X)
    got = perceptron(w, b).backward_pass(X, y, y_pred, 0.1)
    if got is not None:
        raise fail("`Perceptron.backward_pass(X, y, y_pred, 0.1)` returned {got}; it must return nothing. "
                   "It changes self.w and self.b; remove the return.",
                   "`Perceptron.backward_pass(X, y, y_pred, 0.1)` вернула {got}, а не должна ничего возвращать. "
                   "Она меняет self.w и self.b; уберите return.", got=show(got, 80))


@check("Perceptron.backward_pass", en="y may come as a vector (n,)", ru="y может прийти вектором (n,)")
def test_backward_flat_y(perceptron, reference, state, rng, tol):
    X, y, w, b = _start(rng, 15, 2)
    y_pred = reference.Perceptron(w=w, b=b).forward_pass(X)
    call = "Perceptron(w, b).backward_pass(X, y.ravel(), y_pred, learning_rate=0.1)"
    _expect_state(perceptron, state, tol, X, y, y_pred, w, b, 0.1, call, (X, y.ravel(), y_pred),
                  {"learning_rate": 0.1})


@check("Perceptron.backward_pass", en="uses the y_pred it is given", ru="использует переданный y_pred")
def test_backward_uses_given_prediction(perceptron, reference, state, rng, tol):
    X, y, w, b = _start(rng, 16, 2)
    own = reference.Perceptron(w=w, b=b).forward_pass(X)
    y_pred = 1 - own  # every answer flipped: nothing like forward_pass(X)
    recomputed = (_step(X, y, own, w, b, 0.1),
                  "backward_pass must use the y_pred it is given, not compute self.forward_pass(X) again.",
                  "backward_pass должен использовать переданный y_pred, а не считать self.forward_pass(X) заново.")
    call = "Perceptron(w, b).backward_pass(X, y, y_pred, learning_rate=0.1)"
    _expect_state(perceptron, state, tol, X, y, y_pred, w, b, 0.1, call, (X, y, y_pred),
                  {"learning_rate": 0.1}, extra=[recomputed])


@check("Perceptron.backward_pass", en="the default learning_rate is 0.005", ru="по умолчанию learning_rate = 0.005")
def test_backward_default_rate(perceptron, reference, state, rng, tol):
    X, y, w, b = _start(rng, 10, 2)
    y_pred = reference.Perceptron(w=w, b=b).forward_pass(X)
    others = [(_step(X, y, y_pred, w, b, lr), "Keep the signature backward_pass(self, X, y, y_pred, learning_rate=0.005).",
               "Сохраните сигнатуру backward_pass(self, X, y, y_pred, learning_rate=0.005).")
              for lr in (0.001, 0.01, 0.05, 0.1, 0.5, 1.0)]
    call = "Perceptron(w, b).backward_pass(X, y, y_pred)"
    _expect_state(perceptron, state, tol, X, y, y_pred, w, b, 0.005, call, (X, y, y_pred), {}, extra=others)
