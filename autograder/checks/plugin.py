"""The pytest plugin: the framework's fixtures for ``pytest checks --notebook nb.ipynb``.

Loaded by the ``pytest11`` entry point, so an instructor can run and debug checks
with ``pytest assignments/activations/checks --notebook alice.ipynb``. The grader
itself does not go through pytest (``suite.py`` runs the checks); both get their
fixture values from ``fixtures.py``. Inert without ``--notebook``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pytest

from autograder.checks import fixtures, inputs
from autograder.checks.agreement import mark_problems
from autograder.checks.api import MARK
from autograder.checks.collect import CONFTEST, judge_checks
from autograder.checks.context import CheckContext
from autograder.checks.fixtures import CheckId, Once
from autograder.config import AssignmentConfig, Settings, Tolerance
from autograder.instructor import load_reference
from autograder.session import SubmissionProxy

CONTEXT_KEY = pytest.StashKey[CheckContext]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("autograder")
    group.addoption("--notebook", default=None, help="grade this notebook with the collected checks")
    group.addoption("--assignment", default=None, help="assignment name (default: from the checks' folder)")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", f"{MARK}(question, en, ru, weight): one hidden check of a question")
    notebook = config.getoption("--notebook", None)
    if notebook and CONTEXT_KEY not in config.stash:
        config.pluginmanager.register(NotebookRun(Path(notebook)), "autograder-notebook-run")


class NotebookRun:
    """``--notebook``: run the notebook once in a jail for the whole pytest session,
    opened as ``grade`` opens it (``opener.py``: requirements, limits, seed, jail)."""

    def __init__(self, notebook: Path) -> None:
        self.notebook = notebook
        self._opened = ExitStack()

    @pytest.hookimpl(tryfirst=True)
    def pytest_collection_modifyitems(self, config: pytest.Config, items: list[pytest.Item]) -> None:
        from autograder.config import find_course_of, load_settings
        from autograder.opener import Opener, sha256_of

        if not items or CONTEXT_KEY in config.stash:
            return
        checks_dir = Path(str(items[0].path)).parent
        assignment = config.getoption("--assignment") or checks_dir.parent.name
        settings = load_settings(find_course_of(checks_dir))  # the course the checks are in
        refuse_what_grade_refuses(config, items, checks_dir, settings, assignment)
        opener = self._opened.enter_context(Opener.start(settings, assignment))
        session = self._opened.enter_context(opener.open(opener.read(self.notebook), sha256_of(self.notebook)))
        config.stash[CONTEXT_KEY] = CheckContext(
            assignment, settings, load_reference(settings.assignment_dir(assignment)), session)

    def pytest_unconfigure(self, config: pytest.Config) -> None:
        self._opened.close()  # the session, then the jail


def refuse_what_grade_refuses(config: pytest.Config, items: list[pytest.Item], checks_dir: Path,
                              settings: Settings, assignment: str) -> None:
    """Stop, as ``grade`` would refuse to load the assignment, on anything in the collected
    check files that ``grade`` refuses (``collect.judge_checks``: a plain
    ``@pytest.fixture``, a mark, ``once`` with ``rng``...), and on a test without
    ``@check`` or of a question the configuration does not have: pytest would run them
    its own way and pass, and the instructor would see green checks ``grade`` never runs.
    ``grade``'s lines, one per problem, and no traceback (a usage error)."""
    files = {Path(str(item.path)): item.module for item in items if isinstance(item, pytest.Function)}
    checks, problems = judge_checks(checks_dir, _conftest_of(config, checks_dir), files.items())
    questions = list(settings.assignment(assignment).questions)
    problems += mark_problems([(check.where, check.spec) for check in checks], questions, assignment,
                              settings.path)
    if problems:
        raise pytest.UsageError("\n".join(problems))


def _conftest_of(config: pytest.Config, checks_dir: Path) -> ModuleType | None:
    """The checks' ``conftest.py`` as pytest imported it (a plugin of its plugin manager)."""
    wanted = (checks_dir / CONFTEST).resolve()
    for plugin in config.pluginmanager.get_plugins():
        file = getattr(plugin, "__file__", None) if isinstance(plugin, ModuleType) else None
        if file and Path(file).resolve() == wanted:
            return plugin
    return None


def _context(request: pytest.FixtureRequest) -> CheckContext:
    context = request.config.stash.get(CONTEXT_KEY, None)
    if context is None or context.session is None:
        pytest.skip("no submission to check: run with --notebook (or grade with `autograder grade`)")
    return context


def _check(request: pytest.FixtureRequest) -> CheckId:
    return CheckId(request.node.name, request.node.nodeid)


@pytest.fixture
def submission(request: pytest.FixtureRequest) -> SubmissionProxy:
    """The student's namespace (``fixtures.submission``)."""
    return fixtures.submission(_context(request), _check(request))


@pytest.fixture(scope="session")
def reference(request: pytest.FixtureRequest) -> Any:
    """The trusted reference implementation of the assignment."""
    return _context(request).reference


@pytest.fixture(scope="session")
def tol(request: pytest.FixtureRequest) -> Tolerance:
    return fixtures.tol(_context(request))


@pytest.fixture(scope="session")
def assignment_config(request: pytest.FixtureRequest) -> AssignmentConfig:
    """This assignment's section of ``grading_config.yaml``: the bands of a question graded
    on hidden data (``hidden_data``), its points, its leaderboard."""
    return fixtures.assignment_config(_context(request))


@pytest.fixture
def rng(request: pytest.FixtureRequest) -> Iterator[np.random.Generator]:
    """Inputs for this check and this submission (``fixtures.rng``)."""
    yield fixtures.rng(_context(request), _check(request))


@pytest.fixture
def fixed_rng(request: pytest.FixtureRequest) -> Iterator[np.random.Generator]:
    """A generator seeded from the check's name alone: the same inputs for every submission."""
    yield inputs.fixed_rng(request.node.name)


@pytest.fixture
def variant(request: pytest.FixtureRequest) -> inputs.Variant:
    """One of ``inputs.POOL`` input sets, chosen by the submission and the secret."""
    return fixtures.variant(_context(request), _check(request))


@pytest.fixture
def once(request: pytest.FixtureRequest) -> Once[Any]:
    """``once(key, compute)``: ``compute()`` for the first submission, a copy after
    (``fixtures.once``)."""
    drawn = request.getfixturevalue("variant") if "variant" in request.fixturenames else None
    return fixtures.once(_context(request), _check(request), drawn)
