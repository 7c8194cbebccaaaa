"""The one comparison of an expected value with what a function returned.

Used in the notebook by ``check()`` and on the grader by the public-examples check,
so both give the same verdict. Returns ``None`` when the values agree, else a
:class:`Mismatch` saying what differs and where; the caller words the message.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from numbers import Number
from typing import Any

import numpy as np


@dataclass(frozen=True)
class TensorData:
    """A torch tensor as plain data, so comparing tensors needs no torch."""

    array: np.ndarray
    dtype: str = "float32"

    def __repr__(self) -> str:
        return f"tensor({show(self.array)})"


@dataclass(frozen=True)
class Opaque:
    """A value that is not data (a model, a generator): only its type is known."""

    type_name: str

    def __repr__(self) -> str:
        return f"<{self.type_name}>"


@dataclass(frozen=True)
class Mismatch:
    """Why a value differs: ``kind`` names a message in ``student.messages``
    (``mismatch.<kind>``), ``path`` where inside the value (``[0]``, ``['W1']``)."""

    kind: str
    path: str = ""
    expected: str = ""
    got: str = ""
    diff: float = 0.0


def as_tensor(value: Any) -> TensorData | None:
    """``value`` as TensorData when it is a torch tensor (duck-typed: no torch import)."""
    if isinstance(value, TensorData):
        return value
    if type(value).__module__.startswith("torch") and hasattr(value, "detach"):
        return TensorData(value.detach().cpu().numpy(), str(value.dtype).removeprefix("torch."))
    return None


def type_name(value: Any) -> str:
    if isinstance(value, Opaque):
        return value.type_name
    if as_tensor(value) is not None:
        return "torch.Tensor"
    if isinstance(value, np.ndarray):
        return "numpy.ndarray"
    return type(value).__name__


SHOWN_DIGITS, SHOWN_ITEMS = 6, 20  # array2string's precision and threshold in show()
# The print options (``np.set_printoptions``) under which _short_floats writes what
# array2string would: NumPy's defaults, which a notebook may change.
_PLAIN_PRINT = (("floatmode", "maxprec"), ("suppress", False), ("sign", "-"), ("formatter", None),
                ("legacy", False))


def _short_floats(value: np.ndarray) -> str | None:
    """``show``'s text of a small float64 array, character for character what
    ``np.array2string`` writes with show's arguments, without its general machinery
    (about 70 µs an array, most of what the notebook's ``check()`` spent on a correct
    answer). Only the common case: a plain float64 array of at most two dimensions and
    ``SHOWN_ITEMS`` finite numbers, in positional notation, under NumPy's default print
    options; None for anything else (array2string writes it).

    As array2string's float format does: each number with at most ``SHOWN_DIGITS``
    decimals, as few as tell it apart (``format_float_positional``, its Dragon4, with
    ``trim='.'``), the integer parts right-aligned and the decimals left-aligned to the
    widest of the array; scientific notation (not done here) when a non-zero magnitude
    reaches 1e8, is below 1e-4, or the largest is over 1000 times the smallest."""
    if type(value) is not np.ndarray or value.dtype != np.float64 or not 0 < value.size <= SHOWN_ITEMS \
            or value.ndim > 2:
        return None
    options = np.get_printoptions()
    if any(options.get(key) != wanted for key, wanted in _PLAIN_PRINT):
        return None
    numbers = value.ravel().tolist()
    magnitudes = [abs(x) for x in numbers if x != 0.0]
    if not all(x - x == 0.0 for x in numbers):  # NaN or infinity
        return None
    if magnitudes:
        largest, smallest = max(magnitudes), min(magnitudes)
        if largest >= 1e8 or smallest < 0.0001 or largest / smallest > 1000.0:
            return None
    parts = [np.format_float_positional(x, precision=SHOWN_DIGITS, unique=True, fractional=True,
                                        trim=".").split(".") for x in numbers]
    left, right = max(len(whole) for whole, _ in parts), max(len(decimals) for _, decimals in parts)
    items = [whole.rjust(left) + "." + decimals.ljust(right) for whole, decimals in parts]
    if value.ndim == 0:
        return items[0]
    if value.ndim == 1:
        return "[" + ", ".join(items) + "]"
    width = value.shape[1]
    return "[" + ", ".join("[" + ", ".join(items[row:row + width]) + "]"
                           for row in range(0, len(items), width)) + "]"


def _one_line(text: str) -> str:
    """array2string's lines joined by one space: each breaks after a row's comma and the next
    starts with the depth's indentation (a blank line between the blocks of a 3-D array), so
    removing only the breaks left ``],   [`` in a 4-D tensor."""
    return " ".join(line.lstrip() for line in text.split("\n") if line.strip())


def show(value: Any, limit: int = 200) -> str:
    """A short, readable rendering of a value for the report."""
    if type(value) is float:  # the elements of a list argument: first
        return _cut(_float_text(value), limit)
    tensor = as_tensor(value)
    if tensor is not None and not isinstance(value, TensorData):
        value = tensor
    if isinstance(value, np.ndarray):
        short = _short_floats(value)
        text = short if short is not None else _one_line(np.array2string(
            value, precision=SHOWN_DIGITS, threshold=SHOWN_ITEMS, edgeitems=3, separator=", ",
            max_line_width=10_000))
    elif isinstance(value, tuple):
        text = "(" + ", ".join(show(v, limit) for v in value) + ("," if len(value) == 1 else "") + ")"
    elif isinstance(value, list):
        items = [show(v, limit) for v in value[:8]] + (["..."] if len(value) > 8 else [])
        text = "[" + ", ".join(items) + "]"
    elif isinstance(value, dict):
        text = "{" + ", ".join(f"{k!r}: {show(v, limit)}" for k, v in value.items()) + "}"
    elif isinstance(value, float):
        text = _float_text(value)
    elif isinstance(value, np.generic) and value.dtype.kind in "biuf":
        text = show(value.item(), limit)  # np.float32(2.0), np.True_: as the expected value is written
    else:
        text = _repr(value)
    return _cut(text, limit)


def _float_text(value: float) -> str:
    """A float as Python writes it, ``np.float64`` too (``3.0``, not the six significant
    digits ``3`` its longer repr ``np.float64(3.0)`` was cut to), six digits when longer."""
    text = repr(float(value))
    return text if len(text) <= 10 else f"{value:.6g}"


def _repr(value: Any) -> str:
    """``repr(value)``, or ``<its type>`` when the value's own ``__repr__`` (a class of the
    student's) raises: what their code returned is shown, never taken for a damaged example."""
    try:
        return repr(value)
    except Exception:
        return f"<{type_name(value)}>"


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def compare(expected: Any, got: Any, rtol: float, atol: float, path: str = "", *,
            floats: bool = False) -> Mismatch | None:
    """``None`` when ``got`` matches ``expected`` within the tolerances.

    Containers must have the same kind (a tuple may come back as a list), length and
    keys; arrays the same shape; numbers are compared by value whatever their dtype
    (a bool or int array with the right values is right, as in the hidden checks'
    ``expect_close``: one policy; wrong ones where floats were expected are told so);
    NaN matches only NaN. With ``floats`` (an example of an assignment whose hidden
    checks demand floating point, as the bundled ones do where the contract says
    float64), integers or bools where floats are expected are wrong whatever their values.
    """
    tensor = as_tensor(expected)
    if tensor is not None:
        got_tensor = as_tensor(got)
        if got_tensor is None:
            return Mismatch("type", path, "torch.Tensor", type_name(got))
        return _compare_arrays(tensor.array, got_tensor.array, rtol, atol, path, floats)
    if isinstance(expected, (tuple, list)):
        if not isinstance(got, (tuple, list)):
            return Mismatch("type", path, type(expected).__name__, type_name(got))
        if len(got) != len(expected):
            return Mismatch("length", path, str(len(expected)), str(len(got)))
        for index, (want, have) in enumerate(zip(expected, got)):
            found = compare(want, have, rtol, atol, f"{path}[{index}]", floats=floats)
            if found is not None:
                return found
        return None
    if isinstance(expected, dict):
        if not isinstance(got, dict):
            return Mismatch("type", path, "dict", type_name(got))
        if set(got) != set(expected):
            return Mismatch("keys", path, show(sorted(expected)), show(sorted(map(str, got))))
        for key, want in expected.items():
            found = compare(want, got[key], rtol, atol, f"{path}[{key!r}]", floats=floats)
            if found is not None:
                return found
        return None
    if isinstance(expected, np.ndarray):
        if as_tensor(got) is not None or not _array_like(got):
            return Mismatch("type", path, "numpy.ndarray", type_name(got))
        return _compare_arrays(expected, np.asarray(got), rtol, atol, path, floats)
    if isinstance(expected, (bool, np.bool_)) or expected is None or isinstance(expected, str):
        if type(got) is not type(expected) and not isinstance(got, np.bool_):
            return Mismatch("type", path, type(expected).__name__, type_name(got))
        if got != expected:
            return Mismatch("values", path, show(expected), show(got))
        return None
    if isinstance(expected, Number):
        if isinstance(got, bool) or not isinstance(got, (Number, np.generic)) and not (
            isinstance(got, np.ndarray) and got.ndim == 0
        ):
            return Mismatch("type", path, type(expected).__name__, type_name(got))
        return _compare_arrays(np.asarray(expected), np.asarray(got), rtol, atol, path, floats)
    return Mismatch("type", path, type_name(expected), type_name(got))


def unchanged(before: Any, after: Any) -> bool:
    """Whether a value looks after a call as it did before (the values only: a tuple
    may come back as a list, an int array as floats of the same numbers; NaN as NaN).
    The one rule for "did the function change its argument": the notebook's ``check()``,
    the grader's public examples and the hidden checks' ``expect_unchanged`` all ask it."""
    return identical(before, after) or compare(before, after, 0.0, 0.0) is None


def identical(before: Any, after: Any) -> bool:
    """True only when ``compare(before, after, 0, 0)`` finds no difference (a shortcut
    that answers for unchanged arrays and lists of numbers without the tolerance
    comparison): the same
    numeric array (dtype, shape and values, NaN as NaN), or lists of the same numbers."""
    kind = type(before)
    if kind is not type(after):
        return False
    if kind is list:
        return len(before) == len(after) and all(identical(b, a) for b, a in zip(before, after))
    if kind is float:
        return before == after or (before != before and after != after)
    if kind is bool:
        return bool(before == after)
    if kind is int:  # numpy's integers (beyond them, compare finds an object array)
        return bool(before == after) and -(1 << 62) < before < 1 << 62
    if kind is np.ndarray:
        return (before.dtype == after.dtype and before.dtype.kind in "biuf" and before.shape == after.shape
                and bool(np.array_equal(before, after, equal_nan=before.dtype.kind == "f")))
    return False


def _array_like(value: Any) -> bool:
    if isinstance(value, (np.ndarray, np.generic, Number, list, tuple)) and not isinstance(value, str):
        try:
            return np.asarray(value).dtype.kind in "biuf"
        except (ValueError, TypeError):
            return False
    return False


def _compare_arrays(expected: np.ndarray, got: np.ndarray, rtol: float, atol: float,
                    path: str, floats: bool = False) -> Mismatch | None:
    if got.dtype.kind not in "biuf":
        return Mismatch("type", path, "numbers", f"array of {got.dtype}")
    if got.shape != expected.shape:
        return Mismatch("shape", path, str(expected.shape), str(got.shape))
    if floats and expected.dtype.kind == "f" and got.dtype.kind != "f":
        return Mismatch("dtype", path, str(expected.dtype), str(got.dtype))
    want, have = expected.astype(np.float64), got.astype(np.float64)
    finite = np.isfinite(want)
    if np.any(~np.isfinite(have) & finite):
        return Mismatch("not_finite", path, show(expected), show(got))
    close = _close(have, want, rtol, atol, bool(finite.all()))
    if bool(np.all(close)):
        return None
    if expected.dtype.kind == "f" and got.dtype.kind in "biu":  # wrong, and likely why: ints for floats
        return Mismatch("dtype", path, str(expected.dtype), str(got.dtype))
    with np.errstate(invalid="ignore"):
        differences = np.abs(have - want)[~close]
    differences = differences[np.isfinite(differences)]
    diff = float(differences.max()) if differences.size else float("nan")
    return Mismatch("values", path, show(expected), show(got), diff)


def _close(have: np.ndarray, want: np.ndarray, rtol: float, atol: float, finite: bool) -> Any:
    """``np.isclose(have, want, rtol, atol, equal_nan=True)`` of two float64 arrays of one
    shape. When every expected number is finite (so, checked before, every number got),
    its formula without the terms for infinities and NaN, which then change nothing: no
    error state to set either (nothing is invalid), a few microseconds instead of 20."""
    if not finite or type(rtol) is not float or type(atol) is not float or not (
            math.isfinite(rtol) and math.isfinite(atol)):
        return np.isclose(have, want, rtol=rtol, atol=atol, equal_nan=True)
    return ((np.abs(have - want) <= atol + rtol * np.abs(want)) | (have == want))[()]
