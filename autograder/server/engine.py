"""The one place the server meets the grading library: a notebook in, a result out.

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

from autograder.batch import with_origin
from autograder.config import Settings
from autograder.grading import Grader, Submission
from autograder.late import apply_late, late_info
from autograder.results import SubmissionResult
from autograder.sandbox import Jail


class WarmGrader:
    """One assignment's grader, open until :meth:`close`."""

    def __init__(self, assignment: str, settings: Settings) -> None:
        self.assignment = assignment
        self.settings = settings
        self._stack = ExitStack()
        try:
            self.jail = self._stack.enter_context(
                Jail.start(settings.config.sandbox, settings.preload(assignment), settings.data_dir(assignment)))
            self.grader = Grader(assignment, settings, self.jail)
            self._run_checks = self._stack.enter_context(self.grader.suite.runner())
            self.grader.limits  # the master's run time, measured once in this jail
        except BaseException:
            self._stack.close()
            raise

    def grade(self, notebook: Path, student: str, name: str, submitted_at: datetime) -> SubmissionResult:
        """The result of ``notebook``, filed under ``student`` (as the LMS exports want it)."""
        submission = Submission(student, notebook, name=name)
        result = with_origin(self.grader.grade_one(submission, self._run_checks), submission)
        config = self.settings.assignment(self.assignment)
        late = late_info(config.due, config.late_penalty, submitted_at) if config.due is not None else None
        return apply_late(result, late)

    def close(self) -> None:
        self._stack.close()
