import numpy as np

from autograder.checks import Mistake, check, expect_close


@check("relu", en="matches the reference on random inputs", ru="совпадает с эталоном на случайных входах")
def test_relu_random(submission, reference, rng, tol):
    x = rng.normal(size=40) * 3
    expect_close("relu(x)", (x,), submission.relu(x), reference.relu(x), tol, mistakes=[
        Mistake(np.minimum(x, 0), en="np.minimum keeps the negative part; ReLU is np.maximum(x, 0).",
                ru="np.minimum оставляет отрицательную часть; ReLU — это np.maximum(x, 0)."),
        Mistake(np.maximum(x, 0.01 * x), en="This is Leaky ReLU; plain ReLU gives exactly 0 for negative x.",
                ru="Это Leaky ReLU; обычная ReLU даёт ровно 0 для отрицательных x."),
        Mistake(np.abs(x), en="ReLU is max(x, 0), not |x|: negative inputs give 0.",
                ru="ReLU — это max(x, 0), а не |x|: для отрицательных входов ответ 0."),
        Mistake(np.max(x), en="np.max(x, 0) is the largest element (a reduction); ReLU is np.maximum(x, 0).",
                ru="np.max(x, 0) — это наибольший элемент (свёртка массива); ReLU — это np.maximum(x, 0)."),
        Mistake(np.where(x > 0, 1.0, 0.0), en="This is the derivative of ReLU, not ReLU itself.",
                ru="Это производная ReLU, а не сама ReLU."),
    ])


@check("relu", en="handles 0 and ±infinity without NaN", ru="правильно обрабатывает 0 и ±бесконечность без NaN")
def test_relu_extremes(submission, reference, tol):
    x = np.array([0.0, -0.0, 1e300, -1e300, np.inf, -np.inf])
    expect_close("relu(x)", (x,), submission.relu(x), reference.relu(x), tol, mistakes=[
        Mistake([0.0, 0.0, 1e300, 0.0, np.inf, np.nan],
                en="x * (x > 0) gives NaN for -inf (inf * 0); use np.maximum(x, 0.0).",
                ru="x * (x > 0) даёт NaN для -inf (inf * 0); используйте np.maximum(x, 0.0)."),
        Mistake([0.0, 0.0, np.inf, 0.0, np.inf, np.nan],
                en="(x + |x|) / 2 overflows for huge x and gives NaN for -inf; use np.maximum(x, 0.0).",
                ru="(x + |x|) / 2 переполняется на больших x и даёт NaN для -inf; используйте np.maximum(x, 0.0)."),
    ])


@check("relu", en="works for any array shape and returns float64",
       ru="работает для массива любой формы и возвращает float64")
def test_relu_any_shape(any_shape):
    any_shape("relu")


@check("relu", en="does not modify its input", ru="не изменяет свой аргумент",
       kind="form")
def test_relu_keeps_input(keeps_input, rng):
    keeps_input("relu", rng.normal(size=10))
