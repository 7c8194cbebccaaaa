"""An nbgrader source notebook, read from its cell metadata (``metadata.nbgrader``).

nbgrader's cell types, by ``solution`` / ``grade`` / ``task``:

- solution, not graded: an answer cell, solutions between ``### BEGIN SOLUTION`` and
  ``### END SOLUTION`` (our markers too), or the whole cell when it has none;
- graded, not a solution: an autograder test cell, worth ``points``, passed when it
  raises nothing; ``### BEGIN HIDDEN TESTS`` ... ``### END HIDDEN TESTS`` is removed
  from the students' copy. One question per test cell, named by its ``grade_id``;
- graded and a solution, or a task: graded by hand, imported as such (``grade --manual``).

A test cell with ``### AUTOTEST expr`` lines (nbgrader 0.9) holds no asserts yet: nbgrader
writes them when it releases the assignment, from the course's ``autotests.yml`` and the
values the source notebook computes. Run as it is, such a cell raises nothing, and every
student, blank notebooks included, would get its points; so it is imported as graded by
hand, and the instructor is told to write the asserts out.

The students' copy keeps a test cell's visible part (as nbgrader's release does); the
whole cell, hidden part included, becomes a check that runs in the grader.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import nbformat
from nbformat import NotebookNode

from autograder.exceptions import AssignmentError, UsageError
from autograder.importers.common import grader_imports, graded_by_hand, reference_source, setup_cell
from autograder.importers.model import ImportedAssignment, ImportedTest
from autograder.importers.rules import ImportRules
from autograder.notebook import read_with_nbformat

_MARKER = re.compile(r"^\s*#+\s*(BEGIN|END)\s+SOLUTION\s*$")
_HIDDEN_BEGIN = re.compile(r"^\s*#+\s*BEGIN\s+HIDDEN\s+TESTS\s*$")
_HIDDEN_END = re.compile(r"^\s*#+\s*END\s+HIDDEN\s+TESTS\s*$")
_DROPPED_METADATA = ("nbgrader",)
_AUTOTEST = re.compile(r"^\s*#.*\bAUTOTEST\b")  # nbgrader's rule: a comment line naming the delimiter
_AUTOTEST_ADVICE = ("nbgrader's `### AUTOTEST`, whose asserts nbgrader writes only when it releases the "
                    "assignment: write the asserts out and import again to grade it automatically")


def _meta(cell: NotebookNode) -> dict[str, Any]:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return meta if isinstance(meta, dict) else {}


def _source(cell: NotebookNode) -> str:
    source = cell.get("source", "")
    return source if isinstance(source, str) else "".join(source)


def read_nbgrader(path: Path, name: str) -> ImportedAssignment:
    """The assignment in nbgrader source notebook ``path``, to be written as ``name``."""
    try:
        notebook = read_with_nbformat(path)
    except Exception as error:  # nbformat raises many kinds for a broken file
        raise UsageError(f"{path}: not a readable notebook ({error})") from None
    cells = [setup_cell(name)]
    questions: dict[str, float] = {}
    tests: list[ImportedTest] = []
    solutions: list[str] = []
    code: list[str] = []
    notes: list[str] = []
    manual: dict[str, float] = {}
    visible_tests: dict[str, str] = {}
    autotests: list[str] = []  # test cells with ### AUTOTEST lines, as "3 ('test_a')"
    for index, cell in enumerate(notebook.cells, 1):
        meta, source = _meta(cell), _source(cell)
        cell = nbformat.from_dict(dict(cell))
        for key in _DROPPED_METADATA:
            cell.metadata.pop(key, None)
        grade_id = str(meta.get("grade_id") or f"cell-{index}")
        if meta.get("task") or (meta.get("grade") and meta.get("solution")):
            points = float(meta.get("points") or 0)
            if grade_id in manual or grade_id in questions:
                raise AssignmentError(f"{path}: two cells share the grade_id {grade_id!r}")
            graded_by_hand(manual, notes, grade_id, points, f"cell {index} ({grade_id!r})", "nbgrader")
            if cell.cell_type == "markdown" and meta.get("solution") and not _has_markers(source):
                cell.source = f"### BEGIN SOLUTION\n{source}\n### END SOLUTION"
        elif meta.get("solution") and cell.cell_type == "code":
            if not _has_markers(source):
                source = f"### BEGIN SOLUTION\n{source}\n### END SOLUTION"
            cell.source = source
            solutions.append(_without_markers(source))
            code.append(_without_markers(source))
        elif meta.get("grade") and cell.cell_type == "code":
            visible, full, hidden = _split_hidden(source, f"{path}, cell {index}")
            points = float(meta.get("points") or 0)
            if points <= 0:
                notes.append(f"test cell {index} ({grade_id!r}) is worth 0 points: not imported")
            elif grade_id in questions or grade_id in manual:
                raise AssignmentError(f"{path}: two test cells share the grade_id {grade_id!r}")
            elif _uses_autotest(full):
                manual[grade_id] = points
                autotests.append(f"{index} ({grade_id!r})")
                notes.append(f"test cell {index} ({grade_id!r}, {points:g} points) uses {_AUTOTEST_ADVICE}: "
                             "imported as graded by hand (`grade --manual`) until then")
            else:
                questions[grade_id] = points
                visible_tests[grade_id] = visible
                tests.append(ImportedTest(grade_id, "code", full, hidden, points, at=grade_id, required=True))
            cell.source = visible
            cell.outputs = []
            cell.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True, "grade_id": grade_id,
                                         "points": points, "schema_version": 3}  # found by it when graded
        elif cell.cell_type == "code":
            code.append(source)
        cells.append(cell)
    master = nbformat.v4.new_notebook(metadata=dict(notebook.metadata))
    master.cells = cells
    reference, reference_notes = reference_source(solutions)
    if not questions and (autotests or not manual):
        raise AssignmentError(_nothing_to_grade(path, autotests))
    return ImportedAssignment(name, "nbgrader", master, reference, questions, tests,
                              grader_imports(code + solutions), notes + reference_notes, manual=manual,
                              rules=ImportRules("nbgrader", test_cells=list(questions), test_sources=visible_tests))


def _uses_autotest(source: str) -> bool:
    return any(_AUTOTEST.match(line) for line in source.split("\n"))


def _nothing_to_grade(path: Path, autotests: list[str]) -> str:
    """The refusal of a notebook with nothing to grade, automatically or by hand, naming the
    ``### AUTOTEST`` cells when they are why: an assignment graded by hand only is imported,
    but one whose tests are not written out yet would be graded by hand by mistake."""
    message = (f"{path}: no autograder test cells (cells with nbgrader grade=true and solution=false, "
               "worth points)")
    if not autotests:
        return message + " and no cell graded by hand worth points: nothing to grade"
    cells, verb = ("cell", "uses") if len(autotests) == 1 else ("cells", "use")
    return (message + f": nothing to grade automatically; test {cells} {', '.join(autotests)} {verb} "
            + _AUTOTEST_ADVICE)


def _has_markers(source: str) -> bool:
    return any(_MARKER.match(line) for line in source.split("\n"))


def _without_markers(source: str) -> str:
    return "\n".join(line for line in source.split("\n") if not _MARKER.match(line))


def _split_hidden(source: str, where: str) -> tuple[str, str, bool]:
    """(the students' part, the whole test without markers, whether it has hidden tests)."""
    visible, full, inside, hidden = [], [], False, False
    for line in source.split("\n"):
        if _HIDDEN_BEGIN.match(line):
            if inside:
                raise AssignmentError(f"{where}: BEGIN HIDDEN TESTS inside another")
            inside = hidden = True
        elif _HIDDEN_END.match(line):
            if not inside:
                raise AssignmentError(f"{where}: END HIDDEN TESTS without BEGIN")
            inside = False
        else:
            full.append(line)
            if not inside:
                visible.append(line)
    if inside:
        raise AssignmentError(f"{where}: BEGIN HIDDEN TESTS without END")
    return "\n".join(visible), "\n".join(full), hidden
