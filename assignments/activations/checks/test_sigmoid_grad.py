import numpy as np

from autograder.checks import Mistake, check, expect_close

EXTREMES = np.array([-1e4, -710.0, -50.0, 0.0, 50.0, 710.0, 1e4])


def no_product(reference):
    return lambda x: [Mistake(reference.sigmoid(x),
                              en="You returned sigmoid(x) itself; the derivative is sigmoid(x) * (1 - sigmoid(x)).",
                              ru="Вы вернули саму sigmoid(x); производная — это sigmoid(x) * (1 - sigmoid(x)).")]


@check("sigmoid_grad", en="matches the reference on random inputs", ru="совпадает с эталоном на случайных входах")
def test_sigmoid_grad_random(submission, reference, rng, tol):
    x = rng.normal(size=50) * 4
    s = reference.sigmoid(x)
    expect_close("sigmoid_grad(x)", (x,), submission.sigmoid_grad(x), reference.sigmoid_grad(x), tol, mistakes=[
        *no_product(reference)(x),
        Mistake(x * (1 - x), en="sigmoid_grad takes x, not sigmoid(x): compute s = sigmoid(x) first, then s * (1 - s).",
                ru="sigmoid_grad получает x, а не sigmoid(x): сначала s = sigmoid(x), затем s * (1 - s)."),
        Mistake(1 - s, en="The product is missing: the derivative is sigmoid(x) * (1 - sigmoid(x)).",
                ru="Пропущено произведение: производная — это sigmoid(x) * (1 - sigmoid(x))."),
    ])


@check("sigmoid_grad", en="finite for |x| up to 1e4 (0.25 at 0, 0 far away)",
       ru="конечна при |x| до 1e4 (0.25 в нуле, 0 вдали)")
def test_sigmoid_grad_extremes(submission, reference, tol, wrong):
    x = EXTREMES
    expect_close("sigmoid_grad(x)", (x,), submission.sigmoid_grad(x), reference.sigmoid_grad(x), tol, mistakes=[
        *no_product(reference)(x),
        Mistake(wrong(lambda: np.exp(-x) / (1 + np.exp(-x)) ** 2),
                en="exp(-x) / (1 + exp(-x))**2 gives inf / inf = NaN for large negative x; "
                   "use s * (1 - s) with your stable sigmoid.",
                ru="exp(-x) / (1 + exp(-x))**2 даёт inf / inf = NaN при больших отрицательных x; "
                   "используйте s * (1 - s) с вашей устойчивой сигмоидой."),
    ])


@check("sigmoid_grad", en="works for any array shape and returns float64",
       ru="работает для массива любой формы и возвращает float64")
def test_sigmoid_grad_any_shape(any_shape, reference):
    any_shape("sigmoid_grad", no_product(reference))


@check("sigmoid_grad", en="does not modify its input", ru="не изменяет свой аргумент",
       kind="form")
def test_sigmoid_grad_keeps_input(keeps_input, rng):
    keeps_input("sigmoid_grad", rng.normal(size=10))
