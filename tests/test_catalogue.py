"""Grade every catalogued submission through the real jail and compare with expectations.

Also proves the honesty rule: every hidden check of an assignment fails in at least
one catalogued case where the same question still earns some points, or would but
for the rule that form checks pay only with some values right (so the check
discriminates, rather than failing only when everything fails).
"""

from __future__ import annotations

import importlib

import pytest

from autograder.batch import LocalBackend
from autograder.config import Settings, load_settings, replace
from autograder.grading import Submission
from autograder.i18n import msg
from autograder.results import SubmissionResult
from autograder.sandbox.jail import Jail
from tests.catalogue import Case
from tests.helpers import ROOT, write_notebook

ASSIGNMENTS = ["activations", "perceptron", "xor_numpy", "torch_xor", "neuron", "torch_basics", "digits"]


def _cases(assignment: str) -> list[Case]:
    try:
        module = importlib.import_module(f"tests.catalogue.{assignment}")
    except ModuleNotFoundError:
        return []
    return list(module.CASES)


CASES = [(a, c) for a in ASSIGNMENTS for c in _cases(a)]


# The course's own limits (30 s a cell, 10-30 s a call) are what students get; the
# catalogue's hanging cases would wait them out (minutes of a test run). Short limits
# give the same grades and messages: every legitimate cell and call of the catalogue
# takes well under a second.
SHORT_LIMITS = {"cell_timeout_s": 3.0, "call_timeout_s": 3.0, "run_timeout_s": 30.0,
                "memory_mb": 512,  # a memory bomb reaches its limit in half the time
                "cell_floor_s": 3.0}  # filling 512 MB takes over the 1 s default floor on a busy machine


# `digits` trains its model at the top level (a few seconds, more on a loaded machine):
# its cells keep room for that; its hanging cases still stop at the short call limit.
TRAINING_LIMITS = {"digits": {"cell_timeout_s": 60.0, "run_timeout_s": 120.0}}


def with_short_limits(settings: Settings) -> Settings:
    """The same course with SHORT_LIMITS everywhere (also over an assignment's own)."""
    config = settings.config
    assignments = {name: replace(a, limits={**a.limits, **SHORT_LIMITS, **TRAINING_LIMITS.get(name, {})})
                   for name, a in config.assignments.items()}
    short = replace(config, limits=replace(config.limits, **SHORT_LIMITS), assignments=assignments)
    return Settings(short, settings.path)


@pytest.fixture(scope="module")
def settings() -> Settings:
    return with_short_limits(load_settings(ROOT / "grading_config.yaml"))


@pytest.fixture(scope="module")
def graded(settings: Settings, tmp_path_factory: pytest.TempPathFactory
           ) -> dict[str, dict[str, SubmissionResult]]:
    """Every case of every assignment, graded once, as `autograder grade` grades a class:
    a jail with the assignment's preload and ./data, graders forked one per core."""
    results: dict[str, dict[str, SubmissionResult]] = {}
    for assignment in sorted({a for a, _ in CASES}):
        folder = tmp_path_factory.mktemp(assignment)
        submissions = [Submission(case.id, write_notebook(folder / f"{case.id}.ipynb", case.cells))
                       for a, case in CASES if a == assignment]
        found: dict[str, SubmissionResult] = {}
        with Jail.start("auto", settings.preload(assignment), settings.data_dir(assignment)) as jail:
            LocalBackend(assignment, settings, jail).grade(submissions, lambda r: found.__setitem__(r.submission, r))
        results[assignment] = found
    return results


@pytest.mark.slow
@pytest.mark.parametrize(("assignment", "case"), CASES, ids=[f"{a}-{c.id}" for a, c in CASES])
def test_case_scores_and_messages(assignment: str, case: Case, settings: Settings,
                                  graded: dict[str, dict[str, SubmissionResult]]) -> None:
    result = graded[assignment][case.id]
    points = settings.assignment(assignment).questions
    got = {q.name: q.score for q in result.questions}
    want = {q: float(points[q]) for q in points}
    want.update({q: float(points[q]) if v == "full" else float(v) for q, v in case.expected.items()})
    details = {q.name: [(c.name, c.passed, c.message[:200]) for c in q.checks if not c.passed]
               for q in result.questions}
    assert got == pytest.approx(want, abs=1e-6), (details, result.errors)
    for question, fragments in case.messages.items():
        if question == "errors":
            texts = list(result.errors)
        else:
            texts = [text for q in result.questions if q.name == question
                     for text in (q.cause, *(c.message for c in q.checks))]
        for fragment in (fragments,) if isinstance(fragments, str) else fragments:
            assert any(fragment in text for text in texts), (question, fragment, texts, result.errors)


@pytest.mark.slow
@pytest.mark.parametrize("assignment", sorted({a for a, _ in CASES}))
def test_every_check_fails_on_some_realistic_wrong_answer(
        assignment: str, graded: dict[str, dict[str, SubmissionResult]]) -> None:
    proven: set[tuple[str, str]] = set()
    every: set[tuple[str, str]] = set()
    for result in graded[assignment].values():
        withheld = msg("check.form_needs_values", name="{name}").render(result.language).split("{name}")[0]
        for question in result.questions:
            # a form check that passed but was not counted (no value right) still passed on its own
            unpaid = [c for c in question.checks if c.message.startswith(withheld)]
            for check in question.checks:
                every.add((question.name, check.name))
                if not check.passed and check not in unpaid and (question.score > 0 or unpaid):
                    proven.add((question.name, check.name))
    assert sorted(every - proven) == []
