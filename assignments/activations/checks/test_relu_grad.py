import numpy as np

from autograder.checks import Mistake, check, expect_close


@check("relu_grad", en="matches the reference on random inputs", ru="совпадает с эталоном на случайных входах")
def test_relu_grad_random(submission, reference, rng, tol):
    x = rng.normal(size=40) * 3
    expect_close("relu_grad(x)", (x,), submission.relu_grad(x), reference.relu_grad(x), tol, mistakes=[
        Mistake(np.sign(x), en="np.sign gives -1 for negative x; the derivative of ReLU there is 0.",
                ru="np.sign даёт -1 для отрицательных x, а производная ReLU там равна 0."),
        Mistake(reference.relu(x), en="This is ReLU itself; its derivative is 1 for x > 0 and 0 otherwise.",
                ru="Это сама ReLU; её производная равна 1 при x > 0 и 0 иначе."),
    ])


@check("relu_grad", en="relu_grad(0) is 0", ru="relu_grad(0) равна 0")
def test_relu_grad_zero(submission, reference, tol):
    x = np.array([0.0, -0.0, 1e-300, -1e-300, np.inf, -np.inf])
    expect_close("relu_grad(x)", (x,), submission.relu_grad(x), reference.relu_grad(x), tol, mistakes=[
        Mistake(np.where(x >= 0, 1.0, 0.0),
                en="relu_grad(0) must be 0: use x > 0, not x >= 0.",
                ru="relu_grad(0) должна быть 0: используйте x > 0, а не x >= 0."),
    ])


@check("relu_grad", en="works for any array shape and returns float64",
       ru="работает для массива любой формы и возвращает float64")
def test_relu_grad_any_shape(any_shape):
    any_shape("relu_grad")


@check("relu_grad", en="does not modify its input", ru="не изменяет свой аргумент",
       kind="form")
def test_relu_grad_keeps_input(keeps_input, rng):
    keeps_input("relu_grad", rng.normal(size=10))
