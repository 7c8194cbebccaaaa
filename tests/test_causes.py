"""Feedback says the cause once: which cell should have defined a question's function and why it did not."""

from __future__ import annotations

from pathlib import Path

import pytest

from autograder.causes import defining_cells
from autograder.config import load_settings
from autograder.grading import Grader, Submission
from autograder.notebook import CodeCell
from autograder.reports.base import ReportContext
from autograder.reports.feedback import render_feedback
from autograder.results import QuestionResult, SubmissionResult
from autograder.sandbox.jail import Jail
from tests.helpers import make_mini_project, write_notebook

HALVE = "def halve(x):\n    return np.asarray(x, dtype=float) / 2"
DOUBLE = "def double(x):\n    return 2.0 * np.asarray(x, dtype=float)"


@pytest.fixture
def grader(tmp_path: Path, jail: Jail) -> Grader:
    return Grader("mini", load_settings(make_mini_project(tmp_path / "project")), jail)


def graded(grader: Grader, tmp_path: Path, cells: list[str]) -> SubmissionResult:
    return grader.grade(Submission("s", write_notebook(tmp_path / "s.ipynb", cells)))


def double_of(result: SubmissionResult) -> QuestionResult:
    question = result.questions[0]
    assert question.name == "double" and question.score == 0
    # said once: the checks are still listed, none of them repeats the cause
    assert len(question.checks) == 2
    assert all("not defined" not in c.message and "could not be called" in c.message for c in question.checks)
    return question


@pytest.mark.parametrize(("cell", "says"), [
    ("def double(x)\n    return 2 * x", ["`double` is not defined.", "Cell 4, where `double` is defined, has a syntax error"]),
    ("raise ValueError('not yet')\n" + DOUBLE, ["Cell 4, where `double` is defined, raised ValueError (not yet)"]),
    ("def double(x):\n    raise NotImplementedError('write me')",
     ["`double` is not implemented yet: in cell 4 it still raises NotImplementedError"]),
    ("def twice(x):\n    return 2 * x", ["No cell of the notebook defines it: define a function named exactly `double`"]),
])
def test_the_cause_names_the_cell_and_why_once(grader: Grader, tmp_path: Path, cell: str, says: list[str]) -> None:
    result = graded(grader, tmp_path, ["import numpy as np", HALVE, cell])  # cells 2-4 (1 is markdown)
    question = double_of(result)
    for fragment in says:
        assert fragment in question.cause, question.cause
    assert result.questions[1].score == 1.0 and result.questions[1].cause == ""


def test_a_cell_that_never_ran_is_named(grader: Grader, tmp_path: Path) -> None:
    result = graded(grader, tmp_path, ["import numpy as np", HALVE, "import os\nos._exit(3)", DOUBLE])
    assert "Cell 5, where `double` is defined, never ran" in double_of(result).cause


def test_a_function_that_runs_keeps_its_own_messages(grader: Grader, tmp_path: Path) -> None:
    result = graded(grader, tmp_path, ["import numpy as np", HALVE, "def double(x):\n    return x"])
    assert result.questions[0].cause == ""
    assert any("you returned the input" in c.message for c in result.questions[0].checks)


def test_the_feedback_shows_the_cause_once(grader: Grader, tmp_path: Path) -> None:
    result = graded(grader, tmp_path, ["import numpy as np", HALVE, "def double(x)\n    return 2 * x"])
    context = ReportContext.from_results([result])
    for template, name in (("feedback.md.j2", "`double`"), ("feedback.html.j2", "<code>double</code>")):
        text = render_feedback(result, context, template)
        assert text.count("has a syntax error") == 2  # the cell's error in `errors`, the cause once
        assert text.count(f"where {name} is defined") == 1


def test_the_cause_survives_the_result_file() -> None:
    question = QuestionResult("double", (), 2.0, cause="`double` is not defined.")
    assert QuestionResult.from_json(question.to_json()) == question
    assert "cause" not in QuestionResult("halve", (), 1.0).to_json()


def test_defining_cells_finds_defs_classes_and_assignments_by_text() -> None:
    cells = [CodeCell(0, "def tanh_grad(x):\n    pass"), CodeCell(1, "if True:\n    def tanh(x): pass"),
             CodeCell(2, "tanh = lambda x: x"), CodeCell(3, "tanh == 1\nprint(tanh)"),
             CodeCell(4, "class tanh:\n  pass"), CodeCell(5, "def tanh(x)\n  broken")]
    assert [c.index for c in defining_cells(cells, "tanh")] == [1, 2, 4, 5]


def test_a_name_error_of_a_helper_defined_further_down_says_where_it_is(grader: Grader, tmp_path: Path) -> None:
    """Colab runs cells as they are clicked, the grader top to bottom: a cell that uses a
    helper written further down raises NameError. `grade` and `validate` say where the
    helper is, not only that it is missing; a name no cell defines gets no such note."""
    from autograder.validate import validate

    cells = ["import numpy as np", "def double(x):\n    return helper(x)", "print(double(3))\nprint(nowhere)",
             "def helper(x):\n    return 2.0 * np.asarray(x, dtype=float)", HALVE]
    result = graded(grader, tmp_path, cells)
    below = "`helper` is defined in cell 5, below the cell that uses it: move it up"
    assert result.errors == (
        "Cell 4 raised NameError: name 'helper' is not defined. The cells after it still ran. "
        f"{below}, above that cell, and run all cells.",)
    assert result.score == 3.0  # messages only: the grade is what it was
    report = validate(write_notebook(tmp_path / "v.ipynb", cells), grader.opener).render("en")
    assert below in report
    nowhere = graded(grader, tmp_path, ["import numpy as np", "print(nowhere)", DOUBLE, HALVE])
    assert nowhere.errors == ("Cell 3 raised NameError: name 'nowhere' is not defined. The cells after it still ran.",)


def test_a_helper_defined_below_is_said_in_russian_too() -> None:
    from autograder.causes import defined_below

    cells = [CodeCell(1, "y = helper(2)"), CodeCell(2, "def helper(x):\n    return x")]
    said = defined_below("helper", cells, 1)
    assert said is not None and said.ru.startswith("`helper` определяется в ячейке 3, ниже ячейки")
    assert defined_below("helper", cells, 2) is None  # defined in that cell or above: another story
