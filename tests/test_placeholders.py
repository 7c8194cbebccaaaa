"""The course's blanks (``<Ваш код здесь>``, ``# Ваш код здесь`` over an empty body) are
"not done yet", named, and do not hide the finished functions of the same cell."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from autograder.config import load_settings
from autograder.grading import Grader, Submission
from autograder.notebook import read_submission
from autograder.placeholders import Placeholders
from autograder.sandbox.report import CellOutcome, RunReport
from tests.helpers import make_mini_project, write_notebook

BLANKS = Placeholders()


def run(source: str, call: str) -> object:
    namespace: dict[str, object] = {}
    exec(BLANKS.rewrite(source), namespace)
    try:
        return eval(call, namespace)
    except NotImplementedError as error:
        return f"not done: {error}"


@pytest.mark.parametrize(("source", "call"), [
    ("def f(x):\n    return <Ваш код здесь>\n", "f(1)"),
    ("def f(x):\n    y = <ваш код здесь>\n    return y\n", "f(1)"),
    ("def f(x):\n    x -= < Ваш код >\n    return x\n", "f(1)"),
    ("def f(x):\n    return max(1,\n               <Your code here: use x>)\n", "f(1)"),
    ("def f(x):\n    # Ваш код здесь\n", "f(1)"),
    ("def f(x):\n# Ваш код здесь\n\nz = 1\n", "f(1)"),
    ("def f(x):  # the loss\n    # Ваш код здесь (одна строка)\n    # ещё комментарий\ndef g():\n    return 2\n", "f(1)"),
    ('def f(x):\n    """The loss."""\n    # Ваш код здесь\n', "f(1)"),
    ("def f(x):\n    # Ваш код здесь\n    pass\n", "f(1)"),
    ("class P:\n    def f(self, x):\n        # Ваш код здесь\n\n    def g(self):\n        return 2\n", "P().f(1)"),
])
def test_a_blank_is_not_done_yet(source: str, call: str) -> None:
    assert str(run(source, call)).startswith("not done: ")


def test_finished_functions_of_the_cell_still_work() -> None:
    source = ("def done(x):\n    return 2 * x\n\n"
              "def blank(x):\n    return <Ваш код здесь>\n\n"
              "def empty(x):\n    # Ваш код здесь\n\n"
              "def written(x):\n    # Ваш код здесь\n    return x + 1\n")
    assert run(source, "done(2)") == 4
    assert run(source, "written(2)") == 3
    assert run(source, "blank(2)") == "not done: <Ваш код здесь>"
    assert run(source, "empty(2)") == "not done: # Ваш код здесь"


def test_lines_keep_their_numbers_and_valid_code_is_left_alone() -> None:
    source = "x = 1\ndef f():\n    return <Ваш код здесь>\ny = 2 +\n"
    rewritten = BLANKS.rewrite(source)
    assert rewritten.count("\n") == source.count("\n")
    assert rewritten.splitlines()[3] == "y = 2 +"          # a real syntax error stays one
    fine = 'print("<Ваш код здесь>")\n# Ваш код здесь\nx = 1\ndef g():\n    pass\n'
    assert BLANKS.rewrite(fine) == fine


def test_phrases_are_the_course_s_own() -> None:
    custom = Placeholders(["YOUR CODE"])
    assert "NotImplementedError" in custom.rewrite("def f():\n    return <YOUR CODE>\n")
    assert custom.rewrite("def f():\n    return <Ваш код здесь>\n") == "def f():\n    return <Ваш код здесь>\n"
    assert Placeholders([]).rewrite("def f():\n    # Ваш код здесь\n") == "def f():\n    # Ваш код здесь\n"
    ast.parse(custom.rewrite("def f():\n    # your code\n"))


def test_placeholders_come_from_the_config(tmp_path: Path) -> None:
    config = tmp_path / "grading_config.yaml"
    config.write_text("placeholders: ['Ваш код']\nassignments: {a: {questions: {f: 1}}}\n", encoding="utf-8")
    blanks = load_settings(config).placeholders
    assert "NotImplementedError" in blanks.rewrite("def f():\n    return <Ваш код>\n")
    assert "NotImplementedError" not in blanks.rewrite("def f():\n    return <your code here>\n")


def test_a_top_level_blank_says_the_cell_is_not_done() -> None:
    report = RunReport((CellOutcome(4, "error", "NotImplementedError", "<Ваш код здесь>"),), 0.1, False)
    error = report.errors()[0]
    assert error.en.startswith("Cell 5 is not done yet") and "<Ваш код здесь>" in error.en
    assert error.ru.startswith("Ячейка 5 ещё не готова")


def test_read_submission_rewrites_blanks_after_magics(tmp_path: Path) -> None:
    raw = {"nbformat": 4, "nbformat_minor": 0, "metadata": {}, "cells": [
        {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
         "source": ["!pip install numpy\n", "def f(x):\n", "    return <Ваш код здесь>\n"]}]}
    path = tmp_path / "[seminar]x.ipynb"
    path.write_text(json.dumps(raw), encoding="utf-8")
    source = read_submission(path)[0].source
    assert "get_ipython().system('pip install numpy')" in source and "NotImplementedError" in source
    ast.parse(source)


BLANK_CELL = ("import numpy as np\n\n"
              "def double(x):\n    return 2.0 * np.asarray(x, dtype=float)\n\n"
              "def halve(x):\n    # Ваш код здесь\n")


@pytest.mark.slow
def test_graded_blank_is_not_done_and_its_neighbour_scores(tmp_path: Path, jail) -> None:
    settings = load_settings(make_mini_project(tmp_path / "project"))
    notebook = write_notebook(tmp_path / "alice.ipynb", [BLANK_CELL])
    result = Grader("mini", settings, jail).grade(Submission("alice", notebook))
    scores = {q.name: q.score for q in result.questions}
    assert scores == {"double": 2.0, "halve": 0.0}, result
    assert result.errors == ()
    halve = next(q for q in result.questions if q.name == "halve")
    assert "`halve` is not implemented yet: in cell 2" in halve.cause  # said once, for the question
