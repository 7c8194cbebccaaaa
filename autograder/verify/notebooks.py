"""The notebooks ``verify`` grades, all made from the master as ``assign`` makes them.

- the *stub*: the student notebook exactly as ``autograder assign`` writes it;
- the *solution*: the same notebook with the master's solutions where the stubs are
  (what a student who wrote the master's code would submit);
- a *mutant*: the solution with one cell changed.

So every one of them is what a student could hand in: the generated setup cell with
``check()``, no instructor cells, the master's own cells in the master's order.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nbformat import NotebookNode, from_dict

from autograder.assign import INSTRUCTOR_TAG, MASTER_NAME, SETUP_TAG, convert, read_master
from autograder.instructor import load_reference
from autograder.config import Settings
from autograder.examples import expected, load_examples
from autograder.exceptions import AssignmentError
from autograder.notebook import cell_source, transform_ipython
from autograder.verify.source import solution_lines, unmark


def _tags(cell: dict[str, Any]) -> list[str]:
    tags = cell.get("metadata", {}).get("tags", [])
    return [str(t) for t in tags] if isinstance(tags, list) else []


@dataclass
class Notebooks:
    """The master of one assignment and the notebooks made from it."""

    master: NotebookNode
    stub: dict[str, Any]
    solution: dict[str, Any]
    examples: list[dict[str, Any]]
    placed: dict[int, int]   # master cell index -> its index in the solution notebook

    @classmethod
    def load(cls, assignment: str, settings: Settings) -> Notebooks:
        """Raises ``AssignmentError`` when the master, its examples or its reference are
        broken (a public example the reference fails, among others)."""
        folder = settings.assignment_dir(assignment)
        where = str(folder / MASTER_NAME)
        master = read_master(folder / MASTER_NAME)
        examples = expected(load_examples(folder), load_reference(folder))
        stub = convert(master, assignment, examples, settings.language, where=where)
        unmarked = json.loads(json.dumps(master))
        for cell in unmarked["cells"]:
            if isinstance(cell.get("metadata"), dict):
                cell["metadata"].pop("autograder", None)  # the blank's own text is for the stub only
            if cell.get("cell_type") == "code":
                cell["source"] = unmark(cell_source(cell))
        solution = convert(from_dict(unmarked), assignment, examples, settings.language, where=where)
        kept = [i for i, cell in enumerate(master.cells) if INSTRUCTOR_TAG not in _tags(cell)]
        if len(kept) != len(solution.cells):
            raise AssignmentError(f"{where}: the student notebook's cells do not match the master's")
        return cls(master, dict(stub), dict(solution), examples, {m: s for s, m in enumerate(kept)})

    def mutable_cells(self) -> list[tuple[int, str]]:
        """The master's code cells a student writes in: (master index, source)."""
        return [(index, cell_source(cell)) for index, cell in enumerate(self.master.cells)
                if cell.cell_type == "code" and index in self.placed
                and SETUP_TAG not in _tags(cell)]

    def given_cells(self) -> list[str]:
        """The master's code cells students get as they are (no solution region, not the
        blank's own text in their place, not the setup cell)."""
        return [source for index, source in self.mutable_cells()
                if not solution_lines(transform_ipython(source))
                and "student" not in (self.master.cells[index].get("metadata", {}).get("autograder") or {})]

    def with_cell(self, master_index: int, source: str) -> dict[str, Any]:
        """The solution notebook with one cell's source replaced (the others shared)."""
        cells = list(self.solution["cells"])
        position = self.placed[master_index]
        cells[position] = {**cells[position], "source": source}
        return {**self.solution, "cells": cells}


def write(notebook: dict[str, Any], path: Path) -> Path:
    """Write a notebook made by :class:`Notebooks` (already validated: it is the
    student notebook with code changed)."""
    path.write_text(json.dumps(notebook, ensure_ascii=False), encoding="utf-8")
    return path
