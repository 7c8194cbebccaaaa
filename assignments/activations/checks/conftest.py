"""Helpers shared by the activation checks: the array contract and overflow detection."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import numpy as np

from autograder.checks import SubmissionProxy, as_numeric_array, fail, fixture, shown_type


def expect_float_array(call: str, got: Any, shape: tuple[int, ...]) -> np.ndarray:
    """A float ndarray of ``shape`` (a NumPy or Python float is fine for shape ``()``)."""
    if isinstance(got, (list, tuple)):
        raise fail(
            "`{call}` returned a Python {kind}, not a NumPy array. Use vectorised NumPy "
            "operations (np.exp, np.where, ...) instead of a loop over elements.",
            "`{call}` вернула питоновский {kind}, а не массив NumPy. Используйте векторные "
            "операции NumPy (np.exp, np.where, ...) вместо цикла по элементам.",
            call=call, kind=shown_type(got))
    array = as_numeric_array(call, got)
    if shape != () and not isinstance(got, np.ndarray):
        raise fail("`{call}` returned {kind}; expected a NumPy array of shape {shape}.",
                   "`{call}` вернула {kind}; ожидался массив NumPy формы {shape}.",
                   call=call, kind=shown_type(got), shape=shape)
    if array.shape != shape:
        raise fail(
            "`{call}` returned shape {got}; expected {shape}, the shape of the input. "
            "Do not flatten, sum or reshape the input.",
            "`{call}` вернула форму {got}; ожидалась {shape}, как у входа. "
            "Не выпрямляйте, не суммируйте и не меняйте форму входа.",
            call=call, got=array.shape, shape=shape)
    if array.dtype.kind != "f":
        raise fail(
            "`{call}` returned dtype {dtype}; expected float64. Comparisons give bool and "
            "np.where(..., 1, 0) or np.maximum on ints give int: convert with "
            "x = np.asarray(x, dtype=float) or use 1.0 / 0.0.",
            "`{call}` вернула тип элементов {dtype}; ожидался float64. Сравнения дают bool, "
            "а np.where(..., 1, 0) или np.maximum на целых дают int: приведите вход "
            "x = np.asarray(x, dtype=float) или используйте 1.0 / 0.0.",
            call=call, dtype=array.dtype)
    return array


# The inputs of every "any array shape" check: (the input as Python code, value, expected
# shape). A message shows the call as the student would write it, `step([-2, 1, 3])`: code
# reads the same in every language, where a label ("list of ints") was English in Russian.
SHAPED_INPUTS: list[tuple[str, Any, tuple[int, ...]]] = [
    ("[-2, 1, 3]", [-2, 1, 3], (3,)),
    ("np.array([[-1.5, 0.25, 2.0], [3.0, -0.5, 0.1]])", np.array([[-1.5, 0.25, 2.0], [3.0, -0.5, 0.1]]), (2, 3)),
    ("np.array(0.7)", np.array(0.7), ()),
    ("-1.25", -1.25, ()),
    ("np.zeros(0)", np.zeros(0), (0,)),
]


def _overflow_raises(submission: SubmissionProxy) -> AbstractContextManager[None]:
    """Inside, the student's NumPy raises FloatingPointError on overflow/invalid/divide.

    Warnings do not cross the process boundary, so the worker's NumPy error state is
    switched for each call made inside (``submission.numpy_errors``: it goes with the
    call, no round trip of its own) and restored after it.
    """
    return submission.numpy_errors(over="raise", invalid="raise", divide="raise")


@fixture
def overflow_raises(submission: SubmissionProxy) -> Callable[[], AbstractContextManager[None]]:
    return lambda: _overflow_raises(submission)


@fixture
def any_shape(submission: SubmissionProxy, reference: Any, tol: Any) -> Callable[..., None]:
    """Check ``name`` on every input of SHAPED_INPUTS: float array, input's shape, values.

    ``mistakes(x)`` may give the known wrong values for an input, to name the cause.
    """
    from autograder.checks import Mistake, expect_close

    def run(name: str, mistakes: Callable[[np.ndarray], list[Mistake]] = lambda x: []) -> None:
        # the five calls are independent: one round trip to the worker for all of them
        replies = submission.call_many([(name, (x,), {}) for _, x, _ in SHAPED_INPUTS])
        for (shown, x, shape), reply in zip(SHAPED_INPUTS, replies):
            call = f"{name}({shown})"
            got = reply.get()
            expect_float_array(call, got, shape)
            expect_close(call, (x,), got, getattr(reference, name)(x), tol,
                         mistakes=mistakes(np.asarray(x, dtype=float)))

    return run


@fixture
def keeps_input(submission: SubmissionProxy) -> Callable[[str, np.ndarray], None]:
    """Call ``name`` on a float array: it must return an array of x's shape and leave x as it was.

    The shape is required so that a function returning nothing useful earns nothing here.
    """
    from autograder.checks import expect_shape, expect_unchanged

    def run(name: str, x: np.ndarray) -> None:
        result = submission.call_ex(name, (x.copy(),), return_args=True)
        assert result.args_after is not None
        expect_shape(f"{name}(x)", result.value, x.shape)
        expect_unchanged(f"{name}(x)", "x", x, result.args_after[0])

    return run


@fixture(scope="session")  # a pure helper: the same for every submission
def float_array() -> Callable[[str, Any, tuple[int, ...]], np.ndarray]:
    return expect_float_array


@fixture(scope="session")  # a pure helper: the same for every submission
def wrong() -> Callable[[Callable[[], Any]], np.ndarray]:
    """The value a known wrong formula gives, computed quietly (NaN/inf included)."""
    def run(formula: Callable[[], Any]) -> np.ndarray:
        with np.errstate(all="ignore"):
            return np.asarray(formula(), dtype=float)

    return run
