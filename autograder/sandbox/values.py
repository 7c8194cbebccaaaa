"""Grader-side stand-ins for worker values that are not plain data."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np


class Caller(Protocol):
    """Where a :class:`RemoteObject`'s calls go: the call policy of its session."""

    def call(self, target: str | RemoteObject, *args: Any, **kwargs: Any) -> Any: ...

    def getattr(self, obj: RemoteObject | str, attr: str | None = None) -> Any: ...

    def isinstance_of(self, obj: RemoteObject, type_name: str) -> bool: ...


@dataclass(frozen=True, eq=False)
class TensorValue:
    """A torch tensor as data: its values, torch dtype name and ``requires_grad``."""

    array: np.ndarray
    dtype: str = "torch.float32"
    requires_grad: bool = False

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(self.array.shape)

    def numpy(self) -> np.ndarray:
        return self.array

    def __repr__(self) -> str:
        grad = ", requires_grad=True" if self.requires_grad else ""
        return f"tensor({np.array2string(self.array, threshold=20)}, dtype={self.dtype}{grad})"


def tensor(values: Any, dtype: str = "float32", requires_grad: bool = False) -> TensorValue:
    """A value that is ``torch.tensor(values, dtype=...)`` in the student's code: an input
    of a hidden check (sent to the worker) or of a public example (stored in the notebook,
    ``autograder.examples``), the same function for both."""
    name = dtype if dtype.startswith("torch.") else f"torch.{dtype}"
    np_dtype = "float32" if name == "torch.bfloat16" else name.removeprefix("torch.")
    return TensorValue(np.asarray(values, dtype=np_dtype), name, requires_grad)


@dataclass(eq=False)
class RemoteObject:
    """An object that lives in the worker; attribute access and calls go there.

    ``type_name`` is the object's class as the worker saw it (``"torch.nn...Linear"``).
    ``label`` is how messages name it when it was reached through an attribute: a
    bound method ``p.fit`` of the student's ``Perceptron`` is ``"Perceptron.fit"``, not
    ``"method"``. Names starting and ending with ``__`` are not forwarded, so NumPy,
    copy and pytest probing a RemoteObject stay on the grader side.
    """

    session: Caller = field(repr=False)
    handle: int
    type_name: str
    generation: int = field(repr=False, default=0)
    label: str = field(repr=False, default="")

    @property
    def name(self) -> str:
        """The short name messages use: the label, else the class's own name."""
        return self.label or self.type_name.rsplit(".", 1)[-1]

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return self.session.getattr(self, name)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.session.call(self, *args, **kwargs)

    def __repr__(self) -> str:
        return f"<remote {self.type_name}>"


def isinstance_of(obj: Any, type_name: str) -> bool:
    """``isinstance`` checked in the worker for a RemoteObject (dotted type name)."""
    if isinstance(obj, RemoteObject):
        return obj.session.isinstance_of(obj, type_name)
    return False


def shown_type(value: Any) -> str:
    """A value's type as messages name it: the student's own class for an object of the
    worker, ``torch.Tensor`` for a tensor; never a class of ours (``RemoteObject``)."""
    if isinstance(value, RemoteObject):
        return value.type_name
    if isinstance(value, TensorValue):
        return "torch.Tensor"
    return type(value).__name__


# the grader's stand-ins for the student's values, as Python's own error messages name
# them ("unsupported operand type(s) for +: 'TensorValue' and 'int'") and as a check's
# ``type(value).__name__`` does, and what to say instead, per language
_STAND_INS: dict[str, dict[str, str]] = {
    "en": {"TensorValue": "torch.Tensor", "RemoteObject": "object of the notebook",
           "StudentObject": "object of the notebook", "RemoteFunction": "function of the notebook",
           "TimedFunction": "function of the notebook", "TimedProxy": "submission",
           "SubmissionProxy": "submission"},
    "ru": {"TensorValue": "torch.Tensor", "RemoteObject": "объект блокнота",
           "StudentObject": "объект блокнота", "RemoteFunction": "функция блокнота",
           "TimedFunction": "функция блокнота", "TimedProxy": "работа", "SubmissionProxy": "работа"},
}
_STAND_IN = re.compile(r"\b(" + "|".join(_STAND_INS["en"]) + r")\b")


def without_stand_ins(text: str, language: str = "en") -> str:
    """``text`` (an exception's message, a check's failure) with the names of our stand-in
    classes replaced by what they stand for: a student reads about their tensor, not our
    ``TensorValue``."""
    names = _STAND_INS["ru" if language == "ru" else "en"]
    return _STAND_IN.sub(lambda m: names[m.group(1)], text)
