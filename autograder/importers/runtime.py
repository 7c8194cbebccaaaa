"""Imported otter-grader and nbgrader tests, run in the grader against the jailed notebook.

otter and nbgrader run their tests inside the student's kernel, where the student can
patch ``numpy``, ``assert`` or the test files. Here the instructor's test code runs in
the grader, in a namespace whose names resolve, in order, to: what the test itself
defines; the modules the master notebook imports (the grader's own ``np``, ``torch``...,
bound by ``grader_imports``); the builtins; and only then the student's names, fetched
through the ``submission`` proxy, as the notebook was at the question's checkpoint (its
``grader.check`` cell, nbgrader's test cell; ``sandbox/inside/standins.py``). A
student's function called here runs in the jail (its printed output is copied into the
test's output, as in the notebook); what comes back is data, or a
:class:`~autograder.importers.remote.StudentObject` that never judges itself. A name
of the notebook that the test rebinds or deletes is rebound or deleted in the jail.

What cannot work this way (documented in the README): a test that mutates a student's
object in place (``model.weight = ...``), uses ``global``, or passes a grader-side
function or object the wire cannot carry into a student's function.
"""

from __future__ import annotations

import builtins
import doctest
import importlib
import io
import traceback
import types
from collections.abc import Callable
from contextlib import redirect_stdout
from typing import Any

from autograder.checks.api import CheckFailed
from autograder.exceptions import MissingName, NotData, StudentCodeError, StudentException
from autograder.i18n import msg
from autograder.importers.remote import as_builtin, to_grader, to_wire
from autograder.sandbox.values import RemoteObject, without_stand_ins
from autograder.session import SubmissionProxy

_DOCTEST_FLAGS = 0  # otter runs its OK tests with doctest's default options
_MESSAGE_LIMIT = 1500
# libraries whose grader-side module a test gets for the notebook's alias of it (``np``)
GRADER_MODULES = frozenset({"numpy", "pandas", "scipy", "torch", "sklearn", "math", "cmath", "random",
                            "statistics", "collections", "itertools", "functools", "re", "string", "json",
                            "fractions", "decimal", "operator"})


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
        if isinstance(value, RemoteObject) and value.type_name == "module":  # never the student's (patched?) numpy
            return self._module(name, value)
        return to_grader(self._proxy, value, name)  # a StudentObject, unless data

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
                           message=_short(without_stand_ins(str(error)))))


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
