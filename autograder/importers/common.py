"""What both importers need: the setup cell, the reference, the grader's imports, and
the notes on tests that cannot run outside the student's process."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable

import nbformat
from nbformat import NotebookNode

from autograder.cell_ids import fixed_id
from autograder.notebook import parse_cell, transform_ipython

SETUP_SOURCE = 'from autograder.examples import make_checker_for\ncheck, check_all = make_checker_for({name!r}, globals())\n'
_NAME = re.compile(r"[^A-Za-z0-9_]+")


def setup_cell(name: str) -> NotebookNode:
    """The master's setup cell (``assign`` replaces it with the generated one)."""
    cell = fixed_id(nbformat.v4.new_code_cell(SETUP_SOURCE.format(name=name)), "setup")
    cell.metadata["tags"] = ["setup"]
    return cell


def assignment_name(stem: str) -> str:
    """A folder and config key from a notebook's file name: ``HW 1-master`` -> ``HW_1_master``."""
    name = _NAME.sub("_", stem).strip("_")
    return name or "imported"


def identifier(text: str) -> str:
    cleaned = _NAME.sub("_", text).strip("_") or "q"
    return cleaned if not cleaned[0].isdigit() else f"q_{cleaned}"


def graded_by_hand(manual: dict[str, float], notes: list[str], question: str, points: float,
                   what: str, origin: str) -> None:
    """A question the other grader leaves to a person (``what``: how the note names it),
    one rule for both importers: worth points, it becomes one of ours graded by hand
    (``grade --manual``); worth none, there is nothing to score (0 of 0), so it is left
    out, as a test worth 0 points is, and the note says so."""
    if points > 0:
        manual[question] = points
        notes.append(f"{what} is graded by hand in {origin} ({points:g} points): imported as graded by hand "
                     "(`grade --manual`)")
    else:
        notes.append(f"{what} is graded by hand in {origin} and worth 0 points: nothing to score, not imported")


def zero_point_tests(question: str, count: int, origin: str) -> list[str]:
    """The one note on a question's tests worth 0 points that were left out (they change no
    score in ``origin``; a check of ours carries a share of the question's points): said
    once with their number, not once per test."""
    if not count:
        return []
    tests = "a test" if count == 1 else f"{count} tests"
    return [f"question {question!r}: {tests} worth 0 points left out (they change no score in {origin}; "
            "a check of ours carries a share of the points)"]


def reference_source(solutions: Iterable[str]) -> tuple[str, list[str]]:
    """The definitions of the solution cells (imports, functions, classes), as a module.

    Top-level statements that do work (loading data, training, printing) are left out:
    the reference is imported by the grader and must be cheap and side-effect free.
    """
    parts, notes = [], []
    for number, source in enumerate(solutions, 1):
        tree = parse_cell(source)
        if tree is None:
            notes.append(f"solution cell {number} is not valid Python: left out of reference.py")
            continue
        text = transform_ipython(source)
        for node in tree.body:
            if isinstance(node, (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                segment = ast.get_source_segment(text, node, padded=True)
                if segment:
                    decorators = "".join(f"@{ast.get_source_segment(text, d)}\n"
                                         for d in getattr(node, "decorator_list", []))
                    parts.append(decorators + segment)
    return "\n\n".join(parts) + "\n", notes


def grader_imports(sources: Iterable[str]) -> str:
    """The master's top-level imports, once each, in order: run in the grader for every
    imported test, so its ``np`` is the grader's numpy, never the student's."""
    lines: dict[str, None] = {}
    for source in sources:
        tree = parse_cell(source)
        if tree is None:
            continue
        for node in tree.body:
            if isinstance(node, ast.Import) or (isinstance(node, ast.ImportFrom) and not node.level and
                                                 not any(a.name == "*" for a in node.names)):
                lines[ast.unparse(node)] = None
    return "".join(f"{line}\n" for line in lines)


def notebook_globals(sources: Iterable[str]) -> set[str]:
    """Names the notebook defines at top level (what a test could try to change)."""
    names: set[str] = set()
    for source in sources:
        tree = parse_cell(source)
        if tree is None:
            continue
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(node.name)
            for target in _targets(node):
                names.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
    return names


def _targets(node: ast.stmt) -> list[ast.expr]:
    if isinstance(node, ast.Assign):
        return list(node.targets)
    if isinstance(node, (ast.AugAssign, ast.AnnAssign)):
        return [node.target]
    if isinstance(node, (ast.For, ast.AsyncFor)):
        return [node.target]
    return []


def mutations(code: str, student_names: set[str]) -> list[str]:
    """How a test changes the student's state in a way the grader cannot carry into the
    jail: an attribute or item stored into one of the notebook's names, a ``global``.
    (A test that rebinds or deletes a notebook name at its top level does so in the
    jail, as in the notebook: ``runtime.GraderNamespace``.)"""
    tree = parse_cell(code)
    if tree is None:
        return []
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Global):
            found.append(f"`global {', '.join(node.names)}`")
        elif isinstance(node, (ast.Attribute, ast.Subscript)) and isinstance(node.ctx, (ast.Store, ast.Del)):
            base = node.value
            while isinstance(base, (ast.Attribute, ast.Subscript)):
                base = base.value
            if isinstance(base, ast.Name) and base.id in student_names:
                found.append(f"changes `{ast.unparse(node)}`")
    return sorted(set(found))


def imported_modules(code: str) -> set[str]:
    """The top-level packages ``code`` imports (absolute imports only)."""
    tree = parse_cell(code)
    found: set[str] = set()
    for node in ast.walk(tree) if tree is not None else []:
        if isinstance(node, ast.Import):
            found.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module.split(".")[0])
    return found
