import numpy as np

from autograder.checks import Mistake, check, expect_close


@check("mse_loss", en="matches the reference on random values",
       ru="совпадает с эталоном на случайных значениях")
def test_mse_random(submission, reference, rng, tol):
    y_pred, y = rng.normal(size=20), rng.normal(size=20)
    expect_close("mse_loss(y_pred, y)", ("y_pred (20,)", "y (20,)"), submission.mse_loss(y_pred, y),
                 reference.mse_loss(y_pred, y), tol, mistakes=[
        Mistake(np.sum((y_pred - y) ** 2), en="Take the mean, not the sum: divide by the number of values.",
                ru="Нужно среднее, а не сумма: поделите на число значений."),
        Mistake(np.mean(np.abs(y_pred - y)), en="This is the mean absolute error; square the differences.",
                ru="Это средняя абсолютная ошибка; возведите разности в квадрат."),
        Mistake(np.sqrt(np.mean((y_pred - y) ** 2)), en="This is the root of the MSE; do not take the square root.",
                ru="Это корень из MSE; корень извлекать не нужно."),
    ])


@check("mse_loss", en="averages the squared differences of lists and 2-D arrays",
       ru="усредняет квадраты разностей для списков и двумерных массивов")
def test_mse_lists_and_matrices(submission, reference, tol):
    for y_pred, y in (([1.0, 2.0, 4.0], [1.0, 0.0, 4.0]), ([[1.0, 2.0], [3.0, 4.0]], [[1.0, 2.0], [3.0, 6.0]])):
        diff = np.asarray(y_pred) - np.asarray(y)
        expect_close("mse_loss(y_pred, y)", (y_pred, y), submission.mse_loss(y_pred, y),
                     reference.mse_loss(y_pred, y), tol, mistakes=[
            Mistake(np.mean(diff) ** 2, en="Square each difference first, then take the mean.",
                    ru="Сначала возведите в квадрат каждую разность, потом усредняйте."),
            Mistake(np.sum(diff ** 2), en="Take the mean, not the sum: divide by the number of values.",
                    ru="Нужно среднее, а не сумма: поделите на число значений."),
        ])
