"""The student's objects as an imported test sees them, and values across the wire.

A value that comes back from the jail as data stays data (a tensor becomes a
grader-side ``torch`` tensor); anything else stays in the jail behind a
:class:`StudentObject`, which never asks the student's object to judge itself:
comparing it, using it as true/false or changing it raises
:class:`~autograder.exceptions.NotData` instead of calling its ``__eq__`` or
``__bool__``. Calling it, taking an attribute, iterating it (a generator stepped with
``next``) run in the jail; what comes back is again data or a ``StudentObject``.
"""

from __future__ import annotations

import builtins
import sys
from typing import Any

from autograder.exceptions import NotData, StudentException
from autograder.sandbox.values import RemoteObject, TensorValue
from autograder.session import SubmissionProxy


class StudentObject:
    """An object that lives in the student's worker, as an imported test sees it."""

    __slots__ = ("_target", "_label", "_proxy")

    def __init__(self, proxy: SubmissionProxy, target: str | RemoteObject, label: str) -> None:
        object.__setattr__(self, "_proxy", proxy)
        object.__setattr__(self, "_target", target)
        object.__setattr__(self, "_label", label)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        try:
            result = self._proxy.call_ex(self._target, to_wire(args), to_wire(kwargs))
        except StudentException as error:
            raise as_builtin(error) from None
        if result.stdout:
            sys.stdout.write(result.stdout)
        return to_grader(self._proxy, result.value, f"{self._label}(...)")

    def _method(self, name: str, use: str) -> Any:
        """The student's object's own ``name`` method (run in the jail), or NotData."""
        target = self._target
        remote = target if isinstance(target, RemoteObject) else self._proxy.value(target)
        try:
            method = self._proxy.getattr(remote, name) if isinstance(remote, RemoteObject) else None
        except StudentException:
            method = None
        if not isinstance(method, RemoteObject):
            raise NotData(self._label, use)
        return StudentObject(self._proxy, method, f"{self._label}.{name}")

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        target = self._target
        remote = target if isinstance(target, RemoteObject) else self._proxy.value(target)
        if not isinstance(remote, RemoteObject):
            return getattr(to_grader(self._proxy, remote, self._label), name)
        return to_grader(self._proxy, self._proxy.getattr(remote, name), f"{self._label}.{name}")

    def __setattr__(self, name: str, value: Any) -> None:
        raise NotData(f"{self._label}.{name}", "change")

    def __setitem__(self, key: Any, value: Any) -> None:
        raise NotData(self._label, "change")

    def __bool__(self) -> bool:
        raise NotData(self._label, "bool")

    def __eq__(self, other: object) -> bool:
        raise NotData(self._label, "compare")

    def __ne__(self, other: object) -> bool:
        raise NotData(self._label, "compare")

    __lt__ = __le__ = __gt__ = __ge__ = __eq__
    __hash__ = object.__hash__

    def __len__(self) -> int:
        length = self._method("__len__", "iterate")()
        if type(length) is not int:
            raise NotData(self._label, "iterate")
        return length

    def __iter__(self) -> Any:
        """A generator or iterator of the notebook steps in the jail; its items come back as data."""
        return self._method("__iter__", "iterate")()

    def __next__(self) -> Any:
        return self._method("__next__", "iterate")()

    def __getitem__(self, key: Any) -> Any:
        raise NotData(self._label, "iterate")

    def __repr__(self) -> str:
        target = self._target
        kind = target.type_name if isinstance(target, RemoteObject) else "function"
        return f"<{kind} from the notebook: {self._label}>"


def as_builtin(error: StudentException) -> BaseException:
    """The student's exception as the builtin type it had (``except ValueError`` in a test
    catches it), with its message; the error itself when its type is not a builtin one."""
    kind = getattr(builtins, error.exc_type, None)
    if isinstance(kind, type) and issubclass(kind, Exception) and not issubclass(kind, OSError):
        try:
            return kind(error.message)
        except Exception:  # noqa: BLE001 -- a builtin that takes other arguments
            return error
    return error


def to_wire(value: Any) -> Any:
    """Arguments for the student's code: grader tensors as tensor values, handles as handles."""
    if isinstance(value, StudentObject):
        target = object.__getattribute__(value, "_target")
        return target if isinstance(target, RemoteObject) else value._proxy.value(target)
    if isinstance(value, (list, tuple)):
        converted = [to_wire(v) for v in value]
        return converted if isinstance(value, list) else tuple(converted)
    if isinstance(value, dict):
        return {k: to_wire(v) for k, v in value.items()}
    torch = sys.modules.get("torch")
    if torch is not None and isinstance(value, torch.Tensor):
        array = value.detach().cpu().numpy()
        return TensorValue(array, str(value.dtype), bool(value.requires_grad))
    return value


def to_grader(proxy: SubmissionProxy, value: Any, label: str) -> Any:
    """A value from the worker as a test uses it: data stays data, the rest a StudentObject.

    ``...`` is data too: it is what otter's students' copies leave in every blank (``x =
    ...``), so a test of a blank answer fails as in otter (``isinstance(x, int)`` is False),
    not with "came back as an object of your notebook", which reads as a wrong answer."""
    if isinstance(value, RemoteObject):
        if value.type_name == "ellipsis":  # no state, no methods of the student's: the grader's own
            return Ellipsis
        return StudentObject(proxy, value, label)
    if isinstance(value, TensorValue):
        import torch  # a tensor came back: the test compares it with the grader's torch

        dtype = getattr(torch, value.dtype.removeprefix("torch."), None)
        tensor = torch.tensor(value.array, dtype=dtype if isinstance(dtype, torch.dtype) else None)
        return tensor.requires_grad_(value.requires_grad) if tensor.is_floating_point() else tensor
    if isinstance(value, list):
        return [to_grader(proxy, v, label) for v in value]
    if isinstance(value, tuple):
        return tuple(to_grader(proxy, v, label) for v in value)
    if isinstance(value, dict):
        return {k: to_grader(proxy, v, label) for k, v in value.items()}
    return value
