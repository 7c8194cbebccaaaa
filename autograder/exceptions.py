"""Every error the autograder raises, under one base class.

Errors carry their fields (cell index, exception name, message) and build their own
student-facing :class:`~autograder.i18n.Text`, so they survive a process boundary as
data. Errors that end a command carry their exit code; the CLI maps them in one place.
"""

from __future__ import annotations

import builtins
import re

from autograder.hints import asked_for_input, with_hint
from autograder.i18n import Text, msg

EXIT_UNDER_THRESHOLD = 1
EXIT_USAGE = 2
EXIT_GRADER_FAILURE = 3  # the grader itself failed (jail, bug, disk): never a student's fault
EXIT_INTERRUPTED = 130


class AutograderError(Exception):
    """Base of every error the autograder raises on purpose."""

    exit_code: int = EXIT_USAGE

    def text(self) -> Text:
        return Text.plain(str(self))


# ---- errors of the person running the command (exit 2) -------------------------------


class UsageError(AutograderError):
    """The command line asks for something that cannot be done."""


class ClusterUnreachable(UsageError):
    """The Dask scheduler named by ``--scheduler`` cannot be reached: nothing was graded.
    The course server puts the submission back without counting it against the
    submission (the cluster was down, not the grading of that notebook)."""


class ConfigError(AutograderError):
    """``grading_config.yaml`` is missing, unreadable or has a bad value."""

    def __init__(self, path: str, key: str, reason: str) -> None:
        self.path, self.key, self.reason = path, key, reason
        where = f"{path}: {key}" if key else path
        super().__init__(f"{where}: {reason}")


class AssignmentError(AutograderError):
    """An assignment folder is missing or incomplete (no reference, no checks...)."""


# ---- failures of the grader itself (exit 3) -------------------------------------------


class GraderError(AutograderError):
    """The grader could not do its job (a bug, a full disk, a broken jail): exit 3."""

    exit_code = EXIT_GRADER_FAILURE


class CheckBugs(GraderError):
    """Some submissions of a batch hit a bug in the assignment's own checks (a check that
    raised what no wrong answer explains): every result was saved, each such check failed as
    "internal error", but the batch must not end as if all were well (exit 3, CONTRACT §2)."""

    def __init__(self, count: int, total: int) -> None:
        self.count, self.total = count, total
        super().__init__(f"{count} of {total} submission(s) hit a bug in the assignment's checks: graded and "
                         f"saved, those checks failed as internal errors (a 'check bug in' line says where each "
                         f"raised; a rerun that skips them prints none, --regrade does): fix the checks and run "
                         f"the same command again")


class SandboxError(GraderError):
    """The jail itself could not start or broke: an infrastructure failure."""


class PreloadError(SandboxError):
    """A module the jail preloads for every worker does not import there: every
    student's import of it would fail too, so the batch stops instead (exit 3)."""

    def __init__(self, module: str, reason: str) -> None:
        self.module, self.reason = module, reason
        super().__init__(f"the jail cannot import {module!r}, which it preloads for the "
                         f"assignment's notebooks ({reason}); install it where the jail sees "
                         f"it (the course's requirements.txt) or change `preload:` in the config")


# ---- a submission that cannot be read ------------------------------------------------


class NotebookError(AutograderError):
    """A submitted file is not a readable notebook. ``kind`` names what is wrong and
    ``detail`` says more, in both languages (a student reads it inside the kind's message)."""

    def __init__(self, kind: str, detail: Text | None = None, offset: int = 0) -> None:
        self.kind, self.detail, self.offset = kind, detail or Text.plain(""), offset
        super().__init__(f"{kind}: {self.detail.en}" if self.detail.en else kind)

    def text(self) -> Text:
        return msg(f"notebook.{self.kind}", detail=self.detail, offset=self.offset)


# ---- what a student's code did during a call ----------------------------------------


class StudentCodeError(AutograderError):
    """A call into the student's code did not return a usable value.

    ``call`` is a short rendering of the call (``sigmoid(array(shape=(3,)))``) used
    in messages.
    """

    def __init__(self, call: str) -> None:
        self.call = call
        self.made: Text | None = None  # how the called method's object was made (checks.objects.on_object)
        super().__init__(call)

    def __str__(self) -> str:
        return self.told().en

    def told(self) -> Text:
        """What a check's failure says: :meth:`text`, then how the object was made when
        the call was a method's (``made``). Kept apart from ``text`` and on this error, not
        turned into a ``CheckFailed``, so the cause ("not implemented yet") is still found."""
        return self.text() if self.made is None else self.text() + Text.plain("\n") + self.made


class MissingName(StudentCodeError, NameError):
    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name  # after NameError.__init__, which resets .name

    def text(self) -> Text:
        """What to define: a method (``Car.new_cost``) is no function named with a dot."""
        cls, _, method = str(self.name).rpartition(".")
        if cls:
            return msg("call.missing_method", name=self.name, cls=cls, method=method)
        return msg("call.missing", name=self.name)


class NotCallable(StudentCodeError, TypeError):
    def __init__(self, name: str, type_name: str) -> None:
        super().__init__(name)
        self.name, self.type_name = name, type_name

    def text(self) -> Text:
        return msg("call.not_callable", name=self.name, type_name=self.type_name)


TRACEBACK_KEPT = 2000  # the worker keeps a traceback's first characters: past them, the innermost frame is lost
# a traceback line of the worker's (traceback.format_list); a generator's frame has no name
_CELL_FRAME = re.compile(r'File "<cell \d+>", line \d+, in ([A-Za-z_]\w*)\n')


class StudentException(StudentCodeError):
    """The student's function raised. ``exc_type`` is the exception's class name."""

    def __init__(self, call: str, exc_type: str, message: str, traceback: str = "") -> None:
        self.exc_type, self.message, self.traceback = exc_type, message, traceback
        super().__init__(call)

    @property
    def not_implemented(self) -> bool:
        return self.exc_type == "NotImplementedError"

    @property
    def unfinished(self) -> str:
        """The function that is not done yet: the one called, or one it calls (``fit``
        calling a ``backward_pass`` still a stub), read from the innermost named frame of
        the student's cells in the traceback."""
        called = self.call.split("(", 1)[0]
        frames = _CELL_FRAME.findall(self.traceback) if len(self.traceback) < TRACEBACK_KEPT else []
        if frames and frames[-1] != called.rsplit(".", 1)[-1]:
            return frames[-1]
        return called

    def text(self) -> Text:
        if self.not_implemented:
            return msg("call.not_implemented", name=self.unfinished)
        if asked_for_input(self.exc_type):
            return msg("call.input", call=self.call)
        raised = msg("call.raised", call=self.call, exc_type=self.exc_type, message=self.message)
        return with_hint(raised, self.exc_type, self.message)


# Python's exceptions a student's may be raised as in the grader (by name, never the
# student's class): every Exception but those that steer the grader's own control flow
_NOT_RAISED_AS = {"StopIteration", "StopAsyncIteration", "Exception"}
_raised_as: dict[str, type[StudentException]] = {}


def _student_class(builtin: str) -> type[StudentException]:
    """``StudentException`` that is also Python's own ``builtin`` exception (named like
    it, so ``except ValueError`` and ``pytest.raises(ValueError)`` in a check catch it);
    plain ``StudentException`` for a name that is not one, or one that cannot be mixed
    with another class (its own layout or constructor: ``UnicodeDecodeError``)."""
    if builtin in _raised_as:
        return _raised_as[builtin]
    base = getattr(builtins, builtin, None) if builtin not in _NOT_RAISED_AS else None
    made: type[StudentException] = StudentException
    if isinstance(base, type) and issubclass(base, Exception):
        try:
            made = type(builtin, (StudentException, base), {"__module__": __name__, "__qualname__": builtin})
            made("probe()", builtin, "")
        except TypeError:  # as its parent (UnicodeDecodeError: ValueError)
            made = _student_class(base.__mro__[1].__name__)
    _raised_as[builtin] = made
    return made


def student_exception(call: str, exc_type: str, message: str, traceback: str = "",
                      builtin: str = "") -> StudentException:
    """What a check sees when the student's function raised: a ``StudentException``, and
    also the builtin exception ``builtin`` names (the first of Python's own classes the
    student's exception is an instance of, as the worker reports it)."""
    return _student_class(builtin)(call, exc_type, message, traceback)


class CallTimeout(StudentCodeError, TimeoutError):
    def __init__(self, call: str, limit_s: float) -> None:
        self.limit_s = limit_s
        super().__init__(call)

    def text(self) -> Text:
        return msg("call.timeout", call=self.call, limit=self.limit_s)


class OverBudget(StudentCodeError, TimeoutError):
    """A question's calls took more than its time budget together (autograder/budget.py).
    Named by the question, not by the call that went over: which call that is depends
    on the machine's speed, and the message must not (CONTRACT §3)."""

    def __init__(self, question: str, budget_s: float) -> None:
        self.budget_s = budget_s
        super().__init__(question)

    def text(self) -> Text:
        return msg("call.over_budget", question=self.call, budget=self.budget_s)


class WorkerDied(StudentCodeError):
    """The worker process ended during a call (exit, signal, memory limit)."""

    def __init__(self, call: str, detail: str) -> None:
        self.detail = detail
        super().__init__(call)

    def text(self) -> Text:
        return msg("call.died", call=self.call, detail=self.detail)


class OutOfMemory(StudentCodeError, MemoryError):
    def __init__(self, call: str, limit_mb: int) -> None:
        self.limit_mb = limit_mb
        super().__init__(call)

    def text(self) -> Text:
        return msg("call.memory", call=self.call, limit=self.limit_mb)


class BadValue(StudentCodeError):
    """The value returned cannot cross the wire (wrong dtype, too big, too deep)."""

    def __init__(self, call: str, detail: str) -> None:
        self.detail = detail
        super().__init__(call)

    def text(self) -> Text:
        return msg("call.bad_value", call=self.call, detail=self.detail)


class NotData(StudentCodeError, TypeError):
    """An imported test used an object of the student's notebook that is not data (it
    lives in the jail) as a truth value, in a comparison, or changed it: the grader
    never asks the student's object to judge itself (its own ``__eq__``/``__bool__``)."""

    def __init__(self, name: str, use: str) -> None:  # use: bool, compare, change, iterate
        super().__init__(name)
        self.name, self.use = name, use

    def text(self) -> Text:
        return msg(f"imported.not_data.{self.use}", name=self.name)
