"""Hidden checks of `Perceptron.activate(x)`: 1 where x > 0 (strictly), else 0, of the
shape of x, for arrays of any integer or float dtype and for a single number."""

from __future__ import annotations

import numpy as np

from autograder.checks import CheckFailed, Mistake, as_numeric_array, check, expect_close, expect_unchanged, fail
from autograder.exceptions import StudentException


def _wrong_versions(x: np.ndarray) -> list[Mistake]:
    x = np.asarray(x, dtype=float)
    return [
        Mistake(np.where(x >= 0, 1.0, 0.0), en="The inequality is strict: 1 where x > 0, so activate(0) is 0 (not >=).",
                ru="Неравенство строгое: 1 там, где x > 0, поэтому activate(0) равно 0 (не >=)."),
        Mistake(np.sign(x), en="Not the sign: the answers are 0 and 1, never -1 (1 where x > 0, else 0).",
                ru="Это не знак числа: ответы 0 и 1, без -1 (1 там, где x > 0, иначе 0)."),
        Mistake(np.where(x > 0, 0.0, 1.0), en="The classes are swapped: 1 where x > 0, else 0.",
                ru="Классы перепутаны: 1 там, где x > 0, иначе 0."),
        Mistake(1.0 / (1.0 + np.exp(-x)), en="This is the sigmoid; the perceptron's activation is the threshold "
                                           "1 where x > 0, else 0.",
                ru="Это сигмоида, а у перцептрона пороговая активация: 1 там, где x > 0, иначе 0."),
        Mistake(np.maximum(x, 0.0), en="This is ReLU; the answer is 1 (not x) where x > 0.",
                ru="Это ReLU, а там, где x > 0, ответ 1 (а не x)."),
    ]


def _expect(perceptron, call, x, reference, tol):
    want = reference.Perceptron().activate(x)
    flat = np.asarray(x, dtype=float).reshape(-1)
    mistakes = [Mistake(np.asarray(m.value).reshape(np.shape(x)), en=m.en, ru=m.ru) for m in _wrong_versions(flat)]
    mistakes += [Mistake(want.reshape(shape), en="activate must keep the shape of x: do not flatten or reshape it.",
                         ru="activate должна сохранять форму x: не делайте flatten и reshape.")
                 for shape in {(want.size,), (want.size, 1), (1, want.size)} if shape != want.shape]
    expect_close(call, x, perceptron.activate(x), want, tol, mistakes)


@check("Perceptron.activate", en="matches the reference on random arrays, float and integer",
       ru="совпадает с эталоном на случайных массивах, вещественных и целых", weight=2)
def test_activate_random(perceptron, reference, rng, tol):
    model = perceptron()
    cases = [
        ("x (20, 1) float64", rng.normal(size=(20, 1))),
        ("x (15,) float64", rng.normal(size=15) * 3),
        ("x (4, 3) float32", rng.normal(size=(4, 3)).astype(np.float32)),
        ("x (12, 1) int64", rng.integers(-5, 6, size=(12, 1)).astype(np.int64)),
        ("x (9,) int32", rng.integers(-3, 4, size=9).astype(np.int32)),
    ]
    for label, x in cases:
        _expect(model, f"Perceptron.activate({label})", x, reference, tol)


@check("Perceptron.activate", en="activate(0) is 0: the inequality is strict",
       ru="activate(0) равно 0: неравенство строгое")
def test_activate_boundary(perceptron, reference, tol):
    model = perceptron()
    for x in (np.array([[-1.5], [0.0], [0.0], [2.0]]), np.array([0, 3, -2, 0], dtype=np.int64)):
        _expect(model, f"Perceptron.activate({x.ravel().tolist()})", x, reference, tol)


@check("Perceptron.activate", en="works on a single number: activate(0) is 0, activate(2.5) is 1",
       ru="работает на одном числе: activate(0) равно 0, activate(2.5) равно 1")
def test_activate_number(perceptron):
    model = perceptron()
    for x, want in ((0, 0), (2.5, 1), (-1, 0), (0.0, 0)):
        call = f"Perceptron.activate({x!r})"
        try:
            got = model.activate(x)
        except StudentException as error:
            if error.not_implemented:
                raise
            raise fail("`{call}` raised {exc_type}: {message}. x may be a single number too: "
                       "np.array(x > 0, dtype=np.int64) works for numbers and arrays alike "
                       "(x.copy() and x[x > 0] = ... do not).",
                       "`{call}` выбросила {exc_type}: {message}. x может быть и одним числом: "
                       "np.array(x > 0, dtype=np.int64) работает и для чисел, и для массивов "
                       "(а x.copy() и x[x > 0] = ... — нет).",
                       call=call, exc_type=error.exc_type, message=error.message) from None
        value = as_numeric_array(call, got, "a number")
        if value.size != 1 or float(value.reshape(())) != want:
            raise fail("`{call}` returned {got}; expected {want} (1 only where x > 0).",
                       "`{call}` вернула {got}, а ожидалось {want} (1 только там, где x > 0).",
                       call=call, got=value.tolist(), want=want)


@check("Perceptron.activate", en="does not change its argument", ru="не изменяет свой аргумент",
       kind="form")
def test_activate_keeps_input(submission, perceptron, rng):
    model = perceptron()
    for x in (rng.normal(size=(6, 1)), np.array([-2, 0, 3, 1], dtype=np.int64)):
        result = submission.call_ex(model.activate, (x.copy(),), return_args=True)
        assert result.args_after is not None
        try:
            expect_unchanged("Perceptron.activate(x)", "x", x, result.args_after[0])
        except CheckFailed:
            raise fail("`Perceptron.activate(x)` changed x itself (x[x > 0] = 1 writes into the caller's array). "
                       "Build a new array: np.array(x > 0, dtype=np.int64).",
                       "`Perceptron.activate(x)` изменила сам x (x[x > 0] = 1 пишет в массив вызывающего). "
                       "Создайте новый массив: np.array(x > 0, dtype=np.int64).") from None
