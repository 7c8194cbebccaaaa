"""Run an assignment's hidden checks against submissions, loading them once.

The grader runs checks itself, through public Python only: ``collect.py`` imports
the check files and plans each check's fixtures when the assignment loads (refusing
what this runner would not run as pytest does), and :class:`CheckRunner` runs every
check against one submission per call: its fixtures set up in the planned order,
the function called, its fixtures torn down last-first. pytest stays the way an
instructor runs the same checks (``plugin.py``). The loop over submissions is the
grader's own (STYLE 11): a full disk, Ctrl-C or a dead jail reaches the command.
"""

from __future__ import annotations

import sys
from collections.abc import Generator, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

from autograder.causes import blocker_of
from autograder.checks.agreement import disagreements
from autograder.checks.api import CheckFailed, Scored
from autograder.checks.blame import is_unmet_condition, unmet_detail
from autograder.checks.collect import Check, Fixture, load_checks
from autograder.checks.context import CheckContext
from autograder.checks import notes
from autograder.checks.fixtures import MAKERS, CheckId
from autograder.config import Settings
from autograder.exceptions import AssignmentError, GraderError, StudentCodeError
from autograder.i18n import Text, msg
from autograder.instructor import load_reference, raised_at
from autograder.outcomes import CheckOutcome, CheckSpec, EarlyStop, completed
from autograder.sandbox.values import without_stand_ins
from autograder.session import Session

def check_endings() -> tuple[type[BaseException], ...]:
    """What a check may raise that is its outcome: any ``Exception``, and, when a check
    file uses pytest, ``pytest.skip`` and ``pytest.fail`` (BaseExceptions). Evaluated only
    when something is raised (an ``except`` clause's expression is)."""
    pytest = sys.modules.get("pytest")
    return (Exception,) if pytest is None else (Exception, pytest.skip.Exception, pytest.fail.Exception)


def skip_reason(error: BaseException) -> str | None:
    """Why ``pytest.skip`` was called, if that is what ``error`` is."""
    pytest = sys.modules.get("pytest")
    if pytest is None or not isinstance(error, pytest.skip.Exception):
        return None
    return str(error.msg) if error.msg else "no reason given"


def outcome_of(spec: CheckSpec, error: BaseException | None, folder: Path | None = None) -> CheckOutcome:
    """Turn how a check ended into a pass, a student-facing failure or a grader bug.

    ``folder`` is the assignment's: a failed ``assert`` (or ``pytest.raises``) of a check
    is the student's failure, one raised in its ``reference.py`` the grader's bug."""
    if error is None:
        return spec.outcome(True)
    if isinstance(error, Scored):  # a metric in bands: passed at full credit, a share of it below
        return spec.outcome(error.fraction >= 1, error.text, fraction=error.fraction, measure=error.measure)
    if isinstance(error, CheckFailed):  # in a check's own words, our stand-ins' names told as the student's
        message = Text(en=without_stand_ins(error.text.en), ru=without_stand_ins(error.text.ru, "ru"))
    elif isinstance(error, StudentCodeError):
        message = error.told()
    elif is_unmet_condition(error, folder):  # a plain assert, pytest.approx, pytest.raises, np.testing
        message = msg("check.unmet", detail=without_stand_ins(unmet_detail(error, folder)))
    elif (reason := skip_reason(error)) is not None:  # a fixture skipped it
        notes.tell(f"autograder: check skipped in {spec.question}/{spec.title.en}: {reason} "
                     "(counted as failed; checks must not skip)")
        message = msg("check.skipped", reason=reason)
    else:
        detail = without_stand_ins(f"{type(error).__name__}: {error}")
        at = raised_at(error, folder)  # the author fixes it there: no traceback is shown
        notes.tell(f"autograder: check bug in {spec.question}/{spec.title.en}{f' ({at})' if at else ''}: {detail}")
        return spec.outcome(False, msg("check.internal_error", detail=detail), blocker_of(error), check_bug=True)
    return spec.outcome(False, message, blocker_of(error))


def is_grader_failure(error: BaseException) -> bool:
    """Whether an exception raised during a check is the grader's own failure (the jail
    died, the disk is full), which must stop the batch instead of failing the check."""
    return isinstance(error, (GraderError, OSError)) and not isinstance(error, StudentCodeError)


def judged(spec: CheckSpec, error: BaseException | None, folder: Path | None = None) -> CheckOutcome:
    """The check's outcome, once its fixtures are torn down; the grader's own failure
    raised instead (:func:`is_grader_failure`)."""
    if error is not None and is_grader_failure(error):
        raise error
    return outcome_of(spec, error, folder)


Teardowns = list[tuple[str, Generator[Any, None, None]]]


def set_up(context: CheckContext, check: Check, step: Fixture, values: dict[str, Any],
           teardowns: Teardowns) -> Any:
    """One fixture's value (the fixtures it asks for are in ``values`` already); a
    generator fixture's rest is queued in ``teardowns``."""
    if step.function is None:
        return MAKERS[step.name](context, check.id, values)
    kwargs = {name: values[name] for name in step.argnames}
    if not step.generator:
        return step.function(**kwargs)
    generator = step.function(**kwargs)
    teardowns.append((step.name, generator))
    try:
        return next(generator)
    except StopIteration:
        raise ValueError(f"fixture {step.name} did not yield a value") from None


def tear_down(teardowns: Teardowns) -> BaseException | None:
    """Finish the generator fixtures, the last set up first; the first error, if any
    (a KeyboardInterrupt is raised at once)."""
    error: BaseException | None = None
    while teardowns:
        name, generator = teardowns.pop()
        try:
            next(generator)
        except StopIteration:
            continue
        except check_endings() as raised:
            error = error or raised
            continue
        error = error or ValueError(f"fixture {name} yielded more than once")
    return error


class SessionValues:
    """The session-scoped fixtures' values, set up at first use and kept for the whole
    run (a failure too: raised again for every check that uses the fixture)."""

    def __init__(self, context: CheckContext) -> None:
        self._context = context
        self._values: dict[str, Any] = {}
        self._errors: dict[str, BaseException] = {}
        self.teardowns: Teardowns = []

    def get(self, check: Check, step: Fixture) -> Any:
        name = step.name
        if name in self._errors:
            raise self._errors[name]
        if name not in self._values:
            try:
                needed = {arg: self._values[arg] for arg in step.argnames}  # planned before it
                self._values[name] = set_up(self._context, check, step, needed, self.teardowns)
            except check_endings() as error:
                self._errors[name] = error
                raise
        return self._values[name]


class CheckRunner:
    """The loaded checks of one assignment; ``run_checks(session)`` runs all of them
    against one submission and returns one outcome per check, in load order."""

    def __init__(self, context: CheckContext, checks: list[Check]) -> None:
        self._context = context
        self._checks = [(check, check.spec) for check in checks if check.spec is not None]
        self.specs = [spec for _, spec in self._checks]
        self._session_values = SessionValues(context)
        self._folder = Path(context.reference.__file__ or ".").resolve().parent  # the assignment's
        # each check's most requests seen, and whether it always left the process's shared state alone
        self._seen: dict[CheckId, tuple[int, bool]] = {}

    def __call__(self, session: Session, stop: EarlyStop | None = None,
                 public: Sequence[CheckOutcome] = (), gather: bool = False) -> list[CheckOutcome]:
        """One outcome per check; with ``stop`` (``verify`` grading a mutant, whose
        ``public`` examples already ran), the outcomes of the checks that ran, when
        grading stopped early (see :class:`~autograder.outcomes.EarlyStop`).

        ``gather`` (not with ``stop``): consecutive checks' first requests go to the worker
        together (:meth:`Session.gather`), the same outcomes in fewer round trips; raises
        :class:`~autograder.gather.Reordered` when the submission has to be graded again
        without (see ``autograder/gather.py``)."""
        if gather and stop is None:
            return self._gathered(session)
        ordered = self._checks if stop is None else sorted(self._checks, key=lambda pair: stop.first(pair[1]))
        self._context.session = session
        try:
            outcomes: list[CheckOutcome] = []
            for check, spec in ordered:
                if stop is not None and stop.stops_before(spec, [*public, *outcomes]):
                    return outcomes
                outcomes.append(judged(spec, self._in_scope(session, check, spec), self._folder))
        finally:
            self._context.session = None
        return completed(self.specs, outcomes)

    def _gathered(self, session: Session) -> list[CheckOutcome]:
        self._context.session = session
        try:
            outcomes: list[CheckOutcome] = []
            for run in self._runs():
                errors = session.gather([partial(self._in_scope, session, check, spec) for check, spec in run],
                                        partial(self._learn, run))
                outcomes += [judged(spec, error, self._folder) for (_, spec), error in zip(run, errors)]
        finally:
            self._context.session = None
        return completed(self.specs, outcomes)

    def _runs(self) -> Iterator[list[tuple[Check, CheckSpec]]]:
        """The checks in load order, cut into runs: checks seen to make one request at most,
        each run ended by one seen to make more (it is the last to go). A check not seen
        yet, or seen to change what the whole grader process shares (``gather.shared_state``),
        runs alone."""
        run: list[tuple[Check, CheckSpec]] = []
        for pair in self._checks:
            seen = self._seen.get(pair[0].id)
            if seen is None or not seen[1]:
                if run:
                    yield run
                yield [pair]
                run = []
                continue
            run.append(pair)
            if seen[0] > 1:
                yield run
                run = []
        if run:
            yield run

    def _learn(self, run: list[tuple[Check, CheckSpec]], asked: list[tuple[int, bool] | None]) -> None:
        for (check, _), seen in zip(run, asked):
            if seen is None:
                continue
            count, clean = seen
            before = self._seen.get(check.id, (count, clean))
            self._seen[check.id] = (max(count, before[0]), clean and before[1])

    def _in_scope(self, session: Session, check: Check, spec: CheckSpec) -> BaseException | None:
        with session.scope(spec.question):  # a hang costs its question one time limit
            return self.run(check)

    def run(self, check: Check) -> BaseException | None:
        """Set up the check's fixtures, call it, tear them down; what ended it (None: it passed)."""
        values: dict[str, Any] = {}
        teardowns: Teardowns = []
        error: BaseException | None = None
        try:
            for step in check.steps:
                if step.session:
                    values[step.name] = self._session_values.get(check, step)
                else:
                    values[step.name] = set_up(self._context, check, step, values, teardowns)
            check.function(**{name: values[name] for name in check.argnames})
        except check_endings() as raised:
            error = raised
        finally:
            ended = tear_down(teardowns)
        return error or ended

    def close(self) -> None:
        """Tear down the session-scoped fixtures (their errors go to stderr: no check is left to fail)."""
        error = tear_down(self._session_values.teardowns)
        if error is not None:
            print(f"autograder: a session fixture's teardown failed: {type(error).__name__}: {error}",
                  file=sys.stderr)


class CheckSuite:
    """The hidden checks of one assignment."""

    def __init__(self, assignment: str, settings: Settings) -> None:
        self.assignment = assignment
        self.settings = settings
        self.checks_dir = settings.assignment_dir(assignment) / "checks"
        if not self.checks_dir.is_dir():
            raise AssignmentError(f"{self.checks_dir} is missing: no hidden checks for {assignment!r}")
        self.reference = load_reference(self.checks_dir.parent)
        self._specs: list[CheckSpec] | None = None

    @property
    def specs(self) -> list[CheckSpec]:
        """Every check, as loaded; loads now (raising ``AssignmentError`` when the
        checks are broken) unless a run has already done it."""
        if self._specs is None:
            with self.runner():
                pass
        assert self._specs is not None
        return self._specs

    @contextmanager
    def runner(self) -> Iterator[CheckRunner]:
        """Load the checks once and yield the function that runs them on a session.

        Broken checks raise ``AssignmentError`` here, before any submission is graded.
        The session-scoped fixtures are torn down on the way out.
        """
        checks = self._checked()
        runner = CheckRunner(CheckContext(self.assignment, self.settings, self.reference), checks)
        self._specs = runner.specs
        try:
            yield runner
        finally:
            runner.close()

    def _checked(self) -> list[Check]:
        """The loaded checks, or ``AssignmentError`` when they cannot be loaded, ask for
        what the runner does not provide, or do not agree with the configured questions
        (``agreement.py``)."""
        checks, problems = load_checks(self.checks_dir)
        questions = list(self.settings.assignment(self.assignment).questions)
        found = [(check.where, check.spec) for check in checks]
        problems += disagreements(found, questions, self.assignment, self.settings.path, self.checks_dir)
        if problems:
            raise AssignmentError("\n".join(problems))
        return checks

    def run(self, session: Session) -> list[CheckOutcome]:
        """Every check against one session (loads for this call alone)."""
        with self.runner() as run_checks:
            return run_checks(session)

