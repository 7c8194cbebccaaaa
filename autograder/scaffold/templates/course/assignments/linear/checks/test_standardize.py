import numpy as np

from autograder.checks import Mistake, check, expect_close, expect_unchanged


@check("standardize", en="matches the reference on random data",
       ru="совпадает с эталоном на случайных данных", weight=2)
def test_standardize_random(submission, reference, rng, tol):
    X = rng.normal(loc=5.0, scale=3.0, size=(12, 3))
    mean, std = X.mean(axis=0), X.std(axis=0)
    expect_close("standardize(X)", ("X (12, 3)",), submission.standardize(X), reference.standardize(X), tol,
                 mistakes=[
        Mistake((X - X.mean()) / X.std(), en="Use the mean and std of each column: X.mean(axis=0), X.std(axis=0).",
                ru="Берите среднее и отклонение каждого столбца: X.mean(axis=0), X.std(axis=0)."),
        Mistake((X - mean) / X.std(axis=0, ddof=1), en="Use the population std (np.std's default, ddof=0).",
                ru="Используйте стандартное отклонение без поправки (по умолчанию в np.std, ddof=0)."),
        Mistake(X - mean, en="Also divide by the standard deviation of each column.",
                ru="Нужно ещё поделить на стандартное отклонение каждого столбца."),
        Mistake((X - mean) / std ** 2, en="Divide by the standard deviation, not the variance.",
                ru="Делите на стандартное отклонение, а не на дисперсию."),
    ])


@check("standardize", en="does not modify its input", ru="не изменяет свой аргумент", kind="form")
def test_standardize_keeps_input(submission, rng):
    X = rng.normal(size=(5, 2))
    result = submission.call_ex("standardize", (X,), return_args=True)
    expect_unchanged("standardize(X)", "X", X, result.args_after[0])
