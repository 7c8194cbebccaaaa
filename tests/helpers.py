"""Test helpers: notebooks written with nbformat, and a tiny assignment of our own."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from collections.abc import Sequence
from typing import Any

import nbformat

from autograder.results import SubmissionResult

ROOT = Path(__file__).resolve().parent.parent  # this checkout, wherever it is


def write_notebook(path: Path, cells: list[str], markdown: str | None = "# Homework") -> Path:
    """A real .ipynb holding these code cells (and a markdown cell first)."""
    notebook = nbformat.v4.new_notebook()
    if markdown is not None:
        notebook.cells.append(nbformat.v4.new_markdown_cell(markdown))
    notebook.cells.extend(nbformat.v4.new_code_cell(source) for source in cells)
    for number, cell in enumerate(notebook.cells):
        cell.id = f"cell-{number}"  # the same bytes every run: a submission's seeds come from its bytes
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, str(path))
    return path


MINI_CONFIG = """
language: en
limits: {cell_timeout_s: 3, call_timeout_s: 3, run_timeout_s: 20, memory_mb: 512}
assignments:
  mini:
    questions: {double: 2, halve: 1}
"""

MINI_REFERENCE = """
import numpy as np

def double(x):
    return 2.0 * np.asarray(x, dtype=float)

def halve(x):
    return np.asarray(x, dtype=float) / 2.0
"""

MINI_CHECKS = '''
import numpy as np
from autograder.checks import Mistake, check, expect_close, expect_unchanged


@check("double", en="matches the reference", ru="совпадает с эталоном")
def test_double_values(submission, reference, rng, tol):
    x = rng.normal(size=5)
    expect_close("double", (x,), submission.double(x), reference.double(x), tol,
                 mistakes=[Mistake(x, en="you returned the input", ru="вы вернули вход")])


@check("double", en="does not change its input", ru="не меняет вход", weight=1)
def test_double_unchanged(submission):
    x = np.arange(3.0)
    result = submission.call_ex("double", (x,), return_args=True)
    expect_unchanged("double", "x", x, result.args_after[0])


@check("halve", en="matches the reference", ru="совпадает с эталоном")
def test_halve(submission, reference, tol):
    expect_close("halve", (4.0,), submission.halve(4.0), reference.halve(4.0), tol)
'''


def make_mini_project(root: Path) -> Path:
    """A config and an assignment `mini` under ``root``; returns the config path."""
    folder = root / "assignments" / "mini"
    (folder / "checks").mkdir(parents=True)
    (folder / "reference.py").write_text(textwrap.dedent(MINI_REFERENCE))
    (folder / "checks" / "test_mini.py").write_text(MINI_CHECKS)
    config = root / "grading_config.yaml"
    config.write_text(MINI_CONFIG)
    return config


def graded_essay_class(root: Path, students: Sequence[str], scores: str) -> tuple[Path, Path, Path]:
    """The mini course with an essay graded by hand (2 points), a notebook per student
    answering ``double`` alone, graded by ``grade --manual`` with the table ``scores``: the
    config, the table's path and the output folder (all under ``root``)."""
    config = make_mini_project(root / "course")
    config.write_text(config.read_text() + "    manual: {essay: 2}\n")
    for student in students:
        write_notebook(root / "in" / f"{student}.ipynb", ["def double(x):\n    return 2 * x\n"])
    table = root / "scores.csv"
    table.write_text(scores, encoding="utf-8")
    out = root / "out"
    assert run_cli("grade", "--config", str(config), "-a", "mini", str(root / "in"), "--out", str(out),
                   "--manual", str(table)) == 0
    return config, table, out


def run_cli(*args: str) -> int:
    """Run `autograder` in-process through the script's entry point; its exit code."""
    from autograder.cli import main

    try:
        main(list(args))
    except SystemExit as exit_:
        return int(exit_.code or 0)
    return 0


def graded_part(result: SubmissionResult) -> str:
    """Everything of a result but its id and times, as the bytes a report would hold."""
    data: dict[str, Any] = result.to_json()
    for key in ("submission", "duration_s"):
        data.pop(key)
    return json.dumps(data, sort_keys=True)
