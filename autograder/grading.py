"""One submission from file to :class:`SubmissionResult`.

Never raises for anything a student did: an unreadable file, failing cells, a
crashing or hanging worker all end as a result with a score (0 where nothing could
be checked) and errors that say why. Only grader bugs and a broken jail propagate.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from autograder.checks.suite import CheckOutcome, CheckSuite
from autograder.config import Settings
from autograder.exceptions import NotebookError
from autograder.i18n import Text, msg
from autograder.notebook import CodeCell, read_submission
from autograder.public import PublicExamples
from autograder.results import SubmissionResult
from autograder.sandbox import Jail, Session
from autograder.scoring import failed_everywhere, score_questions


@dataclass(frozen=True)
class Submission:
    """A notebook to grade and the id its results are filed under."""

    id: str
    path: Path

    @property
    def sha256(self) -> str:
        try:
            return hashlib.sha256(self.path.read_bytes()).hexdigest()
        except OSError:
            return ""


class Grader:
    """Grades submissions of one assignment with one jail and checks collected once."""

    def __init__(self, assignment: str, settings: Settings, jail: Jail) -> None:
        self.assignment = assignment
        self.settings = settings
        self.jail = jail
        self.points = settings.assignment(assignment).questions
        self.suite = CheckSuite(assignment, settings)
        self.public = PublicExamples.load(assignment, settings)

    def grade(self, submission: Submission) -> SubmissionResult:
        results: list[SubmissionResult] = []
        self.grade_many([submission], results.append)
        return results[0]

    def grade_many(self, submissions: Iterable[Submission],
                   deliver: Callable[[SubmissionResult], None]) -> None:
        """Grade each submission, handing every result to ``deliver`` as soon as it is known."""
        self.suite.run_many(self._sessions(submissions, deliver))

    def _sessions(self, submissions: Iterable[Submission], deliver: Callable[[SubmissionResult], None]
                  ) -> Iterator[tuple[Session, Callable[[list[CheckOutcome]], None]]]:
        for submission in submissions:
            started = time.perf_counter()
            sha = submission.sha256
            try:
                cells = read_submission(submission.path)
            except NotebookError as error:
                deliver(self._unrunnable(submission, sha, [error.text()], started))
                continue
            if not cells:
                deliver(self._unrunnable(submission, sha, [msg("notebook.no_code")], started))
                continue
            yield from self._checked(submission, sha, cells, started, deliver)

    def _checked(self, submission: Submission, sha: str, cells: list[CodeCell], started: float,
                 deliver: Callable[[SubmissionResult], None]
                 ) -> Iterator[tuple[Session, Callable[[list[CheckOutcome]], None]]]:
        with self.jail.session(cells, self.settings.limits(self.assignment)) as session:
            errors = session.run.errors()
            public = self.public.run(session)

            def finish(outcomes: list[CheckOutcome]) -> None:
                deliver(self._result(submission, sha, outcomes, public, errors, started))

            yield session, finish

    def _result(self, submission: Submission, sha: str, outcomes: list[CheckOutcome],
                public: list[CheckOutcome], errors: list[Text], started: float,
                status: str = "graded") -> SubmissionResult:
        language = self.settings.language
        notes = [msg("grade.sandbox_none")] if self.jail.backend == "none" else []
        return SubmissionResult(
            assignment=self.assignment,
            submission=submission.id,
            questions=score_questions(self.points, outcomes, language, public),
            errors=tuple(e.render(language) for e in [*notes, *errors]),
            duration_s=time.perf_counter() - started,
            status="error" if status == "error" else "graded",
            sandbox=self.jail.backend,
            language=language,
            sha256=sha,
        )

    def _unrunnable(self, submission: Submission, sha: str, errors: list[Text],
                    started: float) -> SubmissionResult:
        reason = msg("grade.not_graded")
        outcomes = failed_everywhere(self.suite.specs, reason)
        public = self.public.failed(reason)
        return self._result(submission, sha, outcomes, public, errors, started, status="error")
