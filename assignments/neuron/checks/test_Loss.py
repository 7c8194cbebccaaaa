"""Hidden checks of `Loss(y_pred, y)` = 0.5 * mean((y_pred - y) ** 2), both as columns."""

from __future__ import annotations

import numpy as np

from autograder.checks import Mistake, as_numeric_array, check, expect_close, fail


def _wrong_versions(y_pred: np.ndarray, y: np.ndarray) -> list[Mistake]:
    d = y_pred.reshape(-1, 1) - np.asarray(y, dtype=float).reshape(-1, 1)
    return [
        Mistake(np.mean(d ** 2), en="The factor 1/2 is missing: Loss = 0.5 * mean((y_pred - y) ** 2).",
                ru="Пропущен множитель 1/2: Loss = 0.5 * mean((y_pred - y) ** 2)."),
        Mistake(0.5 * np.sum(d ** 2), en="The sum is not divided by n: take the mean, np.mean(...), not np.sum(...).",
                ru="Сумма не поделена на n: нужно среднее, np.mean(...), а не np.sum(...)."),
        Mistake(0.5 * np.mean(np.abs(d)), en="The differences must be squared: (y_pred - y) ** 2.",
                ru="Разности нужно возвести в квадрат: (y_pred - y) ** 2."),
        Mistake(np.sqrt(np.mean(d ** 2)), en="No square root: Loss = 0.5 * mean((y_pred - y) ** 2).",
                ru="Корень не нужен: Loss = 0.5 * mean((y_pred - y) ** 2)."),
    ]


def _value(got):
    """A one-element array as the number it holds: its shape is the business of
    test_loss_is_a_number alone."""
    if isinstance(got, np.ndarray) and got.size == 1:
        return got.reshape(())
    return got


def _broadcast(y_pred: np.ndarray, y: np.ndarray) -> Mistake:
    """What y_pred (n, 1) - y (n,) gives without reshaping: an (n, n) matrix of differences."""
    wrong = 0.5 * np.mean((y_pred.reshape(-1, 1) - np.asarray(y, dtype=float).reshape(1, -1)) ** 2)
    return Mistake(wrong, en="y came as a list or a vector (n,), and y_pred - y became an (n, n) matrix. "
                             "Reshape both to columns first: y = np.array(y).reshape(-1, 1).",
                   ru="y пришёл списком или вектором (n,), и y_pred - y превратилось в матрицу (n, n). "
                      "Сначала приведите оба к столбцам: y = np.array(y).reshape(-1, 1).")


@check("Loss", en="matches the reference on random columns", ru="совпадает с эталоном на случайных столбцах",
       weight=2)
def test_loss_random(submission, reference, rng, tol):
    for n in (7, 40):
        y_pred, y = rng.normal(size=(n, 1)), rng.integers(0, 2, size=(n, 1)).astype(float)
        expect_close("Loss(y_pred, y)", {"y_pred.shape": (n, 1), "y.shape": (n, 1)}, _value(submission.Loss(y_pred, y)),
                     reference.Loss(y_pred, y), tol, _wrong_versions(y_pred, y))


@check("Loss", en="y may be a list, (n,) or (n, 1), and y_pred (n,) or (n, 1)",
       ru="y может быть списком, (n,) или (n, 1), а y_pred — (n,) или (n, 1)")
def test_loss_shapes_of_y(submission, reference, rng, tol):
    n = 12
    y_pred = rng.normal(size=(n, 1))  # not 0/1: the loss is then no round number a constant could hit
    column = rng.integers(0, 2, size=(n, 1)).astype(float)
    # each call as code (y a column, a vector, a list); the inputs by their shapes
    for shown, y in (("y", column), ("y.ravel()", column.ravel()), ("y.ravel().tolist()", column.ravel().tolist())):
        call = f"Loss(y_pred, {shown})"
        inputs = {"y_pred.shape": y_pred.shape, "y.shape": column.shape}
        expect_close(call, inputs, _value(submission.Loss(y_pred, y)), reference.Loss(y_pred, y), tol,
                     [_broadcast(y_pred, y), *_wrong_versions(y_pred, column)])
    flat = y_pred.ravel()  # y_pred may come as a vector too: both are made columns
    wrong = 0.5 * np.mean((flat.reshape(1, -1) - column) ** 2)
    expect_close("Loss(y_pred.ravel(), y)", {"y_pred.shape": y_pred.shape, "y.shape": column.shape},
                 _value(submission.Loss(flat, column)),
                 reference.Loss(flat, column), tol, [Mistake(
                     wrong, en="y_pred came as a vector (n,), and y_pred - y became an (n, n) matrix. Reshape "
                               "both to columns first: y_pred = np.asarray(y_pred).reshape(-1, 1).",
                     ru="y_pred пришёл вектором (n,), и y_pred - y превратилось в матрицу (n, n). Сначала "
                        "приведите оба к столбцам: y_pred = np.asarray(y_pred).reshape(-1, 1).")])


@check("Loss", en="returns a number", ru="возвращает число", kind="form")
def test_loss_is_a_number(submission):
    y_pred, y = np.array([[1.0], [0.0], [1.0]]), np.array([[1.0], [1.0], [1.0]])
    call = "Loss(np.array([[1.0], [0.0], [1.0]]), np.array([[1.0], [1.0], [1.0]]))"
    value = as_numeric_array(call, submission.Loss(y_pred, y), "a number")
    if value.shape != ():
        raise fail("`{call}` returned an array of shape {shape}; the loss is one number. "
                   "np.mean(...) of the squared differences gives it (not a matrix product like d.T @ d).",
                   "`{call}` вернула массив формы {shape}, а функция потерь — одно число. "
                   "Его даёт np.mean(...) от квадратов разностей (а не матричное произведение вроде d.T @ d).",
                   call=call, shape=value.shape)
