import numpy as np

from autograder.checks import Mistake, check, expect_close, fail
from autograder.exceptions import StudentException

EXTREMES = np.array([-1e4, -1000.0, -710.0, -50.0, 0.0, 50.0, 710.0, 1000.0, 1e4])
STABLE_HINT_EN = ("np.exp overflows for large |x|. Take exp only of -|x| (it is <= 0): for x >= 0 use "
                  "1 / (1 + exp(-x)), for x < 0 use exp(x) / (1 + exp(x)). Note that np.where "
                  "computes both branches on every element, so apply exp to -np.abs(x).")
STABLE_HINT_RU = ("np.exp переполняется при больших |x|. Берите exp только от -|x| (он <= 0): при x >= 0 "
                  "1 / (1 + exp(-x)), при x < 0 exp(x) / (1 + exp(x)). Учтите, что np.where "
                  "вычисляет обе ветки для каждого элемента, поэтому подавайте в exp -np.abs(x).")


@check("sigmoid", en="matches the reference on random inputs", ru="совпадает с эталоном на случайных входах")
def test_sigmoid_random(submission, reference, rng, tol, wrong):
    x = rng.normal(size=50) * 5
    expect_close("sigmoid(x)", (x,), submission.sigmoid(x), reference.sigmoid(x), tol, mistakes=[
        Mistake(wrong(lambda: 1 / (1 + np.exp(x))), en="The sign in the exponent is wrong: sigmoid is 1 / (1 + exp(-x)).",
                ru="Неверный знак в экспоненте: сигмоида — это 1 / (1 + exp(-x))."),
        Mistake(wrong(lambda: 1 / (1 - np.exp(-x))), en="The denominator is 1 + exp(-x), not 1 - exp(-x).",
                ru="В знаменателе 1 + exp(-x), а не 1 - exp(-x)."),
    ])


@check("sigmoid", en="stable for |x| up to 1e4: no NaN, no overflow",
       ru="устойчива при |x| до 1e4: без NaN и переполнения")
def test_sigmoid_stable(submission, reference, tol, wrong, overflow_raises):
    x = EXTREMES
    hints = [Mistake(wrong(formula), en=STABLE_HINT_EN, ru=STABLE_HINT_RU) for formula in (
        lambda: np.exp(x) / (1 + np.exp(x)),               # NaN for large positive x
        lambda: 1 - np.exp(-x) / (1 + np.exp(-x)),         # NaN for large negative x
    )]
    try:
        got = submission.sigmoid(x)
        expect_close("sigmoid(x)", (x,), got, reference.sigmoid(x), tol, mistakes=hints)
        with overflow_raises():
            submission.sigmoid(x)
    except StudentException as error:
        if error.exc_type not in ("FloatingPointError", "OverflowError"):
            raise
        raise fail("`sigmoid(x)` overflows for x = {x}: {detail}.\nHint: {hint_en}",
                   "`sigmoid(x)` переполняется при x = {x}: {detail}.\nПодсказка: {hint_ru}",
                   x="[-1e4, ..., 1e4]", detail=error.message,
                   hint_en=STABLE_HINT_EN, hint_ru=STABLE_HINT_RU) from None


@check("sigmoid", en="works for any array shape and returns float64",
       ru="работает для массива любой формы и возвращает float64")
def test_sigmoid_any_shape(any_shape):
    any_shape("sigmoid")


@check("sigmoid", en="does not modify its input", ru="не изменяет свой аргумент",
       kind="form")
def test_sigmoid_keeps_input(keeps_input, rng):
    keeps_input("sigmoid", rng.normal(size=10))
