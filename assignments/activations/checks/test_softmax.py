import numpy as np

from autograder.checks import Mistake, check, expect_close, fail
from autograder.exceptions import StudentException

KEEPDIMS_EN = ("For a 2-d input, reduce along the last axis with keepdims=True "
               "(np.sum(e, axis=-1, keepdims=True)), so that every row sums to 1.")
KEEPDIMS_RU = ("Для двумерного входа суммируйте вдоль последней оси с keepdims=True "
               "(np.sum(e, axis=-1, keepdims=True)), чтобы каждая строка давала в сумме 1.")


@check("softmax", en="matches the reference on random vectors and returns float64",
       ru="совпадает с эталоном на случайных векторах и возвращает float64")
def test_softmax_random(submission, reference, rng, tol, wrong, float_array):
    z = rng.normal(size=12) * 3
    got = submission.softmax(z)
    expect_close("softmax(z)", (z,), got, reference.softmax(z), tol, mistakes=[
        Mistake(wrong(lambda: z / np.sum(z)), en="The exponent is missing: softmax is exp(z) / sum(exp(z)).",
                ru="Пропущена экспонента: softmax — это exp(z) / sum(exp(z))."),
        Mistake(np.exp(z), en="The result is not normalised: divide by the sum of exp(z).",
                ru="Результат не нормирован: разделите на сумму exp(z)."),
        Mistake(np.log(reference.softmax(z)), en="This is log-softmax; return the probabilities themselves.",
                ru="Это log-softmax; верните сами вероятности."),
    ])
    float_array("softmax(z)", got, z.shape)


@check("softmax", en="stable for large |z|: softmax([1000, 1000]) = [0.5, 0.5]",
       ru="устойчива при больших |z|: softmax([1000, 1000]) = [0.5, 0.5]")
def test_softmax_stable(submission, reference, tol, wrong):
    hint_en = ("exp(1000) overflows to inf and inf / inf is NaN. Subtract the maximum first: "
               "e = np.exp(z - np.max(z, axis=-1, keepdims=True)); the result does not change.")
    hint_ru = ("exp(1000) переполняется до inf, а inf / inf = NaN. Сначала вычтите максимум: "
               "e = np.exp(z - np.max(z, axis=-1, keepdims=True)); результат от этого не меняется.")
    inputs = (np.array([1000.0, 1000.0]), np.array([1000.0, 0.0, -1000.0]), np.array([-1000.0, -1000.0]))
    replies = submission.call_many([("softmax", (z,), {}) for z in inputs])  # one round trip
    for z, reply in zip(inputs, replies):
        expect_close("softmax(z)", (z,), reply.get(), reference.softmax(z), tol, mistakes=[
            Mistake(wrong(lambda: np.exp(z) / np.sum(np.exp(z))), en=hint_en, ru=hint_ru),
        ])


@check("softmax", en="2-d and 3-d input: softmax along the last axis",
       ru="двумерный и трёхмерный вход: softmax вдоль последней оси")
def test_softmax_last_axis(submission, reference, rng, tol, wrong, float_array):
    # the last input's rows are far apart: only the maximum of each row keeps them finite
    wide = np.array([[1000.0, 999.0, 998.0], [-1000.0, -1001.0, -1000.0]])
    inputs = (((3, 4), rng.normal(size=(3, 4)) * 2), ((2, 2, 3), rng.normal(size=(2, 2, 3)) * 2), ((2, 3), wide))
    replies = submission.call_many([("softmax", (z,), {}) for _, z in inputs])  # one round trip
    for (shape, z), reply in zip(inputs, replies):
        e = wrong(lambda: np.exp(z))
        shifted = wrong(lambda: np.exp(z - np.max(z)))
        try:
            got = reply.get()
        except StudentException as error:
            if "broadcast" not in error.message:
                raise
            raise fail("`softmax(z)` with z of shape {shape} raised {exc}: {message}.\nHint: {hint_en}",
                       "`softmax(z)` для z формы {shape} выбросила {exc}: {message}.\nПодсказка: {hint_ru}",
                       shape=shape, exc=error.exc_type, message=error.message,
                       hint_en=KEEPDIMS_EN, hint_ru=KEEPDIMS_RU) from None
        expect_close("softmax(z)", (z,), got, reference.softmax(z), tol, mistakes=[
            Mistake(wrong(lambda: e / e.sum()), en="You normalised over all elements; each row (last axis) must sum to 1. " + KEEPDIMS_EN,
                    ru="Вы нормировали по всем элементам; каждая строка (последняя ось) должна давать 1. " + KEEPDIMS_RU),
            Mistake(wrong(lambda: e / e.sum(axis=0, keepdims=True)),
                    en="You normalised over axis 0 (columns); softmax works along the last axis. " + KEEPDIMS_EN,
                    ru="Вы нормировали по оси 0 (столбцам); softmax считается вдоль последней оси. " + KEEPDIMS_RU),
            Mistake(wrong(lambda: shifted / shifted.sum(axis=-1, keepdims=True)),
                    en="You subtracted the maximum of the whole array: a row far below it underflows to "
                       "0 / 0 = NaN. Subtract each row's own maximum: np.max(z, axis=-1, keepdims=True).",
                    ru="Вы вычли максимум всего массива: строка, которая намного меньше его, даёт 0 / 0 = NaN. "
                       "Вычитайте максимум каждой строки: np.max(z, axis=-1, keepdims=True)."),
        ])
        float_array("softmax(z)", got, shape)


@check("softmax", en="does not modify its input", ru="не изменяет свой аргумент",
       kind="form")
def test_softmax_keeps_input(keeps_input, rng):
    keeps_input("softmax", rng.normal(size=6) * 3)
