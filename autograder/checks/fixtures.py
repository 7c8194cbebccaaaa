"""The framework's fixtures, computed for one check of one submission.

Written once and used twice: the grader's runner (``suite.py``) calls :data:`MAKERS`
directly, and ``plugin.py`` hands the same values to pytest for
``pytest checks --notebook nb.ipynb``. A check is known by its function's ``name``
(which seeds its inputs) and its ``nodeid`` (``file::name``, which keys its time
limits and its ``once`` values).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np

from autograder.checks import inputs
from autograder.checks.context import CheckContext
from autograder.checks.timed import TimedProxy
from autograder.config import AssignmentConfig, Tolerance
from autograder.secret import code_digest
from autograder.timing import CallLimits

T = TypeVar("T")
Once = Callable[[str, Callable[[], T]], T]


@dataclass(frozen=True)
class CheckId:
    """Which check the fixtures are for."""

    name: str    # the test function's name
    nodeid: str  # "test_file.py::name", as pytest names it with the checks' folder as root


def submission(context: CheckContext, check: CheckId) -> TimedProxy:
    """The student's namespace: ``submission.sigmoid(x)`` runs in the jailed worker, with
    a time limit that follows the reference's own time for the same call (``timing``).
    The check's calls draw random numbers seeded by the check and their place in it
    (``Session.seeding``), keyed "file.py::name" under ``grade`` and ``pytest --notebook``
    alike (wherever pytest's root is)."""
    assert context.session is not None
    path, _, name = check.nodeid.partition("::")
    context.session.seeding(f"{path.rsplit('/', 1)[-1]}::{name}")
    if context.call_limits is None:
        context.call_limits = CallLimits(context.reference)
    return TimedProxy(context.session, context.call_limits, check.nodeid)


def tol(context: CheckContext) -> Tolerance:
    return context.settings.tolerance(context.assignment)


def assignment_config(context: CheckContext) -> AssignmentConfig:
    """This assignment's section of ``grading_config.yaml`` (hidden-data bands, points,
    leaderboard): what a check graded on a metric scores against."""
    return context.settings.assignment(context.assignment)


def digest(context: CheckContext) -> str:
    """The content digest of the current submission (computed once per submission)."""
    session = context.session
    assert session is not None
    cached = context.digest
    if cached is None or cached[0] is not session:
        cached = context.digest = (session, code_digest(session.cells))
    return cached[1]


def rng(context: CheckContext, check: CheckId) -> np.random.Generator:
    """Seeded from the check's name, the submission's code and the course secret: the
    same submission draws the same inputs, a changed one new ones, and a student cannot
    predict them."""
    return inputs.submission_rng(context.settings.config.secret, digest(context), check.name)


def variant(context: CheckContext, check: CheckId) -> inputs.Variant:
    return inputs.variant(context.settings.config.secret, digest(context), check.name)


def once(context: CheckContext, check: CheckId, drawn: inputs.Variant | None) -> Once[Any]:
    """``once(key, compute)``: ``compute()`` for the first submission, a copy after.

    For what does not depend on the student: a reference training run from a fixed
    start, the wrong answers that hints are matched against. A batch computes each
    once (per grading process) instead of once per submission. ``key`` names the
    value within the check; a check that uses ``variant`` (``drawn``) gets one value per
    variant. Inputs must come from fixed data, ``fixed_rng`` or ``variant.rng``, never
    from the per-submission ``rng`` (a check asking for both is refused when the checks
    load) nor from anything the student returned.
    """
    memo = context.memo
    node = check.nodeid if drawn is None else f"{check.nodeid}[variant {drawn.index}]"

    def get(key: str, compute: Callable[[], T]) -> T:
        slot = (node, key)
        if slot not in memo:
            memo[slot] = compute()
        return copy.deepcopy(memo[slot])

    return get


Maker = Callable[[CheckContext, CheckId, Mapping[str, Any]], Any]
# every framework fixture, from the context, the check and the values set up before it
MAKERS: dict[str, Maker] = {
    "submission": lambda context, check, values: submission(context, check),
    "reference": lambda context, check, values: context.reference,
    "tol": lambda context, check, values: tol(context),
    "assignment_config": lambda context, check, values: assignment_config(context),
    "rng": lambda context, check, values: rng(context, check),
    "fixed_rng": lambda context, check, values: inputs.fixed_rng(check.name),
    "variant": lambda context, check, values: variant(context, check),
    "once": lambda context, check, values: once(context, check, values.get("variant")),
}
# the same for every submission of a run: set up once, for the whole run
SESSION_SCOPED = frozenset({"reference", "tol", "assignment_config"})
# set up after another when a check asks for both (its value depends on it)
AFTER = {"once": "variant"}
