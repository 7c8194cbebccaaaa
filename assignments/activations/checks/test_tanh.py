import numpy as np

from autograder.checks import Mistake, check, expect_close

EXTREMES = np.array([-1e4, -800.0, -20.0, 0.0, 20.0, 800.0, 1e4])


@check("tanh", en="matches the reference on random inputs", ru="совпадает с эталоном на случайных входах")
def test_tanh_random(submission, reference, rng, tol):
    x = rng.normal(size=50) * 2
    expect_close("tanh(x)", (x,), submission.tanh(x), reference.tanh(x), tol, mistakes=[
        Mistake(2 * reference.sigmoid(x) - 1, en="tanh(x) = 2 * sigmoid(2x) - 1, not 2 * sigmoid(x) - 1.",
                ru="tanh(x) = 2 * sigmoid(2x) - 1, а не 2 * sigmoid(x) - 1."),
        Mistake(reference.sigmoid(x), en="This is the sigmoid; tanh ranges over (-1, 1).",
                ru="Это сигмоида; tanh принимает значения в (-1, 1)."),
    ])


@check("tanh", en="finite for |x| up to 1e4 (±1 far away)", ru="конечна при |x| до 1e4 (±1 вдали)")
def test_tanh_extremes(submission, reference, tol, wrong):
    x = EXTREMES
    expect_close("tanh(x)", (x,), submission.tanh(x), reference.tanh(x), tol, mistakes=[
        Mistake(wrong(lambda: (np.exp(x) - np.exp(-x)) / (np.exp(x) + np.exp(-x))),
                en="(e^x - e^-x) / (e^x + e^-x) gives inf / inf = NaN for large |x|; use np.tanh.",
                ru="(e^x - e^-x) / (e^x + e^-x) даёт inf / inf = NaN при больших |x|; используйте np.tanh."),
    ])


@check("tanh", en="works for any array shape and returns float64",
       ru="работает для массива любой формы и возвращает float64")
def test_tanh_any_shape(any_shape):
    any_shape("tanh")


@check("tanh", en="does not modify its input", ru="не изменяет свой аргумент",
       kind="form")
def test_tanh_keeps_input(keeps_input, rng):
    keeps_input("tanh", rng.normal(size=10))
