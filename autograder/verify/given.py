"""Code students are given: functions a solution region defines exactly as a cell that
students get as it is already does.

A seminar shows part of a class ("добавим к class Car метод": ``__init__`` and
``set_cost`` in a cell without a solution region), then its next task's solution
rewrites the whole class with one method more. The region's copy of ``__init__`` and
``set_cost`` is code the students were given: a mutant of it is no mistake a student
makes, and one no check catches says nothing about the checks. ``verify`` makes no
mutant there (a question's own code is always mutated).
"""

from __future__ import annotations

import ast
import warnings
from collections.abc import Collection, Iterable

from autograder.notebook import transform_ipython
from autograder.verify.report import question_of
from autograder.verify.source import solution_lines, unmark

_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def _parsed(source: str) -> ast.Module | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ast.parse(unmark(transform_ipython(source)))
    except (SyntaxError, ValueError):
        return None


def definitions(tree: ast.Module) -> dict[str, str]:
    """Every function and class of a cell, nested ones too, by its dotted name as
    mutants name their scope (``Car.set_cost``), with its syntax tree as text."""
    found: dict[str, str] = {}

    def visit(node: ast.AST, scope: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, _DEFINITIONS):
                name = f"{scope}.{child.name}" if scope else child.name
                found[name] = ast.dump(child)
                visit(child, name)

    visit(tree, "")
    return found


def given_scopes(given: Iterable[str], written: Iterable[str]) -> set[str]:
    """The scopes of the cells students write in (``written``, with their solution
    regions) that one of the cells they get as they are (``given``) defines the same."""
    shown: dict[str, set[str]] = {}
    for source in given:
        tree = None if solution_lines(transform_ipython(source)) else _parsed(source)
        for name, dumped in definitions(tree).items() if tree is not None else ():
            shown.setdefault(name, set()).add(dumped)
    found: set[str] = set()
    for source in written:
        tree = _parsed(source)
        for name, dumped in definitions(tree).items() if tree is not None else ():
            if dumped in shown.get(name, ()):
                found.add(name)
    return found


def is_given(scope: str, questions: Iterable[str], given: Collection[str]) -> bool:
    """Whether a mutant's ``scope`` is given code (in ``given``) and no question's."""
    return scope in given and question_of(scope, questions) is None
