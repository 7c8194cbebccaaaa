"""The one place the server meets the grading library: a notebook in, a result out.

Here, or on a Dask cluster (``serve --scheduler``): :func:`open_grader` returns one or
the other, both with ``grade`` and ``close``.

A :class:`WarmGrader` is what ``autograder grade`` builds for a batch (the jail, the
:class:`~autograder.grading.Grader`, the checks collected once), kept open between
submissions: the zygote stays up with the assignment's imports done, the master's run
time is measured once, and a submission costs only its own run and checks. The result
is the one ``grade`` writes (same scores, messages and seed, which come from the
notebook's bytes), with the student's name and the late penalty by the server's clock
(:mod:`autograder.late`), as ``grade --manifest`` applies it.
"""

from __future__ import annotations

from contextlib import ExitStack
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from autograder.batch import with_origin
from autograder.config import Settings
from autograder.grading import Grader, Submission
from autograder.late import apply_late, late_info
from autograder.results import SubmissionResult
from autograder.opener import Opener


class AssignmentGrader(Protocol):
    assignment: str

    def grade(self, notebook: Path, student: str, name: str, submitted_at: datetime) -> SubmissionResult: ...

    def close(self) -> None: ...


def open_grader(assignment: str, settings: Settings, scheduler: str | None = None) -> AssignmentGrader:
    if scheduler is None:
        return WarmGrader(assignment, settings)
    return ClusterGrader(assignment, settings, scheduler)


def _served(result: SubmissionResult, submission: Submission, settings: Settings,
            assignment: str, submitted_at: datetime) -> SubmissionResult:
    """The result as the server files it: the student's name, the late penalty by its clock."""
    result = with_origin(result, submission)
    config = settings.assignment(assignment)
    late = late_info(config.due, config.late_penalty, submitted_at) if config.due is not None else None
    return apply_late(result, late)


class WarmGrader:
    """One assignment's grader, open until :meth:`close`."""

    def __init__(self, assignment: str, settings: Settings) -> None:
        self.assignment = assignment
        self.settings = settings
        self._stack = ExitStack()
        try:
            opener = self._stack.enter_context(Opener.start(settings, assignment))  # the one way in
            self.jail = opener.jail
            self.grader = Grader.through(opener)
            self._run_checks = self._stack.enter_context(self.grader.suite.runner())
            self.grader.limits  # the master's run time, measured once in this jail
        except BaseException:
            self._stack.close()
            raise

    def grade(self, notebook: Path, student: str, name: str, submitted_at: datetime) -> SubmissionResult:
        """The result of ``notebook``, filed under ``student`` (as the LMS exports want it)."""
        submission = Submission(student, notebook, name=name)
        result = self.grader.grade_one(submission, self._run_checks)
        return _served(result, submission, self.settings, self.assignment, submitted_at)

    def close(self) -> None:
        self._stack.close()


class ClusterGrader:
    """One assignment graded on a Dask cluster, as ``grade --scheduler`` grades it.

    The course goes to the workers once (:class:`~autograder.cluster.worker.GradingPlugin`,
    which keeps a jail warm on each of them); each submission is one task, its bytes out
    and its reply's JSON text back, its result checked like ``grade``'s (``parse_reply``)
    and its lines for the author (``check bug in ...``) told here, naming the course's files.
    """

    def __init__(self, assignment: str, settings: Settings, scheduler: str) -> None:
        from autograder.cluster.archive import CourseArchive
        from autograder.cluster.client import connect
        from autograder.cluster.worker import GradingPlugin

        self.assignment = assignment
        self.settings = settings
        self.client: Any = connect(scheduler)
        self.plugin = GradingPlugin(CourseArchive.pack(settings, assignment))
        self.client.register_plugin(self.plugin)

    def grade(self, notebook: Path, student: str, name: str, submitted_at: datetime) -> SubmissionResult:
        from autograder.cluster.client import parse_reply
        from autograder.cluster.worker import grade_task

        submission = Submission(student, notebook, name=name)
        future = self.client.submit(grade_task, self.plugin.name, student, notebook.read_bytes(), None,
                                    pure=False, retries=1)
        reply = parse_reply(future.result(), self.assignment, student)
        reply.tell(self.settings.assignment_dir(self.assignment))
        result = reply.result
        return _served(result, submission, self.settings, self.assignment, submitted_at)

    def close(self) -> None:
        self.client.close()
