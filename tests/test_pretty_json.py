"""The result file's JSON writer gives exactly the standard library's text."""

from __future__ import annotations

import json
import math
import random
from typing import Any

import pytest

from autograder import pretty_json

STRINGS = ["", "plain", "Ваш код здесь", "quote \" and \\ backslash", "tab\tnew\nline\r", "\x00\x1f\x7f",
           "emoji 😀", "\u2028\u2029", "<cell 3>", "ü" * 50]
NUMBERS: list[Any] = [0, -1, 2**70, -(2**64), 0.0, -0.0, 1.5, 1e16, 1e-7, 0.1 + 0.2, 123456789.125,
                      math.inf, -math.inf, math.nan, True, False, None]


def _value(rng: random.Random, depth: int) -> Any:
    roll = rng.random()
    if depth > 4 or roll < 0.45:
        return rng.choice(STRINGS + NUMBERS)
    if roll < 0.7:
        return [_value(rng, depth + 1) for _ in range(rng.randrange(0, 5))]
    return {rng.choice(STRINGS) + str(i): _value(rng, depth + 1) for i in range(rng.randrange(0, 5))}


def test_the_same_text_as_json_dumps_with_indent() -> None:
    for seed in range(300):
        value = _value(random.Random(seed), 0)
        assert pretty_json.dumps(value) == json.dumps(value, ensure_ascii=False, indent=2), seed


class Score(float):
    pass


@pytest.mark.parametrize("value", [
    {"a": Score(1.5)},             # a subclass: the standard library's own formatting
    {1: "int key", None: "x"},     # keys that are not strings
    {"t": (1, 2)},                 # a tuple: written as a list
    [[], {}, [[]], {"": {}}],      # empty containers at every depth
])
def test_other_values_are_left_to_the_standard_library(value: Any) -> None:
    assert pretty_json.dumps(value) == json.dumps(value, ensure_ascii=False, indent=2)


def test_a_container_inside_itself_fails_as_with_the_standard_library() -> None:
    loop: list[Any] = [1]
    loop.append(loop)
    with pytest.raises(ValueError, match="Circular reference"):
        pretty_json.dumps({"loop": loop})
    shared = [1, 2]
    assert pretty_json.dumps([shared, shared]) == json.dumps([shared, shared], indent=2)


def test_a_real_result_file(tmp_path: Any) -> None:
    from autograder.results import CheckResult, QuestionResult, SubmissionResult

    checks = (CheckResult("relu_random", False, 0.0, 1.0, message="ожидалось [0. 1.]\nполучено [-1. 1.]"),
              CheckResult("relu_zero", True, 1 / 3, 1.0, metric={"name": "accuracy", "value": 0.875}))
    result = SubmissionResult("activations", "ivanov [1]", (QuestionResult("relu", checks, 2.0),),
                              errors=("Ячейка 5: NameError",), duration_s=0.0123, extra={"student_name": "Иванов"})
    data = result.to_json()
    assert pretty_json.dumps(data) == json.dumps(data, ensure_ascii=False, indent=2)
