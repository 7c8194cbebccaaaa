"""Hidden checks of `square`: each @check is one check of the question, compared with
the reference on inputs the student does not see. See the README of autograder."""

import numpy as np

from autograder.checks import Mistake, check, expect_close


@check("square", en="matches the reference on random inputs", ru="совпадает с эталоном на случайных входах")
def test_square_random(submission, reference, rng, tol):
    x = rng.normal(size=20)
    expect_close("square(x)", (x,), submission.square(x), reference.square(x), tol, mistakes=[
        Mistake(2 * x, en="x ** 2 is x times x, not 2 * x.", ru="x ** 2 — это x, умноженное на x, а не 2 * x."),
    ])
