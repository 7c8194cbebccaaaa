"""Questions the blank notebook already answers: not questions.

A seminar often shows part of a class before asking for the rest: "Добавим к class Car
метод" gives ``class Car`` with ``__init__`` and ``set_cost`` in a cell students get as
it is, and the next task's solution rewrites the whole class with ``new_cost`` added.
The solution region then defines ``set_cost`` (and a class ``Car`` with a constructor
alone) exactly as the given cell does; graded, they would earn the untouched blank
points for code the course wrote. A question is given when a cell students get
unchanged defines it the same way (the same syntax tree): a function, a method, or for
a class that is a question itself, its constructor.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from autograder.notebook import parse_cell
from autograder.scaffold.cells import BEGIN, MasterCell, cell_label

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


def _definitions(tree: ast.Module) -> Iterator[tuple[str, str]]:
    """(name, syntax tree as text) of the functions, methods (``Class.method``, the
    constructor too) and classes (by their constructor) a cell defines."""
    for node in tree.body:
        if isinstance(node, _FUNCTIONS):
            yield node.name, ast.dump(node)
        elif isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, _FUNCTIONS):
                    yield f"{node.name}.{item.name}", ast.dump(item)
                    if item.name == "__init__":
                        yield node.name, ast.dump(item)


def definition_of(tree: ast.Module, question: str) -> str | None:
    """How a region's cell defines ``question`` (its last definition there)."""
    found = None
    for name, dumped in _definitions(tree):
        if name == question:
            found = dumped
    return found


def given_questions(cells: list[MasterCell], defined: dict[str, str]) -> dict[str, str]:
    """Question -> the label of a cell students get unchanged that defines it exactly as
    the solution's region does (``defined``: question -> :func:`definition_of`)."""
    given: dict[str, str] = {}
    for cell in cells:
        if cell.cell_type != "code" or cell.student is not None or BEGIN in cell.source or \
                {"setup", "instructor"} & set(cell.tags):
            continue
        tree = parse_cell(cell.source)
        for name, dumped in _definitions(tree) if tree is not None else ():
            if defined.get(name) == dumped:
                given.setdefault(name, cell_label(cell.source))
    return given
