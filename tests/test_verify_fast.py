"""verify's fast path: a mutant graded until its question is decided (``EarlyStop``),
without the cells no check reads, gives the verdict of the full run.

The course: two questions, ``double`` (a shape check, which most mutants pass, then a
values check) and ``halve``, a cell that trains nothing any check reads, and the
student's own ``check("double")``.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest

from autograder.config import Settings, load_settings
from autograder.grading import Grader, Submission
from autograder.outcomes import EarlyStop
from autograder.results import SubmissionResult
from autograder.sandbox.jail import Jail
from autograder.verify.notebooks import Notebooks, write
from autograder.verify.report import failed_checks, lost_points
from autograder.verify.run import verify_assignment
from tests.helpers import MINI_REFERENCE

CONFIG = """
language: en
limits: {cell_timeout_s: 10, call_timeout_s: 5, run_timeout_s: 60, memory_mb: 512}
assignments:
  twice:
    questions: {double: 2, halve: 1}
"""

REFERENCE = MINI_REFERENCE  # double and halve, as the mini course's

# at zero: the public examples tell no mutant apart, the hidden checks do
EXAMPLES = """
from autograder.examples import Example

EXAMPLES = [Example("double", args=([0.0, 0.0],)), Example("halve", args=([0.0],))]
"""

CHECKS = '''
import numpy as np
from autograder.checks import check, expect_close, expect_shape


@check("double", en="keeps the shape", ru="сохраняет форму", kind="form")
def test_double_shape(submission):
    x = np.ones((2, 3))
    expect_shape("double(x)", submission.double(x), x.shape)


@check("double", en="matches the reference", ru="совпадает с эталоном")
def test_double_values(submission, reference, tol):
    x = [1.0, -2.5, 4.0]
    expect_close("double(x)", (x,), submission.double(x), reference.double(x), tol)


@check("halve", en="matches the reference", ru="совпадает с эталоном")
def test_halve_values(submission, reference, tol):
    x = [1.0, -3.0, 5.0]
    expect_close("halve(x)", (x,), submission.halve(x), reference.halve(x), tol)
'''


def solution(body: str) -> str:
    return f"{body.splitlines()[0]}\n    ### BEGIN SOLUTION\n" + \
        "\n".join(body.splitlines()[1:]) + "\n    ### END SOLUTION"


def make_course(root: Path) -> Path:
    folder = root / "assignments" / "twice"
    (folder / "checks").mkdir(parents=True)
    (folder / "reference.py").write_text(textwrap.dedent(REFERENCE))
    (folder / "checks" / "test_twice.py").write_text(CHECKS)
    (folder / "examples.py").write_text(textwrap.dedent(EXAMPLES))
    master = nbformat.v4.new_notebook()
    setup = nbformat.v4.new_code_cell('from student import make_checker_for\n'
                                      'check, check_all = make_checker_for("twice", globals())')
    setup.metadata["tags"] = ["setup"]
    master.cells = [
        nbformat.v4.new_markdown_cell("# Twice"), setup,
        nbformat.v4.new_code_cell("import numpy as np"),
        nbformat.v4.new_code_cell(solution("def double(x):\n    return 2.0 * np.asarray(x, dtype=float)")),
        nbformat.v4.new_code_cell(solution("def halve(x):\n    return np.asarray(x, dtype=float) / 2")),
        nbformat.v4.new_code_cell("w = np.zeros(3)\nfor _ in range(2000):\n    w = w + 0.001 * double(np.ones(3))"),
        nbformat.v4.new_code_cell("demo = halve(np.array([1.0, 2.0]))\nprint(demo)"),
        nbformat.v4.new_code_cell('check("double")'),
    ]
    nbformat.write(master, folder / "source.ipynb")
    (root / "grading_config.yaml").write_text(CONFIG)
    return root / "grading_config.yaml"


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Settings, Jail]]:
    settings = load_settings(make_course(tmp_path_factory.mktemp("course")))
    with Jail.start("auto", settings.preload("twice"), settings.data_dir("twice")) as jail:
        yield settings, jail


def grade(settings: Settings, jail: Jail, path: Path, stop: EarlyStop | None) -> SubmissionResult:
    grader = Grader("twice", settings, jail, {"m": stop} if stop is not None else None)
    return grader.grade(Submission("m", path))


def checks_run(result: SubmissionResult) -> list[tuple[str, str]]:
    return [(q.name, c.name) for q in result.questions for c in q.checks if c.visibility == "hidden"]


@pytest.mark.slow
def test_early_stop_gives_the_full_runs_verdict_on_a_killed_and_a_surviving_mutant(
        course: tuple[Settings, Jail], tmp_path: Path) -> None:
    settings, jail = course
    books = Notebooks.load("twice", settings)
    double_cell = next(i for i, s in books.mutable_cells() if "def double" in s)
    killed = write(books.with_cell(double_cell, "def double(x):\n    return 3.0 * np.asarray(x, dtype=float)"),
                   tmp_path / "killed.ipynb")
    survives = write(books.with_cell(double_cell, "def double(x):\n    return 2.0 * np.asarray(x)"),
                     tmp_path / "survives.ipynb")
    stop = EarlyStop("double")

    full, early = grade(settings, jail, killed, None), grade(settings, jail, killed, stop)
    assert lost_points(full, "double") and lost_points(early, "double")
    assert failed_checks(early) == failed_checks(full) == [("double", "matches the reference")]
    # stopped once `double` was decided: both its checks ran, `halve`'s did not
    assert checks_run(early) == [("double", "keeps the shape"), ("double", "matches the reference")]
    assert ("halve", "matches the reference") in checks_run(full)

    full, early = grade(settings, jail, survives, None), grade(settings, jail, survives, stop)
    assert not lost_points(full, "double") and not lost_points(early, "double")
    assert early.questions == full.questions  # nothing killed it: every check ran, as in the full run


@pytest.mark.slow
def test_the_fast_path_never_lets_a_mutant_survive_that_the_full_path_kills(course: tuple[Settings, Jail]) -> None:
    settings, jail = course
    full = {m.mutant.id: m for m in verify_assignment("twice", settings, jail, fast=False).mutants}
    fast = {m.mutant.id: m for m in verify_assignment("twice", settings, jail, fast=True).mutants}
    assert fast and set(fast) <= set(full)
    assert {m.status for m in fast.values()} == {"caught", "survived"}  # both verdicts are exercised
    assert {ident: m.status for ident, m in fast.items()} == {ident: full[ident].status for ident in fast}
    for ident, outcome in fast.items():
        assert set(outcome.caught_by) <= set(full[ident].caught_by)
        assert all(question == outcome.question for question, _ in outcome.caught_by)  # its question's only
