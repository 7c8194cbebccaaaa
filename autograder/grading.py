"""One submission from file to :class:`SubmissionResult`.

Never raises for anything a student did: an unreadable file, failing cells, a
crashing or hanging worker all end as a result with a score (0 where nothing could
be checked) and errors that say why. Only grader bugs and a broken jail propagate.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from functools import partial

from autograder import causes
from autograder.checks.suite import CheckRunner, CheckSuite
from autograder.config import Limits, Settings
from autograder.gather import Reordered
from autograder.exceptions import NotebookError
from autograder.i18n import Text, msg
from autograder.manual import pending, unscored
from autograder.notebook import CodeCell
from autograder.outcomes import CheckOutcome, CheckSpec, EarlyStop
from autograder.public import PublicExamples
from autograder.results import SubmissionResult
from autograder.opener import Opener
from autograder.sandbox.jail import Jail
from autograder.setup_cell import setup_source
from autograder.scoring import Explain, failed_everywhere, mark_optional, score_questions
from autograder.submissions import Submission


class Grader:
    """Grades submissions of one assignment with one jail and checks collected once;
    every submission is opened through the assignment's :class:`Opener`."""

    def __init__(self, assignment: str, settings: Settings, jail: Jail,
                 stop_early: Mapping[str, EarlyStop] | None = None, opener: Opener | None = None) -> None:
        self.assignment = assignment
        self.settings = settings
        self.jail = jail
        # the command's own opener when it has one: the master, the stubs and the rules read once
        self.opener = opener if opener is not None else Opener(assignment, settings, jail)
        self.points = settings.assignment(assignment).questions
        self.manual = settings.assignment(assignment).manual  # graded by hand: listed, out of the total
        self.suite = CheckSuite(assignment, settings)
        self.public = PublicExamples.load(assignment, settings)
        # the setup cell every notebook handed out carries, compiled once by the jail
        jail.teach([setup_source(self.public.data, settings.language, None, assignment)])
        self.stop_early = dict(stop_early or {})  # verify's mutants, by submission id: see EarlyStop
        # consecutive checks' first requests in one frame (gather.py), unless the course says its
        # checks depend on one another
        self.gather = settings.assignment(assignment).independent_checks
        self.traces: list[list[str]] | None = None  # set to a list: each graded run's requests (_checked)

    @classmethod
    def through(cls, opener: Opener) -> Grader:
        """A grader of the opener's assignment that opens submissions through it (and so
        shares its limits, measured once)."""
        return cls(opener.assignment, opener.settings, opener.jail, opener=opener)

    @property
    def limits(self) -> Limits:
        """The assignment's limits, the cell limit following the master's run time."""
        return self.opener.limits

    def grade(self, submission: Submission) -> SubmissionResult:
        with self.suite.runner() as run_checks:
            return self.grade_one(submission, run_checks)

    def grade_many(self, submissions: Iterable[Submission],
                   deliver: Callable[[SubmissionResult], None]) -> None:
        """Grade each submission, handing every result to ``deliver`` as soon as it is known.

        The checks are collected once for all of them. Whatever ``deliver`` or the
        grading raises ends the loop and reaches the caller.
        """
        with self.suite.runner() as run_checks:
            for submission in submissions:
                deliver(self.grade_one(submission, run_checks))

    def grade_one(self, submission: Submission, run_checks: CheckRunner) -> SubmissionResult:
        """One submission, with checks collected by ``self.suite.runner()``."""
        started = time.perf_counter()
        sha = submission.sha256
        if submission.problem is not None:
            return self._unrunnable(submission, sha, [submission.problem], started, run_checks.specs)
        try:
            cells = self.opener.read(submission.path)
        except NotebookError as error:
            return self._unrunnable(submission, sha, [error.text()], started, run_checks.specs)
        if not cells:
            return self._unrunnable(submission, sha, [msg("notebook.no_code")], started, run_checks.specs)
        stop = self.stop_early.get(submission.id)
        try:
            errors, public, outcomes, explain = self._checked(cells, sha, run_checks, stop, self.gather)
        except Reordered:  # gathering would have changed what the worker saw: one check at a time
            errors, public, outcomes, explain = self._checked(cells, sha, run_checks, stop, False)
        return self._result(submission, sha, outcomes, public, errors, started, explain=explain,
                            every_check=stop is None or len(outcomes) == len(run_checks.specs))

    def _checked(self, cells: list[CodeCell], sha: str, run_checks: CheckRunner, stop: EarlyStop | None,
                 gather: bool) -> tuple[list[Text], list[CheckOutcome], list[CheckOutcome], Explain]:
        """One run of a submission: its cells' errors, its public examples' and its checks'
        outcomes, and what explains a question's blocker. With ``traces`` set, the requests
        the worker got are kept, also those of a gathered run given up (``Reordered``):
        ``verify``'s check that gathering changes none."""
        with self.opener.open(cells, sha) as session:
            if self.traces is not None:
                session.trace = []
            try:
                errors = causes.cell_errors(cells, session.run)
                public = self.public.run(session)
                outcomes = run_checks(session, gather=gather) if stop is None else run_checks(session, stop, public)
            finally:
                if self.traces is not None and session.trace is not None:
                    self.traces.append(session.trace)
            return errors, public, outcomes, partial(causes.explain, cells=cells, run=session.run)

    def _result(self, submission: Submission, sha: str, outcomes: list[CheckOutcome],
                public: list[CheckOutcome], errors: list[Text], started: float,
                status: str = "graded", explain: Explain | None = None,
                every_check: bool = True) -> SubmissionResult:
        """The result; ``every_check`` False (``verify`` stopped early) leaves the checks
        that did not run out of it, instead of counting them failed."""
        language = self.settings.language
        notes = [msg("grade.sandbox_none")] if self.jail.backend == "none" else []
        return SubmissionResult(
            assignment=self.assignment,
            submission=submission.id,
            questions=mark_optional(score_questions(self.points, outcomes, language, public,
                                                    expected=self.suite.specs if every_check else None,
                                                    explain=explain),
                                    self.settings.assignment(self.assignment).optional)
            + pending(self.manual, language),
            errors=tuple(e.render(language) for e in [*notes, *errors]),
            duration_s=time.perf_counter() - started,
            status="error" if status == "error" else "graded",
            sandbox=self.jail.backend,
            language=language,
            sha256=sha,
            extra=unscored(self.manual),
        )

    def _unrunnable(self, submission: Submission, sha: str, errors: list[Text],
                    started: float, specs: list[CheckSpec]) -> SubmissionResult:
        reason = msg("grade.not_graded")
        outcomes = failed_everywhere(specs, reason)
        public = self.public.failed(reason)
        return self._result(submission, sha, outcomes, public, errors, started, status="error")
