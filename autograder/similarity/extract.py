"""What a student wrote for an assignment's questions, read from the notebook's text.

Nothing here runs a student's code: cells are read as JSON and parsed with ``ast`` (or,
when a cell does not parse, scanned for ``def``/``class`` lines). A cell is the
student's work on a question when it defines the question's name at its top level
(``Perceptron`` for ``Perceptron.fit``) and is not a cell of the starter notebook left
as handed out. The cells are written in the assignment's order of questions, so that
moving cells around changes nothing, each under a comment saying where it came from
(comments are not compared).
"""

from __future__ import annotations

import ast
import re
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from autograder.notebook import cell_source, load_notebook, parse_cell

_DEFINITION = re.compile(r"^(?:async\s+def|def|class)\s+([A-Za-z_]\w*)", re.MULTILINE)


@dataclass(frozen=True)
class StudentCode:
    """One submission's code: its id and the text compared."""

    id: str
    text: str
    cells: int  # how many of its cells went into the text


def owners(questions: Iterable[str]) -> dict[str, str]:
    """The top-level name defining each question: ``Perceptron`` for ``Perceptron.fit``."""
    return {question: question.split(".", 1)[0] for question in questions}


def defined_names(source: str) -> set[str]:
    """Top-level names a cell defines (functions, classes, assignments); a cell that does
    not parse is scanned for its ``def`` and ``class`` lines instead."""
    try:
        with warnings.catch_warnings():  # a student's "\d" is not the instructor's warning
            warnings.simplefilter("ignore")
            tree: ast.Module | None = ast.parse(source)  # most cells are plain Python: no IPython needed
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        tree = parse_cell(source)  # %magics and !commands, or a cell that does not parse
    if tree is None:
        return set(_DEFINITION.findall(source))
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.update(t.id for t in targets if isinstance(t, ast.Name))
    return names


def code_cells(notebook: dict[str, Any]) -> list[tuple[int, str]]:
    """A notebook's code cells: where each is among all its cells, and its source."""
    return [(index, cell_source(cell)) for index, cell in enumerate(notebook.get("cells", []))
            if isinstance(cell, dict) and cell.get("cell_type") == "code"]


def _key(source: str) -> str:
    return "\n".join(line.rstrip() for line in source.strip().splitlines())


def question_code(cells: Sequence[tuple[int, str]], questions: Sequence[str],
                  starter: Iterable[str] = ()) -> tuple[str, int]:
    """The text of the code cells (``(index, source)``) that define the questions, starter
    cells left as they were skipped, in the order of the questions, each under a comment
    with its number as the grader's messages give it; and how many cells that is."""
    unchanged = {_key(source) for source in starter}
    order = {name: rank for rank, name in enumerate(dict.fromkeys(owners(questions).values()))}
    picked: list[tuple[int, int, str]] = []
    for index, source in cells:
        if not source.strip() or _key(source) in unchanged:
            continue
        ranks = [order[name] for name in defined_names(source) if name in order]
        if ranks:
            picked.append((min(ranks), index, source))
    picked.sort()
    text = "\n\n".join(f"# cell {index + 1}\n{source.strip()}\n" for _, index, source in picked)
    return text, len(picked)


def student_code(ident: str, notebook: dict[str, Any], questions: Sequence[str],
                 starter: Iterable[str]) -> StudentCode:
    text, cells = question_code(code_cells(notebook), questions, starter)
    return StudentCode(ident, text, cells)


def read_student_code(ident: str, path: Path, questions: Sequence[str],
                      starter: Iterable[str]) -> StudentCode:
    """A submission's question code; raises NotebookError when the file is not a notebook."""
    return student_code(ident, load_notebook(path), questions, starter)
