"""An otter grading suite (tests folder, otter_config.json, a support file) and an nbgrader
assignment, with students' notebooks made for each tool, written here after the tools'
documented formats (otter's OK and exception-based test files; nbgrader's cell metadata).

The peer's scores for these notebooks are in ``tests/peer_scores.json``, recorded once
with the real tools by ``tests/record_peer_scores.py`` (see its docstring).
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat

OK_Q1 = '''OK_FORMAT = True

test = {
    "name": "q1",
    "points": 2,
    "suites": [
        {
            "cases": [
                {"code": ">>> square(3)\\n9", "hidden": False, "locked": False},
                {"code": ">>> square(-2)\\n4", "hidden": True, "locked": False},
            ],
            "scored": True, "setup": "", "teardown": "", "type": "doctest",
        }
    ],
}
'''

# all or nothing, with a hidden test worth 0 points: failing it loses the question
OK_Q2 = '''OK_FORMAT = True

test = {
    "name": "q2",
    "all_or_nothing": True,
    "suites": [
        {
            "cases": [
                {"code": ">>> answer == 17\\nTrue", "hidden": False, "locked": False, "points": 3},
                {"code": ">>> isinstance(answer, int)\\nTrue", "hidden": True, "locked": False, "points": 0},
            ],
            "scored": True, "setup": "", "teardown": "", "type": "doctest",
        }
    ],
}
'''

# exception-based: the student's generator is stepped through the proxy
EXC_Q3 = '''from otter.test_files import test_case

OK_FORMAT = False

name = "q3"
points = 2

@test_case(points=1, hidden=False)
def test_first(fib):
    assert next(fib) == 0, "the first Fibonacci number is 0"
    assert next(fib) == 1

@test_case(points=1, hidden=True)
def test_more(fibs):
    import itertools
    assert list(itertools.islice(fibs(), 8)) == [0, 1, 1, 2, 3, 5, 8, 13]
'''

# seeded by otter_config.json; reads a support file
OK_Q4 = '''OK_FORMAT = True

test = {
    "name": "q4",
    "points": 1,
    "suites": [
        {
            "cases": [
                {"code": ">>> import numpy as np\\n>>> bool(np.isclose(draw, np.random.RandomState(7).rand()))\\nTrue", "hidden": False},
                {"code": ">>> words\\n['alpha', 'beta']", "hidden": False},
            ],
            "scored": True, "setup": "", "teardown": "", "type": "doctest",
        }
    ],
}
'''


def otter_suite(root: Path) -> Path:
    """``root/tests/q*.py``, ``root/otter_config.json``, ``root/files/words.txt`` (what
    ``otter generate`` puts in its zip); returns ``root``."""
    (root / "tests").mkdir(parents=True)
    for name, text in {"q1": OK_Q1, "q2": OK_Q2, "q3": EXC_Q3, "q4": OK_Q4}.items():
        (root / "tests" / f"{name}.py").write_text(text)
    (root / "otter_config.json").write_text(json.dumps({"seed": 7, "lang": "python"}))
    (root / "files").mkdir()
    (root / "files" / "words.txt").write_text("alpha\nbeta\n")
    return root


SOLUTION = {
    "square": "def square(x):\n    return x ** 2",
    "answer": "answer = square(4) + 1",
    "fib": ("def fibs():\n    a, b = 0, 1\n    while True:\n        yield a\n        a, b = b, a + b\n\n"
            "fib = fibs()"),
    "draw": "import numpy as np\ndraw = np.random.rand()",
    "words": "words = open('words.txt').read().split()",
}


def otter_student(path: Path, replace: dict[str, str] | None = None, after: list[str] | None = None,
                  checks: bool = True) -> Path:
    """A student's notebook made for otter: ``import otter``, ``grader.check`` after each
    answer, ``check_all`` and ``export`` at the end (``checks=False``: without them)."""
    answers = {**SOLUTION, **(replace or {})}
    cells = ["import otter\ngrader = otter.Notebook('hw.ipynb')"] if checks else []
    for key, question in (("square", "q1"), ("answer", "q2"), ("fib", "q3"), ("draw", None), ("words", "q4")):
        cells.append(answers[key])
        if checks and question:
            cells.append(f'grader.check("{question}")')
    cells += after or []
    if checks:
        cells += ["grader.check_all()", "grader.export(pdf=False)"]
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_markdown_cell("# Homework")] + [nbformat.v4.new_code_cell(c) for c in cells]
    nbformat.write(notebook, str(path))
    return path


def _nbg(source: str, **meta: object) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["nbgrader"] = {"schema_version": 3, "locked": False, "solution": False, "grade": False, **meta}
    return cell


NBG_SQUARES = "def squares(n):\n    ### BEGIN SOLUTION\n    return [i ** 2 for i in range(1, n + 1)]\n    ### END SOLUTION"
NBG_SUM = "def sum_of_squares(n):\n    ### BEGIN SOLUTION\n    return sum(squares(n))\n    ### END SOLUTION"
NBG_TEST_SQUARES = "assert squares(3) == [1, 4, 9]\nassert squares(1) == [1]"
# as nbgrader's own documentation writes it: the test removes `squares` to see that
# `sum_of_squares` calls it, then puts it back
NBG_TEST_USES = ("assert sum_of_squares(3) == 14\norig_squares = squares\ndel squares\ntry:\n"
                 "    sum_of_squares(1)\nexcept NameError:\n    pass\nelse:\n"
                 "    raise AssertionError('sum_of_squares does not use squares')\nfinally:\n"
                 "    squares = orig_squares")


def nbgrader_notebook(path: Path, squares: str = NBG_SQUARES, total: str = NBG_SUM,
                      drop: tuple[str, ...] = (), edit: dict[str, str] | None = None,
                      after: list[str] | None = None) -> Path:
    """An nbgrader notebook (the source when given the solutions); ``drop``: test cells
    (grade_ids) the student deleted; ``edit``: test cells the student changed."""
    cells = [
        nbformat.v4.new_markdown_cell("# Lab"),
        _nbg('NAME = ""\nCOLLABORATORS = ""', grade_id="name"),
        _nbg(squares, solution=True, grade_id="squares"),
        _nbg(NBG_TEST_SQUARES, grade=True, points=2, grade_id="test_squares", locked=True),
        _nbg(total, solution=True, grade_id="sum"),
        _nbg(NBG_TEST_USES, grade=True, points=1, grade_id="test_uses", locked=True),
        *[nbformat.v4.new_code_cell(c) for c in after or []],
    ]
    essay = nbformat.v4.new_markdown_cell("Squares grow because...")
    essay.metadata["nbgrader"] = {"schema_version": 3, "solution": True, "grade": True, "points": 2,
                                  "grade_id": "essay", "locked": False}
    cells.append(essay)
    kept = []
    for cell in cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in drop:
            continue
        if grade_id in (edit or {}):
            cell.source = (edit or {})[grade_id]
        kept.append(cell)
    notebook = nbformat.v4.new_notebook()
    notebook.cells = kept
    nbformat.write(notebook, str(path))
    return path


# the students' notebooks of the comparison with the peers: name -> how it differs
OTTER_STUDENTS: dict[str, dict[str, object]] = {
    "solution": {},
    "no_otter_cells": {"checks": False},
    "changed_after_check": {"after": ["answer = 0\nsquare = None\nfib = iter([])"]},
    "float_answer": {"replace": {"answer": "answer = square(4) + 1.0"}},  # fails only the 0-point test
    "square_abs": {"replace": {"square": "def square(x):\n    return x * abs(x)"}},  # hidden case fails
    "fib_from_one": {"replace": {"fib": SOLUTION["fib"].replace("a, b = 0, 1", "a, b = 1, 1")}},
    "draws_twice": {"replace": {"draw": "import numpy as np\nnp.random.rand()\ndraw = np.random.rand()"}},
}

NBG_STUDENTS: dict[str, dict[str, object]] = {
    "solution": {},
    "inlined_sum": {"total": "def sum_of_squares(n):\n    return sum(i ** 2 for i in range(1, n + 1))"},
    "deleted_test_cell": {"drop": ("test_squares",)},
    "edited_test_cell": {"edit": {"test_squares": "pass"}, "squares": "def squares(n):\n    return [1]"},
    "rebound_after_tests": {"after": ["squares = None"]},
    "wrong_squares": {"squares": "def squares(n):\n    return [i ** 2 for i in range(n)]"},
}


def otter_students(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return {name: otter_student(folder / f"{name}.ipynb", **how) for name, how in OTTER_STUDENTS.items()}  # type: ignore[arg-type]


def nbgrader_students(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return {name: nbgrader_notebook(folder / f"{name}.ipynb", **how) for name, how in NBG_STUDENTS.items()}  # type: ignore[arg-type]
