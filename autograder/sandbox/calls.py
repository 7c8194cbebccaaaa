"""What a call into the student's code gives back, as checks see it: its value (a
:class:`CallResult`), or a :class:`Reply` of a batch that gives it or raises its error
as the call alone would have, and the short texts that name a call in messages."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

from autograder import exceptions as ex
from autograder.sandbox.values import RemoteObject, TensorValue


class Reply:
    """One call of :meth:`Session.call_many`: :meth:`get` gives its value (:meth:`result`
    its whole :class:`CallResult`) or raises its error, as the call alone would have."""

    def __init__(self, result: CallResult | None = None, error: ex.StudentCodeError | None = None,
                 later: Callable[[], CallResult] | None = None) -> None:
        self._result, self._error, self._later = result, error, later

    def result(self) -> CallResult:
        if self._later is not None:  # not run in the batch: made now, on its own
            self._result, self._later = self._later(), None
        if self._error is not None:
            raise self._error
        assert self._result is not None
        return self._result

    def get(self) -> Any:
        return self.result().value

    @property
    def failed(self) -> bool:
        """Whether the call is known to have failed (a call made later is not, yet)."""
        return self._error is not None


@dataclass(frozen=True)
class CallResult:
    value: Any
    args_after: tuple[Any, ...] | None
    stdout: str


def short(value: Any) -> str:
    """A short rendering of a value for ``call`` texts in messages."""
    if isinstance(value, np.ndarray):
        return f"array(shape={value.shape})"
    if isinstance(value, TensorValue):
        return f"tensor(shape={value.shape})"
    if isinstance(value, RemoteObject):
        return value.type_name.rsplit(".", 1)[-1]
    if isinstance(value, (list, tuple, dict)) and len(value) > 4:
        return f"{type(value).__name__}(len={len(value)})"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def render_call(name: str, args: Sequence[Any], kwargs: dict[str, Any]) -> str:
    parts = [short(a) for a in args] + [f"{k}={short(v)}" for k, v in kwargs.items()]
    return f"{name}({', '.join(parts)})"


class CallText:
    """How messages name a call, ``render_call(name, args, kwargs)``, rendered when a
    message first asks for it (``str``): only a call that fails has a message, and a
    submission makes dozens that do not. The client builds the exceptions it raises
    (and nothing else) from it, before the check that made the call runs on, so the
    arguments are rendered as they were sent."""

    __slots__ = ("_call", "_text")

    def __init__(self, name: str, args: Sequence[Any], kwargs: dict[str, Any]) -> None:
        self._call: tuple[str, Sequence[Any], dict[str, Any]] | None = (name, args, kwargs)
        self._text = ""

    def __str__(self) -> str:
        if self._call is not None:
            self._text, self._call = render_call(*self._call), None
        return self._text


Label = str | CallText  # a call as messages name it: its text, or what renders it when asked


def reply_of(label: Label, result: Any, reply: dict[str, Any]) -> Reply:
    """The :class:`Reply` of a call whose ``ok`` value is ``result``."""
    if type(result) is not tuple or len(result) != 2:
        return Reply(error=ex.BadValue(str(label), "malformed reply"))
    stdout = reply.get("stdout", "")
    return Reply(CallResult(result[0], result[1], stdout if isinstance(stdout, str) else ""))
