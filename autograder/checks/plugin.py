"""The pytest plugin: fixtures for hidden checks and plain ``pytest --notebook`` runs.

Loaded by the ``pytest11`` entry point, so an instructor can run
``pytest assignments/activations/checks --notebook alice.ipynb``. Inert without
``--notebook`` unless the suite runner (``suite.py``) has set a context.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pytest

from autograder.checks import inputs
from autograder.checks.api import MARK
from autograder.checks.context import CONTEXT_KEY, CheckContext
from autograder.checks.timed import TimedProxy
from autograder.config import AssignmentConfig, Tolerance
from autograder.instructor import load_reference
from autograder.sandbox import Jail, SubmissionProxy, submission_seed
from autograder.secret import code_digest
from autograder.timing import CallLimits

T = TypeVar("T")
Once = Callable[[str, Callable[[], T]], T]


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
    """``--notebook``: run the notebook once in a jail for the whole pytest session."""

    def __init__(self, notebook: Path) -> None:
        self.notebook = notebook
        self.jail: Jail | None = None

    @pytest.hookimpl(tryfirst=True)
    def pytest_collection_modifyitems(self, config: pytest.Config, items: list[pytest.Item]) -> None:
        from autograder.config import find_course_of, load_settings
        from autograder.notebook import read_submission

        if not items or CONTEXT_KEY in config.stash:
            return
        checks_dir = Path(str(items[0].path)).parent
        assignment = config.getoption("--assignment") or checks_dir.parent.name
        settings = load_settings(find_course_of(checks_dir))  # the course the checks are in
        self.jail = Jail.start(settings.config.sandbox, settings.preload(assignment),
                               settings.data_dir(assignment))
        seed = submission_seed(hashlib.sha256(self.notebook.read_bytes()).hexdigest())  # as `grade` does
        session = self.jail.session(read_submission(self.notebook, settings.blanks(assignment)),
                                    settings.limits(assignment), seed)
        config.stash[CONTEXT_KEY] = CheckContext(
            assignment, settings, load_reference(settings.assignment_dir(assignment)), session)

    def pytest_unconfigure(self, config: pytest.Config) -> None:
        context = config.stash.get(CONTEXT_KEY, None)
        if context is not None and context.session is not None:
            context.session.close()
        if self.jail is not None:
            self.jail.close()


def _context(request: pytest.FixtureRequest) -> CheckContext:
    context = request.config.stash.get(CONTEXT_KEY, None)
    if context is None or context.session is None:
        pytest.skip("no submission to check: run through `autograder grade` or with --notebook")
    return context


@pytest.fixture
def submission(request: pytest.FixtureRequest) -> SubmissionProxy:
    """The student's namespace: ``submission.sigmoid(x)`` runs in the jailed worker, with
    a time limit that follows the reference's own time for the same call (``timing``)."""
    context = _context(request)
    assert context.session is not None
    if context.call_limits is None:
        context.call_limits = CallLimits(context.reference)
    return TimedProxy(context.session, context.call_limits, request.node.nodeid)


@pytest.fixture(scope="session")
def reference(request: pytest.FixtureRequest) -> Any:
    """The trusted reference implementation of the assignment (one per run, like the
    fixtures below that do not change between submissions: a batch asks for them
    tens of thousands of times)."""
    return _context(request).reference


@pytest.fixture(scope="session")
def tol(request: pytest.FixtureRequest) -> Tolerance:
    context = _context(request)
    return context.settings.tolerance(context.assignment)


@pytest.fixture(scope="session")
def assignment_config(request: pytest.FixtureRequest) -> AssignmentConfig:
    """This assignment's section of ``grading_config.yaml``: the bands of a question graded
    on hidden data (``hidden_data``), its points, its leaderboard."""
    context = _context(request)
    return context.settings.assignment(context.assignment)


def _digest(context: CheckContext) -> str:
    """The content digest of the current submission (computed once per submission)."""
    session = context.session
    assert session is not None
    cached = context.digest
    if cached is None or cached[0] is not session:
        cached = context.digest = (session, code_digest(session.cells))
    return cached[1]


@pytest.fixture
def rng(request: pytest.FixtureRequest) -> Iterator[np.random.Generator]:
    """A generator for this check and this submission: seeded from the check's name, the
    submission's code and the course secret (the same submission draws the same inputs,
    a changed one new ones, and a student cannot predict them)."""
    context = _context(request)
    yield inputs.submission_rng(context.settings.config.secret, _digest(context), request.node.name)


@pytest.fixture
def fixed_rng(request: pytest.FixtureRequest) -> Iterator[np.random.Generator]:
    """A generator seeded from the check's name alone: the same inputs for every submission."""
    yield inputs.fixed_rng(request.node.name)


@pytest.fixture
def variant(request: pytest.FixtureRequest) -> inputs.Variant:
    """One of ``inputs.POOL`` input sets, chosen by the submission and the secret; draw the
    check's inputs from ``variant.rng`` when ``once`` computes costly expected values."""
    context = _context(request)
    return inputs.variant(context.settings.config.secret, _digest(context), request.node.name)


@pytest.fixture
def once(request: pytest.FixtureRequest) -> Once[Any]:
    """``once(key, compute)``: ``compute()`` for the first submission, a copy after.

    For what does not depend on the student: a reference training run from a fixed
    start, the wrong answers that hints are matched against. A batch computes each
    once (per grading process) instead of once per submission. ``key`` names the
    value within the check; inputs must come from fixed data, ``fixed_rng`` or
    ``variant.rng`` (each variant gets its own values), never from the per-submission
    ``rng`` (a check asking for both is refused when the checks load) nor from anything
    the student returned.
    """
    memo = _context(request).memo
    node = request.node.nodeid
    if "variant" in request.fixturenames:  # one value per variant of the check's inputs
        node = f"{node}[variant {request.getfixturevalue('variant').index}]"

    def get(key: str, compute: Callable[[], T]) -> T:
        slot = (node, key)
        if slot not in memo:
            memo[slot] = compute()
        return copy.deepcopy(memo[slot])

    return get
