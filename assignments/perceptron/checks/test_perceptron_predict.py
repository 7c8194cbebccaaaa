import numpy as np

from autograder.checks import Mistake, check, expect_close, fail
from autograder.checks import as_numeric_array, shown_type
from autograder.exceptions import StudentException


def _wrong_predictions(X, w, b, expected):
    return [
        Mistake(np.sign(X @ w + b), en="Labels are 0 and 1, not -1 and 1: return step(X @ w + b).",
                ru="Метки — 0 и 1, а не -1 и 1: верните step(X @ w + b)."),
        Mistake(1.0 - expected, en="The classes are swapped: 1 where X @ w + b >= 0.",
                ru="Классы перепутаны: 1 там, где X @ w + b >= 0."),
        Mistake(np.where(X @ w >= 0, 1.0, 0.0), en="The bias b is missing: use X @ w + b.",
                ru="Пропущено смещение b: используйте X @ w + b."),
        Mistake(np.where(X[:, 0] * w[0] + X[:, 1] * w[1] + b >= 0, 1.0, 0.0),
                en="Only the first two features are used: write X @ w + b, it works for any d.",
                ru="Используются только два первых признака: пишите X @ w + b, это работает для любого d."),
        Mistake(X @ w + b, en="Apply the step function to the scores X @ w + b.",
                ru="Примените ступенчатую функцию к X @ w + b."),
    ]


def _telling_data(rng, reference):
    """Random data (inputs differ per submission) on which every known mistake answers
    differently from the reference: redrawn until so, so no draw lets one pass."""
    for _ in range(100):
        X, w, b = rng.normal(size=(20, 3)), rng.normal(size=3), float(rng.normal())
        expected = reference.perceptron_predict(w, b, X)
        if all(not np.array_equal(m.value, expected) for m in _wrong_predictions(X, w, b, expected)):
            break
    return X, w, b, expected


@check("perceptron_predict", en="matches the reference on random data",
       ru="совпадает с эталоном на случайных данных")
def test_predict_random(submission, reference, rng, tol):
    X, w, b, expected = _telling_data(rng, reference)
    expect_close("perceptron_predict(w, b, X)", (w, b, "X (20, 3)"), submission.perceptron_predict(w, b, X),
                 expected, tol, mistakes=_wrong_predictions(X, w, b, expected))


@check("perceptron_predict", en="a point on the boundary (X @ w + b = 0) is class 1",
       ru="точка на границе (X @ w + b = 0) относится к классу 1")
def test_predict_boundary(submission, reference, tol):
    # scores 0, 2, 1, 5, 1, 0, -1: a constant answer cannot pass
    X = np.array([[1.0, 2.0], [2.0, 1.0], [0.0, 0.0], [3.0, -1.0], [-1.0, -1.0], [2.0, 3.0], [0.0, 2.0]])
    w, b = np.array([1.0, -1.0]), 1.0
    scores = X @ w + b
    expect_close("perceptron_predict(w, b, X)", (w, b, X), submission.perceptron_predict(w, b, X),
                 reference.perceptron_predict(w, b, X), tol, mistakes=[
        Mistake(np.where(scores > 0, 1.0, 0.0), en="step(0) must be 1: use >= 0, not > 0.",
                ru="step(0) должна быть 1: используйте >= 0, а не > 0."),
    ])


def _as_code(value):
    """An argument as the student would write it (``np.array([[1.0, 1.0]])``, ``[1, -2]``):
    code reads the same in every language, where "X of shape (1, 2)" was English in Russian."""
    return f"np.array({value.tolist()})" if isinstance(value, np.ndarray) else repr(value)


@check("perceptron_predict", en="returns a float array of shape (n,), also for list input",
       ru="возвращает массив float формы (n,), в том числе для входа-списка")
def test_predict_shape(submission, reference, tol):
    cases = [
        (np.array([0.5, -1.0]), 0.0, np.array([[1.0, 1.0]])),
        (np.array([1.0, 1.0]), -0.5, np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]])),
        ([1, -2], 2, [[3, 1], [0, 2], [1, 1]]),
    ]
    for w, b, X in cases:
        n = len(X)
        call = f"perceptron_predict({_as_code(w)}, {b}, {_as_code(X)})"
        try:
            got = submission.perceptron_predict(w, b, X)
        except StudentException as error:
            if not isinstance(X, list) or error.exc_type != "TypeError":
                raise
            raise fail("`{call}` raised TypeError: {message}. X and w may come as Python lists: "
                       "convert them first, X = np.asarray(X, dtype=float).",
                       "`{call}` выбросила TypeError: {message}. X и w могут прийти списками Python: "
                       "сначала преобразуйте их, X = np.asarray(X, dtype=float).",
                       call=call, message=error.message) from None
        if isinstance(got, (list, tuple)):
            raise fail("`{call}` returned a Python {kind}; return a NumPy array.",
                       "`{call}` вернула питоновский {kind}; верните массив NumPy.",
                       call=call, kind=shown_type(got))
        array = as_numeric_array(call, got)
        if array.shape != (n,):
            raise fail("`{call}` returned shape {got}; expected ({n},), one prediction per row of X. "
                       "Use X @ w with w of shape (d,), without reshaping it into a column.",
                       "`{call}` вернула форму {got}; ожидалась ({n},), по одному ответу на строку X. "
                       "Используйте X @ w с w формы (d,), не превращая w в столбец.",
                       call=call, got=array.shape, n=n)
        if array.dtype.kind != "f":
            raise fail("`{call}` returned dtype {dtype}; expected float64 (0.0 / 1.0), "
                       "e.g. np.where(scores >= 0, 1.0, 0.0).",
                       "`{call}` вернула тип элементов {dtype}; ожидался float64 (0.0 / 1.0), "
                       "например np.where(scores >= 0, 1.0, 0.0).",
                       call=call, dtype=array.dtype)
        expect_close(call, (w, b, X), got, reference.perceptron_predict(w, b, X), tol)
