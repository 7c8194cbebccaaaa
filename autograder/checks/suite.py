"""Run an assignment's hidden checks against submissions, collecting them once.

``pytest.main`` is called once per :meth:`CheckSuite.run_many`; inside it, our
``pytest_runtestloop`` runs every collected check for each submission in turn, so
collection and imports are paid once per batch, not once per submission.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pytest
from _pytest.runner import runtestprotocol

from autograder.checks.api import CheckFailed, CheckInfo, info_of
from autograder.checks.context import CONTEXT_KEY, CheckContext, load_reference
from autograder.config import Settings
from autograder.exceptions import AssignmentError, StudentCodeError
from autograder.i18n import Text, msg
from autograder.sandbox import Session

PLUGIN = "autograder.checks.plugin"
# pytest's own plugins that hidden checks do not use; most of them hook every phase of
# every check, which a batch repeats tens of thousands of times.
UNUSED_PLUGINS = ("cacheprovider", "logging", "faulthandler", "doctest", "junitxml", "pastebin",
                  "legacypath", "stepwise", "unittest", "unraisableexception", "threadexception",
                  "setuponly", "setupplan")


@dataclass(frozen=True)
class CheckOutcome:
    question: str
    title: Text
    weight: float
    passed: bool
    message: Text


@dataclass(frozen=True)
class CheckSpec:
    """A check as collected: enough to list it when nothing could be run."""

    question: str
    title: Text
    weight: float


def outcome_of(info: CheckInfo, excinfo: pytest.ExceptionInfo[BaseException] | None) -> CheckOutcome:
    """Turn how a check ended into a pass, a student-facing failure or a grader bug."""
    if excinfo is None:
        return CheckOutcome(info.question, info.title, info.weight, True, Text.plain(""))
    error = excinfo.value
    if isinstance(error, CheckFailed):
        message = error.text
    elif isinstance(error, StudentCodeError):
        message = error.text()
    else:
        detail = f"{type(error).__name__}: {error}"
        print(f"autograder: check bug in {info.question}/{info.title.en}: {detail}", file=sys.stderr)
        message = msg("check.internal_error", detail=detail)
    return CheckOutcome(info.question, info.title, info.weight, False, message)


def bare_report(item: pytest.Item, call: pytest.CallInfo[None]) -> pytest.TestReport:
    """A report with the right outcome and a one-line description, and no traceback."""
    excinfo = call.excinfo
    longrepr: tuple[str, int, str] | str | None = None
    outcome: Literal["passed", "failed", "skipped"] = "passed"
    if excinfo is not None and isinstance(excinfo.value, pytest.skip.Exception):
        outcome, longrepr = "skipped", (str(item.path), (item.location[1] or 0) + 1, str(excinfo.value))
    elif excinfo is not None:
        outcome, longrepr = "failed", f"{excinfo.typename}: {str(excinfo.value)[:500]}"
    when = call.when
    assert when != "collect"  # the runtest phases only
    return pytest.TestReport(item.nodeid, item.location, {}, outcome, longrepr, when,
                             duration=call.duration, start=call.start, stop=call.stop)


class _Runner:
    """The pytest plugin that drives the loop over submissions."""

    def __init__(self, context: CheckContext,
                 sessions: Iterable[tuple[Session, Callable[[list[CheckOutcome]], None]]],
                 on_collected: Callable[[list[CheckSpec]], None]) -> None:
        self.context = context
        self.sessions = sessions
        self.on_collected = on_collected
        self.items: list[pytest.Item] = []
        self.current: dict[str, CheckOutcome] = {}
        self.ran = False

    @pytest.hookimpl(tryfirst=True)
    def pytest_configure(self, config: pytest.Config) -> None:
        config.stash[CONTEXT_KEY] = self.context

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo[None]) -> pytest.TestReport:
        """Record the check's outcome and stand in for pytest's own report, which would
        format a full traceback (parsing the check's source) for every failed check:
        the largest cost of grading a wrong submission. Nobody reads these reports."""
        info = info_of(item)
        if info is not None and (call.excinfo is not None or call.when == "call"):
            if item.nodeid not in self.current or call.excinfo is not None:
                self.current[item.nodeid] = outcome_of(info, call.excinfo)
        return bare_report(item, call)

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtestloop(self, session: pytest.Session) -> bool:
        self.items = [item for item in session.items if info_of(item) is not None]
        if not self.items or session.testsfailed:
            return True  # nothing graded: run_many reports the broken checks
        self.on_collected(specs_of(self.items))
        self.ran = True
        for student_session, deliver in self.sessions:
            self.context.session = student_session
            self.current = {}
            for item in self.items:
                runtestprotocol(item, nextitem=None, log=False)
            deliver([self.current[item.nodeid] for item in self.items if item.nodeid in self.current])
        self.context.session = None
        return True


def specs_of(items: Iterable[pytest.Item]) -> list[CheckSpec]:
    return [CheckSpec(info.question, info.title, info.weight)
            for info in map(info_of, items) if info is not None]


class _Collector:
    def __init__(self) -> None:
        self.specs: list[CheckSpec] = []

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        self.specs = specs_of(session.items)


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
        """Every check, as collected; collects now (raising ``AssignmentError`` when the
        checks are broken) unless a run has already done it."""
        if self._specs is None:
            self._specs = self._collect()
        return self._specs

    def _args(self, *extra: str) -> list[str]:
        """A hermetic pytest: no ini file, no installed third-party plugins but ours.

        Autoloaded plugins cost time (hypothesis's alone adds a second to every run)
        and could change how checks behave; assertion rewriting is not needed, as
        checks report through ``CheckFailed`` messages, and rewriting every module of
        the ``autograder`` distribution costs most of a second more.
        """
        disabled = [arg for name in UNUSED_PLUGINS for arg in ("-p", f"no:{name}")]
        return [str(self.checks_dir), "-c", os.devnull, "--rootdir", str(self.checks_dir),
                "--disable-plugin-autoload", "-p", PLUGIN, "--assert=plain", *disabled,
                "--import-mode=importlib", "-q", "-s", "--no-header", "-W", "default", *extra]

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

    def _collect(self) -> list[CheckSpec]:
        self._forget_modules()
        collector = _Collector()
        code = _quiet_main(self._args("--collect-only"), [collector])
        if code not in (0, 5) or not collector.specs:
            raise self._broken(code)
        return collector.specs

    def _broken(self, code: int) -> AssignmentError:
        return AssignmentError(f"the checks in {self.checks_dir} could not be collected (pytest exit {code})")

    def run_many(self, sessions: Iterable[tuple[Session, Callable[[list[CheckOutcome]], None]]]) -> None:
        """Run every check for each (session, deliver) pair; ``deliver`` gets the outcomes.

        Collection happens here, once, for all the sessions. Broken checks raise
        ``AssignmentError`` before any session is started.
        """
        self._forget_modules()
        context = CheckContext(self.assignment, self.settings, self.reference)
        runner = _Runner(context, sessions, self._collected)
        code = _quiet_main(self._args(), [runner])
        if not runner.ran:
            raise self._broken(code)

    def _collected(self, specs: list[CheckSpec]) -> None:
        self._specs = specs

    def run(self, session: Session) -> list[CheckOutcome]:
        outcomes: list[CheckOutcome] = []
        self.run_many([(session, outcomes.extend)])
        return outcomes


def _quiet_main(args: list[str], plugins: list[object]) -> int:
    """``pytest.main`` without its terminal output (checks report through outcomes)."""
    stdout = sys.stdout
    with open(os.devnull, "w") as devnull:
        sys.stdout = devnull
        try:
            return int(pytest.main(args, plugins=plugins))
        finally:
            sys.stdout = stdout
