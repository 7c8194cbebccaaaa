"""Hidden checks of `mse_loss(y_hat, y)`: the mean (not the sum) of squares, as a float."""

from __future__ import annotations

import numpy as np

from autograder.checks import Mistake, check, expect_close, fail, show


def _data(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    return rng.uniform(0.05, 0.95, size=(n, 1)), rng.integers(0, 2, size=(n, 1)).astype(float)


@check("mse_loss", en="matches the reference", ru="совпадает с эталоном", weight=2)
def test_mse_values(submission, reference, rng, tol):
    y_hat, y = _data(rng, 6)
    expected = reference.mse_loss(y_hat, y)
    got = submission.mse_loss(y_hat, y)
    if np.size(got) == 1:  # an array instead of a float is reported by its own check
        got = np.asarray(got).reshape(())
    diff = y_hat - y
    expect_close("mse_loss(y_hat, y)", {"y_hat": y_hat, "y": y}, got, expected, tol, [
        Mistake(np.sum(diff ** 2), en="this is the sum of the squared errors; take the mean (divide by n).",
                ru="это сумма квадратов ошибок, а нужно среднее (разделите на n)."),
        Mistake(np.mean(diff ** 2) / 2, en="the loss is halved; MSE here is mean((y_hat - y) ** 2) without 1/2.",
                ru="потеря поделена пополам; здесь MSE = mean((y_hat - y) ** 2), без множителя 1/2."),
        Mistake(np.sqrt(np.mean(diff ** 2)), en="this is the root of the MSE (RMSE); do not take the square root.",
                ru="это корень из MSE (RMSE); корень извлекать не нужно."),
        Mistake(np.mean(np.abs(diff)), en="this is the mean absolute error; square the differences.",
                ru="это средняя абсолютная ошибка; возведите разности в квадрат."),
        Mistake(np.mean(diff), en="the differences are not squared.", ru="разности не возведены в квадрат."),
    ])


@check("mse_loss", en="returns a Python float", ru="возвращает число float", kind="form")
def test_mse_returns_float(submission, rng):
    y_hat, y = _data(rng, 4)
    got = submission.mse_loss(y_hat, y)
    if not isinstance(got, float):
        raise fail(
            "`mse_loss(y_hat, y)` must return one Python number (float); it returned {got}. "
            "Convert with float(...), and do not use axis= or keepdims=.",
            "`mse_loss(y_hat, y)` должна вернуть одно число float, а вернула {got}. "
            "Преобразуйте результат через float(...) и не используйте axis= или keepdims=.",
            got=show(got, 80))
