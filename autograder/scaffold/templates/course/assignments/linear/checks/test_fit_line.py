import numpy as np

from autograder.checks import Mistake, check, expect_close


@check("fit_line", en="finds the least-squares line of noisy points",
       ru="находит прямую наименьших квадратов для зашумлённых точек", weight=2)
def test_fit_line_noisy(submission, reference, rng, tol):
    x = rng.uniform(-3, 3, size=30)
    y = 1.7 * x - 0.4 + rng.normal(scale=0.5, size=30)
    w = np.sum((x - x.mean()) * (y - y.mean())) / np.sum((x - x.mean()) ** 2)
    # the pair (w, b) compared as one array, so that a hint can name a wrong pair
    expect_close("fit_line(x, y)", ("x (30,)", "y (30,)"), submission.fit_line(x, y),
                 np.array(reference.fit_line(x, y)), tol, mistakes=[
        Mistake([w, y.mean()], en="The intercept is b = mean(y) - w * mean(x).",
                ru="Свободный член: b = mean(y) - w * mean(x)."),
        Mistake([np.sum(x * y) / np.sum(x * x), 0.0], en="Center x and y first: the line need not pass through 0.",
                ru="Сначала вычтите средние x и y: прямая не обязана проходить через 0."),
    ])


@check("fit_line", en="recovers an exact line", ru="восстанавливает точную прямую")
def test_fit_line_exact(submission, reference, tol):
    x = np.array([-1.0, 0.0, 2.0, 5.0])
    expect_close("fit_line(x, 3 * x + 2)", (x, 3 * x + 2), submission.fit_line(x, 3 * x + 2),
                 np.array([3.0, 2.0]), tol)
