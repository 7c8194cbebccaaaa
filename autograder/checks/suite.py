"""Run an assignment's hidden checks against submissions, collecting them once.

The loop over submissions is the grader's own (STYLE 11): :meth:`CheckSuite.runner`
builds a pytest session and collects the checks once, then hands back a
:class:`CheckRunner` that runs every check against one submission per call. Nothing
raised by the caller's loop passes through pytest, so a full disk, Ctrl-C or a dead
jail reaches the command instead of ending the batch early and quietly.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import pytest
from _pytest.config import _prepareconfig

from autograder.causes import blocker_of
from autograder.checks import lean
from autograder.checks.agreement import disagreements
from autograder.checks.api import CheckFailed, Scored, authoring_problems, spec_of
from autograder.checks.context import CONTEXT_KEY, CheckContext
from autograder.config import Settings
from autograder.exceptions import AssignmentError, GraderError, StudentCodeError
from autograder.i18n import msg
from autograder.instructor import load_reference
from autograder.outcomes import CheckOutcome, CheckSpec, completed
from autograder.sandbox import Session

PLUGIN = "autograder.checks.plugin"
# pytest's own plugins that hidden checks do not use; most of them hook every phase of
# every check, which a batch repeats tens of thousands of times. Nobody reads pytest's
# terminal output either: checks report through outcomes.
UNUSED_PLUGINS = ("cacheprovider", "logging", "faulthandler", "doctest", "junitxml", "pastebin",
                  "legacypath", "stepwise", "unittest", "unraisableexception", "threadexception",
                  "setuponly", "setupplan", "terminal")


def outcome_of(spec: CheckSpec, error: BaseException | None) -> CheckOutcome:
    """Turn how a check ended into a pass, a student-facing failure or a grader bug."""
    if error is None:
        return spec.outcome(True)
    if isinstance(error, Scored):  # a metric in bands: passed at full credit, a share of it below
        return spec.outcome(error.fraction >= 1, error.text, fraction=error.fraction, measure=error.measure)
    if isinstance(error, CheckFailed):
        message = error.text
    elif isinstance(error, StudentCodeError):
        message = error.text()
    elif isinstance(error, pytest.skip.Exception):  # a fixture or a mark skipped it
        reason = str(error.msg) if error.msg else "no reason given"
        print(f"autograder: check skipped in {spec.question}/{spec.title.en}: {reason} "
              "(counted as failed; checks must not skip)", file=sys.stderr)
        message = msg("check.skipped", reason=reason)
    else:
        detail = f"{type(error).__name__}: {error}"
        print(f"autograder: check bug in {spec.question}/{spec.title.en}: {detail}", file=sys.stderr)
        message = msg("check.internal_error", detail=detail)
    return spec.outcome(False, message, blocker_of(error))


def is_grader_failure(error: BaseException) -> bool:
    """Whether an exception raised during a check is the grader's own failure (the jail
    died, the disk is full), which must stop the batch instead of failing the check."""
    return isinstance(error, (GraderError, OSError)) and not isinstance(error, StudentCodeError)


class _Recorder:
    """The pytest plugin that hands the checks their context and records collection errors."""

    def __init__(self, context: CheckContext) -> None:
        self.context = context
        self.collect_errors: list[str] = []

    @pytest.hookimpl(tryfirst=True)
    def pytest_configure(self, config: pytest.Config) -> None:
        config.stash[CONTEXT_KEY] = self.context

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            lines = [line for line in str(report.longrepr).splitlines() if line.strip()]
            self.collect_errors.append(f"{report.nodeid or '.'}: {lines[-1] if lines else 'failed'}")


# what a check may raise that is its outcome (pytest.skip and pytest.fail are BaseExceptions)
_CHECK_ENDINGS = (Exception, pytest.skip.Exception, pytest.fail.Exception)


class CheckRunner:
    """The collected checks of one assignment; ``run_checks(session)`` runs all of them
    against one submission and returns one outcome per check, in collection order.

    Each check is set up (the setup hook: fixtures, skip marks), run (the item's own
    ``runtest``) and torn down (``SetupState``) directly, without the reports and the
    report and log hooks of pytest's runner protocol: nobody reads them, and they were
    most of the cost of a check. Only the check's own function-scoped fixtures are torn
    down after it (``teardown_exact`` with the next check), so session-scoped fixtures
    live as long as the runner. When every check's fixtures are plain (``lean.py``),
    a submission whose session fixtures pytest has already computed runs each check's
    plan instead: the same fixtures, set up and torn down in the same order, without
    pytest's per-fixture machinery.
    """

    def __init__(self, context: CheckContext, recorder: _Recorder, items: list[pytest.Item],
                 lean_path: bool = True) -> None:
        self._context, self._recorder, self._items = context, recorder, items
        self._item_specs = [spec_of(item) for item in items]
        self.specs = [spec for spec in self._item_specs if spec is not None]
        count = len(items)
        # after the last check comes the first one again, for the next submission
        self._following = [items[(i + 1) % count] if count > 1 else None for i in range(count)]
        self.plans = self._plans(items) if lean_path else None

    @staticmethod
    def _plans(items: list[pytest.Item]) -> list[lean.Plan] | None:
        """Every check's plan, or None (pytest's path for all) when one has none."""
        if not items or not lean.hooks_are_plain(items[0].config):
            return None
        plans = [lean.plan_of(item) for item in items]
        return None if any(plan is None for plan in plans) else plans  # type: ignore[return-value]

    def __call__(self, session: Session) -> list[CheckOutcome]:
        self._context.session = session
        plans = self.plans if self.plans is not None and all(p.ready() for p in self.plans) else None
        try:
            outcomes = []
            checks = zip(self._items, self._item_specs, self._following)
            for number, (item, spec, following) in enumerate(checks):
                # a hang costs its question one time limit
                with session.scope(spec.question if spec is not None else None):
                    error = plans[number].run() if plans is not None else self._run(item, following)
                if error is not None and is_grader_failure(error):
                    raise error  # after the check's teardown
                if spec is not None:
                    outcomes.append(outcome_of(spec, error))
        finally:
            self._context.session = None
        return completed(self.specs, outcomes)

    def _run(self, item: pytest.Item, following: pytest.Item | None) -> BaseException | None:
        """One check through pytest's own set-up and teardown; what ended it."""
        state = item.session._setupstate
        error: BaseException | None = None
        function = item if isinstance(item, pytest.Function) else None
        if function is not None and not function._request:
            function._initrequest()  # a fresh request, as pytest's runner makes for each run
        try:
            item.ihook.pytest_runtest_setup(item=item)  # fixtures, and skip marks (as failures)
            item.runtest()
        except _CHECK_ENDINGS as raised:
            error = raised
        finally:
            try:
                state.teardown_exact(following)
            except _CHECK_ENDINGS as raised:
                error = error or raised
            if function is not None:  # the run's fixture values go, as after pytest's runner
                function._request = False  # type: ignore[assignment]
                function.funcargs = None  # type: ignore[assignment]
        return error


def specs_of(items: Iterable[pytest.Item]) -> list[CheckSpec]:
    return [spec for spec in map(spec_of, items) if spec is not None]


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
        self.lean_path = True  # plain checks' fixtures without pytest's machinery (lean.py)

    @property
    def specs(self) -> list[CheckSpec]:
        """Every check, as collected; collects now (raising ``AssignmentError`` when the
        checks are broken) unless a run has already done it."""
        if self._specs is None:
            with self.runner():
                pass
        assert self._specs is not None
        return self._specs

    def _args(self) -> list[str]:
        """A hermetic pytest: no ini file, no installed third-party plugins but ours.

        Autoloaded plugins cost time (hypothesis's alone adds a second to every run)
        and could change how checks behave; assertion rewriting is not needed, as
        checks report through ``CheckFailed`` messages, and rewriting every module of
        the ``autograder`` distribution costs most of a second more.
        """
        disabled = [arg for name in UNUSED_PLUGINS for arg in ("-p", f"no:{name}")]
        return [str(self.checks_dir), "-c", os.devnull, "--rootdir", str(self.checks_dir),
                "--disable-plugin-autoload", "-p", PLUGIN, "--assert=plain", *disabled,
                "--import-mode=importlib", "-s", "-W", "default"]

    def _forget_modules(self) -> None:
        """Drop modules named like our check files from ``sys.modules``.

        pytest's importlib mode names a check module after its file alone, and reuses
        whatever ``sys.modules`` holds under that name: another assignment's
        ``test_forward.py`` graded earlier in this process, or a file whose import
        failed (left there half-made). Every run must import our own files afresh.
        """
        names = {path.stem for path in self.checks_dir.glob("*.py")}
        for name in [n for n in sys.modules if n in names]:
            del sys.modules[name]

    @contextmanager
    def runner(self) -> Iterator[CheckRunner]:
        """Collect the checks once and yield the function that runs them on a session.

        Broken checks raise ``AssignmentError`` here, before any submission is graded.
        The pytest session is torn down on the way out, whatever ended the block.
        """
        self._forget_modules()
        context = CheckContext(self.assignment, self.settings, self.reference)
        recorder = _Recorder(context)
        config = _prepareconfig(self._args(), plugins=[recorder])
        session = pytest.Session.from_config(config)
        try:
            config._do_configure()
            config.hook.pytest_sessionstart(session=session)
            try:
                config.hook.pytest_collection(session=session)
                items = self._checked(session.items, recorder)
                runner = CheckRunner(context, recorder, items, self.lean_path)
                self._specs = runner.specs
                yield runner
            finally:
                config.hook.pytest_sessionfinish(session=session, exitstatus=pytest.ExitCode.OK)
        finally:
            config._ensure_unconfigure()

    def _checked(self, items: list[pytest.Item], recorder: _Recorder) -> list[pytest.Item]:
        """The collected checks, or ``AssignmentError`` when they cannot be collected or
        do not agree with the configured questions (``agreement.py``)."""
        if recorder.collect_errors:
            raise AssignmentError(f"the checks in {self.checks_dir} could not be collected: "
                                  f"{recorder.collect_errors[0]}")
        questions = list(self.settings.assignment(self.assignment).questions)
        found = [(f"{item.path}::{item.name}", spec_of(item)) for item in items]
        problems = disagreements(found, questions, self.assignment, self.settings.path, self.checks_dir)
        problems += [f"{self.checks_dir}: {problem}" for problem in authoring_problems(items)]
        if problems:
            raise AssignmentError("\n".join(problems))
        return items

    def run(self, session: Session) -> list[CheckOutcome]:
        """Every check against one session (collects for this call alone)."""
        with self.runner() as run_checks:
            return run_checks(session)
