"""Helpers shared by the `torch_basics` checks, handed out as fixtures."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from autograder.checks import TensorValue, fail, fixture, show


def as_values(call: str, got: Any) -> np.ndarray:
    """A tensor (or array, or numbers) the student returned, as float64 NumPy; else a failure."""
    if got is None:
        raise fail("`{call}` returned None: is the `return` missing?",
                   "`{call}` вернула None: не забыт ли `return`?", call=call)
    if isinstance(got, TensorValue):
        return got.array.astype(float)
    try:
        array = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        raise fail("`{call}` returned {got}; expected a tensor of numbers.",
                   "`{call}` вернула {got}, а ожидался тензор чисел.", call=call, got=show(got, 120)) from None
    return array


@fixture(scope="session")  # a pure helper: the same for every submission
def values() -> Callable[[str, Any], np.ndarray]:
    return as_values
