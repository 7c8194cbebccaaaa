import numpy as np

from autograder.checks import Mistake, check, expect_close

RIGHT = "1.0 where x >= 0, else 0.0"


@check("step", en="matches the reference on random inputs", ru="совпадает с эталоном на случайных входах")
def test_step_random(submission, reference, rng, tol):
    x = rng.normal(size=40) * 3
    expect_close("step(x)", (x,), submission.step(x), reference.step(x), tol, mistakes=[
        Mistake(np.sign(x), en="np.sign gives -1 for negative x; the step function gives 0.",
                ru="np.sign даёт -1 для отрицательных x, а ступенька должна давать 0."),
        Mistake(1.0 - reference.step(x), en="The classes are swapped: 1 is for x >= 0.",
                ru="Классы перепутаны: 1 должна быть при x >= 0."),
    ])


@check("step", en="step(0) is 1, also for -0.0 and infinities",
       ru="step(0) равна 1, также для -0.0 и бесконечностей")
def test_step_zero_and_extremes(submission, reference, tol):
    x = np.array([0.0, -0.0, 1e-300, -1e-300, 1e300, -1e300, np.inf, -np.inf])
    strict = np.where(x > 0, 1.0, 0.0)
    expect_close("step(x)", (x,), submission.step(x), reference.step(x), tol, mistakes=[
        Mistake(strict, en="step(0) must be 1: compare with x >= 0, not x > 0.",
                ru="step(0) должна быть 1: сравнивайте x >= 0, а не x > 0."),
        Mistake(np.where(x == 0, 0.5, strict),
                en="np.heaviside(x, 0.5) gives 0.5 at zero; the second argument must be 1.0.",
                ru="np.heaviside(x, 0.5) даёт 0.5 в нуле; второй аргумент должен быть 1.0."),
        Mistake(np.sign(x), en="np.sign gives 0 at zero and -1 for negative x.",
                ru="np.sign даёт 0 в нуле и -1 для отрицательных x."),
    ])


@check("step", en="works for any array shape and returns float64",
       ru="работает для массива любой формы и возвращает float64")
def test_step_any_shape(any_shape):
    any_shape("step")


@check("step", en="does not modify its input", ru="не изменяет свой аргумент",
       kind="form")
def test_step_keeps_input(keeps_input, rng):
    keeps_input("step", rng.normal(size=10))
