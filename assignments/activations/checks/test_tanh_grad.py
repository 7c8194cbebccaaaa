import numpy as np

from autograder.checks import Mistake, check, expect_close


def no_square(x):
    return [Mistake(1 - np.tanh(x), en="The square is missing: the derivative is 1 - tanh(x)**2.",
                    ru="Пропущен квадрат: производная — это 1 - tanh(x)**2.")]

EXTREMES = np.array([-1e4, -800.0, -20.0, 0.0, 20.0, 800.0, 1e4])


@check("tanh_grad", en="matches the reference on random inputs", ru="совпадает с эталоном на случайных входах")
def test_tanh_grad_random(submission, reference, rng, tol):
    x = rng.normal(size=50) * 2
    t = np.tanh(x)
    expect_close("tanh_grad(x)", (x,), submission.tanh_grad(x), reference.tanh_grad(x), tol, mistakes=[
        *no_square(x),
        Mistake(1 - x ** 2, en="tanh_grad takes x, not tanh(x): compute 1 - np.tanh(x)**2.",
                ru="tanh_grad получает x, а не tanh(x): вычисляйте 1 - np.tanh(x)**2."),
        Mistake(t ** 2 - 1, en="The sign is flipped: the derivative is 1 - tanh(x)**2 (it is positive).",
                ru="Перепутан знак: производная — это 1 - tanh(x)**2 (она положительна)."),
    ])


@check("tanh_grad", en="finite for |x| up to 1e4 (1 at 0, 0 far away)", ru="конечна при |x| до 1e4 (1 в нуле, 0 вдали)")
def test_tanh_grad_extremes(submission, reference, tol, wrong):
    x = EXTREMES
    expect_close("tanh_grad(x)", (x,), submission.tanh_grad(x), reference.tanh_grad(x), tol, mistakes=[
        *no_square(x),
        Mistake(wrong(lambda: 1 - ((np.exp(x) - np.exp(-x)) / (np.exp(x) + np.exp(-x))) ** 2),
                en="tanh written through exp gives NaN for large |x|; use np.tanh.",
                ru="tanh через exp даёт NaN при больших |x|; используйте np.tanh."),
    ])


@check("tanh_grad", en="works for any array shape and returns float64",
       ru="работает для массива любой формы и возвращает float64")
def test_tanh_grad_any_shape(any_shape):
    any_shape("tanh_grad", no_square)


@check("tanh_grad", en="does not modify its input", ru="не изменяет свой аргумент",
       kind="form")
def test_tanh_grad_keeps_input(keeps_input, rng):
    keeps_input("tanh_grad", rng.normal(size=10))
