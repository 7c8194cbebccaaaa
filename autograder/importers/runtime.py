"""Imported otter-grader and nbgrader tests, run in the grader against the jailed notebook.

otter and nbgrader run their tests inside the student's kernel, where the student can
patch ``numpy``, ``assert`` or the test files. Here the instructor's test code runs in
the grader, in a namespace whose names resolve, in order, to: what the test itself
defines; the modules the master notebook imports (the grader's own ``np``, ``torch``...,
bound by ``grader_imports``); the builtins; and only then the student's names, fetched
through the ``submission`` proxy. A student's function called here runs in the jail (its
printed output is copied into the test's output, as in the notebook); what comes back
is data (numbers, arrays, lists; a tensor becomes a grader-side ``torch`` tensor).
Anything else stays in the jail behind a :class:`StudentObject`, which never asks the
student's object to judge itself: comparing it, using it as true/false or changing it
raises :class:`~autograder.exceptions.NotData` instead of calling its ``__eq__`` or
``__bool__``.

What cannot work this way (documented in the README): a test that assigns to a
student's global to change what the student's functions see, that mutates a student's
object in place (``model.weight = ...``), or that passes a grader-side function or
object the wire cannot carry into a student's function.
"""

from __future__ import annotations

import builtins
import doctest
import importlib
import io
import sys
import traceback
import types
from collections.abc import Callable
from contextlib import redirect_stdout
from typing import Any

from autograder.checks.api import CheckFailed
from autograder.exceptions import MissingName, NotData, StudentCodeError, StudentException
from autograder.i18n import msg
from autograder.sandbox import RemoteObject, SubmissionProxy, TensorValue

_DOCTEST_FLAGS = 0  # otter runs its OK tests with doctest's default options
_MESSAGE_LIMIT = 1500
# libraries whose grader-side module a test gets for the notebook's alias of it (``np``)
GRADER_MODULES = frozenset({"numpy", "pandas", "scipy", "torch", "sklearn", "math", "cmath", "random",
                            "statistics", "collections", "itertools", "functools", "re", "string", "json",
                            "fractions", "decimal", "operator"})


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
    """A value from the worker as a test uses it: data stays data, the rest a StudentObject."""
    if isinstance(value, RemoteObject):
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


class GraderNamespace(dict[str, Any]):
    """Globals of one imported test: its own names, the grader's modules, the builtins,
    then the student's names (looked up again at each use: the student's functions may
    change their own globals between calls), as the notebook was at checkpoint ``at``
    (its ``grader.check`` cell, nbgrader's test cell; the end of the notebook when it
    has none). A name of the notebook that the test rebinds or deletes is rebound or
    deleted in the jail, as when the test ran in the notebook (otter, nbgrader)."""

    def __init__(self, proxy: SubmissionProxy, grader_imports: str, at: str = "") -> None:
        super().__init__(__builtins__=builtins, __name__="imported_test")
        self._proxy, self._at, self._local = proxy, at, True
        if grader_imports:
            exec(compile(grader_imports, "<grader imports>", "exec"), self)  # trusted: the master's imports
        self._local = False

    def _target(self, name: str) -> str:
        return f"{self._at}@{name}" if self._at else name

    def _student(self, name: str) -> Any:
        try:
            return self._proxy.value(self._target(name))  # MissingName when the notebook does not define it
        except MissingName:
            raise MissingName(name) from None

    def __missing__(self, name: str) -> Any:
        if hasattr(builtins, name):
            return getattr(builtins, name)
        if name.startswith("__"):
            raise KeyError(name)
        value = self._student(name)
        if isinstance(value, RemoteObject):
            if value.type_name == "module":  # never the student's (patched?) numpy
                return self._module(name, value)
            return StudentObject(self._proxy, value, name)
        return to_grader(self._proxy, value, name)

    def _module(self, name: str, value: RemoteObject) -> Any:
        """The grader's own module of the name the notebook imported as ``name``, for the
        well-known libraries only (a test without a master: ``np`` is numpy)."""
        dotted = self._proxy.getattr(value, "__name__")
        if isinstance(dotted, str) and dotted.split(".")[0] in GRADER_MODULES:
            module = importlib.import_module(dotted)
            dict.__setitem__(self, name, module)
            return module
        raise NotData(name, "module")

    def __setitem__(self, name: str, value: Any) -> None:
        if self._local or name.startswith("__") or dict.__contains__(self, name) or \
                isinstance(value, types.ModuleType) or not self._defined(name):
            dict.__setitem__(self, name, value)
            return
        try:
            self._proxy.call_ex("@assign", [self._at, name, to_wire(value)])
        except (StudentCodeError, TypeError, ValueError):  # a grader-side object: the test keeps it
            dict.__setitem__(self, name, value)

    def __delitem__(self, name: str) -> None:
        if dict.__contains__(self, name):
            dict.__delitem__(self, name)
            return
        try:
            self._proxy.call_ex("@delete", [self._at, name])
        except StudentException as error:
            raise as_builtin(error) from None

    def _defined(self, name: str) -> bool:
        return self._proxy.call("@defines", self._at, name) is True


def reached(submission: SubmissionProxy, at: str) -> bool:
    """Whether the notebook ran checkpoint ``at`` (its test cell, its ``grader.check``)."""
    return submission.call("@reached", at) is True


def _require(submission: SubmissionProxy, at: str, required: bool) -> None:
    if required and not reached(submission, at):
        raise CheckFailed(msg("imported.cell_missing", cell=at))


def _short(text: str) -> str:
    text = text.rstrip("\n")
    return text if len(text) <= _MESSAGE_LIMIT else text[:_MESSAGE_LIMIT] + "…"


def _raised(source: str, error: BaseException) -> CheckFailed:
    return CheckFailed(msg("imported.raised", source=_short(source.strip()), exc_type=type(error).__name__,
                           message=_short(str(error))))


def run_doctest(submission: SubmissionProxy, grader_imports: str, text: str, at: str = "",
                required: bool = False) -> None:
    """An otter OK-format test case: each ``>>>`` example runs here and its output is
    compared, by doctest's own rules, with the output the master notebook showed."""
    _require(submission, at, required)
    namespace = GraderNamespace(submission, grader_imports, at)
    checker = doctest.OutputChecker()
    for example in doctest.DocTestParser().get_examples(text, "imported test"):
        output = io.StringIO()
        try:
            with redirect_stdout(output):
                exec(compile(example.source, "<imported test>", "single"), namespace)
        except StudentCodeError:
            raise
        except Exception as error:  # noqa: BLE001 -- the test failed: said so, with its source
            if example.exc_msg is not None:  # the example expects this exception
                got = traceback.format_exception_only(type(error), error)[-1]
                if checker.check_output(example.exc_msg, got, _DOCTEST_FLAGS):
                    continue
            raise _raised(example.source, error) from None
        got = output.getvalue()
        if not checker.check_output(example.want, got, _DOCTEST_FLAGS):
            raise CheckFailed(msg("imported.expected", source=_short(example.source.strip()),
                                  want=_short(example.want) or "(nothing)", got=_short(got) or "(nothing)"))


def run_code(submission: SubmissionProxy, grader_imports: str, code: str, at: str = "",
             required: bool = False) -> None:
    """An nbgrader autograder test cell: its code (asserts) runs here; it passes when it
    raises nothing (nbgrader's rule; a printed partial score is not trusted)."""
    _require(submission, at, required)
    namespace = GraderNamespace(submission, grader_imports, at)
    try:
        with redirect_stdout(io.StringIO()):
            exec(compile(code, "<imported test>", "exec"), namespace)
    except StudentCodeError:
        raise
    except AssertionError as error:
        raise CheckFailed(msg("imported.failed", detail=_short(str(error)) or _failed_line(code, error))) from None
    except Exception as error:  # noqa: BLE001 -- the test failed: said so, with its source
        raise _raised(_failed_line(code, error), error) from None


def run_function(submission: SubmissionProxy, grader_imports: str, code: str, function: str,
                 at: str = "", required: bool = False) -> None:
    """An otter exception-based test: ``def test_q1(square): assert ...`` called with
    its parameters bound by name (the student's names, or the grader's modules)."""
    _require(submission, at, required)
    namespace = GraderNamespace(submission, grader_imports, at)
    exec(compile(code, "<imported test>", "exec"), namespace)
    test: Callable[..., Any] = namespace[function]
    names = test.__code__.co_varnames[: test.__code__.co_argcount]
    try:
        with redirect_stdout(io.StringIO()):
            test(*(namespace[name] for name in names))
    except StudentCodeError:
        raise
    except AssertionError as error:
        raise CheckFailed(msg("imported.failed", detail=_short(str(error)) or _failed_line(code, error))) from None
    except Exception as error:  # noqa: BLE001
        raise _raised(_failed_line(code, error), error) from None


def _failed_line(code: str, error: BaseException) -> str:
    """The line of the test that failed, from the traceback (the test's own source)."""
    tb = error.__traceback__
    line = 0
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<imported test>":
            line = tb.tb_lineno
        tb = tb.tb_next
    lines = code.splitlines()
    return lines[line - 1].strip() if 0 < line <= len(lines) else type(error).__name__
