"""The pipeline on a tiny assignment of the tests' own: file -> jail -> checks -> result."""

from __future__ import annotations

from pathlib import Path

import pytest

from autograder.config import load_settings
from autograder.grading import Grader, Submission
from autograder.sandbox.jail import Jail
from tests.helpers import make_mini_project, write_notebook

CORRECT = ["import numpy as np\ndef double(x):\n    return 2.0 * np.asarray(x, dtype=float)",
           "def halve(x):\n    return np.asarray(x, dtype=float) / 2"]


@pytest.fixture
def grader(tmp_path: Path, jail: Jail) -> Grader:
    settings = load_settings(make_mini_project(tmp_path / "project"))
    return Grader("mini", settings, jail)


def grade(grader: Grader, path: Path) -> dict[str, float]:
    result = grader.grade(Submission(path.stem, path))
    return {q.name: q.score for q in result.questions}


def test_correct_submission_gets_full_marks(grader: Grader, tmp_path: Path) -> None:
    result = grader.grade(Submission("alice", write_notebook(tmp_path / "alice.ipynb", CORRECT)))
    assert (result.score, result.max_score) == (3.0, 3.0)
    assert result.errors == ()
    assert [q.name for q in result.questions] == ["double", "halve"]
    assert all(c.passed for q in result.questions for c in q.checks)


def test_known_mistake_is_named_in_the_message(grader: Grader, tmp_path: Path) -> None:
    cells = ["def double(x):\n    return x", CORRECT[0].replace("def double", "def _unused"), CORRECT[1]]
    result = grader.grade(Submission("bob", write_notebook(tmp_path / "bob.ipynb", cells)))
    double = result.questions[0]
    failed = [c for c in double.checks if not c.passed]
    assert len(failed) == 1 and "you returned the input" in failed[0].message
    assert result.questions[1].score == 1.0


def test_mutating_the_input_fails_only_that_check(grader: Grader, tmp_path: Path) -> None:
    cells = ["import numpy as np\ndef double(x):\n    x *= 2\n    return np.asarray(x, dtype=float)",
             CORRECT[1]]
    result = grader.grade(Submission("eve", write_notebook(tmp_path / "eve.ipynb", cells)))
    messages = {c.name: (c.passed, c.message) for c in result.questions[0].checks}
    assert messages["does not change its input"][0] is False
    assert "changed its input" in messages["does not change its input"][1]


def test_missing_function_says_the_name_is_missing(grader: Grader, tmp_path: Path) -> None:
    result = grader.grade(Submission("carol", write_notebook(tmp_path / "carol.ipynb", ["import numpy as np", CORRECT[1]])))
    assert result.questions[0].score == 0
    assert "`double` is not defined" in result.questions[0].cause
    assert "define a function named exactly `double`" in result.questions[0].cause
    assert all("could not be called" in c.message for c in result.questions[0].checks)
    assert result.questions[1].score == 1.0


def test_unreadable_notebook_gets_a_result_with_the_reason(grader: Grader, tmp_path: Path) -> None:
    path = tmp_path / "dan.ipynb"
    path.write_text("{not json")
    result = grader.grade(Submission("dan", path))
    assert result.status == "error" and result.score == 0
    assert "not valid JSON" in result.errors[0]
    assert [q.name for q in result.questions] == ["double", "halve"]
    assert all(not c.passed for q in result.questions for c in q.checks)


def test_cell_errors_are_reported_and_other_cells_still_count(grader: Grader, tmp_path: Path) -> None:
    cells = ["raise ValueError('oops')", *CORRECT]
    result = grader.grade(Submission("fay", write_notebook(tmp_path / "fay.ipynb", cells)))
    assert result.score == 3.0
    assert any("ValueError" in e and "oops" in e for e in result.errors)


ONCE_CHECK = """
from autograder.checks import check, expect_close


@check("halve", en="halves 8 like the reference", ru="делит 8 пополам, как эталон")
def test_halve_eight(submission, reference, tol, once):
    def expected():
        reference.COMPUTED = getattr(reference, "COMPUTED", 0) + 1
        return reference.halve(8.0)

    expect_close("halve", (8.0,), submission.halve(8.0), once("halve(8)", expected), tol)
"""


def test_once_computes_what_does_not_depend_on_the_student_once_per_batch(tmp_path: Path, jail: Jail) -> None:
    config = make_mini_project(tmp_path / "project")
    (tmp_path / "project" / "assignments" / "mini" / "checks" / "test_once.py").write_text(ONCE_CHECK)
    grader = Grader("mini", load_settings(config), jail)
    wrong = [CORRECT[0], "def halve(x):\n    return x"]
    submissions = [Submission(name, write_notebook(tmp_path / f"{name}.ipynb", cells))
                   for name, cells in (("a", CORRECT), ("b", wrong), ("c", CORRECT))]
    results: list = []
    grader.grade_many(submissions, results.append)
    assert [r.questions[1].score for r in results] == [1.0, 0.0, 1.0]
    assert grader.suite.reference.COMPUTED == 1


def test_two_assignments_with_same_check_file_names_in_one_process(tmp_path: Path, jail: Jail) -> None:
    config = make_mini_project(tmp_path / "project")
    mini = tmp_path / "project" / "assignments" / "mini"
    other = tmp_path / "project" / "assignments" / "other"
    (other / "checks").mkdir(parents=True)
    (other / "reference.py").write_text((mini / "reference.py").read_text())
    (other / "checks" / "test_mini.py").write_text(  # same file name, other checks
        "from autograder.checks import check, expect_close\n\n"
        "@check('halve', en='halves 6', ru='делит 6 пополам')\n"
        "def test_six(submission, reference, tol):\n"
        "    expect_close('halve', (6.0,), submission.halve(6.0), reference.halve(6.0), tol)\n")
    config.write_text(config.read_text() + "  other:\n    questions: {halve: 1}\n")
    settings = load_settings(config)
    notebook = write_notebook(tmp_path / "alice.ipynb", CORRECT)
    first = Grader("mini", settings, jail).grade(Submission("alice", notebook))
    second = Grader("other", settings, jail).grade(Submission("alice", notebook))
    assert [c.name for q in first.questions for c in q.checks if c.visibility == "hidden"] == [
        "matches the reference", "does not change its input", "matches the reference"]
    assert [(q.name, [c.name for c in q.checks]) for q in second.questions] == [("halve", ["halves 6"])]
