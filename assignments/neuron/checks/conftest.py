"""Helpers shared by the `neuron` checks, handed out as fixtures.

Every method is checked on an instance of the student's own class built with the
check's weights, ``Perceptron(w=W, b=B)``, and the instance's state (``self.w``,
``self.b``) is read back from the jail as data after the call: never compared by
calling the student's objects. The checks never need the data file in the jail: the
fruits are read here, on the grader, and passed in as arrays.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from autograder.checks import RemoteObject, TensorValue, as_numeric_array, fail, fixture, show

DATA = Path(__file__).resolve().parent.parent / "data" / "apples_pears.csv"

Build = Callable[..., RemoteObject]
State = Callable[[RemoteObject, str], tuple[np.ndarray, np.ndarray]]


def _same(got: Any, want: Any) -> bool:
    if want is None:
        return got is None
    if isinstance(got, TensorValue):
        got = got.array
    try:
        return bool(np.array_equal(np.asarray(got, dtype=float), np.asarray(want, dtype=float)))
    except (TypeError, ValueError):
        return False


def build_perceptron(submission: Any, w: Any = None, b: Any = 0) -> RemoteObject:
    """The student's ``Perceptron(w=w, b=b)``, which must hold exactly ``w`` and ``b``.

    ``__init__`` is given in the notebook; one that lost its arguments would make
    every method look wrong, so it is named once, here, instead.
    """
    perceptron = submission.Perceptron(w=w, b=b)
    if not isinstance(perceptron, RemoteObject):
        raise fail("`Perceptron(w=..., b=...)` must create an object; it gave {got}. Perceptron must be a class.",
                   "`Perceptron(w=..., b=...)` должен создавать объект, а получено {got}. Perceptron должен быть классом.",
                   got=show(perceptron, 80))
    got_w, got_b = submission.getattr(perceptron, "w"), submission.getattr(perceptron, "b")
    if not _same(got_w, w) or not _same(got_b, b):
        raise fail("`Perceptron(w=W, b=B)` must store its arguments as self.w and self.b; it stored "
                   "self.w = {got_w}, self.b = {got_b}. This part of the class was given: restore "
                   "`self.w = w` and `self.b = b` in __init__.",
                   "`Perceptron(w=W, b=B)` должен сохранять аргументы в self.w и self.b, а сохранил "
                   "self.w = {got_w}, self.b = {got_b}. Эта часть класса была дана: верните "
                   "`self.w = w` и `self.b = b` в __init__.",
                   got_w=show(got_w, 80), got_b=show(got_b, 80))
    return perceptron


def read_state(perceptron: RemoteObject, call: str) -> tuple[np.ndarray, np.ndarray]:
    """``self.w`` and ``self.b`` after ``call``, as arrays (a failure when not numbers)."""
    w, b = perceptron.w, perceptron.b
    return (as_numeric_array(f"{call}: self.w", w, "numpy.ndarray (m, 1)"),
            as_numeric_array(f"{call}: self.b", b, "a number"))


def read_fruits() -> tuple[np.ndarray, np.ndarray]:
    """The assignment's apples and pears: X (1000, 2) and y (1000, 1)."""
    table = np.loadtxt(DATA, delimiter=",", skiprows=1)
    return table[:, :2], table[:, 2:].astype(np.int64)


@fixture
def perceptron(submission: Any) -> Build:
    """``perceptron(w, b)``: the student's Perceptron holding w and b."""
    return lambda w=None, b=0: build_perceptron(submission, w, b)


@fixture(scope="session")  # a pure helper: the same for every submission
def state() -> State:
    return read_state


@fixture(scope="session")  # fixed data: read once per run
def fruits() -> tuple[np.ndarray, np.ndarray]:
    return read_fruits()
