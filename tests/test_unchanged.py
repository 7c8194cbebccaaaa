"""One rule for "did the function change its argument" (``student.compare.unchanged``):
the hidden checks' ``expect_unchanged``, the public examples and the notebook's
``check()`` give the same verdict on the same values."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from autograder.checks import CheckFailed, expect_unchanged, tensor
from autograder.checks.compare import comparable
from autograder.sandbox.values import RemoteObject
from student.checker import changed_argument
from student.compare import unchanged

CASES: list[tuple[str, Any, Any, bool]] = [
    ("the same floats, NaN included", np.array([1.0, np.nan]), np.array([1.0, np.nan]), True),
    ("one value written over", np.array([1.0, 2.0]), np.array([1.0, 2.5]), False),
    ("a value made NaN", np.array([1.0]), np.array([np.nan]), False),
    ("a tuple back as a list", (1, 2), [1, 2], True),
    ("ints back as floats of the same numbers", np.array([1, 2]), np.array([1.0, 2.0]), True),
    ("reshaped in place", np.zeros((2, 2)), np.zeros(4), False),
    ("a list appended to", [1.0, 2.0], [1.0, 2.0, 3.0], False),
    ("a dict with a key added", {"w": np.ones(2)}, {"w": np.ones(2), "b": 0.0}, False),
    ("a dict's array changed", {"w": np.ones(2)}, {"w": np.array([1.0, 0.0])}, False),
    ("the same tensor", tensor([1.0, 2.0]), tensor([1.0, 2.0]), True),
    ("a tensor changed in place", tensor([1.0, 2.0]), tensor([0.0, 2.0]), False),
    ("a tensor back as an array", tensor([1.0, 2.0]), np.array([1.0, 2.0]), False),
]


@pytest.mark.parametrize(("before", "after", "same"), [case[1:] for case in CASES], ids=[c[0] for c in CASES])
def test_every_side_gives_the_same_verdict(before: Any, after: Any, same: bool) -> None:
    assert unchanged(comparable(before), comparable(after)) is same
    assert (changed_argument([comparable(before)], [comparable(after)]) is None) is same  # check(), public examples
    if same:
        expect_unchanged("f(x)", "x", before, after)
    else:
        with pytest.raises(CheckFailed, match="changed its input `x`"):
            expect_unchanged("f(x)", "x", before, after)


def test_a_model_is_meant_to_change_in_the_examples() -> None:
    """An object of the notebook (a model being trained) is not data: the examples never
    blame its change; a check that asks for it unchanged explicitly always fails."""
    model = RemoteObject(session=None, handle=1, type_name="torch.nn.Linear")  # type: ignore[arg-type]
    again = RemoteObject(session=None, handle=2, type_name="torch.nn.Linear")  # type: ignore[arg-type]
    assert changed_argument([comparable(model), np.ones(2)], [comparable(again), np.ones(2)]) is None
    assert changed_argument([comparable(model), np.ones(2)], [comparable(again), np.zeros(2)]) == "#2"
    with pytest.raises(CheckFailed):
        expect_unchanged("fit(model)", "model", model, again)
