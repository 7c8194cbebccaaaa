"""A syntax error in one top-level statement of a cell does not hide the rest of the cell:
the complete functions are graded, the broken one is named with its cell and line."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest

from autograder.config import Limits, Settings, load_settings, replace
from autograder.grading import Grader, Submission
from autograder.notebook import CodeCell, transform_ipython
from autograder.reports.notebook_feedback import question_cells
from autograder.results import SubmissionResult
from autograder.sandbox.jail import Jail
from autograder.session import Session
from autograder.sandbox.inside import salvage
from autograder.sandbox.report import Skipped, outcome_from_wire
from tests.helpers import ROOT, write_notebook

SIGMOID = """\
def sigmoid(x):
    x = np.asarray(x, dtype=float)
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))
"""
TANH = """\
def tanh(x):
    return np.tanh(np.asarray(x, dtype=float))
"""
RELU_PAREN = """\
def relu(x):
    x = np.asarray(x, dtype=float)
    return np.maximum(0, x
"""
RELU_TYPO = """\
def relu(x):
    x = np.asarray(x, dtype=float)
    retrun np.maximum(0, x)
"""
RELU_INDENT = """\
def relu(x):
    x = np.asarray(x, dtype=float)
      return np.maximum(0, x)
"""
RELU = """\
def relu(x):
    return np.maximum(np.asarray(x, dtype=float), 0.0)
"""


def cell(*parts: str) -> str:
    return "\n".join(parts)


@pytest.fixture(scope="module")
def settings() -> Settings:
    base = load_settings(ROOT / "grading_config.yaml")
    short = {"cell_timeout_s": 3.0, "call_timeout_s": 3.0, "run_timeout_s": 20.0, "memory_mb": 512}
    config = replace(base.config, language="en", limits=replace(base.config.limits, **short))
    return Settings(config, base.path)


@pytest.fixture(scope="module", params=["auto", "none"])
def grader(request: pytest.FixtureRequest, settings: Settings) -> Iterator[Grader]:
    """The real jail (bwrap here) and the plain subprocess of ``--sandbox none``."""
    if request.param == "auto":
        yield Grader("activations", settings, request.getfixturevalue("jail"))
        return
    with Jail.start("none", settings.preload("activations")) as plain:
        yield Grader("activations", settings, plain)


def graded(grader: Grader, tmp_path: Path, cells: list[str]) -> SubmissionResult:
    return grader.grade(Submission("s", write_notebook(tmp_path / "s.ipynb", ["import numpy as np", *cells])))


def scores(result: SubmissionResult) -> dict[str, float]:
    return {q.name: q.score for q in result.questions if q.name in ("sigmoid", "relu", "tanh")}


@pytest.mark.parametrize(("relu", "line", "error"), [
    (RELU_PAREN, 8, "'(' was never closed"),
    (RELU_TYPO, 8, "invalid syntax"),
    (RELU_INDENT, 8, "unexpected indent"),
])
def test_the_complete_functions_of_a_broken_cell_are_graded(grader: Grader, tmp_path: Path,
                                                           relu: str, line: int, error: str) -> None:
    result = graded(grader, tmp_path, [cell(SIGMOID, relu, TANH)])  # cell 3 (1: markdown, 2: import)
    assert scores(result) == {"sigmoid": 2.0, "relu": 0.0, "tanh": 2.0}, result
    question = next(q for q in result.questions if q.name == "relu")
    assert question.cause.startswith("`relu` is not defined."), question.cause
    for fragment in ("cell 3", f"line {line}", error):
        assert fragment in question.cause, question.cause
    # said once: no check repeats the syntax error
    assert question.checks and all(error not in c.message for c in question.checks)
    assert [e for e in result.errors if "syntax error" in e] == [
        next(e for e in result.errors if "Cell 3" in e)], result.errors
    assert f"line {line}" in next(e for e in result.errors if "Cell 3" in e)


def test_a_broken_top_level_statement_is_skipped_and_said(grader: Grader, tmp_path: Path) -> None:
    result = graded(grader, tmp_path, [cell(SIGMOID, "THRESHOLD = max(0.5,\n", TANH), RELU])
    assert scores(result) == {"sigmoid": 2.0, "relu": 2.0, "tanh": 2.0}, result.errors
    assert [e for e in result.errors if "Cell 3" in e] == [
        "Cell 3 has a syntax error at line 6: '(' was never closed. Lines 6–6 of that cell were skipped; "
        "the rest of the cell ran."]


# ---- the splitting itself ---------------------------------------------------------------

def pieces(source: str) -> list[tuple[int, int, bool]]:
    return [(p.first, p.last, p.code is not None)
            for p in salvage.split(source, lambda tree: compile(tree, "<cell 1>", "exec"))]


def test_statements_are_cut_at_column_0_and_kept_whole() -> None:
    source = ('@decorator\n@other(1)\ndef f(x):\n    """\nA docstring whose lines\nstart in column 0.\n"""\n'
              "    return x +\n"                      # 8: the error
              "if x:\n    pass\nelif y:\n    pass\nelse:\n    pass\n"
              "try:\n    pass\nexcept E:\n    pass\nfinally:\n    pass\n"
              "total = (1,\n2)\nlong = 1 + \\\n    2\n# a comment\nlast = [\n]\n")
    assert pieces(source) == [(1, 8, False), (9, 14, True), (15, 20, True), (21, 22, True),
                              (23, 24, True), (26, 27, True)]


def test_consecutive_broken_statements_are_one_region_with_python_s_message() -> None:
    source = "def relu(x):\nreturn x\n\ndef tanh(x):\n    return x\n"
    found = salvage.split(source, lambda tree: compile(tree, "<cell 1>", "exec"))
    assert [(p.first, p.last, p.code is None) for p in found] == [(1, 2, True), (4, 5, False)]
    assert (found[0].line, found[0].message) == (2, "expected an indented block after function definition on line 1")


def test_lines_keep_their_numbers_in_tracebacks() -> None:
    source = "x = (\n\ndef f():\n    return 1 / 0\n"
    code = next(p.code for p in salvage.split(source, lambda t: compile(t, "<cell 1>", "exec")) if p.code)
    namespace: dict[str, object] = {}
    exec(code, namespace)
    with pytest.raises(ZeroDivisionError) as raised:
        namespace["f"]()  # type: ignore[operator]
    assert raised.traceback[-1].lineno + 1 == 4


def test_an_unclosed_bracket_in_a_long_cell_costs_little() -> None:
    source = "x = (\n" + "".join(f"def f{i}(a):\n    return a + {i}\n" for i in range(3000))
    started = time.perf_counter()
    found = pieces(source)
    assert found[0] == (1, 1, False) and len(found) == 3001 and all(ok for _, _, ok in found[1:])
    assert time.perf_counter() - started < 5.0


def test_a_cell_where_nothing_compiles_is_one_error_as_before(jail: Jail, fast_limits: Limits) -> None:
    with Session(jail.spawn, [CodeCell(0, "def f(x)\n    return x\n")], fast_limits) as session:
        (outcome,) = session.run.cells
    assert (outcome.status, outcome.skipped) == ("syntax_error", ())
    assert session.run.errors()[0].en.startswith("Cell 1 has a syntax error: expected ':' (line 1). Nothing")


def test_a_statement_after_the_broken_one_may_raise_with_its_own_line(jail: Jail, fast_limits: Limits) -> None:
    source = "def f(x):\n    return x +\n\ndef g():\n    return 1\n\nprint(g())\n1 / 0\nafter = 1\n"
    with Session(jail.spawn, [CodeCell(0, source)], fast_limits) as session:
        (outcome,) = session.run.cells
        assert session.has("g") and not session.has("f") and not session.has("after")
    assert outcome.status == "error" and outcome.exc_type == "ZeroDivisionError"
    assert outcome.skipped == (Skipped(1, 2, 2, "invalid syntax"),)
    assert "line 8" in outcome.traceback
    errors = [e.en for e in session.run.errors()]
    assert errors[0].startswith("Cell 1 has a syntax error at line 2: invalid syntax. Lines 1–2")
    assert errors[1].startswith("Cell 1 raised ZeroDivisionError")
    assert session.run.errors()[0].ru.startswith("В ячейке 1 синтаксическая ошибка в строке 2: invalid syntax.")


def test_the_skipped_lines_are_read_from_the_worker_strictly() -> None:
    data = {"status": "syntax_error", "message": "x", "skipped": [
        {"first": 1, "last": 2, "line": 2, "message": "invalid syntax"},
        {"first": "1", "last": 2, "line": 2, "message": "a string for a line"},
        {"first": 1, "last": 2, "line": True, "message": "a bool"},
        {"first": 1, "last": 2, "line": 2},
        "not a dict"]}
    assert outcome_from_wire(data, 0).skipped == (Skipped(1, 2, 2, "invalid syntax"),)
    assert outcome_from_wire({**data, "skipped": "no"}, 0).skipped == ()
    assert len(outcome_from_wire({**data, "skipped": [data["skipped"][0]] * 500}, 0).skipped) == 50


def test_the_feedback_of_the_graded_functions_goes_after_their_broken_cell() -> None:
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import numpy as np"),
                                               nbformat.v4.new_code_cell(cell(SIGMOID, RELU_PAREN, TANH))])
    assert question_cells(notebook, ["sigmoid", "relu", "tanh"]) == {"sigmoid": 1, "tanh": 1}


def test_magics_after_a_syntax_error_are_still_made_python() -> None:
    source = "!pip install numpy\n" + RELU_PAREN + "\n" + TANH + "%time tanh(1)\n"
    plain = transform_ipython(source)
    assert plain.count("\n") == source.count("\n")
    assert plain.splitlines()[0] == "get_ipython().system('pip install numpy')"
    assert plain.splitlines()[-1] == "get_ipython().run_line_magic('time', 'tanh(1)')"
    assert plain.splitlines()[1:-1] == source.splitlines()[1:-1]
