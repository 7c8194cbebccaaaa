"""A student's exception keeps its type for the checks: a ``ValueError`` raised in the jail
reaches a check as our ``StudentException`` that is also Python's own ``ValueError`` (by
name, never the student's class), so ``except ValueError`` and ``pytest.raises`` work in
hidden checks and in imported nbgrader/otter tests; messages never name our stand-ins."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import nbformat
import pytest

from autograder.config import load_settings
from autograder.exceptions import StudentException
from autograder.grading import Grader, Submission
from autograder.notebook import CodeCell
from autograder.sandbox.jail import Jail
from autograder.session import Session
from tests.helpers import make_mini_project, run_cli, write_notebook
from tests.importer_fixtures import code, new_md

CELLS = [CodeCell(0, """
import numpy as np

class Negative(ValueError):
    pass

def squares(n):
    if n <= 0:
        raise ValueError("n must be positive")
    return [i ** 2 for i in range(1, n + 1)]

def own(n):
    raise Negative("below zero")

def axis():
    return np.sum(np.zeros(3), axis=5)  # NumPy's AxisError(ValueError, IndexError)

def lookup():
    return {}["missing"]

def leave():
    raise SystemExit(3)
"""), CodeCell(1, """
def impostor():  # the student's own class of that name is not Python's
    raise type("ValueError", (Exception,), {"__module__": "builtins"})("not the real one")
""")]


def test_a_students_builtin_exception_is_caught_by_its_builtin_type(jail: Jail, fast_limits: Any) -> None:
    with Session(jail.spawn, CELLS, fast_limits) as session:
        with pytest.raises(ValueError, match="n must be positive") as raised:
            session.call("squares", 0)
        assert isinstance(raised.value, StudentException) and raised.value.exc_type == "ValueError"
        with pytest.raises(ValueError) as subclass:  # the student's subclass: as its builtin base
            session.call("own", 1)
        assert subclass.value.exc_type == "Negative" and "Negative: below zero" in subclass.value.text().en
        with pytest.raises(ValueError):  # NumPy's own class, as its first builtin base
            session.call("axis")
        try:
            session.call("lookup")
        except KeyError as error:
            assert "'missing'" in str(error)
        with pytest.raises(StudentException) as exited:
            session.call("leave")
        assert not isinstance(exited.value, SystemExit)  # never steers the grader's own control flow
        with pytest.raises(StudentException) as impostor:
            session.call("impostor")
        assert not isinstance(impostor.value, ValueError)  # a name alone does not make it Python's
        assert session.call("squares", 2) == [1, 4]


HIDDEN_CHECK = '''
import pytest
from autograder.checks import check, expect_close


@check("double", en="refuses a string", ru="не принимает строку")
def test_double_refuses_text(submission):
    with pytest.raises(ValueError):
        submission.double("abc")


@check("halve", en="halves", ru="делит пополам")
def test_halve(submission, reference, tol):
    got = submission.halve(4.0)
    got[0]  # a check bug: the value is a tensor
'''


def test_hidden_checks_use_pytest_raises_and_never_show_our_class_names(tmp_path: Path, jail: Jail) -> None:
    config = make_mini_project(tmp_path / "course")
    (config.parent / "assignments" / "mini" / "checks" / "test_mini.py").write_text(HIDDEN_CHECK)
    settings = load_settings(config)
    notebook = write_notebook(tmp_path / "s.ipynb", [
        "import numpy as np\nimport torch\n"
        "def double(x):\n    return 2.0 * np.asarray(x, dtype=float)\n"
        "def halve(x):\n    return torch.tensor(x / 2)"])
    result = Grader("mini", settings, jail).grade(Submission("s", notebook))
    checks = {c.name: c for q in result.questions for c in q.checks}
    assert checks["refuses a string"].passed  # np.asarray("abc", dtype=float) raised ValueError
    message = checks["halves"].message
    assert not checks["halves"].passed and "torch.Tensor" in message
    assert not any(name in message for name in ("TensorValue", "RemoteObject", "StudentObject"))


def _lab(path: Path) -> Path:
    """An nbgrader source whose hidden test expects ``squares(0)`` to raise ValueError."""
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        new_md("# Lab"),
        code("import numpy as np"),
        code("def squares(n):\n    ### BEGIN SOLUTION\n    if n <= 0:\n        raise ValueError('n must be positive')\n"
             "    return [i ** 2 for i in range(1, n + 1)]\n    ### END SOLUTION",
             solution=True, grade=False, grade_id="squares"),
        code("assert squares(2) == [1, 4]\n### BEGIN HIDDEN TESTS\ntry:\n    squares(0)\nexcept ValueError:\n    pass\n"
             "else:\n    raise AssertionError('squares(0) must raise ValueError')\n### END HIDDEN TESTS",
             solution=False, grade=True, points=2, grade_id="test_squares", locked=True),
        code("def model():\n    ### BEGIN SOLUTION\n    return object()\n    ### END SOLUTION",
             solution=True, grade=False, grade_id="model"),
        code("m = model()\nassert m + 1", solution=False, grade=True, points=1, grade_id="test_model", locked=True),
    ]
    nbformat.write(notebook, str(path))
    return path


@pytest.mark.slow
def test_an_imported_nbgrader_test_catches_the_students_value_error(tmp_path: Path, jail: Jail) -> None:
    make_mini_project(tmp_path / "course")
    assert run_cli("import", "nbgrader", str(_lab(tmp_path / "lab.ipynb")), "--course", str(tmp_path / "course"),
                   "--name", "lab") == 0
    settings = load_settings(tmp_path / "course" / "grading_config.yaml")
    source = nbformat.read(tmp_path / "course" / "assignments" / "lab" / "source.ipynb", as_version=4)
    solution = write_notebook(tmp_path / "solution.ipynb", [
        c.source for c in source.cells if c.cell_type == "code" and "setup" not in c.metadata.get("tags", [])])
    result = Grader("lab", settings, jail).grade(Submission("solution", solution))
    scores = {q.name: q.score for q in result.questions}
    assert scores["test_squares"] == 2.0  # the correct squares passes: its ValueError was caught
    message = next(c.message for q in result.questions if q.name == "test_model" for c in q.checks)
    assert "object of the notebook" in message and "StudentObject" not in message
    lenient = write_notebook(tmp_path / "lenient.ipynb", [
        "import numpy as np\ndef squares(n):\n    return [i ** 2 for i in range(1, n + 1)]"])
    assert {q.name: q.score for q in Grader("lab", settings, jail).grade(Submission("l", lenient)).questions
            }["test_squares"] == 0.0  # a squares that does not raise fails the test
