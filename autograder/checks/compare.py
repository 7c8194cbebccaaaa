"""Comparison helpers that fail with messages a student can act on.

Each helper shows the call, the input, what was expected and what came back, and
names the likely mistake when the student's value matches a known wrong version.
Values arrive from the worker as plain data (see ``autograder.sandbox``); anything
that is not data (a ``RemoteObject``) fails as a wrong type.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from autograder.checks.api import CheckFailed, Mistake
from autograder.config import Tolerance
from autograder.i18n import Text, msg
from autograder.sandbox.values import RemoteObject, TensorValue, shown_type
from student.compare import Opaque, TensorData, unchanged

_NUMERIC_KINDS = "biuf"


def show(value: Any, limit: int = 300) -> str:
    """A short, readable rendering of a value for a message."""
    if isinstance(value, TensorValue):
        return f"tensor({show(value.array, limit)})"
    if isinstance(value, RemoteObject):
        return f"<{value.type_name}>"
    if isinstance(value, np.ndarray):
        text = np.array2string(value, precision=6, threshold=12, edgeitems=3, separator=", ")
    elif isinstance(value, tuple):
        text = "(" + _items([show(v, limit) for v in value]) + ("," if len(value) == 1 else "") + ")"
    elif isinstance(value, list):  # a long one as NumPy cuts an array: the first and last three
        shown = value if len(value) <= 8 else [*value[:3], _Code("..."), *value[-3:]]
        text = "[" + _items([show(v, limit) for v in shown]) + "]"
    elif isinstance(value, dict):
        text = "{" + _items([_indent(f"{k!r}: ", show(v, limit)) for k, v in value.items()]) + "}"
    elif isinstance(value, np.generic) and value.dtype.kind in _NUMERIC_KINDS:
        text = repr(value.item())  # -0.39, as the student wrote it: not NumPy 2's np.float64(-0.39)
    else:
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


class _Code(str):
    """Text shown as it is (the ``...`` of a cut list), never quoted."""

    def __repr__(self) -> str:
        return str(self)


def _indent(prefix: str, text: str) -> str:
    """``prefix`` then ``text``, its later lines under its first."""
    return prefix + text.replace("\n", "\n" + " " * len(prefix))


def _items(parts: list[str]) -> str:
    """Items of a container after its opening bracket: one line, or one item per line
    (under the first) when any of them spans several (an array)."""
    if any("\n" in part for part in parts):
        return ",\n".join(parts).replace("\n", "\n ")  # the bracket takes a column
    return ", ".join(parts)


def _hang(text: str) -> str:
    """A multi-line value's later lines under its first, past the labels of
    ``compare.values`` (13 columns in both languages)."""
    return text.replace("\n", "\n" + " " * 13)


def type_name(value: Any) -> str:
    if isinstance(value, np.ndarray):
        return f"numpy.ndarray (dtype {value.dtype})"
    return shown_type(value)


def as_numeric_array(call: str, got: Any, expected_type: str = "numpy.ndarray") -> np.ndarray:
    """The student's value as an array, or a wrong-type failure."""
    if isinstance(got, TensorValue):
        got = got.array
    if isinstance(got, (RemoteObject, str, dict)) or got is None:
        raise CheckFailed(msg("compare.type", call=call, got_type=type_name(got), expected_type=expected_type))
    try:
        array = np.asarray(got)
    except (ValueError, TypeError):
        raise CheckFailed(msg("compare.type", call=call, got_type=type_name(got), expected_type=expected_type)) from None
    if array.dtype.kind not in _NUMERIC_KINDS:
        raise CheckFailed(msg("compare.type", call=call, got_type=type_name(got), expected_type=expected_type))
    return array


def _matching_mistake(got: np.ndarray, mistakes: Sequence[Mistake], tol: Tolerance) -> Mistake | None:
    for mistake in mistakes:
        wrong = np.asarray(mistake.value, dtype=float)
        if wrong.shape == got.shape and np.allclose(got, wrong, rtol=tol.rtol, atol=tol.atol, equal_nan=True):
            return mistake
    return None


def _with_hint(text: Text, mistake: Mistake | None) -> Text:
    if mistake is None:
        return text
    return text + Text.plain("\n") + msg("compare.hint", hint="") + mistake.hint


def expect_shape(call: str, got: Any, shape: tuple[int, ...]) -> np.ndarray:
    array = as_numeric_array(call, got)
    if array.shape != tuple(shape):
        raise CheckFailed(msg("compare.shape", call=call, got=array.shape, expected=tuple(shape)))
    return array


def expect_float(call: str, got: Any) -> np.ndarray:
    """The result must hold floating-point numbers (not ints or bools)."""
    array = as_numeric_array(call, got)
    if array.dtype.kind != "f":
        raise CheckFailed(msg("compare.dtype", call=call, got=array.dtype, expected="float64"))
    return array


def expect_close(call: str, inputs: Any, got: Any, expected: Any, tol: Tolerance,
                 mistakes: Sequence[Mistake] = ()) -> None:
    """``got`` equals ``expected`` (array, scalar or tuple of them) within ``tol``; a
    string or None expected (an object's ``self.color = color``) is compared as it is."""
    if isinstance(expected, str) or expected is None:
        _expect_equal(call, inputs, got, expected)
        return
    if isinstance(expected, tuple):
        if not isinstance(got, (tuple, list)) or len(got) != len(expected):
            raise CheckFailed(msg("compare.type", call=call, got_type=type_name(got),
                                  expected_type=msg("compare.tuple_of", count=len(expected))))
        for got_item, expected_item in zip(got, expected):
            expect_close(call, inputs, got_item, expected_item, tol, mistakes)
        return
    want = np.asarray(expected, dtype=float)
    array = as_numeric_array(call, got)
    if array.shape != want.shape:
        mistake = _matching_mistake(array.astype(float), mistakes, tol)
        raise CheckFailed(_with_hint(
            msg("compare.shape", call=call, got=array.shape, expected=want.shape), mistake))
    values = array.astype(float)
    if _all_close(values, want, tol):
        return
    mistake = _matching_mistake(values, mistakes, tol)
    if not np.all(np.isfinite(values)) and np.all(np.isfinite(want)):
        text = msg("compare.not_finite", call=call, input=show(inputs), got=show(array))
    else:
        text = msg("compare.values", call=call, input=_hang(show(inputs)), expected=_hang(show(want)),
                   got=_hang(show(array)))
    raise CheckFailed(_with_hint(text, mistake))


def _expect_equal(call: str, inputs: Any, got: Any, expected: str | None) -> None:
    """A value that is no number: the same type and the same value, or a failure showing both."""
    if isinstance(got, TensorValue) or type(got) is not type(expected):
        raise CheckFailed(msg("compare.type", call=call, got_type=type_name(got), expected_type=type_name(expected)))
    if got != expected:
        raise CheckFailed(msg("compare.values", call=call, input=_hang(show(inputs)), expected=_hang(show(expected)),
                              got=_hang(show(got))))


def _all_close(got: np.ndarray, want: np.ndarray, tol: Tolerance) -> bool:
    """``np.allclose(got, want, rtol, atol, equal_nan=True)`` for float arrays of one shape.

    Most comparisons pass, and for those a few array operations give allclose's answer:
    where every expected value is finite, a difference within ``atol + rtol * |want|``
    everywhere is exactly what allclose accepts. Anything else is left to allclose
    (``np.isclose`` is a few dozen Python lines, called tens of times per submission).
    """
    if (np.isfinite(want).all()
            and (np.abs(got - want) <= tol.atol + tol.rtol * np.abs(want)).all()):
        return True
    return bool(np.allclose(got, want, rtol=tol.rtol, atol=tol.atol, equal_nan=True))


def comparable(value: Any) -> Any:
    """``value`` (the grader's form: TensorValue, RemoteObject) in the form
    ``student.compare`` knows (TensorData, Opaque), in lists, tuples and dicts: what
    the notebook's ``check()`` would compare."""
    if isinstance(value, TensorValue):
        return TensorData(value.array, value.dtype.removeprefix("torch."))
    if isinstance(value, RemoteObject):
        return Opaque(value.type_name)
    if isinstance(value, tuple):
        return tuple(comparable(v) for v in value)
    if isinstance(value, list):
        return [comparable(v) for v in value]
    if isinstance(value, dict):
        return {k: comparable(v) for k, v in value.items()}
    return value


def expect_unchanged(call: str, argument: str, before: Any, after: Any) -> None:
    """An argument must look the same after the call as before it (``student.compare.
    unchanged``: the rule of the public examples and the notebook's ``check()`` too)."""
    if not unchanged(comparable(before), comparable(after)):
        raise CheckFailed(msg("compare.mutated", call=call, arg=argument))
