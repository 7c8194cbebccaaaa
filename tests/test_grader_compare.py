"""The grader's shortcut for ``np.allclose`` gives allclose's answer, wherever it answers."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from autograder.checks.compare import _all_close
from autograder.config import Tolerance

SPECIAL = [0.0, -0.0, 1.0, -1.0, 1e-300, 1e300, -1e300, np.inf, -np.inf, np.nan, 1e308]


def _pairs(rng: np.random.Generator) -> list[tuple[np.ndarray, np.ndarray]]:
    pairs = []
    for size in (0, 1, 3, 40):
        want = rng.normal(size=size) * 10.0 ** rng.integers(-5, 5)
        for noise in (0.0, 1e-12, 1e-9, 1e-7, 1e-6, 1e-3):
            pairs.append((want + noise * rng.normal(size=size), want))
            pairs.append((want * (1 + noise), want))
    for got in SPECIAL:
        for want in SPECIAL:
            pairs.append((np.array([got, 1.0]), np.array([want, 1.0])))
    pairs.append((np.array(2.0), np.array(2.0 + 2e-6)))  # 0-d
    return pairs


@pytest.mark.parametrize("tol", [Tolerance(), Tolerance(rtol=0.0, atol=0.0), Tolerance(rtol=1e-3, atol=0.0),
                                 Tolerance(rtol=0.0, atol=1e-6), Tolerance(rtol=1e-6, atol=np.inf)])
def test_all_close_is_allclose(tol: Tolerance) -> None:
    checked = passed = 0
    for got, want in _pairs(np.random.default_rng(7)):
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            expected = bool(np.allclose(got, want, rtol=tol.rtol, atol=tol.atol, equal_nan=True))
            assert _all_close(got, want, tol) is expected, (got, want, tol)
        checked += 1
        passed += expected
    assert 0 < passed < checked  # both answers were exercised


def test_a_pair_expected_and_one_array_returned_is_said_in_the_students_language() -> None:
    """``perceptron_step`` returning only ``w`` where ``(w, b)`` is expected: the Russian
    message read "ожидался tuple of 2" (the grader's English inside it)."""
    from autograder.checks import CheckFailed, expect_close

    with pytest.raises(CheckFailed) as failed:
        expect_close("perceptron_step(w, b, x, y, lr)", (), np.zeros(2), (np.zeros(2), 0.0), Tolerance())
    text = failed.value.text
    assert text.ru == "`perceptron_step(w, b, x, y, lr)` вернула numpy.ndarray (dtype float64); ожидался кортеж из 2 значений."
    assert text.en == "`perceptron_step(w, b, x, y, lr)` returned numpy.ndarray (dtype float64); expected a tuple of 2."


def test_a_numpy_number_is_shown_as_the_number() -> None:
    """``backward_pass`` returning ``(w, b)`` with ``b`` a NumPy float: the message read
    "вернула (..., np.float64(-0.3936577848610747))", NumPy 2's repr, not the number."""
    from autograder.checks import show

    assert show((np.array([1.5, -2.0]), np.float64(-0.39))) == "([ 1.5, -2. ], -0.39)"
    assert show([np.int64(3), np.float32(0.5), np.bool_(True)]) == "[3, 0.5, True]"
    assert show([float(n) for n in range(30)]) == "[0.0, 1.0, 2.0, ..., 27.0, 28.0, 29.0]"  # was "... (30 items)]"
